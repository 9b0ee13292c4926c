package builtin

// The table. Parameters are written with the helpers below: op(name) is
// an operand, up(name) an operand the value increases with, opt(p) makes
// a parameter optional.

func op(name string) Param           { return Param{Name: name} }
func up(name string) Param           { return Param{Name: name, Mono: Increasing} }
func down(name string) Param         { return Param{Name: name, Mono: Decreasing} }
func role(name string, r Role) Param { return Param{Name: name, Role: r} }
func opt(p Param) Param              { p.Optional = true; return p }
func input(name string) Param        { return Param{Name: name, Role: Input, Mono: Increasing} }
func initial(name string) Param {
	return Param{Name: name, Role: Initial, Mono: Increasing, Optional: true}
}
func fn1(name, doc string, p Param) *Func {
	return &Func{Name: name, Params: []Param{p}, Kind: Pure, Doc: doc}
}

// units gives a parameter its units rule (see Func.Units).
func units(rule string, p Param) Param { p.Units = rule; return p }

// same is a function whose argument and value have the same units.
func same(f *Func) *Func {
	f.Params[0].Units, f.Units = "x", "x"
	return f
}

// drawn is a random function whose value has the units of its
// parameters (but the seed).
func drawn(f *Func) *Func {
	for i := range f.Params {
		if f.Params[i].Role != Seed {
			f.Params[i].Units = "x"
		}
	}
	f.Units = "x"
	return f
}

// pure is a function of a dimensionless argument with a dimensionless
// value.
func pure(f *Func) *Func {
	f.Params[0].Units, f.Units = "1", "1"
	return f
}

var math = []*Func{
	same(fn1("ABS", "absolute value", op("x"))),
	pure(fn1("EXP", "e raised to the power x", up("x"))),
	pure(fn1("LN", "natural logarithm", up("x"))),
	pure(fn1("LOG10", "base-10 logarithm", up("x"))),
	{Name: "SQRT", Params: []Param{units("x", up("x"))}, Units: "x^0.5", Kind: Pure, Doc: "square root"},
	pure(fn1("SIN", "sine of x radians", op("x"))),
	pure(fn1("COS", "cosine of x radians", op("x"))),
	pure(fn1("TAN", "tangent of x radians", op("x"))),
	pure(fn1("ARCSIN", "inverse sine, in radians", up("x"))),
	pure(fn1("ARCCOS", "inverse cosine, in radians", down("x"))),
	pure(fn1("ARCTAN", "inverse tangent, in radians", up("x"))),
	pure(fn1("SINH", "hyperbolic sine", up("x"))),
	pure(fn1("COSH", "hyperbolic cosine", op("x"))),
	pure(fn1("TANH", "hyperbolic tangent", up("x"))),
	{Name: "PI", Kind: Pure, Bare: true, Units: "1", Doc: "the constant π (may be written PI, without parentheses)"},
	{Name: "INT", Params: []Param{units("x", up("x"))}, Units: "x", Kind: Pure, Dialect: "XMILE",
		Doc: "the largest whole number not above x (rounds down: INT(-0.5) = -1), as XMILE and Stella define it"},
	{Name: "INTEGER", Params: []Param{units("x", up("x"))}, Units: "x", Kind: Pure, Dialect: "Vensim",
		Doc: "x truncated toward zero (INTEGER(-0.5) = 0), as Vensim defines it"},
	{Name: "QUANTUM", Params: []Param{units("x", up("x")), units("x", op("q"))}, Units: "x", Kind: Pure, Dialect: "Vensim",
		Doc: "q·INTEGER(x/q), x cut to a whole multiple of q toward zero; x itself when q <= 0 (Vensim)"},
	same(fn1("ROUND", "x rounded to the nearest whole number, halves away from zero", up("x"))),
	{Name: "SIGN", Params: []Param{up("x")}, Units: "1", Kind: Pure, Doc: "-1, 0 or 1 as x is negative, zero or positive"},
	same(&Func{Name: "MIN", Params: []Param{up("x")}, Variadic: true, Kind: Pure, Doc: "the smallest argument"}),
	same(&Func{Name: "MAX", Params: []Param{up("x")}, Variadic: true, Kind: Pure, Doc: "the largest argument"}),
	same(&Func{Name: "MEAN", Params: []Param{up("x")}, Variadic: true, Kind: Pure, Doc: "the arithmetic mean of the arguments"}),
	{Name: "MODULO", Aliases: []string{"MOD"}, Params: []Param{units("x", op("a")), units("x", op("b"))}, Units: "x", Kind: Pure,
		Doc: "remainder of a/b with the sign of a (the mod operator)"},
}

