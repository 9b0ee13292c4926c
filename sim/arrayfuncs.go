package sim

import (
	"math"

	"github.com/stockflow/stockflow/model"
	spec "github.com/stockflow/stockflow/model/builtin"
	"github.com/stockflow/stockflow/model/expr"
	"github.com/stockflow/stockflow/sim/internal/vector"
)

// internalBuiltins are what model.Flatten turns RANK and the vector
// functions into: functions of the elements of their arrays, named by
// constants of package model that no equation can spell.
var internalBuiltins = []*builtin{
	internal(model.RankFunc, 2, vector.Rank),
	internal(model.ElmMapFunc, 3, vector.ElmMap),
	internal(model.SortOrderFunc, 3, vector.SortOrder),
	internal(model.SelectFunc, 4, vector.Select),
	internal(model.AllocPriorityFunc, 5, vector.AllocByPriority),
	internal(model.AllocAvailableFunc, 7, vector.AllocAvailable),
	internal(model.InvertFunc, 4, vector.InvertMatrix),
	internal(model.VectorRankFunc, 3, vector.VectorRank),
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
