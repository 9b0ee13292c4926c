package model

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxFileSize is the largest model file Load and the readers accept.
const MaxFileSize = 64 << 20

// ReadSource reads a model file's bytes from r for a reader of another
// format (XMILE, Vensim), refusing more than MaxFileSize bytes with an
// ErrorList positioned at file. Problems of reading r itself are returned
// as they are.
func ReadSource(file string, r io.Reader) ([]byte, error) {
	src, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(src) > MaxFileSize {
		return nil, ErrorList{{Pos: Position{File: file}, Msg: fmt.Sprintf("file is larger than %d bytes", MaxFileSize)}}
	}
	return src, nil
}

// maxNodes bounds the YAML nodes Load visits, counting each use of an alias
// afresh, so that a small file of nested aliases cannot make it do
// unbounded work.
const maxNodes = 1_000_000

// LoadFile reads a YAML model file.
func LoadFile(path string) (*Model, error) { return loadFile(path, nil, nil) }

// loadFile reads a model file placed as a module by the files of stack.
func loadFile(path string, stack []string, ctx *loadContext) (*Model, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return load(path, src, stack, ctx)
}

// Load reads a model from YAML source. file names the source in error
// positions. The error, if any, is an ErrorList holding every independent
// problem found.
func Load(file string, src []byte) (*Model, error) { return load(file, src, nil, nil) }

func load(file string, src []byte, stack []string, ctx *loadContext) (*Model, error) {
	d, doc, err := decodeFile(file, src, "model")
	if err != nil {
		return nil, err
	}
	if ctx == nil {
		ctx = &loadContext{files: make(map[string]*Model), inline: make(map[string]*Model)}
	}
	d.ctx = ctx
	m := &Model{File: file, Time: Time{DT: 1, Method: Euler}}
	d.model(doc, m)
	d.build(m, append(stack, file))
	// Validate what was read, leaving out what it would say again about
	// parts that already failed to decode.
	var verrs ErrorList
	verrs.Append(m.Validate())
	for _, e := range verrs {
		if !d.quiet[e.Pos] {
			d.errs = append(d.errs, e)
		}
	}
	if err := d.errs.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

// decodeFile parses YAML source into its document node and a decoder for
// it; what names the kind of file in the error for an empty one.
func decodeFile(file string, src []byte, what string) (*decoder, *yaml.Node, error) {
	if len(src) > MaxFileSize {
		return nil, nil, ErrorList{{Pos: Position{File: file}, Msg: fmt.Sprintf("file is %d bytes; the limit is %d", len(src), MaxFileSize)}}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return nil, nil, ErrorList{yamlError(file, err)}
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, nil, ErrorList{{Pos: Position{File: file, Line: 1, Col: 1}, Msg: "empty " + what + " file"}}
	}
	return &decoder{file: file, lines: bytes.Split(src, []byte("\n")), budget: maxNodes}, root.Content[0], nil
}

// yamlError turns a yaml.v3 syntax error ("yaml: line 3: ...") into a
// positioned Error.
func yamlError(file string, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	pos := Position{File: file}
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ": "); i > 0 {
			if n, err := strconv.Atoi(rest[:i]); err == nil {
				pos.Line, pos.Col = n, 1
				msg = rest[i+2:]
			}
		}
	}
	return &Error{Pos: pos, Msg: "invalid YAML: " + msg, Err: err}
}

type decoder struct {
	file   string
	lines  [][]byte
	errs   ErrorList
	budget int
	quiet  map[Position]bool // where Validate's findings would repeat a decoding error
	// modules are the entries of the modules section, placed after the
	// model is read; macros, those of the macros section, expanded once
	// the modules are placed.
	modules []yamlModule
	macros  []*Macro
	// models holds the models section, by canonical name.
	models map[string]*yamlModel
	ctx    *loadContext
}

// hush marks pos as a place whose validation errors would only repeat
// the decoding errors reported since mark (the length of errs then; -1
// for unconditionally).
func (d *decoder) hush(pos Position, mark int) {
	if mark < 0 || len(d.errs) > mark {
		if d.quiet == nil {
			d.quiet = make(map[Position]bool)
		}
		d.quiet[pos] = true
	}
}

