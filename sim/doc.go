// Package sim compiles system-dynamics models to programs and runs them.
// Compile a *model.Model once, then Run the Program under a Scenario as
// often as needed, from as many goroutines as needed, and read the
// Result. The zero Scenario runs the model as written; its fields set
// constants, lookups and the time settings for one run, without
// compiling again:
//
//	m, err := model.LoadFile("teacup.yaml")
//	...
//	p, err := sim.Compile(m)
//	...
//	res, err := p.Run(sim.Scenario{Set: map[string]float64{"room_temperature": 60}})
//	...
//	temp, err := res.At("teacup_temperature", 10) // an unknown name is an error
//	...
//	res.WriteCSV(os.Stdout)
//
// Compile resolves every name of a model to a slot, orders the auxiliaries
// and flows by dependency and compiles the equations (see Evaluation); a Program
// is immutable, and each Run owns its state. Program.Stream hands the rows
// of a long run to a function instead of keeping them. Package
// sim/experiment runs many scenarios at once (ensembles, sensitivity,
// optimisation, calibration), sim/chart draws results, sim/web serves a
// what-if page, and sim/gen writes a model as Go code.
//
// # Evaluation
//
// Each stage of a step computes the dynamic auxiliaries and flows by
// dependency level (an equation is one level above the highest it reads),
// so that equations of one level never read each other. Within a level,
// equations of the same shape, the same operators and functions differing
// only in the variables and constants they read, form a batch: the
// elements of an arrayed equation, or the copies of a scalar one. A batch
// runs as a few vector instructions, each one loop over a chunk of its
// equations, with the commonest operations specialised by operand (a
// variable, one value for all, or an array) and MIN and MAX inline. A
// shape with fewer than 8 equations, and equations that draw random
// numbers (kept in their order) or keep state, run as closures, one call
// per operation. Every operation of a batch rounds as the closure does,
// so results do not depend on batching. Values are
// checked for NaN and infinity once per stage; when one is found, the
// stage is computed again in the compiled order, one equation at a time,
// to report the first variable at fault with its time, equation and
// sub-expression. The stocks then move by their flows summed with signed
// coefficients (+1 in, −1 out), in the order each stock lists them. A step
// allocates nothing.
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
// A non-negative flow is max(0, f) wherever it is computed.
//
// # Non-negative stocks
//
// A non-negative stock limits its outflows rather than being set to zero
// after the step, so material is conserved: clamping the stock would
// create the material the outflow still carried away. The rule is XMILE
// 1.0's (§3.1.3 and §4.1 on <non_negative/>, and the option filter of
// §3.7, which applies to the stock's outflows) and Stella's (isee
// systems, "Flow prioritization"): after each evaluation of the flows,
// the stock's outflows together take no more than
//
//	S(t)/dt + the inflows during the step,
//
// served in the order the stock lists them: the first takes what it
// asks, up to all of that; the second what is left; and so on. A flow
// running backwards (a negative inflow) drains the stock too and is
// served after the outflows. The stock reaches exactly zero; each
// limited flow's value is what actually moved, in the saved rows and for
// the stock it flows into. Under RK2 and RK4 the limit holds at every
// stage, against the value at the start of the step, so every stage's
// trial state and the step's weighted average stay at or above zero and
// conserve material. Stocks are served upstream first, so along a chain
// each counts what the one before passes on; around a cycle of
// non-negative stocks, an inflow from a stock not yet served counts as
// nothing (the stock may stop just above zero rather than risk going
// below). An auxiliary that reads a limited flow sees its equation's
// value. A flow listed on two stocks on the same side is limited for each
// non-negative stock apart and reports its equation's value.
//
// Times are
// start + i·dt, never accumulated. A value that becomes NaN or infinite stops
// the run with a *RuntimeError naming the variable, the time and the
// innermost sub-expression at fault, unless Scenario.AllowNonFinite is set.
//
// Values that cannot change during a run (constants, and expressions of
// constants alone) are computed once; these are what a Scenario may Set,
// along with the initial value of any stock.
//
// # Conventions of the module
//
// sim and the packages beside it (sim/experiment, sim/chart, loops) read
// alike:
//
//   - Series are indexed variable first, then time: Result.Values[j][i] is
//     variable Names[j] at Times[i], as are experiment.Summary.Values[v][k][i]
//     (quantile k), experiment.Data.Values[j][i], loops.Scores.Score[j][i]
//     and chart.Band.Values[k][i]. The one view across variables at a
//     moment is Trace.State(k), the state an Evaluator reads.
//   - Names are compared canonically (model.Canonical: "Heat Loss" is
//     heat_loss). An accessor by name (Result.Series, Final and At,
//     experiment.Summary.Series, loops.Scores.Series, loops.Graph.Link)
//     returns an error for a name it does not hold, wrapping a
//     *model.NameError that names the closest name there is.
//   - Quantiles are fractions in [0, 1], as gonum's stat.Quantile takes
//     them: 0.95 is the 95th percentile. Only text for people (a CSV
//     header p95, the command line's --percentiles 5,50,95) speaks in
//     percent.
//   - A value between two points is linear between them and exact at
//     each: a lookup between its points, Result.At between saved times,
//     a calibration's model values at the times of its data.
//   - CSV is written by one writer (CSVWriter, which loops uses too):
//     RFC 4180 quoting where a field needs it, numbers in the shortest
//     form that reads back to the same float64, and NaN, a value that is
//     not there, as an empty cell, as spreadsheets and
//     experiment.ReadData read a missing value.
package sim
