package model

import (
	"fmt"
	"math"
	"strings"

	"github.com/stockflow/stockflow/model/builtin"
	"github.com/stockflow/stockflow/model/expr"
)

// MaxSteps is the largest number of integration steps a model may ask for.
const MaxSteps = 1_000_000_000

// Validate checks the structure of a model: time settings, names, the flows
// of each stock, lookup tables, scenarios and named loops. It does not look
// inside equations; sim.Compile does. The error is an ErrorList.
func (m *Model) Validate() error {
	var errs ErrorList
	m.Time.validate(&errs)

	// Names: one namespace for variables and lookups.
	byName := make(map[string]Position)
	vars := make(map[string]*Variable, len(m.Vars))
	for _, v := range m.Vars {
		if c := Canonical(v.Name); vars[c] == nil {
			vars[c] = v
		}
	}
	var all []string
	define := func(name string, pos Position) {
		c := Canonical(name)
		why, reserved := builtin.Reserved(c)
		switch {
		case c == "":
			errs.Add(pos, "empty name %q", name)
		case reserved:
			errs.Add(pos, "name %q is reserved: %s", name, why)
		default:
			if prev, ok := byName[c]; ok {
				errs.Add(pos, "duplicate name %q (already defined at %s)", name, prev)
				return
			}
			byName[c] = pos
			all = append(all, name)
		}
	}
	for _, v := range m.Vars {
		define(v.Name, v.Pos)
	}
	for _, l := range m.Lookups {
		define(l.Name, l.Pos)
	}
	m.validateDimensions(&errs, define)

	for _, v := range m.Vars {
		if v.Equation.Text == "" && len(v.Elements) == 0 {
			if v.Kind == Stock {
				errs.Add(v.Pos, "stock %q has no initial value", v.Name)
			} else {
				errs.Add(v.Pos, "%s %q has no equation", v.Kind, v.Name)
			}
		}
		if v.Lookup != nil {
			v.Lookup.Validate(&errs, fmt.Sprintf("the lookup of %q", v.Name))
		}
		v.validateMeta(&errs)
		if v.Kind != Stock {
			continue
		}
		sameDims := func(f *Variable) bool {
			if len(f.Dims) != len(v.Dims) {
				return false
			}
			for i := range f.Dims {
				if Canonical(f.Dims[i]) != Canonical(v.Dims[i]) {
					return false
				}
			}
			return true
		}
		seen := make(map[string]bool)
		check := func(f, dir string) {
			c := Canonical(f)
			if seen[c] {
				errs.Add(v.Pos, "flow %q is listed twice on stock %q", f, v.Name)
				return
			}
			seen[c] = true
			fv := vars[c]
			switch {
			case fv == nil:
				errs.Add(v.Pos, "%s %q of stock %q is not defined%s", dir, f, v.Name, DidYouMean(f, m.names(Flow)))
			case fv.Kind != Flow:
				errs.Add(v.Pos, "%s %q of stock %q is %s, not a flow", dir, f, v.Name, article(fv.Kind))
			case !sameDims(fv):
				errs.Add(v.Pos, "%s %q of stock %q has dims [%s] but the stock has [%s]", dir, f, v.Name, strings.Join(fv.Dims, ", "), strings.Join(v.Dims, ", "))
			}
		}
		for _, f := range v.Inflows {
			check(f, "inflow")
		}
		for _, f := range v.Outflows {
			check(f, "outflow")
		}
	}
	for _, l := range m.Lookups {
		if len(l.Elements) == 0 {
			l.Validate(&errs, fmt.Sprintf("lookup %q", l.Name))
		}
	}
	checkScenarios(m, m.Scenarios, &errs)
	for _, l := range m.Loops {
		if len(l.Variables) == 0 {
			errs.Add(l.Pos, "loop %q names no variables", l.Name)
		}
		for _, name := range l.Variables {
			if vars[Canonical(name)] == nil {
				errs.Add(l.Pos, "loop %q names undefined variable %q%s", l.Name, name, DidYouMean(name, m.names(0)))
			}
		}
	}
	return errs.Err()
}

