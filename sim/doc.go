// Package sim compiles models to programs and runs them.
//
// Compile resolves every name of a model to a slot, orders the auxiliaries
// and flows by dependency and turns each equation into a closure; a Program
// is immutable and may be run by many goroutines at once, each Run owning its
// state:
//
//	m, err := model.LoadFile("teacup.yaml")
//	...
//	p, err := sim.Compile(m)
//	...
//	res, err := p.Run(sim.Scenario{Set: map[string]float64{"room_temperature": 60}})
//	...
//	res.WriteCSV(os.Stdout)
//
// # Semantics
//
// The semantics are those of Vensim, Stella and XMILE. At the start every
// initial value is computed in dependency order. At each step the
// auxiliaries and flows are computed from the stocks at time t; the saved
// row at t holds those values; then the integrator advances the stocks:
//
//   - Euler: S(t+dt) = S(t) + dt·net(t).
//   - RK2 (Heun): k1 = net(t, S), k2 = net(t+dt, S + dt·k1),
//     S(t+dt) = S + dt·(k1+k2)/2.
//   - RK4 (classic): k1..k4 at t, t+dt/2, t+dt/2 and t+dt,
//     S(t+dt) = S + dt·(k1 + 2k2 + 2k3 + k4)/6.
//
// A non-negative flow is max(0, f) wherever it is computed; a non-negative
// stock is set to zero after any step that leaves it below zero. Times are
// start + i·dt, never accumulated. A value that becomes NaN or infinite stops
// the run with a *RuntimeError naming the variable, the time and the
// innermost sub-expression at fault, unless Scenario.AllowNonFinite is set.
//
// Values that cannot change during a run (constants, and expressions of
// constants alone) are computed once; these are what a Scenario may Set,
// along with the initial value of any stock.
package sim
