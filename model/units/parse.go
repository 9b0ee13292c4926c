package units

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SyntaxError is a units expression that does not parse.
type SyntaxError struct {
	Offset int // byte offset of the offending text in the expression
	Msg    string
	// defined is true when the text is fine but names a unit whose
	// definition is wrong (which is reported at the definition).
	defined bool
}

func (e *SyntaxError) Error() string { return e.Msg }

// Parse parses a units expression with the built-in definitions only (the
// time units and the names of 1). Use a System for a model's own
// definitions.
func Parse(s string) (Unit, error) { return baseSystem.Parse(s) }

// Parse parses a units expression, replacing each defined name by its
// definition. Names it does not define are primary units.
//
// The grammar, in the EBNF of the Go specification:
//
//	Units   = [ Product ] [ Range ] .
//	Product = Power { ( "*" | "/" | "-" ) Power | number-then-name } .
//	Power   = Factor [ "^" [ "-" | "+" ] number ] .
//	Factor  = number | Name | "(" Product ")" .
//	Name    = word { " " word } .
//	Range   = "[" ... "]" .             // a Vensim range, ignored
//
// "-" between names multiplies, as in XMILE (person-hour). A number
// followed by a name multiplies it too, so "3 month" is three months. A
// word starts with a letter, "_", "$", "%", "#", "€", "£" or "¥" and goes
// on with those and digits. Words separated by spaces are one name:
// "square mile" is square_mile.
func (s *System) Parse(text string) (Unit, error) {
	p := &unitParser{src: text, sys: s}
	p.next()
	if p.tok == tokEOF {
		return Unit{}, nil
	}
	u, err := p.product()
	if err != nil {
		return Unit{}, err
	}
	if sc := u.Scale(); math.IsInf(sc, 0) || math.IsNaN(sc) || sc == 0 {
		return Unit{}, &SyntaxError{Offset: 0, Msg: "the units' scale is out of range"}
	}
	if p.tok != tokEOF {
		return Unit{}, p.errorf("unexpected %s after the end of the units", p.describe())
	}
	return u, nil
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokNum
	tokName
	tokOp // * / ^ - + ( )
)

type unitParser struct {
	src   string
	sys   *System
	off   int // where the next token starts scanning
	tok   tokKind
	at    int    // offset of the current token
	text  string // the current token's text (an operator, number or name)
	value float64
}

func (p *unitParser) errorf(format string, args ...any) error {
	return &SyntaxError{Offset: p.at, Msg: fmt.Sprintf(format, args...)}
}

func (p *unitParser) describe() string {
	switch p.tok {
	case tokEOF:
		return "the end of the units"
	case tokNum:
		return "number " + p.text
	case tokName:
		return fmt.Sprintf("name %q", p.text)
	}
	return fmt.Sprintf("%q", p.text)
}

func isWordStart(r rune) bool {
	return unicode.IsLetter(r) || strings.ContainsRune("_$%#€£¥", r)
}

func isWordRune(r rune) bool { return isWordStart(r) || unicode.IsDigit(r) || r == '\'' }

// next scans the next token.
func (p *unitParser) next() {
	src := p.src
	for p.off < len(src) && (src[p.off] == ' ' || src[p.off] == '\t' || src[p.off] == '\n' || src[p.off] == '\r') {
		p.off++
	}
	p.at = p.off
	if p.off >= len(src) {
		p.tok, p.text = tokEOF, ""
		return
	}
	r, size := utf8.DecodeRuneInString(src[p.off:])
	switch {
	case r == '[':
		// A Vensim range such as [0,?] or [-10,10,1]: the rest is ignored.
		if end := strings.IndexByte(src[p.off:], ']'); end >= 0 && strings.TrimSpace(src[p.off+end+1:]) == "" {
			p.off = len(src)
			p.tok, p.text = tokEOF, ""
			return
		}
		p.tok, p.text = tokOp, "["
		p.off += size
	case r >= '0' && r <= '9' || r == '.':
		end := p.off
		for end < len(src) && (src[end] >= '0' && src[end] <= '9' || src[end] == '.') {
			end++
		}
		if end < len(src) && (src[end] == 'e' || src[end] == 'E') {
			e := end + 1
			if e < len(src) && (src[e] == '+' || src[e] == '-') {
				e++
			}
			if e < len(src) && src[e] >= '0' && src[e] <= '9' {
				for e < len(src) && src[e] >= '0' && src[e] <= '9' {
					e++
				}
				end = e
			}
		}
		p.tok, p.text = tokNum, src[p.off:end]
		p.value, _ = strconv.ParseFloat(p.text, 64)
		p.off = end
	case isWordStart(r):
		// Words separated by single runs of spaces make one name.
		var words []string
		for {
			start := p.off
			for p.off < len(src) {
				r, size := utf8.DecodeRuneInString(src[p.off:])
				if !isWordRune(r) {
					break
				}
				p.off += size
			}
			words = append(words, src[start:p.off])
			e := p.off
			for e < len(src) && (src[e] == ' ' || src[e] == '\t') {
				e++
			}
			if e == p.off || e >= len(src) {
				break
			}
			if r, _ := utf8.DecodeRuneInString(src[e:]); !isWordStart(r) {
				break
			}
			p.off = e
		}
		p.tok, p.text = tokName, strings.Join(words, " ")
	default:
		p.tok, p.text = tokOp, string(r)
		p.off += size
	}
}

