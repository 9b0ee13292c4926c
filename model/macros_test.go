package model_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// series runs a model and returns the series of the named variables.
func series(t *testing.T, m *model.Model, names ...string) map[string][]float64 {
	t.Helper()
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatalf("Compile(%s) error = %v", m.File, err)
	}
	res, err := p.Run(sim.Scenario{})
	if err != nil {
		t.Fatalf("Run(%s) error = %v", m.File, err)
	}
	out := make(map[string][]float64, len(names))
	for _, n := range names {
		if out[n], err = res.Series(n); err != nil {
			t.Fatalf("%s: %v", m.File, err)
		}
	}
	return out
}

// TestYAMLMacroTwiceEqualsFlat runs a model that calls a macro with its
// own stock twice (one call leaving out a parameter with a default) and
// the same model written flat: the caller's variables take the same
// values, so each call owns its stock.
func TestYAMLMacroTwiceEqualsFlat(t *testing.T) {
	withMacro, err := model.LoadFile("../testdata/macros/smoothing.yaml")
	if err != nil {
		t.Fatal(err)
	}
	flat, err := model.LoadFile("../testdata/macros/smoothing_flat.yaml")
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"demand", "quick forecast", "slow forecast", "gap"}
	want, got := series(t, flat, names...), series(t, withMacro, names...)
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("the model with a macro differs from the flat one (-flat +macro):\n%s", diff)
	}
	// The two forecasts differ after the step: the copies are separate.
	if q, s := got["quick forecast"][60], got["slow forecast"][60]; q == s {
		t.Errorf("quick and slow forecasts are equal at time 15 (%g): the calls share a stock", q)
	}
	for _, name := range []string{"smoothed 1.level", "smoothed 2.level"} {
		if v := withMacro.Var(name); v == nil || v.Kind != model.Stock {
			t.Errorf("Var(%q) = %v, want the stock of one call", name, v)
		}
	}
}

// TestYAMLMacroErrors checks the mistakes in defining and calling a
// macro in YAML, each at its place in the file.
func TestYAMLMacroErrors(t *testing.T) {
	const head = "time: {start: 0, stop: 1}\nmacros:\n"
	const twice = "  twice:\n    parameters: [x]\n    equation: 2 * x\n"
	tests := []struct {
		name, src string
		want      string // the first error: line:col: message
	}{
		{"too many arguments", head + twice + "auxiliaries:\n  a: 1 + twice(1, 2)\n",
			`7:10: the macro twice takes 1 argument; found 2`},
		{"too few arguments", head + twice + "auxiliaries:\n  a: twice()\n",
			`7:6: the macro twice takes 1 argument; found 0`},
		{"unknown parameter", head + "  twice:\n    parameters: [x]\n    equation: 2 * y\n",
			`5:19: unknown name "y" in the macro "twice": expected one of its parameters or variables (a macro sees only those)`},
		{"a model variable is not seen", head + "  twice:\n    parameters: [x]\n    equation: 2 * a\nauxiliaries:\n  a: twice(1)\n",
			`5:19: unknown name "a" in the macro "twice": expected one of its parameters or variables (a macro sees only those)`},
		{"recursion", head + "  ping:\n    parameters: [x]\n    equation: pong(x)\n  pong:\n    parameters: [x]\n    equation: ping(x) + 1\nauxiliaries:\n  a: ping(1)\n",
			`10:6: the macro ping (defined at m.yaml:3:3) calls itself, directly or through other macros; recursive macros are not supported`},
		{"no equation", head + "  twice:\n    parameters: [x]\n",
			`3:3: macro "twice" has no equation (its result)`},
		{"unknown key", head + "  twice:\n    parameter: [x]\n    equation: 2\n",
			`4:5: unknown key "parameter" in macro "twice" (did you mean "parameters"?) (expected one of auxiliaries, doc, equation, flows, lookups, parameters, stocks)`},
		{"default before none", head + "  f:\n    parameters: [{name: a, default: 1}, b]\n    equation: a + b\n",
			`4:41: the parameter "b" of macro "f" follows one with a default and has none`},
		{"name of a variable", head + twice + "auxiliaries:\n  twice: 1\n",
			`3:3: the macro "twice" has the name of a variable (defined at m.yaml:7:3)`},
		{"name of a function", head + "  max:\n    parameters: [x]\n    equation: x\n",
			`3:3: the macro "max" has the name of a built-in function`},
		{"parameter that is a variable", head + "  f:\n    parameters: [x]\n    equation: x\n    auxiliaries:\n      x: 1\n",
			`7:7: x is a parameter of the macro "f" and cannot also be one of its variables`},
		{"subscripted call", "time: {start: 0, stop: 1}\ndimensions: {d: [p, q]}\nmacros:\n" + twice + "auxiliaries:\n  a: {dims: [d], equation: twice(1)}\n",
			`8:28: the macro twice is called in the equation of the arrayed a; macros are expanded only in scalar equations`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := model.Load("m.yaml", []byte(tt.src))
			var el model.ErrorList
			if !errors.As(err, &el) || len(el) == 0 {
				t.Fatalf("Load() error = %v, want a model.ErrorList", err)
			}
			got := strings.TrimPrefix(el[0].Pos.String(), "m.yaml:") + ": " + el[0].Msg
			if got != tt.want {
				t.Errorf("Load() first error =\n%s\nwant\n%s\n(all: %v)", got, tt.want, err)
			}
		})
	}
}

