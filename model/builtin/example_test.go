package builtin_test

import (
	"fmt"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/builtin"
)

// Lookup finds a function by the canonical form of any of its spellings;
// the entry says how it is called, what it depends on, and what each
// argument means to it.
func ExampleLookup() {
	f := builtin.Lookup(model.Canonical("Smooth"))
	fmt.Println(f.Signature(), "takes", f.ArgCount())
	fmt.Println(f.Name, f.Kind, "-", f.Doc)
	for i := range f.Params {
		p := f.Param(i)
		fmt.Printf("  %s: %v, optional %t, value %v as it grows\n", p.Name, p.Role, p.Optional, p.Mono)
	}
	// The units rule: the value has the units x of its input.
	fmt.Println("units:", f.UnitsRule())

	fmt.Println(builtin.Lookup(model.Canonical("no such function")) == nil)
	// Output:
	// SMTH1(input, time[, initial]) takes 2 or 3 arguments
	// SMTH1 stateful - first-order exponential smooth of input over time; starts at initial (default: input)
	//   input: input, optional false, value increasing as it grows
	//   time: duration, optional false, value unknown as it grows
	//   initial: initial, optional true, value increasing as it grows
	// units: x
	// true
}

// Resolve says what a name refers to when no variable of the model has
// it: a clock name, a function written without parentheses, or nothing.
// Reserved says which names a model may not give a variable.
func ExampleResolve() {
	for _, name := range []string{"TIME", "StartTime", "pi", "population"} {
		clock, f := builtin.Resolve(model.Canonical(name))
		switch {
		case clock != 0:
			fmt.Printf("%s: the clock %v\n", name, clock)
		case f != nil:
			fmt.Printf("%s: the function %s\n", name, f.Name)
		default:
			fmt.Printf("%s: not a builtin\n", name)
		}
	}
	_, reserved := builtin.Reserved(model.Canonical("if"))
	fmt.Println("IF reserved:", reserved)
	// Output:
	// TIME: the clock TIME
	// StartTime: the clock STARTTIME
	// pi: the function PI
	// population: not a builtin
	// IF reserved: true
}

// Where Vensim and XMILE give one spelling two meanings, the table keeps
// both under their own names and says whose meaning each takes.
func ExampleFunc_dialect() {
	for _, name := range []string{"INT", "INTEGER", "DELAY N", "DELAYN"} {
		f := builtin.Lookup(model.Canonical(name))
		fmt.Printf("%-34s %s\n", f.Signature(), f.Dialect)
	}
	// Output:
	// INT(x)                             XMILE
	// INTEGER(x)                         Vensim
	// DELAY_N(input, time, initial, n)   Vensim
	// DELAYN(input, time, n[, initial])  XMILE
}
