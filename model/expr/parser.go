package expr

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MaxDepth is how deeply an expression may nest: each parenthesis, call,
// IF, unary operator and right operand of ^ counts one level. Deeper input
// is a syntax error rather than a stack overflow.
const MaxDepth = 200

// Error is a syntax error in an equation.
type Error struct {
	Pos       Pos // byte offset of the offending text
	Line, Col int // 1-based; Col counts bytes
	Msg       string
}

// Error returns "line:col: message".
func (e *Error) Error() string {
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
}

// LineCol returns the 1-based line and column of offset p in src. The
// column counts bytes. Offsets outside src are clamped to it.
func LineCol(src string, p Pos) (line, col int) {
	off := max(0, min(int(p), len(src)))
	before := src[:off]
	line = 1 + strings.Count(before, "\n")
	col = off - strings.LastIndexByte(before, '\n')
	return line, col
}

// Parse parses src as one expression. It stops at the first syntax error,
// which it returns as an *Error.
func Parse(src string) (_ Expr, err error) {
	p := &parser{lex: lexer{src: src}}
	defer p.recover(&err)
	p.next()
	x := p.expr()
	switch p.tok.kind {
	case tokEOF:
	case tokRParen:
		p.errorf(p.tok.pos, `unexpected ")" with no matching "("`)
	default:
		p.errorf(p.tok.pos, "unexpected %s after the end of the expression", p.tok.describe())
	}
	return x, nil
}

// bailout is the panic value with which the parser abandons a parse.
type bailout struct{ err *Error }

// parser holds the state of one parse. It reads one token ahead.
type parser struct {
	lex   lexer
	tok   token // the next token
	depth int   // nesting depth, see MaxDepth
}

// recover turns a bailout into the error returned by Parse. Any other
// panic, notably a runtime.Error, is a bug and goes on up.
func (p *parser) recover(errp *error) {
	switch e := recover().(type) {
	case nil:
	case bailout:
		*errp = e.err
	default:
		panic(e)
	}
}

// errorf abandons the parse with an error at pos.
func (p *parser) errorf(pos Pos, format string, args ...any) {
	line, col := LineCol(p.lex.src, pos)
	panic(bailout{&Error{Pos: pos, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}})
}

// next advances to the next token, failing on a lexical error.
func (p *parser) next() {
	p.tok = p.lex.next()
	if p.tok.kind == tokError {
		p.errorf(p.tok.pos, "%s", p.tok.val)
	}
}

// expect consumes a token of the given kind, which the message calls what.
func (p *parser) expect(kind tokenKind, what string) {
	if p.tok.kind != kind {
		p.errorf(p.tok.pos, "expected %s but found %s", what, p.tok.describe())
	}
	p.next()
}

// enter notes one more level of nesting at the current token; leave undoes
// it.
func (p *parser) enter() {
	p.depth++
	if p.depth > MaxDepth {
		p.errorf(p.tok.pos, "expression nested too deeply (limit %d)", MaxDepth)
	}
}

func (p *parser) leave() { p.depth-- }

// Binding strengths of the binary operators parsed by precedence climbing;
// unary operators and ^ bind more tightly than all of them.
const (
	precOr = iota + 1
	precAnd
	precEq
	precCmp
	precAdd
	precMul
)

// binaryOps maps a token to the binary operator it spells. ^ is missing:
// power parses it.
var binaryOps = map[tokenKind]Op{
	tokOr: Or, tokAnd: And,
	tokEq: Eq, tokNe: Ne,
	tokLt: Lt, tokGt: Gt, tokLe: Le, tokGe: Ge,
	tokAdd: Add, tokSub: Sub,
	tokMul: Mul, tokDiv: Div, tokMod: Mod,
}

// binaryPrec returns the binding strength of a left-associative binary
// operator, or 0 for any other operator.
func binaryPrec(op Op) int {
	switch op {
	case Or:
		return precOr
	case And:
		return precAnd
	case Eq, Ne:
		return precEq
	case Lt, Gt, Le, Ge:
		return precCmp
	case Add, Sub:
		return precAdd
	case Mul, Div, Mod:
		return precMul
	}
	return 0
}

// expr parses a whole expression.
func (p *parser) expr() Expr { return p.binary(precOr) }

// binary parses a chain of left-associative binary operators binding at
// least as tightly as prec1.
func (p *parser) binary(prec1 int) Expr {
	x := p.unary()
	for {
		op, ok := binaryOps[p.tok.kind]
		if !ok || binaryPrec(op) < prec1 {
			return x
		}
		pos := p.tok.pos
		p.next()
		y := p.binary(binaryPrec(op) + 1)
		x = &Binary{At: pos, Op: op, X: x, Y: y}
	}
}

// unaryOps maps a token to the prefix operator it spells.
var unaryOps = map[tokenKind]Op{tokSub: Neg, tokAdd: Plus, tokNot: Not}

