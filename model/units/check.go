package units

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/builtin"
	"github.com/stockflow/stockflow/model/expr"
)

// Report gives the units of every variable and lookup of a model, as
// declared or as inferred from the equations.
type Report struct {
	System *System // the units the model defines, for formatting
	Time   Entry   // the model's time unit
	Vars   []Entry // in model order
	// Lookups are the named lookups; their Units are those of the output
	// and Input those of the input.
	Lookups []Entry
}

// Entry is the units of one variable (or lookup, or the time unit).
type Entry struct {
	Name     string
	Kind     model.Kind // 0 for a lookup or the time unit
	Declared string     // as written in the model; "" when not declared
	Units    Unit       // the declared or inferred units, when Known
	Known    bool
	// Inferred is true when the units were worked out from the equations
	// because none were declared.
	Inferred bool
	// Input is a lookup's input units, when InputKnown.
	Input         Unit
	InputKnown    bool
	InputDeclared string
}

// String returns the units as text, or "?" when they are not known.
func (e Entry) String() string {
	if !e.Known {
		return "?"
	}
	return e.Units.String()
}

// Units returns an entry's units as the model spells them (see
// System.Format), or "?" when they are not known.
func (r *Report) Units(e Entry) string {
	if !e.Known {
		return "?"
	}
	return r.System.Format(e.Units)
}

// Input returns a lookup entry's input units as the model spells them, or
// "?" when they are not known.
func (r *Report) Input(e Entry) string {
	if !e.InputKnown {
		return "?"
	}
	return r.System.Format(e.Input)
}

// Check checks the units of every equation of m, infers the units of the
// variables that declare none where the equations fix them, and returns
// the units of every variable. The error, if any, is a model.ErrorList of
// *model.Error values, each wrapping an *Error: every place where units
// that must agree do not, and every units declaration that does not
// parse. The Report is complete even when there are errors.
func Check(m *model.Model) (*Report, error) {
	if m == nil {
		panic("units: Check of a nil model")
	}
	c := &checker{m: m, vars: make(map[string]*slot), lookups: make(map[string]*lookupSlot),
		sol: make(map[string]Unit), solDecl: make(map[string]bool)}
	sys, err := NewSystem(m.Units)
	c.errs.Append(err)
	c.sys = sys
	c.declare()
	for _, v := range m.Vars {
		c.equation(v)
	}
	c.solve()
	c.report()
	return c.result(), c.errs.Err()
}

type checker struct {
	m       *model.Model
	sys     *System
	errs    model.ErrorList
	vars    map[string]*slot // by canonical name
	lookups map[string]*lookupSlot
	time    slot
	cons    []*constraint
	sol     map[string]Unit // solved unknowns
	solDecl map[string]bool // whether a solution came from a declaration (see taint)
	fresh   int
	eq      model.Position // the equation being checked, if any
}

// slot is the units of a variable: declared, or an unknown to infer.
type slot struct {
	v        *model.Variable
	u        Unit
	declared bool
	lk       *lookupSlot // the variable's graphical function, if it has one
}

type lookupSlot struct {
	l       *model.Lookup
	in, out slot
}

// constraint says that two units must be equal.
type constraint struct {
	expected, found Unit
	pos             model.Position
	name            string                              // the variable whose equation it comes from
	msg             func(expected, found string) string // the message when they differ
	// decl is true when either side depends directly on declared units
	// (of a variable, a lookup or, through TIME, DT and the time
	// arguments of builtins, the time unit). Only such constraints, and
	// those whose unknowns were solved from such constraints, are
	// reported: a model that declares no units is not taken to task.
	decl bool
	// outer marks the constraint between an equation's result and its
	// variable, and eq names the equation (by its position): the outer
	// constraint is not reported when a problem inside the same equation
	// is, since the one mistake would be reported twice.
	outer bool
	eq    model.Position
	done  bool
}

// unknownPrefix starts the names of unknown units; no unit name can
// contain it.
const unknownPrefix = "?"

func (c *checker) unknown(label string) Unit {
	c.fresh++
	return Primary(unknownPrefix + strconv.Itoa(c.fresh) + ":" + label)
}

