package vensim_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/vensim"
	"github.com/stockflow/stockflow/sim"
)

// control is the control section most tests end with.
const control = `
********************************************************
	.Control
********************************************************~
		Simulation Control Parameters
	|

FINAL TIME  = 10
	~	Month
	~	The final time for the simulation.
	|

INITIAL TIME  = 0
	~	Month
	~	The initial time for the simulation.
	|

SAVEPER  = 
        TIME STEP
	~	Month [0,?]
	~	The frequency with which output is stored.
	|

TIME STEP  = 0.5
	~	Month [0,?]
	~	The time step for the simulation.
	|

\\\---/// Sketch information - do not modify anything except names
V300  Do not put anything below this section - it will be ignored
*View 1
10,1,Stock,307,235,40,20,3,3,0,0,0,0,0,0
`

// summary is what a test checks of a variable.
type summary struct {
	Kind              model.Kind
	Equation          string
	Inflows, Outflows []string
	Units, Doc        string
}

func summarize(m *model.Model) map[string]summary {
	out := make(map[string]summary)
	for _, v := range m.Vars {
		out[v.Name] = summary{Kind: v.Kind, Equation: v.Equation.Text, Inflows: v.Inflows, Outflows: v.Outflows, Units: v.Units, Doc: v.Doc}
	}
	return out
}

func read(t *testing.T, src string) *model.Model {
	t.Helper()
	m, err := vensim.Read("test.mdl", strings.NewReader(src))
	if err != nil {
		t.Fatalf("Read() error = %v", err)
	}
	return m
}

