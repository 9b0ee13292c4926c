package model_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/expr"
)

func TestLoad(t *testing.T) {
	src := `
name: teacup
doc: Newton's law of cooling.
time:
  start: 0
  stop: 30
  dt: 0.125
  save_every: 1
  method: RK4
  units: minute
stocks:
  teacup_temperature:
    initial: 180
    outflows: [heat_loss_to_room]
    units: degF
    non_negative: true
    doc: Temperature of the tea.
  other: 5
flows:
  heat_loss_to_room:
    equation: (teacup_temperature - room_temperature) / characteristic_time
    units: degF/minute
auxiliaries:
  room_temperature:
    equation: 70
    range: [40, 100, 5]
    uncertainty: Triangular(60, 70, 85)
  characteristic_time: {equation: "10", units: minute, range: [1, 60]}
  shaped: {equation: TIME, lookup: {points: [[0, 1], [10, 2]], mode: extrapolate}}
lookups:
  churn_multiplier:
    points: [[0, 4.0], [0.5, 1.0], [1, 0.2]]
    mode: discrete
scenarios:
  hot:
    doc: A hotter room.
    set: {room_temperature: 90}
    lookups:
      churn_multiplier: {points: [[0, 1], [1, 1]]}
loops:
  cooling: [teacup_temperature, heat_loss_to_room]
  described: {variables: [teacup_temperature], doc: A loop.}
`
	m, err := model.Load("teacup.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	eq := func(text string) model.Equation { return model.MustEquation(text) }
	want := &model.Model{
		Name: "teacup",
		Doc:  "Newton's law of cooling.",
		File: "teacup.yaml",
		Time: model.Time{Start: 0, Stop: 30, DT: 0.125, SaveEvery: 1, Method: model.RK4, Units: "minute"},
		Vars: []*model.Variable{
			{Kind: model.Stock, Name: "teacup_temperature", Equation: eq("180"), Outflows: []string{"heat_loss_to_room"},
				Units: "degF", NonNegative: true, Doc: "Temperature of the tea."},
			{Kind: model.Stock, Name: "other", Equation: eq("5")},
			{Kind: model.Flow, Name: "heat_loss_to_room", Equation: eq("(teacup_temperature - room_temperature) / characteristic_time"), Units: "degF/minute"},
			{Kind: model.Aux, Name: "room_temperature", Equation: eq("70"), Range: &model.Range{Min: 40, Max: 100, Step: 5},
				Uncertainty: &model.Distribution{Name: "triangular", Args: []float64{60, 70, 85}}},
			{Kind: model.Aux, Name: "characteristic_time", Equation: eq("10"), Units: "minute", Range: &model.Range{Min: 1, Max: 60}},
			{Kind: model.Aux, Name: "shaped", Equation: eq("TIME"), Lookup: &model.Lookup{X: []float64{0, 10}, Y: []float64{1, 2}, Mode: model.Extrapolate}},
		},
		Lookups: []*model.Lookup{
			{Name: "churn_multiplier", X: []float64{0, 0.5, 1}, Y: []float64{4, 1, 0.2}, Mode: model.Discrete},
		},
		Scenarios: []*model.Scenario{{
			Name: "hot", Doc: "A hotter room.",
			Set:     []model.Setting{{Name: "room_temperature", Value: 90}},
			Lookups: []*model.Lookup{{Name: "churn_multiplier", X: []float64{0, 1}, Y: []float64{1, 1}}},
		}},
		Loops: []*model.Loop{
			{Name: "cooling", Variables: []string{"teacup_temperature", "heat_loss_to_room"}},
			{Name: "described", Variables: []string{"teacup_temperature"}, Doc: "A loop."},
		},
	}
	opts := cmp.Options{
		cmpopts.IgnoreTypes(model.Position{}),
		cmpopts.IgnoreUnexported(model.Equation{}),
		cmp.Comparer(func(a, b expr.Expr) bool { return expr.Format(a) == expr.Format(b) }),
	}
	if diff := cmp.Diff(want, m, opts); diff != "" {
		t.Errorf("Load mismatch (-want +got):\n%s", diff)
	}
	if got := m.Var("Teacup Temperature").Pos; got != (model.Position{File: "teacup.yaml", Line: 12, Col: 3}) {
		t.Errorf("position of teacup_temperature = %v", got)
	}
	if got := m.Var("heat_loss_to_room").Equation.Pos; got != (model.Position{File: "teacup.yaml", Line: 21, Col: 15}) {
		t.Errorf("position of the flow's equation = %v", got)
	}
	if got := m.Var("room_temperature").Uncertainty.Pos; got != (model.Position{File: "teacup.yaml", Line: 27, Col: 18}) {
		t.Errorf("position of the uncertainty = %v", got)
	}
	// What WriteYAML writes reads back the same.
	var buf bytes.Buffer
	if err := model.WriteYAML(&buf, m); err != nil {
		t.Fatal(err)
	}
	m2, err := model.Load("teacup.yaml", buf.Bytes())
	if err != nil {
		t.Fatalf("Load(WriteYAML()): %v\n%s", err, buf.String())
	}
	if diff := cmp.Diff(m, m2, opts); diff != "" {
		t.Errorf("Load(WriteYAML()) mismatch (-want +got):\n%s", diff)
	}
}

func TestParseDistribution(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want model.Distribution
		lo   float64
		hi   float64
	}{
		{"uniform(1, 3)", model.Distribution{Name: "uniform", Args: []float64{1, 3}}, 1, 3},
		{" TRIANGULAR( 0 , 1,2 ) ", model.Distribution{Name: "triangular", Args: []float64{0, 1, 2}}, 0, 2},
		{"truncnormal(0, 1, -1, 2)", model.Distribution{Name: "truncnormal", Args: []float64{0, 1, -1, 2}}, -1, 2},
		{"normal(0, 1)", model.Distribution{Name: "normal", Args: []float64{0, 1}}, math.Inf(-1), math.Inf(1)},
		{"lognormal(1, 1)", model.Distribution{Name: "lognormal", Args: []float64{1, 1}}, 0, math.Inf(1)},
		{"fixed(2.5)", model.Distribution{Name: "fixed", Args: []float64{2.5}}, 2.5, 2.5},
	} {
		got, err := model.ParseDistribution(tc.in)
		if err != nil {
			t.Errorf("ParseDistribution(%q): %v", tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("ParseDistribution(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
		if lo, hi := got.Bounds(); lo != tc.lo || hi != tc.hi {
			t.Errorf("%s.Bounds() = %g, %g, want %g, %g", tc.in, lo, hi, tc.lo, tc.hi)
		}
		if again, err := model.ParseDistribution(got.String()); err != nil || !cmp.Equal(again, got) {
			t.Errorf("ParseDistribution(%q) = %v, %v: does not read back", got.String(), again, err)
		}
	}
	for _, tc := range []struct {
		in  string
		off int
	}{
		{"uniform(3, 1)", 0},
		{"  beta(1, 2)", 2},
		{"uniform(1, x)", 11},
		{"uniform(1)", 8},
		{"uniform()", 8},
		{"0.5", 0},
		{"normal(0, NaN)", 10},
	} {
		_, err := model.ParseDistribution(tc.in)
		var de *model.DistributionError
		if !errors.As(err, &de) {
			t.Errorf("ParseDistribution(%q) error %v, want a *DistributionError", tc.in, err)
			continue
		}
		if de.Off != tc.off {
			t.Errorf("ParseDistribution(%q): error at offset %d, want %d (%v)", tc.in, de.Off, tc.off, err)
		}
	}
}

// TestLoadErrors pins the message and position of every kind of bad input,
// and checks that independent errors are reported together.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"yaml syntax", "time: {stop: 1\nstocks: [", []string{`m.yaml:1:1: invalid YAML: did not find expected ',' or '}'`}},
		{"tab indentation", "time:\n\tstop: 1\n", []string{`m.yaml:2:1: invalid YAML: found character that cannot start any token`}},
		{"empty", "", []string{`m.yaml:1:1: empty model file`}},
		{"not a mapping", "- 1\n", []string{`m.yaml:1:1: expected a mapping for the model but found a list`}},
		{"unknown keys", `
time: {stop: 1, dtt: 2}
stock: {}
auxiliaries:
  x: {equation: 1, unit: m}
`, []string{
			`m.yaml:2:17: unknown key "dtt" in time (did you mean "dt"?) (expected one of dt, method, save_every, start, stop, units)`,
			`m.yaml:3:1: unknown key "stock" in the model (did you mean "stocks"?) (expected one of auxiliaries, dimensions, doc, flows, lookups, loops, macros, models, modules, name, scenarios, stocks, time, units)`,
			`m.yaml:5:20: unknown key "unit" in auxiliary "x" (did you mean "units"?) (expected one of dims, doc, elements, equation, initial, label, lookup, range, uncertainty, units)`,
		}},
		{"duplicate names", `
time: {stop: 1}
stocks:
  Heat_Loss: 1
flows:
  heat loss: 2
auxiliaries:
  x: 1
  X: 2
lookups:
  HEAT_LOSS: {points: [[0, 1]]}
`, []string{
			`m.yaml:6:3: duplicate name "heat loss" (already defined at m.yaml:4:3)`,
			`m.yaml:9:3: duplicate key "X" in auxiliaries (first at 8:3)`,
			`m.yaml:11:3: duplicate name "HEAT_LOSS" (already defined at m.yaml:4:3)`,
		}},
		{"flows of a stock", `
time: {stop: 1}
stocks:
  s: {initial: 1, inflows: [birth], outflows: [x, ghost, x]}
flows:
  births: 1
auxiliaries:
  x: 2
`, []string{
			`m.yaml:4:3: flow "x" is listed twice on stock "s"`,
			`m.yaml:4:3: inflow "birth" of stock "s" is not defined (did you mean "births"?)`,
			`m.yaml:4:3: outflow "ghost" of stock "s" is not defined`,
			`m.yaml:4:3: outflow "x" of stock "s" is an auxiliary, not a flow`,
		}},
		{"missing initial and equation", `
time: {stop: 1}
stocks:
  s: {outflows: []}
flows:
  f: {units: m}
auxiliaries:
  a:
`, []string{
			`m.yaml:4:3: stock "s" has no initial value`,
			`m.yaml:6:3: flow "f" has no equation`,
			`m.yaml:8:3: auxiliary "a" has no equation`,
		}},
		{"equation syntax", `
time: {stop: 1}
auxiliaries:
  a: 1 + * 2
  b: "max(1,"
  c: |
    1 +
      (2 $ 3)
`, []string{
			`m.yaml:4:10: expected an expression but found "*"`,
			`m.yaml:5:13: expected an expression but found end of equation`,
			`m.yaml:8:10: unexpected character "$"`,
		}},
		{"lookups", `
time: {stop: 1}
lookups:
  empty: {points: []}
  backwards: {points: [[0, 1], [2, 2], [1, 3]]}
  flat: {points: [[0, 1], [0, 2]]}
  bad: {points: [[0, 1, 2]], mode: smooth}
  none: {mode: discrete}
`, []string{
			`m.yaml:4:3: lookup "empty" has no points`,
			`m.yaml:5:3: lookup "backwards": x values must increase, but point 3 has x = 1 after 2`,
			`m.yaml:6:3: lookup "flat": x values must increase, but point 2 has x = 0 after 0`,
			`m.yaml:7:18: expected a point [x, y] in lookup "bad" but found a list`,
			`m.yaml:7:36: unknown lookup mode "smooth" (expected continuous, extrapolate or discrete)`,
			`m.yaml:8:3: lookup "none" has no points`,
		}},
		{"time", `
time: {start: 5, stop: 1, dt: 0, method: heun}
`, []string{
			`m.yaml:2:7: dt must be positive, not 0`,
			`m.yaml:2:7: stop (1) is before start (5)`,
			`m.yaml:2:42: unknown method "heun" (expected euler, rk2 or rk4)`,
		}},
		{"no stop", "time: {dt: 1}\n", []string{`m.yaml:1:7: time has no stop`}},
		{"absurd length", "time: {stop: 1e12, dt: 1e-6}\n", []string{
			`m.yaml:1:7: the run would take 1e+18 steps of dt 1e-06; the limit is 1000000000 (use a larger dt)`,
		}},
		{"bad numbers", "time: {stop: ten, dt: .inf, save_every: 0.3}\n", []string{
			`m.yaml:1:14: expected a finite number for stop but found "ten"`,
			`m.yaml:1:23: expected a finite number for dt but found ".inf"`,
		}},
		{"save_every", "time: {stop: 1, dt: 0.25, save_every: 0.3}\n", []string{
			`m.yaml:1:7: save_every (0.3) must be a whole multiple of dt (0.25)`,
		}},
		{"nested too deeply", "time: {stop: 1}\nauxiliaries:\n  x: " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000) + "\n", []string{
			`m.yaml:3:206: expression nested too deeply (limit 200)`,
		}},
		{"reserved name", "time: {stop: 1}\nauxiliaries:\n  Time: 1\n", []string{`m.yaml:3:3: name "Time" is reserved: it names the clock`}},
		{"reserved self", "time: {stop: 1}\nauxiliaries:\n  Self: 1\n", []string{`m.yaml:3:3: name "Self" is reserved: SELF stands for the variable itself in PREVIOUS(SELF)`}},
		{"reserved keyword", "time: {stop: 1}\nauxiliaries:\n  then: 1\n", []string{`m.yaml:3:3: name "then" is reserved: it is a word of the equation language`}},
		{"ranges and uncertainties", `
time: {stop: 1}
auxiliaries:
  a: {equation: 2, range: [0, 1]}
  b: {equation: 0.5, range: [1, 0]}
  c: {equation: 0.5, range: [0, 1, 2]}
  d: {equation: 0.5, range: 0..1}
  e: {equation: 0.5, range: [0, x]}
  f: {equation: 0.5, uncertainty: "triangular(0.3, 0.2, 0.1)"}
  g:
    equation: 0.5
    uncertainty: gamma(1, 2)
  h:
    equation: 0.5
    uncertainty: uniform(0, y)
  i: {equation: 0.5, range: [0, 1], uncertainty: "normal(0.5, 0.1)"}
  j: {equation: 0.5, range: [0, 1], uncertainty: 'uniform(0.5, 2)'}
  k: {equation: 0.5, uncertainty: }
`, []string{
			`m.yaml:4:17: "a" is 2, outside its range [0, 1]`,
			`m.yaml:5:29: the range [1, 0] of "b": expected min < max but found min 1 and max 0`,
			`m.yaml:6:29: the range [0, 1, 2] of "c": expected a step between 0 and max - min (1) but found 2`,
			`m.yaml:7:29: expected [min, max] or [min, max, step] for the range of auxiliary "d" but found "0..1"`,
			`m.yaml:8:33: expected a finite number for max but found "x"`,
			`m.yaml:9:36: the uncertainty of auxiliary "f", "triangular(0.3, 0.2, 0.1)": expected min <= mode <= max and min < max`,
			`m.yaml:12:18: the uncertainty of auxiliary "g", "gamma(1, 2)": unknown distribution "gamma"; expected one of uniform(min, max), normal(mean, sd), truncnormal(mean, sd, min, max), triangular(min, mode, max), lognormal(mean, sd), fixed(value)`,
			`m.yaml:15:29: the uncertainty of auxiliary "h", "uniform(0, y)": argument 2 (max): expected a finite number, found "y"`,
			`m.yaml:16:51: the uncertainty normal(0.5, 0.1) of "i" reaches outside its range [0, 1] (use a distribution bounded by the range, such as truncnormal)`,
			`m.yaml:17:51: the uncertainty uniform(0.5, 2) of "j" reaches outside its range [0, 1] (use a distribution bounded by the range, such as truncnormal)`,
			`m.yaml:18:35: expected a distribution such as uniform(0.1, 0.3) for the uncertainty of auxiliary "k" but found nothing`,
		}},
		{"scenario and loop names", `
time: {stop: 1}
auxiliaries:
  rate: 1
scenarios:
  s: {set: {rte: 2}, lookups: {nothing: {points: [[0, 0]]}}}
loops:
  l: [rate, ghost]
`, []string{
			`m.yaml:6:13: scenario "s" sets undefined variable "rte" (did you mean "rate"?)`,
			`m.yaml:6:32: scenario "s" replaces undefined lookup "nothing"`,
			`m.yaml:8:3: loop "l" names undefined variable "ghost"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := model.Load("m.yaml", []byte(tt.src))
			var list model.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("got %v, want a model.ErrorList", err)
			}
			var got []string
			for _, e := range list {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAliasBomb checks that "billion laughs" documents, whose nested
// aliases would expand to 10^9 nodes, are refused with a clear error and
// never expanded.
func TestAliasBomb(t *testing.T) {
	laughs := func(indent string) string {
		var b strings.Builder
		b.WriteString(indent + "a0: &a0 [0, 1]\n")
		for i := 1; i <= 9; i++ {
			prev := fmt.Sprintf("*a%d", i-1)
			fmt.Fprintf(&b, "%sa%d: &a%d [%s]\n", indent, i, i, strings.Repeat(prev+", ", 9)+prev)
		}
		return b.String()
	}
	tests := []struct{ name, src, want string }{
		{"unknown key", "time: {stop: 1}\nbomb:\n" + laughs("  "), `unknown key "bomb" in the model`},
		{"lookup points", "time: {stop: 1}\nlookups:\n" + laughs("  ") + "  x: {points: *a9}\n", `expected a point [x, y] in lookup "x" but found a list`},
		{"scenario", "time: {stop: 1}\nauxiliaries:\n  y: 1\nscenarios:\n  s:\n    set: {y: 1}\n    lookups:\n" + laughs("      ") + "    doc: *a9\n", `expected text for doc but found a list`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := model.Load("bomb.yaml", []byte(tt.src))
			var list model.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("got %v, want an ErrorList", err)
			}
			for _, e := range list {
				if strings.Contains(e.Error(), tt.want) {
					return
				}
			}
			t.Errorf("got %v, want an error containing %q", list, tt.want)
		})
	}
}

func TestCanonical(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Heat Loss", "heat_loss"},
		{"heat_loss", "heat_loss"},
		{"HEAT__LOSS", "heat_loss"},
		{" heat \t loss ", "heat_loss"},
		{`heat\nloss`, "heat_loss"},
		{"Ünïcode Name", "ünïcode_name"},
		{"_x_", "x"},
	} {
		if got := model.Canonical(tt.in); got != tt.want {
			t.Errorf("Canonical(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMethodText(t *testing.T) {
	for _, m := range []model.Method{model.Euler, model.RK2, model.RK4} {
		b, err := m.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back model.Method
		if err := back.UnmarshalText(b); err != nil || back != m {
			t.Errorf("%v round-trips to %v, %v", m, back, err)
		}
	}
	if _, err := model.ParseMethod("heun"); err == nil {
		t.Error("ParseMethod(heun): no error")
	}
}

// TestInitialEquation checks that an auxiliary's or flow's initial:
// equation is read with its position and written back.
func TestInitialEquation(t *testing.T) {
	src := "time: {stop: 1}\nauxiliaries:\n  a:\n    equation: TIME\n    initial: 45\n"
	m, err := model.Load("m.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	v := m.Var("a")
	if v.Initial.Text != "45" || v.Initial.Pos.Line != 5 || v.Initial.Pos.Col != 14 {
		t.Errorf("initial = %q at %v, want 45 at 5:14", v.Initial.Text, v.Initial.Pos)
	}
	var buf bytes.Buffer
	if err := model.WriteYAML(&buf, m); err != nil {
		t.Fatal(err)
	}
	back, err := model.Load("back.yaml", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Var("a").Initial.Text; got != "45" {
		t.Errorf("written and read back, initial = %q, want 45\n%s", got, buf.String())
	}
}
