package xmile

import (
	"fmt"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/expr"
)

// Modules. A <module name="m"> places the submodel <model name="m"> (or
// the one its model attribute names) in the model around it; Read copies
// the submodel's variables in as m.variable (model.Model.Embed), so each
// module owns its stocks, and wires the <connect>s as equations
// (model.Model.Bind).

// moduleRef is a <module> of the model being read.
type moduleRef struct {
	name     string // as the model around it calls it
	def      string // the submodel it places
	el       *element
	connects []connectRef
}

// connectRef is a <connect to="..." from="...">: to names an input of the
// module (or, with a leading dot, a variable of the model around it), from
// the variable whose value it takes, in the model around the module.
type connectRef struct {
	to, from string
	el       *element
}

// module reads a <module>.
func (rd *reader) module(e *element) {
	name, ok := e.attr("name")
	if !ok || strings.TrimSpace(name) == "" {
		rd.errorf(e, "<module> has no name")
		return
	}
	ref := moduleRef{name: displayName(strings.TrimSpace(name)), el: e}
	ref.def = ref.name
	if d, ok := e.attr("model"); ok && strings.TrimSpace(d) != "" {
		ref.def = displayName(strings.TrimSpace(d))
	}
	if r, ok := e.attr("resource"); ok && strings.TrimSpace(r) != "" {
		rd.unsupported(e, "modules in other files are not supported (module %q, resource %q)", ref.name, r)
		return
	}
	for _, c := range e.children {
		if c.vendor() || ignoredVariable[c.name] {
			continue
		}
		if c.name != "connect" {
			rd.unknown(c)
			continue
		}
		to, ok1 := c.attr("to")
		from, ok2 := c.attr("from")
		if !ok1 || !ok2 || strings.TrimSpace(to) == "" || strings.TrimSpace(from) == "" {
			rd.errorf(c, "<connect> in module %q needs both to and from", ref.name)
			continue
		}
		ref.connects = append(ref.connects, connectRef{to: displayName(strings.TrimSpace(to)), from: displayName(strings.TrimSpace(from)), el: c})
	}
	rd.modules = append(rd.modules, ref)
}

// expand embeds the modules of m and binds their inputs. stack holds the
// submodels being expanded, to refuse a model that contains itself.
func (rd *reader) expand(m *model.Model, mods []moduleRef, stack []string) {
	parts := make(map[string]*model.Module)
	for _, mod := range mods {
		sub := rd.submodel(mod, stack)
		if sub == nil {
			continue
		}
		if err := m.Embed(mod.name, sub, rd.pos(mod.el)); err != nil {
			rd.errs.Append(err)
			continue
		}
		part := &model.Module{Name: mod.name, Model: sub, Pos: rd.pos(mod.el)}
		parts[model.Canonical(mod.name)] = part
		if m.Parts != nil {
			m.Parts.Modules = append(m.Parts.Modules, part)
		}
	}
	for _, mod := range mods {
		for _, c := range mod.connects {
			to := mod.name + "." + c.to
			input := c.to // the module's variable, when to names one
			switch {
			case strings.HasPrefix(c.to, "."):
				to, input = strings.TrimPrefix(c.to, "."), ""
			case m.Var(to) == nil && strings.HasPrefix(model.Canonical(c.to), model.Canonical(mod.name)+"."):
				// Stella qualifies the input with the module's name.
				to, input = c.to, c.to[len(mod.name)+1:]
			}
			from := strings.TrimPrefix(c.from, ".")
			src := m.Var(from)
			if src == nil {
				rd.errorf(c.el, "module %q: the connection's from names %q, which is not a variable of the model around the module", mod.name, c.from)
				continue
			}
			if m.Var(to) == nil {
				rd.errorf(c.el, "module %q: the connection's to names %q, which is not a variable of the module", mod.name, c.to)
				continue
			}
			if err := m.Bind(to, formatName(src.Name), rd.pos(c.el)); err != nil {
				rd.errs.Append(err)
				continue
			}
			rd.recordConnect(m, parts[model.Canonical(mod.name)], input, to, src.Name)
		}
	}
}

// recordConnect keeps a connection in m's parts: an input of the module,
// or the equation of a variable of m that takes a module's output.
func (rd *reader) recordConnect(m *model.Model, part *model.Module, input, to, from string) {
	if m.Parts == nil || part == nil {
		return
	}
	if input != "" {
		eq, err := model.NewEquation(formatName(from), part.Pos, 0)
		if err == nil {
			part.Inputs = append(part.Inputs, model.ModuleInput{Name: input, Equation: eq})
		}
		return
	}
	for i, v := range m.Parts.Vars {
		if model.Canonical(v.Name) == model.Canonical(to) {
			c := *m.Var(to)
			m.Parts.Vars[i] = &c
		}
	}
}

