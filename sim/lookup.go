package sim

import (
	"sort"

	"github.com/stockflow/stockflow/model"
)

// table is a lookup ready to evaluate.
type table struct {
	x, y []float64
	mode model.LookupMode
}

func newTable(l *model.Lookup) *table {
	return &table{x: l.X, y: l.Y, mode: l.Mode}
}

// at evaluates the lookup at x.
func (t *table) at(x float64) float64 {
	xs, ys := t.x, t.y
	n := len(xs)
	if x != x { // NaN in, NaN out
		return x
	}
	if n == 1 {
		return ys[0]
	}
	if x <= xs[0] {
		if t.mode == model.Extrapolate && x < xs[0] {
			return ys[0] + (x-xs[0])*(ys[1]-ys[0])/(xs[1]-xs[0])
		}
		return ys[0]
	}
	if x >= xs[n-1] {
		if t.mode == model.Extrapolate && x > xs[n-1] {
			return ys[n-1] + (x-xs[n-1])*(ys[n-1]-ys[n-2])/(xs[n-1]-xs[n-2])
		}
		return ys[n-1]
	}
	// The first point to the right of x: xs[i-1] <= x < xs[i].
	i := sort.SearchFloat64s(xs, x)
	if xs[i] == x {
		return ys[i]
	}
	if t.mode == model.Discrete {
		return ys[i-1]
	}
	return ys[i-1] + (x-xs[i-1])*(ys[i]-ys[i-1])/(xs[i]-xs[i-1])
}
