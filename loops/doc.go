// Package loops finds the feedback loops of a model, gives each a polarity,
// and measures from a run which of them drive the model's behaviour (the
// Loops That Matter method). Start with NewGraph, the causal graph of a
// *model.Model: its Loops method lists every loop with its polarity, and
// Score measures the loops over a run of the compiled model:
//
//	g, err := loops.NewGraph(m)         // the causal graph, links with polarities
//	found, err := g.Loops(0)            // every feedback loop: R1, B1, U1, ...; R1[smb] in arrays
//	p, err := sim.Compile(m)
//	sc, err := loops.Score(p, sim.Scenario{}, found)
//	sc.WriteCSV(os.Stdout)              // relative loop scores over time
//	found, sc, err = g.Decide(p, sim.Scenario{}, found) // kinds a run decides, and its scores
//	groups := g.Groups(found)           // loops told as one story
//
// # The causal graph
//
// There is a link x → z for each variable x that z's equation names, and a
// link from each flow to each stock it fills (+) or drains (−). A stock's
// initial value makes no link: it acts once, before the run. A stateful
// function (SMTH1, DELAY3, TREND, ...) is one link from each variable its
// arguments name to the variable whose equation calls it; its hidden stocks
// and flows are not shown, and the loops inside it (the drain of each
// smoothing stage) are not feedback loops of the model.
//
// # Link polarity
//
// A link is + when, all else equal, a rise in x never lowers z, − when it
// never raises z, and ? (Unknown) when the equation does not decide it.
// Unknown is an honest answer; the analysis never guesses. It follows the
// equation's tree with the sets of signs that values and changes may take:
//
//   - sums add the polarities of their terms; a product u·v changes by
//     Δu·v + u·Δv, so ∂(u·v)/∂u has the sign of v, known only when v's sign
//     is; a quotient u/v likewise, when v keeps one sign;
//   - the signs of values come from numbers, from the constants of the
//     model and of its scenarios (values set when the model is run are not
//     seen) — an expression of constants alone, such as 1 − share, takes
//     the signs of its values in the model and in each scenario —, from
//     stocks declared non_negative (their outflows are limited so that
//     they stay at or above zero at every stage), from stocks that
//     provably keep the sign of their initial value (all inflows of that
//     sign, all outflows of the other, checked together as the greatest set
//     of such assumptions that proves itself), and from smooths and delays,
//     which stay between their input and initial value when each stage is
//     at least dt long under Euler or RK2, the model's own settings;
//   - the functions the table in model/builtin marks as rising with every
//     argument (EXP, LN, LOG10, SQRT, ARCTAN, ARCSIN, INT, INTEGER, ROUND,
//     SIGN, MIN, MAX, MEAN) rise with each, ARCCOS falls, QUANTUM rises
//     with x;
//   - the functions it marks as following their input (the smooths and
//     delays, PREVIOUS, INIT, ACTIVE_INITIAL) rise with their input and
//     initial value (their time argument gives ?);
//   - a lookup is + when its points never fall, − when they never rise;
//     scenarios that replace its points must agree;
//   - IF c THEN a ELSE b is the polarity both branches agree on, when c
//     does not involve x; x < y falls with x and rises with y;
//   - a division by zero or a negative number to a fractional power makes
//     a value that stops a run, so divisors are taken never to be zero and
//     such bases never negative;
//   - sub-expressions of constants and of the auxiliaries computed from
//     them (such as 1 − IF TIME < shift THEN early_share ELSE share) are
//     narrowed to their intervals, by interval arithmetic over the values
//     each constant takes in the model, in each scenario and anywhere in
//     the range: it declares, where it may be set (so a polarity from the
//     structure holds for every setting the what-if page allows).
//
// A loop is reinforcing (R) when it has an even number of negative links,
// balancing (B) when odd, and undetermined (U) when a link is unknown.
//
// # Factors shown as variables
//
// An equation that reads a variable through several factors of a product,
// one rising with it and another falling (each on its own), such as
// net_births = r·P·(1 − P/K), hides two feedback loops in one link: the
// graph shows each such factor that is not the bare variable as a variable
// of its own, named after the equation's variable and the factor's place
// (net_births_factor_3, standing for 1 − P/K; Graph.Implicit lists them),
// so that logistic growth written as one flow has its reinforcing and its
// balancing loop. Scores are computed on the model with those factors
// written out, which behaves exactly as the model.
//
// # Polarity from a run
//
// Graph.Decide settles what the structure leaves undetermined from a run of
// a scenario, and says so in each loop's Evidence:
//
//   - ranges: each unknown link is analysed again knowing that every
//     variable stays within the range of values it takes in the run; the
//     signs of sub-expressions then come from interval arithmetic over
//     those ranges (1 − population/capacity is positive when the
//     population stays below the capacity), and a lookup's direction from
//     the stretch of it the run visits. Bass's word-of-mouth loop is
//     reinforcing because the potential adopters stay positive;
//   - run: a loop still undetermined is reinforcing when its loop score is
//     positive at every step where it is not zero, balancing when
//     negative; one whose score changes sign is Changing ("R/B", shown in
//     the order of its phases as R→B or B→R, numbered RB1, RB2, ...), with
//     the times of the changes, its phases, and for each link no equation
//     decides how its link score's sign went (logistic growth written as
//     one flow: the loop is R until the inflection point, B after). A
//     loop that never scores (through a fixed delay, say) stays
//     undetermined.
//
// Graph.Groups gathers the loops a modeller tells as one story: loops of
// one polarity through the same two or more stocks in the same order
// that differ only by a short parallel path, the copies of a loop through
// the elements of an array, and undetermined or changing loops made so by
// the same links.
//
// # Arrays
//
// The causal graph of an arrayed model is over its elements. A loop that
// passes through one element of a dimension (every arrayed variable of it
// at that element, say customers[smb] and churn[smb]) and has copies
// through other elements (the same variables, link polarities and kind)
// shares its number with them: R1[smb], R1[mid_market], R1[enterprise].
// Loop.Dims and Loop.Elements say which; a Group holds all the copies and
// is labelled with the dimension, R1[segment], its variables written
// customers[segment] (a subrange's name, or the elements separated by |,
// when some elements have no copy). Loops through two elements of one
// dimension are listed each on its own.
//
// # Loops
//
// Graph.Loops finds every elementary loop by Johnson's algorithm, with a
// limit: a model with more loops than the limit gives a *LimitError, never a
// partial list. Each loop starts at its variable whose canonical name sorts
// first; loops are ordered R, then B, then R/B, then U, shorter before
// longer, then by their variables' canonical names (copies through the
// elements of an array together), and numbered R1, R2, ..., B1, ..., RB1,
// ..., U1, .... The model's loops section names loops: a named loop matches the found
// loop with its variables in the same cyclic order (starting anywhere), or
// else the one found loop with the same set of variables; one that matches
// none is an error.
//
// # Loop scores
//
// Score runs a model and computes, for every saved time, the scores of
// Schoenberg, Davidsen & Eberlein, "Understanding model behavior using the
// Loops that Matter method", System Dynamics Review 36(2), 2020, with the
// flow-to-stock score corrected by Schoenberg, Hayward & Eberlein,
// "Improving Loops that Matter", System Dynamics Review 39(2), 2023.
//
// For a link x → z where z = f(x, y, ...), over the step from t−dt to t:
//
//	LS(x → z) = |Δx(z) / Δz| · sign(Δx(z) / Δx)
//	Δx(z)     = f(x(t), y(t−dt), ...) − z(t−dt)      (the change due to x alone)
//	Δz        = z(t) − z(t−dt),  Δx = x(t) − x(t−dt)
//
// and 0 when Δz, Δx or Δx(z) is 0. The equation is evaluated at time t−dt,
// so that the clock counts among the inputs held still. For a link from a
// flow i to a stock S:
//
//	LS(i → S) = ±|Δi / ΔṠ|,   ΔṠ = Ṡ(t) − Ṡ(t−dt)
//
// with + for an inflow and − for an outflow, where Ṡ is the stock's net
// flow, the sum of its inflows less its outflows, and 0 when ΔṠ is 0. This
// is the paper's |Δi / (ΔS_t − ΔS_{t−dt})| with each change of the stock
// over a step written dt·Ṡ at the step's start, which is what Euler
// integration makes it (with the flows of a non_negative stock as limited); it
// puts the flow's change and the stock's acceleration on the same step as
// every other link of a loop, and gives a stock with one flow a score of
// exactly ±1.
//
// A loop's score is the product of its links' scores. Its relative score is
// its score divided by the sum of the absolute scores of the loops of its
// cycle partition (Loop.Partition: the strongly connected part of the
// causal graph, the same as the strongly connected component of the
// stock-to-stock graph with the stocks inside stateful functions counted
// as their callers), 0 when they all score 0. Relative scores lie in
// [−1, 1], are positive for a reinforcing effect and negative for a
// balancing one, and their absolute values add up to 1 in each partition.
//
// The loops that dominate at a saved time are the fewest, strongest
// first, whose absolute relative scores add up to at least one half;
// Scores.Dominant gives the periods over which that set does not change.
//
// # Time
//
// Scores are computed from Program.Trace, the state at every dt step, and
// reported at the saved times (save_every). The score at a saved time t
// describes the last dt step before it, from t−dt to t: it is the same
// step for every link of every loop. The first saved time (the start)
// describes no step; its scores are NaN, written as empty cells in CSV. Between saved
// times the steps are not averaged: each row is a sample.
//
// # Integration methods
//
// Scores are defined the same way under Euler, RK2 and RK4. The trace
// holds the state at the start of each step whatever the method, with the
// auxiliaries and flows computed from the stocks at that time; every Δ is
// a difference between two such states, every Δx(z) one evaluation of one
// equation, and Ṡ the net flow the model's equations give at the state,
// not the method's averaged slope. Under Euler this is exactly the paper's
// definition. Under RK2 and RK4 it is the same formula applied to the
// states the method reaches: a definition that does not depend on the
// method (the one Simlin uses too), though the stock's change over a step
// is then not exactly dt·Ṡ.
//
// # Stateful functions
//
// A stateful function is compiled into hidden stocks and flows (see
// sim.Program.Nodes), and scores are computed on that expanded graph, so
// that a link through a SMTH1 scores as the product of the links of its
// internal chain: input → adjustment → hidden stock → caller. A link x → z
// of the causal graph stands for every path from x to z through z's hidden
// variables, and its score is the sum of those paths' scores (TREND, which
// reads its input directly and through its average, has two). A loop's
// score is then the sum of the scores of all the loops of the expanded
// graph that map to it when hidden variables are replaced by the variable
// they serve and repeats are collapsed. Loops inside a stateful function
// map to no loop of the model and are left out of the normalisation, as
// the papers leave out the internal loops of macros.
//
// The pipeline of a fixed DELAY, PREVIOUS and INIT remember values rather
// than respond to their inputs within a step: no path of the expanded
// graph crosses them, and a loop through one scores 0. Random functions
// draw anew at each step, so links into a variable that calls one score 0
// too.
package loops
