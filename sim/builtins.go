package sim

import (
	"math"
	"math/rand/v2"
	"strings"

	"github.com/stockflow/stockflow/model"
	spec "github.com/stockflow/stockflow/model/builtin"
	"github.com/stockflow/stockflow/model/expr"
)

// evalFn computes a value from the state of a run.
type evalFn func(r *run) float64

// builtin is a function of the equation language: its description, from
// the one table in model/builtin, and how the compiler evaluates it.
type builtin struct {
	*spec.Func
	impl
	seed int // the index of the seed argument, or past the end
}

// impl is how the compiler evaluates a function. Exactly one field is set
// (LOOKUP, which the compiler handles itself, has none).
type impl struct {
	// build makes the function's closure from its arguments' closures.
	build func(args []evalFn) evalFn
	// sample draws a value of a random function from its arguments
	// (without the seed).
	sample func(g *rand.Rand, args []float64) float64
	// expand rewrites a call of a stateful function (SMTH1, DELAY3, ...)
	// into hidden variables, returning the expression that replaces it.
	expand func(c *compiler, n *node, call *expr.Call) expr.Expr
}

// time reports whether the function reads the clock or draws.
func (b *builtin) time() bool { return b.Kind == spec.Timed || b.Kind == spec.Random }

// Function describes a builtin function for documentation.
type Function struct {
	Name      string   // canonical spelling, upper case
	Aliases   []string // other accepted spellings
	Signature string   // e.g. "SMTH1(input, time[, initial])"
	Doc       string   // one-line meaning
}

// Functions lists every builtin function, sorted by name, from the table
// in model/builtin.
func Functions() []Function {
	var out []Function
	for _, f := range spec.All() {
		out = append(out, Function{Name: f.Name, Aliases: f.Aliases, Signature: f.Signature(), Doc: f.Doc})
	}
	return out
}

// builtins indexes the functions by the canonical form of every spelling.
// Every function of the table must have an implementation here and every
// implementation a function in the table: a mismatch is a programmer's
// mistake, caught when the package starts.
var builtins = func() map[string]*builtin {
	m := make(map[string]*builtin)
	impls := implementations()
	for _, f := range spec.All() {
		im, ok := impls[f.Name]
		if !ok {
			panic("sim: no implementation of builtin " + f.Name)
		}
		delete(impls, f.Name)
		b := &builtin{Func: f, impl: im, seed: len(f.Params)}
		if i := f.Arg(spec.Seed); i >= 0 {
			b.seed = i
		}
		for _, s := range f.Spellings() {
			m[model.Canonical(s)] = b
		}
	}
	for name := range impls {
		panic("sim: implementation of " + name + ", which model/builtin does not list")
	}
	for _, b := range internalBuiltins {
		m[b.Name] = b
	}
	return m
}()

// unary are the functions of one number, by name: the closures call them,
// and batched evaluation (eval.go) calls them on each element.
var unary = map[string]func(float64) float64{
	"ABS": math.Abs, "EXP": math.Exp, "LN": math.Log, "LOG10": math.Log10, "SQRT": math.Sqrt,
	"SIN": math.Sin, "COS": math.Cos, "TAN": math.Tan,
	"ARCSIN": math.Asin, "ARCCOS": math.Acos, "ARCTAN": math.Atan,
	"SINH": math.Sinh, "COSH": math.Cosh, "TANH": math.Tanh,
	"INT": math.Floor, "INTEGER": math.Trunc, "ROUND": math.Round, "SIGN": sign,
}

// binary are the functions of two numbers, by name, as unary.
var binary = map[string]func(x, y float64) float64{
	"QUANTUM": quantum, "MODULO": modulo,
}

