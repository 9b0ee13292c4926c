package loops

import (
	"math"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/builtin"
	"github.com/stockflow/stockflow/model/expr"
)

// Range is the interval of values a variable takes, Lo <= Hi.
type Range struct{ Lo, Hi float64 }

func (r Range) signs() signs { return hull(signOf(r.Lo), signOf(r.Hi)) }

// interval is the interval of an expression's values in self's equation,
// by interval arithmetic over the ranges the analysis knows (a.ranges),
// or false when some part of it has none.
func (a *analysis) interval(e expr.Expr, self *model.Variable) (Range, bool) {
	switch e := e.(type) {
	case *expr.Number:
		return Range{e.Value, e.Value}, true
	case *expr.Ident:
		c := a.resolve(e.Name, self)
		if c != "" {
			if r, ok := a.ranges[c]; ok {
				return r, true
			}
			return a.varInterval(c)
		}
		switch clock, bare := builtin.Resolve(model.Canonical(e.Name)); {
		case clock == builtin.Time:
			return Range{a.m.Time.Start, a.m.Time.Stop}, true
		case clock == builtin.DT:
			return Range{a.m.Time.DT, a.m.Time.DT}, true
		case clock == builtin.StartTime:
			return Range{a.m.Time.Start, a.m.Time.Start}, true
		case clock == builtin.StopTime:
			return Range{a.m.Time.Stop, a.m.Time.Stop}, true
		case bare != nil && bare.Name == "PI":
			return Range{math.Pi, math.Pi}, true
		}
		return Range{}, false
	case *expr.Unary:
		x, ok := a.interval(e.X, self)
		if !ok {
			return Range{}, false
		}
		switch e.Op {
		case expr.Neg:
			return Range{-x.Hi, -x.Lo}, true
		case expr.Plus:
			return x, true
		}
		return Range{0, 1}, true
	case *expr.Binary:
		x, ok1 := a.interval(e.X, self)
		y, ok2 := a.interval(e.Y, self)
		if !ok1 || !ok2 {
			switch e.Op {
			case expr.Lt, expr.Le, expr.Gt, expr.Ge, expr.Eq, expr.Ne, expr.And, expr.Or:
				return Range{0, 1}, true
			}
			return Range{}, false
		}
		switch e.Op {
		case expr.Add:
			return Range{x.Lo + y.Lo, x.Hi + y.Hi}, true
		case expr.Sub:
			return Range{x.Lo - y.Hi, x.Hi - y.Lo}, true
		case expr.Mul:
			return spanOf(x.Lo*y.Lo, x.Lo*y.Hi, x.Hi*y.Lo, x.Hi*y.Hi)
		case expr.Div:
			if y.Lo <= 0 && y.Hi >= 0 {
				return Range{}, false
			}
			return spanOf(x.Lo/y.Lo, x.Lo/y.Hi, x.Hi/y.Lo, x.Hi/y.Hi)
		case expr.Pow:
			if y.Lo != y.Hi || x.Lo < 0 {
				return Range{}, false
			}
			return spanOf(math.Pow(x.Lo, y.Lo), math.Pow(x.Hi, y.Lo))
		}
		return Range{0, 1}, true // comparisons and logic
	case *expr.If:
		x, ok1 := a.interval(e.Then, self)
		y, ok2 := a.interval(e.Else, self)
		if !ok1 || !ok2 {
			return Range{}, false
		}
		return Range{math.Min(x.Lo, y.Lo), math.Max(x.Hi, y.Hi)}, true
	case *expr.Call:
		return a.callInterval(e, self)
	}
	return Range{}, false
}

// varInterval is the interval of an auxiliary's or flow's values that its
// equation gives over the ranges the analysis knows, when it has no range
// of its own; false for stocks and for variables on a cycle of such
// equations (through a stateful function).
func (a *analysis) varInterval(c string) (Range, bool) {
	v := a.vars[c]
	if v == nil || v.Kind == model.Stock || v.Equation.Expr == nil {
		return Range{}, false
	}
	if r, ok := a.imemo[c]; ok {
		return r.Range, r.ok
	}
	if a.imemo == nil {
		a.imemo = make(map[string]knownRange)
	}
	a.imemo[c] = knownRange{} // a cycle gives no interval
	r, ok := a.interval(v.Equation.Expr, v)
	if ok && v.Lookup != nil {
		var lo, hi float64
		lo, hi, ok = tableSpan(v.Lookup, r)
		r = Range{lo, hi}
	}
	if ok && v.NonNegative && v.Kind == model.Flow {
		r = Range{math.Max(r.Lo, 0), math.Max(r.Hi, 0)}
	}
	a.imemo[c] = knownRange{r, ok}
	return r, ok
}

// knownRange is a range the analysis worked out, or the fact that it
// could not (ok false).
type knownRange struct {
	Range
	ok bool
}

