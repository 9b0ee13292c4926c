package sim

import (
	"fmt"
	"strings"

	"github.com/stockflow/stockflow/model"
)

// LoopVar is one variable of an algebraic or initialisation loop.
type LoopVar struct {
	Name string
	Pos  model.Position
}

// AlgebraicLoopError reports a cycle of auxiliaries and flows that depend on
// one another within one time step, with no stock to break it. Vars lists
// the cycle in order; the last depends on the first.
type AlgebraicLoopError struct {
	Vars []LoopVar
	// Init is true for a cycle among initial values (which may run
	// through stocks' initial equations).
	Init bool
}

func (e *AlgebraicLoopError) Error() string {
	var b strings.Builder
	if e.Init {
		b.WriteString("initialisation loop: ")
	} else {
		b.WriteString("algebraic loop: ")
	}
	for i, v := range e.Vars {
		if i > 0 {
			b.WriteString(" → ")
		}
		fmt.Fprintf(&b, "%q (%s)", v.Name, shortPos(v.Pos))
	}
	if len(e.Vars) > 0 {
		fmt.Fprintf(&b, " → %q", e.Vars[0].Name)
	}
	return b.String()
}

// shortPos prints a position without its file name.
func shortPos(p model.Position) string {
	p.File = ""
	return p.String()
}

// RuntimeError reports a value that became NaN or infinite during a run.
type RuntimeError struct {
	Var       string         // the variable whose value is not finite
	Time      float64        // the simulated time
	Value     float64        // NaN, +Inf or -Inf
	Pos       model.Position // of the innermost sub-expression at fault, if known
	Equation  string         // the variable's equation
	Expr      string         // the innermost sub-expression whose value is not finite
	ExprValue float64        // and its value
}

func (e *RuntimeError) Error() string {
	var b strings.Builder
	if e.Pos.File != "" || e.Pos.IsValid() {
		b.WriteString(e.Pos.String() + ": ")
	}
	fmt.Fprintf(&b, "%q is %v at time %g", e.Var, e.Value, e.Time)
	if e.Expr != "" && e.Expr != e.Equation {
		fmt.Fprintf(&b, ": %s is %v in %s", e.Expr, e.ExprValue, e.Equation)
	} else if e.Equation != "" {
		fmt.Fprintf(&b, " in %s", e.Equation)
	}
	return b.String()
}

// RangeError reports a setting of a variable outside the range its model
// declares.
type RangeError struct {
	Name  string // the variable, as written in the model
	Value float64
	Range model.Range
}

func (e *RangeError) Error() string {
	return fmt.Sprintf("sim: %s = %g is outside the range of %q, %s", e.Name, e.Value, e.Name, e.Range)
}
