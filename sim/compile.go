package sim

import (
	"fmt"
	"math"

	"github.com/stockflow/stockflow/model"
	spec "github.com/stockflow/stockflow/model/builtin"
	"github.com/stockflow/stockflow/model/expr"
)

// Program is a compiled model, ready to run. It is immutable: any number of
// goroutines may run it at once, each run owning its state.
type Program struct {
	model *model.Model
	flat  *model.Model // the model with its arrays resolved to elements
	time  model.Time

	nodes  []*node        // every variable; a node's index is its slot
	index  map[string]int // canonical name → slot
	init   []int          // slots in the order their initial values are computed
	step   []stepItem     // dynamic auxiliaries and flows, in evaluation order
	stage  []stageItem    // the same by level, in batches (eval.go)
	regs   int            // the registers the batches need
	stocks []stockItem
	tables []*table       // lookup tables: named ones, then inline ones
	named  map[string]int // canonical name → table, for names callable as name(x)
	public []int          // the slots of the output columns, in model order

	// termSlot lists each stock's flows in stock order, inflows then
	// outflows, termSign their signs (+1 in, −1 out); termEnd[j] ends
	// stock j's. stockSlot is each stock's slot.
	termSlot  []int
	termSign  []float64
	termEnd   []int
	stockSlot []int
	// For Program.euler: the stocks of exactly two flows, and the
	// others' indices in p.stocks.
	pairs  []stockPair
	others []int

	nonNeg  []nnStock // the non-negative stocks, in the order they are limited
	nnFlows []nnFlow  // the flows they may limit
	nnTerms int       // the number of their terms

	delays []int              // per fixed DELAY: the slot of its input
	prevs  []prevSite         // per PREVIOUS: where it reads and writes
	sites  map[*expr.Call]int // per random call: its index in run.rand
	seeded []bool             // per random call: whether it has its own seed
}

// prevSite is a PREVIOUS call: slot holds the value in at the step before.
type prevSite struct{ slot, in int }

// node is a variable of the compiled program: a model variable or a hidden
// one made by expanding a stateful builtin.
type node struct {
	name   string // as written in the model; hidden names start with "\x00"
	owner  string // for a hidden node, the model variable it serves
	kind   model.Kind
	hidden bool
	eq     model.Equation // where the equation came from, for messages
	x      expr.Expr      // the equation (a stock's initial value)
	nonNeg bool
	rng    *model.Range // the range the model declares, if any
	table  int          // inline lookup applied to the value, or -1
	in     []int
	out    []int
	deps   []int // slots the equation references
	time   bool  // the value changes with time whatever its inputs do (TIME, STEP, RANDOM, ...)
	draws  bool  // the equation calls a random function
	static bool  // the value never changes during a run
	fn     evalFn

	// Hidden nodes of stateful functions may depend on different slots
	// at the start (initDeps) than during a step (deps), may keep state
	// the step does not compute (state, like a stock), may never change
	// after the start (fixed), and may build their own closure (custom).
	split    bool
	initDeps []int
	state    bool
	fixed    bool
	custom   func(p *Program) evalFn
	// check, when set, says what is wrong with the node's value at the
	// start ("" when nothing is); checkAt is where in the equation.
	check   func(v float64) string
	checkAt expr.Pos
	// For the code generator: op names what custom computes when it is
	// simple ("init", "active_initial"), from the slots in opArgs; origin
	// is the stateful call a node with custom state comes from.
	op     string
	opArgs []int
	origin *expr.Call
}

// ownerName is the model variable a node serves: itself, or for a hidden
// node, its owner.
func (n *node) ownerName() string {
	if n.hidden {
		return n.owner
	}
	return n.name
}

// depsFor returns the dependencies that order the start (init) or a step.
func (n *node) depsFor(init bool) []int {
	if init && n.split {
		return n.initDeps
	}
	return n.deps
}

type stepItem struct {
	slot   int
	fn     evalFn
	nonNeg bool
}

// stockPair is a stock of two flows, a and b, of signs sa and sb.
type stockPair struct {
	slot, a, b int
	sa, sb     float64
}

type stockItem struct {
	slot    int
	in, out []int
	nonNeg  bool
}