func isUnknown(name string) bool { return strings.HasPrefix(name, unknownPrefix) }

// declared parses a declaration of units; when there is none, or it does
// not parse, it returns an unknown.
func (c *checker) declared(text string, pos, fallback model.Position, name, label string) (Unit, bool) {
	if strings.TrimSpace(text) == "" {
		return c.unknown(label), false
	}
	u, err := c.sys.Parse(text)
	if se, ok := err.(*SyntaxError); ok && se.defined {
		return c.unknown(label), false // the definition's error says it
	}
	if err != nil {
		p := fallback
		if pos.IsValid() {
			p = pos
			if se, ok := err.(*SyntaxError); ok && !strings.Contains(text[:min(se.Offset, len(text))], "\n") {
				p.Col += se.Offset
			}
		}
		c.errs.Append((&Error{Pos: p, Var: name, Msg: fmt.Sprintf("cannot read units %q: %v", text, err)}).wrap())
		return c.unknown(label), false
	}
	return u, true
}

// declare gives every variable, lookup and the clock its units.
func (c *checker) declare() {
	t := c.m.Time
	c.time.u, c.time.declared = c.declared(t.Units, model.Position{}, t.Pos, "time", "time")
	for _, v := range c.m.Vars {
		k := model.Canonical(v.Name)
		if c.vars[k] != nil {
			continue
		}
		s := &slot{v: v}
		s.u, s.declared = c.declared(v.Units, v.UnitsPos, v.Pos, v.Name, v.Name)
		if v.Lookup != nil && v.Kind != model.Stock {
			s.lk = c.lookupSlot(v.Lookup, v.Name)
		}
		c.vars[k] = s
	}
	for _, l := range c.m.Lookups {
		k := model.Canonical(l.Name)
		if c.lookups[k] != nil {
			continue
		}
		c.lookups[k] = c.lookupSlot(l, l.Name)
	}
}

func (c *checker) lookupSlot(l *model.Lookup, name string) *lookupSlot {
	s := &lookupSlot{l: l}
	s.out.u, s.out.declared = c.declared(l.Units, l.UnitsPos, l.Pos, name, name)
	s.in.u, s.in.declared = c.declared(l.InputUnits, l.InputUnitsPos, l.Pos, name, name+" input")
	return s
}

// need records that found must equal expected.
// Decl says whether either side depends on a declaration (see
// constraint.decl).
func (c *checker) need(expected, found Unit, decl bool, pos model.Position, name string, msg func(expected, found string) string) {
	c.cons = append(c.cons, &constraint{expected: expected, found: found, decl: decl, pos: pos, name: name, msg: msg, eq: c.eq})
}

// equation checks one variable's equation and its stock's flows.
func (c *checker) equation(v *model.Variable) {
	s := c.vars[model.Canonical(v.Name)]
	if s == nil || s.v != v {
		return // a duplicate name, which Validate reports
	}
	c.defined(s, v.Equation, v.Lookup)
	for _, el := range v.Elements {
		c.defined(s, el.Equation, el.Lookup)
	}
	if v.Kind != model.Stock {
		return
	}
	for i, list := range [][]string{v.Inflows, v.Outflows} {
		dir := [...]string{"inflow", "outflow"}[i]
		for _, f := range list {
			fs := c.vars[model.Canonical(f)]
			if fs == nil || fs.v.Kind != model.Flow {
				continue // Validate reports it
			}
			c.need(s.u.Div(c.time.u), fs.u, s.declared || fs.declared, v.Pos, v.Name, func(e, found string) string {
				return fmt.Sprintf("%s %q is in %s, but a flow of this stock must be in %s (the stock's units per time unit)", dir, f, found, e)
			})
		}
	}
}

