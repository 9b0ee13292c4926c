package experiment_test

import (
	"math"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/sim/experiment"
)

// FuzzReadData checks that no input makes ReadData panic, and that what it
// accepts is well formed: ascending finite times, one value per time in
// every column.
func FuzzReadData(f *testing.F) {
	f.Add("time,x,y\n0,1,2\n1,,3\n2.5,4e3,-1\n")
	f.Add("\ufefftime,\"a,b\"\n0,1\n")
	f.Add("TIME,x\n1,2\n0,3\n")
	f.Fuzz(func(t *testing.T, src string) {
		d, err := experiment.ReadData("f.csv", strings.NewReader(src))
		if err != nil {
			return
		}
		for i, tm := range d.Times {
			if math.IsNaN(tm) || math.IsInf(tm, 0) || (i > 0 && tm <= d.Times[i-1]) {
				t.Fatalf("times %v", d.Times)
			}
		}
		for j, col := range d.Values {
			if len(col) != len(d.Times) {
				t.Fatalf("column %d has %d values for %d times", j, len(col), len(d.Times))
			}
		}
	})
}

// FuzzParseDist checks that no input makes ParseDist panic and that an
// accepted distribution gives finite quantiles.
func FuzzParseDist(f *testing.F) {
	for _, s := range []string{"uniform(0, 1)", "normal(1, 0.2)", "truncnormal(0, 1, -1, 2)", "triangular(0, 1, 2)", "lognormal(1, 0.5)", "fixed(3)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := experiment.ParseDist(s)
		if err != nil {
			return
		}
		for _, p := range []float64{1e-9, 0.25, 0.5, 0.75, 1 - 1e-9} {
			if q := d.Quantile(p); math.IsNaN(q) || math.IsInf(q, 0) {
				t.Fatalf("%s: Quantile(%g) = %g", s, p, q)
			}
		}
	})
}
