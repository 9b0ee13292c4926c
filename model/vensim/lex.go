package vensim

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file splits an .mdl file into its entries and an entry's equation
// into tokens. Every offset is a byte offset into the whole file.

// sketchMarker starts the sketch section, which ends the equations:
// \\\---/// (some files have fewer backslashes).
const sketchMarker = `---///`

// atSketch reports whether the sketch section starts at src[i]: a
// backslash, possibly more, then ---///.
func atSketch(src []byte, i int) bool {
	if i >= len(src) || src[i] != '\\' {
		return false
	}
	for i < len(src) && src[i] == '\\' {
		i++
	}
	return strings.HasPrefix(string(src[i:min(len(src), i+len(sketchMarker))]), sketchMarker)
}

// entryKind says what a piece of the equation section is.
type entryKind int

const (
	entryEquation   entryKind = iota // name = ..., name(table), dim: ..., ...
	entryMacroStart                  // :MACRO: NAME(params)
	entryMacroEnd                    // :END OF MACRO:
)

// rawEntry is one entry of the equation section: the equation, the units
// and the comment, each as a span of the file.
type rawEntry struct {
	kind           entryKind
	eq             span // the equation (or the macro header after :MACRO:)
	units, doc     span
	hasUnits, done bool // done: the entry ended with | (or a macro marker)
}

// span is the part [start, end) of the file.
type span struct{ start, end int }

// splitEntries cuts the equation section of src into entries. It stops at
// the sketch section or the end of the file.
func splitEntries(src []byte) []rawEntry {
	var entries []rawEntry
	i := 0
	for {
		i = skipSpaceAndComments(src, i)
		if i >= len(src) || atSketch(src, i) {
			return entries
		}
		if hasPrefixFold(src[i:], ":MACRO:") {
			start := i + len(":MACRO:")
			end := start
			// The header runs to the closing parenthesis of the
			// parameter list, or to the end of the line.
			depth := 0
			for end < len(src) {
				c := src[end]
				if c == '(' {
					depth++
				} else if c == ')' {
					depth--
					if depth <= 0 {
						end++
						break
					}
				} else if c == '\n' && depth == 0 {
					break
				}
				end++
			}
			entries = append(entries, rawEntry{kind: entryMacroStart, eq: span{start, end}, done: true})
			i = end
			continue
		}
		if hasPrefixFold(src[i:], ":END OF MACRO:") {
			entries = append(entries, rawEntry{kind: entryMacroEnd, eq: span{i, i + len(":END OF MACRO:")}, done: true})
			i += len(":END OF MACRO:")
			continue
		}
		e := rawEntry{kind: entryEquation}
		// The equation: up to ~ or | outside quotes and comments.
		j := i
		for j < len(src) && src[j] != '~' && src[j] != '|' {
			switch src[j] {
			case '"':
				j = skipQuoted(src, j)
				continue
			case '{':
				j = skipComment(src, j)
				continue
			}
			if atSketch(src, j) {
				break
			}
			if hasPrefixFold(src[j:], ":MACRO:") || hasPrefixFold(src[j:], ":END OF MACRO:") {
				break
			}
			j++
		}
		e.eq = span{i, j}
		if j < len(src) && src[j] == '~' {
			e.hasUnits = true
			k := j + 1
			for k < len(src) && src[k] != '~' && src[k] != '|' {
				k++
			}
			e.units = span{j + 1, k}
			j = k
			if j < len(src) && src[j] == '~' {
				k = j + 1
				for k < len(src) && src[k] != '|' {
					k++
				}
				e.doc = span{j + 1, k}
				j = k
			}
		}
		if j < len(src) && src[j] == '|' {
			e.done = true
			j++
		}
		if j == i { // nothing consumed: a stray marker
			j++
		}
		entries = append(entries, e)
		i = j
	}
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}

// skipSpaceAndComments returns the offset of the first byte at or after i
// that is neither white space nor inside a {comment}.
func skipSpaceAndComments(src []byte, i int) int {
	for i < len(src) {
		switch c := src[i]; {
		case c == '{':
			i = skipComment(src, i)
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '\\' && i+1 < len(src) && (src[i+1] == '\n' || src[i+1] == '\r'):
			i++
		default:
			return i
		}
	}
	return i
}

// skipComment returns the offset after the comment that opens at i.
func skipComment(src []byte, i int) int {
	end := strings.IndexByte(string(src[i:]), '}')
	if end < 0 {
		return len(src)
	}
	return i + end + 1
}

// skipQuoted returns the offset after the quoted name that opens at i (or
// the end of the line, when the quote is not closed on it).
func skipQuoted(src []byte, i int) int {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			if j+1 < len(src) && src[j+1] == '"' {
				j++
			}
		case '"':
			return j + 1
		case '\n':
			return j
		}
	}
	return len(src)
}

