package xmile

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stockflow/stockflow/model"
)

// The namespaces of XMILE: the OASIS standard's, and the one of the drafts
// that older files still declare. An element in any other namespace is a
// vendor's extension, which Read skips unless it is stockflow's own.
const (
	nsXMILE     = "http://docs.oasis-open.org/xmile/ns/XMILE/v1.0"
	nsDraft     = "http://www.systemdynamics.org/XMILE"
	nsStockflow = "https://github.com/stockflow/stockflow/xmile"
)

// Bounds on the work a file can ask of Read.
const (
	maxDepth     = 1000      // deepest element nesting
	maxElemCount = 1_000_000 // most elements
)

// element is a node of the lenient document tree that parse builds.
type element struct {
	name     string // local name
	space    string // namespace URI; "" when none is declared
	prefix   string // as written, for messages
	attrs    []xml.Attr
	children []*element
	text     text // the character data directly inside
	pos      int  // offset of the '<' of the start tag
	parent   *element
}

// tag returns the element's name as written, in angle brackets.
func (e *element) tag() string {
	if e.prefix != "" {
		return "<" + e.prefix + ":" + e.name + ">"
	}
	return "<" + e.name + ">"
}

// vendor reports whether the element belongs to a vendor's namespace:
// neither XMILE's nor stockflow's. An undeclared prefix such as isee: is
// a vendor's.
func (e *element) vendor() bool {
	switch e.space {
	case nsXMILE, nsDraft, nsStockflow:
		return false
	case "":
		return e.prefix != ""
	}
	return true
}

// attr returns the value of the attribute with the given local name and no
// prefix, and whether it is there.
func (e *element) attr(name string) (string, bool) {
	for _, a := range e.attrs {
		if a.Name.Space == "" && strings.EqualFold(a.Name.Local, name) {
			return a.Value, true
		}
	}
	return "", false
}

// text is character data with what it takes to find each of its bytes in
// the source: entities and line ends make the two differ.
type text struct {
	s     string
	buf   []byte // s while the tree is built
	spans []span // sorted by dec
}

// span says that byte dec of the text is byte src of the source, and so
// are the bytes after it up to the next span.
type span struct{ dec, src int }

// srcOffset returns the source offset of byte i of the text.
func (t *text) srcOffset(i int) int {
	k := sort.Search(len(t.spans), func(k int) bool { return t.spans[k].dec > i }) - 1
	if k < 0 {
		return 0
	}
	return t.spans[k].src + i - t.spans[k].dec
}

// append adds the decoded character data of one token whose source is
// raw, starting at source offset base.
func (t *text) append(raw []byte, base int, cdata bool) {
	if cdata {
		raw = bytes.TrimPrefix(raw, []byte("<![CDATA["))
		base += len("<![CDATA[")
		raw = bytes.TrimSuffix(raw, []byte("]]>"))
	}
	mark := func(i int) { t.spans = append(t.spans, span{dec: len(t.buf), src: base + i}) }
	mark(0)
	for i := 0; i < len(raw); {
		switch c := raw[i]; {
		case c == '\r':
			t.buf = append(t.buf, '\n')
			i++
			if i < len(raw) && raw[i] == '\n' {
				i++
			}
			mark(i)
		case c == '&' && !cdata:
			end := bytes.IndexByte(raw[i:], ';')
			if end < 0 {
				t.buf = append(t.buf, c)
				i++
				continue
			}
			s, ok := entity(string(raw[i+1 : i+end]))
			if !ok {
				s = string(raw[i : i+end+1])
			}
			t.buf = append(t.buf, s...)
			i += end + 1
			mark(i)
		default:
			t.buf = append(t.buf, c)
			i++
		}
	}
}

// done turns the text of e and of the elements inside it into strings.
func (e *element) done() {
	e.text.s, e.text.buf = string(e.text.buf), nil
	for _, c := range e.children {
		c.done()
	}
}

// entity returns the text an entity reference (without & and ;) stands for.
func entity(name string) (string, bool) {
	switch name {
	case "lt":
		return "<", true
	case "gt":
		return ">", true
	case "amp":
		return "&", true
	case "apos":
		return "'", true
	case "quot":
		return `"`, true
	}
	if num, ok := strings.CutPrefix(name, "#"); ok {
		base := 10
		if h, ok := strings.CutPrefix(num, "x"); ok {
			num, base = h, 16
		}
		n, err := strconv.ParseUint(num, base, 32)
		if err != nil || !isXMLChar(rune(n)) {
			return "", false
		}
		return string(rune(n)), true
	}
	s, ok := xml.HTMLEntity[name]
	return s, ok
}