// defined checks that an equation of a variable (with its graphical
// function, if any) gives the variable's units.
func (c *checker) defined(s *slot, eq model.Equation, lookup *model.Lookup) {
	v := s.v
	if eq.Expr != nil {
		c.eq = eq.Pos
		w := &walker{c: c, eq: eq, name: v.Name}
		val := w.walk(eq.Expr)
		if lookup != nil && v.Kind != model.Stock {
			ls := s.lk
			if ls == nil || ls.l != lookup {
				ls = c.lookupSlot(lookup, v.Name)
			}
			if !val.lit {
				c.need(ls.in.u, val.u, ls.in.declared || val.decl, eq.PosAt(0), v.Name, func(e, f string) string {
					return fmt.Sprintf("its lookup takes %s, but the equation gives %s", e, f)
				})
			}
			val = value{u: ls.out.u, decl: ls.out.declared}
			if !ls.out.declared {
				val = value{u: s.u, decl: s.declared}
			}
		}
		if !val.lit {
			what := "the initial value"
			if v.Kind != model.Stock {
				what = "the equation"
			}
			c.need(s.u, val.u, s.declared || val.decl, eq.PosAt(0), v.Name, func(e, f string) string {
				if s.declared {
					return fmt.Sprintf("declared in %s, but %s gives %s", e, what, f)
				}
				return fmt.Sprintf("used as %s elsewhere, but %s gives %s", e, what, f)
			})
			c.cons[len(c.cons)-1].outer = true
		}
	}
	c.eq = model.Position{}
}

// value is the units of an expression. A literal (a number, or numbers
// combined) takes the units its context needs in sums, comparisons and
// arguments, and is dimensionless in products.
type value struct {
	u     Unit
	decl  bool // u depends on declared units (see constraint.decl)
	lit   bool
	num   float64 // the value of a literal, when isNum
	isNum bool
}

type walker struct {
	c    *checker
	eq   model.Equation
	name string
}

func (w *walker) pos(e expr.Expr) model.Position { return w.eq.PosAt(e.Pos()) }

func (w *walker) need(expected, found Unit, decl bool, at expr.Expr, msg func(e, f string) string) {
	w.c.need(expected, found, decl, w.pos(at), w.name, msg)
}

func (w *walker) walk(e expr.Expr) value {
	switch n := e.(type) {
	case *expr.Number:
		return value{lit: true, num: n.Value, isNum: true}
	case *expr.Ident:
		return w.ident(n.Name)
	case *expr.Index:
		// An element of an arrayed variable has the variable's units;
		// the subscripts name elements or count positions.
		return w.ident(n.Name)
	case *expr.Unary:
		x := w.walk(n.X)
		switch n.Op {
		case expr.Not:
			return value{}
		case expr.Neg:
			x.num = -x.num
		}
		return x
	case *expr.Binary:
		return w.binary(n)
	case *expr.If:
		w.walk(n.Cond)
		return w.same(w.walk(n.Then), w.walk(n.Else), n.Else, func(e, f string) string {
			return fmt.Sprintf("IF branches must have the same units, but THEN gives %s and ELSE gives %s", e, f)
		})
	case *expr.Call:
		return w.call(n)
	}
	return value{u: w.c.unknown("expression")}
}

// same returns the units of two operands that must agree, constraining
// them when neither is a literal.
func (w *walker) same(x, y value, at expr.Expr, msg func(e, f string) string) value {
	switch {
	case x.lit && y.lit:
		return x
	case x.lit:
		return y
	case y.lit:
		return x
	}
	w.need(x.u, y.u, x.decl || y.decl, at, msg)
	x.decl = x.decl || y.decl
	return x
}

func (w *walker) ident(name string) value {
	k := model.Canonical(name)
	if s := w.c.vars[k]; s != nil {
		return value{u: s.u, decl: s.declared}
	}
	switch clock, bare := builtin.Resolve(k); {
	case clock != 0: // TIME, DT, STARTTIME, STOPTIME
		return value{u: w.c.time.u, decl: w.c.time.declared}
	case bare != nil: // PI
		return value{}
	}
	return value{u: w.c.unknown(name)} // undefined: the compiler says so
}

