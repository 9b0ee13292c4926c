package sim

import (
	"fmt"
	"math"

	"github.com/stockflow/stockflow/model"
	spec "github.com/stockflow/stockflow/model/builtin"
	"github.com/stockflow/stockflow/model/expr"
)

// Stateful functions (smooths, delays, TREND, NPV, INIT, PREVIOUS) are
// expanded at compile time into hidden variables: stocks and flows that the
// integrator advances like any other, so they follow the run's method, plus
// a few nodes with state of their own (the pipeline of a fixed DELAY, the
// value a PREVIOUS remembers). Each call gets its own hidden variables, so
// nested calls and several calls in one equation keep separate state.
// Hidden variables are internal: they are never output columns, and a user
// cannot name them.

// maxOrder bounds the order of SMTHN and DELAYN.
const maxOrder = 1000

// expandAll rewrites the stateful calls of every equation.
func (c *compiler) expandAll() {
	for i, n := 0, len(c.p.nodes); i < n; i++ {
		nd := c.p.nodes[i]
		if nd.x != nil {
			nd.x = c.expand(nd, clone(nd.x))
		}
	}
}

// expand rewrites the stateful calls in e, innermost first, and returns the
// new expression.
func (c *compiler) expand(n *node, e expr.Expr) expr.Expr {
	switch e := e.(type) {
	case *expr.Unary:
		e.X = c.expand(n, e.X)
	case *expr.Binary:
		e.X, e.Y = c.expand(n, e.X), c.expand(n, e.Y)
	case *expr.If:
		e.Cond, e.Then, e.Else = c.expand(n, e.Cond), c.expand(n, e.Then), c.expand(n, e.Else)
	case *expr.Call:
		name := model.Canonical(e.Func)
		if _, isTable := c.p.named[name]; isTable || name == "lookup" {
			for i, a := range e.Args {
				if name != "lookup" || i > 0 {
					e.Args[i] = c.expand(n, a)
				}
			}
			break
		}
		b := builtins[name]
		if b == nil || b.expand == nil {
			for i, a := range e.Args {
				e.Args[i] = c.expand(n, a)
			}
			break
		}
		if !c.checkArity(n, e, b) {
			return e
		}
		for i, a := range e.Args {
			if model.Canonical(identName(a)) == spec.Self && b.SelfArg {
				continue
			}
			e.Args[i] = c.expand(n, a)
		}
		return b.expand(c, n, e)
	}
	return e
}

func identName(e expr.Expr) string {
	if id, ok := e.(*expr.Ident); ok {
		return id.Name
	}
	return ""
}

// checkArity reports a call with the wrong number of arguments.
func (c *compiler) checkArity(n *node, e *expr.Call, b *builtin) bool {
	if len(e.Args) < b.Min() || b.Max() >= 0 && len(e.Args) > b.Max() {
		c.errorf(n, e, "%s takes %s, not %d (%s)", upper(e.Func), b.ArgCount(), len(e.Args), b.Signature())
		return false
	}
	return true
}

// hidden adds a hidden variable for a call in n's equation.
func (c *compiler) hidden(n *node, kind model.Kind, role string, x expr.Expr) *node {
	c.seq++
	h := &node{
		name:   fmt.Sprintf("\x00%s.%s%d", n.name, role, c.seq),
		owner:  n.ownerName(),
		kind:   kind,
		hidden: true,
		eq:     n.eq,
		x:      x,
		table:  -1,
	}
	c.p.index[model.Canonical(h.name)] = len(c.p.nodes)
	c.p.nodes = append(c.p.nodes, h)
	return h
}

// ref returns a reference to a node, positioned at the call.
func ref(h *node, at expr.Pos) *expr.Ident { return &expr.Ident{At: at, Name: h.name} }

// slotOf returns the slot of the variable an expression names, if it is a
// plain reference to one.
func (c *compiler) slotOf(e expr.Expr) (int, bool) {
	id, ok := e.(*expr.Ident)
	if !ok {
		return 0, false
	}
	s, ok := c.p.index[model.Canonical(id.Name)]
	return s, ok
}

// arg returns an expression that is cheap to repeat for an argument: a
// number or a variable as it is, anything else as a hidden auxiliary that
// computes it once per evaluation.
func (c *compiler) arg(n *node, call *expr.Call, e expr.Expr) expr.Expr {
	switch e.(type) {
	case *expr.Number:
		return e
	case *expr.Ident:
		if _, ok := c.slotOf(e); ok {
			return e
		}
	}
	return ref(c.hidden(n, model.Aux, "arg", e), call.At)
}

