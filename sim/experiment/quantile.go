package experiment

import (
	"math"
	"slices"
)

// exactRuns is the number of values a percentile summary keeps exactly.
// Beyond it each percentile is estimated by the P² algorithm, started
// from the exact percentiles of the values kept, so memory does not grow
// with the number of runs.
const exactRuns = 1000

// quantiles summarises a stream of values by some percentiles.
type quantiles struct {
	ps     []float64 // in [0, 1], ascending
	n      int
	buf    []float64 // the first exactRuns values
	min    float64
	max    float64
	p2     []p2 // once buf is full, one per percentile
	sorted bool
}

func newQuantiles(ps []float64) *quantiles {
	return &quantiles{ps: ps, min: math.Inf(1), max: math.Inf(-1)}
}

func (q *quantiles) add(x float64) {
	q.n++
	q.min, q.max = math.Min(q.min, x), math.Max(q.max, x)
	if q.p2 == nil {
		if len(q.buf) < exactRuns {
			q.buf = append(q.buf, x)
			q.sorted = false
			return
		}
		// The buffer is full and one more value comes: from here on,
		// estimate.
		slices.Sort(q.buf)
		q.p2 = make([]p2, len(q.ps))
		for i, p := range q.ps {
			q.p2[i].init(p, q.buf)
		}
		q.buf = nil
	}
	for i := range q.p2 {
		q.p2[i].add(x)
	}
}

// value returns percentile i: exact (Percentile) while every value is
// kept, the P² estimate afterwards. The 0th and 100th percentiles are
// always the exact minimum and maximum.
func (q *quantiles) value(i int) float64 {
	p := q.ps[i]
	switch {
	case q.n == 0:
		return math.NaN()
	case p == 0:
		return q.min
	case p == 1:
		return q.max
	case q.p2 != nil:
		return q.p2[i].value()
	}
	if !q.sorted {
		slices.Sort(q.buf)
		q.sorted = true
	}
	return Percentile(q.buf, p)
}

// Percentile returns percentile p (in [0, 1]) of values sorted in
// ascending order, interpolating linearly between order statistics (R's
// type 7, NumPy's default): the definition a Summary uses while it keeps
// every value.
func Percentile(xs []float64, p float64) float64 {
	h := p * float64(len(xs)-1)
	lo := int(h)
	if lo+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[lo] + (h-float64(lo))*(xs[lo+1]-xs[lo])
}

// p2 estimates one quantile of a stream with five markers: R. Jain and
// I. Chlamtac, "The P² algorithm for dynamic calculation of quantiles and
// histograms without storing observations", Communications of the ACM
// 28(10), 1985. Here the markers start at the exact quantiles of a sorted
// sample, at their desired (possibly fractional) positions, rather than at
// its first five values.
type p2 struct {
	q  [5]float64 // marker heights
	n  [5]float64 // marker positions, 1-based
	nd [5]float64 // desired positions
	dn [5]float64 // increments of the desired positions
}

func (m *p2) init(p float64, sorted []float64) {
	// Each marker starts at its desired position, fractional if need be,
	// with the exact (type 7) quantile there as its height, so that the
	// estimate goes on from where the exact value left off.
	k := float64(len(sorted) - 1)
	m.dn = [5]float64{0, p / 2, p, (1 + p) / 2, 1}
	for i := range 5 {
		m.nd[i] = 1 + k*m.dn[i]
		m.n[i] = m.nd[i]
		m.q[i] = Percentile(sorted, m.dn[i])
	}
}

func (m *p2) add(x float64) {
	var k int
	switch {
	case x < m.q[0]:
		m.q[0], k = x, 0
	case x >= m.q[4]:
		m.q[4], k = x, 3
	default:
		for k = 0; k < 3 && x >= m.q[k+1]; k++ {
		}
	}
	for i := k + 1; i < 5; i++ {
		m.n[i]++
	}
	for i := range 5 {
		m.nd[i] += m.dn[i]
	}
	for i := 1; i <= 3; i++ {
		d := m.nd[i] - m.n[i]
		if (d >= 1 && m.n[i+1]-m.n[i] > 1) || (d <= -1 && m.n[i-1]-m.n[i] < -1) {
			s := math.Copysign(1, d)
			q := m.parabolic(i, s)
			if !(m.q[i-1] < q && q < m.q[i+1]) {
				j := i + int(s)
				q = m.q[i] + s*(m.q[j]-m.q[i])/(m.n[j]-m.n[i])
			}
			m.q[i] = q
			m.n[i] += s
		}
	}
}

func (m *p2) parabolic(i int, d float64) float64 {
	return m.q[i] + d/(m.n[i+1]-m.n[i-1])*((m.n[i]-m.n[i-1]+d)*(m.q[i+1]-m.q[i])/(m.n[i+1]-m.n[i])+
		(m.n[i+1]-m.n[i]-d)*(m.q[i]-m.q[i-1])/(m.n[i]-m.n[i-1]))
}

func (m *p2) value() float64 { return m.q[2] }