// Compile checks a model and compiles it to a Program. The error, if any,
// is a model.ErrorList with every independent problem found: undefined
// names, wrong argument counts, unknown functions, algebraic loops and
// everything model.Validate reports.
func Compile(m *model.Model) (*Program, error) {
	if m == nil {
		panic("sim: Compile of a nil model")
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	flat, err := model.Flatten(m)
	if err != nil {
		return nil, err
	}
	c := &compiler{p: &Program{
		model: m,
		flat:  flat,
		time:  m.Time,
		index: make(map[string]int),
		named: make(map[string]int),
		sites: make(map[*expr.Call]int),
	}}
	if c.p.time.Method == 0 {
		c.p.time.Method = model.Euler
	}
	c.declare()
	if err := c.errs.Err(); err != nil {
		return nil, err
	}
	c.expandAll()
	c.resolve()
	c.order()
	if err := c.errs.Err(); err != nil {
		return nil, err
	}
	c.compileNonNeg()
	c.build()
	// The model's own scenarios may set only what does not change during
	// a run: checked now, at their positions.
	c.errs = append(c.errs, c.p.checkSettings(m.Scenarios)...)
	c.checkUncertain()
	if err := c.errs.Err(); err != nil {
		return nil, err
	}
	return c.p, nil
}

// checkUncertain reports an uncertainty declared on a variable that is not
// a constant, which no study could vary.
func (c *compiler) checkUncertain() {
	for _, v := range c.p.model.Vars {
		if v.Uncertainty == nil {
			continue
		}
		if n := c.p.nodes[c.p.index[model.Canonical(v.Name)]]; !n.static && n.kind != model.Stock {
			pos := v.Uncertainty.Pos
			if !pos.IsValid() {
				pos = v.Pos
			}
			c.errs.Add(pos, "%q declares an uncertainty but is not a constant (its value changes during a run)", v.Name)
		}
	}
}

type compiler struct {
	p     *Program
	errs  model.ErrorList
	seq   int               // numbers hidden nodes
	canon map[string]string // names as written → model.Canonical
}

// canonical is model.Canonical of a name as an equation writes it,
// remembered: a large model spells the same names many times.
func (c *compiler) canonical(name string) string {
	if s, ok := c.canon[name]; ok {
		return s
	}
	if c.canon == nil {
		c.canon = make(map[string]string)
	}
	s := model.Canonical(name)
	c.canon[name] = s
	return s
}

// declare makes a node for each variable and a table for each lookup.
func (c *compiler) declare() {
	p := c.p
	for _, l := range p.flat.Lookups {
		p.named[model.Canonical(l.Name)] = len(p.tables)
		p.tables = append(p.tables, newTable(l))
	}
	for _, v := range p.flat.Vars {
		n := &node{name: v.Name, kind: v.Kind, eq: v.Equation, x: v.Equation.Expr, nonNeg: v.NonNegative, rng: v.Range, table: -1}
		if n.x == nil {
			// A model built by a program may hold equation text only.
			eq, err := model.NewEquation(v.Equation.Text, v.Equation.Pos, 0)
			if err != nil {
				c.errs.Append(err)
				continue
			}
			n.eq, n.x = eq, eq.Expr
		}
		if v.Lookup != nil {
			n.table = len(p.tables)
			p.named[model.Canonical(v.Name)] = n.table
			p.tables = append(p.tables, newTable(v.Lookup))
		}
		p.index[model.Canonical(v.Name)] = len(p.nodes)
		p.nodes = append(p.nodes, n)
	}
	for _, v := range p.flat.Vars {
		if v.Kind != model.Stock && v.Initial.Text != "" {
			c.initialEquation(p.nodes[p.index[model.Canonical(v.Name)]], v.Initial)
		}
	}
	for _, v := range p.flat.Vars {
		if v.Kind != model.Stock {
			continue
		}
		n := p.nodes[p.index[model.Canonical(v.Name)]]
		for _, f := range v.Inflows {
			n.in = append(n.in, p.index[model.Canonical(f)])
		}
		for _, f := range v.Outflows {
			n.out = append(n.out, p.index[model.Canonical(f)])
		}
	}
}

// initialEquation gives an auxiliary or flow the value of its initial
// equation while the initial values are computed: its equation becomes
// ACTIVE_INITIAL(equation, initial), where initial is a hidden node that
// keeps the initial equation's own text and positions for messages.
func (c *compiler) initialEquation(n *node, eq model.Equation) {
	if eq.Expr == nil {
		parsed, err := model.NewEquation(eq.Text, eq.Pos, 0)
		if err != nil {
			c.errs.Append(err)
			return
		}
		eq = parsed
	}
	if n.x == nil {
		return
	}
	h := c.hidden(n, model.Aux, "initial", eq.Expr)
	h.eq = eq
	at := n.x.Pos()
	n.x = &expr.Call{At: at, Func: "ACTIVE_INITIAL", Args: []expr.Expr{n.x, ref(h, at)}}
}

// resolve checks every name and call in every equation and records each
// node's dependencies.
func (c *compiler) resolve() {
	for _, n := range c.p.nodes {
		if n.x == nil {
			continue
		}
		c.resolveExpr(n, n.x)
		if n.state {
			// A node with state is computed only at the start.
			n.split, n.initDeps, n.deps = true, n.deps, nil
		}
	}
}

func (c *compiler) resolveExpr(n *node, e expr.Expr) {
	p := c.p
	expr.Walk(e, func(e expr.Expr) bool {
		switch e := e.(type) {
		case *expr.Ident:
			name := c.canonical(e.Name)
			if slot, ok := p.index[name]; ok {
				n.deps = append(n.deps, slot)
				return true
			}
			clock, bare := spec.Resolve(name)
			switch {
			case clock == spec.Time:
				n.time = true
			case clock != 0, bare != nil:
			case p.hasTable(name):
				c.errorf(n, e, "lookup %q must be called with an argument, as %s(x)", e.Name, e.Name)
			default:
				c.errorf(n, e, "undefined variable %q%s", e.Name, model.DidYouMean(e.Name, c.varNames()))
			}
		case *expr.Call:
			name := c.canonical(e.Func)
			if name == "lookup" {
				// LOOKUP(table, x): the first argument names a lookup.
				if len(e.Args) != 2 {
					c.errorf(n, e, "LOOKUP takes 2 arguments, not %d (LOOKUP(table, x))", len(e.Args))
					return false
				}
				if !p.hasTable(model.Canonical(identName(e.Args[0]))) {
					c.errorf(n, e.Args[0], "the first argument of LOOKUP must name a lookup, not %s", expr.Format(e.Args[0]))
				}
				c.resolveExpr(n, e.Args[1])
				return false
			}
			if _, ok := p.named[name]; ok {
				if len(e.Args) != 1 {
					c.errorf(n, e, "lookup %q takes 1 argument, not %d", e.Func, len(e.Args))
				}
				return true
			}
			b, ok := builtins[name]
			switch {
			case !ok:
				c.errorf(n, e, "unknown function %q%s", e.Func, model.DidYouMean(e.Func, c.funcNames()))
			case b.expand != nil:
				// A call left unexpanded had its error reported.
			default:
				c.checkArity(n, e, b)
				if b.time() {
					n.time = true
				}
				if b.sample != nil {
					n.draws = true
					c.p.sites[e] = len(c.p.seeded)
					c.p.seeded = append(c.p.seeded, b.seed < len(e.Args))
				}
			}
		}
		return true
	})
}

func (p *Program) hasTable(canonical string) bool {
	_, ok := p.named[canonical]
	return ok
}

func (c *compiler) errorf(n *node, e expr.Expr, format string, args ...any) {
	c.errs.Add(n.eq.PosAt(e.Pos()), format, args...)
}

func (c *compiler) varNames() []string {
	var out []string
	for _, n := range c.p.nodes {
		if !n.hidden {
			out = append(out, n.name)
		}
	}
	return out
}

func (c *compiler) funcNames() []string {
	out := spec.Names()
	for _, l := range c.p.model.Lookups {
		out = append(out, l.Name)
	}
	// A mistyped macro call reaches here unexpanded: suggest the macros too.
	if parts := c.p.model.Parts; parts != nil {
		for _, m := range parts.Macros {
			out = append(out, m.Name)
		}
	}
	return out
}

// order computes the initialisation order and the per-step order, and
// reports cycles.
func (c *compiler) order() {
	p := c.p
	// Initial values: every dependency counts, stocks included.
	p.init = c.sort(func(int) bool { return true }, true)
	// Which values never change: not stocks, not TIME, nothing that does.
	for _, slot := range p.init {
		n := p.nodes[slot]
		n.static = n.fixed || n.kind != model.Stock && !n.state && !n.time
		for _, d := range n.deps {
			if !p.nodes[d].static && !n.fixed {
				n.static = false
			}
		}
	}
	// Each step: auxiliaries and flows, given the stocks.
	order := c.sort(func(slot int) bool { n := p.nodes[slot]; return n.kind != model.Stock && !n.state }, false)
	for _, slot := range order {
		if n := p.nodes[slot]; !n.static {
			p.step = append(p.step, stepItem{slot: slot, nonNeg: n.nonNeg && n.kind == model.Flow})
		}
	}
	for slot, n := range p.nodes {
		if n.kind == model.Stock {
			p.stocks = append(p.stocks, stockItem{slot: slot, in: n.in, out: n.out, nonNeg: n.nonNeg})
			p.stockSlot = append(p.stockSlot, slot)
			for _, f := range n.in {
				p.termSlot = append(p.termSlot, f)
				p.termSign = append(p.termSign, 1)
			}
			for _, f := range n.out {
				p.termSlot = append(p.termSlot, f)
				p.termSign = append(p.termSign, -1)
			}
			p.termEnd = append(p.termEnd, len(p.termSlot))
			if k := len(p.termSlot); len(n.in)+len(n.out) == 2 {
				p.pairs = append(p.pairs, stockPair{slot: slot, a: p.termSlot[k-2], b: p.termSlot[k-1], sa: p.termSign[k-2], sb: p.termSign[k-1]})
			} else {
				p.others = append(p.others, len(p.stockSlot)-1)
			}
		}
		if !n.hidden {
			p.public = append(p.public, slot)
		}
	}
}

// sort returns the slots for which keep is true in dependency order
// (dependencies first, ties in declaration order), following only
// dependencies on kept slots. Each cycle found is reported once.
func (c *compiler) sort(keep func(int) bool, init bool) []int {
	p := c.p
	const (
		white = iota
		grey
		black
	)
	colour := make([]int, len(p.nodes))
	var out, path []int
	var visit func(slot int)
	visit = func(slot int) {
		colour[slot] = grey
		path = append(path, slot)
		for _, d := range p.nodes[slot].depsFor(init) {
			if !keep(d) {
				continue
			}
			switch colour[d] {
			case white:
				visit(d)
			case grey:
				c.cycle(path, d, init)
			}
		}
		path = path[:len(path)-1]
		colour[slot] = black
		out = append(out, slot)
	}
	for slot := range p.nodes {
		if keep(slot) && colour[slot] == white {
			visit(slot)
		}
	}
	return out
}

// cycle reports the cycle that ends the path where it meets slot again.
func (c *compiler) cycle(path []int, slot int, init bool) {
	start := len(path) - 1
	for path[start] != slot {
		start--
	}
	loop := path[start:]
	if init {
		// A cycle of auxiliaries and flows alone is also an algebraic
		// loop, reported as such by the other sort.
		alsoStep := true
		for _, s := range loop {
			if n := c.p.nodes[s]; n.kind == model.Stock || n.split || n.state {
				alsoStep = false
			}
		}
		if alsoStep {
			return
		}
	}
	err := &AlgebraicLoopError{Init: init}
	// Dependencies point backwards along the path: list the cycle in
	// the direction of causation, from the first declared variable.
	first := 0
	for i, s := range loop {
		if s < loop[first] {
			first = i
		}
	}
	for i := range loop {
		n := c.p.nodes[loop[(first-i+len(loop))%len(loop)]]
		v := LoopVar{Name: n.ownerName(), Pos: n.eq.Pos}
		if k := len(err.Vars); k > 0 && err.Vars[k-1] == v {
			continue // hidden nodes of one call in a row
		}
		err.Vars = append(err.Vars, v)
	}
	c.errs = append(c.errs, &model.Error{Pos: err.Vars[0].Pos, Msg: err.Error(), Err: err})
}

// build makes the closures of every equation.
func (c *compiler) build() {
	p := c.p
	for _, n := range p.nodes {
		if n.custom != nil {
			n.fn = n.custom(p)
			continue
		}
		n.fn = c.compile(n.x, nil)
		if n.table >= 0 {
			f, t := n.fn, n.table
			n.fn = func(r *run) float64 { return r.tables[t].at(f(r)) }
		}
	}
	for i := range p.step {
		p.step[i].fn = p.nodes[p.step[i].slot].fn
	}
	c.batch()
}

// compile makes the closure for an expression. With a non-nil trace, every
// sub-expression records itself in trace when its value is not finite, so
// that the innermost culprit of a NaN can be found (a slow path, used only
// to explain an error).
func (c *compiler) compile(e expr.Expr, trace *tracer) evalFn {
	fn := c.compile1(e, trace)
	if trace == nil {
		return fn
	}
	return func(r *run) float64 {
		x := fn(r)
		if trace.bad == nil && (math.IsNaN(x) || math.IsInf(x, 0)) {
			trace.bad, trace.value = e, x
		}
		return x
	}
}

// tracer records the first sub-expression whose value is not finite.
type tracer struct {
	bad   expr.Expr
	value float64
}

func (c *compiler) compile1(e expr.Expr, trace *tracer) evalFn {
	p := c.p
	switch e := e.(type) {
	case *expr.Number:
		v := e.Value
		return func(*run) float64 { return v }
	case *expr.Ident:
		name := c.canonical(e.Name)
		if slot, ok := p.index[name]; ok {
			return func(r *run) float64 { return r.v[slot] }
		}
		switch clock, bare := spec.Resolve(name); {
		case clock == spec.Time:
			return func(r *run) float64 { return r.t }
		case clock == spec.DT:
			return func(r *run) float64 { return r.dt }
		case clock == spec.StartTime:
			return func(r *run) float64 { return r.start }
		case clock == spec.StopTime:
			return func(r *run) float64 { return r.stop }
		case bare != nil:
			return builtins[model.Canonical(bare.Name)].build(nil)
		}
	case *expr.Unary:
		x := c.compile(e.X, trace)
		switch e.Op {
		case expr.Neg:
			return func(r *run) float64 { return -x(r) }
		case expr.Plus:
			return x
		case expr.Not:
			return func(r *run) float64 { return boolean(x(r) == 0) }
		}
	case *expr.Binary:
		return c.binary(e, trace)
	case *expr.If:
		cond, a, b := c.compile(e.Cond, trace), c.compile(e.Then, trace), c.compile(e.Else, trace)
		return func(r *run) float64 {
			if cond(r) != 0 {
				return a(r)
			}
			return b(r)
		}
	case *expr.Call:
		if trace == nil {
			if fn := c.fastAggregate(e); fn != nil {
				return fn
			}
		}
		args := make([]evalFn, len(e.Args))
		for i, a := range e.Args {
			if i == 0 && c.canonical(e.Func) == "lookup" {
				continue // names the table
			}
			args[i] = c.compile(a, trace)
		}
		name := c.canonical(e.Func)
		if t, ok := p.named[name]; ok {
			x := args[0]
			return func(r *run) float64 { return r.tables[t].at(x(r)) }
		}
		if name == "lookup" {
			t, x := p.named[model.Canonical(identName(e.Args[0]))], args[1]
			return func(r *run) float64 { return r.tables[t].at(x(r)) }
		}
		b := builtins[name]
		if b.sample != nil {
			return c.random(e, b, args, trace != nil)
		}
		return b.build(args)
	}
	panic(fmt.Sprintf("sim: cannot compile %T", e)) // resolve let through a node it should not have
}

func boolean(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func (c *compiler) binary(e *expr.Binary, trace *tracer) evalFn {
	if trace == nil {
		if fn := c.fastBinary(e); fn != nil {
			return fn
		}
	}
	x, y := c.compile(e.X, trace), c.compile(e.Y, trace)
	switch e.Op {
	case expr.Add:
		return func(r *run) float64 { return x(r) + y(r) }
	case expr.Sub:
		return func(r *run) float64 { return x(r) - y(r) }
	case expr.Mul:
		return func(r *run) float64 { return x(r) * y(r) }
	case expr.Div:
		return func(r *run) float64 { return x(r) / y(r) }
	case expr.Mod:
		return func(r *run) float64 { return modulo(x(r), y(r)) }
	case expr.Pow:
		return func(r *run) float64 { return math.Pow(x(r), y(r)) }
	case expr.Eq:
		return func(r *run) float64 { return boolean(x(r) == y(r)) }
	case expr.Ne:
		return func(r *run) float64 { return boolean(x(r) != y(r)) }
	case expr.Lt:
		return func(r *run) float64 { return boolean(x(r) < y(r)) }
	case expr.Gt:
		return func(r *run) float64 { return boolean(x(r) > y(r)) }
	case expr.Le:
		return func(r *run) float64 { return boolean(x(r) <= y(r)) }
	case expr.Ge:
		return func(r *run) float64 { return boolean(x(r) >= y(r)) }
	case expr.And:
		return func(r *run) float64 { return boolean(x(r) != 0 && y(r) != 0) }
	case expr.Or:
		return func(r *run) float64 { return boolean(x(r) != 0 || y(r) != 0) }
	}
	panic(fmt.Sprintf("sim: unknown operator %v", e.Op))
}

// fastBinary specialises the commonest arithmetic on a variable and a
// constant or two variables, which saves a closure call per operand.
func (c *compiler) fastBinary(e *expr.Binary) evalFn {
	slotOf := func(x expr.Expr) (int, bool) {
		id, ok := x.(*expr.Ident)
		if !ok {
			return 0, false
		}
		s, ok := c.p.index[c.canonical(id.Name)]
		return s, ok
	}
	a, aok := slotOf(e.X)
	b, bok := slotOf(e.Y)
	k, kok := e.Y.(*expr.Number)
	if j, jok := e.X.(*expr.Number); jok && bok {
		v := j.Value
		switch e.Op {
		case expr.Add:
			return func(r *run) float64 { return v + r.v[b] }
		case expr.Sub:
			return func(r *run) float64 { return v - r.v[b] }
		case expr.Mul:
			return func(r *run) float64 { return v * r.v[b] }
		case expr.Div:
			return func(r *run) float64 { return v / r.v[b] }
		}
	}
	if !aok && !bok {
		return nil
	}
	x, y := c.compile(e.X, nil), c.compile(e.Y, nil)
	switch {
	case aok && bok:
		switch e.Op {
		case expr.Add:
			return func(r *run) float64 { return r.v[a] + r.v[b] }
		case expr.Sub:
			return func(r *run) float64 { return r.v[a] - r.v[b] }
		case expr.Mul:
			return func(r *run) float64 { return r.v[a] * r.v[b] }
		case expr.Div:
			return func(r *run) float64 { return r.v[a] / r.v[b] }
		}
	case aok && kok:
		v := k.Value
		switch e.Op {
		case expr.Add:
			return func(r *run) float64 { return r.v[a] + v }
		case expr.Sub:
			return func(r *run) float64 { return r.v[a] - v }
		case expr.Mul:
			return func(r *run) float64 { return r.v[a] * v }
		case expr.Div:
			return func(r *run) float64 { return r.v[a] / v }
		}
	case aok:
		switch e.Op {
		case expr.Add:
			return func(r *run) float64 { return r.v[a] + y(r) }
		case expr.Sub:
			return func(r *run) float64 { return r.v[a] - y(r) }
		case expr.Mul:
			return func(r *run) float64 { return r.v[a] * y(r) }
		case expr.Div:
			return func(r *run) float64 { return r.v[a] / y(r) }
		}
	case bok:
		switch e.Op {
		case expr.Add:
			return func(r *run) float64 { return x(r) + r.v[b] }
		case expr.Sub:
			return func(r *run) float64 { return x(r) - r.v[b] }
		case expr.Mul:
			return func(r *run) float64 { return x(r) * r.v[b] }
		case expr.Div:
			return func(r *run) float64 { return x(r) / r.v[b] }
		}
	}
	return nil
}