// argNode is arg, but always a variable.
func (c *compiler) argNode(n *node, call *expr.Call, e expr.Expr) *node {
	if s, ok := c.slotOf(e); ok {
		return c.p.nodes[s]
	}
	return c.hidden(n, model.Aux, "arg", e)
}

func num(v float64, at expr.Pos) expr.Expr { return &expr.Number{At: at, Value: v} }

func bin(op expr.Op, x, y expr.Expr, at expr.Pos) expr.Expr {
	return &expr.Binary{At: at, Op: op, X: x, Y: y}
}

func callExpr(name string, at expr.Pos, args ...expr.Expr) expr.Expr {
	return &expr.Call{At: at, Func: name, Args: args}
}

// checkOrder reports an order of SMTHN or DELAYN that is not a whole
// number from 1 to maxOrder.
func (c *compiler) checkOrder(n *node, call *expr.Call, e expr.Expr, v float64) (int, bool) {
	if v != math.Trunc(v) || v < 1 || v > maxOrder {
		what := expr.Format(e)
		if _, literal := e.(*expr.Number); !literal {
			what = fmt.Sprintf("%s = %g", what, v)
		}
		c.errorf(n, e, "the order of %s must be a whole number from 1 to %d, not %s", upper(call.Func), maxOrder, what)
		return 0, false
	}
	return int(v), true
}

// startValue computes an expression of numbers and constants from the
// model's equations, as it is at the start of a run of the model as
// written; ok is false when it depends on anything else.
func (c *compiler) startValue(e expr.Expr) (float64, bool) {
	depth := 0
	// Each variable is worked out once, so that a chain of constants
	// that each use the next twice takes linear time, not exponential.
	type value struct {
		x  float64
		ok bool
	}
	memo := make(map[int]value)
	var ident func(name string) (float64, bool)
	ident = func(name string) (float64, bool) {
		slot, ok := c.p.index[model.Canonical(name)]
		if !ok {
			return 0, false
		}
		if v, done := memo[slot]; done {
			return v.x, v.ok
		}
		nd := c.p.nodes[slot]
		if nd.kind == model.Stock || nd.table >= 0 || nd.x == nil || depth > 100 {
			return 0, false
		}
		depth++
		defer func() { depth-- }()
		x, ok := expr.Constant(nd.x, ident)
		memo[slot] = value{x, ok}
		return x, ok
	}
	return expr.Constant(e, ident)
}

// smooth expands an order-n exponential smooth: n stocks in a chain, each
// adjusting toward the one before it (the first toward the input) over
// time/n. It returns the last stock.
func (c *compiler) smooth(n *node, call *expr.Call, input, tau, init expr.Expr, order int) expr.Expr {
	at := call.At
	in := c.arg(n, call, input)
	stage := c.arg(n, call, tau)
	if order > 1 {
		stage = c.arg(n, call, bin(expr.Div, stage, num(float64(order), at), at))
	}
	start := in
	if init != nil {
		start = c.arg(n, call, init)
	}
	prev := in
	for k := 0; k < order; k++ {
		s := c.hidden(n, model.Stock, "smooth", start)
		f := c.hidden(n, model.Flow, "adjust", bin(expr.Div, bin(expr.Sub, prev, ref(s, at), at), stage, at))
		s.in = []int{c.p.index[model.Canonical(f.name)]}
		prev = ref(s, at)
	}
	return prev
}

// delay expands an order-n material delay: the input flows into the first
// of n stocks, each drained at its content over time/n into the next; the
// outflow of the last is the result. Each stock starts holding
// initial·time/n, so the outflow starts at the initial value (default: the
// input).
func (c *compiler) delay(n *node, call *expr.Call, input, tau, init expr.Expr, order int) expr.Expr {
	at := call.At
	in := c.arg(n, call, input)
	stage := c.arg(n, call, tau)
	if order > 1 {
		stage = c.arg(n, call, bin(expr.Div, stage, num(float64(order), at), at))
	}
	start := in
	if init != nil {
		start = c.arg(n, call, init)
	}
	flow := c.hidden(n, model.Flow, "inflow", in)
	for k := 0; k < order; k++ {
		s := c.hidden(n, model.Stock, "transit", bin(expr.Mul, start, stage, at))
		out := c.hidden(n, model.Flow, "outflow", bin(expr.Div, ref(s, at), stage, at))
		s.in = []int{c.slot(flow)}
		s.out = []int{c.slot(out)}
		flow = out
	}
	return ref(flow, at)
}