func TestRead(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want map[string]summary
	}{{
		name: "flows recovered from the rate",
		src: `{UTF-8}
Population= INTEG (
	births - deaths - "emigration (net)",
		100)
	~	People [0,?]
	~	How many live here; \
		a continued comment.
	|
births = Population * birth rate ~ People/Month ~|
deaths = Population / 80 ~~|
"emigration (net)" = 1 ~~|
birth rate = 0.02 ~ 1/Month [0, 0.1, 0.01] ~|
` + control,
		want: map[string]summary{
			"Population":       {Kind: model.Stock, Equation: "100", Inflows: []string{"births"}, Outflows: []string{"deaths", "emigration (net)"}, Units: "People", Doc: "How many live here; a continued comment."},
			"births":           {Kind: model.Flow, Equation: "Population * \"birth rate\"", Units: "People/Month"},
			"deaths":           {Kind: model.Flow, Equation: "Population / 80"},
			"emigration (net)": {Kind: model.Flow, Equation: "1"},
			"birth rate":       {Kind: model.Aux, Equation: "0.02", Units: "1/Month"},
		},
	}, {
		name: "a rate that is not a sum of flows becomes one flow",
		src: `{UTF-8}
Stock = INTEG(rate * 2 - Stock / 3, 1) ~~|
rate = {a comment} 1 ~~|
` + control,
		want: map[string]summary{
			"Stock":          {Kind: model.Stock, Equation: "1", Inflows: []string{"Stock net flow"}},
			"Stock net flow": {Kind: model.Flow, Equation: "rate * 2 - Stock / 3", Units: ""},
			"rate":           {Kind: model.Aux, Equation: "1"},
		},
	}, {
		name: "functions and operators in Vensim's spelling",
		src: `{UTF-8}
a = IF THEN ELSE(Time > 5 :AND: :NOT: b = 1, -2^2, SMOOTH3I(b, 2, 1)) ~~|
b = DELAY FIXED(Time, 1, 0) + PULSE(1, 2) ~~|
c = MODULO(Time, 3) + INTEGER(-1.5) + POWER(2, 3) + LOG(8, 2) ~~|
d = XIDZ(1, 0, :NA:) + TIME STEP + FINAL TIME + SAVEPER ~~|
` + control,
		want: map[string]summary{
			"a": {Kind: model.Aux, Equation: "IF TIME > 5 AND NOT (b = 1) THEN -2^2 ELSE SMTH3(b, 2, 1)"},
			"b": {Kind: model.Aux, Equation: "DELAY_FIXED(TIME, 1, 0) + IF TIME >= 1 AND TIME < 1 + MAX(2, DT) THEN 1 ELSE 0"},
			"c": {Kind: model.Aux, Equation: "MODULO(TIME, 3) + INTEGER(-1.5) + 2^3 + LN(8) / LN(2)"},
			"d": {Kind: model.Aux, Equation: "XIDZ(1, 0, (-1.298074214633707e+33)) + DT + STOPTIME + 0.5"},
		},
	}, {
		name: "lookups",
		src: `{UTF-8}
effect table(
	[(0,0)-(2,2)],(0,0),(1,1),(2,1.5))
	~	Dmnl
	~	|
effect = effect table(Time / 10) + LOOKUP EXTRAPOLATE(effect table, 3) ~~|
inline = WITH LOOKUP(Time, ((0,1),(10,2))) ~~|
` + control,
		want: map[string]summary{
			"effect": {Kind: model.Aux, Equation: `"effect table"(TIME / 10) + "effect table extrapolated"(3)`},
			"inline": {Kind: model.Aux, Equation: "TIME"},
		},
	}, {
		name: "a macro with a stock, expanded per call",
		src: `{UTF-8}
:MACRO: ACCUMULATE(input, start)
ACCUMULATE = INTEG(input, start)
	~	input
	~	|
:END OF MACRO:
x = ACCUMULATE(1, 0) ~~|
y = ACCUMULATE(2, x) ~~|
` + control,
		want: map[string]summary{
			"ACCUMULATE 1.input":               {Kind: model.Aux, Equation: "1"},
			"ACCUMULATE 1.start":               {Kind: model.Aux, Equation: "0"},
			"ACCUMULATE 1.ACCUMULATE":          {Kind: model.Stock, Equation: `"ACCUMULATE 1".start`, Inflows: []string{"ACCUMULATE 1.ACCUMULATE net flow"}, Units: "input"},
			"ACCUMULATE 1.ACCUMULATE net flow": {Kind: model.Flow, Equation: `"ACCUMULATE 1".input`, Units: "input/Month"},
			"x":                                {Kind: model.Aux, Equation: `"ACCUMULATE 1".ACCUMULATE`},
			"ACCUMULATE 2.input":               {Kind: model.Aux, Equation: "2"},
			"ACCUMULATE 2.start":               {Kind: model.Aux, Equation: "x"},
			"ACCUMULATE 2.ACCUMULATE":          {Kind: model.Stock, Equation: `"ACCUMULATE 2".start`, Inflows: []string{"ACCUMULATE 2.ACCUMULATE net flow"}, Units: "input"},
			"ACCUMULATE 2.ACCUMULATE net flow": {Kind: model.Flow, Equation: `"ACCUMULATE 2".input`, Units: "input/Month"},
			"y":                                {Kind: model.Aux, Equation: `"ACCUMULATE 2".ACCUMULATE`},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := read(t, tt.src)
			if diff := cmp.Diff(tt.want, summarize(m), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Read() mismatch (-want +got):\n%s", diff)
			}
			if _, err := sim.Compile(m); err != nil {
				t.Errorf("Compile() error = %v", err)
			}
		})
	}
}

