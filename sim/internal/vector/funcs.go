package vector

import (
	"math"
	"sort"
)

// This file is the only source of these functions: package sim calls
// them and the code generator copies the file into every program it
// writes, so it imports nothing but math and sort.

// Rank is RANK: xs[0] is the rank n, the rest the array.
func Rank(xs []float64) float64 {
	n, a := int(math.Round(xs[0])), xs[1:]
	if n < 1 || n > len(a) {
		return 0
	}
	idx := make([]int, len(a))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return a[idx[i]] < a[idx[j]] })
	return float64(idx[n-1] + 1)
}

// ElmMap is VECTOR ELM MAP: xs[0] the offset, xs[1] the base position, the rest the array.
func ElmMap(xs []float64) float64 {
	i := int(xs[1]) + int(math.Floor(xs[0]))
	a := xs[2:]
	if i < 0 || i >= len(a) || math.IsNaN(xs[0]) {
		return math.NaN()
	}
	return a[i]
}

// SortOrder is VECTOR SORT ORDER: xs[0] the position p, xs[1] the direction, the rest the array.
func SortOrder(xs []float64) float64 {
	p, dir, a := int(xs[0]), xs[1], xs[2:]
	idx := make([]int, len(a))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool {
		if dir > 0 {
			return a[idx[i]] < a[idx[j]]
		}
		return a[idx[i]] > a[idx[j]]
	})
	if p < 0 || p >= len(idx) {
		return math.NaN()
	}
	return float64(idx[p])
}

// Select is VECTOR SELECT: xs[0] the value when nothing is selected, xs[1] the action,
// then the selections and the values, as many of each.
func Select(xs []float64) float64 {
	missing, action := xs[0], int(xs[1])
	rest := xs[2:]
	k := len(rest) / 2
	sel, val := rest[:k], rest[k:]
	acc, any := 0.0, false
	for i := range sel {
		if sel[i] == 0 {
			continue
		}
		x := val[i]
		switch {
		case !any:
			acc = x
		case action == 1:
			acc *= x
		case action == 2:
			acc = math.Min(acc, x)
		case action == 3:
			acc = math.Max(acc, x)
		default:
			acc += x
		}
		any = true
	}
	if !any {
		return missing
	}
	return acc
}

// This file evaluates what model.Flatten makes of Vensim's ALLOCATE BY
// PRIORITY, ALLOCATE AVAILABLE, INVERT MATRIX and VECTOR RANK: functions
// of every element of their arrays that return one element of the result.

// The priority profiles of ALLOCATE AVAILABLE, by ptype.
const (
	profileRectangular = 1 // uniform over [priority - width/2, priority + width/2]
	profileTriangular  = 2 // symmetric triangle over the same span
	profileNormal      = 3 // normal, mean priority and standard deviation width
	profileExponential = 4 // Laplace (double exponential), scale width
)

// profile is one requester's priority profile: the share of its request it
// receives when the allocation's priority level is x is 1 − F(x), F the
// profile's cumulative distribution.
type profile struct {
	kind            int
	priority, width float64
}

// share returns the part of its request the requester receives at level x.
func (p profile) share(x float64) float64 {
	w := p.width
	d := x - p.priority
	switch p.kind {
	case profileRectangular:
		return clamp01(0.5 - d/w)
	case profileTriangular:
		h := w / 2
		switch {
		case d <= -h:
			return 1
		case d >= h:
			return 0
		case d <= 0:
			return 1 - (d+h)*(d+h)/(2*h*h)
		default:
			return (h - d) * (h - d) / (2 * h * h)
		}
	case profileNormal:
		return 0.5 * math.Erfc(d/(w*math.Sqrt2))
	case profileExponential:
		if d < 0 {
			return 1 - 0.5*math.Exp(d/w)
		}
		return 0.5 * math.Exp(-d/w)
	}
	return math.NaN()
}

// span returns levels below which the requester receives all of its
// request and above which nothing (or as good as nothing).
func (p profile) span() (lo, hi float64) {
	switch p.kind {
	case profileRectangular, profileTriangular:
		return p.priority - p.width/2, p.priority + p.width/2
	}
	return p.priority - 40*p.width, p.priority + 40*p.width
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

// allocate shares supply among requests by their profiles: everyone gets
// their request when the supply covers them all, nobody anything when
// there is no supply, and otherwise each the share of its profile at the
// one priority level where the shares add up to the supply. It returns
// the allocation of requester p, or NaN when a profile cannot be used.
func allocate(p int, supply float64, req []float64, prof []profile) float64 {
	if p < 0 || p >= len(req) {
		return math.NaN()
	}
	total := 0.0
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, r := range req {
		pr := prof[i]
		if r != r || pr.priority != pr.priority || !(pr.width > 0) || pr.kind < profileRectangular || pr.kind > profileExponential {
			return math.NaN()
		}
		total += math.Max(r, 0)
		l, h := pr.span()
		lo, hi = math.Min(lo, l), math.Max(hi, h)
	}
	r := math.Max(req[p], 0)
	switch {
	case supply != supply:
		return math.NaN()
	case supply <= 0:
		return 0
	case supply >= total:
		return r
	}
	given := func(x float64) float64 {
		s := 0.0
		for i, r := range req {
			s += math.Max(r, 0) * prof[i].share(x)
		}
		return s
	}
	// given falls from total at lo to (about) 0 at hi: bisect for the
	// level where it meets the supply, to the last bit.
	for i := 0; i < 200; i++ {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break
		}
		if given(mid) > supply {
			lo = mid
		} else {
			hi = mid
		}
	}
	return r * prof[p].share(lo+(hi-lo)/2)
}