var logic = []*Func{
	{Name: "SAFEDIV", Params: []Param{units("x", op("a")), units("y", op("b")), units("x/y", opt(op("x")))}, Units: "x/y", Kind: Pure,
		Doc: "a/b, or x (default 0) when b is 0"},
	{Name: "XIDZ", Params: []Param{units("x", op("a")), units("y", op("b")), units("x/y", op("x"))}, Units: "x/y", Kind: Pure,
		Doc: "a/b, or x when b is 0"},
	{Name: "ZIDZ", Params: []Param{units("x", op("a")), units("y", op("b"))}, Units: "x/y", Kind: Pure, Doc: "a/b, or 0 when b is 0"},
	{Name: "IF_THEN_ELSE", Params: []Param{op("condition"), units("x", op("a")), units("x", op("b"))}, Units: "x", Kind: Pure,
		Doc: "a when condition is non-zero, else b (only the branch taken is computed)"},
	{Name: "LOOKUP", Params: []Param{role("table", Table), op("x")}, Kind: Pure,
		Doc: "the lookup named table at x, the same as table(x) (Stella)"},
}

var clock = []*Func{
	{Name: "STEP", Params: []Param{units("x", op("height")), role("start", Moment)}, Units: "x", Kind: Timed,
		Doc: "0 before start, height from start on"},
	{Name: "RAMP", Params: []Param{units("x", op("slope")), role("start", Moment), opt(role("end", Moment))}, Units: "x*T", Kind: Timed,
		Doc: "0 before start, then rising at slope until end (if given), then level"},
	{Name: "PULSE", Params: []Param{units("x", op("volume")), role("first", Moment), opt(role("interval", Duration))}, Units: "x/T", Kind: Timed,
		Doc: "volume/DT for the one step at first, repeating every interval when it is given and positive"},
	{Name: "PULSE_TRAIN", Params: []Param{role("start", Moment), role("width", Duration), role("interval", Duration), role("end", Moment)},
		Units: "1", Kind: Timed, Dialect: "Vensim", Doc: "1 for width from start, repeating every interval until end; else 0 (Vensim)"},
}

// The random functions draw once per step: every stage of an RK step
// sees the same value.
var random = []*Func{
	drawn(&Func{Name: "RANDOM", Aliases: []string{"UNIFORM", "RANDOM_UNIFORM"}, Params: []Param{op("min"), op("max"), opt(role("seed", Seed))},
		Kind: Random, Doc: "uniform random number between min and max"}),
	drawn(&Func{Name: "NORMAL", Aliases: []string{"RANDOM_NORMAL_UNTRUNCATED"}, Params: []Param{op("mean"), op("sd"), opt(role("seed", Seed))},
		Kind: Random, Doc: "normally distributed random number"}),
	drawn(&Func{Name: "RANDOM_NORMAL", Params: []Param{op("min"), op("max"), op("mean"), op("sd"), role("seed", Seed)}, Kind: Random, Dialect: "Vensim",
		Doc: "normally distributed random number with the given mean and standard deviation, truncated to [min, max] (Vensim)"}),
	drawn(&Func{Name: "LOGNORMAL", Params: []Param{op("mean"), op("sd"), opt(role("seed", Seed))}, Kind: Random,
		Doc: "log-normal random number with the given mean and standard deviation (of the number, not its log)"}),
	drawn(&Func{Name: "EXPRND", Params: []Param{op("mean"), opt(role("seed", Seed))}, Kind: Random,
		Doc: "exponentially distributed random number with the given mean"}),
	drawn(&Func{Name: "POISSON", Params: []Param{op("mean"), opt(role("seed", Seed))}, Kind: Random,
		Doc: "Poisson-distributed random count with the given mean"}),
	drawn(&Func{Name: "TRIANGULAR", Params: []Param{op("lower"), op("mode"), op("upper"), opt(role("seed", Seed))}, Kind: Random,
		Doc: "random number from the triangular distribution"}),
}

