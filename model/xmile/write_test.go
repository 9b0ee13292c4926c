package xmile_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/expr"
	"github.com/stockflow/stockflow/model/xmile"
	"github.com/stockflow/stockflow/sim"
)

// sameModel compares models field by field, leaving out positions and
// comparing equation trees as printed.
var sameModel = cmp.Options{
	cmpopts.IgnoreTypes(model.Position{}),
	cmpopts.IgnoreUnexported(model.Equation{}),
	cmp.Comparer(func(a, b expr.Expr) bool {
		if a == nil || b == nil {
			return a == nil && b == nil
		}
		return expr.Format(a) == expr.Format(b)
	}),
}

// roundTrip writes m and reads it back under the same file name.
func roundTrip(t *testing.T, m *model.Model) (*model.Model, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := xmile.Write(&buf, m); err != nil {
		t.Fatalf("Write() error: %v", err)
	}
	got, err := xmile.Read(m.File, bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("Read() of what Write wrote: %v\n%s", err, buf.String())
	}
	return got, buf.String()
}

// TestWriteConformance writes every Tier A file out and reads it back: the
// model and its results must be the same.
func TestWriteConformance(t *testing.T) {
	for _, file := range tierA {
		t.Run(file, func(t *testing.T) {
			m, err := xmile.ReadFile(filepath.Join(conformanceDir, file))
			if err != nil {
				t.Fatal(err)
			}
			got, text := roundTrip(t, m)
			if diff := cmp.Diff(m, got, sameModel); diff != "" {
				t.Fatalf("Read(Write()) mismatch (-want +got):\n%s\n%s", diff, text)
			}
			want, res := run(t, m), run(t, got)
			if diff := cmp.Diff(want, res, cmpopts.EquateNaNs()); diff != "" {
				t.Errorf("results mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func run(t *testing.T, m *model.Model) *sim.Result {
	t.Helper()
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(sim.Scenario{AllowNonFinite: true})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestWriteRoundTrip writes models that use every part of the model and
// reads them back.
func TestWriteRoundTrip(t *testing.T) {
	for _, tt := range roundTripModels {
		t.Run(tt.name, func(t *testing.T) {
			m, err := model.Load("m.yaml", []byte(tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			got, text := roundTrip(t, m)
			trimText(m)
			if diff := cmp.Diff(m, got, sameModel); diff != "" {
				t.Errorf("Read(Write()) mismatch (-want +got):\n%s\n%s", diff, text)
			}
		})
	}
}

// trimText removes the white space around the text of a model, which
// Read drops.
func trimText(m *model.Model) {
	trim := func(s *string) { *s = strings.TrimSpace(*s) }
	trim(&m.Name)
	trim(&m.Doc)
	trim(&m.Time.Units)
	lookup := func(l *model.Lookup) {
		if l != nil {
			trim(&l.Units)
			trim(&l.Doc)
		}
	}
	for _, v := range m.Vars {
		trim(&v.Equation.Text)
		trim(&v.Units)
		trim(&v.Doc)
		lookup(v.Lookup)
	}
	for _, l := range m.Lookups {
		lookup(l)
	}
	for _, s := range m.Scenarios {
		trim(&s.Doc)
		for _, l := range s.Lookups {
			lookup(l)
		}
	}
	for _, l := range m.Loops {
		trim(&l.Doc)
	}
}

// roundTripModels use every part of a model, with names and text that need
// quoting in YAML or escaping in XML.
var roundTripModels = []struct {
	name string
	yaml string
}{
	{"teacup", `
name: teacup
doc: "Newton's law of cooling: <tea> & \"cup\"."
time: {start: 0, stop: 30, dt: 0.125, save_every: 1, method: rk4, units: minute}
stocks:
  teacup_temperature:
    initial: 180
    outflows: [heat_loss_to_room]
    units: degF
    non_negative: true
    doc: Temperature of the tea.
flows:
  heat_loss_to_room:
    equation: (teacup_temperature - room_temperature) / characteristic_time
    units: degF/minute
    non_negative: true
auxiliaries:
  room_temperature: {equation: 70, units: degF}
  characteristic_time: 10
`},
	{"names", `
time: {stop: 2, method: rk2}
stocks:
  "Stock with spaces": {initial: 1, inflows: ["Flow w/ division, lists"], outflows: ["Flow*with ^ chars"]}
  "Tab	and \"quote\"": 0
flows:
  "Flow w/ division, lists": '"Aux with $peC!@| characters" * 2'
  "Flow*with ^ chars": "IF TIME > 1 THEN 1 ELSE 0"
auxiliaries:
  "Aux with $peC!@| characters": 21
  Ünïcödé: 3
`},
	{"lookups", `
time: {stop: 10}
auxiliaries:
  a: {equation: TIME, lookup: {points: [[0, 1], [5, 2.5], [10, -1e-07]], mode: extrapolate, units: widgets, doc: Inline.}}
  b: steps(TIME) + ramp(TIME)
flows:
  f: {equation: TIME / 2, lookup: {points: [[0, 0], [1, 1]], mode: discrete}}
stocks:
  s: {initial: 0, inflows: [f]}
lookups:
  steps: {points: [[0, 0], [1, 1], [2, 1]], mode: discrete, units: "1", doc: Steps.}
  ramp: {points: [[0, 0], [10, 1]]}
`},
	{"scenarios and loops", `
time: {stop: 5}
stocks:
  s: {initial: 1, inflows: [growth]}
flows:
  growth: s * rate
auxiliaries:
  rate: 0.1
lookups:
  t: {points: [[0, 0], [1, 1]]}
scenarios:
  fast: {doc: Faster growth., set: {rate: 0.3}}
  table: {lookups: {t: {points: [[0, 1], [1, 0]], mode: extrapolate}}}
loops:
  growth loop: {doc: Compounding., variables: [s, growth]}
  short: [growth, s]
`},
	{"text", `
name: "true"
doc: |
  Two lines,
  the second with a colon: here.
time: {stop: 1, units: "null"}
auxiliaries:
  "1.5": {equation: "2", doc: "# not a comment"}
  "*star": {equation: '"1.5" + "&amp"', units: "- dash"}
  "&amp": {equation: " 3 ", units: "{braces}"}
  "~": |
    1 +
      2
  "multi": {equation: "4", doc: "ends with a newline\n"}
`},
}

// TestWriteEquationTree writes an equation that has a tree but no text, as
// a program may build it.
func TestWriteEquationTree(t *testing.T) {
	m := &model.Model{
		File: "m.xmile",
		Time: model.Time{Stop: 1, DT: 1, Method: model.Euler},
		Vars: []*model.Variable{{Kind: model.Aux, Name: "x", Equation: model.Equation{Expr: &expr.Binary{Op: expr.Add, X: &expr.Number{Value: 1}, Y: &expr.Ident{Name: "TIME"}}}}},
	}
	got, _ := roundTrip(t, m)
	if s := got.Vars[0].Equation.Text; s != "1 + TIME" {
		t.Errorf("equation text = %q, want %q", s, "1 + TIME")
	}
}

// TestWriteInvalid checks that Write refuses text XML cannot hold.
func TestWriteInvalid(t *testing.T) {
	for _, name := range []string{"bell\a", "bad\xffutf8"} {
		m := &model.Model{Time: model.Time{Stop: 1, DT: 1}, Vars: []*model.Variable{{Kind: model.Aux, Name: name, Equation: model.MustEquation("1")}}}
		var buf bytes.Buffer
		err := xmile.Write(&buf, m)
		if err == nil || !strings.HasPrefix(err.Error(), "xmile: ") {
			t.Errorf("Write(%q) error = %v, want an xmile: error", name, err)
		}
	}
	if err := xmile.Write(failWriter{}, &model.Model{}); !errors.Is(err, errWrite) {
		t.Errorf("Write() to a failing writer: error = %v, want %v", err, errWrite)
	}
}

var errWrite = errors.New("disk full")

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errWrite }

// TestRangesAndUncertainty checks that ranges (with their steps) and
// uncertainties survive a write and read, that a plain <range> is read,
// and that a variable without one takes the range of its slider.
func TestRangesAndUncertainty(t *testing.T) {
	src := `
name: ranged
time: {stop: 1}
auxiliaries:
  share:
    equation: 0.3
    range: [0, 1, 0.05]
    uncertainty: triangular(0.1, 0.3, 0.6)
  cost: {equation: 100, range: [50, 200]}
`
	m, err := model.Load("ranged.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got, text := roundTrip(t, m)
	if diff := cmp.Diff(m, got, sameModel); diff != "" {
		t.Fatalf("Read(Write()) mismatch (-want +got):\n%s\n%s", diff, text)
	}
	if !strings.Contains(text, `<range min="0" max="1"`) {
		t.Errorf("no XMILE <range> in\n%s", text)
	}

	stella := `<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
<sim_specs><start>0</start><stop>1</stop></sim_specs>
<model>
<variables>
<aux name="Contact Rate"><eqn>2</eqn></aux>
<aux name="own"><eqn>5</eqn><range min="1" max="10"/></aux>
</variables>
<views><view><slider x="1" y="2" min="0.5" max="4"><entity name="Contact_Rate"/></slider>
<slider min="0" max="100"><entity name="own"/></slider></view></views>
</model>
</xmile>`
	sm, err := xmile.Read("s.xmile", strings.NewReader(stella))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		min, max float64
	}{{"Contact Rate", 0.5, 4}, {"own", 1, 10}} {
		r := sm.Var(tc.name).Range
		if r == nil || r.Min != tc.min || r.Max != tc.max {
			t.Errorf("range of %q = %v, want [%g, %g]", tc.name, r, tc.min, tc.max)
		}
	}
}
