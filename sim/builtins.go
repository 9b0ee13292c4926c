package sim

import (
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/expr"
)

// evalFn computes a value from the state of a run.
type evalFn func(r *run) float64

// builtin describes a function of the equation language.
type builtin struct {
	name    string   // as listed, upper case
	aliases []string // other spellings, upper case
	args    string   // the argument list for the signature, e.g. "x, y[, z]"
	doc     string   // one line
	min     int      // fewest arguments
	max     int      // most arguments; -1 for any number
	// build makes the function's closure from its arguments' closures.
	build func(args []evalFn) evalFn
	// time is true for functions that read the clock (STEP, RAMP, ...).
	time bool
	// sample draws a value of a random function from its arguments; the
	// argument at index seed, when given, seeds the call's own stream.
	sample func(g *rand.Rand, args []float64) float64
	seed   int
	// expand rewrites a call of a stateful function (SMTH1, DELAY3, ...)
	// into hidden variables, returning the expression that replaces it.
	expand func(c *compiler, n *node, call *expr.Call) expr.Expr
	// selfArg is true for functions whose first argument may be SELF.
	selfArg bool
}

func (b *builtin) signature() string { return b.name + "(" + b.args + ")" }

// Function describes a builtin function for documentation.
type Function struct {
	Name      string   // canonical spelling, upper case
	Aliases   []string // other accepted spellings
	Signature string   // e.g. "SMTH1(input, time[, initial])"
	Doc       string   // one-line meaning
}

