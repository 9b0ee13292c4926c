package vensim

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/expr"
)

// This file parses the tokens of an entry into the nodes below: the
// syntax of Vensim's equations, before names and functions are given
// their meaning.

// node is an expression as written in the .mdl file.
type node interface{ position() int }

type (
	numNode struct {
		at int
		v  float64
	}
	// refNode is a reference to a variable, possibly subscripted.
	refNode struct {
		at   int
		name string
		subs []subRef // nil when not subscripted
	}
	callNode struct {
		at   int
		name string // upper case, single spaces
		args []node
		// outs are the names after a colon in a macro call, which
		// receive the macro's other outputs.
		outs []refNode
		// subs are the subscripts of a lookup called as table[dim](x).
		subs []subRef
	}
	unaryNode struct {
		at int
		op expr.Op
		x  node
	}
	binNode struct {
		at   int
		op   expr.Op
		x, y node
	}
	// tableNode is a lookup table written in an equation.
	tableNode struct {
		at   int
		x, y []float64
	}
	// listNode is a list of numbers: a, b, c; d, e, f (an array's values)
	// or TABBED ARRAY(...).
	listNode struct {
		at   int
		rows [][]float64
	}
	// stringNode is a 'quoted string', an argument of the GET functions.
	stringNode struct {
		at int
		s  string
	}
)

// subRef is one subscript of a reference: a dimension or an element name,
// with ! when it names the whole dimension for an aggregation.
type subRef struct {
	at   int
	name string
	bang bool
}

func (n *numNode) position() int    { return n.at }
func (n *refNode) position() int    { return n.at }
func (n *callNode) position() int   { return n.at }
func (n *unaryNode) position() int  { return n.at }
func (n *binNode) position() int    { return n.at }
func (n *tableNode) position() int  { return n.at }
func (n *listNode) position() int   { return n.at }
func (n *stringNode) position() int { return n.at }

// eqKind is what an equation entry defines.
type eqKind int

const (
	eqNormal eqKind = iota // name = expr (also :=, ==)
	eqLookup               // name(table)
	eqDim                  // name: elements [-> mapping]
	eqEquiv                // name <-> other
	eqNoEq                 // name alone: data from outside the model
	eqCheck                // a reality check: :THE CONDITION: or :TEST INPUT:
)

// equation is a parsed entry of the equation section.
type equation struct {
	kind   eqKind
	at     int // offset of the left-hand side
	name   string
	subs   []subRef // the subscripts of the left-hand side
	except [][]subRef
	op     string // "=", ":=", "=="
	// data is the keyword of a data equation (INTERPOLATE, RAW, HOLD
	// BACKWARD, LOOK FORWARD), or "".
	data string
	rhs  node // the right-hand side (a tableNode for eqLookup)

	// For eqDim: the elements (or subranges), and the mapping.
	elems   []subRef
	mapTo   []mapping
	equivTo string
	// getSubs is the GET ... SUBSCRIPT call that lists the elements.
	getSubs  *callNode
	units    string
	min, max float64 // the range after the units; NaN when not given
	step     float64
	hasRange bool
	doc      string
}

// mapping is a dimension a range maps to, with its elements in order when
// given (-> (dim: a, b, c)).
type mapping struct {
	dim   string
	elems []subRef
}

// parseError is a syntax error at an offset of the file.
type parseError struct {
	at          int
	msg         string
	unsupported bool // a construct stockflow does not support
}

func (e *parseError) Error() string { return e.msg }

// parser parses the tokens of one entry.
type parser struct {
	toks    []token
	i       int
	nesting int
	ops     int // binary operations so far, see maxOps
}

// maxOps bounds the operations of one equation, so that no input makes a
// tree deep enough to exhaust the stack of the passes that walk it.
const maxOps = 10000

// op counts a binary operation at t.
func (p *parser) op(t token) {
	if p.ops++; p.ops > maxOps {
		p.fail(t, "equation has more than %d operations", maxOps)
	}
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) is(punct string) bool {
	t := p.peek()
	return t.kind == tPunct && t.val == punct
}

func (p *parser) accept(punct string) bool {
	if p.is(punct) {
		p.next()
		return true
	}
	return false
}

// fail stops the parse with an error at t.
func (p *parser) fail(t token, format string, args ...any) {
	panic(&parseError{at: t.pos, msg: fmt.Sprintf(format, args...)})
}

func (p *parser) expect(punct, what string) token {
	t := p.next()
	if t.kind != tPunct || t.val != punct {
		p.fail(t, "expected %s, found %s", what, describe(t))
	}
	return t
}