// product parses Power { op Power }.
func (p *unitParser) product() (Unit, error) {
	u, err := p.power()
	if err != nil {
		return u, err
	}
	for {
		switch {
		case p.tok == tokOp && (p.text == "*" || p.text == "-"):
			p.next()
			v, err := p.power()
			if err != nil {
				return u, err
			}
			u = u.Mul(v)
		case p.tok == tokOp && p.text == "/":
			p.next()
			v, err := p.power()
			if err != nil {
				return u, err
			}
			u = u.Div(v)
		case p.tok == tokName || p.tok == tokOp && p.text == "(":
			// Juxtaposition: only a scale may stand before a name, as in
			// "3 month".
			if !u.IsDimensionless() {
				return u, p.errorf("expected *, / or the end of the units after a unit but found %s", p.describe())
			}
			v, err := p.power()
			if err != nil {
				return u, err
			}
			u = u.Mul(v)
		default:
			return u, nil
		}
	}
}

// power parses Factor [ "^" [sign] number ].
func (p *unitParser) power() (Unit, error) {
	u, err := p.factor()
	if err != nil {
		return u, err
	}
	if p.tok == tokOp && p.text == "^" {
		p.next()
		sign := 1.0
		if p.tok == tokOp && (p.text == "-" || p.text == "+") {
			if p.text == "-" {
				sign = -1
			}
			p.next()
		}
		paren := false
		if p.tok == tokOp && p.text == "(" { // m^(-1), m^(1/2)
			paren = true
			p.next()
			if p.tok == tokOp && p.text == "-" {
				sign = -sign
				p.next()
			}
		}
		if p.tok != tokNum {
			return u, p.errorf("expected a number as the power but found %s", p.describe())
		}
		pow := sign * p.value
		p.next()
		if paren {
			if p.tok == tokOp && p.text == "/" {
				p.next()
				if p.tok != tokNum || p.value == 0 {
					return u, p.errorf("expected a number after / in the power but found %s", p.describe())
				}
				pow /= p.value
				p.next()
			}
			if p.tok != tokOp || p.text != ")" {
				return u, p.errorf(`expected ")" after the power but found %s`, p.describe())
			}
			p.next()
		}
		if math.IsInf(pow, 0) || math.IsNaN(pow) {
			return u, p.errorf("the power must be a finite number")
		}
		u = u.Pow(pow)
	}
	return u, nil
}

// factor parses a number, a name or a parenthesised product.
func (p *unitParser) factor() (Unit, error) {
	switch p.tok {
	case tokNum:
		v := p.value
		if v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			return Unit{}, p.errorf("expected a positive number but found %s", p.text)
		}
		p.next()
		return Unit{scale: v}.norm(), nil
	case tokName:
		name, at := p.text, p.at
		p.next()
		if p.sys.display != nil {
			if c := Canonical(name); p.sys.display[c] == "" {
				p.sys.display[c] = displayName(name)
			}
		}
		u, err := p.sys.resolve(name)
		if err != nil {
			return u, &SyntaxError{Offset: at, Msg: err.Error(), defined: true}
		}
		return u, nil
	case tokOp:
		if p.text == "(" {
			p.next()
			u, err := p.product()
			if err != nil {
				return u, err
			}
			if p.tok != tokOp || p.text != ")" {
				return u, p.errorf(`expected ")" but found %s`, p.describe())
			}
			p.next()
			return u, nil
		}
	}
	return Unit{}, p.errorf("expected a unit name, a number or ( but found %s", p.describe())
}

// Canonical returns the canonical form of a unit name, under which two
// names are the same unit: letters lower-cased, runs of spaces and
// underscores made one underscore, and the last word made singular by the
// plural rule (see the package documentation): "Months" and "month" are
// both "month", "People" is "person", "square miles" is "square_mile".
func Canonical(name string) string {
	var b strings.Builder
	sep := false
	for _, r := range name {
		if r == '_' || unicode.IsSpace(r) {
			sep = b.Len() > 0
			continue
		}
		if sep {
			b.WriteByte('_')
			sep = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	s := b.String()
	i := strings.LastIndexByte(s, '_') + 1
	return s[:i] + singular(s[i:])
}

// displayName returns a unit name as Format shows it: as written, with
// spaces made underscores and the last word singular, keeping its case
// ("degF" stays degF, "Widgets" is Widget).
func displayName(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool { return r == '_' || unicode.IsSpace(r) })
	if len(words) == 0 {
		return Canonical(name)
	}
	last := words[len(words)-1]
	lower := strings.ToLower(last)
	if one := singular(lower); strings.HasPrefix(lower, one) && len(one) <= len(last) {
		last = last[:len(one)]
	} else {
		last = one
	}
	words[len(words)-1] = last
	return strings.Join(words, "_")
}

// irregular maps irregular plurals to their singular.
var irregular = map[string]string{
	"people": "person", "persons": "person", "men": "man", "women": "woman",
	"children": "child", "feet": "foot", "teeth": "tooth", "mice": "mouse",
	"geese": "goose", "oxen": "ox", "data": "datum", "criteria": "criterion",
}

// singular returns the singular of a lower-case English word by the plural
// rule of the package documentation.
func singular(w string) string {
	if s, ok := irregular[w]; ok {
		return s
	}
	if len(w) < 3 || !strings.HasSuffix(w, "s") {
		return w
	}
	for _, keep := range []string{"ss", "us", "is", "ous"} {
		if strings.HasSuffix(w, keep) {
			return w
		}
	}
	if strings.HasSuffix(w, "ies") && len(w) > 4 {
		return w[:len(w)-3] + "y"
	}
	for _, es := range []string{"sses", "ches", "shes", "xes", "zes"} {
		if strings.HasSuffix(w, es) {
			return w[:len(w)-2]
		}
	}
	return w[:len(w)-1]
}
