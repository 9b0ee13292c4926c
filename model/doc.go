// Package model holds system-dynamics models — stocks, flows,
// auxiliaries, lookups, time settings, scenarios and named feedback
// loops — and reads them from YAML. Start with LoadFile, which reads a
// model file, or Load, which reads one held in memory: each returns a
// *Model, or every problem of the file as an ErrorList, and sim.Compile
// turns the model into a program to run:
//
//	m, err := model.LoadFile("teacup.yaml")
//	if err != nil {
//		return err // each problem at file:line:col
//	}
//	p, err := sim.Compile(m)
//
// Packages model/xmile and model/vensim read the same *Model from other
// tools' files, model/units checks its units of measure, and model/expr
// parses its equations.
//
// # The model file
//
// A model file is a YAML mapping with these keys, every one optional but
// time:
//
//	name: teacup
//	doc: Newton's law of cooling.
//	time:
//	  start: 0
//	  stop: 30
//	  dt: 0.125          # integration step
//	  save_every: 1      # optional; default dt; a whole multiple of dt
//	  method: euler      # euler (default) | rk2 | rk4
//	  units: minute      # optional
//	stocks:
//	  teacup_temperature:
//	    initial: 180                 # an equation
//	    inflows: []                  # flow names
//	    outflows: [heat_loss_to_room]
//	    units: degF
//	    non_negative: false          # limit the outflows so it stops at zero
//	    doc: Temperature of the tea.
//	flows:
//	  heat_loss_to_room:
//	    equation: (teacup_temperature - room_temperature) / characteristic_time
//	    units: degF/minute
//	    non_negative: false          # limit the flow to max(0, f)
//	auxiliaries:
//	  room_temperature: 70           # the short form: just the equation
//	  characteristic_time: {equation: 10, units: minute}
//	  warm_up:
//	    equation: TIME          # from the first step
//	    initial: 45             # while initial values are computed
//	                            # (XMILE <init_eqn>, Vensim ACTIVE INITIAL)
//	  window_share:
//	    equation: 0.3
//	    range: [0, 1, 0.05]          # min, max, optional step
//	    uncertainty: triangular(0.1, 0.3, 0.6)
//	lookups:                         # graphical functions, called as name(x)
//	  churn_multiplier:
//	    points: [[0, 4.0], [0.5, 1.0], [1, 0.2]]
//	    mode: continuous  # continuous | extrapolate | discrete
//	    units: dmnl       # of the output; input_units: those of the input
//	scenarios:                       # named overrides of constants
//	  acquisition_heavy:
//	    doc: Most of the budget on acquisition.
//	    set: {cs_share: 0.2}
//	    lookups: {churn_multiplier: {points: [[0, 2], [1, 0.5]]}}
//	loops:                           # names for feedback loops
//	  cooling: [teacup_temperature, heat_loss_to_room]
//	units:                           # the model's own units and aliases
//	  degree_F: {aliases: [degF]}
//	  quarter: 3 month
//
// Units are units expressions (package model/units checks them and infers
// what is not declared): units: on a variable, the time unit, and units:
// (output) and input_units: on a lookup.
//
// A stock may be written in the short form name: initial-value, and a flow
// or auxiliary as name: equation. An auxiliary or flow may carry an inline
// lookup (lookup: {points: ..., mode: ...}) that is applied to the value of
// its equation, as an XMILE graphical function is.
//
// # Arrays
//
// One equation may stand for many regions, segments or cohorts. A
// dimensions: section names the dimensions: a list of elements, a number
// of elements (numbered from 1), or a subrange of another dimension; a
// variable or lookup arrayed over them lists them in dims:, and has one
// equation for all its elements or one per element under elements: (keys
// "e" or "e1, e2" for two dimensions; a subrange's or dimension's name
// covers each of its elements):
//
//	dimensions:
//	  segment: [smb, mid_market, enterprise]   # named elements
//	  cohort: 3                                # elements 1, 2, 3
//	  large: {of: segment, elements: [mid_market, enterprise]}   # a subrange
//	  region: {elements: [north, south, east], maps_to: [segment]}  # by position
//	  zone: {elements: [z1, z2], maps_to: {large: [enterprise, mid_market]}}  # by element
//	stocks:
//	  customers:
//	    dims: [segment]
//	    initial: 100                           # apply-to-all
//	    inflows: [wins]
//	    outflows: [churn]
//	flows:
//	  wins:   {dims: [segment], equation: acquisition_spend[segment] / cac}
//	  churn:  {dims: [segment], equation: customers * churn_rate}   # same-dimension refs implicit
//	auxiliaries:
//	  churn_rate:
//	    dims: [segment]
//	    elements: {smb: 0.04, mid_market: 0.02, enterprise: 0.01}   # one equation per element
//	  total_customers: SUM(customers[*])
//	  largest: MAX(customers[*])
//	  enterprise_share: customers[enterprise] / total_customers
//
// In an equation, x[smb] is one element; x[segment], or x alone when the
// equation's own variable has that dimension, is the element being
// computed (matched by dimension name, then through subranges and
// mappings); x[2] is the second element; x[*] is every element, which
// only the array functions (SUM, PROD, MEAN, MIN, MAX, STDDEV, SIZE,
// RANK, ...) take; x[large] is the elements of a subrange; x[@1] the
// element of the equation's first dimension; x' the transposed array. A
// flow of an arrayed stock has the stock's dims. Stateful functions of an
// array are arrays: each element keeps its own state.
//
// The output name of an element, and the name a user types for it, is
// customers[smb] (x[a,b] for two dimensions; ElementName); customers[*]
// or customers alone means every element (Model.Elements). Flatten turns
// an arrayed model into the equivalent model of one variable per element,
// which is what the simulator runs and the loop analysis reads. Errors
// about arrays name the dimension or element at fault.
//
// # Ranges and uncertainties
//
// Any variable may declare range: [min, max] or [min, max, step], the span
// of values it is meant to take. A constant's value, a scenario's setting
// of it and a run's setting (--set) must lie inside its range; sliders
// are made of it, and optimisation takes it as the bounds of a constant
// given by name alone. A constant may declare uncertainty: DIST(args) in
// the syntax of --vary (see Distribution): sensitivity studies draw it
// from there unless told otherwise. A bounded distribution must stay
// inside the range; an unbounded one (normal, lognormal) on a constant
// with a range is refused in favour of truncnormal. Uncertainties are
// checked when the model is read, with the position of the fault.
//
// # Labels
//
// Any variable may declare label: the text charts and the what-if page
// show for it ("MRR", "CS per customer"). Without one they show its name
// as written, with spaces for underscores and its capitals kept
// (Variable.DisplayName). XMILE keeps a label in a stockflow:label
// element, which other tools ignore.
//
// # Modules
//
// A model may place another model file as a module: a copy of that model
// whose variables are named module.variable, so one file placed twice
// gives two independent copies, stocks and all.
//
//	modules:
//	  north:
//	    file: tank.yaml          # relative to this file
//	    inputs:
//	      rate: demand * 0.4     # a variable of tank.yaml, set by this equation
//	  south:
//	    file: tank.yaml
//	    inputs:
//	      rate: demand - north.drain
//	auxiliaries:
//	  total: north.level + south.level
//
// An input replaces the equation the module file gives the variable (a
// stock there becomes an auxiliary of that value). Every variable of a
// module can be read from equations, --vars and --set as module.variable;
// a module file may place modules itself. A module may instead place a
// model written in the file's models section, which holds models as a
// file holds one (stocks, flows, auxiliaries, lookups, dimensions, doc,
// modules and macros; no time, scenarios, loops or units: those are the
// placing model's):
//
//	models:
//	  tank:
//	    stocks: {level: {initial: 0, inflows: [fill]}}
//	    flows: {fill: rate}
//	    auxiliaries: {rate: 1}
//	modules:
//	  north: {model: tank, inputs: {rate: demand * 0.4}}
//
// Load places the modules when it reads the file, so the model it returns
// is flat (XMILE <module>s are read the same way: see Model.Embed and
// Model.Bind); Model.Parts keeps the model as written. WriteYAML writes a
// model's parts back: its modules place models of a models section (one
// for each file or XMILE submodel placed), so converting a model to YAML
// gives one file that keeps its modules and macros.
//
// # Macros
//
// A macro is a named piece of structure called like a function; each
// call makes its own copy of the macro's variables, stocks included.
//
//	macros:
//	  smoothed:
//	    doc: First-order smoothing of input over delay.
//	    parameters:
//	      - input
//	      - {name: delay, default: 4}   # optional: a call may leave it out
//	    equation: level                 # the result of a call
//	    stocks:
//	      level: {initial: input, inflows: [change]}
//	    flows:
//	      change: (input - level) / delay
//	auxiliaries:
//	  demand: 100 + STEP(20, 5)
//	  quick forecast: smoothed(demand, 2)
//	  slow forecast: smoothed(demand)
//
// A macro has parameters (names, or {name, default}: a default may use
// the parameters before it), an equation giving its result, and its own
// stocks, flows, auxiliaries and lookups, written as a model's are. Its
// equations see only its parameters and its own variables (XMILE's rule),
// and may call other macros, but not, directly or through others, itself.
// The k-th call of smoothed becomes the variables "smoothed k.level",
// "smoothed k.change", one for each parameter ("smoothed k.input", holding
// the call's argument) and "smoothed k.smoothed" for the result, which
// the call is replaced by; results, --vars and loops show those names.
// Macros are expanded in scalar equations only. A call with too many or
// too few arguments, a name the macro cannot see, and a macro that calls
// itself are errors at their place in the file. XMILE <macro>s and
// Vensim's :MACRO: are expanded by the same function, ExpandMacros.
//
// # Names
//
// Variables, lookups and dimensions share one namespace. Names are compared by their
// Canonical form: case-insensitive, with spaces and underscores equal, so
// "Heat Loss", "heat_loss" and "HEAT_LOSS" are one name. The names TIME, DT,
// STARTTIME and STOPTIME and the keywords of the equation language are
// reserved.
//
// # Errors
//
// Every key that is not known is an error. Load reports every independent
// problem of a file as an ErrorList of *Error values, each saying
// file:line:col (inside an equation: the position of the fault within it),
// what was expected and what was found.
package model