// describe names a token for an error message.
func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "the end of the equation"
	case tError:
		return t.val
	case tNumber:
		return "number " + t.val
	case tName, tQuoted:
		return strconv.Quote(t.val)
	case tKeyword:
		return ":" + t.val + ":"
	case tString:
		return "'" + t.val + "'"
	}
	return strconv.Quote(t.val)
}

// parseEntry parses the equation part of an entry.
func parseEntry(toks []token) (eq *equation, err error) {
	p := &parser{toks: toks}
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(*parseError)
			if !ok {
				panic(r)
			}
			eq, err = nil, pe
		}
	}()
	return p.entry(), nil
}

func (p *parser) name() token {
	t := p.next()
	if t.kind != tName && t.kind != tQuoted {
		p.fail(t, "expected a name, found %s", describe(t))
	}
	return t
}

func (p *parser) entry() *equation {
	first := p.peek()
	if first.kind == tError {
		p.fail(first, "%s", first.val)
	}
	nameTok := p.name()
	eq := &equation{at: nameTok.pos, name: nameTok.val}
	if p.is("[") {
		eq.subs = p.subscripts()
	}
	for p.peek().kind == tKeyword && p.peek().val == "EXCEPT" {
		p.next()
		if !p.is("[") {
			p.fail(p.peek(), "expected [ after :EXCEPT:, found %s", describe(p.peek()))
		}
		eq.except = append(eq.except, p.subscripts())
		for p.accept(",") {
			eq.except = append(eq.except, p.subscripts())
		}
	}
	if t := p.peek(); t.kind == tKeyword {
		switch t.val {
		case "THE CONDITION", "TEST INPUT":
			// A reality check: it takes no part in a run.
			eq.kind = eqCheck
			return eq
		case "INTERPOLATE", "RAW", "HOLD BACKWARD", "LOOK FORWARD":
			p.next()
			eq.data = t.val
		}
	}
	t := p.next()
	switch {
	case t.kind == tEOF:
		eq.kind = eqNoEq
		return eq
	case t.kind == tPunct && (t.val == "=" || t.val == ":=" || t.val == "=="):
		eq.op = t.val
		eq.rhs = p.rhs()
	case t.kind == tPunct && t.val == "(":
		eq.kind = eqLookup
		eq.rhs = p.tableBody(t)
	case t.kind == tPunct && t.val == ":" && eq.subs == nil:
		eq.kind = eqDim
		p.dimension(eq)
	case t.kind == tPunct && t.val == "<->" && eq.subs == nil:
		eq.kind = eqEquiv
		eq.equivTo = p.name().val
	default:
		p.fail(t, "expected =, ( or : after %q, found %s", eq.name, describe(t))
	}
	if t := p.peek(); t.kind != tEOF {
		p.fail(t, "expected the end of the equation, found %s", describe(t))
	}
	return eq
}

// subscripts parses [a, b!, c].
func (p *parser) subscripts() []subRef {
	p.expect("[", "[")
	var subs []subRef
	for {
		t := p.name()
		s := subRef{at: t.pos, name: t.val}
		if p.accept("!") {
			s.bang = true
		}
		subs = append(subs, s)
		if p.accept("]") {
			return subs
		}
		p.expect(",", ", or ]")
	}
}

// dimension parses the elements of a subscript range and its mappings:
// a, b, c; (a1-a5); sub -> other; -> (other: x, y).
func (p *parser) dimension(eq *equation) {
	if t := p.peek(); t.kind == tName && strings.HasPrefix(strings.ToUpper(t.val), "GET ") {
		c, ok := p.expr().(*callNode)
		if !ok || getFunction(c.name) != getSubscript {
			panic(&parseError{at: t.pos, msg: fmt.Sprintf("%s: only GET XLS SUBSCRIPT and GET DIRECT SUBSCRIPT can define a subscript range", strings.ToUpper(t.val)), unsupported: true})
		}
		eq.getSubs = c
		return
	}
	for {
		if p.is("(") {
			open := p.next()
			a := p.name()
			p.expect("-", "- in a numbered range (a1-a9)")
			b := p.name()
			p.expect(")", ")")
			elems, err := numberedRange(a.val, b.val)
			if err != nil {
				p.fail(open, "%v", err)
			}
			for _, e := range elems {
				eq.elems = append(eq.elems, subRef{at: a.pos, name: e})
			}
		} else {
			t := p.name()
			eq.elems = append(eq.elems, subRef{at: t.pos, name: t.val})
		}
		if !p.accept(",") {
			break
		}
	}
	if p.accept("->") {
		for {
			if p.accept("(") {
				t := p.name()
				m := mapping{dim: t.val}
				p.expect(":", ":")
				for {
					e := p.name()
					m.elems = append(m.elems, subRef{at: e.pos, name: e.val})
					if !p.accept(",") {
						break
					}
				}
				p.expect(")", ")")
				eq.mapTo = append(eq.mapTo, m)
			} else {
				eq.mapTo = append(eq.mapTo, mapping{dim: p.name().val})
			}
			if !p.accept(",") {
				break
			}
		}
	}
}

