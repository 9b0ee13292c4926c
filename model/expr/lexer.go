package expr

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokenKind identifies the kind of a token.
type tokenKind int

const (
	tokError  tokenKind = iota // a lexical error; val holds the message
	tokEOF                     // end of the equation
	tokNumber                  // 1.5, .5, 3e-05
	tokName                    // birth_rate
	tokQuoted                  // "Heat Loss (deg/min)"; val holds the unquoted name
	tokLParen                  // (
	tokRParen                  // )
	tokComma                   // ,
	tokAdd                     // +
	tokSub                     // -
	tokMul                     // *
	tokDiv                     // /
	tokPow                     // ^
	tokEq                      // =
	tokNe                      // <> or !=
	tokLt                      // <
	tokGt                      // >
	tokLe                      // <=
	tokGe                      // >=
	tokLBrack                  // [
	tokRBrack                  // ]
	tokColon                   // : (a range in a subscript)
	tokBang                    // ! (Vensim's dim!)
	tokAt                      // @ (a dimension position)
	tokQuote                   // ' (transposition)

	// Keywords, matched without regard to case.
	tokIf
	tokThen
	tokElse
	tokAnd // AND or :AND:
	tokOr  // OR or :OR:
	tokNot // NOT or :NOT:
	tokMod
)

// keywords maps the lower-case spelling of each keyword to its token.
var keywords = map[string]tokenKind{
	"if":   tokIf,
	"then": tokThen,
	"else": tokElse,
	"and":  tokAnd,
	"or":   tokOr,
	"not":  tokNot,
	"mod":  tokMod,
}

// keyword reports the keyword token spelled by the word s, ignoring the
// case of ASCII letters only, so that no exotic Unicode case folding can
// turn a name into a keyword.
func keyword(s string) (tokenKind, bool) {
	if len(s) > len("then") {
		return 0, false
	}
	var buf [4]byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	k, ok := keywords[string(buf[:len(s)])]
	return k, ok
}

// Reserved reports whether a word (in any case) is a keyword that cannot
// be a name: IF, THEN, ELSE, AND, OR, NOT. MOD is a keyword too, but
// where an operand is expected it is read as a name.
func Reserved(word string) bool {
	k, ok := keyword(word)
	return ok && k != tokMod
}

// A token is a lexical unit of an equation.
type token struct {
	kind tokenKind
	pos  Pos    // byte offset of the first character
	text string // the source text of the token
	val  string // the unquoted name for tokQuoted, the message for tokError
}

// describe returns how an error message refers to t, shortening long
// tokens.
func (t token) describe() string {
	const maxLen = 24
	s := t.text
	if len(s) > maxLen {
		i := maxLen
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = s[:i] + "..."
	}
	switch t.kind {
	case tokEOF:
		return "end of equation"
	case tokQuoted:
		if s != t.text {
			s += `"`
		}
		return s // already quoted
	}
	return fmt.Sprintf("%q", s)
}

// A lexer splits an equation into tokens, one per call of next.
type lexer struct {
	src string
	pos int // offset of the next unread byte
}

// next returns the next token: at the end of the input, tokEOF, and for
// invalid input, tokError, after which next must not be called again.
func (l *lexer) next() token {
	if !l.skipSpace() {
		return l.errorf(l.pos, "unterminated comment")
	}
	start := l.pos
	if start >= len(l.src) {
		return token{kind: tokEOF, pos: Pos(start)}
	}
	c := l.src[start]
	switch {
	case isDigit(c) || c == '.' && start+1 < len(l.src) && isDigit(l.src[start+1]):
		return l.number()
	case c == '"':
		return l.quoted()
	case c >= utf8.RuneSelf || isNameStart(rune(c)):
		r, size := utf8.DecodeRuneInString(l.src[start:])
		if r == utf8.RuneError && size == 1 {
			return l.errorf(start, "invalid UTF-8 encoding")
		}
		if isNameStart(r) {
			return l.name()
		}
		return l.errorf(start, "unexpected character %q", string(r))
	}

	// Punctuation and operators.
	kind, size := tokError, 1
	switch c {
	case '(':
		kind = tokLParen
	case ')':
		kind = tokRParen
	case ',':
		kind = tokComma
	case '+':
		kind = tokAdd
	case '-':
		kind = tokSub
	case '*':
		kind = tokMul
	case '/':
		kind = tokDiv
	case '^':
		kind = tokPow
	case '=':
		kind = tokEq
	case '<':
		kind = tokLt
		switch l.peek(1) {
		case '=':
			kind, size = tokLe, 2
		case '>':
			kind, size = tokNe, 2
		}
	case '>':
		kind = tokGt
		if l.peek(1) == '=' {
			kind, size = tokGe, 2
		}
	case '!':
		kind = tokBang
		if l.peek(1) == '=' {
			kind, size = tokNe, 2
		}
	case ':':
		// Vensim's :AND:, :OR: and :NOT:.
		kind = tokColon
		for _, op := range [...]struct {
			text string
			kind tokenKind
		}{{":AND:", tokAnd}, {":OR:", tokOr}, {":NOT:", tokNot}} {
			if hasPrefixFold(l.src[start:], op.text) {
				kind, size = op.kind, len(op.text)
				break
			}
		}
	case '[':
		kind = tokLBrack
	case ']':
		kind = tokRBrack
	case '@':
		kind = tokAt
	case '\'':
		kind = tokQuote
	}
	if kind == tokError {
		return l.errorf(start, "unexpected character %q", string(c))
	}
	l.pos += size
	return token{kind: kind, pos: Pos(start), text: l.src[start:l.pos]}
}

// peek returns the byte i bytes past the current position, or 0 past the
// end of the input.
func (l *lexer) peek(i int) byte {
	if l.pos+i < len(l.src) {
		return l.src[l.pos+i]
	}
	return 0
}