func (c *compiler) slot(h *node) int { return c.p.index[model.Canonical(h.name)] }

// activeOrder adds the node holding the order of an n-th order smooth or
// delay of up to max stages, computed at the start from the order
// argument: for Vensim's DELAY N no more than time/DT (rounded down, at
// least 1). An order that is not a whole number from 1 to max stops the
// run at the start.
func (c *compiler) activeOrder(n *node, call *expr.Call, order, tau expr.Expr, max int, vensim bool) *node {
	on := c.argNode(n, call, order)
	tn := c.argNode(n, call, tau)
	h := c.hidden(n, model.Aux, "order", nil)
	os, ts := c.slot(on), c.slot(tn)
	h.fixed, h.split = true, true
	h.initDeps = []int{os, ts}
	h.origin = call
	h.op, h.opArgs = "order", []int{os, ts, 0, max}
	if vensim {
		h.opArgs[2] = 1
	}
	name, text := upper(call.Func), expr.Format(order)
	h.check = func(v float64) string {
		if v != math.Trunc(v) || v < 1 || v > float64(max) {
			return fmt.Sprintf("the order of %s (%s) is %g at the start; it must be a whole number from 1 to %d (the model's value, which fixed the number of stages)", name, text, v, max)
		}
		return ""
	}
	h.custom = func(*Program) evalFn {
		return func(r *run) float64 {
			k := r.v[os]
			if vensim && k == math.Trunc(k) {
				// Vensim gives each stage at least one step.
				if lim := math.Max(1, math.Floor(r.v[ts]/r.dt+1e-9)); k > lim {
					k = lim
				}
			}
			return k
		}
	}
	h.checkAt = call.At
	return h
}

// smoothStages is smooth with an order computed at the start: max stages,
// of which the first k (a node) adjust toward the one before over time/k
// and the others follow the k-th exactly (each moves as the one before
// it, from the same start).
func (c *compiler) smoothStages(n *node, call *expr.Call, input, tau, init expr.Expr, max int, k *node) expr.Expr {
	at := call.At
	in := c.arg(n, call, input)
	stage := c.arg(n, call, bin(expr.Div, c.arg(n, call, tau), ref(k, at), at))
	start := in
	if init != nil {
		start = c.arg(n, call, init)
	}
	prev := in
	var prevFlow expr.Expr
	for j := 1; j <= max; j++ {
		s := c.hidden(n, model.Stock, "smooth", start)
		adjust := bin(expr.Div, bin(expr.Sub, prev, ref(s, at), at), stage, at)
		if j > 1 {
			adjust = &expr.If{At: at, Cond: bin(expr.Le, num(float64(j), at), ref(k, at), at), Then: adjust, Else: prevFlow}
		}
		f := c.hidden(n, model.Flow, "adjust", adjust)
		s.in = []int{c.slot(f)}
		prev, prevFlow = ref(s, at), ref(f, at)
	}
	return prev
}

// delayStages is delay with an order computed at the start: max stages,
// of which the first k (a node) hold the material for time/k each and the
// others stay empty, passing their inflow straight on.
func (c *compiler) delayStages(n *node, call *expr.Call, input, tau, init expr.Expr, max int, k *node) expr.Expr {
	at := call.At
	in := c.arg(n, call, input)
	stage := c.arg(n, call, bin(expr.Div, c.arg(n, call, tau), ref(k, at), at))
	start := in
	if init != nil {
		start = c.arg(n, call, init)
	}
	flow := c.hidden(n, model.Flow, "inflow", in)
	for j := 1; j <= max; j++ {
		active := bin(expr.Le, num(float64(j), at), ref(k, at), at)
		s := c.hidden(n, model.Stock, "transit", &expr.If{At: at, Cond: active, Then: bin(expr.Mul, start, stage, at), Else: num(0, at)})
		out := c.hidden(n, model.Flow, "outflow", &expr.If{At: at, Cond: active, Then: bin(expr.Div, ref(s, at), stage, at), Else: ref(flow, at)})
		s.in = []int{c.slot(flow)}
		s.out = []int{c.slot(out)}
		flow = out
	}
	return ref(flow, at)
}

