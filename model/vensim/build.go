package vensim

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/builtin"
	"github.com/stockflow/stockflow/model/expr"
)

// This file turns the parsed equations into the model's variables,
// lookups and time settings.

// scope resolves the names of a macro's instance: its parameters and its
// own variables get the instance's names.
type scope struct {
	macro  *macro
	locals map[string]string // canonical local name → the instance's name
}

// pendingStock is a stock whose flows are found once every variable is
// known.
type pendingStock struct {
	v    *model.Variable
	rate node
	sc   *scope
	at   int
}

// lowerError stops the lowering of one equation.
type lowerError struct {
	at  int
	msg string
	err error
}

type builder struct {
	*reader
	stocks        []pendingStock
	arrayedStocks []arrayedStock
	dims          map[string]*model.Dimension // by canonical name
	// top is the whole of the equation being lowered.
	top node
	// moded holds the copies of lookups made for LOOKUP EXTRAPOLATE and
	// LOOKUP BACKWARD, by canonical name and mode.
	moded map[string]string
	// owner is the variable whose whole equation is being lowered, when
	// a macro's call there may hand outputs to other names; outputs
	// holds those calls.
	owner   string
	outputs []model.MacroOutputs
	// books holds the data files read, by path and separator.
	books map[string]*book
}

func (rd *reader) build() {
	b := &builder{reader: rd, dims: make(map[string]*model.Dimension)}
	// name = GET XLS LOOKUPS(...) defines a lookup, as name(GET XLS
	// LOOKUPS(...)) does.
	for _, eq := range rd.eqs {
		if eq.kind == eqNormal && asGet(eq.rhs, getLookups) != nil {
			eq.kind = eqLookup
		}
	}
	// The equations of each name, in the order names first appear.
	var order []string
	groups := make(map[string][]*equation)
	for _, eq := range rd.eqs {
		c := canonical(eq.name)
		if _, ok := groups[c]; !ok {
			order = append(order, c)
		}
		groups[c] = append(groups[c], eq)
	}
	// A name is one thing: a subscript range, a lookup or a variable.
	for _, c := range order {
		eqs := groups[c]
		for _, eq := range eqs[1:] {
			if eq.kind != eqs[0].kind || eq.subs == nil || eqs[0].subs == nil {
				if eq.kind == eqCheck && eqs[0].kind == eqCheck {
					continue
				}
				rd.errorf(eq.at, "%q is defined twice (first at %s)", eq.name, rd.pos(eqs[0].at))
				groups[c] = eqs[:1]
				break
			}
		}
	}
	// Subscript ranges first, then lookups: equations need to know them.
	// Those read from a data file get their elements first.
	for _, c := range order {
		if eq := groups[c][0]; eq.kind == eqDim && eq.getSubs != nil {
			b.getSubscripts(eq)
		}
	}
	for _, kind := range []eqKind{eqDim, eqEquiv} {
		for _, c := range order {
			if eq := groups[c][0]; eq.kind == kind {
				b.dimension(eq)
			}
		}
	}
	b.subranges()
	for _, c := range order {
		eq := groups[c][0]
		if eq.kind == eqLookup {
			rd.lookups[c] = true
		}
		if call, ok := eq.rhs.(*callNode); ok && eq.kind == eqNormal && strings.HasSuffix(call.name, " LOOKUPS") {
			rd.lookups[c] = true // name = GET 123 LOOKUPS(...), refused below
		}
	}
	// The lookups, before the variables that call them.
	for _, c := range order {
		eqs := groups[c]
		eq := eqs[0]
		if eq.kind != eqLookup {
			continue
		}
		if eq.subs != nil {
			b.arrayedLookup(eqs)
			continue
		}
		if g := asGet(eq.rhs, getLookups); g != nil {
			b.catch(func() {
				s := b.series(g, 1)[0]
				rd.m.Lookups = append(rd.m.Lookups, &model.Lookup{
					Name: eq.name, X: s.x, Y: s.y, Units: eq.units, Doc: eq.doc, Pos: rd.pos(eq.at),
				})
			})
			continue
		}
		tb, ok := eq.rhs.(*tableNode)
		if !ok {
			b.catch(func() { b.lower(eq.rhs, nil) })
			continue
		}
		rd.m.Lookups = append(rd.m.Lookups, &model.Lookup{
			Name: eq.name, X: tb.x, Y: tb.y, Units: eq.units, Doc: eq.doc, Pos: rd.pos(eq.at),
		})
	}
	for _, c := range order {
		eqs := groups[c]
		eq := eqs[0]
		switch eq.kind {
		case eqCheck, eqDim, eqEquiv, eqLookup:
			// Reality checks take no part in a run.
		case eqNoEq:
			rd.unsupported(eq.at, "%q has no equation: its values come from a data file (.vdf) or from another model, which is not supported", eq.name)
		case eqNormal:
			if isControl(c) {
				continue
			}
			bad := false
			for _, eq := range eqs {
				if eq.data == "" {
					continue
				}
				if _, ok := eq.rhs.(*callNode); !ok {
					rd.unsupported(eq.at, "data equations (:%s:) are not supported", eq.data)
					bad = true
				}
			}
			if bad {
				continue
			}
			if eq.subs != nil {
				b.arrayed(eqs, nil, eq.name)
				continue
			}
			b.variable(eq, nil, eq.name)
		}
	}
	b.flows()
	b.arrayedFlows()
	b.expandMacros()
}