// numberedRange expands a1-a5 into a1, a2, ..., a5.
func numberedRange(a, b string) ([]string, error) {
	pa, na, okA := splitNumber(a)
	pb, nb, okB := splitNumber(b)
	if !okA || !okB || !strings.EqualFold(pa, pb) || nb < na {
		return nil, fmt.Errorf("expected a numbered range such as (a1-a9), found (%s-%s)", a, b)
	}
	if nb-na > 1e6 {
		return nil, fmt.Errorf("numbered range (%s-%s) has more than a million elements", a, b)
	}
	var out []string
	for i := na; i <= nb; i++ {
		out = append(out, pa+strconv.Itoa(i))
	}
	return out, nil
}

func splitNumber(s string) (string, int, bool) {
	i := len(s)
	for i > 0 && isDigit(s[i-1]) {
		i--
	}
	if i == len(s) || len(s)-i > 9 {
		return "", 0, false
	}
	n, err := strconv.Atoi(s[i:])
	return s[:i], n, err == nil
}

// rhs parses the right-hand side of an equation: an expression, or a list
// of numbers for an array.
func (p *parser) rhs() node {
	t := p.peek()
	if t.kind == tEOF {
		p.fail(t, "expected an equation, found the end of the equation")
	}
	if t.kind == tNumber || t.kind == tPunct && t.val == "-" {
		// a, b, c; d, e, f is a list; a single number is an expression.
		save := p.i
		if l, ok := p.numberList(); ok {
			return l
		}
		p.i = save
	}
	if t.kind == tName && strings.EqualFold(t.val, "TABBED ARRAY") {
		p.next()
		return p.tabbedArray(t)
	}
	return p.expr()
}

// numberList parses a, b, c; d, e, f; when there are at least two numbers.
func (p *parser) numberList() (*listNode, bool) {
	l := &listNode{at: p.peek().pos}
	row := []float64{}
	n := 0
	for {
		x, ok := p.signedNumber()
		if !ok {
			return nil, false
		}
		row = append(row, x)
		n++
		if p.accept(",") {
			continue
		}
		if p.accept(";") {
			l.rows = append(l.rows, row)
			row = []float64{}
			if p.peek().kind == tEOF {
				break
			}
			continue
		}
		if p.peek().kind == tEOF {
			break
		}
		return nil, false
	}
	if len(row) > 0 {
		l.rows = append(l.rows, row)
	}
	if n < 2 && len(l.rows) < 2 {
		return nil, false
	}
	return l, true
}

func (p *parser) signedNumber() (float64, bool) {
	neg := false
	if p.is("-") {
		p.next()
		neg = true
	} else if p.is("+") {
		p.next()
	}
	t := p.peek()
	if t.kind != tNumber {
		return 0, false
	}
	p.next()
	x, err := strconv.ParseFloat(t.val, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			p.fail(t, "malformed number %s", t.val)
		}
	}
	if neg {
		x = -x
	}
	return x, true
}

// tabbedArray parses TABBED ARRAY( numbers separated by white space ).
func (p *parser) tabbedArray(at token) node {
	p.expect("(", "( after TABBED ARRAY")
	l := &listNode{at: at.pos}
	var row []float64
	lastLine := -1
	for !p.is(")") {
		t := p.peek()
		x, ok := p.signedNumber()
		if !ok {
			p.fail(t, "expected a number in TABBED ARRAY, found %s", describe(t))
		}
		line := p.lineOf(t.pos)
		if lastLine >= 0 && line != lastLine && len(row) > 0 {
			l.rows = append(l.rows, row)
			row = nil
		}
		lastLine = line
		row = append(row, x)
	}
	p.next()
	if len(row) > 0 {
		l.rows = append(l.rows, row)
	}
	return l
}

// lineOf counts the line breaks before offset at among the tokens' gaps;
// the parser has no file, so it compares the tokens' recorded lines.
func (p *parser) lineOf(at int) int {
	for _, t := range p.toks {
		if t.pos == at {
			return t.line
		}
	}
	return 0
}

// Expressions, loosest first: :OR:, :AND:, :NOT:, comparisons, + -, * /,
// ^, unary - +, primaries.