func (w *walker) binary(n *expr.Binary) value {
	x, y := w.walk(n.X), w.walk(n.Y)
	switch n.Op {
	case expr.Add, expr.Sub:
		v := w.same(x, y, n, func(e, f string) string {
			if n.Op == expr.Add {
				return fmt.Sprintf("cannot add %s and %s", e, f)
			}
			return fmt.Sprintf("cannot subtract %s from %s", f, e)
		})
		if x.isNum && y.isNum {
			v.num, v.isNum = x.num+y.num, true
			if n.Op == expr.Sub {
				v.num = x.num - y.num
			}
		}
		return v
	case expr.Mod:
		return w.same(x, y, n, func(e, f string) string {
			return fmt.Sprintf("mod needs operands of the same units, found %s mod %s", e, f)
		})
	case expr.Mul, expr.Div:
		v := value{lit: x.lit && y.lit, decl: x.decl || y.decl}
		if n.Op == expr.Mul {
			v.u = x.u.Mul(y.u)
			v.num, v.isNum = x.num*y.num, x.isNum && y.isNum
		} else {
			v.u = x.u.Div(y.u)
			v.num, v.isNum = x.num/y.num, x.isNum && y.isNum && y.num != 0
		}
		return v
	case expr.Pow:
		if !y.lit {
			w.need(Unit{}, y.u, y.decl, n.Y, func(e, f string) string {
				return fmt.Sprintf("an exponent must be dimensionless, found %s", f)
			})
		}
		if y.isNum {
			return value{u: x.u.Pow(y.num), lit: x.lit, decl: x.decl}
		}
		if !x.lit {
			w.need(Unit{}, x.u, x.decl, n.X, func(e, f string) string {
				return fmt.Sprintf("only a number can raise units to a power, but %s is raised to %s", f, expr.Format(n.Y))
			})
		}
		return value{}
	case expr.Eq, expr.Ne, expr.Lt, expr.Gt, expr.Le, expr.Ge:
		w.same(x, y, n, func(e, f string) string {
			return fmt.Sprintf("cannot compare %s with %s", e, f)
		})
		return value{}
	}
	return value{} // and, or
}

func (w *walker) call(n *expr.Call) value {
	k := model.Canonical(n.Func)
	if ls := w.c.lookupNamed(k); ls != nil {
		return w.lookupCall(ls, n.Func, n.Args, n)
	}
	r, ok := ruleOf(k)
	if !ok {
		for _, a := range n.Args {
			w.walk(a)
		}
		return value{u: w.c.unknown(n.Func)}
	}
	if r.table >= 0 && r.table < len(n.Args) {
		// LOOKUP(table, x): the table argument names a lookup.
		var table string
		switch id := n.Args[r.table].(type) {
		case *expr.Ident:
			table = id.Name
		case *expr.Index:
			table = id.Name
		}
		if ls := w.c.lookupNamed(model.Canonical(table)); ls != nil {
			rest := append(append([]expr.Expr(nil), n.Args[:r.table]...), n.Args[r.table+1:]...)
			return w.lookupCall(ls, table, rest, n)
		}
		return value{u: w.c.unknown(n.Func)}
	}
	vars := make(map[string]Unit)
	varDecl := make(map[string]bool) // whether a type variable's units depend on a declaration
	litVars := make(map[string]bool) // type variables only literals were given for
	for i, a := range n.Args {
		x := w.walk(a)
		p := r.param(i)
		if p == nil || p.units == "" || p.units == "*" {
			continue
		}
		pat := p.pattern
		bare := bareVar(pat)
		if x.lit {
			if bare != "" {
				litVars[bare] = true
			}
			continue
		}
		// A parameter that is just a type variable binds it to the
		// argument's units the first time.
		if bare != "" {
			if _, bound := vars[bare]; !bound {
				vars[bare], varDecl[bare] = x.u, x.decl
				continue
			}
		}
		expected := w.instantiate(pat, vars, n.Func)
		decl := x.decl || w.patternDecl(pat, varDecl)
		fn, i, pname := strings.ToUpper(n.Func), i, p.name
		w.need(expected, x.u, decl, a, func(e, f string) string {
			return fmt.Sprintf("%s argument %d (%s) must be in %s, found %s", fn, i+1, pname, e, f)
		})
	}
	if r.any {
		return value{u: w.c.unknown(n.Func)}
	}
	if v := bareVar(r.result); v != "" && litVars[v] {
		if _, bound := vars[v]; !bound {
			return value{lit: true} // STEP(5, 10), MIN(1, 2): a number
		}
	}
	return value{u: w.instantiate(r.result, vars, n.Func), decl: w.patternDecl(r.result, varDecl)}
}