// tokKind identifies the kind of a token.
type tokKind int

const (
	tEOF     tokKind = iota
	tError           // val holds the message
	tNumber          // 1.5, .5, 3e-05
	tName            // Teacup Temperature; val holds the name with single spaces
	tQuoted          // "Heat Loss (deg/min)"; val holds the unquoted name
	tKeyword         // :AND:, :NA:, :EXCEPT:, ...; val holds it in upper case without colons
	tPunct           // ( ) [ ] , ; = := : -> <-> + - * / ^ < > <= >= <> ! ==
	tString          // 'a string' (file names of GET functions)
)

// token is a lexical unit of an equation.
type token struct {
	kind tokKind
	pos  int    // offset in the file
	end  int    // offset after the token
	val  string // see tokKind
	line int    // the line of the token, counted from the start of the entry
}

// lexer splits the equation part of an entry into tokens.
type lexer struct {
	src  []byte
	pos  int
	end  int
	toks []token
}

// tokenize returns the tokens of src[sp.start:sp.end], ending with tEOF.
func tokenize(src []byte, sp span) []token {
	lx := &lexer{src: src, pos: sp.start, end: sp.end}
	line, last := 0, sp.start
	for {
		t := lx.next()
		if t.kind == tEOF && len(lx.toks) > 0 {
			// The end is reported just after the last token.
			t.pos, t.end = lx.toks[len(lx.toks)-1].end, lx.toks[len(lx.toks)-1].end
		}
		line += strings.Count(string(src[last:t.pos]), "\n")
		last = t.pos
		t.line = line
		lx.toks = append(lx.toks, t)
		if t.kind == tEOF || t.kind == tError {
			if t.kind == tError {
				lx.toks = append(lx.toks, token{kind: tEOF, pos: t.end, end: t.end})
			}
			return lx.toks
		}
	}
}

func (lx *lexer) peekByte(off int) byte {
	if lx.pos+off < lx.end {
		return lx.src[lx.pos+off]
	}
	return 0
}

// skipBlank skips white space, comments and line continuations.
func (lx *lexer) skipBlank() {
	for lx.pos < lx.end {
		c := lx.src[lx.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			lx.pos++
		case c == '{':
			lx.pos = min(skipComment(lx.src, lx.pos), lx.end)
		case c == '\\' && (lx.peekByte(1) == '\n' || lx.peekByte(1) == '\r'):
			lx.pos++
		default:
			return
		}
	}
}

func (lx *lexer) next() token {
	lx.skipBlank()
	start := lx.pos
	if lx.pos >= lx.end {
		return token{kind: tEOF, pos: start, end: start}
	}
	c := lx.src[lx.pos]
	tok := func(kind tokKind, n int, val string) token {
		lx.pos += n
		return token{kind: kind, pos: start, end: lx.pos, val: val}
	}
	switch {
	case c >= '0' && c <= '9' || c == '.' && isDigit(lx.peekByte(1)):
		return lx.number()
	case c == '"':
		return lx.quoted()
	case c == '\'':
		end := strings.IndexByte(string(lx.src[lx.pos+1:lx.end]), '\'')
		if end < 0 {
			return tok(tError, lx.end-lx.pos, "a string not closed with '")
		}
		return tok(tString, end+2, string(lx.src[lx.pos+1:lx.pos+1+end]))
	case c == ':':
		// :AND:, :NA:, :EXCEPT:, ... or := or :
		if lx.peekByte(1) == '=' {
			return tok(tPunct, 2, ":=")
		}
		j := lx.pos + 1
		for j < lx.end && (isLetter(lx.src[j]) || lx.src[j] == ' ') {
			j++
		}
		if j < lx.end && lx.src[j] == ':' && j > lx.pos+1 && isLetter(lx.src[lx.pos+1]) {
			word := strings.ToUpper(strings.Join(strings.Fields(string(lx.src[lx.pos+1:j])), " "))
			return tok(tKeyword, j+1-lx.pos, word)
		}
		return tok(tPunct, 1, ":")
	case c == '<':
		switch {
		case lx.peekByte(1) == '-' && lx.peekByte(2) == '>':
			return tok(tPunct, 3, "<->")
		case lx.peekByte(1) == '=':
			return tok(tPunct, 2, "<=")
		case lx.peekByte(1) == '>':
			return tok(tPunct, 2, "<>")
		}
		return tok(tPunct, 1, "<")
	case c == '>':
		if lx.peekByte(1) == '=' {
			return tok(tPunct, 2, ">=")
		}
		return tok(tPunct, 1, ">")
	case c == '-':
		if lx.peekByte(1) == '>' {
			return tok(tPunct, 2, "->")
		}
		return tok(tPunct, 1, "-")
	case c == '=':
		if lx.peekByte(1) == '=' {
			return tok(tPunct, 2, "==")
		}
		return tok(tPunct, 1, "=")
	case strings.IndexByte("()[],;+*/^!", c) >= 0:
		return tok(tPunct, 1, string(c))
	case isNameStart(lx.src, lx.pos):
		return lx.name()
	}
	r, size := utf8.DecodeRune(lx.src[lx.pos:lx.end])
	if r == utf8.RuneError && size <= 1 {
		return tok(tError, 1, "a byte that is not UTF-8")
	}
	return tok(tError, size, "unexpected "+quoteRune(r))
}