// TestReadDetails checks the time settings, ranges and lookups of a file.
func TestReadDetails(t *testing.T) {
	m := read(t, `{UTF-8}
k = 0.05 ~ 1/Month [0, 0.1, 0.01] ~|
open = 3 ~ [0,?] ~|
effect table((0,0),(1,1),(2,1.5)) ~~|
inline = WITH LOOKUP(Time, ([(0,0)-(10,3)], (0,1),(10,2))) ~~|
`+control)
	if diff := cmp.Diff(model.Time{Start: 0, Stop: 10, DT: 0.5, SaveEvery: 0.5, Method: model.Euler, Units: "Month"}, m.Time, cmpopts.IgnoreFields(model.Time{}, "Pos")); diff != "" {
		t.Errorf("Time mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(&model.Range{Min: 0, Max: 0.1, Step: 0.01}, m.Var("k").Range, cmpopts.IgnoreFields(model.Range{}, "Pos")); diff != "" {
		t.Errorf("range of k mismatch (-want +got):\n%s", diff)
	}
	if r := m.Var("open").Range; r != nil {
		t.Errorf("range of open = %v, want none (the upper bound is open)", r)
	}
	l := m.Lookup("effect table")
	if l == nil || !cmp.Equal(l.X, []float64{0, 1, 2}) || !cmp.Equal(l.Y, []float64{0, 1, 1.5}) {
		t.Errorf("lookup effect table = %+v, want the points (0,0), (1,1), (2,1.5)", l)
	}
	if l := m.Var("inline").Lookup; l == nil || !cmp.Equal(l.X, []float64{0, 10}) || !cmp.Equal(l.Y, []float64{1, 2}) {
		t.Errorf("the lookup of inline = %+v, want the points (0,1), (10,2)", l)
	}
}

// TestReadArrays checks subscript ranges, subranges, mappings and the
// equations of arrayed variables.
func TestReadArrays(t *testing.T) {
	m := read(t, `{UTF-8}
region: north, south, east ~~|
coast: south, east ~~|
other: (r1-r3) -> region ~~|
pop[region] = INTEG(births[region], 10) ~~|
births[region] = 1, 2, 3 ~~|
x[region] :EXCEPT: [north] = pop[region] * 2 ~~|
x[north] = pop[south] + births[north] ~~|
y[coast] = 1 ~~|
`+control)
	type dim struct {
		Elements []string
		Of       string
		Maps     []string
	}
	dims := make(map[string]dim)
	for _, d := range m.Dimensions {
		var maps []string
		for _, mp := range d.Maps {
			maps = append(maps, mp.To)
		}
		dims[d.Name] = dim{d.Elements, d.Of, maps}
	}
	wantDims := map[string]dim{
		"region": {Elements: []string{"north", "south", "east"}},
		"coast":  {Elements: []string{"south", "east"}, Of: "region"},
		"other":  {Elements: []string{"r1", "r2", "r3"}, Maps: []string{"region"}},
	}
	if diff := cmp.Diff(wantDims, dims, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("dimensions mismatch (-want +got):\n%s", diff)
	}
	type arrayed struct {
		Kind     model.Kind
		Dims     []string
		Equation string
		Elements map[string]string
		Inflows  []string
	}
	got := make(map[string]arrayed)
	for _, v := range m.Vars {
		a := arrayed{Kind: v.Kind, Dims: v.Dims, Equation: v.Equation.Text, Inflows: v.Inflows}
		for _, el := range v.Elements {
			if a.Elements == nil {
				a.Elements = make(map[string]string)
			}
			a.Elements[el.Key()] = el.Equation.Text
		}
		got[v.Name] = a
	}
	want := map[string]arrayed{
		"pop":    {Kind: model.Stock, Dims: []string{"region"}, Equation: "10", Inflows: []string{"births"}},
		"births": {Kind: model.Flow, Dims: []string{"region"}, Elements: map[string]string{"north": "1", "south": "2", "east": "3"}},
		"x": {Kind: model.Aux, Dims: []string{"region"}, Elements: map[string]string{
			"south": "pop[region] * 2", "east": "pop[region] * 2", "north": "pop[south] + births[north]",
		}},
		"y": {Kind: model.Aux, Dims: []string{"coast"}, Equation: "1"},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("arrayed variables mismatch (-want +got):\n%s", diff)
	}
}

// TestReadRuns runs a small model read from .mdl text against values
// worked out by hand.
func TestReadRuns(t *testing.T) {
	m := read(t, `{UTF-8}
Stock = INTEG(inflow - outflow, 10) ~~|
inflow = 2 ~~|
outflow = Stock * 0.1 ~~|
held = SAMPLE IF TRUE(Time = 1, Stock, -1) ~~|
`+control)
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(sim.Scenario{})
	if err != nil {
		t.Fatal(err)
	}
	// Euler with dt 0.5: 10, 10 + 0.5·(2 − 1) = 10.5, 10.5 + 0.5·(2 − 1.05)
	// = 10.975; held is -1 until time 1, then Stock at time 1 (10.975).
	approx := cmpopts.EquateApprox(0, 1e-12)
	if diff := cmp.Diff([]float64{10, 10.5, 10.975}, must(res.Series("Stock"))[:3], approx); diff != "" {
		t.Errorf("Stock mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float64{-1, -1, 10.975, 10.975}, must(res.Series("held"))[:4], approx); diff != "" {
		t.Errorf("held mismatch (-want +got):\n%s", diff)
	}
}

// TestReadErrors checks that what cannot be read is reported at its place,
// and what stockflow does not support as such.
func TestReadErrors(t *testing.T) {
	tests := []struct {
		name        string
		src         string
		pos         string // line:col of the first error
		unsupported bool
		mention     string // a name the message must give
	}{
		{"syntax", "{UTF-8}\nx = (1 + ~~|\n" + control, "2:9", false, "end of the equation"},
		{"spreadsheet missing", "{UTF-8}\nx = GET XLS DATA('a.xlsx', 'S', '1', 'B2') ~~|\n" + control, "2:18", false, "a.xlsx"},
		{"data from a .vdf", "{UTF-8}\nx ~~|\n" + control, "2:1", true, `"x"`},
		{"unknown function", "{UTF-8}\nx = FROBNICATE(1) ~~|\n" + control, "2:5", true, "FROBNICATE"},
		{"wrong arity", "{UTF-8}\nx = SMOOTH(1) ~~|\n" + control, "2:5", false, "SMOOTH"},
		{"dynamic final time", strings.Replace("{UTF-8}\nx = 1 ~~|\n"+control, "FINAL TIME  = 10", "FINAL TIME  = Time + 10", 1), "10:1", true, "FINAL TIME"},
		{"defined twice", "{UTF-8}\nx = 1 ~~|\nx = 2 ~~|\n" + control, "3:1", false, `"x"`},
		{"macro without end", "{UTF-8}\n:MACRO: M(a)\nM = a ~~|\n" + control, "2:9", false, "M"},
		{"no control section", "{UTF-8}\nx = 1 ~~|\n", "", false, "FINAL TIME"},
		{"unclosed quote", "{UTF-8}\n\"x = 1 ~~|\n" + control, "2:1", false, "quoted"},
		{"not UTF-8", "{UTF-8}\nx\xff = 1 ~~|\n" + control, "2:2", false, "not UTF-8"},
		{"lookup of an odd count", "{UTF-8}\nt([(0,0)-(2,1)], 3) ~~|\n" + control, "2:2", false, "as many of each"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := vensim.Read("bad.mdl", strings.NewReader(tt.src))
			var list model.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("Read() error = %v, want a model.ErrorList", err)
			}
			first := list[0]
			if got := strings.TrimPrefix(first.Pos.String(), "bad.mdl:"); tt.pos != "" && got != tt.pos {
				t.Errorf("first error at %s, want %s (%v)", got, tt.pos, first)
			}
			if first.Pos.File != "bad.mdl" {
				t.Errorf("first error in file %q, want bad.mdl", first.Pos.File)
			}
			if got := errors.Is(err, vensim.ErrUnsupported); got != tt.unsupported {
				t.Errorf("errors.Is(err, ErrUnsupported) = %v, want %v (%v)", got, tt.unsupported, err)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error %q does not mention %s", err, tt.mention)
			}
		})
	}
}