// patternDecl reports whether a pattern's units depend on a declaration:
// through T when the model declares its time unit, or through a type
// variable bound to declared units.
func (w *walker) patternDecl(p Unit, varDecl map[string]bool) bool {
	for _, t := range p.terms {
		if t.name == timeVar && w.c.time.declared || varDecl[t.name] {
			return true
		}
	}
	return false
}

// bareVar returns the type variable a pattern is, if it is just one.
func bareVar(p Unit) string {
	if len(p.terms) == 1 && p.terms[0].pow == 1 && p.scale == 0 && isVar(p.terms[0].name) {
		return p.terms[0].name
	}
	return ""
}

// lookupNamed returns the lookup a call by that canonical name applies: a
// named lookup, or a variable's graphical function (the variable's units
// are then those of the lookup's output, unless it declares its own).
func (c *checker) lookupNamed(k string) *lookupSlot {
	if ls := c.lookups[k]; ls != nil {
		return ls
	}
	if s := c.vars[k]; s != nil && s.lk != nil {
		if !s.lk.out.declared {
			return &lookupSlot{l: s.lk.l, in: s.lk.in, out: slot{u: s.u, declared: s.declared}}
		}
		return s.lk
	}
	return nil
}

func (w *walker) lookupCall(ls *lookupSlot, name string, args []expr.Expr, n *expr.Call) value {
	for i, a := range args {
		x := w.walk(a)
		if i == 0 && !x.lit {
			w.need(ls.in.u, x.u, ls.in.declared || x.decl, a, func(e, f string) string {
				return fmt.Sprintf("lookup %q takes %s, found %s", name, e, f)
			})
		}
	}
	return value{u: ls.out.u, decl: ls.out.declared}
}

// instantiate replaces the time unit and the type variables of a rule's
// pattern, giving unbound variables fresh unknowns.
func (w *walker) instantiate(p Unit, vars map[string]Unit, fn string) Unit {
	out := Unit{scale: p.scale}
	for _, t := range p.terms {
		var u Unit
		switch {
		case t.name == timeVar:
			u = w.c.time.u
		case isVar(t.name):
			b, ok := vars[t.name]
			if !ok {
				b = w.c.unknown(fn + " " + t.name)
				vars[t.name] = b
			}
			u = b
		default:
			u = Unit{terms: []term{{t.name, 1}}}
		}
		out = out.Mul(u.Pow(t.pow))
	}
	return out
}

// solve works out the unknown units: first from constraints with one
// unknown, then by eliminating one unknown of a constraint with several,
// until nothing changes.
func (c *checker) solve() {
	for {
		progress := false
		for _, k := range c.cons {
			if k.done {
				continue
			}
			r := c.subst(k.expected).Div(c.subst(k.found))
			unk := unknowns(r)
			switch len(unk) {
			case 0:
				k.done = true
			case 1:
				c.eliminate(unk[0], r, k)
				k.done, progress = true, true
			}
		}
		if progress {
			continue
		}
		for _, k := range c.cons {
			if k.done {
				continue
			}
			r := c.subst(k.expected).Div(c.subst(k.found))
			if unk := unknowns(r); len(unk) > 0 {
				c.eliminate(unk[0], r, k)
				k.done, progress = true, true
				break
			}
		}
		if !progress {
			return
		}
	}
}

// eliminate solves r = 1, which constraint k gave, for the unknown t of r.
func (c *checker) eliminate(t term, r Unit, k *constraint) {
	// r = t^p · rest = 1, so t = rest^(-1/p).
	rest := r.Mul(Unit{terms: []term{{t.name, -t.pow}}})
	c.sol[t.name] = rest.Pow(-1 / t.pow)
	c.solDecl[t.name] = c.declaredBy(k)
}