// submodel returns the submodel a module places, read and with its own
// modules expanded (once per submodel, however many modules place it).
func (rd *reader) submodel(mod moduleRef, stack []string) *model.Model {
	key := model.Canonical(mod.def)
	for _, s := range stack {
		if s == key {
			rd.errorf(mod.el, "module %q places the model %q inside itself", mod.name, mod.def)
			return nil
		}
	}
	if m, ok := rd.flat[key]; ok {
		return m
	}
	def := rd.defs[key]
	if def == nil {
		rd.errorf(mod.el, "module %q: the file has no <model name=%q>", mod.name, mod.def)
		return nil
	}
	sub := &reader{
		doc: rd.doc, quiet: rd.quiet, vensim: rd.vensim, specs: rd.specs,
		hasStart: true, hasStop: true,
		fileBehavior: rd.fileBehavior, nonNegative: make(map[*model.Variable]bool),
		defs: rd.defs, flat: rd.flat,
	}
	sub.m = &model.Model{Name: mod.def, File: rd.doc.file, Time: rd.m.Time}
	sub.model(def)
	sub.finish()
	if len(sub.modules) > 0 {
		sub.m.Parts = model.SnapshotParts(sub.m)
	}
	sub.expand(sub.m, sub.modules, append(stack, key))
	rd.errs = append(rd.errs, sub.errs...)
	rd.flat[key] = sub.m
	return sub.m
}

// onlyComment reports whether an equation's text is blank but for
// {comments}.
func onlyComment(s string) bool {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "{") {
		return false
	}
	for s != "" {
		if !strings.HasPrefix(s, "{") {
			return false
		}
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return false
		}
		s = strings.TrimSpace(s[end+1:])
	}
	return true
}

// formatName writes a variable's name as an equation refers to it.
func formatName(name string) string { return expr.Format(&expr.Ident{Name: name}) }

// expandMacros reads the <macro>s and expands their calls in the model
// (model.ExpandMacros).
func (rd *reader) expandMacros(els []*element) {
	var macros []*model.Macro
	seen := make(map[string]*element)
	for _, e := range els {
		if mac := rd.macro(e); mac != nil {
			c := model.Canonical(mac.Name)
			if prev := seen[c]; prev != nil {
				rd.errorf(e, "macro %q is defined twice (the first is at %s)", mac.Name, rd.pos(prev))
				continue
			}
			seen[c] = e
			macros = append(macros, mac)
		}
	}
	if len(rd.errs) > 0 {
		return
	}
	if err := model.ExpandMacros(rd.m, macros); err != nil {
		rd.errs.Append(err)
	}
	if rd.m.Parts != nil {
		rd.m.Parts.Macros = macros
	}
}

// macro reads a <macro>: its parameters, result equation and variables.
func (rd *reader) macro(e *element) *model.Macro {
	name, ok := e.attr("name")
	if !ok || strings.TrimSpace(name) == "" {
		rd.errorf(e, "<macro> has no name")
		return nil
	}
	mac := &model.Macro{Name: displayName(strings.TrimSpace(name)), Pos: rd.pos(e)}
	what := fmt.Sprintf("macro %q", mac.Name)
	body := &reader{
		doc: rd.doc, quiet: rd.quiet, vensim: rd.vensim, specs: rd.specs,
		hasStart: true, hasStop: true,
		fileBehavior: rd.fileBehavior, nonNegative: make(map[*model.Variable]bool),
		defs: rd.defs, flat: rd.flat,
	}
	body.m = &model.Model{File: rd.doc.file, Time: rd.m.Time}
	hasEqn := false
	for _, c := range e.children {
		if c.vendor() {
			continue
		}
		switch c.name {
		case "parm":
			p, pos := rd.trimmed(c)
			if p == "" {
				rd.errorf(c, "empty <parm> in %s", what)
				continue
			}
			param := model.MacroParam{Name: displayName(unquote(p))}
			if d, ok := c.attr("default"); ok && strings.TrimSpace(d) != "" {
				eq, err := model.NewEquation(strings.TrimSpace(d), pos, 0)
				if err != nil {
					rd.errs.Append(err)
					continue
				}
				param.Default = eq
			} else if n := len(mac.Params); n > 0 && mac.Params[n-1].Default.Expr != nil {
				rd.errorf(c, "in %s the parameter %q follows one with a default and has none", what, param.Name)
			}
			mac.Params = append(mac.Params, param)
		case "eqn":
			if hasEqn {
				rd.errorf(c, "duplicate <eqn> in %s", what)
				continue
			}
			hasEqn = true
			mac.Equation = rd.equation(c)
		case "variables":
			for _, v := range c.children {
				body.entity(v)
			}
		case "sim_specs":
			rd.unsupported(c, "macros with their own simulation specs are not supported (%s)", what)
		case "doc":
			mac.Doc, _ = rd.trimmed(c)
		case "format", "views":
		default:
			rd.unknown(c)
		}
	}
	if !hasEqn {
		rd.errorf(e, "%s has no <eqn>", what)
		return nil
	}
	body.finish()
	body.expand(body.m, body.modules, nil)
	rd.errs = append(rd.errs, body.errs...)
	mac.Body = body.m
	return mac
}