// document is a parsed XMILE file.
type document struct {
	file  string
	src   []byte
	lines []int // offset of the start of each line
	root  *element
}

// position returns the file position of a source offset.
func (d *document) position(off int) model.Position {
	line := sort.Search(len(d.lines), func(i int) bool { return d.lines[i] > off })
	if line == 0 {
		return model.Position{File: d.file, Line: 1, Col: 1}
	}
	return model.Position{File: d.file, Line: line, Col: off - d.lines[line-1] + 1}
}

// lineStarts returns the offset at which each line of src starts; a line
// ends at LF, CR LF or a lone CR, as XML has it.
func lineStarts(src []byte) []int {
	lines := []int{0}
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n':
			lines = append(lines, i+1)
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			lines = append(lines, i+1)
		}
	}
	return lines
}

// variableTags are the elements that declare a model entity. One of them
// opened inside another one closes that one: files written by hand lose an
// end tag now and then, and Stella reads them so. (A <gf> inside an <aux> or
// a <flow> is its graphical function, not a sibling.)
var variableTags = map[string]bool{"stock": true, "flow": true, "aux": true, "gf": true, "module": true, "group": true}

// openVariable returns the variable of a model that e is or is inside, or
// nil.
func openVariable(e *element) *element {
	for ; e != nil && e.parent != nil; e = e.parent {
		if variableTags[e.name] && (e.parent.name == "variables" || e.parent.name == "model") {
			return e
		}
	}
	return nil
}

// blankCommentDashes returns src with every "-" inside a comment's body
// replaced by a space. XML forbids "--" inside a comment, and Go's decoder
// refuses it, but tools write such comments (a row of dashes as a
// separator); a comment's text means nothing to the model. Every byte
// keeps its offset, so positions are unchanged. CDATA sections are left
// alone. src itself is not changed.
func blankCommentDashes(src []byte) []byte {
	var out []byte
	for i := 0; i < len(src); {
		j := bytes.IndexByte(src[i:], '<')
		if j < 0 {
			break
		}
		i += j
		switch {
		case bytes.HasPrefix(src[i:], []byte("<![CDATA[")):
			end := bytes.Index(src[i:], []byte("]]>"))
			if end < 0 {
				return orSrc(out, src)
			}
			i += end + 3
		case bytes.HasPrefix(src[i:], []byte("<!--")):
			body := i + 4
			end := bytes.Index(src[body:], []byte("-->"))
			if end < 0 {
				return orSrc(out, src) // unterminated: the decoder says so
			}
			if bytes.Contains(src[body:body+end], []byte("-")) {
				if out == nil {
					out = append([]byte(nil), src...)
				}
				for k := body; k < body+end; k++ {
					if out[k] == '-' {
						out[k] = ' '
					}
				}
			}
			i = body + end + 3
		default:
			i++
		}
	}
	return orSrc(out, src)
}

func orSrc(out, src []byte) []byte {
	if out == nil {
		return src
	}
	return out
}