// spanOf is the least interval holding the values, false if one is NaN
// or infinite.
func spanOf(xs ...float64) (Range, bool) {
	r := Range{math.Inf(1), math.Inf(-1)}
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return Range{}, false
		}
		r.Lo, r.Hi = math.Min(r.Lo, x), math.Max(r.Hi, x)
	}
	return r, true
}

// callInterval is interval for a call: lookups and the functions that rise
// or fall with their arguments.
func (a *analysis) callInterval(e *expr.Call, self *model.Variable) (Range, bool) {
	if tables, arg := a.lookupOf(e); tables != nil {
		x, ok := a.interval(arg, self)
		if !ok {
			return Range{}, false
		}
		var ys []float64
		for _, t := range tables {
			lo, hi, ok := tableSpan(t, x)
			if !ok {
				return Range{}, false
			}
			ys = append(ys, lo, hi)
		}
		return spanOf(ys...)
	}
	args := make([]Range, len(e.Args))
	for i, x := range e.Args {
		r, ok := a.interval(x, self)
		if !ok {
			return Range{}, false
		}
		args[i] = r
	}
	mono := func(f func(float64) float64) (Range, bool) {
		if len(args) != 1 {
			return Range{}, false
		}
		return spanOf(f(args[0].Lo), f(args[0].Hi))
	}
	switch model.Canonical(e.Func) {
	case "min", "max":
		if len(args) == 0 {
			return Range{}, false
		}
		f := math.Min
		if model.Canonical(e.Func) == "max" {
			f = math.Max
		}
		r := args[0]
		for _, x := range args[1:] {
			r = Range{f(r.Lo, x.Lo), f(r.Hi, x.Hi)}
		}
		return r, true
	case "sum", "mean":
		if len(args) == 0 {
			return Range{}, false
		}
		r := Range{}
		for _, x := range args {
			r = Range{r.Lo + x.Lo, r.Hi + x.Hi}
		}
		if model.Canonical(e.Func) == "mean" {
			n := float64(len(args))
			r = Range{r.Lo / n, r.Hi / n}
		}
		return spanOf(r.Lo, r.Hi)
	case "exp":
		return mono(math.Exp)
	case "ln":
		if len(args) == 1 && args[0].Lo > 0 {
			return mono(math.Log)
		}
	case "sqrt":
		if len(args) == 1 && args[0].Lo >= 0 {
			return mono(math.Sqrt)
		}
	case "abs":
		if len(args) == 1 {
			x := args[0]
			switch {
			case x.Lo >= 0:
				return x, true
			case x.Hi <= 0:
				return Range{-x.Hi, -x.Lo}, true
			}
			return Range{0, math.Max(-x.Lo, x.Hi)}, true
		}
	}
	return Range{}, false
}

// tableSpan bounds the values a lookup takes for inputs in x: the points
// within x and the two points around each end of x (between which the
// lookup interpolates, steps or holds).
func tableSpan(l *model.Lookup, x Range) (lo, hi float64, ok bool) {
	n := len(l.X)
	if n == 0 {
		return 0, 0, false
	}
	if l.Mode == model.Extrapolate && n > 1 && (x.Lo < l.X[0] || x.Hi > l.X[n-1]) {
		return 0, 0, false
	}
	first, last := segmentsOver(l, x)
	lo, hi = math.Inf(1), math.Inf(-1)
	for i := first; i <= last; i++ {
		lo, hi = math.Min(lo, l.Y[i]), math.Max(hi, l.Y[i])
	}
	return lo, hi, true
}

// segmentsOver returns the indices of the first and last points of a
// lookup that bound its values over x.
func segmentsOver(l *model.Lookup, x Range) (first, last int) {
	n := len(l.X)
	first, last = 0, n-1
	for i := 0; i < n; i++ {
		if l.X[i] <= x.Lo {
			first = i
		}
	}
	for i := n - 1; i >= 0; i-- {
		if l.X[i] >= x.Hi {
			last = i
		}
	}
	if last < first {
		last = first
	}
	return first, last
}

// tableDirectionOver is tableDirection over the inputs in x only.
func tableDirectionOver(l *model.Lookup, x Range) signs {
	first, last := segmentsOver(l, x)
	s := sZero
	for i := first + 1; i <= last; i++ {
		s |= signOf(l.Y[i] - l.Y[i-1])
	}
	return s
}

// narrow intersects the signs the structure gives an expression with the
// signs of its interval, when the analysis knows ranges and the
// expression has one.
func (a *analysis) narrow(e expr.Expr, self *model.Variable, s signs) signs {
	if a.ranges == nil {
		return s
	}
	r, ok := a.interval(e, self)
	if !ok {
		return s
	}
	if n := s & r.signs(); n != sNone {
		return n
	}
	return s
}