// initOf adds a node holding the initial value of e: INIT(e).
func (c *compiler) initOf(n *node, call *expr.Call, e expr.Expr) *node {
	src := c.argNode(n, call, e)
	h := c.hidden(n, model.Aux, "init", nil)
	slot := c.slot(src)
	h.fixed = true
	h.split = true
	h.initDeps = []int{slot}
	h.op, h.opArgs = "init", []int{slot}
	h.custom = func(*Program) evalFn { return func(r *run) float64 { return r.v[slot] } }
	return h
}

// fixedDelay expands XMILE's DELAY (Vensim's DELAY FIXED): the input as it
// was time ago, or the initial value (default: the input's initial value)
// until time has passed since the start. The run keeps the input's value at
// the start of each step; a delay time that is a whole multiple of dt reads
// one of those values exactly, and any other is interpolated linearly
// between the two nearest. A delay shorter than dt acts as a delay of dt.
func (c *compiler) fixedDelay(n *node, call *expr.Call, input, tau, init expr.Expr) expr.Expr {
	at := call.At
	in := c.argNode(n, call, input)
	dur := c.argNode(n, call, tau)
	var first *node
	if init != nil {
		first = c.initOf(n, call, init)
	} else {
		first = c.initOf(n, call, ref(in, at))
	}
	h := c.hidden(n, model.Aux, "pipeline", nil)
	site := len(c.p.delays)
	c.p.delays = append(c.p.delays, c.slot(in))
	durSlot, firstSlot := c.slot(dur), c.slot(first)
	h.split = true
	h.deps = []int{durSlot, firstSlot}
	h.initDeps = []int{durSlot, firstSlot}
	h.time = true
	h.origin = call
	h.op, h.opArgs = "delay", []int{site, durSlot, firstSlot}
	h.custom = func(*Program) evalFn {
		return func(r *run) float64 {
			past := r.t - r.v[durSlot]
			if past+r.dt*1e-6 < r.start {
				return r.v[firstSlot]
			}
			hist := r.hist[site]
			if len(hist) == 0 {
				return r.v[firstSlot]
			}
			pos := (past - r.start) / r.dt
			i := int(math.Floor(pos + 1e-6))
			if i >= len(hist)-1 {
				return hist[len(hist)-1]
			}
			if i < 0 {
				return r.v[firstSlot]
			}
			frac := pos - float64(i)
			if frac <= 1e-6 {
				return hist[i]
			}
			return hist[i] + frac*(hist[i+1]-hist[i])
		}
	}
	return ref(h, at)
}

// stepDelay expands Vensim's DELAY FIXED(input, time, initial): input as
// it was k steps ago, where k is time/DT at the start rounded to the
// nearest whole number (halves up), and at least 1; initial for the first
// k steps. The delay time is read once, at the start, and values between
// steps are never interpolated (Vensim's documentation of DELAY FIXED,
// and the SDXorg tests delay_fixed and delay_pipeline, made with Vensim).
func (c *compiler) stepDelay(n *node, call *expr.Call, input, tau, init expr.Expr) expr.Expr {
	at := call.At
	in := c.argNode(n, call, input)
	dur := c.initOf(n, call, tau)
	first := c.initOf(n, call, init)
	h := c.hidden(n, model.Aux, "pipeline", nil)
	site := len(c.p.delays)
	c.p.delays = append(c.p.delays, c.slot(in))
	durSlot, firstSlot := c.slot(dur), c.slot(first)
	h.split = true
	h.deps = []int{durSlot, firstSlot}
	h.initDeps = []int{durSlot, firstSlot}
	h.time = true
	h.origin = call
	h.op, h.opArgs = "delay_fixed", []int{site, durSlot, firstSlot}
	h.custom = func(*Program) evalFn {
		return func(r *run) float64 {
			k := int(math.Max(1, math.Floor(r.v[durSlot]/r.dt+0.5+1e-9)))
			if i := r.step - k; i >= 0 && i < len(r.hist[site]) {
				return r.hist[site][i]
			}
			return r.v[firstSlot]
		}
	}
	return ref(h, at)
}

