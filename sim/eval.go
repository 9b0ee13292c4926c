package sim

import (
	"math"
	"sort"
	"strconv"
	"strings"

	spec "github.com/stockflow/stockflow/model/builtin"
	"github.com/stockflow/stockflow/model/expr"
)

// Batched evaluation. Each step computes the dynamic auxiliaries and flows
// by dependency level: an equation's level is one more than the highest
// level among the auxiliaries and flows it reads, so equations of one level
// never read each other. Within a level, the equations of the same shape
// (the same tree of operators and functions, differing only in which
// variables and constants they read) form a batch, computed as a short
// program of vector instructions, each one loop over a chunk of the
// batch's equations. The elements of an arrayed equation are the natural
// batch; a model written as many scalar copies batches the same way. An
// equation alone of its shape, or one that draws random numbers, keeps
// state or calls a function the instructions do not cover, runs its own
// closure.
//
// Values are checked once per stage: each store notes a value that is not
// finite, and only then is the stage computed again equation by equation
// in the compiled order (Program.evalOrdered) to report the first variable
// at fault exactly as before. Each instruction rounds after every
// operation, as the closures do, so the two give the same numbers.

// chunk is the number of equations of a batch computed together: enough to
// make the cost of dispatching an instruction small, few enough that the
// registers stay in the processor's cache.
const chunk = 256

// minBatch is the least number of equations worth a batch; fewer run as
// closures.
const minBatch = 8

// fixedRegs are the registers every instruction may use for its operands.
const fixedRegs = 3

// stageItem is one entry of the evaluation of a stage: a batch, or (b nil)
// one equation's closure.
type stageItem struct {
	b *batch
	stepItem
}

// batch is a group of equations of one shape and one level.
type batch struct {
	out    []int // the slots the results go to, one per equation
	nonNeg bool  // the equations are non-negative flows
	tables []int // per equation, the lookup applied to the result (nil: none)
	code   []vinst
	res    opnd
	regs   int // registers used, fixed ones included
	// store is set when the last instruction is arithmetic that gives
	// the result, which it then stores itself (arithStore).
	store bool
}

// vop is the operation of a vector instruction.
type vop uint8

const (
	// Kernels of arith (kernels.go).
	vAdd vop = iota
	vSub
	vMul
	vDiv
	vMin
	vMax
	// Operations on arrays.
	vMod
	vPow
	vEq
	vNe
	vLt
	vGt
	vLe
	vGe
	vAnd
	vOr
	vNeg
	vNot
	vFn1    // f1(a)
	vFn2    // f2(a, b)
	vSelect // b where a is not 0, else c
	vZdiv   // a/b, or c where b is 0
	vLookup // the lookup tables[i] at a
)

// opKind is where an operand's values come from.
type opKind uint8

const (
	oGather opKind = iota // the variable at idx[i]
	oSlot                 // one variable for every equation
	oRange                // the variables slot, slot+1, ... (an array's elements)
	oConst                // one constant for every equation
	oConsts               // a constant per equation
	oReg                  // a register
	oTime
	oDT
	oStart
	oStop
)

// opnd is an operand of a vector instruction.
type opnd struct {
	kind opKind
	idx  []int
	slot int
	k    float64
	arr  []float64
	reg  int
}

// vinst is a vector instruction: dst = op(a, b, c) for each equation of a
// chunk.
type vinst struct {
	op      vop
	a, b, c opnd
	dst     int
	f1      func(float64) float64
	f2      func(x, y float64) float64
	tables  []int
}

// The kinds of view.
const (
	viewG = iota
	viewK
	viewA
)

// view is an operand over one chunk.
type view struct {
	kind int
	idx  []int
	k    float64
	arr  []float64
}

func reg(regs []float64, i, n int) []float64 { return regs[i*chunk : i*chunk+n] }

func (o *opnd) view(r *run, lo, hi int, regs []float64) view {
	switch o.kind {
	case oGather:
		return view{kind: viewG, idx: o.idx[lo:hi]}
	case oSlot:
		return view{kind: viewK, k: r.v[o.slot]}
	case oRange:
		return view{kind: viewA, arr: r.v[o.slot+lo : o.slot+hi]}
	case oConst:
		return view{kind: viewK, k: o.k}
	case oConsts:
		return view{kind: viewA, arr: o.arr[lo:hi]}
	case oReg:
		return view{kind: viewA, arr: reg(regs, o.reg, hi-lo)}
	case oTime:
		return view{kind: viewK, k: r.t}
	case oDT:
		return view{kind: viewK, k: r.dt}
	case oStart:
		return view{kind: viewK, k: r.start}
	}
	return view{kind: viewK, k: r.stop}
}