// validateMeta checks a variable's range and uncertainty: a well-formed
// range, a constant value inside it, and an uncertainty whose values stay
// inside it.
func (v *Variable) validateMeta(errs *ErrorList) {
	if r := v.Range; r != nil {
		if msg := r.check(); msg != "" {
			errs.Add(r.Pos, "the range %s of %q: %s", r, v.Name, msg)
			return
		}
		if v.Equation.Expr != nil {
			if x, ok := expr.Constant(v.Equation.Expr, nil); ok && finite(x) && !r.Contains(x) {
				errs.Add(v.Equation.Pos, "%q is %s, outside its range %s", v.Name, fmtNum(x), r)
			}
		}
	}
	if u := v.Uncertainty; u != nil {
		if _, err := ParseDistribution(u.String()); err != nil {
			errs.Add(u.Pos, "the uncertainty of %q: %v", v.Name, err)
			return
		}
		if r := v.Range; r != nil {
			lo, hi := u.Bounds()
			if lo < r.Min || hi > r.Max {
				errs.Add(u.Pos, "the uncertainty %s of %q reaches outside its range %s (use a distribution bounded by the range, such as truncnormal)", u, v.Name, r)
			}
		}
	}
}

func article(k Kind) string {
	if k == Aux {
		return "an auxiliary"
	}
	return "a " + k.String()
}

// names returns the names of the variables of the given kind (all for 0).
func (m *Model) names(kind Kind) []string {
	var out []string
	for _, v := range m.Vars {
		if kind == 0 || v.Kind == kind {
			out = append(out, v.Name)
		}
	}
	return out
}

func lookupNames(m *Model) []string {
	out := make([]string, len(m.Lookups))
	for i, l := range m.Lookups {
		out[i] = l.Name
	}
	return out
}

func (t *Time) validate(errs *ErrorList) {
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	if !finite(t.Start) || !finite(t.Stop) || !finite(t.DT) || !finite(t.SaveEvery) {
		errs.Add(t.Pos, "time settings must be finite numbers")
		return
	}
	if t.DT <= 0 {
		errs.Add(t.Pos, "dt must be positive, not %g", t.DT)
	}
	if t.Stop < t.Start {
		errs.Add(t.Pos, "stop (%g) is before start (%g)", t.Stop, t.Start)
	}
	if t.SaveEvery < 0 {
		errs.Add(t.Pos, "save_every must be positive, not %g", t.SaveEvery)
	}
	if t.Method < 0 || t.Method > RK4 {
		errs.Add(t.Pos, "unknown method %d", int(t.Method))
	}
	if t.DT > 0 && t.Stop >= t.Start {
		if steps := (t.Stop - t.Start) / t.DT; steps > MaxSteps {
			errs.Add(t.Pos, "the run would take %.3g steps of dt %g; the limit is %d (use a larger dt)", steps, t.DT, MaxSteps)
		}
		if t.SaveEvery > 0 {
			if r := t.SaveEvery / t.DT; r < 1-1e-9 || math.Abs(r-math.Round(r)) > 1e-6*r {
				errs.Add(t.Pos, "save_every (%g) must be a whole multiple of dt (%g)", t.SaveEvery, t.DT)
			}
		}
	}
}

// Validate adds to errs what is wrong with the lookup's points; what names
// the lookup in messages.
func (l *Lookup) Validate(errs *ErrorList, what string) {
	if len(l.X) == 0 {
		errs.Add(l.Pos, "%s has no points", what)
		return
	}
	if len(l.X) != len(l.Y) {
		errs.Add(l.Pos, "%s has %d x values but %d y values", what, len(l.X), len(l.Y))
		return
	}
	for i := range l.X {
		if math.IsNaN(l.X[i]) || math.IsInf(l.X[i], 0) || math.IsNaN(l.Y[i]) || math.IsInf(l.Y[i], 0) {
			errs.Add(l.Pos, "%s has a point that is not finite: (%g, %g)", what, l.X[i], l.Y[i])
			return
		}
		if i > 0 && l.X[i] <= l.X[i-1] {
			errs.Add(l.Pos, "%s: x values must increase, but point %d has x = %g after %g", what, i+1, l.X[i], l.X[i-1])
			return
		}
	}
}
