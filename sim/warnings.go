package sim

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/stockflow/stockflow/model"
	spec "github.com/stockflow/stockflow/model/builtin"
	"github.com/stockflow/stockflow/model/expr"
)

// Warning is something a modeller should know about a model, or about a
// run of it, that does not stop the run: a flow that moves nothing, a dt
// that does not divide the run or that is too coarse for a time constant,
// a save interval that is not a whole number of steps.
type Warning struct {
	Pos model.Position // where in the model, when the warning has a place
	Msg string
}

func (w Warning) String() string {
	if w.Pos.File != "" || w.Pos.IsValid() {
		return w.Pos.String() + ": " + w.Msg
	}
	return w.Msg
}

// Warnings returns the warnings for a run of the program under a
// scenario (its dt, method and save interval, and the constants it sets),
// in the order of their places in the model file. It runs nothing; what Check would refuse
// gives no warnings.
func (p *Program) Warnings(s Scenario) []Warning {
	dt, method := p.time.DT, p.time.Method
	if s.DT > 0 {
		dt = s.DT
	}
	if s.Method != 0 {
		method = s.Method
	}
	var out []Warning
	m := p.model
	// Flows that no stock lists.
	attached := make(map[string]bool)
	for _, v := range m.Vars {
		for _, f := range append(append([]string(nil), v.Inflows...), v.Outflows...) {
			attached[model.Canonical(f)] = true
		}
	}
	for _, v := range m.Vars {
		if v.Kind == model.Flow && !attached[model.Canonical(v.Name)] {
			out = append(out, Warning{v.Pos, fmt.Sprintf("flow %q is attached to no stock: it moves nothing", v.Name)})
		}
	}
	// The clock.
	t := p.time
	if span := (t.Stop - t.Start) / dt; math.Abs(span-math.Round(span)) > 1e-6*math.Max(1, span) {
		end := t.Start + math.Floor(span+1e-9)*dt
		out = append(out, Warning{t.Pos, fmt.Sprintf("dt (%g) does not divide the run from %g to %g: the last step ends at %g", dt, t.Start, t.Stop, end)})
	}
	save := t.SaveEvery
	if s.SaveEvery != 0 {
		save = s.SaveEvery
	}
	if stride, exact := saveStride(save, dt); !exact {
		out = append(out, Warning{t.Pos, fmt.Sprintf("save_every (%g) is not a whole multiple of dt (%g): rows are saved every %g", save, dt, float64(stride)*dt)})
	}
	// Time constants shorter than dt.
	limit := 1.0 // Euler and RK2 overshoot once dt passes the time constant
	if method == model.RK4 {
		limit = 2 // RK4's stability reaches about 2.8 time constants on the real axis
	}
	consts := p.constants(s)
	for _, v := range m.Vars {
		if v.Equation.Expr == nil {
			continue
		}
		for _, tc := range p.timeConstants(v, consts) {
			if dt > limit*tc.value {
				out = append(out, Warning{v.Equation.PosAt(tc.at.Pos()), fmt.Sprintf(
					"dt (%g) is larger than the time constant %s = %g in %q: steps of %s overshoot, and the run may oscillate or turn negative (use a dt of at most %g)",
					dt, tc.what, tc.value, v.Name, strings.ToUpper(method.String()[:1])+method.String()[1:], limit*tc.value)})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Pos, out[j].Pos
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	return out
}

// saveStride is the number of steps between saved rows for a save
// interval (0: every step) and a dt, and whether the interval is a whole
// multiple of dt; if not, the nearest multiple, at least one step.
func saveStride(save, dt float64) (int, bool) {
	if !(save > 0) {
		return 1, true
	}
	r := save / dt
	exact := r >= 1-1e-9 && math.Abs(r-math.Round(r)) <= 1e-6*r
	return max(1, int(math.Round(r))), exact
}

// constants returns the values of the auxiliaries whose equation is a
// number, by canonical name, as the scenario sets them.
func (p *Program) constants(s Scenario) map[string]float64 {
	out := make(map[string]float64)
	for _, v := range p.model.Vars {
		if n, ok := v.Equation.Expr.(*expr.Number); ok && v.Kind != model.Stock && v.Lookup == nil {
			out[model.Canonical(v.Name)] = n.Value
		}
	}
	for name, x := range s.Set {
		if _, ok := out[model.Canonical(name)]; ok {
			out[model.Canonical(name)] = x
		}
	}
	return out
}

// timeConstant is a first-order time constant written in an equation.
type timeConstant struct {
	at    expr.Expr // the expression that gives it
	what  string    // as written
	value float64
}

// timeConstants finds the literal first-order time constants of a
// variable's equation: a flow out of a stock S that is S/τ, S·k (τ = 1/k)
// or (S − x)/τ, a flow into S that is (x − S)/τ, and the stages of a
// smooth or material delay of literal time (time/order each). τ must be a
// number or a constant that is a number.
func (p *Program) timeConstants(v *model.Variable, consts map[string]float64) []timeConstant {
	value := func(e expr.Expr) (float64, bool) {
		return expr.Constant(e, func(name string) (float64, bool) {
			x, ok := consts[model.Canonical(name)]
			return x, ok
		})
	}
	var out []timeConstant
	add := func(at expr.Expr, tau float64, inverse bool) {
		if tau > 0 && !math.IsInf(tau, 0) {
			what := expr.Format(at)
			if inverse {
				what = "1/" + what
			}
			out = append(out, timeConstant{at, what, tau})
		}
	}
	if v.Kind == model.Flow {
		for _, s := range p.model.Vars {
			if s.Kind != model.Stock {
				continue
			}
			name := model.Canonical(s.Name)
			for _, f := range s.Outflows {
				if model.Canonical(f) == model.Canonical(v.Name) {
					if tau, at, inv, ok := decay(v.Equation.Expr, name, false, value); ok {
						add(at, tau, inv)
					}
				}
			}
			for _, f := range s.Inflows {
				if model.Canonical(f) == model.Canonical(v.Name) {
					if tau, at, inv, ok := decay(v.Equation.Expr, name, true, value); ok {
						add(at, tau, inv)
					}
				}
			}
		}
	}
	expr.Walk(v.Equation.Expr, func(e expr.Expr) bool {
		call, ok := e.(*expr.Call)
		if !ok {
			return true
		}
		f := spec.Lookup(model.Canonical(call.Func))
		if f == nil || !f.Follows {
			return true
		}
		ti := f.Arg(spec.Duration)
		if ti < 0 || ti >= len(call.Args) {
			return true
		}
		stages := float64(f.Stages)
		if oi := f.Arg(spec.Order); oi >= 0 && oi < len(call.Args) {
			stages, ok = value(call.Args[oi])
			if !ok {
				return true
			}
		}
		if stages < 1 {
			return true // a pipeline delay: no time constant
		}
		if tau, ok := value(call.Args[ti]); ok && tau/stages > 0 {
			what := expr.Format(call.Args[ti])
			if stages > 1 {
				what = fmt.Sprintf("of each of the %g stages of %s, %s/%g,", stages, strings.ToUpper(call.Func), what, stages)
			}
			out = append(out, timeConstant{call.Args[ti], what, tau / stages})
		}
		return true
	})
	return out
}

// decay matches a first-order adjustment of the stock named s (canonical)
// in a flow's equation e and returns its time constant and the expression
// that gives it (inverse when it is a rate k, τ = 1/k). For an outflow:
// s/τ, s·k, k·s, (s − x)/τ; for an inflow (in): (x − s)/τ.
func decay(e expr.Expr, s string, in bool, value func(expr.Expr) (float64, bool)) (float64, expr.Expr, bool, bool) {
	isStock := func(e expr.Expr) bool {
		id, ok := e.(*expr.Ident)
		return ok && model.Canonical(id.Name) == s
	}
	b, ok := e.(*expr.Binary)
	if !ok {
		return 0, nil, false, false
	}
	switch b.Op {
	case expr.Div:
		tau, ok := value(b.Y)
		if !ok {
			return 0, nil, false, false
		}
		num := b.X
		if sub, ok := num.(*expr.Binary); ok && sub.Op == expr.Sub {
			if in && isStock(sub.Y) || !in && isStock(sub.X) {
				return tau, b.Y, false, true
			}
			return 0, nil, false, false
		}
		if !in && isStock(num) {
			return tau, b.Y, false, true
		}
	case expr.Mul:
		if in {
			return 0, nil, false, false
		}
		for _, pair := range [][2]expr.Expr{{b.X, b.Y}, {b.Y, b.X}} {
			if isStock(pair[0]) {
				if k, ok := value(pair[1]); ok && k > 0 {
					return 1 / k, pair[1], true, true
				}
			}
		}
	}
	return 0, nil, false, false
}
