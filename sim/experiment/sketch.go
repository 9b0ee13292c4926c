package experiment

import (
	"math"
	"math/bits"
	"slices"
)

// DefaultExact is the number of runs whose values a sensitivity study
// keeps exactly, at each saved time of each variable, when it is not told
// otherwise; beyond it the values are compacted into a sketch.
const DefaultExact = 2048

// sketch summarises a stream of values so that its percentiles can be
// read and two sketches of disjoint streams merge into the sketch of both.
//
// It is a hierarchy of compactors (Manku, Rajagopalan and Lindsay, SIGMOD
// 1998; the mergeable form of Agarwal et al., "Mergeable summaries", ACM
// TODS 38(4), 2013). Level h holds values that each stand for 2^h values
// of the stream. Values enter level 0. When a level holds more than k
// values it is sorted and compacted: every other value, starting from the
// first or the second (alternately, from one compaction of the level to
// the next), moves up a level with twice the weight; an odd one out, the
// largest, stays. While the stream has at most k values nothing is
// compacted and the sketch holds every value: percentiles are exact.
//
// A compaction of level h changes the count of values at or below any x
// by at most 2^h, so the sketch knows a bound on its own error: err, the
// sum of 2^h over its compactions, bounds the difference between the
// rank of any value in the sketch and in the stream. Each compaction of
// level h takes at least k values of weight 2^h, and the stream has n in
// all, so level h compacts at most n/(k·2^h) times and adds at most n/k;
// a level is compacted only once it has received more than k values, so
// at most ⌊log₂(n/(k+1))⌋+1 levels are. Hence err ≤ (⌊log₂(n/(k+1))⌋+1)·n/k,
// whatever the order of the values and however the sketches were merged.
type sketch struct {
	k        int
	n        uint64 // values summarised
	min, max float64
	levels   [][]float64 // levels[h] holds values of weight 2^h
	compacts []uint64    // compactions of each level so far
	err      uint64      // Σ 2^h over the compactions: the rank error bound
	sorted   bool        // levels[0] is sorted
}

func newSketch(k int) *sketch {
	return &sketch{k: k, min: math.Inf(1), max: math.Inf(-1), levels: [][]float64{nil}, compacts: []uint64{0}, sorted: true}
}

func (s *sketch) add(x float64) {
	s.n++
	s.min, s.max = math.Min(s.min, x), math.Max(s.max, x)
	s.levels[0] = append(s.levels[0], x)
	s.sorted = false
	if len(s.levels[0]) > s.k {
		s.compact(0)
	}
}

// exact reports whether the sketch holds every value of its stream.
func (s *sketch) exact() bool { return len(s.levels) == 1 }

// compact compacts level h and, in turn, any level above it that
// overflows.
func (s *sketch) compact(h int) {
	for ; h < len(s.levels) && len(s.levels[h]) > s.k; h++ {
		lv := s.levels[h]
		slices.Sort(lv)
		if h+1 == len(s.levels) {
			s.levels = append(s.levels, nil)
			s.compacts = append(s.compacts, 0)
		}
		m := len(lv) &^ 1 // an even number of values; the largest may stay
		up := s.levels[h+1]
		for i := int(s.compacts[h] & 1); i < m; i += 2 {
			up = append(up, lv[i])
		}
		s.levels[h+1] = up
		rest := copy(lv, lv[m:])
		s.levels[h] = lv[:rest]
		s.compacts[h]++
		s.err += 1 << h
	}
	s.sorted = len(s.levels[0]) <= 1
}

// merge adds the values of t to s; t is left as it was.
func (s *sketch) merge(t *sketch) {
	s.n += t.n
	s.min, s.max = math.Min(s.min, t.min), math.Max(s.max, t.max)
	s.err += t.err
	for h, lv := range t.levels {
		if h == len(s.levels) {
			s.levels = append(s.levels, nil)
			s.compacts = append(s.compacts, 0)
		}
		s.levels[h] = append(s.levels[h], lv...)
		s.compacts[h] += t.compacts[h]
	}
	s.sorted = false
	for h := range s.levels {
		if len(s.levels[h]) > s.k {
			s.compact(h)
		}
	}
}

// rankError returns the bound on the error of a rank, as a fraction of the
// values summarised: 0 while the sketch is exact.
func (s *sketch) rankError() float64 {
	if s.n == 0 {
		return 0
	}
	return float64(s.err) / float64(s.n)
}

// values returns the percentiles ps (in [0, 1], ascending) of the values
// summarised. Exact values give R's type 7 (Quantile). A compacted
// sketch gives the same definition over its values, each repeated as many
// times as it weighs. Quantiles 0 and 1 are always the exact minimum
// and maximum; an empty sketch gives NaN.
func (s *sketch) values(ps []float64, out []float64) {
	for i := range ps {
		out[i] = math.NaN()
	}
	if s.n == 0 {
		return
	}
	if s.exact() {
		if !s.sorted {
			slices.Sort(s.levels[0])
			s.sorted = true
		}
		for i, p := range ps {
			out[i] = Quantile(s.levels[0], p)
		}
	} else {
		type item struct {
			x float64
			w uint64
		}
		var items []item
		for h, lv := range s.levels {
			for _, x := range lv {
				items = append(items, item{x, 1 << h})
			}
		}
		slices.SortFunc(items, func(a, b item) int {
			switch {
			case a.x < b.x:
				return -1
			case a.x > b.x:
				return 1
			}
			return 0
		})
		// ends[j] is the 0-based position just past item j in the
		// sequence of values repeated by their weights.
		ends := make([]uint64, len(items))
		var cum uint64
		for j, it := range items {
			cum += it.w
			ends[j] = cum
		}
		at := func(r uint64) float64 {
			j, _ := slices.BinarySearch(ends, r+1)
			return items[min(j, len(items)-1)].x
		}
		for i, p := range ps {
			h := p * float64(s.n-1)
			lo := uint64(h)
			x := at(lo)
			if lo+1 < s.n {
				x += (h - float64(lo)) * (at(lo+1) - x)
			}
			out[i] = x
		}
	}
	for i, p := range ps {
		switch p {
		case 0:
			out[i] = s.min
		case 1:
			out[i] = s.max
		}
	}
}

// sketchBound is the bound on a sketch's rank error, as a fraction of n,
// that holds for any stream of n values summarised with capacity k:
// (⌊log₂(n/(k+1))⌋+1)/k, and 0 when n ≤ k.
func sketchBound(n, k int) float64 {
	if n <= k {
		return 0
	}
	levels := bits.Len64(uint64(n / (k + 1))) // ⌊log₂(n/(k+1))⌋+1
	return float64(levels) / float64(k)
}

// Quantile returns quantile p (a fraction in [0, 1]: 0.95 is the 95th
// percentile) of values sorted in ascending order, interpolating linearly
// between order statistics (R's type 7, NumPy's default): the definition
// a Summary uses while it keeps every value.
func Quantile(xs []float64, p float64) float64 {
	h := p * float64(len(xs)-1)
	lo := int(h)
	if lo+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[lo] + (h-float64(lo))*(xs[lo+1]-xs[lo])
}