// peekByte returns the next byte of input after any white space, without
// consuming it, or 0 at the end.
func (l *lexer) peekByte() byte {
	save := l.pos
	defer func() { l.pos = save }()
	if !l.skipSpace() || l.pos >= len(l.src) {
		return 0
	}
	// "!=" is an operator, not a dim!.
	if l.src[l.pos] == '!' && l.peek(1) == '=' {
		return 0
	}
	return l.src[l.pos]
}

// errorf returns an error token at offset pos.
func (l *lexer) errorf(pos int, format string, args ...any) token {
	return token{kind: tokError, pos: Pos(pos), val: fmt.Sprintf(format, args...)}
}

// nbsp is U+00A0 NO-BREAK SPACE, which XMILE counts as whitespace.
const nbsp = "\u00a0"

// skipSpace advances past whitespace, {comments} and line continuations
// (a backslash ending a line). It reports false, stopped at the "{", for
// an unterminated comment.
func (l *lexer) skipSpace() bool {
	for l.pos < len(l.src) {
		rest := l.src[l.pos:]
		switch c := rest[0]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			l.pos++
		case c == '{':
			end := strings.IndexByte(rest, '}')
			if end < 0 {
				return false
			}
			l.pos += end + 1
		case c == '\\':
			after := strings.TrimLeft(rest[1:], " \t")
			if after == "" || after[0] != '\n' && after[0] != '\r' {
				return true // not a continuation: next reports it
			}
			l.pos = len(l.src) - len(after)
		case strings.HasPrefix(rest, nbsp):
			l.pos += len(nbsp)
		default:
			return true
		}
	}
	return true
}

// number scans a numeric literal: digits with an optional decimal point
// and an optional exponent. The parser converts and range-checks it.
func (l *lexer) number() token {
	start := l.pos
	l.digits()
	if l.peek(0) == '.' {
		l.pos++
		l.digits()
	}
	if c := l.peek(0); c == 'e' || c == 'E' {
		l.pos++
		if c := l.peek(0); c == '+' || c == '-' {
			l.pos++
		}
		if !isDigit(l.peek(0)) {
			return l.errorf(start, "invalid number %q: exponent has no digits", l.src[start:l.pos])
		}
		l.digits()
	}
	return token{kind: tokNumber, pos: Pos(start), text: l.src[start:l.pos]}
}

func (l *lexer) digits() {
	for isDigit(l.peek(0)) {
		l.pos++
	}
}

// name scans a bare identifier or keyword.
func (l *lexer) name() token {
	start := l.pos
	l.pos += nameLen(l.src[start:])
	text := l.src[start:l.pos]
	if k, ok := keyword(text); ok {
		return token{kind: k, pos: Pos(start), text: text}
	}
	if l.peek(0) == '.' {
		return l.qualified(token{kind: tokName, pos: Pos(start), text: text, val: text})
	}
	return token{kind: tokName, pos: Pos(start), text: text, val: text}
}

// quoted scans a name in double quotes, resolving the escapes \" and \\
// and turning \n into a space.
func (l *lexer) quoted() token {
	start := l.pos
	var b strings.Builder
	i := start + 1
	for {
		if i >= len(l.src) {
			return l.errorf(start, "unterminated quoted name")
		}
		c := l.src[i]
		if c == '"' {
			i++
			break
		}
		if c != '\\' {
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(l.src) {
			return l.errorf(start, "unterminated quoted name")
		}
		switch e := l.src[i+1]; e {
		case '"', '\\':
			b.WriteByte(e)
		case 'n':
			b.WriteByte(' ')
		default:
			r, _ := utf8.DecodeRuneInString(l.src[i+1:])
			return l.errorf(i, "invalid escape sequence %q in quoted name (want \\\", \\\\ or \\n)", `\`+string(r))
		}
		i += 2
	}
	name := b.String()
	switch {
	case name == "":
		return l.errorf(start, "empty quoted name")
	case !utf8.ValidString(name):
		return l.errorf(start, "invalid UTF-8 encoding in quoted name")
	}
	l.pos = i
	tok := token{kind: tokQuoted, pos: Pos(start), text: l.src[start:i], val: name}
	if l.peek(0) == '.' {
		return l.qualified(tok)
	}
	return tok
}

// qualified continues a name that a dot follows: a name inside a module,
// module.variable (XMILE's qualified names), each part bare or quoted. The
// token's value is the parts joined by dots.
func (l *lexer) qualified(tok token) token {
	val := tok.val
	for l.peek(0) == '.' {
		dot := l.pos
		l.pos++
		var part token
		switch rest := l.src[l.pos:]; {
		case strings.HasPrefix(rest, `"`):
			part = l.quoted()
		case nameLen(rest) > 0:
			n := nameLen(rest)
			part = token{kind: tokName, text: rest[:n], val: rest[:n]}
			l.pos += n
		default:
			return l.errorf(dot, "unexpected \".\": a name inside a module is written module.name")
		}
		if part.kind == tokError {
			return part
		}
		val += "." + part.val
	}
	if strings.Contains(val, "..") {
		return l.errorf(int(tok.pos), "empty part in the qualified name %q", val)
	}
	return token{kind: tok.kind, pos: tok.pos, text: l.src[tok.pos:l.pos], val: val}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isNameStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }

func isNamePart(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// nameLen returns the length in bytes of the bare identifier at the start
// of s, or 0 if s does not start with one.
func nameLen(s string) int {
	for i, r := range s {
		if i == 0 && !isNameStart(r) || !isNamePart(r) {
			return i
		}
	}
	return len(s)
}

// hasPrefixFold reports whether s starts with prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
