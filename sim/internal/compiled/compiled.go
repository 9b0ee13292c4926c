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
}

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
	Expr   expr.Expr // the equation; nil for an Op node
	Table  int       // inline lookup applied to the value, or -1

	// Op, when not "", replaces Expr: "init" is Args[0]'s value at the
	// start; "active_initial" is Args[0] while the initial values are
	// computed and Args[1] after.
	Op   string
	Args []int
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
