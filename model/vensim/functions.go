package vensim

import (
	"fmt"

	"github.com/stockflow/stockflow/model/expr"
)

// function says how a Vensim function becomes stockflow's: its name in
// stockflow's table (with the same arguments in the same order), or a
// rewrite of its arguments.
type function struct {
	min, max int    // the number of arguments Vensim takes
	to       string // stockflow's name, when the arguments carry over
	rewrite  func(args []expr.Expr) expr.Expr
	// external is true for functions that read data from outside the
	// model file.
	external bool
	// why, when set, says why the function is not supported.
	why string
}

func same(name string, min, max int) function { return function{min: min, max: max, to: name} }

// functions maps each Vensim function, by its upper-case name with single
// spaces, to stockflow's.
var functions = map[string]function{
	"ABS":    same("ABS", 1, 1),
	"EXP":    same("EXP", 1, 1),
	"LN":     same("LN", 1, 1),
	"SQRT":   same("SQRT", 1, 1),
	"SIN":    same("SIN", 1, 1),
	"COS":    same("COS", 1, 1),
	"TAN":    same("TAN", 1, 1),
	"ARCSIN": same("ARCSIN", 1, 1),
	"ARCCOS": same("ARCCOS", 1, 1),
	"ARCTAN": same("ARCTAN", 1, 1),
	"SINH": {min: 1, max: 1, rewrite: func(a []expr.Expr) expr.Expr {
		return div(sub(call("EXP", a[0]), call("EXP", neg(a[0]))), num(2))
	}},
	"COSH": {min: 1, max: 1, rewrite: func(a []expr.Expr) expr.Expr {
		return div(add(call("EXP", a[0]), call("EXP", neg(a[0]))), num(2))
	}},
	"TANH": {min: 1, max: 1, rewrite: func(a []expr.Expr) expr.Expr {
		e2 := call("EXP", mul(num(2), a[0]))
		return div(sub(e2, num(1)), add(e2, num(1)))
	}},
	"MIN":     same("MIN", 2, 2),
	"MAX":     same("MAX", 2, 2),
	"MODULO":  same("MODULO", 2, 2),
	"XIDZ":    same("XIDZ", 3, 3),
	"ZIDZ":    same("ZIDZ", 2, 2),
	"INTEGER": same("INTEGER", 1, 1),
	"QUANTUM": same("QUANTUM", 2, 2),
	"POWER": {min: 2, max: 2, rewrite: func(a []expr.Expr) expr.Expr {
		return &expr.Binary{Op: expr.Pow, X: a[0], Y: a[1]}
	}},
	"LOG": {min: 2, max: 2, rewrite: func(a []expr.Expr) expr.Expr {
		return div(call("LN", a[0]), call("LN", a[1]))
	}},
	"IF THEN ELSE": {min: 3, max: 3, rewrite: func(a []expr.Expr) expr.Expr {
		return &expr.If{Cond: a[0], Then: a[1], Else: a[2]}
	}},
	"GAME": {min: 1, max: 1, rewrite: func(a []expr.Expr) expr.Expr { return a[0] }},

	"STEP":        same("STEP", 2, 2),
	"RAMP":        same("RAMP", 2, 3),
	"PULSE TRAIN": same("PULSE_TRAIN", 4, 4),
	// PULSE(start, width) is 1 from start for width (at least one time
	// step), else 0.
	"PULSE": {min: 2, max: 2, rewrite: func(a []expr.Expr) expr.Expr {
		t := ident("TIME")
		on := &expr.Binary{Op: expr.And,
			X: &expr.Binary{Op: expr.Ge, X: t, Y: a[0]},
			Y: &expr.Binary{Op: expr.Lt, X: t, Y: add(a[0], call("MAX", a[1], ident("DT")))},
		}
		return &expr.If{Cond: on, Then: num(1), Else: num(0)}
	}},

	"SMOOTH":         same("SMTH1", 2, 2),
	"SMOOTHI":        same("SMTH1", 3, 3),
	"SMOOTH3":        same("SMTH3", 2, 2),
	"SMOOTH3I":       same("SMTH3", 3, 3),
	"SMOOTH N":       same("SMOOTH_N", 4, 4),
	"DELAY1":         same("DELAY1", 2, 2),
	"DELAY1I":        same("DELAY1", 3, 3),
	"DELAY3":         same("DELAY3", 2, 2),
	"DELAY3I":        same("DELAY3", 3, 3),
	"DELAY N":        same("DELAY_N", 4, 4),
	"DELAY FIXED":    same("DELAY_FIXED", 3, 3),
	"TREND":          same("TREND", 3, 3),
	"FORECAST":       same("FORECAST", 3, 3),
	"NPV":            same("NPV", 4, 4),
	"INITIAL":        same("INIT", 1, 1),
	"ACTIVE INITIAL": same("ACTIVE_INITIAL", 2, 2),
	// SAMPLE IF TRUE(condition, input, initial) holds the input of the
	// last time the condition held: the variable's own previous value
	// otherwise. It is rewritten where it is the whole equation.
	"SAMPLE IF TRUE": {min: 3, max: 3, rewrite: func(a []expr.Expr) expr.Expr {
		return &expr.If{Cond: a[0], Then: a[1], Else: call("PREVIOUS", ident("SELF"), a[2])}
	}},

	"RANDOM UNIFORM": same("RANDOM_UNIFORM", 3, 3),
	"RANDOM NORMAL":  same("RANDOM_NORMAL", 5, 5),
	"LOOKUP INVERT":  {why: "stockflow's lookups cannot be inverted"},

	"SUM":  same("SUM", 1, 1),
	"PROD": same("PROD", 1, 1),
	"VMIN": same("MIN", 1, 1),
	"VMAX": same("MAX", 1, 1),

	"VECTOR ELM MAP":    same("VECTOR_ELM_MAP", 2, 2),
	"VECTOR SORT ORDER": same("VECTOR_SORT_ORDER", 2, 2),
	"VECTOR SELECT":     same("VECTOR_SELECT", 5, 5),

	"ALLOCATE BY PRIORITY": same("ALLOCATE_BY_PRIORITY", 5, 5),
	"ALLOCATE AVAILABLE":   same("ALLOCATE_AVAILABLE", 3, 3),
	"INVERT MATRIX":        same("INVERT_MATRIX", 2, 2),
	"VECTOR RANK":          same("VECTOR_RANK", 2, 2),
	"VECTOR REORDER":       same("VECTOR_REORDER", 2, 2),

	"GET XLS DATA":           {external: true},
	"GET XLS CONSTANTS":      {external: true},
	"GET XLS LOOKUPS":        {external: true},
	"GET XLS SUBSCRIPT":      {external: true},
	"GET DIRECT DATA":        {external: true},
	"GET DIRECT CONSTANTS":   {external: true},
	"GET DIRECT LOOKUPS":     {external: true},
	"GET DIRECT SUBSCRIPT":   {external: true},
	"GET DATA AT TIME":       {external: true},
	"GET DATA LAST TIME":     {external: true},
	"GET DATA FIRST TIME":    {external: true},
	"GET DATA BETWEEN TIMES": {external: true},
	"GET 123 DATA":           {external: true},
	"GET 123 CONSTANTS":      {external: true},
	"GET 123 LOOKUPS":        {external: true},
	"GET VDF DATA":           {external: true},
	"GET VDF CONSTANTS":      {external: true},
	"GET VDF LOOKUPS":        {external: true},
	"A FUNCTION OF":          {why: "it only lists a variable's causes; the model must give the equation"},
}

