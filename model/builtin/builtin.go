package builtin

import (
	"sort"
	"strconv"
	"strings"
)

// Kind says what a function's value depends on besides its arguments.
type Kind int

const (
	// Pure functions depend on their arguments alone.
	Pure Kind = iota + 1
	// Timed functions also read the clock (STEP, RAMP, PULSE, ...).
	Timed
	// Random functions draw a new value each step.
	Random
	// Stateful functions remember values from earlier in the run or
	// from its start (smooths, delays, INIT, PREVIOUS, ...).
	Stateful
)

func (k Kind) String() string {
	switch k {
	case Pure:
		return "pure"
	case Timed:
		return "timed"
	case Random:
		return "random"
	case Stateful:
		return "stateful"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Role is what an argument means to its function.
type Role int

const (
	// Operand is an ordinary value.
	Operand Role = iota
	// Input is the stream a stateful function follows, smooths or
	// delays; the function's value has the input's units.
	Input
	// Duration is a length of time: a smoothing or delay time, a
	// forecast horizon, a pulse's width or interval.
	Duration
	// Moment is a point in time: when a STEP, RAMP or PULSE starts or
	// a RAMP or PULSE_TRAIN ends.
	Moment
	// Initial is the value a stateful function takes at the start (or,
	// for ACTIVE_INITIAL, while the initial values are computed).
	Initial
	// Order is a number of stages (SMTHN, DELAYN).
	Order
	// Seed seeds the random stream of the call.
	Seed
	// Table names a lookup table rather than giving a value (LOOKUP).
	Table
)

var roleNames = [...]string{"operand", "input", "duration", "moment", "initial", "order", "seed", "table"}

func (r Role) String() string {
	if r >= 0 && int(r) < len(roleNames) {
		return roleNames[r]
	}
	return "Role(" + strconv.Itoa(int(r)) + ")"
}

// Direction is how a function's value moves as one argument grows, the
// others held fixed, over the whole domain.
type Direction int

const (
	// Unknown: not monotonic, or it depends on the other arguments.
	Unknown Direction = iota
	// Increasing: never falls as the argument grows.
	Increasing
	// Decreasing: never rises as the argument grows.
	Decreasing
)

func (d Direction) String() string {
	switch d {
	case Unknown:
		return "unknown"
	case Increasing:
		return "increasing"
	case Decreasing:
		return "decreasing"
	}
	return "Direction(" + strconv.Itoa(int(d)) + ")"
}

// Param is one parameter of a function.
type Param struct {
	Name     string    // as the signature shows it
	Role     Role      // what it means
	Optional bool      // it may be left out (only trailing parameters)
	Mono     Direction // how the value moves as this argument grows
	// Units is the units the argument must have, as a units rule (see
	// Func.Units); "" takes them from the role (see UnitsRule).
	Units string
}

// UnitsRule returns the units the argument must have, as a units rule
// (see Func.Units): Units when set, else by the role: an Input or Initial
// argument has the value's units x, a Duration or Moment the time unit T,
// an Order is dimensionless (1), and anything else is not checked (*).
func (p *Param) UnitsRule() string {
	if p.Units != "" {
		return p.Units
	}
	switch p.Role {
	case Input, Initial:
		return "x"
	case Duration, Moment:
		return "T"
	case Order:
		return "1"
	}
	return "*"
}

// Func describes one function of the equation language. Every field is
// descriptive: the simulator (package sim) attaches the evaluation by
// Name, and the loop analysis (package loops) reads the roles and
// directions.
type Func struct {
	// Name is the canonical spelling: upper case, words joined by
	// underscores. Aliases are the other spellings a model may use.
	Name    string
	Aliases []string
	// Params lists the parameters; with Variadic the last one repeats
	// any number of times (at least once).
	Params   []Param
	Variadic bool
	Kind     Kind
	// Doc is one line saying what the function computes.
	Doc string
	// Dialect names the tool whose meaning the function takes where the
	// tools differ ("Vensim", "XMILE"); "" when they agree.
	Dialect string
	// Follows is true for stateful functions whose value is one their
	// Input or Initial argument took, or an average of such values with
	// positive weights (smooths, delays, INIT, PREVIOUS, ACTIVE_INITIAL).
	Follows bool
	// Stages is the number of first-order stages of a smooth or
	// material delay of fixed order (SMTH3: 3); 0 when the function has
	// none or takes its order as an argument (see Arg(Order)).
	Stages int
	// SelfArg is true when the first argument may be SELF, the
	// variable whose equation holds the call (PREVIOUS(SELF)).
	SelfArg bool
	// Bare is true for a function of no arguments that may be written
	// as a name, without parentheses (PI).
	Bare bool
	// Units is the units of the function's value as a units rule, which
	// package model/units reads: a units expression (products, quotients,
	// numeric powers) in which T stands for the model's time unit, 1 for
	// dimensionless, a single lower-case letter other than t (x, y, ...)
	// for whatever units the arguments of one call give it (the same
	// letter the same units), and * for units the rule does not fix. With
	// the parameters' rules (Param.UnitsRule), "x, T[, x] -> x" says that
	// SMTH1 takes an input and a time and gives the input's units. ""
	// means x for a function that Follows its input, else *.
	Units string
}

// UnitsRule returns the units of the function's value as a units rule
// (see Units).
func (f *Func) UnitsRule() string {
	switch {
	case f.Units != "":
		return f.Units
	case f.Follows:
		return "x"
	}
	return "*"
}

// Min is the fewest arguments the function takes.
func (f *Func) Min() int {
	n := 0
	for _, p := range f.Params {
		if !p.Optional {
			n++
		}
	}
	return n
}

// Max is the most arguments the function takes, or -1 for any number.
func (f *Func) Max() int {
	if f.Variadic {
		return -1
	}
	return len(f.Params)
}

// Param returns the parameter an argument at index i binds to (the last
// one for the extra arguments of a variadic function), or nil.
func (f *Func) Param(i int) *Param {
	switch {
	case i < 0:
		return nil
	case i < len(f.Params):
		return &f.Params[i]
	case f.Variadic && len(f.Params) > 0:
		return &f.Params[len(f.Params)-1]
	}
	return nil
}

// Arg returns the index of the first parameter with the given role, or
// -1 when there is none.
func (f *Func) Arg(r Role) int {
	for i, p := range f.Params {
		if p.Role == r {
			return i
		}
	}
	return -1
}

// Monotone reports whether every argument moves the value the given way.
func (f *Func) Monotone(d Direction) bool {
	if len(f.Params) == 0 {
		return false
	}
	for _, p := range f.Params {
		if p.Mono != d {
			return false
		}
	}
	return true
}

// Signature is the function as a reference shows it: "SMTH1(input,
// time[, initial])".
func (f *Func) Signature() string {
	var b strings.Builder
	b.WriteString(f.Name)
	b.WriteByte('(')
	closing := 0
	for i, p := range f.Params {
		if p.Optional {
			b.WriteByte('[')
			closing++
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.Name)
	}
	if f.Variadic {
		b.WriteString(", ...")
	}
	b.WriteString(strings.Repeat("]", closing))
	b.WriteByte(')')
	return b.String()
}

// ArgCount says how many arguments the function takes, for messages:
// "1 argument", "2 or 3 arguments", "at least 1 argument".
func (f *Func) ArgCount() string {
	plural := func(n int) string {
		if n == 1 {
			return "1 argument"
		}
		return strconv.Itoa(n) + " arguments"
	}
	lo, hi := f.Min(), f.Max()
	switch {
	case hi < 0:
		return "at least " + plural(lo)
	case lo == hi:
		return plural(lo)
	case hi == lo+1:
		return strconv.Itoa(lo) + " or " + plural(hi)
	}
	return strconv.Itoa(lo) + " to " + plural(hi)
}

// Spellings returns the name and the aliases.
func (f *Func) Spellings() []string {
	return append([]string{f.Name}, f.Aliases...)
}

// Lookup returns the function a canonical name (model.Canonical) spells,
// or nil.
func Lookup(canonical string) *Func { return index[canonical] }

// All returns every function, sorted by name. The slice is the caller's;
// the functions are shared and must not be changed.
func All() []*Func {
	out := make([]*Func, len(sorted))
	copy(out, sorted)
	return out
}

// Names returns every spelling of every function, sorted: for
// suggestions when a name is mistyped.
func Names() []string {
	var out []string
	for _, f := range sorted {
		out = append(out, f.Spellings()...)
	}
	sort.Strings(out)
	return out
}

// canon is the canonical form of a spelling in the table, which is
// written in upper case with underscores between words: lower case.
// (TestSpellingsCanonical checks that this agrees with model.Canonical.)
func canon(spelling string) string { return strings.ToLower(spelling) }

var index, sorted = func() (map[string]*Func, []*Func) {
	m := make(map[string]*Func)
	var all []*Func
	for _, list := range [][]*Func{math, logic, clock, random, stateful, arrays} {
		for _, f := range list {
			for _, s := range f.Spellings() {
				if m[canon(s)] != nil {
					panic("builtin: " + s + " is listed twice")
				}
				m[canon(s)] = f
			}
			all = append(all, f)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	return m, all
}()