// previous expands PREVIOUS(x[, initial]): x as it was at the start of the
// step before, or initial (default: x's initial value) in the first step.
func (c *compiler) previous(n *node, call *expr.Call, input, init expr.Expr) expr.Expr {
	at := call.At
	if model.Canonical(identName(input)) == spec.Self {
		input = ref(n, at)
	}
	in := c.argNode(n, call, input)
	if init == nil {
		init = ref(in, at)
	}
	h := c.hidden(n, model.Aux, "previous", init)
	h.state = true
	h.origin = call
	h.op, h.opArgs = "previous", []int{len(c.p.prevs)}
	c.p.prevs = append(c.p.prevs, prevSite{slot: c.slot(h), in: c.slot(in)})
	return ref(h, at)
}

// trend expands TREND(input, time[, initial trend]) as Vensim defines it:
// ZIDZ(input − average, time·|average|), where average is a first-order
// smooth of the input over time that starts at input/(1 + initial·time),
// so that the trend starts at the initial trend (default 0).
func (c *compiler) trend(n *node, call *expr.Call, input, tau, init expr.Expr) expr.Expr {
	at := call.At
	in := c.arg(n, call, input)
	t := c.arg(n, call, tau)
	if init == nil {
		init = num(0, at)
	}
	start := bin(expr.Div, in, bin(expr.Add, num(1, at), bin(expr.Mul, c.arg(n, call, init), t, at), at), at)
	avg := c.smooth(n, call, in, t, start, 1)
	return callExpr("ZIDZ", at, bin(expr.Sub, in, avg, at), bin(expr.Mul, t, callExpr("ABS", at, avg), at))
}

// npv expands NPV(stream, rate[, initial[, factor]]) as Vensim defines it:
// (accumulated + stream·DT·df)·factor, where accumulated integrates
// stream·df from initial (default 0) and the discount factor df starts at 1
// and falls at df·rate/(1 + rate·DT).
func (c *compiler) npv(n *node, call *expr.Call, stream, rate, init, factor expr.Expr) expr.Expr {
	at := call.At
	s := c.arg(n, call, stream)
	r := c.arg(n, call, rate)
	dt := &expr.Ident{At: at, Name: "DT"}
	if init == nil {
		init = num(0, at)
	}
	if factor == nil {
		factor = num(1, at)
	}
	df := c.hidden(n, model.Stock, "discount", num(1, at))
	fall := c.hidden(n, model.Flow, "discounting", bin(expr.Div, bin(expr.Mul, ref(df, at), r, at), bin(expr.Add, num(1, at), bin(expr.Mul, r, dt, at), at), at))
	df.out = []int{c.slot(fall)}
	acc := c.hidden(n, model.Stock, "accumulated", c.arg(n, call, init))
	gain := c.hidden(n, model.Flow, "present_value", bin(expr.Mul, s, ref(df, at), at))
	acc.in = []int{c.slot(gain)}
	sum := bin(expr.Add, ref(acc, at), bin(expr.Mul, bin(expr.Mul, s, dt, at), ref(df, at), at), at)
	return bin(expr.Mul, sum, c.arg(n, call, factor), at)
}

// optional returns the i-th argument or nil.
func optional(call *expr.Call, i int) expr.Expr {
	if i < len(call.Args) {
		return call.Args[i]
	}
	return nil
}

func expandSmooth(order int) func(c *compiler, n *node, e *expr.Call) expr.Expr {
	return func(c *compiler, n *node, e *expr.Call) expr.Expr {
		return c.smooth(n, e, e.Args[0], e.Args[1], optional(e, 2), order)
	}
}

func expandDelay(order int) func(c *compiler, n *node, e *expr.Call) expr.Expr {
	return func(c *compiler, n *node, e *expr.Call) expr.Expr {
		return c.delay(n, e, e.Args[0], e.Args[1], optional(e, 2), order)
	}
}

