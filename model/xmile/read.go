package xmile

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/expr"
)

// ErrUnsupported is the underlying error of every *model.Error that reports
// an XMILE construct stockflow cannot simulate (arrays, modules, macros,
// conveyors, queues, ovens, ...). Test for it with errors.Is.
var ErrUnsupported = errors.New("xmile: unsupported construct")

// ReadFile reads an XMILE model file (.xmile, .stmx, .itmx).
func ReadFile(path string) (*model.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(path, f)
}

// Read reads an XMILE model from r. file names the source in error
// positions. The error, if any, is a model.ErrorList holding every
// independent problem found, each at file:line:col; problems of reading r
// itself are returned as they are.
func Read(file string, r io.Reader) (*model.Model, error) {
	src, err := model.ReadSource(file, r)
	if err != nil {
		return nil, err
	}
	doc, errs := parse(file, src)
	if doc == nil || doc.root == nil {
		return nil, errs.Err()
	}
	rd := &reader{doc: doc, errs: errs, quiet: make(map[model.Position]bool)}
	m := rd.read()
	// Validate what was read, leaving out what it would say again about
	// parts that already failed to read.
	var verrs model.ErrorList
	verrs.Append(m.Validate())
	for _, e := range verrs {
		if !rd.quiet[e.Pos] {
			rd.errs = append(rd.errs, e)
		}
	}
	if err := rd.errs.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

// reader turns a document into a model.
type reader struct {
	doc  *document
	errs model.ErrorList
	m    *model.Model

	specs             *element // the first <sim_specs>
	hasStart, hasStop bool

	fileBehavior, modelBehavior behavior
	// nonNegative holds what each stock's or flow's own <non_negative>
	// says, when it says something.
	nonNegative map[*model.Variable]bool
	// lookupRefs are variables whose <gf name="..."/> names a graphical
	// function defined elsewhere.
	lookupRefs []lookupRef
	// sliderRefs are the sliders and knobs of the views, by the variable
	// they set.
	sliderRefs []sliderRef
	// quiet holds the positions of what failed to read, where Validate's
	// findings would only repeat the failure.
	quiet map[model.Position]bool
	// vensim is true for a file Vensim (or xmutil, from a Vensim model)
	// wrote, whose INT is Vensim's INTEGER.
	vensim bool

	// defs holds the submodels (<model name="...">) by canonical name;
	// flat, each one read and with its own modules expanded.
	defs map[string]*element
	flat map[string]*model.Model
	// modules are the <module>s of the model being read.
	modules []moduleRef
}

// behavior is a <behavior> block: nil for what it does not set.
type behavior struct{ all, stock, flow *bool }

type sliderRef struct {
	name     string
	el       *element
	min, max string
}

type lookupRef struct {
	v    *model.Variable
	name string
	pos  model.Position
}

func (rd *reader) pos(e *element) model.Position { return rd.doc.position(e.pos) }

func (rd *reader) errorf(e *element, format string, args ...any) {
	rd.errs.Add(rd.pos(e), format, args...)
}

// hush marks pos quiet if errors were reported since there were mark of
// them.
func (rd *reader) hush(pos model.Position, mark int) {
	if len(rd.errs) > mark {
		rd.quiet[pos] = true
	}
}

// unsupported reports a construct stockflow cannot simulate.
func (rd *reader) unsupported(e *element, format string, args ...any) {
	rd.errs = append(rd.errs, &model.Error{Pos: rd.pos(e), Msg: fmt.Sprintf(format, args...), Err: ErrUnsupported})
}

// unknown reports an element Read does not know where it is.
func (rd *reader) unknown(e *element) {
	rd.errorf(e, "unknown element %s in %s", e.tag(), e.parent.tag())
}

// trimmed returns the text of an element that holds only text, trimmed,
// and the position of its first non-blank character.
func (rd *reader) trimmed(e *element) (string, model.Position) {
	for _, c := range e.children {
		if !c.vendor() {
			rd.unknown(c)
			break
		}
	}
	lead, s := trim(e.text.s)
	if s == "" {
		return "", rd.pos(e)
	}
	return s, rd.doc.position(e.text.srcOffset(lead))
}

// trim returns s without the white space around it, and the length of
// what it cut off at the start.
func trim(s string) (lead int, trimmed string) {
	t := strings.TrimLeftFunc(s, unicode.IsSpace)
	return len(s) - len(t), strings.TrimRightFunc(t, unicode.IsSpace)
}

// displayName returns a name as Read keeps it: XMILE's \n (a line break in
// a diagram label) and real line breaks become spaces.
func displayName(s string) string {
	s = strings.ReplaceAll(s, `\n`, " ")
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

// Elements whose meaning is display, layout or vendor bookkeeping, which
// Read ignores on purpose.
var (
	ignoredTop      = set("style", "default_format", "equation_prefs", "prefs")
	ignoredModel    = set("views", "display", "interface")
	ignoredVariable = set("display", "event_poster", "scale", "format")
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

func (rd *reader) read() *model.Model {
	root := rd.doc.root
	rd.m = &model.Model{File: rd.doc.file, Time: model.Time{DT: 1, Method: model.Euler}}
	rd.nonNegative = make(map[*model.Variable]bool)
	if root.name != "xmile" {
		rd.errorf(root, "expected <xmile> as the root element but found %s", root.tag())
		return rd.m
	}
	var models, macros []*element
	for _, c := range root.children {
		if c.vendor() {
			continue
		}
		switch {
		case c.name == "header":
			rd.header(c)
		case c.name == "sim_specs":
			rd.simSpecs(c)
		case c.name == "behavior":
			rd.behavior(c, &rd.fileBehavior)
		case c.name == "dimensions":
			rd.dimensions(c)
		case c.name == "model_units":
			rd.modelUnits(c)
		case c.name == "model":
			models = append(models, c)
		case c.name == "macro":
			macros = append(macros, c)
		case c.name == "data":
			rd.unsupported(c, "data import and export are not supported (%s)", c.tag())
		case ignoredTop[c.name]:
		default:
			rd.unknown(c)
		}
	}
	// The root model is the one without a name, or the only one; the
	// others are submodels of modules.
	var main *element
	for _, c := range models {
		if _, named := c.attr("name"); !named && main == nil {
			main = c
		}
	}
	if main == nil && len(models) > 0 {
		main = models[0]
	}
	if main == nil {
		rd.errorf(root, "the file has no <model>")
		return rd.m
	}
	rd.defs, rd.flat = make(map[string]*element), make(map[string]*model.Model)
	for _, c := range models {
		if c != main {
			name, _ := c.attr("name")
			c2 := model.Canonical(displayName(name))
			if prev := rd.defs[c2]; prev != nil {
				rd.errorf(c, "duplicate <model name=%q> (the first is at %s)", name, rd.pos(prev))
				continue
			}
			rd.defs[c2] = c
		}
	}
	rd.model(main)
	switch {
	case rd.specs == nil:
		rd.errorf(root, "the file has no <sim_specs>")
	case !rd.hasStart:
		rd.errorf(rd.specs, "<sim_specs> has no <start>")
	case !rd.hasStop:
		rd.errorf(rd.specs, "<sim_specs> has no <stop>")
	}
	rd.finish()
	if len(rd.modules) > 0 || len(macros) > 0 {
		rd.m.Parts = model.SnapshotParts(rd.m)
	}
	rd.expand(rd.m, rd.modules, nil)
	rd.expandMacros(macros)
	return rd.m
}

// modelUnits reads the unit definitions of <model_units>: each <unit> with
// its name, <eqn> and <alias> names. A disabled unit is left out, as the
// standard asks (section 2.4), and so is anything without a name.
func (rd *reader) modelUnits(e *element) {
	for _, c := range e.children {
		if c.vendor() {
			continue
		}
		name, _ := c.attr("name")
		if c.name != "unit" || strings.TrimSpace(name) == "" {
			continue // older Stella files hold unnamed <units> here, which define nothing
		}
		if d, _ := c.attr("disabled"); strings.EqualFold(strings.TrimSpace(d), "true") {
			continue
		}
		u := &model.UnitDef{Name: strings.TrimSpace(name), Pos: rd.pos(c)}
		for _, k := range c.children {
			if k.vendor() {
				continue
			}
			switch k.name {
			case "eqn":
				u.Equation, _ = rd.trimmed(k)
			case "alias":
				if a, _ := rd.trimmed(k); a != "" {
					u.Aliases = append(u.Aliases, a)
				}
			case "doc":
				u.Doc, _ = rd.trimmed(k)
			default:
				rd.unknown(k)
			}
		}
		rd.m.Units = append(rd.m.Units, u)
	}
}

func (rd *reader) header(e *element) {
	for _, c := range e.children {
		if c.vendor() {
			continue
		}
		switch c.name {
		case "name":
			rd.m.Name, _ = rd.trimmed(c)
		case "product", "vendor":
			s, _ := rd.trimmed(c)
			if strings.Contains(s, "Vensim") || strings.Contains(s, "Ventana") {
				rd.vensim = true
			}
		case "includes":
			rd.unsupported(c, "included files are not supported (%s)", c.tag())
		}
		// The rest of the header (vendor, product, options, dates, ...)
		// describes the file, not the model.
	}
}

// simSpecs reads time settings: those of the file, and then those of the
// root model, which override them.
func (rd *reader) simSpecs(e *element) {
	t := &rd.m.Time
	if rd.specs != nil && rd.specs.parent == e.parent {
		rd.errorf(e, "duplicate <sim_specs> (the first is at %s)", rd.pos(rd.specs))
		return
	}
	if rd.specs == nil {
		rd.specs, t.Pos = e, rd.pos(e)
	}
	defer rd.hush(t.Pos, len(rd.errs))
	if s, ok := e.attr("method"); ok && strings.TrimSpace(s) != "" {
		m, err := model.ParseMethod(strings.TrimSpace(s))
		if err != nil {
			rd.unsupported(e, "integration method %q is not supported (expected Euler, RK2 or RK4)", s)
		} else {
			t.Method = m
		}
	}
	if s, ok := e.attr("time_units"); ok {
		t.Units = strings.TrimSpace(s)
	}
	for _, name := range []string{"savestep", "save_step"} {
		if s, ok := e.attr(name); ok {
			x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x <= 0 {
				rd.errorf(e, "expected a positive number for the %s attribute of <sim_specs> but found %s", name, describe(s))
				continue
			}
			t.SaveEvery = x
		}
	}
	for _, c := range e.children {
		if c.vendor() {
			continue
		}
		switch c.name {
		case "start":
			rd.hasStart = true
			if x, ok := rd.number(c); ok {
				t.Start = x
			}
		case "stop":
			rd.hasStop = true
			if x, ok := rd.number(c); ok {
				t.Stop = x
			}
		case "dt":
			x, ok := rd.number(c)
			if !ok {
				continue
			}
			if r, _ := c.attr("reciprocal"); strings.EqualFold(strings.TrimSpace(r), "true") {
				if x <= 0 {
					rd.errorf(c, "expected a positive reciprocal of dt but found %g", x)
					continue
				}
				x = 1 / x
			}
			t.DT = x
		case "savestep", "save_step":
			if x, ok := rd.number(c); ok {
				t.SaveEvery = x
			}
		default:
			rd.unknown(c)
		}
	}
}

// number reads an element holding a finite number.
func (rd *reader) number(e *element) (float64, bool) {
	s, pos := rd.trimmed(e)
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		rd.errs.Add(pos, "expected a finite number in %s but found %s", e.tag(), describe(s))
		return 0, false
	}
	return x, true
}

// boolean reads a flag such as <non_negative/>: empty means true.
func (rd *reader) boolean(e *element) (bool, bool) {
	s, pos := rd.trimmed(e)
	switch {
	case s == "" || strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	rd.errs.Add(pos, "expected nothing, true or false in %s but found %s", e.tag(), describe(s))
	return false, false
}

func (rd *reader) behavior(e *element, b *behavior) {
	flag := func(c *element, dst **bool) {
		if v, ok := rd.boolean(c); ok {
			*dst = &v
		}
	}
	for _, c := range e.children {
		if c.vendor() {
			continue
		}
		switch c.name {
		case "non_negative":
			flag(c, &b.all)
		case "stock", "flow":
			dst := &b.stock
			if c.name == "flow" {
				dst = &b.flow
			}
			for _, cc := range c.children {
				switch {
				case cc.vendor():
				case cc.name == "non_negative":
					flag(cc, dst)
				default:
					rd.unknown(cc)
				}
			}
		default:
			rd.unknown(c)
		}
	}
}

// dimensions reads the model's <dimensions>: each <dim> has a size
// (elements 1 to size) or named <elem>s.
func (rd *reader) dimensions(e *element) {
	rd.eachDim(e, func(c *element, name string) {
		d := &model.Dimension{Name: displayName(name), Pos: rd.pos(c)}
		mark := len(rd.errs)
		for _, el := range c.children {
			if el.vendor() {
				continue
			}
			if el.space == nsStockflow && el.name == "of" {
				d.Of, _ = rd.trimmed(el)
				continue
			}
			if el.space == nsStockflow && el.name == "map" {
				mp := model.DimensionMap{Pos: rd.pos(el)}
				mp.To, _ = el.attr("to")
				if text, _ := rd.trimmed(el); text != "" {
					for _, x := range strings.Split(text, ",") {
						mp.Elements = append(mp.Elements, strings.TrimSpace(x))
					}
				}
				d.Maps = append(d.Maps, mp)
				continue
			}
			if el.name != "elem" {
				rd.unknown(el)
				continue
			}
			en, ok := el.attr("name")
			if !ok || strings.TrimSpace(en) == "" {
				rd.errorf(el, "<elem> of dimension %q has no name", d.Name)
				continue
			}
			d.Elements = append(d.Elements, displayName(en))
			d.ElementPos = append(d.ElementPos, rd.pos(el))
		}
		if size, ok := c.attr("size"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(size))
			switch {
			case err != nil || n < 1:
				rd.errorf(c, "expected a whole number of elements for the size of dimension %q but found %q", d.Name, size)
			case len(d.Elements) > 0 && len(d.Elements) != n:
				rd.errorf(c, "dimension %q has size %d but lists %d elements", d.Name, n, len(d.Elements))
			case len(d.Elements) == 0:
				pos := d.Pos
				*d = *model.NewIndexedDimension(d.Name, n)
				d.Pos = pos
			}
		}
		rd.m.Dimensions = append(rd.m.Dimensions, d)
		rd.hush(d.Pos, mark)
	})
}

// varDimensions reads a variable's <dimensions>: the names of its
// dimensions, in order.
func (rd *reader) varDimensions(e *element, v *model.Variable) {
	rd.eachDim(e, func(c *element, name string) {
		v.Dims = append(v.Dims, displayName(name))
	})
}

// eachDim calls f for each <dim> of e, a <dimensions>, with its name;
// it reports other elements (vendor ones aside) and a <dim> without a name.
func (rd *reader) eachDim(e *element, f func(c *element, name string)) {
	for _, c := range e.children {
		if c.vendor() {
			continue
		}
		if c.name != "dim" {
			rd.unknown(c)
			continue
		}
		name, ok := c.attr("name")
		if !ok || strings.TrimSpace(name) == "" {
			rd.errorf(c, "<dim> has no name")
			continue
		}
		f(c, name)
	}
}

// element reads an <element subscript="a, b"> of an arrayed variable: its
// equation and graphical function.
func (rd *reader) element(e *element, v *model.Variable, what string) {
	sub, ok := e.attr("subscript")
	if !ok || strings.TrimSpace(sub) == "" {
		rd.errorf(e, "<element> of %s has no subscript", what)
		return
	}
	el := model.ElementEquation{Pos: rd.pos(e)}
	for _, s := range strings.Split(sub, ",") {
		el.Subscripts = append(el.Subscripts, displayName(strings.TrimSpace(s)))
	}
	for _, c := range e.children {
		if c.vendor() {
			continue
		}
		switch c.name {
		case "eqn":
			el.Equation = rd.equation(c)
		case "gf":
			el.Lookup = rd.gf(c)
		default:
			rd.unknown(c)
		}
	}
	v.Elements = append(v.Elements, el)
}

func (rd *reader) model(e *element) {
	for _, c := range e.children {
		if c.vendor() {
			continue
		}
		switch c.name {
		case "sim_specs":
			rd.simSpecs(c)
		case "behavior":
			rd.behavior(c, &rd.modelBehavior)
		case "variables":
			for _, v := range c.children {
				rd.entity(v)
			}
		case "doc":
			rd.m.Doc, _ = rd.trimmed(c)
		case "stock", "flow", "aux", "gf", "module", "group":
			// Files of the drafts of XMILE put the variables directly
			// in the model.
			rd.entity(c)
		case "scenarios":
			rd.scenarios(c)
		case "loops":
			rd.loops(c)
		case "views", "interface":
			rd.sliders(c)
		default:
			if !ignoredModel[c.name] {
				rd.unknown(c)
			}
		}
	}
}

// entity reads one child of <variables>.
func (rd *reader) entity(e *element) {
	if e.vendor() {
		return
	}
	switch e.name {
	case "stock":
		rd.variable(e, model.Stock)
	case "flow":
		rd.variable(e, model.Flow)
	case "aux":
		rd.variable(e, model.Aux)
	case "gf":
		name, ok := e.attr("name")
		if !ok || strings.TrimSpace(name) == "" {
			rd.errorf(e, "a graphical function outside a variable needs a name")
			return
		}
		if e.child("dimensions") != nil {
			// A table per element, as stockflow writes an arrayed
			// lookup.
			tmp := &model.Variable{}
			what := fmt.Sprintf("lookup %q", displayName(name))
			for _, c := range e.children {
				switch {
				case c.vendor():
				case c.name == "dimensions":
					rd.varDimensions(c, tmp)
				case c.name == "element":
					rd.element(c, tmp, what)
				default:
					rd.unknown(c)
				}
			}
			rd.m.Lookups = append(rd.m.Lookups, &model.Lookup{Name: displayName(name), Dims: tmp.Dims, Elements: tmp.Elements, Pos: rd.pos(e)})
			return
		}
		if l := rd.gf(e); l != nil {
			l.Name = displayName(name)
			rd.m.Lookups = append(rd.m.Lookups, l)
		}
	case "module":
		rd.module(e)
	case "group":
		// A group (sector) only lists the entities in it.
	default:
		rd.unknown(e)
	}
}

func (rd *reader) variable(e *element, kind model.Kind) {
	name, ok := e.attr("name")
	if !ok || strings.TrimSpace(name) == "" {
		rd.errorf(e, "%s has no name", e.tag())
		return
	}
	v := &model.Variable{Kind: kind, Name: displayName(name), Pos: rd.pos(e)}
	rd.m.Vars = append(rd.m.Vars, v)
	defer rd.hush(v.Pos, len(rd.errs))
	what := fmt.Sprintf("%s %q", kind, v.Name)
	seen := make(map[string]*element)
	once := func(c *element) bool {
		if prev := seen[c.name]; prev != nil {
			rd.errorf(c, "duplicate %s in %s (the first is at %s)", c.tag(), what, rd.pos(prev))
			return false
		}
		seen[c.name] = c
		return true
	}
	var mathml *element
	var eqns []*element
	for _, c := range e.children {
		if c.name == "eqn" && onlyComment(c.text.s) {
			// Stella writes an input's equation for when the module is
			// not connected as a comment: no equation.
			continue
		}
		if c.vendor() {
			if c.name == "oven" {
				rd.unsupported(c, "ovens are not supported (%s has %s)", what, c.tag())
			}
			continue
		}
		switch {
		case c.name == "eqn":
			eqns = append(eqns, c)
		case c.name == "init_eqn" && kind != model.Stock:
			// The value while the initial values are computed: how
			// xmutil writes Vensim's ACTIVE INITIAL (XMILE 1.0 does
			// not list the element).
			if once(c) {
				v.Initial = rd.equation(c)
			}
		case c.name == "units":
			if once(c) {
				v.Units, v.UnitsPos = rd.trimmed(c)
			}
		case c.name == "doc":
			if once(c) {
				v.Doc, _ = rd.trimmed(c)
			}
		case c.name == "mathml":
			mathml = c
		case c.name == "range":
			if once(c) {
				v.Range = rd.valueRange(c, v.Range)
			}
		case c.name == "step" && c.space == nsStockflow:
			if once(c) {
				if x, ok := rd.number(c); ok {
					if v.Range == nil {
						v.Range = &model.Range{Pos: rd.pos(c)}
					}
					v.Range.Step = x
				}
			}
		case c.name == "label" && c.space == nsStockflow:
			if once(c) {
				v.Label, _ = rd.trimmed(c)
			}
		case c.name == "uncertainty" && c.space == nsStockflow:
			if once(c) {
				text, pos := rd.trimmed(c)
				d, err := model.ParseDistribution(text)
				if err != nil {
					rd.errs.Add(pos, "the uncertainty of %s: %v", what, err)
					continue
				}
				d.Pos = pos
				v.Uncertainty = &d
			}
		case c.name == "dimensions":
			if once(c) {
				rd.varDimensions(c, v)
			}
		case c.name == "element":
			rd.element(c, v, what)
		case (kind == model.Stock || kind == model.Flow) && c.name == "non_negative":
			if once(c) {
				if b, ok := rd.boolean(c); ok {
					rd.nonNegative[v] = b
				}
			}
		case kind == model.Stock && (c.name == "inflow" || c.name == "outflow"):
			s, _ := rd.trimmed(c)
			if s == "" {
				rd.errorf(c, "empty %s in %s", c.tag(), what)
				continue
			}
			if c.name == "inflow" {
				v.Inflows = append(v.Inflows, unquote(s))
			} else {
				v.Outflows = append(v.Outflows, unquote(s))
			}
		case kind == model.Stock && (c.name == "conveyor" || c.name == "queue" || c.name == "oven"):
			rd.unsupported(c, "%ss are not supported (%s has %s)", c.name, what, c.tag())
		case kind == model.Flow && (c.name == "leak" || c.name == "leak_integers"):
			rd.unsupported(c, "conveyor leakage is not supported (%s has %s)", what, c.tag())
		case kind == model.Flow && c.name == "overflow":
			rd.unsupported(c, "queue overflows are not supported (%s has %s)", what, c.tag())
		case kind != model.Stock && c.name == "gf":
			if !once(c) {
				continue
			}
			if ref, ok := c.attr("name"); ok && len(c.children) == 0 {
				rd.lookupRefs = append(rd.lookupRefs, lookupRef{v: v, name: displayName(ref), pos: rd.pos(c)})
				continue
			}
			v.Lookup = rd.gf(c)
		case ignoredVariable[c.name]:
		default:
			rd.unknown(c)
		}
	}
	rd.equations(eqns, v, what)
	if mathml != nil && len(eqns) == 0 {
		rd.unsupported(mathml, "equations in MathML are not supported (%s has %s and no <eqn>)", what, mathml.tag())
	}
}

// equations reads the <eqn>s of a variable: one, or for an arrayed
// variable, one per element in row-major order (as some generators of
// test files write them), or one holding a list of numbers (Vensim's
// 1, 2, 3 and 1, 2; 3, 4), one per element.
func (rd *reader) equations(eqns []*element, v *model.Variable, what string) {
	if len(eqns) == 0 {
		return
	}
	names := rd.m.ElementNames(v)
	if len(v.Dims) == 0 || len(names) == 0 {
		for _, c := range eqns[1:] {
			rd.errorf(c, "duplicate <eqn> in %s (the first is at %s)", what, rd.pos(eqns[0]))
		}
		v.Equation = rd.equation(eqns[0])
		return
	}
	var list []string
	var at []*element
	if len(eqns) == 1 {
		text, _ := rd.trimmed(eqns[0])
		if strings.ContainsAny(text, ",;") {
			for _, row := range strings.Split(strings.TrimRight(text, "; \t\n"), ";") {
				for _, x := range strings.Split(row, ",") {
					list = append(list, strings.TrimSpace(x))
					at = append(at, eqns[0])
				}
			}
			for _, x := range list {
				if _, err := strconv.ParseFloat(x, 64); err != nil {
					list = nil // not a list of numbers: an equation
					break
				}
			}
		}
		if list == nil {
			v.Equation = rd.equation(eqns[0])
			return
		}
	}
	if list == nil {
		at = eqns
	}
	if len(at) != len(names) {
		rd.errorf(eqns[0], "%s has %d elements but %d equations", what, len(names), len(at))
		return
	}
	for i, name := range names {
		_, subs, _ := model.SplitElementName(name)
		el := model.ElementEquation{Subscripts: subs, Pos: rd.pos(at[i])}
		if list != nil {
			_, pos := rd.trimmed(at[i])
			eq, err := model.NewEquation(list[i], pos, 0)
			if err != nil {
				rd.errs.Append(err)
			}
			el.Equation = eq
		} else {
			el.Equation = rd.equation(at[i])
		}
		v.Elements = append(v.Elements, el)
	}
}

// valueRange reads <range min="..." max="..."/> into r (a new Range when r
// is nil, which a <stockflow:step> may have made already).
func (rd *reader) valueRange(e *element, r *model.Range) *model.Range {
	lo, ok1 := rd.scaleAttr(e, "min")
	hi, ok2 := rd.scaleAttr(e, "max")
	if !ok1 || !ok2 {
		return r
	}
	if r == nil {
		r = &model.Range{}
	}
	r.Min, r.Max, r.Pos = lo, hi, rd.pos(e)
	return r
}

// sliders reads the input ranges of the sliders and knobs of a model's
// views and interface: a variable without a <range> of its own takes its
// slider's.
func (rd *reader) sliders(e *element) {
	for _, c := range e.children {
		if c.name != "slider" && c.name != "knob" {
			rd.sliders(c)
			continue
		}
		lo, ok1 := c.attr("min")
		hi, ok2 := c.attr("max")
		if !ok1 || !ok2 {
			continue
		}
		for _, ent := range c.children {
			if ent.name != "entity" {
				continue
			}
			name, _ := ent.attr("name")
			if name != "" {
				rd.sliderRefs = append(rd.sliderRefs, sliderRef{name: displayName(unquote(name)), el: c, min: lo, max: hi})
			}
		}
	}
}

// unquote returns a name as written in an equation ("a b" or a_b) without
// its quotes.
func unquote(s string) string {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return s
	}
	if e, err := expr.Parse(s); err == nil {
		if id, ok := e.(*expr.Ident); ok {
			return id.Name
		}
	}
	return s[1 : len(s)-1]
}

// equation reads an <eqn>. A parse error is reported at its place in the
// file, entities and all.
func (rd *reader) equation(e *element) model.Equation {
	lead, _ := trim(e.text.s)
	text, pos := rd.trimmed(e)
	if text == "" {
		return model.Equation{}
	}
	if strings.Contains(text, "???") {
		// xmutil writes ??? for an equation it could not translate.
		rd.unsupported(e, "placeholder equations are not supported (%q: the exporting tool could not translate the equation)", text)
		return model.Equation{}
	}
	// Lines after the first start at column 1 of the file: the text holds
	// their indentation.
	eq, err := model.NewEquation(text, pos, 0)
	if err != nil {
		var me *model.Error
		var pe *expr.Error
		if errors.As(err, &me) && errors.As(err, &pe) {
			me = &model.Error{Pos: rd.doc.position(e.text.srcOffset(lead + int(pe.Pos))), Msg: me.Msg, Err: me.Err}
			err = me
		}
		rd.errs.Append(err)
		return eq
	}
	if rd.vensim {
		eq = vensimInt(eq)
	}
	return eq
}

// vensimInt rewrites the calls of INT in an equation of a file Vensim
// wrote as calls of INTEGER. Vensim's INTEGER truncates toward zero, and
// its XMILE export (and xmutil) write it as INT, which XMILE defines as
// rounding down: the two differ for negative numbers (the SDXorg test
// tests/rounding, made with Vensim, shows truncation). The text is
// rewritten too, so that a model converted to YAML keeps its meaning;
// positions after the rewritten name on its line move by 4 columns.
func vensimInt(eq model.Equation) model.Equation {
	var at []int
	expr.Walk(eq.Expr, func(e expr.Expr) bool {
		if c, ok := e.(*expr.Call); ok && int(c.At)+3 <= len(eq.Text) && strings.EqualFold(eq.Text[c.At:c.At+3], "int") && model.Canonical(c.Func) == "int" {
			at = append(at, int(c.At))
		}
		return true
	})
	if len(at) == 0 {
		return eq
	}
	sort.Sort(sort.Reverse(sort.IntSlice(at)))
	text := eq.Text
	for _, i := range at {
		text = text[:i] + "INTEGER" + text[i+3:]
	}
	out, err := model.NewEquation(text, eq.Pos, 0)
	if err != nil {
		return eq // not reached: only a name changed
	}
	return out
}

// gf reads a graphical function.
func (rd *reader) gf(e *element) *model.Lookup {
	l := &model.Lookup{Pos: rd.pos(e)}
	if s, ok := e.attr("type"); ok && strings.TrimSpace(s) != "" {
		mode, err := model.ParseLookupMode(strings.TrimSpace(s))
		if err != nil {
			rd.errorf(e, "unknown graphical function type %q (expected continuous, extrapolate or discrete)", s)
		}
		l.Mode = mode
	} else if s, ok := e.attr("discrete"); ok && strings.EqualFold(strings.TrimSpace(s), "true") {
		l.Mode = model.Discrete
	}
	var xscale, xpts, ypts *element
	for _, c := range e.children {
		if c.vendor() {
			continue
		}
		switch c.name {
		case "xscale":
			xscale = c
		case "xpts":
			xpts = c
		case "ypts":
			ypts = c
		case "yscale":
			// The scale of the graph only.
		case "doc":
			l.Doc, _ = rd.trimmed(c)
		case "units":
			l.Units, l.UnitsPos = rd.trimmed(c)
		default:
			rd.unknown(c)
		}
	}
	if ypts == nil {
		rd.errorf(e, "graphical function has no <ypts>")
		return nil
	}
	var ok bool
	if l.Y, ok = rd.points(ypts); !ok {
		return nil
	}
	switch {
	case xpts != nil:
		if l.X, ok = rd.points(xpts); !ok {
			return nil
		}
	case xscale != nil:
		lo, ok1 := rd.scaleAttr(xscale, "min")
		hi, ok2 := rd.scaleAttr(xscale, "max")
		if !ok1 || !ok2 {
			return nil
		}
		l.X = spread(lo, hi, len(l.Y))
	default:
		rd.errorf(e, "graphical function has neither <xpts> nor <xscale>")
		return nil
	}
	return l
}

// spread returns n points evenly spaced from lo to hi.
func spread(lo, hi float64, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		if n == 1 {
			x[i] = lo
			break
		}
		x[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	if n > 1 {
		x[n-1] = hi
	}
	return x
}

func (rd *reader) scaleAttr(e *element, name string) (float64, bool) {
	s, ok := e.attr(name)
	if !ok {
		rd.errorf(e, "%s has no %s attribute", e.tag(), name)
		return 0, false
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		rd.errorf(e, "expected a finite number for the %s attribute of %s but found %s", name, e.tag(), describe(s))
		return 0, false
	}
	return x, true
}

// points reads the numbers of <xpts> or <ypts>, separated by the sep
// attribute (a comma by default).
func (rd *reader) points(e *element) ([]float64, bool) {
	sep, _ := e.attr("sep")
	if sep == "" {
		sep = ","
	}
	s := e.text.s
	var out []float64
	ok := true
	for off := 0; off <= len(s); {
		i := strings.Index(s[off:], sep)
		end := off + i
		if i < 0 {
			end = len(s)
		}
		field := s[off:end]
		_, tok := trim(field)
		last := i < 0
		switch {
		case tok == "" && last && (len(out) > 0 || off == 0):
			// Nothing at all, or a separator at the end.
		default:
			x, err := strconv.ParseFloat(tok, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				lead, _ := trim(field)
				rd.errs.Add(rd.doc.position(e.text.srcOffset(off+lead)), "expected a finite number in %s but found %s", e.tag(), describe(tok))
				ok = false
			}
			out = append(out, x)
		}
		if last {
			break
		}
		off = end + len(sep)
	}
	if ok && len(out) == 0 {
		rd.errorf(e, "%s holds no numbers", e.tag())
		ok = false
	}
	return out, ok
}

// finish settles what depends on the whole file: the flows of stocks,
// the non-negative defaults and references to graphical functions.
func (rd *reader) finish() {
	m := rd.m
	// Name each flow of a stock as the flow's own name attribute does.
	// Vensim's XMILE export declares the rates of its stocks as <aux>:
	// those become flows.
	byName := make(map[string]*model.Variable, len(m.Vars))
	for _, v := range m.Vars {
		byName[model.Canonical(v.Name)] = v
	}
	for _, v := range m.Vars {
		for _, flows := range [][]string{v.Inflows, v.Outflows} {
			for i, f := range flows {
				if fv := byName[model.Canonical(f)]; fv != nil {
					flows[i] = fv.Name
					if fv.Kind == model.Aux {
						fv.Kind = model.Flow
					}
				}
			}
		}
	}
	for _, v := range m.Vars {
		if v.Kind == model.Stock || v.Kind == model.Flow {
			v.NonNegative = rd.nonNegativeOf(v)
		}
	}
	for _, s := range rd.sliderRefs {
		if v := byName[model.Canonical(s.name)]; v != nil && v.Range == nil {
			lo, err1 := strconv.ParseFloat(strings.TrimSpace(s.min), 64)
			hi, err2 := strconv.ParseFloat(strings.TrimSpace(s.max), 64)
			if err1 == nil && err2 == nil {
				v.Range = &model.Range{Min: lo, Max: hi, Pos: rd.pos(s.el)}
			}
		}
	}
	for _, ref := range rd.lookupRefs {
		l := m.Lookup(ref.name)
		if l == nil {
			rd.errs.Add(ref.pos, "undefined graphical function %q", ref.name)
			continue
		}
		c := *l
		c.Name, c.Pos = "", ref.pos
		ref.v.Lookup = &c
	}
}

// nonNegativeOf resolves a stock's or flow's non-negative flag: its own
// setting, else the model's <behavior>, else the file's, else false; in
// each <behavior>, a setting for stocks or flows comes before one for
// everything.
func (rd *reader) nonNegativeOf(v *model.Variable) bool {
	if b, ok := rd.nonNegative[v]; ok {
		return b
	}
	for _, b := range []behavior{rd.modelBehavior, rd.fileBehavior} {
		kind := b.stock
		if v.Kind == model.Flow {
			kind = b.flow
		}
		if kind != nil {
			return *kind
		}
		if b.all != nil {
			return *b.all
		}
	}
	return false
}

func (rd *reader) scenarios(e *element) {
	for _, c := range e.children {
		if c.vendor() {
			continue
		}
		if c.name != "scenario" {
			rd.unknown(c)
			continue
		}
		name, _ := c.attr("name")
		s := &model.Scenario{Name: name, Pos: rd.pos(c)}
		for _, cc := range c.children {
			switch {
			case cc.vendor():
			case cc.name == "doc":
				s.Doc, _ = rd.trimmed(cc)
			case cc.name == "set":
				vn, _ := cc.attr("name")
				val, _ := cc.attr("value")
				x, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
				if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
					rd.errorf(cc, "expected a finite number for the value of %q but found %s", vn, describe(val))
					continue
				}
				s.Set = append(s.Set, model.Setting{Name: vn, Value: x, Pos: rd.pos(cc)})
			case cc.name == "gf":
				if l := rd.gf(cc); l != nil {
					l.Name, _ = cc.attr("name")
					s.Lookups = append(s.Lookups, l)
				}
			default:
				rd.unknown(cc)
			}
		}
		rd.m.Scenarios = append(rd.m.Scenarios, s)
	}
}

func (rd *reader) loops(e *element) {
	for _, c := range e.children {
		if c.vendor() {
			continue
		}
		if c.name != "loop" {
			rd.unknown(c)
			continue
		}
		name, _ := c.attr("name")
		l := &model.Loop{Name: name, Pos: rd.pos(c)}
		for _, cc := range c.children {
			switch {
			case cc.vendor():
			case cc.name == "doc":
				l.Doc, _ = rd.trimmed(cc)
			case cc.name == "var":
				s, _ := rd.trimmed(cc)
				l.Variables = append(l.Variables, s)
			default:
				rd.unknown(cc)
			}
		}
		rd.m.Loops = append(rd.m.Loops, l)
	}
}

// child returns the first child of e with the given local name in XMILE's
// namespaces, or nil.
func (e *element) child(name string) *element {
	for _, c := range e.children {
		if c.name == name && !c.vendor() {
			return c
		}
	}
	return nil
}