// values returns the view's values as an array, gathering or filling dst
// when they are not one already.
func (w view) values(v, dst []float64) []float64 {
	switch w.kind {
	case viewA:
		return w.arr
	case viewG:
		idx := w.idx[:len(dst)]
		for i := range dst {
			dst[i] = v[idx[i]]
		}
	default:
		for i := range dst {
			dst[i] = w.k
		}
	}
	return dst
}

// exec computes the instruction over the equations lo to hi.
func (in *vinst) exec(r *run, lo, hi int, regs []float64) {
	n := hi - lo
	v := r.v
	out := reg(regs, in.dst, n)
	if in.op <= vMax {
		arith(in.op, out, v, in.a.view(r, lo, hi, regs), in.b.view(r, lo, hi, regs))
		return
	}
	x := in.a.view(r, lo, hi, regs).values(v, reg(regs, 0, n))
	switch in.op {
	case vNeg:
		for i := range out {
			out[i] = -x[i]
		}
		return
	case vNot:
		for i := range out {
			out[i] = boolean(x[i] == 0)
		}
		return
	case vFn1:
		f := in.f1
		for i := range out {
			out[i] = f(x[i])
		}
		return
	case vLookup:
		ts := in.tables[lo:hi]
		for i := range out {
			out[i] = r.tables[ts[i]].at(x[i])
		}
		return
	}
	y := in.b.view(r, lo, hi, regs).values(v, reg(regs, 1, n))
	y = y[:len(out)]
	x = x[:len(out)]
	switch in.op {
	case vMod:
		for i := range out {
			out[i] = modulo(x[i], y[i])
		}
	case vPow:
		for i := range out {
			out[i] = math.Pow(x[i], y[i])
		}
	case vEq:
		for i := range out {
			out[i] = boolean(x[i] == y[i])
		}
	case vNe:
		for i := range out {
			out[i] = boolean(x[i] != y[i])
		}
	case vLt:
		for i := range out {
			out[i] = boolean(x[i] < y[i])
		}
	case vGt:
		for i := range out {
			out[i] = boolean(x[i] > y[i])
		}
	case vLe:
		for i := range out {
			out[i] = boolean(x[i] <= y[i])
		}
	case vGe:
		for i := range out {
			out[i] = boolean(x[i] >= y[i])
		}
	case vAnd:
		for i := range out {
			out[i] = boolean(x[i] != 0 && y[i] != 0)
		}
	case vOr:
		for i := range out {
			out[i] = boolean(x[i] != 0 || y[i] != 0)
		}
	case vFn2:
		f := in.f2
		for i := range out {
			out[i] = f(x[i], y[i])
		}
	case vSelect:
		z := in.c.view(r, lo, hi, regs).values(v, reg(regs, 2, n))[:len(out)]
		for i := range out {
			if x[i] != 0 {
				out[i] = y[i]
			} else {
				out[i] = z[i]
			}
		}
	case vZdiv:
		z := in.c.view(r, lo, hi, regs).values(v, reg(regs, 2, n))[:len(out)]
		for i := range out {
			if y[i] == 0 {
				out[i] = z[i]
			} else {
				out[i] = x[i] / y[i]
			}
		}
	}
}

// run computes the batch's equations and stores them, reporting whether a
// value is not finite.
func (b *batch) run(r *run, regs []float64) (bad bool) {
	v := r.v
	code := b.code
	if b.store {
		code = code[:len(code)-1]
	}
	for lo := 0; lo < len(b.out); lo += chunk {
		hi := min(lo+chunk, len(b.out))
		for i := range code {
			code[i].exec(r, lo, hi, regs)
		}
		if b.store {
			in := &b.code[len(code)]
			if arithStore(in.op, b.out[lo:hi], v, in.a.view(r, lo, hi, regs), in.b.view(r, lo, hi, regs)) {
				bad = true
			}
			continue
		}
		res := b.res.view(r, lo, hi, regs).values(v, reg(regs, 0, hi-lo))
		out := b.out[lo:hi]
		out = out[:len(res)]
		switch {
		case b.tables == nil && !b.nonNeg:
			for i, x := range res {
				if x-x != 0 {
					bad = true
				}
				v[out[i]] = x
			}
		default:
			for i, x := range res {
				if b.tables != nil {
					x = r.tables[b.tables[lo+i]].at(x)
				}
				if b.nonNeg && x < 0 {
					x = 0
				}
				if x-x != 0 {
					bad = true
				}
				v[out[i]] = x
			}
		}
	}
	return bad
}