// expandMacros builds the macros' definitions and expands their calls
// (model.ExpandMacros): each call becomes a copy of the macro's
// variables, named "NAME k.variable".
func (b *builder) expandMacros() {
	if len(b.macros) == 0 {
		return
	}
	defs := make([]*macro, 0, len(b.macros))
	for _, mc := range b.macros {
		defs = append(defs, mc)
	}
	sort.Slice(defs, func(i, j int) bool { return defs[i].at < defs[j].at })
	macros := make([]*model.Macro, len(defs))
	before := len(b.errs)
	for i, mc := range defs {
		macros[i] = b.macroDef(mc)
	}
	if len(b.errs) > before {
		return // the calls of a macro that failed would only repeat it
	}
	if b.writable(macros) {
		// The model as written, kept for the writers (model.Parts).
		b.m.Parts = model.SnapshotParts(b.m)
		b.m.Parts.Macros = macros
	}
	if err := model.ExpandMacros(b.m, macros, b.outputs...); err != nil {
		b.errs.Append(err)
	}
}

// writable reports whether YAML and XMILE can hold the macros as they
// are: neither has further outputs (MACRO(a : out)).
func (b *builder) writable(macros []*model.Macro) bool {
	if len(b.outputs) > 0 {
		return false
	}
	for _, m := range macros {
		if len(m.Outputs) > 0 || len(m.Calls) > 0 {
			return false
		}
	}
	return true
}

// macroDef builds a :MACRO: as a model.Macro: its equations become the
// variables of its body, under their own names (the parameters and the
// macro's variables are the names the body may use), and the variable
// named as the macro is its result.
func (b *builder) macroDef(mc *macro) *model.Macro {
	mac := &model.Macro{Name: mc.name, Outputs: mc.outs, Pos: b.pos(mc.at)}
	sc := &scope{macro: mc, locals: make(map[string]string)}
	for _, p := range mc.params {
		mac.Params = append(mac.Params, model.MacroParam{Name: p})
		sc.locals[canonical(p)] = p
	}
	// The names a call in the body hands outputs to stand in the body as
	// variables without equations, so that each copy owns them.
	var receivers []*model.Variable
	for _, eq := range mc.eqs {
		sc.locals[canonical(eq.name)] = eq.name
		if c, ok := eq.rhs.(*callNode); ok {
			for _, o := range c.outs {
				sc.locals[canonical(o.name)] = o.name
				receivers = append(receivers, &model.Variable{Kind: model.Aux, Name: o.name, Pos: b.pos(o.at)})
			}
		}
	}
	if _, ok := sc.locals[canonical(mc.name)]; !ok {
		b.errorf(mc.at, "the macro %s defines no variable %s, its output", mc.name, mc.name)
	}
	for _, out := range mc.outs {
		if _, ok := sc.locals[canonical(out)]; !ok {
			b.errorf(mc.at, "the macro %s defines no variable %s, its output", mc.name, out)
		}
	}
	// The body is built by a builder of its own, into a model of its own.
	rd := *b.reader
	rd.m = &model.Model{Name: mc.name, File: b.file, Time: b.m.Time}
	rd.built = make(map[string]*model.Variable)
	sub := &builder{reader: &rd, dims: b.dims}
	for _, eq := range mc.eqs {
		if eq.kind != eqNormal || eq.subs != nil {
			sub.catch(func() { sub.refuse(eq.at, "only plain equations are supported in a macro") })
			continue
		}
		sub.variable(eq, sc, eq.name)
	}
	sub.flows()
	rd.m.Vars = append(rd.m.Vars, receivers...)
	b.errs = rd.errs
	mac.Body = rd.m
	mac.Calls = sub.outputs
	return mac
}