func (p *parser) expr() node { return p.or() }

func (p *parser) keyword(word string) bool {
	t := p.peek()
	return t.kind == tKeyword && t.val == word
}

func (p *parser) or() node {
	x := p.and()
	for p.keyword("OR") {
		t := p.next()
		p.op(t)
		x = &binNode{at: t.pos, op: expr.Or, x: x, y: p.and()}
	}
	return x
}

func (p *parser) and() node {
	x := p.not()
	for p.keyword("AND") {
		t := p.next()
		p.op(t)
		x = &binNode{at: t.pos, op: expr.And, x: x, y: p.not()}
	}
	return x
}

func (p *parser) not() node {
	if p.keyword("NOT") {
		t := p.next()
		p.depth(t)
		defer func() { p.nesting-- }()
		return &unaryNode{at: t.pos, op: expr.Not, x: p.not()}
	}
	return p.comparison()
}

var comparisonOps = map[string]expr.Op{"=": expr.Eq, "<>": expr.Ne, "<": expr.Lt, ">": expr.Gt, "<=": expr.Le, ">=": expr.Ge}

func (p *parser) comparison() node {
	x := p.additive()
	for {
		t := p.peek()
		op, ok := comparisonOps[t.val]
		if t.kind != tPunct || !ok {
			return x
		}
		p.next()
		p.op(t)
		x = &binNode{at: t.pos, op: op, x: x, y: p.additive()}
	}
}

func (p *parser) additive() node {
	x := p.multiplicative()
	for p.is("+") || p.is("-") {
		t := p.next()
		p.op(t)
		op := expr.Add
		if t.val == "-" {
			op = expr.Sub
		}
		x = &binNode{at: t.pos, op: op, x: x, y: p.multiplicative()}
	}
	return x
}

func (p *parser) multiplicative() node {
	x := p.unary()
	for p.is("*") || p.is("/") {
		t := p.next()
		p.op(t)
		op := expr.Mul
		if t.val == "/" {
			op = expr.Div
		}
		x = &binNode{at: t.pos, op: op, x: x, y: p.unary()}
	}
	return x
}

// power is right-associative, as in Vensim: 2^3^2 is 2^(3^2). It binds
// tighter than a unary minus before it (-2^2 is -4), while its right
// operand may start with one (2^-1).
func (p *parser) power() node {
	x := p.primary()
	if p.is("^") {
		t := p.next()
		p.op(t)
		p.depth(t)
		defer func() { p.nesting-- }()
		var y node
		if p.is("-") || p.is("+") {
			y = p.unary()
		} else {
			y = p.power()
		}
		x = &binNode{at: t.pos, op: expr.Pow, x: x, y: y}
	}
	return x
}

// depth guards against input nested deeply enough to exhaust the stack.
const maxDepth = 200

func (p *parser) unary() node {
	if p.is("-") || p.is("+") {
		t := p.next()
		p.depth(t)
		defer func() { p.nesting-- }()
		op := expr.Neg
		if t.val == "+" {
			op = expr.Plus
		}
		return &unaryNode{at: t.pos, op: op, x: p.unary()}
	}
	return p.power()
}

func (p *parser) primary() node {
	t := p.next()
	switch t.kind {
	case tNumber:
		x, err := strconv.ParseFloat(t.val, 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
				p.fail(t, "malformed number %s", t.val)
			}
		}
		return &numNode{at: t.pos, v: x}
	case tKeyword:
		if t.val == "NA" {
			return &numNode{at: t.pos, v: naValue}
		}
		p.fail(t, "expected an operand, found :%s:", t.val)
	case tString:
		return &stringNode{at: t.pos, s: t.val}
	case tName, tQuoted:
		if p.is("(") && t.kind == tName {
			return p.call(t)
		}
		r := &refNode{at: t.pos, name: t.val}
		if p.is("[") {
			r.subs = p.subscripts()
			if p.is("(") {
				// A subscripted lookup called: table[dim](x).
				c := p.call(t).(*callNode)
				c.subs = r.subs
				return c
			}
		}
		return r
	case tPunct:
		if t.val == "(" {
			p.depth(t)
			// A lookup table inside an equation (WITH LOOKUP's second
			// argument, or a lookup called directly) starts ((x,y) or
			// ([(.
			if p.is("[") || p.is("(") && p.looksLikePoint() {
				tb := p.tableBody(t)
				return tb
			}
			x := p.expr()
			p.expect(")", ")")
			p.nesting--
			return x
		}
	case tError:
		p.fail(t, "%s", t.val)
	}
	p.fail(t, "expected an operand, found %s", describe(t))
	return nil
}