// AllocByPriority is ALLOCATE BY PRIORITY: xs[0] the position (from 0) of the requester whose
// allocation is wanted, xs[1] the width of the rectangular profiles, xs[2]
// the supply, then the requests and the priorities, as many of each
// (Vensim's ALLOCATE BY PRIORITY).
func AllocByPriority(xs []float64) float64 {
	p, width, supply := int(xs[0]), xs[1], xs[2]
	rest := xs[3:]
	k := len(rest) / 2
	req, pri := rest[:k], rest[k:2*k]
	prof := make([]profile, k)
	for i := range prof {
		prof[i] = profile{kind: profileRectangular, priority: pri[i], width: width}
	}
	return allocate(p, supply, req, prof)
}

// AllocAvailable is ALLOCATE AVAILABLE: xs[0] the position (from 0) of the requester whose
// allocation is wanted, xs[1] the supply available, then the k requests
// and the k priority profiles of four numbers each: ptype, ppriority,
// pwidth, pextra (Vensim's ALLOCATE AVAILABLE).
func AllocAvailable(xs []float64) float64 {
	p, supply := int(xs[0]), xs[1]
	rest := xs[2:]
	k := len(rest) / 5
	req, pp := rest[:k], rest[k:]
	prof := make([]profile, k)
	for i := range prof {
		t := pp[4*i]
		if t != math.Trunc(t) {
			return math.NaN()
		}
		prof[i] = profile{kind: int(t), priority: pp[4*i+1], width: pp[4*i+2]}
	}
	return allocate(p, supply, req, prof)
}

// InvertMatrix is INVERT MATRIX: xs[0] and xs[1] the row and column (from 0) of the element
// wanted, xs[2] the size n, then the n×n matrix by rows (Vensim's INVERT
// MATRIX). A singular matrix gives NaN.
func InvertMatrix(xs []float64) float64 {
	i, j, n := int(xs[0]), int(xs[1]), int(xs[2])
	a := xs[3:]
	if n <= 0 || len(a) != n*n || i < 0 || i >= n || j < 0 || j >= n {
		return math.NaN()
	}
	// Gauss-Jordan elimination with partial pivoting on [A | I].
	w := 2 * n
	m := make([]float64, n*w)
	for r := 0; r < n; r++ {
		copy(m[r*w:], a[r*n:(r+1)*n])
		m[r*w+n+r] = 1
	}
	for c := 0; c < n; c++ {
		piv := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r*w+c]) > math.Abs(m[piv*w+c]) {
				piv = r
			}
		}
		if m[piv*w+c] == 0 {
			return math.NaN()
		}
		if piv != c {
			for k := 0; k < w; k++ {
				m[c*w+k], m[piv*w+k] = m[piv*w+k], m[c*w+k]
			}
		}
		d := m[c*w+c]
		for k := 0; k < w; k++ {
			m[c*w+k] /= d
		}
		for r := 0; r < n; r++ {
			if r == c || m[r*w+c] == 0 {
				continue
			}
			f := m[r*w+c]
			for k := 0; k < w; k++ {
				m[r*w+k] -= f * m[c*w+k]
			}
		}
	}
	return m[i*w+n+j]
}

// VectorRank is VECTOR RANK: xs[0] the position (from 0) of the element whose rank is
// wanted, xs[1] the direction (1 ascending, otherwise descending), then the
// vector. Ties keep their order (Vensim's VECTOR RANK).
func VectorRank(xs []float64) float64 {
	p, dir, a := int(xs[0]), xs[1], xs[2:]
	if p < 0 || p >= len(a) {
		return math.NaN()
	}
	idx := make([]int, len(a))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool {
		if dir == 1 {
			return a[idx[i]] < a[idx[j]]
		}
		return a[idx[i]] > a[idx[j]]
	})
	for r, i := range idx {
		if i == p {
			return float64(r + 1)
		}
	}
	return math.NaN()
}
