package sim_test

import (
	"math"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// scalarName maps an element's output name to the name of its copy in
// the model written as scalars: customers[smb] is customers_smb.
func scalarName(name string) string {
	name = strings.ReplaceAll(name, "[", "_")
	name = strings.ReplaceAll(name, ",", "_")
	return strings.TrimSuffix(name, "]")
}

// TestArraysEqualScalars checks that the arrayed model of three segments
// computes what the same model written as three scalar copies computes,
// to 1e-12, under every method.
func TestArraysEqualScalars(t *testing.T) {
	arrayed, err := model.LoadFile("../testdata/arrays/segments.yaml")
	if err != nil {
		t.Fatal(err)
	}
	scalar, err := model.LoadFile("../testdata/arrays/segments_scalar.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pa, err := sim.Compile(arrayed)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := sim.Compile(scalar)
	if err != nil {
		t.Fatal(err)
	}
	for _, method := range []model.Method{model.Euler, model.RK2, model.RK4} {
		t.Run(method.String(), func(t *testing.T) {
			ra, err := pa.Run(sim.Scenario{Method: method})
			if err != nil {
				t.Fatal(err)
			}
			rs, err := ps.Run(sim.Scenario{Method: method})
			if err != nil {
				t.Fatal(err)
			}
			if len(ra.Names) != len(rs.Names) {
				t.Fatalf("%d columns, want %d: %v", len(ra.Names), len(rs.Names), ra.Names)
			}
			for _, name := range ra.Names {
				a, s := must(ra.Series(name)), must(rs.Series(scalarName(name)))
				if a == nil || s == nil {
					t.Fatalf("column %q: arrayed %v, scalar %v", name, a != nil, s != nil)
				}
				for i := range a {
					if d := math.Abs(a[i] - s[i]); d > 1e-12*math.Max(1, math.Abs(s[i])) {
						t.Errorf("%s at row %d = %.15g, scalar copy %.15g", name, i, a[i], s[i])
						break
					}
				}
			}
		})
	}
}

// TestArrayMapping checks a mapping by element list: a1 stands for b2 and
// a2 for b1, so x[a] = y[a] reads y backwards.
func TestArrayMapping(t *testing.T) {
	m, err := model.Load("m.yaml", []byte(`time: {stop: 1}
dimensions:
  b: [b1, b2]
  a: {elements: [a1, a2], maps_to: {b: [b2, b1]}}
auxiliaries:
  y: {dims: [b], elements: {b1: 10, b2: 20}}
  x: {dims: [a], equation: "y[a]"}
`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(sim.Scenario{})
	if err != nil {
		t.Fatal(err)
	}
	if a1, a2 := must(res.Final("x[a1]")), must(res.Final("x[a2]")); a1 != 20 || a2 != 10 {
		t.Errorf("x[a1], x[a2] = %g, %g, want 20, 10", a1, a2)
	}
}