// parse reads src into a tree, leniently: it matches elements by local
// name, ignores undeclared namespace prefixes, accepts HTML entities, and
// repairs a missing end tag of a variable. It returns the errors it cannot
// get past.
func parse(file string, src []byte) (*document, model.ErrorList) {
	var errs model.ErrorList
	src, enc, ok := toUTF8(src)
	doc := &document{file: file, src: src, lines: lineStarts(src)}
	if !ok {
		errs.Add(doc.position(bytes.Index(src, []byte("encoding"))), "unsupported encoding %q (expected UTF-8, US-ASCII, ISO-8859-1 or windows-1252)", enc)
		return nil, errs
	}
	dec := xml.NewDecoder(bytes.NewReader(blankCommentDashes(src)))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	// toUTF8 has converted what the declaration names.
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	top := &element{} // the document itself
	var scopes []map[string]string
	resolve := func(prefix string) (string, bool) {
		if prefix == "xml" {
			return "http://www.w3.org/XML/1998/namespace", true
		}
		for i := len(scopes) - 1; i >= 0; i-- {
			if uri, ok := scopes[i][prefix]; ok {
				return uri, true
			}
		}
		return "", false
	}
	count := 0
	for {
		start := int(dec.InputOffset())
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			msg := strings.TrimPrefix(err.Error(), "xml: ")
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				msg = se.Msg
			}
			errs.Add(doc.position(int(dec.InputOffset())), "invalid XML: %s", msg)
			return nil, errs
		}
		end := int(dec.InputOffset())
		switch t := tok.(type) {
		case xml.StartElement:
			if count++; count > maxElemCount {
				errs.Add(doc.position(start), "the file has more than %d elements", maxElemCount)
				return nil, errs
			}
			scope := map[string]string{}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns":
					scope[a.Name.Local] = a.Value
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					scope[""] = a.Value
				}
			}
			// A variable opened inside a variable of a model closes it.
			if variableTags[t.Name.Local] && t.Name.Local != "gf" {
				if v := openVariable(top); v != nil {
					for top != v.parent {
						top = top.parent
						scopes = scopes[:len(scopes)-1]
					}
				}
			}
			if len(scopes) >= maxDepth {
				errs.Add(doc.position(start), "elements nest more than %d deep", maxDepth)
				return nil, errs
			}
			scopes = append(scopes, scope)
			e := &element{name: t.Name.Local, prefix: t.Name.Space, attrs: t.Attr, pos: start, parent: top}
			e.space, _ = resolve(t.Name.Space)
			top.children = append(top.children, e)
			top = e
		case xml.EndElement:
			// Close the nearest open element of that name, and any left
			// open inside it.
			e := top
			for e.parent != nil && e.name != t.Name.Local {
				e = e.parent
			}
			if e.parent == nil {
				name := t.Name.Local
				if t.Name.Space != "" {
					name = t.Name.Space + ":" + name
				}
				errs.Add(doc.position(start), "unexpected end tag </%s> (no open <%s>)", name, name)
				continue
			}
			for top != e {
				top = top.parent
				scopes = scopes[:len(scopes)-1]
			}
			top = e.parent
			scopes = scopes[:len(scopes)-1]
		case xml.CharData:
			if top.parent != nil {
				top.text.append(doc.src[start:end], start, bytes.HasPrefix(doc.src[start:end], []byte("<![CDATA[")))
			}
		}
	}
	for top.parent != nil {
		if top.parent.parent == nil {
			errs.Add(doc.position(top.pos), "%s is never closed", top.tag())
		}
		top = top.parent
	}
	top.done()
	for _, e := range top.children {
		if doc.root == nil {
			doc.root = e
			continue
		}
		errs.Add(doc.position(e.pos), "unexpected %s after the root element %s", e.tag(), doc.root.tag())
		break
	}
	if doc.root == nil && len(errs) == 0 {
		errs.Add(doc.position(len(src)), "no XML element in the file")
	}
	return doc, errs
}

// describe names a value found in a file for an error message, shortening
// it when it is long.
func describe(s string) string {
	const maxLen = 40
	if len(s) > maxLen {
		i := maxLen
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = s[:i] + "..."
	}
	return fmt.Sprintf("%q", s)
}

// encodingDecl finds the encoding an XML declaration names.
var encodingDecl = regexp.MustCompile(`^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']`)

// toUTF8 converts a file in one of the single-byte encodings older tools
// write to UTF-8. It returns the encoding a declaration names, and false
// for one it does not know. Positions in a converted file count bytes of
// its UTF-8 form.
func toUTF8(src []byte) ([]byte, string, bool) {
	m := encodingDecl.FindSubmatch(src[:min(len(src), 512)])
	if m == nil {
		return src, "", true
	}
	enc := string(m[1])
	var high *[32]rune // the characters of bytes 0x80 to 0x9F
	switch strings.ToLower(enc) {
	case "utf-8", "utf8":
		return src, enc, true
	case "us-ascii", "ascii", "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
	case "windows-1252", "cp1252":
		high = &cp1252
	default:
		return src, enc, false
	}
	out := make([]byte, 0, len(src)+len(src)/8)
	for _, c := range src {
		r := rune(c)
		if high != nil && 0x80 <= c && c <= 0x9F {
			r = high[c-0x80]
		}
		out = utf8.AppendRune(out, r)
	}
	return out, enc, true
}

// cp1252 holds the characters of windows-1252 that differ from ISO-8859-1;
// its five unused bytes stay as they are.
var cp1252 = [32]rune{
	0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
	0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
}