// catch runs fn, reporting a lowerError it raises.
func (b *builder) catch(fn func()) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			le, isLE := r.(*lowerError)
			if !isLE {
				panic(r)
			}
			b.errs = append(b.errs, &model.Error{Pos: b.pos(le.at), Msg: le.msg, Err: le.err})
			ok = false
		}
	}()
	fn()
	return true
}

func (b *builder) fail(at int, format string, args ...any) {
	panic(&lowerError{at: at, msg: fmt.Sprintf(format, args...)})
}

func (b *builder) refuse(at int, format string, args ...any) {
	panic(&lowerError{at: at, msg: fmt.Sprintf(format, args...), err: ErrUnsupported})
}

// variable makes the variable of an equation under the given name.
func (b *builder) variable(eq *equation, sc *scope, name string) {
	v := &model.Variable{Kind: model.Aux, Name: name, Units: eq.units, Doc: eq.doc, Pos: b.pos(eq.at)}
	b.catch(func() {
		if g := asGet(eq.rhs, getConstants); g != nil && sc == nil {
			v.Equation = b.number(eq.at, b.constants(g, eq, nil)[0])
			return
		}
		if g := asGet(eq.rhs, getData); g != nil && sc == nil {
			b.checkDataMode(eq)
			v.Equation = b.timeEquation(eq.at)
			v.Lookup = b.dataLookup(eq, b.series(g, 1)[0], g.at)
			return
		}
		if c, ok := eq.rhs.(*callNode); ok {
			switch c.name {
			case "INTEG":
				if len(c.args) != 2 {
					b.fail(c.at, "INTEG takes 2 arguments (rate, initial value); found %d", len(c.args))
				}
				v.Kind = model.Stock
				v.Equation = b.equation(c.args[1], sc, eq.at)
				b.stocks = append(b.stocks, pendingStock{v: v, rate: c.args[0], sc: sc, at: c.at})
				return
			case "WITH LOOKUP":
				if len(c.args) != 2 {
					b.fail(c.at, "WITH LOOKUP takes 2 arguments (input, table); found %d", len(c.args))
				}
				tb, ok := c.args[1].(*tableNode)
				if !ok {
					b.fail(c.args[1].position(), "expected a lookup table ((x1,y1), (x2,y2), ...) as the second argument of WITH LOOKUP")
				}
				v.Equation = b.equation(c.args[0], sc, eq.at)
				v.Lookup = &model.Lookup{X: tb.x, Y: tb.y, Pos: b.pos(tb.at)}
				return
			}
		}
		if _, ok := eq.rhs.(*listNode); ok {
			b.refuse(eq.rhs.position(), "a list of values needs subscripts on the left-hand side")
		}
		b.owner = name
		defer func() { b.owner = "" }()
		v.Equation = b.equation(eq.rhs, sc, eq.at)
	})
	v.Range = b.valueRange(eq, v)
	b.m.Vars = append(b.m.Vars, v)
	b.built[canonical(name)] = v
}