func (d *decoder) pos(n *yaml.Node) Position {
	return Position{File: d.file, Line: n.Line, Col: n.Column}
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs.Add(d.pos(n), format, args...)
}

var errBudget = errors.New("too many YAML nodes")

// node follows aliases and charges the visit against the budget. It returns
// nil once the budget is spent (having reported it once).
func (d *decoder) node(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	d.budget--
	if d.budget == -1 {
		d.errs = append(d.errs, &Error{Pos: d.pos(n), Msg: fmt.Sprintf("the file expands to more than %d YAML nodes (too many aliases?)", maxNodes), Err: errBudget})
	}
	if d.budget < 0 {
		return nil
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return strconv.Quote(n.Value)
	}
	return "a document"
}

// mapping calls fn for each key and value of the mapping n, reporting a
// non-mapping and duplicate keys. Keys are compared exactly when canonical
// is false and as variable names when it is true.
func (d *decoder) mapping(n *yaml.Node, what string, canonical bool, fn func(key string, k, v *yaml.Node)) {
	if n = d.node(n); n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // an empty section
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "expected a mapping for %s but found %s", what, kindName(n))
		return
	}
	seen := make(map[string]*yaml.Node)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := d.node(n.Content[i]), n.Content[i+1]
		if k == nil {
			return
		}
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "expected a name as key in %s but found %s", what, kindName(k))
			continue
		}
		id := k.Value
		if canonical {
			id = Canonical(id)
		}
		if prev, ok := seen[id]; ok {
			d.errorf(k, "duplicate key %q in %s (first at %d:%d)", k.Value, what, prev.Line, prev.Column)
			continue
		}
		seen[id] = k
		fn(k.Value, k, v)
	}
}

// fields decodes a mapping with a fixed set of keys.
func (d *decoder) fields(n *yaml.Node, what string, known map[string]func(v *yaml.Node)) {
	n = d.cutAtCommas(n, known)
	d.mapping(n, what, false, func(key string, k, v *yaml.Node) {
		f, ok := known[key]
		if !ok {
			keys := make([]string, 0, len(known))
			for k := range known {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			d.errorf(k, "unknown key %q in %s%s (expected one of %s)", key, what, didYouMeanKey(key, keys), strings.Join(keys, ", "))
			return
		}
		f(v)
	})
}

// cutAtCommas finds, in a flow mapping ({equation: STEP(1, 12)}), a
// plain value that YAML cut at a comma: its brackets are left open and
// the rest of it came as keys the mapping does not know. It reports one
// error, with the value quoted as it should be, and returns the mapping
// without the pieces.
func (d *decoder) cutAtCommas(n *yaml.Node, known map[string]func(v *yaml.Node)) *yaml.Node {
	m := d.node(n)
	if m == nil || m.Kind != yaml.MappingNode || m.Style&yaml.FlowStyle == 0 {
		return n
	}
	var kept []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		kept = append(kept, k, v)
		if v.Kind != yaml.ScalarNode || v.Style != 0 || !unclosed(v.Value) {
			continue
		}
		parts := []string{v.Value}
		j := i + 2
		for ; j+1 < len(m.Content); j += 2 {
			pk, pv := m.Content[j], m.Content[j+1]
			if _, ok := known[pk.Value]; ok || pk.Kind != yaml.ScalarNode || pv.Tag != "!!null" {
				break
			}
			parts = append(parts, pk.Value)
			if !unclosed(strings.Join(parts, ", ")) {
				j += 2
				break
			}
		}
		if len(parts) == 1 {
			continue
		}
		whole := strings.Join(parts, ", ")
		d.errorf(v, "the value of %q is cut at a comma, which ends a value in a {...} mapping; quote it: %s: %q", k.Value, k.Value, whole)
		kept = kept[:len(kept)-1]
		kept = append(kept, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "0", Line: v.Line, Column: v.Column, Style: yaml.DoubleQuotedStyle})
		i = j - 2
	}
	c := *m
	c.Content = kept
	return &c
}

// unclosed reports whether text opens more brackets than it closes.
func unclosed(text string) bool {
	depth := 0
	for _, r := range text {
		switch r {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		}
	}
	return depth > 0
}