func (p *parser) depth(t token) {
	p.nesting++
	if p.nesting > maxDepth {
		p.fail(t, "equation nested more than %d deep", maxDepth)
	}
}

// looksLikePoint reports whether the tokens ahead are ( number , number ).
func (p *parser) looksLikePoint() bool {
	i := p.i + 1
	skipSign := func() {
		if i < len(p.toks) && p.toks[i].kind == tPunct && (p.toks[i].val == "-" || p.toks[i].val == "+") {
			i++
		}
	}
	skipSign()
	if i >= len(p.toks) || p.toks[i].kind != tNumber {
		return false
	}
	i++
	return i < len(p.toks) && p.toks[i].kind == tPunct && p.toks[i].val == ","
}

func (p *parser) call(name token) node {
	p.depth(name)
	defer func() { p.nesting-- }()
	open := p.next() // (
	c := &callNode{at: name.pos, name: strings.ToUpper(name.val)}
	if p.accept(")") {
		return c
	}
	for {
		if p.is(":") && len(c.args) > 0 {
			// A macro call's outputs: MACRO(a, b : out1, out2).
			p.next()
			for {
				t := p.name()
				c.outs = append(c.outs, refNode{at: t.pos, name: t.val})
				if !p.accept(",") {
					break
				}
			}
			p.expect(")", ")")
			return c
		}
		c.args = append(c.args, p.expr())
		if p.accept(")") {
			return c
		}
		if p.is(":") {
			continue // the outputs of a macro's call
		}
		if !p.is(",") {
			p.fail(p.peek(), "expected , or ) in the call of %s opened at %s, found %s", name.val, "(", describe(p.peek()))
		}
		p.next()
		_ = open
	}
}

// tableBody parses a lookup table after its opening parenthesis:
// [(xmin,ymin)-(xmax,ymax)], (x1,y1), (x2,y2), ...) or the older form
// x1, x2, ..., y1, y2, ...). The range in brackets sets only the graph's
// scale and is read and dropped.
func (p *parser) tableBody(open token) node {
	tb := &tableNode{at: open.pos}
	if t := p.peek(); t.kind == tName {
		// name(GET XLS LOOKUPS(...)) and the like.
		x := p.expr()
		p.expect(")", ")")
		return x
	}
	if p.accept("[") {
		p.point()
		p.expect("-", "- between the corners of the lookup's range")
		p.point()
		// Some files list reference lines after the corners.
		for p.accept(",") {
			p.point()
		}
		p.expect("]", "] closing the lookup's range")
		if p.accept(")") {
			return tb
		}
		p.expect(",", ", after the lookup's range")
	}
	if p.is("(") {
		for {
			x, y := p.point()
			tb.x = append(tb.x, x)
			tb.y = append(tb.y, y)
			if p.accept(")") {
				break
			}
			p.expect(",", ", or ) in the lookup's points")
		}
	} else {
		// x1, ..., xn, y1, ..., yn
		var xs []float64
		for {
			t := p.peek()
			x, ok := p.signedNumber()
			if !ok {
				p.fail(t, "expected a number of the lookup, found %s", describe(t))
			}
			xs = append(xs, x)
			if p.accept(")") {
				break
			}
			p.expect(",", ", or ) in the lookup")
		}
		if len(xs)%2 != 0 {
			p.fail(open, "a lookup written as x values then y values needs as many of each; found %d numbers", len(xs))
		}
		tb.x, tb.y = xs[:len(xs)/2], xs[len(xs)/2:]
	}
	sortPoints(tb)
	return tb
}

// point parses (x, y).
func (p *parser) point() (float64, float64) {
	p.expect("(", "( opening a point (x,y)")
	t := p.peek()
	x, ok := p.signedNumber()
	if !ok {
		p.fail(t, "expected a number, found %s", describe(t))
	}
	p.expect(",", ", between x and y")
	t = p.peek()
	y, ok := p.signedNumber()
	if !ok {
		p.fail(t, "expected a number, found %s", describe(t))
	}
	p.expect(")", ") closing the point")
	return x, y
}

// naValue is the value Vensim gives :NA:.
var naValue = -1.298074214633707e33

var _ = math.NaN

// sortPoints puts a table's points in order of x, as Vensim reads a table
// whose points are written out of order.
func sortPoints(tb *tableNode) {
	idx := make([]int, len(tb.x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return tb.x[idx[i]] < tb.x[idx[j]] })
	x, y := make([]float64, len(idx)), make([]float64, len(idx))
	for i, k := range idx {
		x[i], y[i] = tb.x[k], tb.y[k]
	}
	tb.x, tb.y = x, y
}