func num(x float64) expr.Expr                    { return &expr.Number{Value: x} }
func ident(name string) expr.Expr                { return &expr.Ident{Name: name} }
func neg(x expr.Expr) expr.Expr                  { return &expr.Unary{Op: expr.Neg, X: x} }
func add(x, y expr.Expr) expr.Expr               { return &expr.Binary{Op: expr.Add, X: x, Y: y} }
func sub(x, y expr.Expr) expr.Expr               { return &expr.Binary{Op: expr.Sub, X: x, Y: y} }
func mul(x, y expr.Expr) expr.Expr               { return &expr.Binary{Op: expr.Mul, X: x, Y: y} }
func div(x, y expr.Expr) expr.Expr               { return &expr.Binary{Op: expr.Div, X: x, Y: y} }
func call(f string, args ...expr.Expr) expr.Expr { return &expr.Call{Func: f, Args: args} }

// arity describes the number of arguments a function takes.
func (f function) arity() string {
	switch {
	case f.min == f.max && f.min == 1:
		return "1 argument"
	case f.min == f.max:
		return fmt.Sprintf("%d arguments", f.min)
	}
	return fmt.Sprintf("%d to %d arguments", f.min, f.max)
}

// timeValue lowers GET TIME VALUE(relative to, offset, measure) for the
// measure 0, the time itself: the simulation's time (relative to 0) or its
// initial time (1), plus the offset. The other measures read the time as
// a calendar date (year, month, day of the week, ...) and relative to 2
// the computer's clock: refused.
func (b *builder) timeValue(n *callNode, sc *scope) expr.Expr {
	if len(n.args) != 3 {
		b.fail(n.at, "GET TIME VALUE takes 3 arguments (relative to, offset, measure); found %d", len(n.args))
	}
	rel, ok := b.constNode(n.args[0])
	if !ok || rel != 0 && rel != 1 && rel != 2 {
		b.fail(n.args[0].position(), "expected 0 (the simulation's time), 1 (its initial time) or 2 (the computer's clock) as the first argument of GET TIME VALUE")
	}
	if rel == 2 {
		b.refuse(n.args[0].position(), "GET TIME VALUE relative to the computer's clock (2) is not supported: a run would not repeat")
	}
	measure, ok := b.constNode(n.args[2])
	if !ok {
		b.fail(n.args[2].position(), "expected a number as the measure of GET TIME VALUE")
	}
	if measure != 0 {
		b.refuse(n.args[2].position(), "GET TIME VALUE with the measure %g (a part of a calendar date) is not supported; only 0, the time itself", measure)
	}
	t := ident("TIME")
	if rel == 1 {
		t = ident("STARTTIME")
	}
	return add(t, b.lower(n.args[1], sc))
}
