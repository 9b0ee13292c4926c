package vensim_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/vensim"
	"github.com/stockflow/stockflow/sim"
)

// macroControl runs from 0 to 2 in steps of 0.5, saving every 1.
const macroControl = `
FINAL TIME  = 2 ~ Month ~|
INITIAL TIME  = 0 ~ Month ~|
SAVEPER  = 1 ~ Month ~|
TIME STEP  = 0.5 ~ Month ~|
`

// TestMacros runs macros read from .mdl text (expanded by
// model.ExpandMacros) against values worked out by hand: a macro used
// before its definition, macros calling macros, each call owning its
// stock, and further outputs handed to the caller's names, in the model
// and inside another macro.
func TestMacros(t *testing.T) {
	m := read(t, `{UTF-8}
y = OUTER(2) ~~|
:MACRO: OUTER(r)
OUTER = ACC(r) * 2 ~~|
:END OF MACRO:
:MACRO: ACC(r)
ACC = INTEG(r, 0) ~~|
:END OF MACRO:
z = ACC(1) ~~|
:MACRO: SPLIT(x, f : rest)
SPLIT = x * f ~~|
rest = x * (1 - f) ~~|
:END OF MACRO:
a = SPLIT(10, 0.3 : b) ~~|
:MACRO: PAIR(x : half)
PAIR = x ~~|
half = x / 2 ~~|
:END OF MACRO:
:MACRO: USE(x)
USE = h + p ~~|
p = PAIR(x : h) ~~|
:END OF MACRO:
u = USE(4) ~~|
v = USE(10) ~~|
`+macroControl)
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(sim.Scenario{})
	if err != nil {
		t.Fatal(err)
	}
	// ACC integrates its input from 0: z = t, y = 2·(2t) = 4t. SPLIT:
	// a = 10·0.3, b = 10·0.7. USE(x) = x/2 + x.
	want := map[string][]float64{
		"y":             {0, 4, 8},
		"z":             {0, 1, 2},
		"ACC 1.ACC":     {0, 1, 2},
		"ACC 2.ACC":     {0, 2, 4},
		"a":             {3, 3, 3},
		"b":             {7, 7, 7},
		"SPLIT 1.rest":  {7, 7, 7},
		"u":             {6, 6, 6},
		"v":             {15, 15, 15},
		"USE 2.h":       {5, 5, 5},
		"PAIR 2.half":   {5, 5, 5},
		"OUTER 1.OUTER": {0, 4, 8},
	}
	got := make(map[string][]float64)
	for name := range want {
		got[name] = must(res.Series(name))
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("macro results mismatch (-want +got):\n%s", diff)
	}
}

// TestMacroErrors checks the mistakes in defining and calling macros,
// each at its place.
func TestMacroErrors(t *testing.T) {
	const defs = `{UTF-8}
:MACRO: M(a : o)
M = a ~~|
o = a * 2 ~~|
:END OF MACRO:
:MACRO: R(a)
R = S(a) ~~|
:END OF MACRO:
:MACRO: S(a)
S = R(a) + 1 ~~|
:END OF MACRO:
:MACRO: N(a)
q = a ~~|
:END OF MACRO:
`
	tests := []struct {
		name, src   string
		pos         string // line:col of the first error
		unsupported bool
		msg         string
	}{
		{"too many arguments", "x = M(1, 2) ~~|", "15:5", false, "the macro M takes 1 argument; found 2"},
		{"too few arguments", "x = M() ~~|", "15:5", false, "the macro M takes 1 argument; found 0"},
		{"too many outputs", "x = M(1 : p, q) ~~|", "15:5", false, "the macro M has 1 further output; the call names 2"},
		{"outputs inside an expression", "x = 1 + M(1 : p) ~~|", "15:9", true, "a call of the macro M that names outputs must be the whole equation of a variable"},
		{"output defined twice", "x = M(1 : p) ~~|\np = 3 ~~|", "15:11", false, "p is defined twice: it takes an output of the macro M"},
		{"recursion", "x = R(1) ~~|", "15:5", false, "the macro R (defined at bad.mdl:6:9) calls itself, directly or through other macros; recursive macros are not supported"},
		{"no output variable", "x = 1 ~~|", "12:9", false, "the macro N defines no variable N, its output"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := defs + tt.src + "\n" + macroControl
			if tt.name != "no output variable" {
				src = strings.Replace(src, ":MACRO: N(a)\nq = a", ":MACRO: N(a)\nN = a", 1)
			}
			_, err := vensim.Read("bad.mdl", strings.NewReader(src))
			var list model.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("Read() error = %v, want a model.ErrorList", err)
			}
			first := list[0]
			if got := first.Pos.String(); got != "bad.mdl:"+tt.pos {
				t.Errorf("first error at %s, want bad.mdl:%s (%v)", got, tt.pos, err)
			}
			if first.Msg != tt.msg {
				t.Errorf("first error = %q, want %q", first.Msg, tt.msg)
			}
			if got := errors.Is(first, vensim.ErrUnsupported); got != tt.unsupported {
				t.Errorf("errors.Is(err, ErrUnsupported) = %v, want %v", got, tt.unsupported)
			}
		})
	}
}