// unary parses a prefix -, + or NOT, which bind less tightly than ^.
func (p *parser) unary() Expr {
	op, ok := unaryOps[p.tok.kind]
	if !ok {
		return p.power()
	}
	pos := p.tok.pos
	p.enter()
	p.next()
	x := p.unary()
	p.leave()
	return &Unary{At: pos, Op: op, X: x}
}

// power parses x ^ y. It is right-associative, and y may start with a
// unary operator: 2^-1 is 2^(-1).
func (p *parser) power() Expr {
	x := p.primary()
	for p.tok.kind == tokQuote {
		x = &Unary{At: p.tok.pos, Op: Transpose, X: x}
		p.next()
	}
	if p.tok.kind != tokPow {
		return x
	}
	pos := p.tok.pos
	p.enter()
	p.next()
	y := p.unary()
	p.leave()
	return &Binary{At: pos, Op: Pow, X: x, Y: y}
}

// primary parses a number, a name, a call, a parenthesised expression or
// an IF, whose ELSE branch extends as far to the right as it can.
func (p *parser) primary() Expr {
	t := p.tok
	switch t.kind {
	case tokNumber:
		v, err := strconv.ParseFloat(t.text, 64)
		if err != nil || math.IsInf(v, 0) {
			p.errorf(t.pos, "number %q is out of range", t.text)
		}
		p.next()
		return &Number{At: t.pos, Value: v}
	case tokName, tokQuoted:
		p.next()
		var subs []Expr
		if p.tok.kind == tokLBrack {
			subs = p.subscripts()
		}
		if p.tok.kind == tokLParen {
			c := p.call(t)
			c.Subs = subs
			return c
		}
		if subs != nil {
			return &Index{At: t.pos, Name: t.val, Subs: subs}
		}
		return &Ident{At: t.pos, Name: t.val}
	case tokMod:
		// MOD where an operand is expected is a name: a variable
		// called mod, or MOD(a, b).
		t.val = t.text
		p.next()
		if p.tok.kind == tokLParen {
			return p.call(t)
		}
		return &Ident{At: t.pos, Name: t.val}
	case tokLParen:
		p.enter()
		p.next()
		x := p.expr()
		p.expect(tokRParen, `")"`)
		p.leave()
		return x
	case tokIf:
		p.enter()
		p.next()
		cond := p.expr()
		p.expect(tokThen, "THEN")
		then := p.expr()
		p.expect(tokElse, "ELSE")
		els := p.expr()
		p.leave()
		return &If{At: t.pos, Cond: cond, Then: then, Else: els}
	}
	p.errorf(t.pos, "expected an expression but found %s", t.describe())
	panic("unreachable")
}

// call parses the parenthesised arguments of a call of the function
// named by the token name. The current token is the "(".
func (p *parser) call(name token) *Call {
	p.enter()
	p.next()
	c := &Call{At: name.pos, Func: name.val}
	if p.tok.kind == tokRParen {
		p.next()
		p.leave()
		return c
	}
	for {
		c.Args = append(c.Args, p.expr())
		switch p.tok.kind {
		case tokComma:
			p.next()
		case tokRParen:
			p.next()
			p.leave()
			return c
		default:
			p.errorf(p.tok.pos, `expected "," or ")" but found %s`, p.tok.describe())
		}
	}
}

// subscripts parses the bracketed subscripts of a reference. The current
// token is the "[".
func (p *parser) subscripts() []Expr {
	p.enter()
	open := p.tok.pos
	p.next()
	if p.tok.kind == tokRBrack {
		p.errorf(p.tok.pos, "expected a subscript but found %s", p.tok.describe())
	}
	subs := []Expr{}
	for {
		subs = append(subs, p.subscript())
		switch p.tok.kind {
		case tokComma:
			p.next()
		case tokRBrack:
			p.next()
			p.leave()
			return subs
		case tokEOF:
			p.errorf(open, `"[" has no matching "]"`)
		default:
			p.errorf(p.tok.pos, `expected "," or "]" but found %s`, p.tok.describe())
		}
	}
}

// subscript parses one subscript: *, @N, dim!, or an expression with an
// optional :To making a range.
func (p *parser) subscript() Expr {
	t := p.tok
	switch t.kind {
	case tokMul:
		p.next()
		return &Wildcard{At: t.pos}
	case tokAt:
		p.next()
		n := p.tok
		v, err := strconv.Atoi(n.text)
		if n.kind != tokNumber || err != nil || v < 1 {
			p.errorf(n.pos, "expected a dimension position (1, 2, ...) after \"@\" but found %s", n.describe())
		}
		p.next()
		return &DimPos{At: t.pos, N: v}
	case tokName, tokQuoted:
		if p.lex.peekByte() == '!' {
			p.next()
			p.next() // the !
			return &Wildcard{At: t.pos, Dim: t.val}
		}
	}
	x := p.expr()
	if p.tok.kind == tokColon {
		at := p.tok.pos
		p.next()
		y := p.expr()
		return &Range{At: at, From: x, To: y}
	}
	return x
}