// expandNth handles SMTHN, SMOOTH_N, DELAYN and DELAY_N, whose order and
// initial value are the arguments the table gives those roles (the XMILE
// and Vensim spellings differ). An order written as a number makes that
// many stages. Any other order is computed at the start of each run, from
// constants: the program has as many stages as the model's value asks,
// and a run uses as many of them as its order says. vensim applies
// Vensim's DELAY N rule: no more stages than time/DT at the start.
func expandNth(delay, vensim bool) func(c *compiler, n *node, e *expr.Call) expr.Expr {
	return func(c *compiler, n *node, e *expr.Call) expr.Expr {
		b := spec.Lookup(model.Canonical(e.Func))
		oe, init := e.Args[b.Arg(spec.Order)], optional(e, b.Arg(spec.Initial))
		if v, ok := expr.Constant(oe, nil); ok && !vensim {
			order, ok := c.checkOrder(n, e, oe, v)
			if !ok {
				return num(0, e.At)
			}
			if delay {
				return c.delay(n, e, e.Args[0], e.Args[1], init, order)
			}
			return c.smooth(n, e, e.Args[0], e.Args[1], init, order)
		}
		v, ok := c.startValue(oe)
		if !ok {
			c.errorf(n, oe, "the order of %s must be a number or computed from constants, not %s", upper(e.Func), expr.Format(oe))
			return num(0, e.At)
		}
		max, ok := c.checkOrder(n, e, oe, v)
		if !ok {
			return num(0, e.At)
		}
		k := c.activeOrder(n, e, oe, e.Args[1], max, vensim)
		if delay {
			return c.delayStages(n, e, e.Args[0], e.Args[1], init, max, k)
		}
		return c.smoothStages(n, e, e.Args[0], e.Args[1], init, max, k)
	}
}

// expandFixedDelay handles XMILE's DELAY and, with vensim, Vensim's DELAY
// FIXED.
func expandFixedDelay(vensim bool) func(c *compiler, n *node, e *expr.Call) expr.Expr {
	return func(c *compiler, n *node, e *expr.Call) expr.Expr {
		if vensim {
			return c.stepDelay(n, e, e.Args[0], e.Args[1], e.Args[2])
		}
		return c.fixedDelay(n, e, e.Args[0], e.Args[1], optional(e, 2))
	}
}

func expandTrend(c *compiler, n *node, e *expr.Call) expr.Expr {
	return c.trend(n, e, e.Args[0], e.Args[1], optional(e, 2))
}

func expandForecast(c *compiler, n *node, e *expr.Call) expr.Expr {
	at := e.At
	in := c.arg(n, e, e.Args[0])
	tr := c.trend(n, e, in, e.Args[1], optional(e, 3))
	return bin(expr.Mul, in, bin(expr.Add, num(1, at), bin(expr.Mul, e.Args[2], tr, at), at), at)
}

func expandNPV(c *compiler, n *node, e *expr.Call) expr.Expr {
	return c.npv(n, e, e.Args[0], e.Args[1], optional(e, 2), optional(e, 3))
}

func expandInit(c *compiler, n *node, e *expr.Call) expr.Expr {
	return ref(c.initOf(n, e, e.Args[0]), e.At)
}

func expandPrevious(c *compiler, n *node, e *expr.Call) expr.Expr {
	return c.previous(n, e, e.Args[0], optional(e, 1))
}

// expandActiveInitial expands ACTIVE_INITIAL(active, initial) (Vensim's
// ACTIVE INITIAL, XMILE's <init_eqn>): initial while the initial values
// are computed, active from then on. The two have separate dependencies,
// so an initial value may break what would otherwise be a loop at the
// start.
func expandActiveInitial(c *compiler, n *node, e *expr.Call) expr.Expr {
	active := c.argNode(n, e, e.Args[0])
	first := c.argNode(n, e, e.Args[1])
	h := c.hidden(n, model.Aux, "active_initial", nil)
	as, fs := c.slot(active), c.slot(first)
	h.split = true
	h.deps = []int{as}
	h.initDeps = []int{fs}
	h.op, h.opArgs = "active_initial", []int{fs, as}
	h.custom = func(*Program) evalFn {
		return func(r *run) float64 {
			if r.initialising {
				return r.v[fs]
			}
			return r.v[as]
		}
	}
	return ref(h, e.At)
}

// clone copies an expression tree, so that expanding it leaves the model's
// tree as it was.
func clone(e expr.Expr) expr.Expr {
	switch e := e.(type) {
	case *expr.Number:
		c := *e
		return &c
	case *expr.Ident:
		c := *e
		return &c
	case *expr.Unary:
		return &expr.Unary{At: e.At, Op: e.Op, X: clone(e.X)}
	case *expr.Binary:
		return &expr.Binary{At: e.At, Op: e.Op, X: clone(e.X), Y: clone(e.Y)}
	case *expr.If:
		return &expr.If{At: e.At, Cond: clone(e.Cond), Then: clone(e.Then), Else: clone(e.Else)}
	case *expr.Call:
		args := make([]expr.Expr, len(e.Args))
		for i, a := range e.Args {
			args[i] = clone(a)
		}
		return &expr.Call{At: e.At, Func: e.Func, Args: args}
	}
	return e
}
