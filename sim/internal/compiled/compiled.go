// Package compiled is the structure of a compiled program as package sim
// sees it, handed to the Go code generator (sim/gen) so that the generated
// code follows the interpreter's own order, stocks and limits.
package compiled

import (
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/expr"
)

// Program is a compiled model: its variables by slot and the orders in
// which they are computed.
type Program struct {
	Model   *model.Model
	Nodes   []Node
	Index   map[string]int // canonical name → slot
	Init    []int          // slots in the order their initial values are computed
	Step    []int          // dynamic auxiliaries and flows, in evaluation order
	Stocks  []Stock
	Tables  []Table
	Named   map[string]int // canonical lookup name → table
	Public  []int          // the output columns' slots, in model order
	NonNeg  []NonNegStock  // in the order their outflows are limited
	NNFlows []NNFlow
	NNTerms int
	Time    model.Time

	// Delays holds, per fixed delay, the slot of its input, whose value
	// the run records at each step.
	Delays []int
	// Prevs holds, per PREVIOUS, its node and the slot of its input.
	Prevs []Prev
	// Draws numbers the calls of random functions; Seeded says, by that
	// number, whether a call has a seed argument (its own generator).
	Draws  map[*expr.Call]int
	Seeded []bool
}

// Prev is a PREVIOUS: the node holds, during a step, its input's value at
// the step before.
type Prev struct{ Slot, In int }

// Node is a variable: a model variable or a hidden one made by expanding
// a stateful builtin.
type Node struct {
	Name   string
	Owner  string // the model variable a hidden node serves
	Kind   model.Kind
	Hidden bool
	Static bool // the value never changes during a run
	NonNeg bool
	Eq     model.Equation
	Expr   expr.Expr    // the equation; nil for an Op node
	Table  int          // inline lookup applied to the value, or -1
	Range  *model.Range // the range the model declares, if any

	// Op, when not "", replaces Expr: "init" is Args[0]'s value at the
	// start; "active_initial" is Args[0] while the initial values are
	// computed and Args[1] after; "delay" (XMILE's DELAY) and
	// "delay_fixed" (Vensim's DELAY FIXED) read the history of fixed
	// delay Args[0] with the delay time in slot Args[1] and the initial
	// value in Args[2]; "previous" is PREVIOUS number Args[0], whose Expr
	// is its initial value; "order" is the order of an SMTHN or DELAYN
	// computed at the start (Origin) from slot Args[0], no more than
	// Args[3] and, when Args[2] is 1 (Vensim), no more than the delay
	// time in slot Args[1] over DT.
	Op     string
	Args   []int
	Origin *expr.Call // the stateful call a hidden node comes from, if any
	// Unsupported is the call of a stateful builtin whose hidden state
	// the generator cannot write (nil when there is none).
	Unsupported *expr.Call
}

// Stock is a stock with its flows' slots.
type Stock struct {
	Slot    int
	In, Out []int
	NonNeg  bool
}

// Table is a lookup.
type Table struct {
	X, Y []float64
	Mode model.LookupMode
}

// NonNegStock is a non-negative stock and the flows it may limit.
type NonNegStock struct {
	Stock, Slot int
	Terms       []NNTerm
}

// NNTerm is a flow of a non-negative stock (see sim/nonneg.go).
type NNTerm struct {
	Flow        int
	Out, Shared bool
	Scr, Other  int
}

// NNFlow is a flow some non-negative stock may limit.
type NNFlow struct {
	Slot   int
	Static bool
}

// Export returns the structure of a *sim.Program; package sim sets it.
var Export func(p any) *Program
