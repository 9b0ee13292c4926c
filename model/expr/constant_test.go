package expr_test

import (
	"math"
	"testing"

	"github.com/stockflow/stockflow/model/expr"
)

func TestConstant(t *testing.T) {
	names := map[string]float64{"k": 4, "half": 0.5}
	ident := func(n string) (float64, bool) { x, ok := names[n]; return x, ok }
	for _, tc := range []struct {
		src  string
		want float64
		ok   bool
	}{
		{"1 + 2 * 3", 7, true},
		{"-(2 - 5) / 2", 1.5, true},
		{"+3", 3, true},
		{"k * half - 1", 1, true},
		{"k / 0", math.Inf(1), true},
		{"k * unknown", 0, false},
		{"2 ^ 3", 0, false},
		{"7 mod 2", 0, false},
		{"1 < 2", 0, false},
		{"not 1", 0, false},
		{"MAX(1, 2)", 0, false},
		{"IF 1 THEN 2 ELSE 3", 0, false},
	} {
		e, err := expr.Parse(tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		got, ok := expr.Constant(e, ident)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("Constant(%s) = %g, %v; want %g, %v", tc.src, got, ok, tc.want, tc.ok)
		}
	}
	e, _ := expr.Parse("k + 1")
	if _, ok := expr.Constant(e, nil); ok {
		t.Error("a name is a constant without an ident function")
	}
}