// Functions lists every builtin function, sorted by name. It is generated
// from the table the compiler uses.
func Functions() []Function {
	out := make([]Function, 0, len(builtinList))
	for _, b := range builtinList {
		out = append(out, Function{Name: b.name, Aliases: b.aliases, Signature: b.signature(), Doc: b.doc})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// builtins indexes builtinList by the canonical form of every spelling.
var builtins = func() map[string]*builtin {
	m := make(map[string]*builtin)
	for _, b := range builtinList {
		m[model.Canonical(b.name)] = b
		for _, a := range b.aliases {
			m[model.Canonical(a)] = b
		}
	}
	return m
}()

func fn1(f func(float64) float64) func([]evalFn) evalFn {
	return func(a []evalFn) evalFn {
		x := a[0]
		return func(r *run) float64 { return f(x(r)) }
	}
}

func fn2(f func(x, y float64) float64) func([]evalFn) evalFn {
	return func(a []evalFn) evalFn {
		x, y := a[0], a[1]
		return func(r *run) float64 { return f(x(r), y(r)) }
	}
}

// fold combines any number of arguments, two at a time.
func fold(f func(x, y float64) float64) func([]evalFn) evalFn {
	return func(a []evalFn) evalFn {
		acc := a[0]
		for _, next := range a[1:] {
			x, y := acc, next
			acc = func(r *run) float64 { return f(x(r), y(r)) }
		}
		return acc
	}
}

// modulo is the remainder of a/b with the sign of a (truncated division),
// as in Vensim and Stella.
func modulo(a, b float64) float64 { return math.Mod(a, b) }

// safeDiv is a/b, or x (default 0) when b is zero.
func safeDiv(a []evalFn) evalFn {
	num, den := a[0], a[1]
	alt := func(*run) float64 { return 0 }
	if len(a) > 2 {
		alt = a[2]
	}
	return func(r *run) float64 {
		d := den(r)
		if d == 0 {
			return alt(r)
		}
		return num(r) / d
	}
}

// builtinList is every builtin function.
var builtinList = concat(mathBuiltins, helperBuiltins, timeBuiltins, randomBuiltins, statefulBuiltins)

func concat(lists ...[]*builtin) []*builtin {
	var out []*builtin
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

var mathBuiltins = []*builtin{
	{name: "ABS", args: "x", doc: "absolute value", min: 1, max: 1, build: fn1(math.Abs)},
	{name: "EXP", args: "x", doc: "e raised to the power x", min: 1, max: 1, build: fn1(math.Exp)},
	{name: "LN", args: "x", doc: "natural logarithm", min: 1, max: 1, build: fn1(math.Log)},
	{name: "LOG10", args: "x", doc: "base-10 logarithm", min: 1, max: 1, build: fn1(math.Log10)},
	{name: "SQRT", args: "x", doc: "square root", min: 1, max: 1, build: fn1(math.Sqrt)},
	{name: "SIN", args: "x", doc: "sine of x radians", min: 1, max: 1, build: fn1(math.Sin)},
	{name: "COS", args: "x", doc: "cosine of x radians", min: 1, max: 1, build: fn1(math.Cos)},
	{name: "TAN", args: "x", doc: "tangent of x radians", min: 1, max: 1, build: fn1(math.Tan)},
	{name: "ARCSIN", args: "x", doc: "inverse sine, in radians", min: 1, max: 1, build: fn1(math.Asin)},
	{name: "ARCCOS", args: "x", doc: "inverse cosine, in radians", min: 1, max: 1, build: fn1(math.Acos)},
	{name: "ARCTAN", args: "x", doc: "inverse tangent, in radians", min: 1, max: 1, build: fn1(math.Atan)},
	{name: "PI", args: "", doc: "the constant π", min: 0, max: 0,
		build: func([]evalFn) evalFn { return func(*run) float64 { return math.Pi } }},
	{name: "INT", aliases: []string{"INTEGER"}, args: "x", doc: "x truncated toward zero", min: 1, max: 1, build: fn1(math.Trunc)},
	{name: "MIN", args: "x, y, ...", doc: "the smallest argument", min: 1, max: -1, build: fold(math.Min)},
	{name: "MAX", args: "x, y, ...", doc: "the largest argument", min: 1, max: -1, build: fold(math.Max)},
	{name: "MODULO", args: "a, b", doc: "remainder of a/b with the sign of a (the mod operator)", min: 2, max: 2, build: fn2(modulo)},
	{name: "SAFEDIV", args: "a, b[, x]", doc: "a/b, or x (default 0) when b is 0", min: 2, max: 3, build: safeDiv},
}

// upper returns the upper-case spelling of a function name for messages.
func upper(name string) string { return strings.ToUpper(name) }

var helperBuiltins = []*builtin{
	// LOOKUP is compiled by the compiler itself: its first argument
	// names a table rather than giving a value.
	{name: "LOOKUP", args: "table, x", doc: "the lookup named table at x, the same as table(x) (Stella)", min: 2, max: 2},
	{name: "XIDZ", args: "a, b, x", doc: "a/b, or x when b is 0", min: 3, max: 3, build: xidz},
	{name: "ZIDZ", args: "a, b", doc: "a/b, or 0 when b is 0", min: 2, max: 2, build: safeDiv},
	{name: "IF_THEN_ELSE", args: "condition, a, b", doc: "a when condition is non-zero, else b (only the branch taken is computed)", min: 3, max: 3, build: ifThenElse},
	{name: "ROUND", args: "x", doc: "x rounded to the nearest whole number, halves away from zero", min: 1, max: 1, build: fn1(math.Round)},
	{name: "SIGN", args: "x", doc: "-1, 0 or 1 as x is negative, zero or positive", min: 1, max: 1, build: fn1(sign)},
}

var timeBuiltins = []*builtin{
	{name: "STEP", args: "height, start", doc: "0 before start, height from start on", min: 2, max: 2, time: true, build: stepFn},
	{name: "RAMP", args: "slope, start[, end]", doc: "0 before start, then rising at slope until end (if given), then level", min: 2, max: 3, time: true, build: rampFn},
	{name: "PULSE", args: "volume, first[, interval]", doc: "volume/DT for the one step at first, repeating every interval when it is given and positive", min: 2, max: 3, time: true, build: pulseFn},
	{name: "PULSE_TRAIN", args: "start, width, interval, end", doc: "1 for width from start, repeating every interval until end; else 0 (Vensim)", min: 4, max: 4, time: true, build: pulseTrainFn},
}

// The random functions draw once per step (every stage of an RK step sees
// the same value) from the run's generator, seeded by Scenario.Seed, or
// from a generator of their own when a seed argument is given.
var randomBuiltins = []*builtin{
	{name: "RANDOM", aliases: []string{"UNIFORM", "RANDOM_UNIFORM"}, args: "min, max[, seed]", doc: "uniform random number between min and max", min: 2, max: 3, seed: 2, sample: sampleUniform},
	{name: "NORMAL", aliases: []string{"RANDOM_NORMAL_UNTRUNCATED"}, args: "mean, sd[, seed]", doc: "normally distributed random number", min: 2, max: 3, seed: 2, sample: sampleNormal},
	{name: "LOGNORMAL", args: "mean, sd[, seed]", doc: "log-normal random number with the given mean and standard deviation (of the number, not its log)", min: 2, max: 3, seed: 2, sample: sampleLognormal},
	{name: "EXPRND", args: "mean[, seed]", doc: "exponentially distributed random number with the given mean", min: 1, max: 2, seed: 1, sample: sampleExp},
	{name: "POISSON", args: "mean[, seed]", doc: "Poisson-distributed random count with the given mean", min: 1, max: 2, seed: 1, sample: samplePoisson},
	{name: "TRIANGULAR", args: "lower, mode, upper[, seed]", doc: "random number from the triangular distribution", min: 3, max: 4, seed: 3, sample: sampleTriangular},
}