// evalStep computes the dynamic auxiliaries and flows from the stocks.
func (p *Program) evalStep(r *run, pl *plan) error {
	v := r.v
	bad := false
	for i := range p.stage {
		it := &p.stage[i]
		if it.b != nil {
			if it.b.run(r, r.regs) {
				bad = true
			}
			continue
		}
		x := it.fn(r)
		if it.nonNeg && x < 0 {
			x = 0
		}
		if x-x != 0 { // NaN or ±Inf
			bad = true
		}
		v[it.slot] = x
	}
	if bad && !pl.allow {
		return p.evalOrdered(r)
	}
	return nil
}

// evalOrdered computes the dynamic auxiliaries and flows one by one in the
// compiled order and stops at the first value that is not finite, which it
// explains. evalStep calls it only when such values are errors.
func (p *Program) evalOrdered(r *run) error {
	v := r.v
	for _, it := range p.step {
		x := it.fn(r)
		if it.nonNeg && x < 0 {
			x = 0
		}
		if x-x != 0 { // NaN or ±Inf
			v[it.slot] = x
			return p.explain(r, it.slot)
		}
		v[it.slot] = x
	}
	return nil
}

// batch groups the step's equations into levels and batches (p.stage).
func (c *compiler) batch() {
	p := c.p
	level := make([]int, len(p.nodes))
	inStep := make([]bool, len(p.nodes))
	for _, it := range p.step {
		inStep[it.slot] = true
	}
	// Random draws keep their order: a drawing equation is at no lower
	// level than the one drawn before it.
	lastDraw := 0
	type group struct {
		first, level int
		items        []stepItem
		shape        string
	}
	var groups []*group
	byKey := make(map[string]*group)
	var sb strings.Builder
	for i, it := range p.step {
		n := p.nodes[it.slot]
		l := 0
		for _, d := range n.deps {
			if inStep[d] && level[d]+1 > l {
				l = level[d] + 1
			}
		}
		if n.draws {
			l = max(l, lastDraw)
			lastDraw = l
		}
		level[it.slot] = l
		sb.Reset()
		if n.custom == nil && !n.draws && n.x != nil && c.shape(n.x, &sb) {
			sb.WriteByte('|')
			sb.WriteString(strconv.Itoa(l))
			if n.table >= 0 {
				sb.WriteString("T")
			}
			if it.nonNeg {
				sb.WriteString("+")
			}
			key := sb.String()
			if g := byKey[key]; g != nil {
				g.items = append(g.items, it)
				continue
			}
			g := &group{first: i, level: l, items: []stepItem{it}, shape: key}
			byKey[key] = g
			groups = append(groups, g)
			continue
		}
		groups = append(groups, &group{first: i, level: l, items: []stepItem{it}})
	}
	sort.SliceStable(groups, func(i, j int) bool {
		if groups[i].level != groups[j].level {
			return groups[i].level < groups[j].level
		}
		return groups[i].first < groups[j].first
	})
	p.stage = p.stage[:0]
	for _, g := range groups {
		if g.shape == "" || len(g.items) < minBatch {
			for _, it := range g.items {
				p.stage = append(p.stage, stageItem{stepItem: it})
			}
			continue
		}
		b := c.newBatch(g.items)
		p.stage = append(p.stage, stageItem{b: b})
		p.regs = max(p.regs, b.regs)
	}
}