func quoteRune(r rune) string {
	return "'" + string(r) + "'"
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// isNameStart reports whether a name starts at src[i].
func isNameStart(src []byte, i int) bool {
	c := src[i]
	if c < utf8.RuneSelf {
		return isLetter(c) || c == '_' || c == '$'
	}
	r, _ := utf8.DecodeRune(src[i:])
	return unicode.IsLetter(r) || unicode.IsSymbol(r) && r != utf8.RuneError
}

// isNameChar reports whether the character at src[i] may continue a word of
// a name, and its size.
func isNameChar(src []byte, i int) (bool, int) {
	c := src[i]
	if c < utf8.RuneSelf {
		return isLetter(c) || isDigit(c) || strings.IndexByte("_$'&%#.@?", c) >= 0, 1
	}
	r, size := utf8.DecodeRune(src[i:])
	if r == utf8.RuneError {
		return false, size
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || unicode.IsSymbol(r), size
}

// name reads an unquoted name: words of name characters separated by
// white space (and line continuations), which become single spaces.
func (lx *lexer) name() token {
	start := lx.pos
	var b strings.Builder
	for {
		// A word.
		for lx.pos < lx.end {
			ok, size := isNameChar(lx.src, lx.pos)
			if !ok {
				break
			}
			b.Write(lx.src[lx.pos : lx.pos+size])
			lx.pos += size
		}
		end := lx.pos
		// White space followed by another word continues the name.
		j := lx.pos
		for j < lx.end {
			c := lx.src[j]
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				j++
			} else if c == '\\' && j+1 < lx.end && (lx.src[j+1] == '\n' || lx.src[j+1] == '\r') {
				j++
			} else {
				break
			}
		}
		if j > lx.pos && j < lx.end && isNameStartOrDigit(lx.src, j) {
			b.WriteByte(' ')
			lx.pos = j
			continue
		}
		lx.pos = end
		return token{kind: tName, pos: start, end: end, val: b.String()}
	}
}

func isNameStartOrDigit(src []byte, i int) bool {
	return isDigit(src[i]) || isNameStart(src, i)
}

// quoted reads a name in double quotes; \" stands for a quotation mark.
func (lx *lexer) quoted() token {
	start := lx.pos
	var b strings.Builder
	j := lx.pos + 1
	for j < lx.end {
		c := lx.src[j]
		switch {
		case c == '\\' && j+1 < lx.end && lx.src[j+1] == '"':
			b.WriteByte('"')
			j += 2
			continue
		case c == '"':
			lx.pos = j + 1
			return token{kind: tQuoted, pos: start, end: lx.pos, val: b.String()}
		case c == '\n' || c == '\r':
			lx.pos = j
			return token{kind: tError, pos: start, end: j, val: "a quoted name not closed on its line"}
		}
		b.WriteByte(c)
		j++
	}
	lx.pos = lx.end
	return token{kind: tError, pos: start, end: lx.end, val: "a quoted name not closed"}
}

// number reads a number: digits, an optional fraction and exponent.
func (lx *lexer) number() token {
	start := lx.pos
	for lx.pos < lx.end && isDigit(lx.src[lx.pos]) {
		lx.pos++
	}
	if lx.pos < lx.end && lx.src[lx.pos] == '.' {
		lx.pos++
		for lx.pos < lx.end && isDigit(lx.src[lx.pos]) {
			lx.pos++
		}
	}
	if lx.pos < lx.end && (lx.src[lx.pos] == 'e' || lx.src[lx.pos] == 'E') {
		j := lx.pos + 1
		if j < lx.end && (lx.src[j] == '+' || lx.src[j] == '-') {
			j++
		}
		if j < lx.end && isDigit(lx.src[j]) {
			for j < lx.end && isDigit(lx.src[j]) {
				j++
			}
			lx.pos = j
		}
	}
	return token{kind: tNumber, pos: start, end: lx.pos, val: string(lx.src[start:lx.pos])}
}
