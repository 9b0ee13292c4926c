package sim_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// TestCompileErrors pins the message and position of each error Compile
// reports, and checks that independent errors are all reported.
func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"undefined name", `
time: {stop: 1}
auxiliaries:
  contact_rate: 2
  infections: contact_rat * 3
`, []string{`test.yaml:5:15: undefined variable "contact_rat" (did you mean "contact_rate"?)`}},
		{"unknown function", `
time: {stop: 1}
auxiliaries:
  x: SQRTT(4) + 1
`, []string{`test.yaml:4:6: unknown function "SQRTT" (did you mean "SQRT"?)`}},
		{"mistyped macro", `
time: {stop: 1}
macros:
  doubled:
    parameters: [x]
    equation: 2 * x
auxiliaries:
  y: doubled(1)
  z: doubeld(2)
`, []string{`test.yaml:9:6: unknown function "doubeld" (did you mean "doubled"?)`}},
		{"wrong argument count", `
time: {stop: 1}
auxiliaries:
  x: ABS(1, 2)
  y: SAFEDIV(1)
  z: MIN()
`, []string{
			`test.yaml:4:6: ABS takes 1 argument, not 2 (ABS(x))`,
			`test.yaml:5:6: SAFEDIV takes 2 or 3 arguments, not 1 (SAFEDIV(a, b[, x]))`,
			`test.yaml:6:6: MIN takes at least 1 argument, not 0 (MIN(x, ...))`,
		}},
		{"lookup arguments", `
time: {stop: 1}
auxiliaries:
  x: effect(1, 2)
  y: effect + 1
  z: LOOKUP(y, 1)
  w: LOOKUP(effect)
lookups:
  effect: {points: [[0, 0], [1, 1]]}
`, []string{
			`test.yaml:4:6: lookup "effect" takes 1 argument, not 2`,
			`test.yaml:5:6: lookup "effect" must be called with an argument, as effect(x)`,
			`test.yaml:6:13: the first argument of LOOKUP must name a lookup, not y`,
			`test.yaml:7:6: LOOKUP takes 2 arguments, not 1 (LOOKUP(table, x))`,
		}},
		{"algebraic loop", `
time: {stop: 1}
auxiliaries:
  a: b + 1
  b: c * 2
  c: a - 1
  d: d
`, []string{
			`test.yaml:4:6: algebraic loop: "a" (4:6) → "c" (6:6) → "b" (5:6) → "a"`,
			`test.yaml:7:6: algebraic loop: "d" (7:6) → "d"`,
		}},
		{"initialisation loop", `
time: {stop: 1}
stocks:
  s: {initial: x}
auxiliaries:
  x: s * 2
`, []string{`test.yaml:4:16: initialisation loop: "s" (4:16) → "x" (6:6) → "s"`}},
		{"range and uncertainty", `
time: {stop: 1}
stocks:
  s: {initial: 1, inflows: [f], range: [0, 10], uncertainty: "uniform(0, 2)"}
flows:
  f: {equation: s * rate, uncertainty: "uniform(0, 1)"}
auxiliaries:
  rate: {equation: 0.1, range: [0, 1]}
scenarios:
  high: {set: {rate: 2}}
`, []string{
			`test.yaml:6:41: "f" declares an uncertainty but is not a constant (its value changes during a run)`,
			`test.yaml:10:16: scenario "high": rate = 2 is outside the range of "rate", [0, 1]`,
		}},
		{"syntax error", `
time: {stop: 1}
auxiliaries:
  x: 1 +
  y: (2
`, []string{
			`test.yaml:4:9: expected an expression but found end of equation`,
			`test.yaml:5:8: expected ")" but found end of equation`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := model.Load("test.yaml", []byte(tt.src))
			if err == nil {
				_, err = sim.Compile(m)
			}
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

func TestAlgebraicLoopErrorAs(t *testing.T) {
	m, err := model.Load("test.yaml", []byte("time: {stop: 1}\nauxiliaries:\n  a: b\n  b: a\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = sim.Compile(m)
	var loop *sim.AlgebraicLoopError
	if !errors.As(err, &loop) {
		t.Fatalf("got %v, want an *AlgebraicLoopError", err)
	}
	want := []sim.LoopVar{
		{Name: "a", Pos: model.Position{File: "test.yaml", Line: 3, Col: 6}},
		{Name: "b", Pos: model.Position{File: "test.yaml", Line: 4, Col: 6}},
	}
	if diff := cmp.Diff(want, loop.Vars); diff != "" {
		t.Errorf("loop mismatch (-want +got):\n%s", diff)
	}
}
