package experiment

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// TestSketchExact checks that a sketch of at most k values keeps them all
// and gives R's type 7 percentiles, up to and including the k-th value.
func TestSketchExact(t *testing.T) {
	ps := []float64{0, 0.001, 0.05, 0.5, 1}
	for _, tc := range []struct {
		name string
		n, k int
	}{
		{"one", 1, 8},
		{"below capacity", 999, 1000},
		{"at capacity", 1000, 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSketch(tc.k)
			for i := tc.n - 1; i >= 0; i-- {
				s.add(float64(i))
			}
			if !s.exact() || s.err != 0 || s.rankError() != 0 {
				t.Fatalf("a sketch of %d values with capacity %d compacted (error %d)", tc.n, tc.k, s.err)
			}
			got := make([]float64, len(ps))
			s.values(ps, got)
			for i, p := range ps {
				// Type 7 of 0, 1, ..., n−1: percentile p is p·(n−1).
				if want := p * float64(tc.n-1); math.Abs(got[i]-want) > 1e-9 {
					t.Errorf("percentile %g of 0..%d: %g, want %g", p, tc.n-1, got[i], want)
				}
			}
		})
	}
}

// TestSketchBound checks the documented bound: every percentile a
// compacted sketch gives lies between the exact percentiles whose ranks
// differ from its own by the sketch's error bound (plus one place, for the
// interpolation), and that bound is at most sketchBound(n, k)·n, however
// the values arrive and however sketches are merged.
func TestSketchBound(t *testing.T) {
	ps := []float64{0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		name   string
		n, k   int
		pieces int // merged from this many sketches
		order  string
	}{
		{"random", 20000, 256, 1, "random"},
		{"ascending", 20000, 256, 1, "ascending"},
		{"descending", 20000, 256, 1, "descending"},
		{"random merged from 4", 20000, 256, 4, "random"},
		{"ascending merged from 7", 30001, 128, 7, "ascending"},
		{"ties", 50000, 64, 3, "ties"},
		{"one over capacity", 257, 256, 1, "random"},
		{"many small pieces", 10000, 32, 100, "random"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			xs := make([]float64, tc.n)
			for i := range xs {
				switch tc.order {
				case "random":
					xs[i] = rng.NormFloat64()
				case "ascending":
					xs[i] = float64(i)
				case "descending":
					xs[i] = float64(tc.n - i)
				case "ties":
					xs[i] = float64(rng.IntN(50))
				}
			}
			var s *sketch
			for p := range tc.pieces {
				piece := newSketch(tc.k)
				for _, x := range xs[p*tc.n/tc.pieces : (p+1)*tc.n/tc.pieces] {
					piece.add(x)
				}
				if s == nil {
					s = piece
				} else {
					s.merge(piece)
				}
			}
			if s.n != uint64(tc.n) {
				t.Fatalf("%d values summarised, want %d", s.n, tc.n)
			}
			if bound := sketchBound(tc.n, tc.k); s.rankError() > bound {
				t.Errorf("rank error %g, over the documented bound %g", s.rankError(), bound)
			}
			for h, lv := range s.levels {
				if len(lv) > tc.k {
					t.Errorf("level %d holds %d values, over the capacity %d", h, len(lv), tc.k)
				}
			}
			sorted := slices.Clone(xs)
			slices.Sort(sorted)
			got := make([]float64, len(ps))
			s.values(ps, got)
			e := float64(s.err) + 1
			worst := 0.0 // the largest rank error seen, as a fraction of n
			for i, p := range ps {
				rank := float64(sort.SearchFloat64s(sorted, got[i]))
				worst = max(worst, math.Abs(rank-p*float64(tc.n-1))/float64(tc.n))
				r := p * float64(tc.n-1)
				lo := sorted[max(0, int(math.Floor(r-e)))]
				hi := sorted[min(tc.n-1, int(math.Ceil(r+e)))]
				if !(got[i] >= lo && got[i] <= hi) {
					t.Errorf("percentile %g: %g, outside [%g, %g] (rank error bound %d)", p, got[i], lo, hi, s.err)
				}
			}
			if testing.Verbose() {
				t.Logf("n %d, k %d: rank error %.2g%% seen, %.3g%% bound, %.3g%% documented bound, %d levels", tc.n, tc.k, 100*worst, 100*s.rankError(), 100*sketchBound(tc.n, tc.k), len(s.levels))
			}
		})
	}
}

// TestSketchMergeExact checks that merging exact sketches whose values
// still fit gives what one sketch of every value gives, bit for bit.
func TestSketchMergeExact(t *testing.T) {
	ps := []float64{0.05, 0.5, 0.95}
	rng := rand.New(rand.NewPCG(5, 6))
	whole := newSketch(1000)
	var parts []*sketch
	for range 4 {
		part := newSketch(1000)
		for range 250 {
			x := rng.ExpFloat64()
			whole.add(x)
			part.add(x)
		}
		parts = append(parts, part)
	}
	merged := newSketch(1000)
	for _, i := range []int{2, 0, 3, 1} {
		merged.merge(parts[i])
	}
	a, b := make([]float64, 3), make([]float64, 3)
	whole.values(ps, a)
	merged.values(ps, b)
	if !merged.exact() || !slices.Equal(a, b) {
		t.Errorf("merged %v (exact %v), whole %v", b, merged.exact(), a)
	}
}

// TestSketchBoundedMemory checks what keeps a study of any number of runs
// in bounded memory: a sketch holds at most k values per level and
// ⌊log₂(n/(k+1))⌋+2 levels.
func TestSketchBoundedMemory(t *testing.T) {
	const k, n = 100, 1000000
	s := newSketch(k)
	for i := range n {
		s.add(float64(i % 977))
	}
	held := 0
	for _, lv := range s.levels {
		held += len(lv)
	}
	maxLevels := int(math.Floor(math.Log2(float64(n)/(k+1)))) + 2
	if len(s.levels) > maxLevels || held > k*len(s.levels) {
		t.Errorf("%d values in %d levels after %d, want at most %d levels of %d", held, len(s.levels), n, maxLevels, k)
	}
}

// BenchmarkSketch adds 100,000 values to a sketch of capacity 2,048; the
// baseline keeps every value and sorts them once, which is what an exact
// percentile costs.
func BenchmarkSketch(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	xs := make([]float64, 100000)
	for i := range xs {
		xs[i] = rng.NormFloat64()
	}
	ps := []float64{0.05, 0.5, 0.95}
	out := make([]float64, len(ps))
	b.Run("sketch", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			s := newSketch(DefaultExact)
			for _, x := range xs {
				s.add(x)
			}
			s.values(ps, out)
		}
	})
	b.Run("sort all", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			all := append([]float64(nil), xs...)
			slices.Sort(all)
			for i, p := range ps {
				out[i] = Quantile(all, p)
			}
		}
	})
}