// valueRange returns the range written after a variable's units,
// [min, max] or [min, max, step], when both bounds are numbers (Vensim
// writes ? for an open bound) and, for a constant, its value lies inside
// (Vensim only warns of one outside). A range is only a guide to the
// values a constant should be set to; one that does not describe such a
// span (min above max, a step too long) is left out.
func (b *builder) valueRange(eq *equation, v *model.Variable) *model.Range {
	if !eq.hasRange || math.IsNaN(eq.min) || math.IsNaN(eq.max) || math.IsInf(eq.min, 0) || math.IsInf(eq.max, 0) {
		return nil
	}
	r := &model.Range{Min: eq.min, Max: eq.max, Pos: b.pos(eq.at)}
	if !math.IsNaN(eq.step) {
		r.Step = eq.step
	}
	if !(r.Min < r.Max) || r.Step < 0 || r.Step > r.Max-r.Min {
		return nil
	}
	if x, ok := v.Equation.Expr.(*expr.Number); ok && !r.Contains(x.Value) {
		return nil
	}
	return r
}

// equation lowers a node to an equation of the model.
func (b *builder) equation(n node, sc *scope, at int) model.Equation {
	top := b.top
	b.top = n
	defer func() { b.top = top }()
	e := b.lower(n, sc)
	text := expr.Format(e)
	eq, err := model.NewEquation(text, b.pos(start(n)), 0)
	if err != nil {
		b.fail(n.position(), "the equation does not translate: %v", err)
	}
	return eq
}

// start returns the offset of the first character of n (a binary
// operation's position is its operator's).
func start(n node) int {
	for {
		b, ok := n.(*binNode)
		if !ok {
			return n.position()
		}
		n = b.x
	}
}

// lower turns a node into stockflow's expression.
func (b *builder) lower(n node, sc *scope) expr.Expr {
	switch n := n.(type) {
	case *numNode:
		return &expr.Number{Value: n.v}
	case *refNode:
		return b.ref(n, sc)
	case *unaryNode:
		return &expr.Unary{Op: n.op, X: b.lower(n.x, sc)}
	case *binNode:
		x, y := n.x, n.y
		switch n.op {
		case expr.Eq, expr.Ne, expr.Lt, expr.Gt, expr.Le, expr.Ge:
			// dim = elem compares the position of the element being
			// computed with the element's.
			x, y = b.elementValue(x, y, sc), b.elementValue(y, x, sc)
		}
		return &expr.Binary{Op: n.op, X: b.lower(x, sc), Y: b.lower(y, sc)}
	case *callNode:
		return b.call(n, sc)
	case *tableNode:
		b.fail(n.at, "a lookup table may only be the second argument of WITH LOOKUP or a lookup's definition")
	case *listNode:
		b.fail(n.at, "a list of numbers may only be a whole equation")
	case *stringNode:
		b.fail(n.at, "a string may only be an argument of the GET functions")
	}
	b.fail(n.position(), "unexpected expression")
	return nil
}

// elementValue returns e, or the position (from 1) of the element e
// names when the other side of a comparison names a subscript range that
// has that element and e names no variable.
func (b *builder) elementValue(e, other node, sc *scope) node {
	r, ok := e.(*refNode)
	o, ok2 := other.(*refNode)
	if !ok || !ok2 || r.subs != nil || o.subs != nil {
		return e
	}
	c := canonical(r.name)
	if len(b.byName[c]) > 0 || sc != nil && sc.locals[c] != "" {
		return e
	}
	d := b.dims[canonical(o.name)]
	if d == nil || d.Index(r.name) < 0 {
		return e
	}
	return &numNode{at: r.at, v: float64(d.Index(r.name) + 1)}
}