func smooth(name string, aliases []string, stages int, doc string) *Func {
	return &Func{Name: name, Aliases: aliases, Kind: Stateful, Follows: true, Stages: stages, Doc: doc,
		Params: []Param{input("input"), role("time", Duration), initial("initial")}}
}

var stateful = []*Func{
	smooth("SMTH1", []string{"SMOOTH", "SMOOTHI"}, 1,
		"first-order exponential smooth of input over time; starts at initial (default: input)"),
	smooth("SMTH3", []string{"SMOOTH3", "SMOOTH3I"}, 3,
		"third-order exponential smooth of input over time; starts at initial (default: input)"),
	{Name: "SMTHN", Kind: Stateful, Follows: true,
		Params: []Param{input("input"), role("time", Duration), role("n", Order), initial("initial")},
		Doc:    "n-th order exponential smooth; n is a whole number, computed at the start"},
	{Name: "SMOOTH_N", Kind: Stateful, Follows: true, Dialect: "Vensim",
		Params: []Param{input("input"), role("time", Duration), {Name: "initial", Role: Initial, Mono: Increasing}, role("n", Order)},
		Doc:    "Vensim's n-th order smooth (SMTHN with the arguments in Vensim's order)"},
	smooth("DELAY1", []string{"DELAY1I"}, 1, "first-order material delay; the outflow starts at initial (default: input)"),
	smooth("DELAY3", []string{"DELAY3I"}, 3, "third-order material delay; the outflow starts at initial (default: input)"),
	{Name: "DELAYN", Kind: Stateful, Follows: true, Dialect: "XMILE",
		Params: []Param{input("input"), role("time", Duration), role("n", Order), initial("initial")},
		Doc:    "n-th order material delay; n is a whole number, computed at the start"},
	{Name: "DELAY_N", Kind: Stateful, Follows: true, Dialect: "Vensim",
		Params: []Param{input("input"), role("time", Duration), {Name: "initial", Role: Initial, Mono: Increasing}, role("n", Order)},
		Doc: "Vensim's n-th order material delay (DELAYN's arguments in Vensim's order); " +
			"an order above time/DT at the start acts as the order time/DT, rounded down"},
	{Name: "DELAY", Kind: Stateful, Follows: true, Dialect: "XMILE",
		Params: []Param{input("input"), role("time", Duration), initial("initial")},
		Doc: "pipeline delay: input as it was time ago, interpolated between steps; " +
			"initial (default: input's initial value) before that"},
	{Name: "DELAY_FIXED", Kind: Stateful, Follows: true, Dialect: "Vensim",
		Params: []Param{input("input"), role("time", Duration), {Name: "initial", Role: Initial, Mono: Increasing}},
		Doc: "Vensim's pipeline delay: input as it was a whole number of steps ago, " +
			"time/DT at the start rounded to the nearest (at least 1); initial before that"},
	{Name: "TREND", Kind: Stateful, Units: "1/T",
		Params: []Param{units("x", op("input")), role("time", Duration), units("1/T", opt(op("initial")))},
		Doc:    "fractional rate of change of input, averaged over time; starts at initial (default 0)"},
	{Name: "FORCST", Aliases: []string{"FORECAST"}, Kind: Stateful, Units: "x",
		Params: []Param{units("x", op("input")), role("time", Duration), role("horizon", Duration), units("x", opt(op("initial")))},
		Doc:    "input extrapolated horizon ahead along its TREND over time: input·(1 + horizon·TREND)"},
	{Name: "NPV", Kind: Stateful, Units: "x*T",
		Params: []Param{units("x", op("stream")), units("1/T", op("rate")), units("x*T", opt(op("initial"))), units("1", opt(op("factor")))},
		Doc:    "net present value of stream discounted at rate per time unit (Vensim's definition)"},
	{Name: "INIT", Aliases: []string{"INITIAL"}, Kind: Stateful, Follows: true, Params: []Param{input("x")},
		Doc: "the value of x at the start of the run"},
	{Name: "PREVIOUS", Kind: Stateful, Follows: true, SelfArg: true, Params: []Param{input("x"), initial("initial")},
		Doc: "the value of x one step back; initial (default: x's initial value) in the first step; x may be SELF"},
	{Name: "ACTIVE_INITIAL", Kind: Stateful, Follows: true, Dialect: "Vensim",
		Params: []Param{input("active"), {Name: "initial", Role: Initial, Mono: Increasing}},
		Doc: "initial while the initial values are computed, active during the run " +
			"(Vensim; XMILE's <init_eqn> reads as this)"},
}

