package sim

import (
	"math"
	"sort"

	"github.com/stockflow/stockflow/model"
	spec "github.com/stockflow/stockflow/model/builtin"
	"github.com/stockflow/stockflow/model/expr"
)

// internalBuiltins are what model.Flatten turns RANK and the vector
// functions into: functions of the elements of their arrays, named by
// constants of package model that no equation can spell.
var internalBuiltins = []*builtin{
	internal(model.RankFunc, 2, rank),
	internal(model.ElmMapFunc, 3, elmMap),
	internal(model.SortOrderFunc, 3, sortOrder),
	internal(model.SelectFunc, 4, vectorSelect),
	internal(model.AllocPriorityFunc, 5, allocByPriority),
	internal(model.AllocAvailableFunc, 7, allocAvailable),
	internal(model.InvertFunc, 4, invertMatrix),
	internal(model.VectorRankFunc, 3, vectorRank),
}

func internal(name string, least int, f func([]float64) float64) *builtin {
	params := make([]spec.Param, least)
	for i := range params {
		params[i] = spec.Param{Name: "x"}
	}
	return &builtin{Func: &spec.Func{Name: name, Params: params, Variadic: true, Kind: spec.Pure}, impl: impl{build: reduce(f)}, seed: least}
}

// flattened is the evaluation of a function that model.Flatten always
// rewrites, so the compiler never meets it.
func flattened(name string) func([]evalFn) evalFn {
	return func([]evalFn) evalFn {
		panic("sim: " + name + " was not resolved by model.Flatten")
	}
}

// reduce builds a function of all its arguments' values.
func reduce(f func(xs []float64) float64) func([]evalFn) evalFn {
	return func(a []evalFn) evalFn {
		return func(r *run) float64 {
			var buf [16]float64
			xs := buf[:0]
			for _, x := range a {
				xs = append(xs, x(r))
			}
			return f(xs)
		}
	}
}

func stddev(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	s := 0.0
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return math.Sqrt(s / float64(len(xs)))
}

// rank: xs[0] is the rank n, the rest the array.
func rank(xs []float64) float64 {
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

// elmMap: xs[0] the offset, xs[1] the base position, the rest the array.
func elmMap(xs []float64) float64 {
	i := int(xs[1]) + int(math.Floor(xs[0]))
	a := xs[2:]
	if i < 0 || i >= len(a) || math.IsNaN(xs[0]) {
		return math.NaN()
	}
	return a[i]
}

// sortOrder: xs[0] the position p, xs[1] the direction, the rest the array.
func sortOrder(xs []float64) float64 {
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

// vectorSelect: xs[0] the value when nothing is selected, xs[1] the action,
// then the selections and the values, as many of each.
func vectorSelect(xs []float64) float64 {
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

// fastAggregate compiles SUM, PROD, MEAN, MIN and MAX of variables alone
// (as model.Flatten writes SUM(x[*])) to one loop over their slots, not
// a closure per element.
func (c *compiler) fastAggregate(e *expr.Call) evalFn {
	name := model.Canonical(e.Func)
	switch name {
	case "sum", "prod", "product", "mean", "min", "max":
	default:
		return nil
	}
	if _, isTable := c.p.named[name]; isTable || len(e.Args) < 2 {
		return nil
	}
	slots := make([]int, len(e.Args))
	for i, a := range e.Args {
		s, ok := c.slotOf(a)
		if !ok {
			return nil
		}
		slots[i] = s
	}
	switch name {
	case "sum":
		return func(r *run) float64 {
			s := 0.0
			for _, i := range slots {
				s += r.v[i]
			}
			return s
		}
	case "mean":
		n := float64(len(slots))
		return func(r *run) float64 {
			s := 0.0
			for _, i := range slots {
				s += r.v[i]
			}
			return s / n
		}
	case "prod", "product":
		return func(r *run) float64 {
			p := 1.0
			for _, i := range slots {
				p *= r.v[i]
			}
			return p
		}
	case "min":
		return func(r *run) float64 {
			m := r.v[slots[0]]
			for _, i := range slots[1:] {
				m = math.Min(m, r.v[i])
			}
			return m
		}
	}
	return func(r *run) float64 {
		m := r.v[slots[0]]
		for _, i := range slots[1:] {
			m = math.Max(m, r.v[i])
		}
		return m
	}
}