// implementations maps the name of each function in the table to its
// evaluation.
func implementations() map[string]impl {
	m := map[string]impl{
		"PI": {build: func([]evalFn) evalFn {
			return func(*run) float64 { return math.Pi }
		}},
		"MIN":  {build: minMax(false)},
		"MAX":  {build: minMax(true)},
		"MEAN": {build: mean},

		"SUM":                  {build: fold(func(x, y float64) float64 { return x + y })},
		"PROD":                 {build: fold(func(x, y float64) float64 { return x * y })},
		"STDDEV":               {build: reduce(stddev)},
		"SIZE":                 {build: flattened("SIZE")},
		"RANK":                 {build: flattened("RANK")},
		"ELMCOUNT":             {build: flattened("ELMCOUNT")},
		"VECTOR_ELM_MAP":       {build: flattened("VECTOR_ELM_MAP")},
		"VECTOR_SORT_ORDER":    {build: flattened("VECTOR_SORT_ORDER")},
		"VECTOR_SELECT":        {build: flattened("VECTOR_SELECT")},
		"ALLOCATE_BY_PRIORITY": {build: flattened("ALLOCATE_BY_PRIORITY")},
		"ALLOCATE_AVAILABLE":   {build: flattened("ALLOCATE_AVAILABLE")},
		"INVERT_MATRIX":        {build: flattened("INVERT_MATRIX")},
		"VECTOR_RANK":          {build: flattened("VECTOR_RANK")},
		"VECTOR_REORDER":       {build: flattened("VECTOR_REORDER")},

		"SAFEDIV":      {build: safeDiv},
		"XIDZ":         {build: xidz},
		"ZIDZ":         {build: safeDiv},
		"IF_THEN_ELSE": {build: ifThenElse},
		"LOOKUP":       {}, // compiled by the compiler: its first argument names a table

		"STEP":        {build: stepFn},
		"RAMP":        {build: rampFn},
		"PULSE":       {build: pulseFn},
		"PULSE_TRAIN": {build: pulseTrainFn},

		"RANDOM":        {sample: sampleUniform},
		"NORMAL":        {sample: sampleNormal},
		"RANDOM_NORMAL": {sample: sampleTruncNormal},
		"LOGNORMAL":     {sample: sampleLognormal},
		"EXPRND":        {sample: sampleExp},
		"POISSON":       {sample: samplePoisson},
		"TRIANGULAR":    {sample: sampleTriangular},

		"SMTH1":          {expand: expandSmooth(1)},
		"SMTH3":          {expand: expandSmooth(3)},
		"SMTHN":          {expand: expandNth(false, false)},
		"SMOOTH_N":       {expand: expandNth(false, false)},
		"DELAY1":         {expand: expandDelay(1)},
		"DELAY3":         {expand: expandDelay(3)},
		"DELAYN":         {expand: expandNth(true, false)},
		"DELAY_N":        {expand: expandNth(true, true)},
		"DELAY":          {expand: expandFixedDelay(false)},
		"DELAY_FIXED":    {expand: expandFixedDelay(true)},
		"TREND":          {expand: expandTrend},
		"FORCST":         {expand: expandForecast},
		"NPV":            {expand: expandNPV},
		"INIT":           {expand: expandInit},
		"PREVIOUS":       {expand: expandPrevious},
		"ACTIVE_INITIAL": {expand: expandActiveInitial},
	}
	for name, f := range unary {
		m[name] = impl{build: fn1(f)}
	}
	for name, f := range binary {
		m[name] = impl{build: fn2(f)}
	}
	return m
}

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

// minMax is MIN (or MAX) of any number of arguments, two at a time as
// fold does, with the comparison inline rather than through a function
// value.
func minMax(isMax bool) func([]evalFn) evalFn {
	return func(a []evalFn) evalFn {
		acc := a[0]
		for _, next := range a[1:] {
			x, y := acc, next
			if isMax {
				acc = func(r *run) float64 { return fmax(x(r), y(r)) }
			} else {
				acc = func(r *run) float64 { return fmin(x(r), y(r)) }
			}
		}
		return acc
	}
}

// fmin is math.Min (−Inf before NaN, −0 below +0), written so that its
// common case, one comparison, inlines.
func fmin(x, y float64) float64 {
	if x < y {
		return x
	}
	if y < x {
		return y
	}
	return math.Min(x, y) // equal, or a NaN
}

// fmax is math.Max (+Inf before NaN, +0 above −0), as fmin.
func fmax(x, y float64) float64 {
	if x > y {
		return x
	}
	if y > x {
		return y
	}
	return math.Max(x, y)
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

// upper returns the upper-case spelling of a function name for messages.
func upper(name string) string { return strings.ToUpper(name) }

// quantum is Vensim's QUANTUM(x, q): q·INTEGER(x/q), or x when q <= 0.
func quantum(x, q float64) float64 {
	if q <= 0 {
		return x
	}
	return q * math.Trunc(x/q)
}

// mean is the arithmetic mean of the arguments.
func mean(a []evalFn) evalFn {
	n := float64(len(a))
	return func(r *run) float64 {
		sum := 0.0
		for _, x := range a {
			sum += x(r)
		}
		return sum / n
	}
}