func didYouMeanKey(key string, keys []string) string {
	for _, k := range keys {
		if editDistance(key, k) <= 2 {
			return fmt.Sprintf(" (did you mean %q?)", k)
		}
	}
	return ""
}

func (d *decoder) str(n *yaml.Node, what string, dst *string) {
	if n = d.node(n); n == nil {
		return
	}
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, "expected text for %s but found %s", what, kindName(n))
		return
	}
	if n.Tag == "!!null" {
		return
	}
	*dst = n.Value
}

func (d *decoder) number(n *yaml.Node, what string) (float64, bool) {
	if n = d.node(n); n == nil {
		return 0, false
	}
	if n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float") {
		v, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			return v, true
		}
		if err != nil {
			var x int64
			if e2 := n.Decode(&x); e2 == nil { // 0x10, 0o17 and the like
				return float64(x), true
			}
		}
	}
	d.errorf(n, "expected a finite number for %s but found %s", what, kindName(n))
	return 0, false
}

func (d *decoder) boolean(n *yaml.Node, what string, dst *bool) {
	if n = d.node(n); n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		if err := n.Decode(dst); err == nil {
			return
		}
	}
	d.errorf(n, "expected true or false for %s but found %s", what, kindName(n))
}

func (d *decoder) names(n *yaml.Node, what string) []string {
	if n = d.node(n); n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "expected a list of names for %s but found %s", what, kindName(n))
		return nil
	}
	var out []string
	for _, c := range n.Content {
		if c = d.node(c); c == nil {
			return out
		}
		if c.Kind != yaml.ScalarNode || c.Tag == "!!null" {
			d.errorf(c, "expected a name in %s but found %s", what, kindName(c))
			continue
		}
		out = append(out, c.Value)
	}
	return out
}

// equation decodes a scalar holding an equation.
func (d *decoder) equation(n *yaml.Node, what string) Equation {
	if n = d.node(n); n == nil {
		return Equation{}
	}
	if n.Kind == yaml.ScalarNode && (n.Tag == "!!null" || strings.TrimSpace(n.Value) == "") {
		return Equation{} // Validate reports the missing equation
	}
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, "expected an equation for %s but found %s", what, kindName(n))
		return Equation{}
	}
	pos, indent := d.pos(n), 0
	switch n.Style {
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		pos.Col++
	case yaml.LiteralStyle, yaml.FoldedStyle:
		// The text starts on the line after the indicator, indented.
		pos.Line++
		if pos.Line-1 < len(d.lines) {
			line := d.lines[pos.Line-1]
			indent = len(line) - len(bytes.TrimLeft(line, " "))
		}
		pos.Col = indent + 1
	}
	eq, err := NewEquation(n.Value, pos, indent)
	if err != nil {
		d.errs.Append(err)
	}
	return eq
}

func (d *decoder) model(n *yaml.Node, m *Model) {
	d.fields(n, "the model", map[string]func(*yaml.Node){
		"name": func(v *yaml.Node) { d.str(v, "name", &m.Name) },
		"doc":  func(v *yaml.Node) { d.str(v, "doc", &m.Doc) },
		"time": func(v *yaml.Node) { d.time(v, &m.Time) },
		"dimensions": func(v *yaml.Node) {
			d.mapping(v, "dimensions", true, func(name string, k, v *yaml.Node) {
				mark := len(d.errs)
				dim := d.dimension(name, k, v)
				m.Dimensions = append(m.Dimensions, dim)
				d.hush(dim.Pos, mark)
			})
		},
		"stocks":      func(v *yaml.Node) { d.vars(v, Stock, m) },
		"flows":       func(v *yaml.Node) { d.vars(v, Flow, m) },
		"auxiliaries": func(v *yaml.Node) { d.vars(v, Aux, m) },
		"lookups":     func(v *yaml.Node) { d.lookups(v, m) },
		"scenarios": func(v *yaml.Node) {
			d.mapping(v, "scenarios", true, func(name string, k, v *yaml.Node) {
				m.Scenarios = append(m.Scenarios, d.scenario(name, k, v))
			})
		},
		"loops": func(v *yaml.Node) {
			d.mapping(v, "loops", true, func(name string, k, v *yaml.Node) {
				m.Loops = append(m.Loops, d.loop(name, k, v))
			})
		},
		"units": func(v *yaml.Node) {
			d.mapping(v, "units", false, func(name string, k, v *yaml.Node) {
				m.Units = append(m.Units, d.unitDef(name, k, v))
			})
		},
		"modules": func(v *yaml.Node) {
			d.mapping(v, "modules", true, func(name string, k, v *yaml.Node) {
				d.modules = append(d.modules, d.module(name, k, v))
			})
		},
		"models": func(v *yaml.Node) {
			d.mapping(v, "models", true, func(name string, k, v *yaml.Node) {
				if d.models == nil {
					d.models = make(map[string]*yamlModel)
				}
				d.models[Canonical(name)] = &yamlModel{name: name, node: v, pos: d.pos(k)}
			})
		},
		"macros": func(v *yaml.Node) {
			d.mapping(v, "macros", true, func(name string, k, v *yaml.Node) {
				d.macros = append(d.macros, d.macro(name, k, v))
			})
		},
	})
}

