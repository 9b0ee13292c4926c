package model

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/stockflow/stockflow/model/expr"
)

// Model is a system-dynamics model: its time settings, variables, lookups,
// scenarios and named feedback loops, in the order the file declares them.
type Model struct {
	Name string
	Doc  string
	File string // the file the model was read from, if any

	Time       Time
	Dimensions []*Dimension // the dimensions arrayed variables use
	Vars       []*Variable  // stocks, flows and auxiliaries
	Lookups    []*Lookup
	Scenarios  []*Scenario
	Loops      []*Loop
	// Units defines the model's own units of measure and aliases for
	// units checking (package model/units).
	Units []*UnitDef
	// Parts is the model as written when it is built from modules or
	// macros (Vars holds them expanded); nil otherwise.
	Parts *Parts
}

// Var returns the variable with the given name (compared canonically), or
// nil.
func (m *Model) Var(name string) *Variable {
	c := Canonical(name)
	for _, v := range m.Vars {
		if Canonical(v.Name) == c {
			return v
		}
	}
	return nil
}

// Lookup returns the lookup with the given name (compared canonically), or
// nil.
func (m *Model) Lookup(name string) *Lookup {
	c := Canonical(name)
	for _, l := range m.Lookups {
		if Canonical(l.Name) == c {
			return l
		}
	}
	return nil
}

// Scenario returns the scenario with the given name (compared canonically),
// or nil.
func (m *Model) Scenario(name string) *Scenario {
	c := Canonical(name)
	for _, s := range m.Scenarios {
		if Canonical(s.Name) == c {
			return s
		}
	}
	return nil
}

// Time holds the time settings of a model.
type Time struct {
	Start     float64
	Stop      float64
	DT        float64 // integration step
	SaveEvery float64 // interval between saved rows; 0 means DT
	Method    Method
	Units     string
	Pos       Position
}

// Method is a numerical integration method.
type Method int

// The integration methods. The zero Method means "not set": a model read
// from a file always has one of the others.
const (
	Euler Method = iota + 1
	RK2          // Heun's method (explicit trapezoidal)
	RK4          // the classic fourth-order Runge-Kutta method
)

var methodNames = [...]string{Euler: "euler", RK2: "rk2", RK4: "rk4"}