// newBatch compiles equations of one shape to vector instructions.
func (c *compiler) newBatch(items []stepItem) *batch {
	b := &batch{nonNeg: items[0].nonNeg, regs: fixedRegs}
	es := make([]expr.Expr, len(items))
	for i, it := range items {
		n := c.p.nodes[it.slot]
		b.out = append(b.out, it.slot)
		es[i] = n.x
		if n.table >= 0 {
			b.tables = append(b.tables, n.table)
		}
	}
	b.res = c.vcompile(b, es)
	if k := len(b.code) - 1; k >= 0 && b.tables == nil && !b.nonNeg && b.res.kind == oReg &&
		b.res.reg == b.code[k].dst && b.code[k].op <= vMax {
		b.store = true
	}
	return b
}

// emit adds an instruction and returns its result.
func (b *batch) emit(in vinst) opnd {
	in.dst = b.regs
	b.regs++
	b.code = append(b.code, in)
	return opnd{kind: oReg, reg: in.dst}
}

// vop of the binary operators.
var binaryOps = map[expr.Op]vop{
	expr.Add: vAdd, expr.Sub: vSub, expr.Mul: vMul, expr.Div: vDiv, expr.Mod: vMod, expr.Pow: vPow,
	expr.Eq: vEq, expr.Ne: vNe, expr.Lt: vLt, expr.Gt: vGt, expr.Le: vLe, expr.Ge: vGe,
	expr.And: vAnd, expr.Or: vOr,
}

// shape writes the shape of an expression, reporting whether batches can
// compute it: what the closures of compile1 compute, without random draws,
// stateful functions or functions of many arguments.
func (c *compiler) shape(e expr.Expr, sb *strings.Builder) bool {
	p := c.p
	switch e := e.(type) {
	case *expr.Number:
		sb.WriteByte('k')
		return true
	case *expr.Ident:
		name := c.canonical(e.Name)
		if _, ok := p.index[name]; ok {
			sb.WriteByte('s')
			return true
		}
		switch clock, _ := spec.Resolve(name); clock {
		case spec.Time:
			sb.WriteString("t")
		case spec.DT:
			sb.WriteString("dt")
		case spec.StartTime:
			sb.WriteString("t0")
		case spec.StopTime:
			sb.WriteString("t1")
		default:
			return false
		}
		return true
	case *expr.Unary:
		if e.Op != expr.Neg && e.Op != expr.Not && e.Op != expr.Plus {
			return false
		}
		sb.WriteString("(u")
		sb.WriteString(e.Op.String())
		ok := c.shape(e.X, sb)
		sb.WriteByte(')')
		return ok
	case *expr.Binary:
		if _, ok := binaryOps[e.Op]; !ok {
			return false
		}
		sb.WriteByte('(')
		sb.WriteString(e.Op.String())
		ok := c.shape(e.X, sb) && c.shape(e.Y, sb)
		sb.WriteByte(')')
		return ok
	case *expr.If:
		sb.WriteString("(if")
		ok := c.shape(e.Cond, sb) && c.shape(e.Then, sb) && c.shape(e.Else, sb)
		sb.WriteByte(')')
		return ok
	case *expr.Call:
		name := c.canonical(e.Func)
		args := e.Args
		if _, ok := p.named[name]; ok && len(args) == 1 {
			sb.WriteString("(L")
		} else if name == "lookup" && len(args) == 2 {
			sb.WriteString("(L")
			args = args[1:]
		} else {
			b := builtins[name]
			if b == nil || !batchable(b.Name, len(args)) {
				return false
			}
			sb.WriteByte('(')
			sb.WriteString(b.Name)
			sb.WriteByte('/')
			sb.WriteString(strconv.Itoa(len(args)))
		}
		for _, a := range args {
			if !c.shape(a, sb) {
				return false
			}
		}
		sb.WriteByte(')')
		return true
	}
	return false
}

// batchable reports whether batches compute calls of the builtin.
func batchable(name string, args int) bool {
	if unary[name] != nil {
		return args == 1
	}
	if binary[name] != nil {
		return args == 2
	}
	switch name {
	case "MIN", "MAX":
		return args >= 1
	case "XIDZ", "IF_THEN_ELSE":
		return args == 3
	case "ZIDZ", "SAFEDIV":
		return args == 2 || args == 3
	}
	return false
}

