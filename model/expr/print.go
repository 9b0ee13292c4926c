package expr

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Format returns equation text for e that Parse turns back into the same
// tree, positions aside. It writes only the parentheses that precedence
// and associativity require, keywords in upper case, and names in double
// quotes only when they need them.
//
// Two kinds of tree that Parse never builds do not round-trip exactly: a
// negative Number prints as (-3), which parses as a Unary minus; and an
// infinite or NaN Number prints as 1e999 or (0/0), which do not parse to a
// Number.
func Format(e Expr) string {
	var b strings.Builder
	format(&b, e, 0, false)
	return b.String()
}

// Print precedences: the parser's binary levels, then these.
const (
	precUnary = precMul + 1 + iota
	precPow
	precPrimary
)

// prec returns how tightly e binds as printed.
func prec(e Expr) int {
	switch e := e.(type) {
	case *Binary:
		if e.Op == Pow {
			return precPow
		}
		return binaryPrec(e.Op) // 0 for an invalid Op: always parenthesised
	case *Unary:
		if e.Op == Transpose {
			return precPrimary
		}
		return precUnary
	}
	return precPrimary
}

// format writes e, in parentheses if it binds less tightly than need.
// tail reports whether more of an enclosing operation will follow e on
// the same level of parentheses; an IF then needs parentheses too, or its
// ELSE branch would swallow the rest.
func format(b *strings.Builder, e Expr, need int, tail bool) {
	_, isIf := e.(*If)
	if prec(e) < need || isIf && tail {
		b.WriteByte('(')
		defer b.WriteByte(')')
		tail = false
	}
	switch e := e.(type) {
	case *Number:
		b.WriteString(formatNumber(e.Value))
	case *Ident:
		b.WriteString(formatName(e.Name))
	case *Index:
		b.WriteString(formatName(e.Name))
		formatSubs(b, e.Subs)
	case *Wildcard:
		if e.Dim != "" {
			b.WriteString(formatName(e.Dim))
			b.WriteByte('!')
		} else {
			b.WriteByte('*')
		}
	case *DimPos:
		b.WriteString("@" + strconv.Itoa(e.N))
	case *Range:
		format(b, e.From, 0, true)
		b.WriteByte(':')
		format(b, e.To, 0, false)
	case *Call:
		b.WriteString(formatName(e.Func))
		if e.Subs != nil {
			formatSubs(b, e.Subs)
		}
		b.WriteByte('(')
		for i, a := range e.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			format(b, a, 0, false)
		}
		b.WriteByte(')')
	case *Unary:
		if e.Op == Transpose {
			format(b, e.X, precPrimary, true)
			b.WriteByte('\'')
			return
		}
		b.WriteString(opString(e.Op))
		if e.Op == Not {
			b.WriteByte(' ')
		}
		format(b, e.X, precUnary, tail)
	case *Binary:
		if e.Op == Pow {
			// Right-associative; the left operand must be primary.
			format(b, e.X, precPrimary, true)
			b.WriteByte('^')
			format(b, e.Y, precUnary, tail)
			return
		}
		p := prec(e)
		format(b, e.X, p, true)
		b.WriteString(" " + opString(e.Op) + " ")
		format(b, e.Y, p+1, tail)
	case *If:
		b.WriteString("IF ")
		format(b, e.Cond, 0, false)
		b.WriteString(" THEN ")
		format(b, e.Then, 0, false)
		b.WriteString(" ELSE ")
		format(b, e.Else, 0, false)
	}
}

// formatSubs writes the bracketed subscripts of a reference.
func formatSubs(b *strings.Builder, subs []Expr) {
	b.WriteByte('[')
	for i, s := range subs {
		if i > 0 {
			b.WriteString(", ")
		}
		format(b, s, 0, false)
	}
	b.WriteByte(']')
}

// opString spells op, with the word operators in upper case.
func opString(op Op) string {
	return strings.ToUpper(op.String())
}

// formatNumber writes v so that the lexer reads it back exactly.
func formatNumber(v float64) string {
	switch {
	case math.IsNaN(v):
		return "(0/0)"
	case math.IsInf(v, 1):
		return "1e999"
	case math.IsInf(v, -1):
		return "(-1e999)"
	case math.Signbit(v):
		return "(" + strconv.FormatFloat(v, 'g', -1, 64) + ")"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// formatName writes a name bare if the lexer would read it back as that
// name, and otherwise in double quotes with " and \ escaped.
func formatName(name string) string {
	if isBareName(name) {
		return name
	}
	if parts := strings.Split(name, "."); len(parts) > 1 {
		// A qualified name, module.variable: each part as it needs.
		ok := true
		for _, p := range parts {
			ok = ok && p != ""
		}
		if ok {
			for i, p := range parts {
				parts[i] = formatName(p)
			}
			return strings.Join(parts, ".")
		}
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(name); i++ {
		if c := name[i]; c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(name[i])
	}
	b.WriteByte('"')
	return b.String()
}

// isBareName reports whether name is an identifier that needs no quotes.
func isBareName(name string) bool {
	if name == "" || !utf8.ValidString(name) || nameLen(name) != len(name) {
		return false
	}
	_, kw := keyword(name)
	return !kw
}