// ref resolves a reference to a variable.
func (b *builder) ref(n *refNode, sc *scope) expr.Expr {
	c := canonical(n.name)
	if n.subs != nil {
		return &expr.Index{Name: b.localName(n.name, sc), Subs: b.subscripts(n.subs)}
	}
	if sc != nil {
		if local, ok := sc.locals[c]; ok {
			return ident(local)
		}
	}
	switch c {
	case "time":
		return ident("TIME")
	case ctlStep:
		return ident("DT")
	case ctlInitial:
		return ident("STARTTIME")
	case ctlFinal:
		return ident("STOPTIME")
	case ctlSave:
		return num(b.control[ctlSave])
	}
	if b.lookups[c] {
		b.fail(n.at, "%q is a lookup: call it with an input, as %s(x)", n.name, n.name)
	}
	return ident(n.name)
}

// call lowers a call of a lookup, a macro or a function.
func (b *builder) call(n *callNode, sc *scope) expr.Expr {
	c := canonical(n.name)
	if b.lookups[c] && (sc == nil || sc.locals[c] == "") {
		if len(n.args) != 1 {
			b.fail(n.at, "the lookup %q takes 1 argument; found %d", n.name, len(n.args))
		}
		call := &expr.Call{Func: b.lookupName(c), Args: []expr.Expr{b.lower(n.args[0], sc)}}
		if n.subs != nil {
			call.Subs = b.subscripts(n.subs)
		}
		return call
	}
	if n.subs != nil {
		b.fail(n.at, "%q is not a lookup, so it cannot be called with subscripts", n.name)
	}
	if n.name == "ELMCOUNT" {
		// The number of elements of a subscript range, known now.
		if len(n.args) != 1 {
			b.fail(n.at, "ELMCOUNT takes 1 argument (a subscript range); found %d", len(n.args))
		}
		r, ok := n.args[0].(*refNode)
		d := b.dims[canonical(refName(n.args[0]))]
		if !ok || r.subs != nil || d == nil {
			b.fail(n.args[0].position(), "expected the name of a subscript range as the argument of ELMCOUNT")
		}
		return num(float64(d.Size()))
	}
	if m, ok := b.macros[c]; ok {
		return b.macroCall(m, n, sc)
	}
	if n.outs != nil {
		b.fail(n.at, "%s is not a macro: only a macro's call lists outputs after a colon", n.name)
	}
	key := functionKey(n.name)
	switch key {
	case "LOOKUP EXTRAPOLATE", "LOOKUP BACKWARD", "LOOKUP FORWARD":
		return b.lookupWithMode(n, sc, key)
	case "SAMPLE IF TRUE":
		if n != b.top {
			b.refuse(n.at, "SAMPLE IF TRUE is only supported as the whole of an equation")
		}
	}
	if key == "GET TIME VALUE" {
		return b.timeValue(n, sc)
	}
	f, ok := functions[key]
	switch {
	case !ok:
		b.refuse(n.at, "the function %s is not supported", n.name)
	case f.external && getFunction(n.name) != getNone:
		b.refuse(n.at, "%s is only supported as the whole of an equation (or, for LOOKUPS, of a lookup's definition)", n.name)
	case f.external:
		b.refuse(n.at, "%s reads data from outside the model file, which is not supported", n.name)
	case f.why != "":
		b.refuse(n.at, "%s is not supported: %s", n.name, f.why)
	case len(n.args) < f.min || len(n.args) > f.max:
		b.fail(n.at, "%s takes %s; found %d", n.name, f.arity(), len(n.args))
	}
	if key == "SMOOTH N" && sc == nil {
		// Vensim takes the order of SMOOTH N once, at the start: an
		// order that changes later is its value then. (Its DELAY N
		// follows a changing order, which stockflow's does not: that
		// stays an error.)
		if _, ok := b.constNode(n.args[3]); !ok {
			if x, ok := b.atStart(n.args[3], 0); ok {
				args := append([]node(nil), n.args...)
				args[3] = &numNode{at: n.args[3].position(), v: x}
				n = &callNode{at: n.at, name: n.name, args: args}
			}
		}
	}
	args := make([]expr.Expr, len(n.args))
	for i, a := range n.args {
		args[i] = b.lower(a, sc)
	}
	if f.rewrite != nil {
		return f.rewrite(args)
	}
	if builtin.Lookup(model.Canonical(f.to)) == nil {
		b.refuse(n.at, "the function %s is not supported", n.name)
	}
	return &expr.Call{Func: f.to, Args: args}
}