// String returns the method's name as written in a model file.
func (m Method) String() string {
	if m > 0 && int(m) < len(methodNames) {
		return methodNames[m]
	}
	if m == 0 {
		return "default"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// ParseMethod returns the method with the given name (any case).
func ParseMethod(s string) (Method, error) {
	for m, name := range methodNames {
		if m > 0 && strings.EqualFold(s, name) {
			return Method(m), nil
		}
	}
	return 0, fmt.Errorf("unknown method %q (expected euler, rk2 or rk4)", s)
}

// MarshalText implements encoding.TextMarshaler.
func (m Method) MarshalText() ([]byte, error) {
	if m <= 0 || int(m) >= len(methodNames) {
		return nil, fmt.Errorf("model: invalid method %d", int(m))
	}
	return []byte(m.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (m *Method) UnmarshalText(b []byte) error {
	v, err := ParseMethod(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// Kind says what a variable is.
type Kind int

// The kinds of variables.
const (
	Stock Kind = iota + 1
	Flow
	Aux
)

func (k Kind) String() string {
	switch k {
	case Stock:
		return "stock"
	case Flow:
		return "flow"
	case Aux:
		return "auxiliary"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Variable is a stock, a flow or an auxiliary.
type Variable struct {
	Kind Kind
	Name string // as written in the model file
	// Equation is a flow's or auxiliary's equation, or a stock's initial
	// value.
	Equation Equation
	// Initial, for a flow or auxiliary, when its Text is set, is the
	// value it takes while the initial values are computed, Equation
	// taking over from the first step (XMILE's <init_eqn>, Vensim's
	// ACTIVE INITIAL; YAML initial:).
	Initial Equation
	// Dims names the dimensions of an arrayed variable, in order; nil for
	// a scalar.
	Dims []string
	// Elements holds the equations of an arrayed variable that has one
	// per element (or per group of elements), in the order written; the
	// Equation is then empty. With Elements empty, an arrayed variable's
	// Equation applies to all its elements.
	Elements []ElementEquation
	// Inflows and Outflows name a stock's flows.
	Inflows, Outflows []string
	// NonNegative keeps a stock at or above zero after each step, or
	// limits a flow to max(0, f).
	NonNegative bool
	// Lookup, when set, is a graphical function applied to the value of
	// the equation (an XMILE variable with an inline <gf>).
	Lookup *Lookup
	Units  string // a units expression (package model/units); empty if not declared
	Doc    string
	// Label is how charts and the what-if page show the variable ("MRR",
	// "CS per customer"); when empty they show Name with spaces for
	// underscores (see DisplayName).
	Label string
	// Range, when set, is the span of values the variable is meant to
	// take: a constant may not be set outside it.
	Range *Range
	// Uncertainty, when set, is how uncertain a constant is: what a
	// sensitivity study draws it from unless told otherwise.
	Uncertainty *Distribution
	Pos         Position // where the variable is declared
	// UnitsPos is where Units is written, if known.
	UnitsPos Position
}

// Equation is the text of an equation, its parsed form and where it is.
type Equation struct {
	Text string
	Expr expr.Expr // nil when Text failed to parse
	Pos  Position  // of the first character of Text
	// indent is the column (less one) at which the second and later lines
	// of Text start in the file.
	indent int
}

// NewEquation parses text found at pos in a file. Lines of text after the
// first are taken to start at column indent+1. The error, if any, is an
// *Error positioned inside the equation.
func NewEquation(text string, pos Position, indent int) (Equation, error) {
	eq := Equation{Text: text, Pos: pos, indent: indent}
	e, err := expr.Parse(text)
	if err != nil {
		var pe *expr.Error
		if errors.As(err, &pe) {
			return eq, &Error{Pos: eq.PosAt(pe.Pos), Msg: pe.Msg, Err: err}
		}
		return eq, &Error{Pos: pos, Msg: err.Error(), Err: err}
	}
	eq.Expr = e
	return eq, nil
}

// MustEquation is NewEquation for equations known to be valid, such as those
// built by programs. It panics on a syntax error.
func MustEquation(text string) Equation {
	eq, err := NewEquation(text, Position{}, 0)
	if err != nil {
		panic(err)
	}
	return eq
}

// PosAt returns the file position of the byte at offset off of the
// equation's text.
func (eq Equation) PosAt(off expr.Pos) Position {
	if !eq.Pos.IsValid() {
		return eq.Pos
	}
	line, col := expr.LineCol(eq.Text, off)
	p := eq.Pos
	if line == 1 {
		p.Col += col - 1
	} else {
		p.Line += line - 1
		p.Col = eq.indent + col
	}
	return p
}

// Lookup is a graphical function: y as a piecewise-linear (or stepped)
// function of x.
type Lookup struct {
	Name string // empty for an inline lookup
	X, Y []float64
	// Dims and Elements make a named lookup arrayed: one table per
	// element, in the Lookup of each ElementEquation (whose Equation is
	// empty). X and Y are then empty.
	Dims     []string
	Elements []ElementEquation
	Mode     LookupMode
	// Units are the units of the lookup's output (y), and InputUnits those
	// of its input (x); either is empty when not declared.
	Units, InputUnits       string
	UnitsPos, InputUnitsPos Position // where they are written, if known
	Doc                     string
	Pos                     Position
}

// LookupMode says how a lookup interpolates and what it does outside its
// points.
type LookupMode int

// The lookup modes.
const (
	// Continuous interpolates linearly and holds the end values outside
	// the table.
	Continuous LookupMode = iota
	// Extrapolate interpolates linearly and continues the end segments.
	Extrapolate
	// Discrete steps: the y of the last point whose x is at or below the
	// input, held to the right.
	Discrete
)

var lookupModeNames = [...]string{Continuous: "continuous", Extrapolate: "extrapolate", Discrete: "discrete"}

func (m LookupMode) String() string {
	if m >= 0 && int(m) < len(lookupModeNames) {
		return lookupModeNames[m]
	}
	return fmt.Sprintf("LookupMode(%d)", int(m))
}

// ParseLookupMode returns the mode with the given name (any case).
func ParseLookupMode(s string) (LookupMode, error) {
	for m, name := range lookupModeNames {
		if strings.EqualFold(s, name) {
			return LookupMode(m), nil
		}
	}
	return 0, fmt.Errorf("unknown lookup mode %q (expected continuous, extrapolate or discrete)", s)
}

// MarshalText implements encoding.TextMarshaler.
func (m LookupMode) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (m *LookupMode) UnmarshalText(b []byte) error {
	v, err := ParseLookupMode(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// Scenario is a named set of overrides of a model's constants.
type Scenario struct {
	Name    string
	Doc     string
	Set     []Setting
	Lookups []*Lookup // replacement tables, by lookup name
	Pos     Position
}

// Setting overrides one constant.
type Setting struct {
	Name  string
	Value float64
	Pos   Position
}

// UnitDef defines a unit of measure: a name, the units expression it stands
// for (empty for a primary unit, one not made of others) and other names
// for the same unit. `quarter: 3 month` defines a quarter as three months;
// `customer: {aliases: [client]}` makes client another name for customer.
type UnitDef struct {
	Name     string
	Equation string
	Aliases  []string
	Doc      string
	Pos      Position
}

// Loop names a feedback loop by the variables on it, in order.
type Loop struct {
	Name      string
	Doc       string
	Variables []string
	Pos       Position
}

// DisplayName returns how a variable is shown to a reader: its Label, or
// else its name as written with spaces for underscores, capitals kept.
func (v *Variable) DisplayName() string {
	if v.Label != "" {
		return v.Label
	}
	return strings.Join(strings.FieldsFunc(v.Name, func(r rune) bool { return r == '_' || unicode.IsSpace(r) }), " ")
}