// lookups decodes a lookups section into m.
func (d *decoder) lookups(n *yaml.Node, m *Model) {
	d.mapping(n, "lookups", true, func(name string, k, v *yaml.Node) {
		mark := len(d.errs)
		if l := d.lookup(v, fmt.Sprintf("lookup %q", name)); l != nil {
			l.Name, l.Pos = name, d.pos(k)
			m.Lookups = append(m.Lookups, l)
			d.hush(l.Pos, mark)
		}
	})
}

// unitDef decodes one entry of the units section: name: equation, or name:
// {equation: ..., aliases: [...], doc: ...}.
func (d *decoder) unitDef(name string, k, n *yaml.Node) *UnitDef {
	u := &UnitDef{Name: name, Pos: d.pos(k)}
	what := fmt.Sprintf("unit %q", name)
	if n = d.node(n); n == nil {
		return u
	}
	if n.Kind == yaml.ScalarNode {
		d.str(n, what, &u.Equation)
		return u
	}
	d.fields(n, what, map[string]func(*yaml.Node){
		"equation": func(v *yaml.Node) { d.str(v, "equation", &u.Equation) },
		"aliases":  func(v *yaml.Node) { u.Aliases = d.names(v, what+" aliases") },
		"doc":      func(v *yaml.Node) { d.str(v, "doc", &u.Doc) },
	})
	return u
}

func (d *decoder) time(n *yaml.Node, t *Time) {
	if n = d.node(n); n == nil {
		return
	}
	t.Pos = d.pos(n)
	hasStop := false
	num := func(dst *float64, what string) func(*yaml.Node) {
		return func(v *yaml.Node) {
			if x, ok := d.number(v, what); ok {
				*dst = x
			} else {
				d.hush(t.Pos, -1) // checks of the time settings would mislead
			}
		}
	}
	d.fields(n, "time", map[string]func(*yaml.Node){
		"start":      num(&t.Start, "start"),
		"stop":       func(v *yaml.Node) { hasStop = true; num(&t.Stop, "stop")(v) },
		"dt":         num(&t.DT, "dt"),
		"save_every": num(&t.SaveEvery, "save_every"),
		"units":      func(v *yaml.Node) { d.str(v, "units", &t.Units) },
		"method": func(v *yaml.Node) {
			var s string
			d.str(v, "method", &s)
			if s == "" {
				return
			}
			m, err := ParseMethod(s)
			if err != nil {
				d.errorf(v, "%v", err)
				return
			}
			t.Method = m
		},
	})
	if n.Kind == yaml.MappingNode && !hasStop {
		d.errorf(n, "time has no stop")
	}
}