// lookupWithMode lowers LOOKUP EXTRAPOLATE(table, x), LOOKUP
// BACKWARD(table, x) and LOOKUP FORWARD(table, x): a call of a copy of the
// table that extrapolates, that steps (holding each point's value up to
// the next point), or that takes the next point's value from just after
// each point.
func (b *builder) lookupWithMode(n *callNode, sc *scope, key string) expr.Expr {
	if len(n.args) != 2 {
		b.fail(n.at, "%s takes 2 arguments (table, x); found %d", key, len(n.args))
	}
	r, ok := n.args[0].(*refNode)
	var orig *model.Lookup
	if ok && r.subs == nil {
		orig = b.m.Lookup(r.name)
	}
	if orig == nil || len(orig.Dims) > 0 {
		b.refuse(n.args[0].position(), "the first argument of %s must name a lookup without subscripts", key)
	}
	mode, suffix := model.Extrapolate, " extrapolated"
	switch key {
	case "LOOKUP BACKWARD":
		mode, suffix = model.Discrete, " backward"
	case "LOOKUP FORWARD":
		mode, suffix = model.Discrete, " forward"
	}
	k := canonical(orig.Name) + suffix
	name, done := b.moded[k]
	if !done {
		name = orig.Name + suffix
		for b.m.Lookup(name) != nil || b.built[canonical(name)] != nil {
			name += "_"
		}
		cp := *orig
		cp.Name, cp.Mode = name, mode
		if key == "LOOKUP FORWARD" && len(cp.X) > 0 {
			cp.X = forward(cp.X)
		}
		b.m.Lookups = append(b.m.Lookups, &cp)
		if b.moded == nil {
			b.moded = make(map[string]string)
		}
		b.moded[k] = name
	}
	return &expr.Call{Func: name, Args: []expr.Expr{b.lower(n.args[1], sc)}}
}

// functionKey is the key of a function in the functions table: upper
// case, with single spaces for underscores and runs of white space.
func functionKey(name string) string {
	return strings.ToUpper(strings.Join(strings.Fields(strings.ReplaceAll(name, "_", " ")), " "))
}

// subscripts lowers the subscripts of a reference: element, range and
// subrange names, and range! for the whole range an aggregation runs
// over.
func (b *builder) subscripts(subs []subRef) []expr.Expr {
	out := make([]expr.Expr, len(subs))
	for i, s := range subs {
		if s.bang {
			if b.dims[canonical(s.name)] == nil {
				b.fail(s.at, "%q! must name a subscript range", s.name)
			}
			out[i] = &expr.Wildcard{Dim: s.name}
			continue
		}
		out[i] = ident(s.name)
	}
	return out
}

func refName(n node) string {
	if r, ok := n.(*refNode); ok {
		return r.name
	}
	return ""
}

// lookupName returns the name of the lookup with canonical name c as
// declared.
func (b *builder) lookupName(c string) string {
	for _, eq := range b.byName[c] {
		if eq.kind == eqLookup {
			return eq.name
		}
	}
	return c
}

// plural writes n things: "1 argument", "2 arguments".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// macroCall lowers a call of a macro to a call that model.ExpandMacros
// expands. The names after a colon receive the macro's further outputs.
func (b *builder) macroCall(m *macro, n *callNode, sc *scope) expr.Expr {
	if len(n.args) != len(m.params) {
		b.fail(n.at, "the macro %s takes %s; found %d", m.name, plural(len(m.params), "argument"), len(n.args))
	}
	if len(n.outs) > 0 {
		if len(n.outs) > len(m.outs) {
			b.fail(n.at, "the macro %s has %s; the call names %d", m.name, plural(len(m.outs), "further output"), len(n.outs))
		}
		if n != b.top || b.owner == "" {
			b.refuse(n.at, "a call of the macro %s that names outputs must be the whole equation of a variable", m.name)
		}
		names := make([]string, len(n.outs))
		for i, o := range n.outs {
			names[i] = b.localName(o.name, sc)
		}
		b.outputs = append(b.outputs, model.MacroOutputs{Var: b.owner, Names: names, Pos: b.pos(n.outs[0].at)})
	}
	args := make([]expr.Expr, len(n.args))
	for i, a := range n.args {
		args[i] = b.lower(a, sc)
	}
	return &expr.Call{Func: m.name, Args: args}
}