// declaredBy reports whether a constraint depends on declared units:
// directly, or through an unknown solved from such a constraint.
func (c *checker) declaredBy(k *constraint) bool {
	return k.decl || c.tainted(k.expected, 0) || c.tainted(k.found, 0)
}

// tainted reports whether u has an unknown whose solution depends on
// declared units, following solutions into the unknowns they hold.
func (c *checker) tainted(u Unit, depth int) bool {
	if depth > 1000 {
		return false
	}
	for _, t := range u.terms {
		if !isUnknown(t.name) {
			continue
		}
		s, solved := c.sol[t.name]
		if solved && (c.solDecl[t.name] || c.tainted(s, depth+1)) {
			return true
		}
	}
	return false
}

func unknowns(u Unit) []term {
	var out []term
	for _, t := range u.terms {
		if isUnknown(t.name) {
			out = append(out, t)
		}
	}
	return out
}

// subst replaces every solved unknown of u by its solution.
func (c *checker) subst(u Unit) Unit {
	for range 1000 {
		changed := false
		out := Unit{scale: u.scale}
		for _, t := range u.terms {
			if s, ok := c.sol[t.name]; ok {
				out = out.Mul(s.Pow(t.pow))
				changed = true
			} else {
				out = out.Mul(Unit{terms: []term{t}})
			}
		}
		u = out
		if !changed {
			break
		}
	}
	return u
}

// known returns u with its unknowns solved, and whether none is left.
func (c *checker) known(u Unit) (Unit, bool) {
	u = c.subst(u)
	return u, len(unknowns(u)) == 0
}

// report turns every constraint whose units are known and differ into an
// error.
func (c *checker) report() {
	seen := make(map[string]bool)
	failed := func(k *constraint) (e, f Unit, bad bool) {
		e, ok1 := c.known(k.expected)
		f, ok2 := c.known(k.found)
		return e, f, ok1 && ok2 && !e.Equal(f) && c.declaredBy(k)
	}
	inner := make(map[model.Position]bool) // equations with a problem inside
	for _, k := range c.cons {
		if _, _, bad := failed(k); bad && !k.outer && k.eq.IsValid() {
			inner[k.eq] = true
		}
	}
	for _, k := range c.cons {
		e, f, bad := failed(k)
		if !bad || k.outer && inner[k.eq] {
			continue
		}
		es, fs := c.sys.Format(e), c.sys.Format(f)
		msg := k.msg(es, fs)
		if e.SameDimension(f) {
			msg += fmt.Sprintf(" (they differ by a factor of %.6g)", f.Scale()/e.Scale())
		}
		key := k.pos.String() + msg
		if seen[key] {
			continue
		}
		seen[key] = true
		c.errs = append(c.errs, (&Error{Pos: k.pos, Var: k.name, Expected: es, Found: fs, Msg: msg}).wrap())
	}
}

func (c *checker) entry(name string, kind model.Kind, declared string, s slot) Entry {
	e := Entry{Name: name, Kind: kind, Declared: strings.TrimSpace(declared)}
	e.Units, e.Known = c.known(s.u)
	e.Inferred = e.Known && !s.declared
	if !e.Known {
		e.Units = Unit{}
	}
	return e
}

func (c *checker) result() *Report {
	r := &Report{System: c.sys, Time: c.entry("time", 0, c.m.Time.Units, c.time)}
	for _, v := range c.m.Vars {
		s := c.vars[model.Canonical(v.Name)]
		if s == nil || s.v != v {
			continue
		}
		r.Vars = append(r.Vars, c.entry(v.Name, v.Kind, v.Units, *s))
	}
	for _, l := range c.m.Lookups {
		s := c.lookups[model.Canonical(l.Name)]
		if s == nil || s.l != l {
			continue
		}
		e := c.entry(l.Name, 0, l.Units, s.out)
		in := c.entry(l.Name, 0, l.InputUnits, s.in)
		e.Input, e.InputKnown, e.InputDeclared = in.Units, in.Known, in.Declared
		r.Lookups = append(r.Lookups, e)
	}
	return r
}