// The functions of arrays. model.Flatten gives each array argument as its
// elements, so SUM, PROD and STDDEV (and MIN, MAX and MEAN above) take
// any number of values; the others become numbers or the internal
// functions that model.Flatten documents.
var arrays = []*Func{
	{Name: "SUM", Params: []Param{units("x", up("array"))}, Units: "x", Variadic: true, Kind: Pure,
		Doc: "the sum of every element of the arrays (or array slices, a[*]) and values given"},
	{Name: "PROD", Aliases: []string{"PRODUCT"}, Params: []Param{units("1", op("array"))}, Units: "1", Variadic: true, Kind: Pure,
		Doc: "the product of every element of the arrays and values given"},
	{Name: "STDDEV", Params: []Param{units("x", op("array"))}, Units: "x", Variadic: true, Kind: Pure,
		Doc: "the standard deviation (of the population) of every element of the arrays and values given"},
	{Name: "SIZE", Params: []Param{op("array")}, Units: "1", Kind: Pure, Dialect: "XMILE",
		Doc: "the number of elements of an array or array slice"},
	{Name: "RANK", Params: []Param{op("array"), units("1", op("n"))}, Units: "1", Kind: Pure, Dialect: "XMILE",
		Doc: "the position (from 1) of the element of rank n in the array, the smallest first"},
	{Name: "ELMCOUNT", Params: []Param{op("dimension")}, Units: "1", Kind: Pure, Dialect: "Vensim",
		Doc: "the number of elements of a dimension"},
	{Name: "VECTOR_ELM_MAP", Params: []Param{units("x", op("vector")), units("1", op("offset"))}, Units: "x", Kind: Pure, Dialect: "Vensim",
		Doc: "the element offset places after the one the vector's subscript names (NaN past either end)"},
	{Name: "VECTOR_SORT_ORDER", Params: []Param{op("vector"), units("1", op("direction"))}, Units: "1", Kind: Pure, Dialect: "Vensim",
		Doc: "for each element, the position (from 0) of the element that comes there when the vector is sorted, ascending for direction > 0"},
	{Name: "VECTOR_SELECT", Params: []Param{op("selection"), units("x", op("values")), units("x", op("missing")), units("1", op("action")), units("1", op("error_action"))},
		Units: "x", Kind: Pure, Dialect: "Vensim",
		Doc: "the sum (action 0), product (1), minimum (2) or maximum (3) of the values whose selection is non-zero; missing when none is"},
	{Name: "ALLOCATE_BY_PRIORITY", Params: []Param{units("x", op("request")), op("priority"), units("1", op("size")), op("width"), units("x", op("supply"))},
		Units: "x", Kind: Pure, Dialect: "Vensim",
		Doc: "each requester's share of the supply, by rectangular priority profiles of the width centred on its priority (all requests when the supply covers them)"},
	{Name: "ALLOCATE_AVAILABLE", Params: []Param{units("x", op("request")), op("profiles"), units("x", op("available"))},
		Units: "x", Kind: Pure, Dialect: "Vensim",
		Doc: "each requester's share of what is available, by priority profiles (ptype 1 rectangular, 2 triangular, 3 normal, 4 exponential; ppriority, pwidth, pextra)"},
	{Name: "VECTOR_RANK", Params: []Param{op("vector"), units("1", op("direction"))}, Units: "1", Kind: Pure, Dialect: "Vensim",
		Doc: "for each element, its rank (from 1) along the vector, the smallest first for direction 1 and the largest first otherwise"},
	{Name: "VECTOR_REORDER", Params: []Param{units("x", op("vector")), units("1", op("order"))}, Units: "x", Kind: Pure, Dialect: "Vensim",
		Doc: "for each element i, the element order[i] (from 0, as VECTOR_SORT_ORDER gives it) of the vector"},
	{Name: "INVERT_MATRIX", Params: []Param{units("x", op("matrix")), units("1", op("size"))}, Units: "1/x", Kind: Pure, Dialect: "Vensim",
		Doc: "the inverse of a square matrix, the last two dimensions of its array (NaN when singular)"},
}