// vars decodes the stocks, flows or auxiliaries section.
func (d *decoder) vars(n *yaml.Node, kind Kind, m *Model) {
	section := map[Kind]string{Stock: "stocks", Flow: "flows", Aux: "auxiliaries"}[kind]
	d.mapping(n, section, true, func(name string, k, v *yaml.Node) {
		vr := &Variable{Kind: kind, Name: name, Pos: d.pos(k)}
		m.Vars = append(m.Vars, vr)
		what := fmt.Sprintf("%s %q", kind, name)
		if v = d.node(v); v == nil {
			return
		}
		if v.Kind == yaml.ScalarNode {
			// The short form: a stock's initial value or an equation.
			vr.Equation = d.equation(v, what)
			return
		}
		eqKey := "equation"
		if kind == Stock {
			eqKey = "initial"
		}
		known := map[string]func(*yaml.Node){
			eqKey:   func(v *yaml.Node) { vr.Equation = d.equation(v, what) },
			"units": func(v *yaml.Node) { d.str(v, "units", &vr.Units); vr.UnitsPos = d.textPos(v) },
			"doc":   func(v *yaml.Node) { d.str(v, "doc", &vr.Doc) },
			"label": func(v *yaml.Node) { d.str(v, "label", &vr.Label) },
			"dims":  func(v *yaml.Node) { vr.Dims = d.names(v, "dims") },
			"elements": func(v *yaml.Node) {
				vr.Elements = d.elements(v, what, eqKey, kind != Stock)
			},
			"range": func(v *yaml.Node) {
				mark := len(d.errs)
				vr.Range = d.valueRange(v, what)
				if vr.Range != nil {
					d.hush(vr.Range.Pos, mark)
				}
			},
			"uncertainty": func(v *yaml.Node) { vr.Uncertainty = d.distribution(v, what) },
		}
		switch kind {
		case Stock:
			known["inflows"] = func(v *yaml.Node) { vr.Inflows = d.names(v, "inflows") }
			known["outflows"] = func(v *yaml.Node) { vr.Outflows = d.names(v, "outflows") }
			known["non_negative"] = func(v *yaml.Node) { d.boolean(v, "non_negative", &vr.NonNegative) }
		case Flow:
			known["non_negative"] = func(v *yaml.Node) { d.boolean(v, "non_negative", &vr.NonNegative) }
			known["lookup"] = func(v *yaml.Node) { vr.Lookup = d.lookup(v, what+" lookup") }
			known["initial"] = func(v *yaml.Node) { vr.Initial = d.equation(v, what+" initial") }
		case Aux:
			known["lookup"] = func(v *yaml.Node) { vr.Lookup = d.lookup(v, what+" lookup") }
			known["initial"] = func(v *yaml.Node) { vr.Initial = d.equation(v, what+" initial") }
		}
		d.fields(v, what, known)
	})
}

// valueRange decodes range: [min, max] or [min, max, step].
func (d *decoder) valueRange(n *yaml.Node, what string) *Range {
	if n = d.node(n); n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) < 2 || len(n.Content) > 3 {
		d.errorf(n, "expected [min, max] or [min, max, step] for the range of %s but found %s", what, kindName(n))
		return nil
	}
	r := &Range{Pos: d.pos(n)}
	ok := true
	for i, dst := range []*float64{&r.Min, &r.Max, &r.Step}[:len(n.Content)] {
		x, good := d.number(n.Content[i], []string{"min", "max", "step"}[i])
		*dst, ok = x, ok && good
	}
	if !ok {
		return nil
	}
	return r
}

// distribution decodes uncertainty: DIST(args), positioning a fault at
// its place in the text.
func (d *decoder) distribution(n *yaml.Node, what string) *Distribution {
	var s string
	if d.str(n, "uncertainty", &s); s == "" {
		if n = d.node(n); n != nil && n.Kind == yaml.ScalarNode {
			d.errorf(n, "expected a distribution such as uniform(0.1, 0.3) for the uncertainty of %s but found nothing", what)
		}
		return nil
	}
	pos := d.pos(n)
	if n.Style == yaml.DoubleQuotedStyle || n.Style == yaml.SingleQuotedStyle {
		pos.Col++
	}
	dist, err := ParseDistribution(s)
	if err != nil {
		msg := err.Error()
		var de *DistributionError
		if errors.As(err, &de) {
			msg = fmt.Sprintf("the uncertainty of %s, %q: %s", what, strings.TrimSpace(s), de.Msg)
			if d.verbatim(pos, s) {
				pos.Col += de.Off
			}
		}
		d.errs = append(d.errs, &Error{Pos: pos, Msg: msg, Err: err})
		return nil
	}
	dist.Pos = pos
	return &dist
}

