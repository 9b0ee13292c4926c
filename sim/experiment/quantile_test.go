package experiment

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestQuantilesExact checks the exact percentiles while every value is
// kept, up to and including the exactRuns-th: R's type 7.
func TestQuantilesExact(t *testing.T) {
	q := newQuantiles([]float64{0, 0.001, 0.5, 1})
	for i := exactRuns - 1; i >= 0; i-- {
		q.add(float64(i))
	}
	// Type 7 of 0, 1, ..., 999: percentile p is p·999.
	for i, want := range []float64{0, 0.999, 499.5, 999} {
		if got := q.value(i); math.Abs(got-want) > 1e-9 {
			t.Errorf("percentile %g of 0..999: %g, want %g", q.ps[i], got, want)
		}
	}
}

// TestQuantilesExtreme feeds P² percentiles close to 0 and 1, whose
// markers crowd the ends of the sample, and checks that they stay within
// the range of the data and near their true values.
func TestQuantilesExtreme(t *testing.T) {
	ps := []float64{0.0001, 0.001, 0.5, 0.999, 0.9999}
	for _, n := range []int{exactRuns + 1, 5000, 100000} {
		q := newQuantiles(ps)
		rng := rand.New(rand.NewPCG(1, uint64(n)))
		for range n {
			q.add(rng.Float64())
		}
		for i, p := range ps {
			got := q.value(i)
			// Four standard errors of a sample quantile, a little for P²,
			// and ten places in the sample, for the sparse values near its
			// ends (0.0001 of 1,001 values lies before the first).
			tol := 4*math.Sqrt(p*(1-p)/float64(n)) + 0.002 + 10/float64(n)
			if !(got >= 0 && got <= 1) || math.Abs(got-p) > tol {
				t.Errorf("n %d: percentile %g of U(0, 1) = %g", n, p, got)
			}
		}
	}
}

// TestQuantilesContinuous checks that a percentile does not jump when the
// summary goes over from exact values to P² estimates: one more value
// moves it by about one gap between neighbouring values, not more.
func TestQuantilesContinuous(t *testing.T) {
	ps := []float64{0.001, 0.05, 0.5, 0.95, 0.999}
	q := newQuantiles(ps)
	rng := rand.New(rand.NewPCG(7, 7))
	for range exactRuns {
		q.add(rng.NormFloat64())
	}
	before := make([]float64, len(ps))
	for i := range ps {
		before[i] = q.value(i)
	}
	q.add(rng.NormFloat64())
	for i, p := range ps {
		if d := math.Abs(q.value(i) - before[i]); d > 0.05 {
			t.Errorf("percentile %g moved by %g with the 1,001st value (%g to %g)", p, d, before[i], q.value(i))
		}
	}
}

// TestQuantilesBoundedMemory checks what keeps a study of any number of
// runs in bounded memory: past exactRuns values a summary holds five P²
// markers per percentile and no values.
func TestQuantilesBoundedMemory(t *testing.T) {
	q := newQuantiles([]float64{0.05, 0.5, 0.95})
	for i := range 100 * exactRuns {
		q.add(float64(i % 977))
		if i+1 == exactRuns && len(q.buf) != exactRuns {
			t.Fatalf("%d values kept after %d, want all", len(q.buf), exactRuns)
		}
	}
	if q.buf != nil || cap(q.buf) != 0 || len(q.p2) != 3 || q.n != 100*exactRuns {
		t.Errorf("after %d values: %d kept (cap %d), %d estimators, count %d", 100*exactRuns, len(q.buf), cap(q.buf), len(q.p2), q.n)
	}
}
