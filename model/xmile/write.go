package xmile

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/expr"
)

// Write writes m as an XMILE 1.0 file that Read reads back to an equal
// model, positions and the white space around text aside (Read trims the
// text of elements).
//
// A model built from parts (m.Parts) is written as its parts: its own
// variables and a <module> for each module, with a <connect> for each
// input, a <model name="..."> for each model the modules place, and a
// <macro> for each macro. XMILE connects a module's input to a variable:
// an input set by another equation is connected to an auxiliary added
// for it, named "input of module".
//
// Variables keep their names as written, spaces and all, in the name
// attributes; a stock's flows are written as XMILE references (spaces as
// underscores); equations are written as their text. A model's doc goes in
// a <doc> of its <model>. A variable's range is an XMILE <range>.
// Scenarios, named loops, range steps, uncertainties and labels, which XMILE has
// no place for, go in elements of stockflow's own namespace, which other
// tools ignore.
func Write(w io.Writer, m *model.Model) error {
	xw := &writer{w: bufio.NewWriter(w)}
	xw.raw(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	root := []string{"version", "1.0", "xmlns", nsXMILE}
	if len(m.Scenarios) > 0 || len(m.Loops) > 0 || ownVariables(m) || ownDimensions(m) {
		root = append(root, "xmlns:stockflow", nsStockflow)
	}
	xw.open("xmile", root...)

	xw.open("header")
	if m.Name != "" {
		xw.leaf("name", m.Name)
	}
	xw.leaf("vendor", "stockflow")
	xw.leaf("product", "stockflow", "version", "devel", "lang", "en")
	if p := m.Parts; p != nil && (len(p.Modules) > 0 || len(p.Macros) > 0) {
		// The optional features the file uses, as XMILE asks.
		xw.open("options")
		if len(p.Modules) > 0 {
			xw.leaf("uses_submodels", "")
		}
		if len(p.Macros) > 0 {
			xw.leaf("uses_macros", "", "recursive_macros", "false", "option_filters", "false")
		}
		xw.close("options")
	}
	xw.close("header")

	t := m.Time
	var specs []string
	if t.Method != 0 {
		specs = append(specs, "method", t.Method.String())
	}
	if t.Units != "" {
		specs = append(specs, "time_units", t.Units)
	}
	if t.SaveEvery != 0 {
		specs = append(specs, "savestep", number(t.SaveEvery))
	}
	xw.open("sim_specs", specs...)
	xw.leaf("start", number(t.Start))
	xw.leaf("stop", number(t.Stop))
	xw.leaf("dt", number(t.DT))
	xw.close("sim_specs")

	if len(m.Units) > 0 {
		xw.open("model_units")
		for _, u := range m.Units {
			xw.open("unit", "name", u.Name)
			if u.Equation != "" {
				xw.leaf("eqn", u.Equation)
			}
			for _, a := range u.Aliases {
				xw.leaf("alias", a)
			}
			if u.Doc != "" {
				xw.leaf("doc", u.Doc)
			}
			xw.close("unit")
		}
		xw.close("model_units")
	}

	if len(m.Dimensions) > 0 {
		xw.open("dimensions")
		for _, d := range m.Dimensions {
			xw.dimension(d)
		}
		xw.close("dimensions")
	}

	var subs []model.NamedModel
	if m.Parts != nil {
		subs = model.PartModels(m)
	}
	xw.open("model")
	xw.modelBody(m, subs)
	if len(m.Scenarios) > 0 {
		xw.open("stockflow:scenarios")
		for _, s := range m.Scenarios {
			xw.open("stockflow:scenario", "name", s.Name)
			if s.Doc != "" {
				xw.leaf("stockflow:doc", s.Doc)
			}
			for _, set := range s.Set {
				xw.leaf("stockflow:set", "", "name", set.Name, "value", number(set.Value))
			}
			for _, l := range s.Lookups {
				xw.gf("stockflow:gf", l, "name", l.Name)
			}
			xw.close("stockflow:scenario")
		}
		xw.close("stockflow:scenarios")
	}
	if len(m.Loops) > 0 {
		xw.open("stockflow:loops")
		for _, l := range m.Loops {
			xw.open("stockflow:loop", "name", l.Name)
			if l.Doc != "" {
				xw.leaf("stockflow:doc", l.Doc)
			}
			for _, v := range l.Variables {
				xw.leaf("stockflow:var", v)
			}
			xw.close("stockflow:loop")
		}
		xw.close("stockflow:loops")
	}
	xw.close("model")
	for _, sub := range subs {
		xw.submodel(sub, subs)
	}
	for _, mac := range allMacros(m, subs, xw) {
		xw.macro(mac)
	}
	xw.close("xmile")
	if xw.err != nil {
		return xw.err
	}
	return xw.w.Flush()
}

// ownVariables reports whether a variable needs stockflow's elements: a
// range step, an uncertainty or a label, which XMILE has no place for.
func ownVariables(m *model.Model) bool {
	for _, v := range m.Vars {
		if v.Uncertainty != nil || (v.Range != nil && v.Range.Step != 0) || v.Label != "" {
			return true
		}
	}
	return false
}

var kindTags = map[model.Kind]string{model.Stock: "stock", model.Flow: "flow", model.Aux: "aux"}

func (xw *writer) variable(v *model.Variable) {
	tag := kindTags[v.Kind]
	if tag == "" {
		xw.fail(fmt.Errorf("xmile: variable %q is of unknown kind %v", v.Name, v.Kind))
		return
	}
	xw.open(tag, "name", v.Name)
	if v.Doc != "" {
		xw.leaf("doc", v.Doc)
	}
	xw.dims(v.Dims)
	if text := equationText(v.Equation); text != "" {
		xw.leaf("eqn", text)
	}
	for _, el := range v.Elements {
		xw.open("element", "subscript", strings.Join(el.Subscripts, ", "))
		if text := equationText(el.Equation); text != "" {
			xw.leaf("eqn", text)
		}
		if el.Lookup != nil && v.Kind != model.Stock {
			xw.gf("gf", el.Lookup)
		}
		xw.close("element")
	}
	if text := equationText(v.Initial); text != "" && v.Kind != model.Stock {
		xw.leaf("init_eqn", text)
	}
	for _, f := range v.Inflows {
		xw.leaf("inflow", reference(f))
	}
	for _, f := range v.Outflows {
		xw.leaf("outflow", reference(f))
	}
	if v.NonNegative && v.Kind != model.Aux {
		xw.leaf("non_negative", "")
	}
	if v.Lookup != nil && v.Kind != model.Stock {
		xw.gf("gf", v.Lookup)
	}
	if v.Units != "" {
		xw.leaf("units", v.Units)
	}
	if r := v.Range; r != nil {
		xw.leaf("range", "", "min", number(r.Min), "max", number(r.Max))
		if r.Step != 0 {
			xw.leaf("stockflow:step", number(r.Step))
		}
	}
	if v.Uncertainty != nil {
		xw.leaf("stockflow:uncertainty", v.Uncertainty.String())
	}
	if v.Label != "" {
		xw.leaf("stockflow:label", v.Label)
	}
	xw.close(tag)
}

// ownDimensions reports whether a dimension needs stockflow's elements: a
// subrange's parent or a mapping, which XMILE has no place for.
func ownDimensions(m *model.Model) bool {
	for _, d := range m.Dimensions {
		if d.Of != "" || len(d.Maps) > 0 {
			return true
		}
	}
	return false
}

// dimension writes a <dim>: its size when its elements are numbered, else
// its elements; a subrange's parent and the mappings in stockflow's own
// elements.
func (xw *writer) dimension(d *model.Dimension) {
	if d.Indexed && d.Of == "" && len(d.Maps) == 0 {
		xw.leaf("dim", "", "name", d.Name, "size", strconv.Itoa(d.Size()))
		return
	}
	xw.open("dim", "name", d.Name)
	for _, e := range d.Elements {
		xw.leaf("elem", "", "name", e)
	}
	if d.Of != "" {
		xw.leaf("stockflow:of", d.Of)
	}
	for _, mp := range d.Maps {
		xw.leaf("stockflow:map", strings.Join(mp.Elements, ", "), "to", mp.To)
	}
	xw.close("dim")
}

// dims writes a variable's <dimensions>.
func (xw *writer) dims(names []string) {
	if len(names) == 0 {
		return
	}
	xw.open("dimensions")
	for _, n := range names {
		xw.leaf("dim", "", "name", n)
	}
	xw.close("dimensions")
}

// arrayedGF writes a named lookup with a table per element as a <gf> with
// <dimensions> and an <element> per table, as an arrayed variable holds
// them.
func (xw *writer) arrayedGF(l *model.Lookup) {
	xw.open("gf", "name", l.Name)
	xw.dims(l.Dims)
	for _, el := range l.Elements {
		xw.open("element", "subscript", strings.Join(el.Subscripts, ", "))
		if el.Lookup != nil {
			xw.gf("gf", el.Lookup)
		}
		xw.close("element")
	}
	xw.close("gf")
}

// equationText returns the text to write for an equation: its own, or the
// printed form of a tree built by a program.
func equationText(eq model.Equation) string {
	if s := strings.TrimSpace(eq.Text); s != "" || eq.Expr == nil {
		return s
	}
	return expr.Format(eq.Expr)
}

// reference writes a variable's name as XMILE equations refer to it: with
// underscores for spaces, in quotes when it needs them.
func reference(name string) string {
	return expr.Format(&expr.Ident{Name: strings.ReplaceAll(name, " ", "_")})
}

// gf writes a graphical function with the given tag and attributes.
func (xw *writer) gf(tag string, l *model.Lookup, attrs ...string) {
	if l.Mode != model.Continuous {
		attrs = append(attrs, "type", l.Mode.String())
	}
	prefix := ""
	if p, _, ok := strings.Cut(tag, ":"); ok {
		prefix = p + ":"
	}
	xw.open(tag, attrs...)
	if l.Doc != "" {
		xw.leaf(prefix+"doc", l.Doc)
	}
	xw.leaf(prefix+"xpts", numbers(l.X))
	xw.leaf(prefix+"ypts", numbers(l.Y))
	if l.Units != "" {
		xw.leaf(prefix+"units", l.Units)
	}
	xw.close(tag)
}

// number formats x so that strconv.ParseFloat reads it back exactly.
func number(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func numbers(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = number(x)
	}
	return strings.Join(s, ",")
}

// writer writes indented XML, remembering the first error.
type writer struct {
	w     *bufio.Writer
	depth int
	err   error
}

func (xw *writer) fail(err error) {
	if xw.err == nil {
		xw.err = err
	}
}

func (xw *writer) raw(s string) {
	if xw.err == nil {
		_, err := xw.w.WriteString(s)
		xw.fail(err)
	}
}

// start writes an indented start tag with attributes given as name, value
// pairs, without its closing '>'.
func (xw *writer) start(tag string, attrs []string) {
	xw.raw(strings.Repeat("\t", xw.depth) + "<" + tag)
	for i := 0; i+1 < len(attrs); i += 2 {
		xw.raw(" " + attrs[i] + `="` + xw.escape(attrs[i+1], true) + `"`)
	}
}

func (xw *writer) open(tag string, attrs ...string) {
	xw.start(tag, attrs)
	xw.raw(">\n")
	xw.depth++
}

func (xw *writer) close(tag string) {
	xw.depth--
	xw.raw(strings.Repeat("\t", xw.depth) + "</" + tag + ">\n")
}

// leaf writes an element holding only text, without the white space
// around it, which Read drops; an empty one is self-closing.
func (xw *writer) leaf(tag, text string, attrs ...string) {
	text = strings.TrimSpace(text)
	xw.start(tag, attrs)
	if text == "" {
		xw.raw("/>\n")
		return
	}
	xw.raw(">" + xw.escape(text, false) + "</" + tag + ">\n")
}

// escape escapes text for XML character data or, when attr is set, an
// attribute value, where line breaks and tabs must be escaped too to
// survive. A character XML cannot hold is an error.
func (xw *writer) escape(s string, attr bool) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"' && attr:
			b.WriteString("&quot;")
		case r == '\r' || attr && (r == '\n' || r == '\t'):
			fmt.Fprintf(&b, "&#x%X;", r)
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			xw.fail(fmt.Errorf("xmile: cannot write %q: it is not valid UTF-8", s))
			return ""
		case !isXMLChar(r):
			xw.fail(fmt.Errorf("xmile: cannot write %q: XML cannot hold the character %U", s, r))
			return ""
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isXMLChar reports whether XML 1.0 allows the character r.
func isXMLChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