// TestReadLatin1 reads a file without {UTF-8} in Latin-1, as older
// Vensim files are written.
func TestReadLatin1(t *testing.T) {
	m := read(t, "caf\xe9 = 1 ~ \xb0C ~|\n"+control)
	if v := m.Var("café"); v == nil || v.Units != "°C" {
		t.Errorf("Var(café) = %+v, want the variable in °C", v)
	}
}

// TestReadRandomNormal checks Vensim's truncated RANDOM NORMAL keeps to its
// bounds.
func TestReadRandomNormal(t *testing.T) {
	m := read(t, "{UTF-8}\nx = RANDOM NORMAL(-1, 2, 0, 5, 7) ~~|\n"+control)
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(sim.Scenario{})
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range must(res.Series("x")) {
		if x < -1 || x > 2 || math.IsNaN(x) {
			t.Errorf("x at row %d = %g, outside [-1, 2]", i, x)
		}
	}
}

// TestReadChainOfConstants reads constants that each use the next twice:
// working them out must take linear time (2^60 evaluations would hang).
func TestReadChainOfConstants(t *testing.T) {
	var b strings.Builder
	b.WriteString("{UTF-8}\n")
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&b, "x%d = x%d + x%d - x%d ~~|\n", i, i+1, i+1, i+1)
	}
	b.WriteString("x60 = 2 ~~|\ny = SMOOTH N(1, 1, 0, x0) ~~|\n")
	b.WriteString("INITIAL TIME = x0 - 2 ~~|\nFINAL TIME = x0 + 8 ~~|\n")
	m := read(t, b.String())
	if m.Time.Start != 0 || m.Time.Stop != 10 {
		t.Errorf("Time = %g to %g, want 0 to 10", m.Time.Start, m.Time.Stop)
	}
	if _, err := sim.Compile(m); err != nil {
		t.Errorf("Compile() error = %v", err)
	}
}
