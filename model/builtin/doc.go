// Package builtin is the table of the equation language's functions,
// clock names and reserved names: the one description of them that every
// other package reads. Lookup finds a function by the canonical form
// (model.Canonical) of any of its spellings, All lists every function,
// Resolve says what a name that no variable has refers to, and Reserved
// says which names a model may not use:
//
//	f := builtin.Lookup(model.Canonical("Smooth"))
//	fmt.Println(f.Signature()) // SMTH1(input, time[, initial])
//
// The simulator (sim) attaches an evaluation to each function by its
// Name, the loop analysis (loops) reads argument roles and directions,
// the units checker (model/units) reads the units rules, and model
// reserves the names.
//
// The table says, for each function: its canonical spelling and aliases
// (matched as model.Canonical matches names, so "DELAY FIXED",
// "delay_fixed" and "Delay Fixed" are one), its parameters with their
// roles (Input, Duration, Initial, Order, Seed, ...) and whether the
// value rises or falls with each, whether it is optional, its Kind (pure,
// timed, random, stateful), the tool whose meaning it takes where tools
// differ (Dialect), and for smooths and delays the number of stages and
// whether the value follows its input. It describes; it evaluates
// nothing, so model can import it without importing the simulator.
//
// Where Vensim and XMILE give one spelling two meanings, the table keeps
// both under their own names:
//
//	INT(x)              XMILE/Stella: rounds down, INT(-0.5) = -1
//	INTEGER(x)          Vensim: truncates toward zero, INTEGER(-0.5) = 0
//	DELAY(x, d[, i])    XMILE: x as it was d ago, interpolated between steps
//	DELAY_FIXED(x, d, i) Vensim: x a whole number of steps ago, round(d/DT) at the start
//	DELAYN(x, d, n[, i]) XMILE: n stages, each d/n long
//	DELAY_N(x, d, i, n) Vensim: at most d/DT stages (rounded down) at the start
//
// To add a function, add an entry to the lists in table.go and its
// evaluation to sim's implementations (sim fails to start, and its tests
// fail, when the two disagree). To add a property every function has
// (a units rule, say), add a field to Func or Param and fill it in where
// it differs from the zero value.
package builtin