// vcompile compiles the expressions es, of one shape, one per equation of
// the batch, and returns the operand holding their values.
func (c *compiler) vcompile(b *batch, es []expr.Expr) opnd {
	p := c.p
	sub := func(f func(e expr.Expr) expr.Expr) opnd {
		xs := make([]expr.Expr, len(es))
		for i, e := range es {
			xs[i] = f(e)
		}
		return c.vcompile(b, xs)
	}
	switch e0 := es[0].(type) {
	case *expr.Number:
		vals := make([]float64, len(es))
		same := true
		for i, e := range es {
			vals[i] = e.(*expr.Number).Value
			same = same && math.Float64bits(vals[i]) == math.Float64bits(vals[0])
		}
		if same {
			return opnd{kind: oConst, k: vals[0]}
		}
		return opnd{kind: oConsts, arr: vals}
	case *expr.Ident:
		name := c.canonical(e0.Name)
		if _, ok := p.index[name]; ok {
			idx := make([]int, len(es))
			same, seq := true, true
			for i, e := range es {
				idx[i] = p.index[c.canonical(e.(*expr.Ident).Name)]
				same = same && idx[i] == idx[0]
				seq = seq && idx[i] == idx[0]+i
			}
			switch {
			case same:
				return opnd{kind: oSlot, slot: idx[0]}
			case seq:
				return opnd{kind: oRange, slot: idx[0]}
			}
			return opnd{kind: oGather, idx: idx}
		}
		switch clock, _ := spec.Resolve(name); clock {
		case spec.Time:
			return opnd{kind: oTime}
		case spec.DT:
			return opnd{kind: oDT}
		case spec.StartTime:
			return opnd{kind: oStart}
		}
		return opnd{kind: oStop}
	case *expr.Unary:
		x := sub(func(e expr.Expr) expr.Expr { return e.(*expr.Unary).X })
		switch e0.Op {
		case expr.Neg:
			return b.emit(vinst{op: vNeg, a: x})
		case expr.Not:
			return b.emit(vinst{op: vNot, a: x})
		}
		return x
	case *expr.Binary:
		x := sub(func(e expr.Expr) expr.Expr { return e.(*expr.Binary).X })
		y := sub(func(e expr.Expr) expr.Expr { return e.(*expr.Binary).Y })
		return b.emit(vinst{op: binaryOps[e0.Op], a: x, b: y})
	case *expr.If:
		cond := sub(func(e expr.Expr) expr.Expr { return e.(*expr.If).Cond })
		yes := sub(func(e expr.Expr) expr.Expr { return e.(*expr.If).Then })
		no := sub(func(e expr.Expr) expr.Expr { return e.(*expr.If).Else })
		return b.emit(vinst{op: vSelect, a: cond, b: yes, c: no})
	case *expr.Call:
		name := c.canonical(e0.Func)
		arg := func(k int) opnd {
			return sub(func(e expr.Expr) expr.Expr { return e.(*expr.Call).Args[k] })
		}
		if _, ok := p.named[name]; ok || name == "lookup" {
			tables := make([]int, len(es))
			for i, e := range es {
				call := e.(*expr.Call)
				if name == "lookup" {
					tables[i] = p.named[c.canonical(identName(call.Args[0]))]
				} else {
					tables[i] = p.named[c.canonical(call.Func)]
				}
			}
			x := arg(len(e0.Args) - 1)
			return b.emit(vinst{op: vLookup, a: x, tables: tables})
		}
		fn := builtins[name].Name
		switch {
		case unary[fn] != nil:
			return b.emit(vinst{op: vFn1, a: arg(0), f1: unary[fn]})
		case binary[fn] != nil:
			return b.emit(vinst{op: vFn2, a: arg(0), b: arg(1), f2: binary[fn]})
		case fn == "MIN" || fn == "MAX":
			op := vMin
			if fn == "MAX" {
				op = vMax
			}
			acc := arg(0)
			for k := 1; k < len(e0.Args); k++ {
				acc = b.emit(vinst{op: op, a: acc, b: arg(k)})
			}
			return acc
		case fn == "IF_THEN_ELSE":
			return b.emit(vinst{op: vSelect, a: arg(0), b: arg(1), c: arg(2)})
		default: // XIDZ, ZIDZ, SAFEDIV
			alt := opnd{kind: oConst}
			if len(e0.Args) > 2 {
				alt = arg(2)
			}
			return b.emit(vinst{op: vZdiv, a: arg(0), b: arg(1), c: alt})
		}
	}
	panic("sim: cannot batch " + expr.Format(es[0])) // shape let through an expression it should not have
}
