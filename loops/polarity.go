package loops

import (
	"fmt"
	"math"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/builtin"
	"github.com/stockflow/stockflow/model/expr"
)

// Polarity is the sign of a causal link: whether a rise in the cause moves
// the effect up (Positive) or down (Negative), all else equal, or whether
// that cannot be decided from the equation (Unknown).
type Polarity int

// The polarities of a link. The zero Polarity is Unknown.
const (
	Unknown  Polarity = iota // "?"
	Positive                 // "+"
	Negative                 // "-"
)

var polarityText = [...]string{Unknown: "?", Positive: "+", Negative: "-"}

// String returns "+", "-" or "?".
func (p Polarity) String() string {
	if p >= 0 && int(p) < len(polarityText) {
		return polarityText[p]
	}
	return fmt.Sprintf("Polarity(%d)", int(p))
}

// MarshalText implements encoding.TextMarshaler.
func (p Polarity) MarshalText() ([]byte, error) {
	if p < 0 || int(p) >= len(polarityText) {
		return nil, fmt.Errorf("loops: invalid polarity %d", int(p))
	}
	return []byte(p.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Polarity) UnmarshalText(b []byte) error {
	for q, s := range polarityText {
		if string(b) == s {
			*p = Polarity(q)
			return nil
		}
	}
	return fmt.Errorf("loops: unknown polarity %q (expected +, - or ?)", b)
}

// Kind is the polarity of a feedback loop.
type Kind int

// The kinds of loops.
const (
	// Reinforcing: an even number of negative links ("R").
	Reinforcing Kind = iota + 1
	// Balancing: an odd number of negative links ("B").
	Balancing
	// Undetermined: some link's polarity is unknown, and no run
	// decided it ("U").
	Undetermined
	// Changing: reinforcing over some stretches of a run and balancing
	// over others ("R/B"): a link of the loop changes sign in the run,
	// and with it the loop's score (see Loop.Phases and Loop.Changes).
	Changing
)

var kindText = [...]string{Reinforcing: "R", Balancing: "B", Undetermined: "U", Changing: "R/B"}

// String returns "R", "B", "U" or "R/B". Loop identifiers start with
// the kind's letters: R1, B1, U1 and RB1.
func (k Kind) String() string {
	if k > 0 && int(k) < len(kindText) {
		return kindText[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// MarshalText implements encoding.TextMarshaler.
func (k Kind) MarshalText() ([]byte, error) {
	if k <= 0 || int(k) >= len(kindText) {
		return nil, fmt.Errorf("loops: invalid loop kind %d", int(k))
	}
	return []byte(k.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *Kind) UnmarshalText(b []byte) error {
	for q, s := range kindText {
		if q > 0 && string(b) == s {
			*k = Kind(q)
			return nil
		}
	}
	return fmt.Errorf("loops: unknown loop kind %q (expected R, B, R/B or U)", b)
}

// prefix is the start of the identifiers of loops of the kind.
func (k Kind) prefix() string {
	if k == Changing {
		return "RB"
	}
	return k.String()
}

// rank orders kinds as loops are listed: R, B, R/B, U.
func (k Kind) rank() int {
	switch k {
	case Changing:
		return int(Undetermined)
	case Undetermined:
		return int(Changing)
	}
	return int(k)
}

// kindOf is the kind of a loop with links of the given polarities.
func kindOf(links []Polarity) Kind {
	neg := 0
	for _, p := range links {
		switch p {
		case Unknown:
			return Undetermined
		case Negative:
			neg++
		}
	}
	if neg%2 == 1 {
		return Balancing
	}
	return Reinforcing
}

// The static analysis works on sets of signs: a value (or a change) that
// may be negative, zero or positive is the set of those it may be. An
// equation's value gets the set of signs it can take over a run, and its
// dependence on an input the set of signs of ∂z/∂x (or, for steps and
// lookups, of the direction of the jump). A link is Positive when that set
// holds no negative sign, Negative when it holds no positive one.
type signs uint8

const (
	sNeg  signs = 1 << iota // may be negative
	sZero                   // may be zero
	sPos                    // may be positive

	sNone   signs = 0
	sAll          = sNeg | sZero | sPos
	sNonNeg       = sZero | sPos
	sNonPos       = sNeg | sZero
)

func signOf(x float64) signs {
	switch {
	case x > 0:
		return sPos
	case x < 0:
		return sNeg
	case x == 0:
		return sZero
	}
	return sAll // NaN
}

// each calls fn for each sign in s, as -1, 0 or 1.
func (s signs) each(fn func(int)) {
	if s&sNeg != 0 {
		fn(-1)
	}
	if s&sZero != 0 {
		fn(0)
	}
	if s&sPos != 0 {
		fn(1)
	}
}

func fromInt(i int) signs {
	switch {
	case i < 0:
		return sNeg
	case i > 0:
		return sPos
	}
	return sZero
}

// neg is the set of signs of -x for x in s.
func (s signs) neg() signs {
	out := s & sZero
	if s&sNeg != 0 {
		out |= sPos
	}
	if s&sPos != 0 {
		out |= sNeg
	}
	return out
}

// plus is the set of signs of x + y.
func plus(a, b signs) signs {
	var out signs
	a.each(func(x int) {
		b.each(func(y int) {
			switch {
			case x == 0:
				out |= fromInt(y)
			case y == 0 || x == y:
				out |= fromInt(x)
			default:
				out |= sAll
			}
		})
	})
	return out
}

// times is the set of signs of x · y.
func times(a, b signs) signs {
	var out signs
	a.each(func(x int) {
		b.each(func(y int) { out |= fromInt(x * y) })
	})
	return out
}

// over is the set of signs of x / y. A division by zero stops a run (its
// value is not finite), so a divisor is taken never to be zero.
func over(a, b signs) signs {
	if b&^sZero == 0 {
		return sAll
	}
	return times(a, b&^sZero)
}

// hull is every sign between the least and the greatest of a and b.
func hull(a, b signs) signs {
	u := a | b
	if u&sNeg != 0 && u&sPos != 0 {
		return sAll
	}
	return u
}

// polarity is the link polarity of a set of signs of a derivative.
func (s signs) polarity() Polarity {
	switch {
	case s == sNone:
		return Unknown
	case s&sNeg == 0:
		// Includes a derivative that is zero everywhere: weakly
		// increasing, which is what + promises.
		return Positive
	case s&sPos == 0:
		return Negative
	}
	return Unknown
}

// analysis holds what the static analysis knows about a model: each
// variable's set of signs, under assumptions about the stocks that it
// checks (see stockSigns).
type analysis struct {
	m       *model.Model
	vars    map[string]*model.Variable // by canonical name
	tables  map[string][]*model.Lookup // named lookups and their scenario replacements
	set     map[string]signs           // signs of the values scenarios give constants
	stocks  map[string]signs           // assumed signs of stocks
	memo    map[string]signs
	busy    map[string]bool
	timeSgn signs
	worlds  []*world // for worldValues, made when first needed
	// ranges, when not nil, are the intervals of values variables take
	// (in a run), by canonical name; see ranges.go.
	ranges map[string]Range
	imemo  map[string]knownRange // intervals of variables worked out from their equations
	// declared are the signs of the declared ranges of constants, by
	// canonical name: where the what-if page and --set may put them.
	declared map[string]signs
	// structure is true for the analysis of the equations alone, false
	// for one over the ranges of a run.
	structure bool
	settable  map[string]bool // constants that read a declared one, by canonical name (see readsDeclared)
}

func newAnalysis(m *model.Model, vars map[string]*model.Variable, ranges map[string]Range) *analysis {
	a := &analysis{
		m:      m,
		vars:   vars,
		tables: make(map[string][]*model.Lookup),
		set:    make(map[string]signs),
		stocks: make(map[string]signs),
		ranges: ranges,
	}
	for _, l := range m.Lookups {
		c := model.Canonical(l.Name)
		a.tables[c] = append(a.tables[c], l)
	}
	for _, s := range m.Scenarios {
		for _, l := range s.Lookups {
			c := model.Canonical(l.Name)
			a.tables[c] = append(a.tables[c], l)
		}
		for _, st := range s.Set {
			c := model.Canonical(st.Name)
			a.set[c] |= signOf(st.Value)
		}
	}
	// TIME runs from start to stop; an RK stage of the last step may look
	// up to dt beyond.
	a.timeSgn = hull(signOf(m.Time.Start), signOf(m.Time.Stop+m.Time.DT))
	a.declared = make(map[string]signs)
	for _, v := range m.Vars {
		if v.Range != nil && v.Kind != model.Stock && v.Lookup == nil {
			if _, ok := expr.Constant(v.Equation.Expr, nil); ok {
				a.declared[model.Canonical(v.Name)] = hull(signOf(v.Range.Min), signOf(v.Range.Max))
			}
		}
	}
	if ranges == nil {
		a.structure = true
		a.ranges = a.constantRanges()
	}
	a.stockSigns()
	return a
}

// constantRanges is the range of values each constant of the model takes
// in the model as written, in each scenario and, when it declares a range,
// anywhere in that range (where it may be set: the what-if page's
// sliders, --set and --vary are held to it). A constant is a variable
// whose equation is an expression of numbers and other constants (see
// worldValues).
func (a *analysis) constantRanges() map[string]Range {
	out := make(map[string]Range)
	a.ranges = out
	type later struct {
		c    string
		vals []float64
	}
	var rest []later
	for _, v := range a.m.Vars {
		if v.Kind == model.Stock || v.Lookup != nil || v.Equation.Expr == nil {
			continue
		}
		c := model.Canonical(v.Name)
		vals, ok := a.worldValues(&expr.Ident{At: v.Equation.Expr.Pos(), Name: v.Name})
		if !ok {
			continue
		}
		if v.Range != nil {
			vals = append(vals, v.Range.Min, v.Range.Max)
		} else if a.readsDeclared(v.Equation.Expr, v) {
			// Computed from constants that may be set: over their
			// ranges, once those are known.
			rest = append(rest, later{c, vals})
			continue
		}
		if r, ok := spanOf(vals...); ok {
			out[c] = r
		}
	}
	found := make(map[string]Range)
	for _, l := range rest {
		if r, ok := a.varInterval(l.c); ok {
			if r, ok := spanOf(append(l.vals, r.Lo, r.Hi)...); ok {
				found[l.c] = r
			}
		}
	}
	for c, r := range found {
		out[c] = r
	}
	a.imemo = nil
	return out
}

// stockSigns decides which stocks never change sign. A stock declared
// non_negative is at or above zero. Any other stock is assumed to keep the
// sign of its initial value, and the assumption is kept for a stock whose
// inflows all have that sign and whose outflows all have the other: then,
// by induction over the steps (each integration method adds positive
// multiples of the flows), it does. Stocks that fail are dropped and the
// rest checked again until none fails: the greatest set of assumptions that
// proves itself.
func (a *analysis) stockSigns() {
	var stocks []*model.Variable
	for _, v := range a.m.Vars {
		if v.Kind == model.Stock {
			stocks = append(stocks, v)
		}
	}
	for _, v := range stocks {
		c := model.Canonical(v.Name)
		a.stocks[c] = sAll
		if v.NonNegative {
			a.stocks[c] = sNonNeg
		}
	}
	for _, v := range stocks {
		if v.NonNegative {
			continue
		}
		a.reset()
		init := a.exprSign(v.Equation.Expr, v) | a.set[model.Canonical(v.Name)]
		switch {
		case init&sNeg == 0:
			a.stocks[model.Canonical(v.Name)] = sNonNeg
		case init&sPos == 0:
			a.stocks[model.Canonical(v.Name)] = sNonPos
		}
	}
	for changed := true; changed; {
		changed = false
		a.reset()
		for _, v := range stocks {
			c := model.Canonical(v.Name)
			s := a.stocks[c]
			if v.NonNegative || s == sAll {
				continue
			}
			// The initial value again: it may read stocks whose
			// assumption has been dropped since.
			ok := (a.exprSign(v.Equation.Expr, v)|a.set[c])|s == s
			for _, f := range v.Inflows {
				ok = ok && a.varSign(f)|s == s
			}
			for _, f := range v.Outflows {
				ok = ok && a.varSign(f)|s.neg() == s.neg()
			}
			if !ok {
				a.stocks[c] = sAll
				changed = true
			}
		}
	}
	a.reset()
}

func (a *analysis) reset() {
	a.memo = make(map[string]signs)
	a.busy = make(map[string]bool)
}

// varSign is the set of signs of a variable's value.
func (a *analysis) varSign(name string) signs {
	c := model.Canonical(name)
	v := a.vars[c]
	if v == nil {
		return sAll
	}
	if v.Kind == model.Stock {
		return a.inRange(c, a.stocks[c])
	}
	if s, ok := a.memo[c]; ok {
		return s
	}
	if a.busy[c] {
		// A cycle through a stateful function (x = SMTH1(f(x), ...)):
		// nothing is assumed.
		return sAll
	}
	a.busy[c] = true
	s := a.exprSign(v.Equation.Expr, v)
	if v.Lookup != nil {
		s = tableRange(v.Lookup)
	}
	if v.NonNegative && v.Kind == model.Flow {
		s = clampSign(s)
	}
	if !a.structure || a.declared[c] == sNone {
		s = a.inRange(c, s|a.set[c])
	} else {
		// A constant that may be set anywhere in its declared range.
		s = hull(s|a.set[c], a.declared[c])
	}
	a.busy[c] = false
	a.memo[c] = s
	return s
}

// inRange narrows a variable's signs to those of its range, if the
// analysis knows one.
func (a *analysis) inRange(c string, s signs) signs {
	if r, ok := a.ranges[c]; ok {
		if n := s & r.signs(); n != sNone {
			return n
		}
	}
	return s
}

// clampSign is the set of signs of max(0, x).
func clampSign(s signs) signs {
	out := s &^ sNeg
	if s&sNeg != 0 {
		out |= sZero
	}
	return out
}

// exprSign is the set of signs of an expression in self's equation.
func (a *analysis) exprSign(e expr.Expr, self *model.Variable) signs {
	s := a.exprSign1(e, self)
	switch e.(type) {
	case *expr.Binary, *expr.Call, *expr.If, *expr.Unary:
		return a.narrow(e, self, s)
	}
	return s
}

func (a *analysis) exprSign1(e expr.Expr, self *model.Variable) signs {
	switch e := e.(type) {
	case nil:
		return sAll
	case *expr.Number:
		return signOf(e.Value)
	case *expr.Ident:
		c := model.Canonical(e.Name)
		if a.vars[c] != nil {
			return a.varSign(c)
		}
		if c == builtin.Self && self != nil {
			return a.varSign(self.Name)
		}
		switch clock, bare := builtin.Resolve(c); {
		case clock == builtin.Time:
			return a.timeSgn
		case clock == builtin.DT:
			return sPos
		case clock == builtin.StartTime:
			return signOf(a.m.Time.Start)
		case clock == builtin.StopTime:
			return signOf(a.m.Time.Stop)
		case bare != nil:
			return a.callSign(&expr.Call{At: e.At, Func: bare.Name}, self)
		}
		return sAll
	case *expr.Unary:
		x := a.exprSign(e.X, self)
		switch e.Op {
		case expr.Neg:
			return x.neg()
		case expr.Plus:
			return x
		}
		return sNonNeg // NOT: 0 or 1
	case *expr.Binary:
		if vals, ok := a.worldValues(e); ok {
			// An expression of constants alone, such as 1 − share: the
			// signs of its values in the model and in each scenario,
			// and over the declared ranges of the constants it reads.
			var s signs
			for _, v := range vals {
				s |= signOf(v)
			}
			if a.readsDeclared(e, self) {
				if r, ok := a.interval(e, self); ok {
					s |= r.signs()
				} else {
					s = sAll
				}
			}
			return s
		}
		x, y := a.exprSign(e.X, self), a.exprSign(e.Y, self)
		switch e.Op {
		case expr.Add:
			return plus(x, y)
		case expr.Sub:
			return plus(x, y.neg())
		case expr.Mul:
			return times(x, y)
		case expr.Div:
			return over(x, y)
		case expr.Mod:
			return x | sZero
		case expr.Pow:
			return powSign(x, e.Y)
		}
		return sNonNeg // comparisons and logic: 0 or 1
	case *expr.If:
		return a.exprSign(e.Then, self) | a.exprSign(e.Else, self)
	case *expr.Call:
		return a.callSign(e, self)
	}
	return sAll
}

// powSign is the set of signs of x^y.
func powSign(x signs, y expr.Expr) signs {
	if x == sPos {
		return sPos
	}
	if x&sNeg == 0 {
		return sNonNeg // 0^0 is 1, 0^y for y > 0 is 0
	}
	if k, ok := expr.Constant(y, nil); ok && k == math.Trunc(k) {
		if math.Mod(k, 2) == 0 {
			if k == 0 {
				return sPos
			}
			return x.neg() | x&^sNeg // even: negative bases give positive powers
		}
		return x
	}
	if _, ok := expr.Constant(y, nil); ok {
		// A negative base to a fractional power is NaN, which stops a
		// run: the base is taken to be at or above zero.
		return clampSign(x) &^ sNeg
	}
	return sAll
}

// readsDeclared reports whether e reads a constant with a declared range,
// when the analysis is of the structure (in a run, constants are where
// the run put them).
func (a *analysis) readsDeclared(e expr.Expr, self *model.Variable) bool {
	if len(a.declared) == 0 || !a.structure {
		return false
	}
	if a.settable == nil {
		a.settable = make(map[string]bool)
	}
	found := false
	a.refs(e, self, func(c string) bool {
		if a.declared[c] != sNone {
			found = true
			return false
		}
		v := a.vars[c]
		if v == nil || v.Kind == model.Stock || v.Equation.Expr == nil {
			return true
		}
		reads, seen := a.settable[c]
		if !seen {
			a.settable[c] = false // a cycle reads nothing new
			reads = a.readsDeclared(v.Equation.Expr, v)
			a.settable[c] = reads
		}
		found = reads
		return !found
	})
	return found
}

// constValue is the value of an expression of numbers and of constants
// written as numbers that no scenario changes, if it is one.
func (a *analysis) constValue(e expr.Expr) (float64, bool) {
	if id, ok := e.(*expr.Ident); ok {
		c := model.Canonical(id.Name)
		v := a.vars[c]
		if v == nil || v.Kind == model.Stock || v.Lookup != nil || a.set[c] != sNone {
			return 0, false
		}
		return expr.Constant(v.Equation.Expr, nil)
	}
	return expr.Constant(e, nil)
}

// worldValues returns the values an expression of numbers and constants
// takes in the model as written and in each of its scenarios, if it is
// one: a constant is an auxiliary or flow whose equation is such an
// expression (no stocks, lookups, TIME or functions).
func (a *analysis) worldValues(e expr.Expr) ([]float64, bool) {
	if a.worlds == nil {
		a.worlds = make([]*world, 1+len(a.m.Scenarios))
		for i := range a.worlds {
			w := &world{set: make(map[string]float64), memo: make(map[string]worldValue)}
			if i > 0 {
				for _, st := range a.m.Scenarios[i-1].Set {
					w.set[model.Canonical(st.Name)] = st.Value
				}
			}
			a.worlds[i] = w
		}
	}
	out := make([]float64, len(a.worlds))
	for i, w := range a.worlds {
		v, ok := a.evalIn(e, w)
		if !ok {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}

// A world is the model as written or one of its scenarios: the constants
// the scenario sets, and the values of constants found so far.
type world struct {
	set  map[string]float64
	memo map[string]worldValue // by canonical name; busy while being found
}

type worldValue struct {
	x        float64
	ok, busy bool
}

// evalIn evaluates an expression of numbers and constants in a world. Each
// constant is evaluated once per world, so chains of constants cost time
// in proportion to their length.
func (a *analysis) evalIn(e expr.Expr, w *world) (float64, bool) {
	x, ok := expr.Constant(e, func(name string) (float64, bool) {
		c := model.Canonical(name)
		if x, ok := w.set[c]; ok {
			return x, true
		}
		if m, ok := w.memo[c]; ok {
			return m.x, m.ok && !m.busy
		}
		v := a.vars[c]
		if v == nil || v.Kind == model.Stock || v.Lookup != nil {
			return 0, false
		}
		w.memo[c] = worldValue{busy: true} // a cycle is not a constant
		x, ok := a.evalIn(v.Equation.Expr, w)
		w.memo[c] = worldValue{x: x, ok: ok}
		return x, ok
	})
	return x, ok && !math.IsNaN(x) && !math.IsInf(x, 0)
}

// tableRange is the set of signs a lookup's values take.
func tableRange(l *model.Lookup) signs {
	var s signs
	for _, y := range l.Y {
		s |= signOf(y)
	}
	s = hull(s, s)
	if l.Mode == model.Extrapolate && len(l.Y) > 1 {
		n := len(l.Y)
		if l.Y[1] > l.Y[0] || l.Y[n-1] < l.Y[n-2] {
			s |= sNeg | sZero // falls without bound at one end
		}
		if l.Y[1] < l.Y[0] || l.Y[n-1] > l.Y[n-2] {
			s |= sPos | sZero
		}
		s = hull(s, s)
	}
	return s
}

// tableDirection is the set of signs of the slopes of a lookup: sPos for a
// table that never falls, sNeg for one that never rises.
func tableDirection(l *model.Lookup) signs {
	s := sZero
	for i := 1; i < len(l.Y); i++ {
		s |= signOf(l.Y[i] - l.Y[i-1])
	}
	return s
}

// lookupOf returns the tables a call may use (the named lookup and its
// scenario replacements), or nil if the call is not a lookup.
func (a *analysis) lookupOf(call *expr.Call) (tables []*model.Lookup, arg expr.Expr) {
	name := model.Canonical(call.Func)
	if name == "lookup" && len(call.Args) == 2 {
		if id, ok := call.Args[0].(*expr.Ident); ok {
			return a.table(model.Canonical(id.Name)), call.Args[1]
		}
		return nil, nil
	}
	if len(call.Args) == 1 {
		return a.table(name), call.Args[0]
	}
	return nil, nil
}

// table returns the tables of the lookup with the given canonical name:
// a named lookup and its scenario replacements, or a variable's inline
// lookup (callable by the variable's name), or nil.
func (a *analysis) table(name string) []*model.Lookup {
	if ts := a.tables[name]; len(ts) > 0 {
		return ts
	}
	if v := a.vars[name]; v != nil && v.Lookup != nil {
		return []*model.Lookup{v.Lookup}
	}
	return nil
}

// staged returns the number of stages of a smooth or material delay: the
// table's fixed number, or the index of the order argument as a negative
// number less one (-1 - i); 0 for a function without stages.
func staged(f *builtin.Func) int {
	if f.Stages > 0 {
		return f.Stages
	}
	if i := f.Arg(builtin.Order); i >= 0 {
		return -1 - i
	}
	return 0
}

// callSign is the set of signs of a call's value.
func (a *analysis) callSign(e *expr.Call, self *model.Variable) signs {
	if tables, _ := a.lookupOf(e); tables != nil {
		var s signs
		for _, t := range tables {
			s |= tableRange(t)
		}
		return s
	}
	name := model.Canonical(e.Func)
	f := builtin.Lookup(name)
	if f != nil {
		name = strings.ToLower(f.Name) // one spelling per function below
	}
	arg := func(i int) signs {
		if i < len(e.Args) {
			return a.exprSign(e.Args[i], self)
		}
		return sAll
	}
	switch name {
	case "abs":
		x := arg(0)
		return x&sZero | (x&^sZero).neg()&sPos | x&sPos
	case "exp", "pi":
		return sPos
	case "sqrt":
		return arg(0) &^ sNeg
	case "arccos", "pulse_train", "poisson":
		return sNonNeg
	case "arcsin", "arctan", "sign":
		return arg(0)
	case "int", "integer", "round", "quantum":
		return arg(0) | sZero
	case "mean":
		if len(e.Args) == 0 {
			return sAll
		}
		out := arg(0)
		for i := 1; i < len(e.Args); i++ {
			out = hull(out, arg(i))
		}
		return out
	case "min", "max":
		if len(e.Args) == 0 {
			return sAll
		}
		out := arg(0)
		for i := 1; i < len(e.Args); i++ {
			out = extreme(out, arg(i), name == "max")
		}
		return out
	case "sum", "prod":
		// An array's elements, as Flatten passes them.
		if len(e.Args) == 0 {
			return sAll
		}
		out := arg(0)
		for i := 1; i < len(e.Args); i++ {
			if name == "sum" {
				out = plus(out, arg(i))
			} else {
				out = times(out, arg(i))
			}
		}
		return out
	case "modulo":
		return arg(0) | sZero
	case "safediv", "xidz", "zidz":
		s := over(arg(0), arg(1))
		if len(e.Args) > 2 {
			return s | arg(2)
		}
		return s | sZero
	case "if_then_else":
		return arg(1) | arg(2)
	case "step", "pulse":
		return arg(0) | sZero
	case "ramp":
		if len(e.Args) == 2 {
			return arg(0) | sZero
		}
	case "random", "triangular":
		last := 1
		if name == "triangular" {
			last = 2
		}
		return hull(arg(0), arg(last))
	case "lognormal":
		return sNonNeg
	case "exprnd":
		return arg(0) | sZero
	}
	if f != nil && f.Follows {
		return a.followSign(e, f, self)
	}
	return sAll
}

// followSign is the set of signs of a stateful function that follows its
// input. A pipeline delay, PREVIOUS and INIT only ever return values their
// input or initial value took. A smooth or material delay returns a
// weighted sum of them with positive weights when each stage is at least
// dt long and the model integrates with Euler or RK2 (each step then moves
// a stage part of the way toward its input, never past it); otherwise it
// may overshoot, and nothing is known.
func (a *analysis) followSign(e *expr.Call, f *builtin.Func, self *model.Variable) signs {
	if len(e.Args) == 0 {
		return sAll
	}
	s := a.exprSign(e.Args[0], self)
	if init := f.Arg(builtin.Initial); init >= 0 && init < len(e.Args) {
		s = hull(s, a.exprSign(e.Args[init], self))
	}
	order := staged(f)
	if order == 0 {
		return s
	}
	if a.m.Time.Method == model.RK4 || len(e.Args) < 2 {
		return sAll
	}
	n := float64(order)
	if order < 0 {
		order = -1 - order
		if order >= len(e.Args) {
			return sAll
		}
		k, ok := expr.Constant(e.Args[order], nil)
		if !ok || k < 1 {
			return sAll
		}
		n = k
	}
	tau, ok := a.constValue(e.Args[1])
	if !ok || !(tau/n >= a.m.Time.DT) {
		return sAll
	}
	return s
}

// extreme is the set of signs of min(x, y), or of max(x, y) when max.
func extreme(a, b signs, max bool) signs {
	var out signs
	a.each(func(x int) {
		b.each(func(y int) {
			if (x > y) == max {
				out |= fromInt(x)
			} else {
				out |= fromInt(y)
			}
		})
	})
	return out
}

// dep is the set of signs of ∂e/∂x, where x is a canonical variable name
// and e is in self's equation; sZero when e does not involve x. For
// functions with jumps (comparisons, steps, lookups in discrete mode) it is
// the direction of the jumps.
func (a *analysis) dep(e expr.Expr, x string, self *model.Variable) signs {
	if !a.mentions(e, x, self) {
		return sZero
	}
	switch e := e.(type) {
	case *expr.Ident:
		return sPos
	case *expr.Unary:
		switch e.Op {
		case expr.Neg:
			return a.dep(e.X, x, self).neg()
		case expr.Plus:
			return a.dep(e.X, x, self)
		}
		return sAll
	case *expr.Binary:
		dx, dy := a.dep(e.X, x, self), a.dep(e.Y, x, self)
		switch e.Op {
		case expr.Add:
			return plus(dx, dy)
		case expr.Sub:
			return plus(dx, dy.neg())
		case expr.Mul:
			// Δ(uv) = Δu·v' + u·Δv, with v' and u taking values
			// within their sets of signs.
			return plus(times(dx, a.exprSign(e.Y, self)), times(a.exprSign(e.X, self), dy))
		case expr.Div:
			// Δ(u/v) = Δu/v' − u·Δv/(v·v'): v·v' > 0 only when v
			// keeps one sign.
			v := a.exprSign(e.Y, self) &^ sZero
			if dy != sZero && v != sPos && v != sNeg {
				return sAll
			}
			return plus(over(dx, v), times(a.exprSign(e.X, self), dy).neg())
		case expr.Pow:
			return a.powDep(e, dx, dy, self)
		case expr.Lt, expr.Le:
			return plus(dx.neg(), dy) | sZero
		case expr.Gt, expr.Ge:
			return plus(dx, dy.neg()) | sZero
		}
		return sAll // =, <>, mod, and, or
	case *expr.If:
		if a.dep(e.Cond, x, self) != sZero {
			return sAll
		}
		return a.dep(e.Then, x, self) | a.dep(e.Else, x, self)
	case *expr.Call:
		return a.callDep(e, x, self)
	}
	return sAll
}

// powDep is dep for u^v.
func (a *analysis) powDep(e *expr.Binary, du, dv signs, self *model.Variable) signs {
	u := a.exprSign(e.X, self)
	if dv == sZero {
		k, ok := expr.Constant(e.Y, nil)
		if !ok {
			return sAll
		}
		if k == 0 {
			return sZero
		}
		// d(u^k) = k·u^(k−1)·du.
		var p signs
		switch {
		case u&sNeg == 0:
			p = sNonNeg // u^(k−1) for u ≥ 0 (0 or infinite at u = 0)
			if u == sPos {
				p = sPos
			}
		case k == math.Trunc(k) && math.Mod(k-1, 2) == 0:
			p = sNonNeg
		case k == math.Trunc(k):
			p = u | sZero
		default:
			// A negative base to a fractional power is NaN, which
			// stops a run: the base is taken to be at or above zero.
			p = sNonNeg
		}
		return times(times(signOf(k), p), du)
	}
	if du == sZero {
		// d(b^v) = b^v·ln(b)·dv for a constant base b > 0.
		b, ok := expr.Constant(e.X, nil)
		if !ok || !(b > 0) {
			return sAll
		}
		return times(signOf(math.Log(b)), dv)
	}
	return sAll
}

// callDep is dep for a call.
func (a *analysis) callDep(e *expr.Call, x string, self *model.Variable) signs {
	if tables, arg := a.lookupOf(e); tables != nil {
		var dir signs
		r, ranged := a.interval(arg, self)
		for _, t := range tables {
			if ranged {
				dir |= tableDirectionOver(t, r)
			} else {
				dir |= tableDirection(t)
			}
		}
		return times(dir, a.dep(arg, x, self))
	}
	name := model.Canonical(e.Func)
	f := builtin.Lookup(name)
	if f != nil {
		name = strings.ToLower(f.Name)
	}
	d := func(i int) signs {
		if i < len(e.Args) {
			return a.dep(e.Args[i], x, self)
		}
		return sZero
	}
	only := func(args ...int) bool { // x appears in no other argument
		for i := range e.Args {
			in := false
			for _, j := range args {
				in = in || i == j
			}
			if !in && d(i) != sZero {
				return false
			}
		}
		return true
	}
	switch {
	case f != nil && f.Kind == builtin.Pure && f.Monotone(builtin.Increasing):
		out := sZero
		for i := range e.Args {
			out = plus(out, d(i))
		}
		return out
	case f != nil && f.Kind == builtin.Pure && f.Monotone(builtin.Decreasing):
		out := sZero
		for i := range e.Args {
			out = plus(out, d(i).neg())
		}
		return out
	case name == "abs":
		v := a.exprSign(e.Args[0], self) // x is in it: it exists
		switch {
		case v&sNeg == 0:
			return d(0)
		case v&sPos == 0:
			return d(0).neg()
		}
		return sAll
	case name == "safediv" || name == "xidz" || name == "zidz":
		if !only(0, 2) {
			return sAll
		}
		if len(e.Args) < 2 {
			return sAll
		}
		// a/b, or the alternative where b is zero.
		return over(d(0), a.exprSign(e.Args[1], self)) | d(2)
	case name == "if_then_else":
		if d(0) != sZero {
			return sAll
		}
		return d(1) | d(2)
	case name == "step" || name == "pulse":
		if !only(0) {
			return sAll
		}
		return d(0) | sZero
	case name == "ramp":
		if len(e.Args) == 2 && only(0) {
			return d(0) | sZero
		}
		return sAll
	case name == "quantum":
		// Rising in x; the quantum q moves it either way.
		if !only(0) {
			return sAll
		}
		return d(0)
	case name == "random":
		// min + u·(max − min) = (1 − u)·min + u·max.
		if !only(0, 1) {
			return sAll
		}
		return plus(d(0), d(1))
	}
	if f != nil && f.Follows {
		// A smooth or delay carries its input forward: increasing in
		// its input and in its initial value, unknown in its time.
		init := f.Arg(builtin.Initial)
		if init < 0 {
			return d(0)
		}
		if !only(0, init) {
			return sAll
		}
		return plus(d(0), d(init))
	}
	return sAll
}

// mentions reports whether e refers to the variable with canonical name x.
func (a *analysis) mentions(e expr.Expr, x string, self *model.Variable) bool {
	found := false
	a.refs(e, self, func(c string) bool {
		found = c == x
		return !found
	})
	return found
}

// refs calls fn with the canonical name of each variable e (in self's
// equation) reads, in order, until fn returns false. The first argument of
// LOOKUP names a table, not a value.
func (a *analysis) refs(e expr.Expr, self *model.Variable, fn func(string) bool) {
	more := true
	expr.Walk(e, func(e expr.Expr) bool {
		if !more {
			return false
		}
		switch e := e.(type) {
		case *expr.Ident:
			if c := a.resolve(e.Name, self); c != "" {
				more = fn(c)
			}
		case *expr.Call:
			if f := builtin.Lookup(model.Canonical(e.Func)); f != nil && f.Arg(builtin.Table) == 0 && len(e.Args) == 2 {
				a.refs(e.Args[1], self, func(c string) bool { more = fn(c); return more })
				return false
			}
		}
		return more
	})
}

// resolve returns the canonical name of the variable a name in self's
// equation refers to, or "". SELF (as in PREVIOUS(SELF)) refers to self
// unless a variable has that name.
func (a *analysis) resolve(name string, self *model.Variable) string {
	c := model.Canonical(name)
	if a.vars[c] != nil {
		return c
	}
	if c == builtin.Self && self != nil {
		return model.Canonical(self.Name)
	}
	return ""
}