// verbatim reports whether text stands as it is at pos in the file, so
// that an offset in it is an offset in the line.
func (d *decoder) verbatim(pos Position, text string) bool {
	if pos.Line < 1 || pos.Line > len(d.lines) || pos.Col < 1 {
		return false
	}
	line := d.lines[pos.Line-1]
	return pos.Col-1 <= len(line) && bytes.HasPrefix(line[pos.Col-1:], []byte(text))
}

func (d *decoder) lookup(n *yaml.Node, what string) *Lookup {
	if n = d.node(n); n == nil {
		return nil
	}
	l := &Lookup{Pos: d.pos(n)}
	d.fields(n, what, map[string]func(*yaml.Node){
		"dims": func(v *yaml.Node) { l.Dims = d.names(v, "dims") },
		"elements": func(v *yaml.Node) {
			d.mapping(v, what+" elements", false, func(key string, k, v *yaml.Node) {
				el := ElementEquation{Subscripts: splitKey(key), Pos: d.pos(k)}
				el.Lookup = d.lookup(v, fmt.Sprintf("%s element %q", what, key))
				if el.Lookup != nil {
					el.Lookup.Pos = el.Pos
				}
				l.Elements = append(l.Elements, el)
			})
		},
		"points": func(v *yaml.Node) { d.points(v, what, l) },
		"mode": func(v *yaml.Node) {
			var s string
			d.str(v, "mode", &s)
			if s == "" {
				return
			}
			mode, err := ParseLookupMode(s)
			if err != nil {
				d.errorf(v, "%v", err)
				return
			}
			l.Mode = mode
		},
		"units":       func(v *yaml.Node) { d.str(v, "units", &l.Units); l.UnitsPos = d.textPos(v) },
		"input_units": func(v *yaml.Node) { d.str(v, "input_units", &l.InputUnits); l.InputUnitsPos = d.textPos(v) },
		"doc":         func(v *yaml.Node) { d.str(v, "doc", &l.Doc) },
	})
	return l
}

// textPos returns the position of the first character of a scalar's text
// (after an opening quote).
func (d *decoder) textPos(n *yaml.Node) Position {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	p := d.pos(n)
	if n.Style == yaml.DoubleQuotedStyle || n.Style == yaml.SingleQuotedStyle {
		p.Col++
	}
	return p
}

func (d *decoder) points(n *yaml.Node, what string, l *Lookup) {
	if n = d.node(n); n == nil {
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "expected a list of [x, y] points for %s but found %s", what, kindName(n))
		return
	}
	for _, p := range n.Content {
		if p = d.node(p); p == nil {
			return
		}
		if p.Kind != yaml.SequenceNode || len(p.Content) != 2 {
			d.errorf(p, "expected a point [x, y] in %s but found %s", what, kindName(p))
			continue
		}
		x, okx := d.number(p.Content[0], "x")
		y, oky := d.number(p.Content[1], "y")
		if okx && oky {
			l.X = append(l.X, x)
			l.Y = append(l.Y, y)
		}
	}
}

func (d *decoder) scenario(name string, k, n *yaml.Node) *Scenario {
	s := &Scenario{Name: name, Pos: d.pos(k)}
	what := fmt.Sprintf("scenario %q", name)
	d.fields(n, what, map[string]func(*yaml.Node){
		"doc": func(v *yaml.Node) { d.str(v, "doc", &s.Doc) },
		"set": func(v *yaml.Node) {
			d.mapping(v, what+" set", true, func(vn string, k, v *yaml.Node) {
				if x, ok := d.number(v, fmt.Sprintf("%q", vn)); ok {
					s.Set = append(s.Set, Setting{Name: vn, Value: x, Pos: d.pos(k)})
				}
			})
		},
		"lookups": func(v *yaml.Node) {
			d.mapping(v, what+" lookups", true, func(ln string, k, v *yaml.Node) {
				mark := len(d.errs)
				if l := d.lookup(v, fmt.Sprintf("lookup %q in %s", ln, what)); l != nil {
					l.Name, l.Pos = ln, d.pos(k)
					s.Lookups = append(s.Lookups, l)
					d.hush(l.Pos, mark)
				}
			})
		},
	})
	return s
}

