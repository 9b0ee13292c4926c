package expr

import "strconv"

// Pos is a byte offset into the equation text, counted from 0.
type Pos int

// Expr is a node of the expression tree. The set of node types is closed:
// *Number, *Ident, *Unary, *Binary, *If, *Call, and inside the brackets of
// a subscripted reference *Index, *Wildcard, *DimPos and *Range.
type Expr interface {
	// Pos returns the position of the node's first character (for a
	// binary expression, its operator).
	Pos() Pos
	expr()
}

// Number is a numeric literal.
type Number struct {
	At    Pos
	Value float64
}

// Ident is a reference to a variable or a built-in name such as TIME.
// Name is the name as written, without quotes and with escapes resolved.
type Ident struct {
	At   Pos
	Name string
}

// Unary is a prefix operation: Neg, Plus or Not.
type Unary struct {
	At Pos
	Op Op
	X  Expr
}

// Binary is an infix operation.
type Binary struct {
	At   Pos // position of the operator
	Op   Op
	X, Y Expr
}

// If is IF Cond THEN Then ELSE Else.
type If struct {
	At               Pos
	Cond, Then, Else Expr
}

// Call is a function call: a builtin or a lookup applied to arguments.
// Func is the name as written. Subs, when not nil, subscripts the function
// name, as an arrayed lookup is called: table[region](x).
type Call struct {
	At   Pos
	Func string
	Subs []Expr
	Args []Expr
}

// Index is a subscripted reference to an arrayed variable: Name[Subs...],
// one subscript per dimension of the variable. A subscript is an element
// name or a dimension name (an *Ident), a position counted from 1 or any
// expression giving one, a *Wildcard, a *DimPos or a *Range.
type Index struct {
	At   Pos
	Name string
	Subs []Expr
}

// Wildcard is * in a subscript: every element of that dimension, as an
// array function (SUM, MAX, ...) takes them. Dim is set for Vensim's
// dim!, which names the dimension so marked.
type Wildcard struct {
	At  Pos
	Dim string
}

// DimPos is @N in a subscript: the element of the N-th dimension (from 1)
// of the variable whose equation this is (XMILE's dimension position).
type DimPos struct {
	At Pos
	N  int
}

// Range is From:To in a subscript: the elements at positions From to To
// (counted from 1, both included) or between two named elements.
type Range struct {
	At       Pos
	From, To Expr
}

func (n *Number) Pos() Pos   { return n.At }
func (n *Ident) Pos() Pos    { return n.At }
func (n *Unary) Pos() Pos    { return n.At }
func (n *Binary) Pos() Pos   { return n.At }
func (n *If) Pos() Pos       { return n.At }
func (n *Call) Pos() Pos     { return n.At }
func (n *Index) Pos() Pos    { return n.At }
func (n *Wildcard) Pos() Pos { return n.At }
func (n *DimPos) Pos() Pos   { return n.At }
func (n *Range) Pos() Pos    { return n.At }

func (*Number) expr()   {}
func (*Ident) expr()    {}
func (*Unary) expr()    {}
func (*Binary) expr()   {}
func (*If) expr()       {}
func (*Call) expr()     {}
func (*Index) expr()    {}
func (*Wildcard) expr() {}
func (*DimPos) expr()   {}
func (*Range) expr()    {}

// Op is an operator.
type Op int

// The operators.
const (
	Add Op = iota + 1
	Sub
	Mul
	Div
	Mod
	Pow
	Eq
	Ne
	Lt
	Gt
	Le
	Ge
	And
	Or
	Not  // unary
	Neg  // unary minus
	Plus // unary plus
	// Transpose is XMILE's postfix ' (a'), which reverses the order of
	// an array's dimensions.
	Transpose
)

var opText = [...]string{
	Add: "+", Sub: "-", Mul: "*", Div: "/", Mod: "mod", Pow: "^",
	Eq: "=", Ne: "<>", Lt: "<", Gt: ">", Le: "<=", Ge: ">=",
	And: "and", Or: "or", Not: "not", Neg: "-", Plus: "+", Transpose: "'",
}

// String returns the operator as it is written in an equation.
func (op Op) String() string {
	if op > 0 && int(op) < len(opText) {
		return opText[op]
	}
	return "Op(" + strconv.Itoa(int(op)) + ")"
}

// Walk calls fn for e and then for each of its descendants, depth first,
// parents before children, stopping early for a node where fn returns false.
func Walk(e Expr, fn func(Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	switch n := e.(type) {
	case *Unary:
		Walk(n.X, fn)
	case *Binary:
		Walk(n.X, fn)
		Walk(n.Y, fn)
	case *If:
		Walk(n.Cond, fn)
		Walk(n.Then, fn)
		Walk(n.Else, fn)
	case *Call:
		for _, a := range n.Subs {
			Walk(a, fn)
		}
		for _, a := range n.Args {
			Walk(a, fn)
		}
	case *Index:
		for _, a := range n.Subs {
			Walk(a, fn)
		}
	case *Range:
		Walk(n.From, fn)
		Walk(n.To, fn)
	}
}
