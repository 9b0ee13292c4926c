package sim

import (
	"fmt"
	"math"

	"github.com/stockflow/stockflow/model"
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
			if model.Canonical(identName(a)) == "self" && b.selfArg {
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
	if len(e.Args) < b.min || b.max >= 0 && len(e.Args) > b.max {
		c.errorf(n, e, "%s takes %s, not %d (%s)", upper(e.Func), argCount(b), len(e.Args), b.signature())
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

// order reads the order argument of SMTHN or DELAYN, which must be a whole
// number written in the equation.
func (c *compiler) orderArg(n *node, call *expr.Call, e expr.Expr) (int, bool) {
	v, ok := expr.Constant(e, nil)
	if !ok || v != math.Trunc(v) || v < 1 || v > maxOrder {
		c.errorf(n, e, "the order of %s must be a whole number from 1 to %d written in the equation, not %s", upper(call.Func), maxOrder, expr.Format(e))
		return 0, false
	}
	return int(v), true
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

// initOf adds a node holding the initial value of e: INIT(e).
func (c *compiler) initOf(n *node, call *expr.Call, e expr.Expr) *node {
	src := c.argNode(n, call, e)
	h := c.hidden(n, model.Aux, "init", nil)
	slot := c.slot(src)
	h.fixed = true
	h.split = true
	h.initDeps = []int{slot}
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

// previous expands PREVIOUS(x[, initial]): x as it was at the start of the
// step before, or initial (default: x's initial value) in the first step.
func (c *compiler) previous(n *node, call *expr.Call, input, init expr.Expr) expr.Expr {
	at := call.At
	if model.Canonical(identName(input)) == "self" {
		input = ref(n, at)
	}
	in := c.argNode(n, call, input)
	if init == nil {
		init = ref(in, at)
	}
	h := c.hidden(n, model.Aux, "previous", init)
	h.state = true
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

// expandNth handles SMTHN and DELAYN, whose order is argument orderArg and
// initial value argument initArg (the XMILE and Vensim spellings differ).
func expandNth(delay bool, orderArg, initArg int) func(c *compiler, n *node, e *expr.Call) expr.Expr {
	return func(c *compiler, n *node, e *expr.Call) expr.Expr {
		order, ok := c.orderArg(n, e, e.Args[orderArg])
		if !ok {
			return num(0, e.At)
		}
		if delay {
			return c.delay(n, e, e.Args[0], e.Args[1], optional(e, initArg), order)
		}
		return c.smooth(n, e, e.Args[0], e.Args[1], optional(e, initArg), order)
	}
}

var statefulBuiltins = []*builtin{
	{name: "SMTH1", aliases: []string{"SMOOTH", "SMOOTHI"}, args: "input, time[, initial]", min: 2, max: 3,
		doc: "first-order exponential smooth of input over time; starts at initial (default: input)", expand: expandSmooth(1)},
	{name: "SMTH3", aliases: []string{"SMOOTH3", "SMOOTH3I"}, args: "input, time[, initial]", min: 2, max: 3,
		doc: "third-order exponential smooth of input over time; starts at initial (default: input)", expand: expandSmooth(3)},
	{name: "SMTHN", args: "input, time, n[, initial]", min: 3, max: 4,
		doc: "n-th order exponential smooth; n is a whole number", expand: expandNth(false, 2, 3)},
	{name: "SMOOTH_N", args: "input, time, initial, n", min: 4, max: 4,
		doc: "Vensim's n-th order smooth (SMTHN with the arguments in Vensim's order)", expand: expandNth(false, 3, 2)},
	{name: "DELAY1", aliases: []string{"DELAY1I"}, args: "input, time[, initial]", min: 2, max: 3,
		doc: "first-order material delay; the outflow starts at initial (default: input)", expand: expandDelay(1)},
	{name: "DELAY3", aliases: []string{"DELAY3I"}, args: "input, time[, initial]", min: 2, max: 3,
		doc: "third-order material delay; the outflow starts at initial (default: input)", expand: expandDelay(3)},
	{name: "DELAYN", args: "input, time, n[, initial]", min: 3, max: 4,
		doc: "n-th order material delay; n is a whole number", expand: expandNth(true, 2, 3)},
	{name: "DELAY_N", args: "input, time, initial, n", min: 4, max: 4,
		doc: "Vensim's n-th order material delay (DELAYN with the arguments in Vensim's order)", expand: expandNth(true, 3, 2)},
	{name: "DELAY", aliases: []string{"DELAY_FIXED"}, args: "input, time[, initial]", min: 2, max: 3,
		doc: "fixed pipeline delay: input as it was time ago; initial (default: input's initial value) before that",
		expand: func(c *compiler, n *node, e *expr.Call) expr.Expr {
			return c.fixedDelay(n, e, e.Args[0], e.Args[1], optional(e, 2))
		}},
	{name: "TREND", args: "input, time[, initial]", min: 2, max: 3,
		doc: "fractional rate of change of input, averaged over time; starts at initial (default 0)",
		expand: func(c *compiler, n *node, e *expr.Call) expr.Expr {
			return c.trend(n, e, e.Args[0], e.Args[1], optional(e, 2))
		}},
	{name: "FORCST", aliases: []string{"FORECAST"}, args: "input, time, horizon[, initial]", min: 3, max: 4,
		doc: "input extrapolated horizon ahead along its TREND over time: input·(1 + horizon·TREND)",
		expand: func(c *compiler, n *node, e *expr.Call) expr.Expr {
			at := e.At
			in := c.arg(n, e, e.Args[0])
			tr := c.trend(n, e, in, e.Args[1], optional(e, 3))
			return bin(expr.Mul, in, bin(expr.Add, num(1, at), bin(expr.Mul, e.Args[2], tr, at), at), at)
		}},
	{name: "NPV", args: "stream, rate[, initial[, factor]]", min: 2, max: 4,
		doc: "net present value of stream discounted at rate per time unit (Vensim's definition)",
		expand: func(c *compiler, n *node, e *expr.Call) expr.Expr {
			return c.npv(n, e, e.Args[0], e.Args[1], optional(e, 2), optional(e, 3))
		}},
	{name: "INIT", aliases: []string{"INITIAL"}, args: "x", min: 1, max: 1,
		doc: "the value of x at the start of the run",
		expand: func(c *compiler, n *node, e *expr.Call) expr.Expr {
			return ref(c.initOf(n, e, e.Args[0]), e.At)
		}},
	{name: "PREVIOUS", args: "x[, initial]", min: 1, max: 2, selfArg: true,
		doc: "the value of x one step back; initial (default: x's initial value) in the first step; x may be SELF",
		expand: func(c *compiler, n *node, e *expr.Call) expr.Expr {
			return c.previous(n, e, e.Args[0], optional(e, 1))
		}},
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