// TestExpandMacrosOutputs checks Vensim's further outputs: the variables
// a call names take the outputs of its copy, and outputs named where no
// macro is called are an error at the place that names them.
func TestExpandMacrosOutputs(t *testing.T) {
	eq := func(text string) model.Equation {
		e, err := model.NewEquation(text, model.Position{File: "m", Line: 1, Col: 1}, 0)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	newModel := func() (*model.Model, []*model.Macro) {
		m := &model.Model{Vars: []*model.Variable{
			{Kind: model.Aux, Name: "x", Equation: eq("SPLIT(10)")},
			{Kind: model.Aux, Name: "z", Equation: eq("1")},
		}}
		mac := &model.Macro{Name: "SPLIT", Params: []model.MacroParam{{Name: "a"}}, Outputs: []string{"rest"},
			Body: &model.Model{Vars: []*model.Variable{
				{Kind: model.Aux, Name: "SPLIT", Equation: eq("a * 0.3")},
				{Kind: model.Aux, Name: "rest", Equation: eq("a - SPLIT")},
			}}}
		return m, []*model.Macro{mac}
	}
	m, macros := newModel()
	at := model.Position{File: "m", Line: 1, Col: 12}
	if err := model.ExpandMacros(m, macros, model.MacroOutputs{Var: "x", Names: []string{"y"}, Pos: at}); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, name := range []string{"x", "y", "SPLIT 1.rest", "SPLIT 1.a"} {
		if v := m.Var(name); v != nil {
			got[name] = v.Equation.Text
		}
	}
	want := map[string]string{"x": `"SPLIT 1".SPLIT`, "y": `"SPLIT 1".rest`, "SPLIT 1.rest": `"SPLIT 1".a - "SPLIT 1".SPLIT`, "SPLIT 1.a": "10"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ExpandMacros() mismatch (-want +got):\n%s", diff)
	}

	m, macros = newModel()
	err := model.ExpandMacros(m, macros, model.MacroOutputs{Var: "z", Names: []string{"y"}, Pos: at})
	var el model.ErrorList
	if !errors.As(err, &el) || len(el) != 1 || el[0].Pos != at || el[0].Msg != "z names macro outputs (y), but its equation is not a call of a macro" {
		t.Errorf("ExpandMacros() error = %v, want one at %s saying z's equation is not a call", err, at)
	}
}