func (d *decoder) loop(name string, k, n *yaml.Node) *Loop {
	l := &Loop{Name: name, Pos: d.pos(k)}
	what := fmt.Sprintf("loop %q", name)
	if n = d.node(n); n == nil {
		return l
	}
	if n.Kind == yaml.SequenceNode {
		l.Variables = d.names(n, what)
		return l
	}
	d.fields(n, what, map[string]func(*yaml.Node){
		"doc":       func(v *yaml.Node) { d.str(v, "doc", &l.Doc) },
		"variables": func(v *yaml.Node) { l.Variables = d.names(v, what) },
	})
	return l
}

// dimension decodes one entry of the dimensions section: a list of
// element names, a count of numbered elements, or a mapping.
func (d *decoder) dimension(name string, k, n *yaml.Node) *Dimension {
	dim := &Dimension{Name: name, Pos: d.pos(k)}
	what := fmt.Sprintf("dimension %q", name)
	if n = d.node(n); n == nil {
		return dim
	}
	elements := func(v *yaml.Node) {
		if v = d.node(v); v == nil {
			return
		}
		if v.Kind == yaml.ScalarNode && v.Tag == "!!int" {
			count, ok := d.number(v, what)
			if !ok {
				return
			}
			if count < 1 || count > maxDimension || count != math.Trunc(count) {
				d.errorf(v, "expected a whole number of elements from 1 to %d for %s but found %s", maxDimension, what, kindName(v))
				return
			}
			*dim = *NewIndexedDimension(name, int(count))
			dim.Pos = d.pos(k)
			return
		}
		if v.Kind != yaml.SequenceNode {
			d.errorf(v, "expected a list of elements or a number of elements for %s but found %s", what, kindName(v))
			return
		}
		for _, c := range v.Content {
			if c = d.node(c); c == nil {
				return
			}
			if c.Kind != yaml.ScalarNode || c.Tag == "!!null" {
				d.errorf(c, "expected an element name in %s but found %s", what, kindName(c))
				continue
			}
			dim.Elements = append(dim.Elements, c.Value)
			dim.ElementPos = append(dim.ElementPos, d.pos(c))
		}
	}
	if n.Kind != yaml.MappingNode {
		elements(n)
		return dim
	}
	d.fields(n, what, map[string]func(*yaml.Node){
		"elements": elements,
		"of":       func(v *yaml.Node) { d.str(v, "of", &dim.Of) },
		"doc":      func(v *yaml.Node) { d.str(v, "doc", &dim.Doc) },
		"maps_to": func(v *yaml.Node) {
			if v = d.node(v); v == nil {
				return
			}
			if v.Kind == yaml.MappingNode {
				// {b: [b2, b1]}: each element's counterpart in b.
				d.mapping(v, what+" maps_to", true, func(to string, k, els *yaml.Node) {
					dim.Maps = append(dim.Maps, DimensionMap{To: to, Elements: d.names(els, what+" maps_to "+to), Pos: d.pos(k)})
				})
				return
			}
			for _, to := range d.names(v, what+" maps_to") {
				dim.Maps = append(dim.Maps, DimensionMap{To: to, Pos: d.pos(v)})
			}
		},
	})
	return dim
}

// maxDimension is the most elements a dimension may have.
const maxDimension = maxElements

// elements decodes the per-element equations of an arrayed variable: a
// mapping from "e1" or "e1, e2" to an equation or, where withLookup, to
// a mapping of the equation (under eqKey) and a lookup.
func (d *decoder) elements(n *yaml.Node, what, eqKey string, withLookup bool) []ElementEquation {
	var out []ElementEquation
	d.mapping(n, what+" elements", false, func(key string, k, v *yaml.Node) {
		el := ElementEquation{Subscripts: splitKey(key), Pos: d.pos(k)}
		ew := fmt.Sprintf("%s element %q", what, key)
		if v = d.node(v); v == nil {
			return
		}
		if v.Kind == yaml.ScalarNode || !withLookup {
			el.Equation = d.equation(v, ew)
		} else {
			d.fields(v, ew, map[string]func(*yaml.Node){
				eqKey:    func(v *yaml.Node) { el.Equation = d.equation(v, ew) },
				"lookup": func(v *yaml.Node) { el.Lookup = d.lookup(v, ew+" lookup") },
			})
		}
		out = append(out, el)
	})
	return out
}

// splitKey splits an element key "a, b" into its subscripts.
func splitKey(key string) []string {
	parts := strings.Split(key, ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}