// flows gives each stock its inflows and outflows. A rate that is a sum
// and difference of references to variables that are not stocks makes those variables the stock's flows, as Vensim's own XMILE
// export does; any other rate becomes one flow of its own, named after
// the stock ("Population net flow").
func (b *builder) flows() {
	for _, ps := range b.stocks {
		ps := ps
		b.catch(func() {
			var in, out []string
			if b.terms(ps.rate, ps.sc, +1, &in, &out) && distinct(in, out) {
				for _, name := range append(append([]string{}, in...), out...) {
					b.built[canonical(name)].Kind = model.Flow
				}
				ps.v.Inflows, ps.v.Outflows = in, out
				return
			}
			name := ps.v.Name + " net flow"
			for b.built[canonical(name)] != nil {
				name += "_"
			}
			f := &model.Variable{Kind: model.Flow, Name: name, Equation: b.equation(ps.rate, ps.sc, ps.at), Units: perTime(ps.v.Units, b.m.Time.Units), Pos: b.pos(ps.at)}
			b.insertAfter(ps.v, f)
			b.built[canonical(name)] = f
			ps.v.Inflows = []string{name}
		})
	}
}

// terms splits a rate into flows added (in) and subtracted (out). It
// reports false when some term is not a reference to a variable that can
// be a flow.
func (b *builder) terms(n node, sc *scope, sign int, in, out *[]string) bool {
	switch n := n.(type) {
	case *binNode:
		switch n.op {
		case expr.Add:
			return b.terms(n.x, sc, sign, in, out) && b.terms(n.y, sc, sign, in, out)
		case expr.Sub:
			return b.terms(n.x, sc, sign, in, out) && b.terms(n.y, sc, -sign, in, out)
		}
	case *unaryNode:
		switch n.op {
		case expr.Neg:
			return b.terms(n.x, sc, -sign, in, out)
		case expr.Plus:
			return b.terms(n.x, sc, sign, in, out)
		}
	case *refNode:
		if n.subs != nil {
			return false
		}
		id, ok := b.ref(n, sc).(*expr.Ident)
		if !ok {
			return false
		}
		v := b.built[canonical(id.Name)]
		if v == nil || v.Kind == model.Stock {
			return false
		}
		if sign > 0 {
			*in = append(*in, v.Name)
		} else {
			*out = append(*out, v.Name)
		}
		return true
	}
	return false
}

// distinct reports whether no name appears twice among in and out.
func distinct(in, out []string) bool {
	seen := make(map[string]bool)
	for _, n := range append(append([]string{}, in...), out...) {
		c := canonical(n)
		if seen[c] {
			return false
		}
		seen[c] = true
	}
	return len(seen) > 0
}

// insertAfter puts f right after v among the model's variables.
func (b *builder) insertAfter(v, f *model.Variable) {
	for i, x := range b.m.Vars {
		if x == v {
			b.m.Vars = append(b.m.Vars[:i+1], append([]*model.Variable{f}, b.m.Vars[i+1:]...)...)
			return
		}
	}
	b.m.Vars = append(b.m.Vars, f)
}

// perTime returns the units of a stock's rate.
func perTime(units, timeUnits string) string {
	if units == "" || timeUnits == "" {
		return ""
	}
	if strings.ContainsAny(units, "+-*/^ ") {
		units = "(" + units + ")"
	}
	if strings.ContainsAny(timeUnits, "+-*/^ ") {
		timeUnits = "(" + timeUnits + ")"
	}
	return units + "/" + timeUnits
}
