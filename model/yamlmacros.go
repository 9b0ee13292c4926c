package model

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/stockflow/stockflow/model/builtin"
	"github.com/stockflow/stockflow/model/expr"
)

// macro decodes one entry of the macros section:
//
//	macros:
//	  smoothed:
//	    parameters: [input, {name: delay, default: 3}]
//	    equation: level            # the result
//	    stocks:
//	      level: {initial: input, inflows: [change]}
//	    flows:
//	      change: (input - level) / delay
func (d *decoder) macro(name string, k, n *yaml.Node) *Macro {
	mac := &Macro{Name: name, Pos: d.pos(k), Body: &Model{File: d.file}}
	what := fmt.Sprintf("macro %q", name)
	hasEq := false
	d.fields(n, what, map[string]func(*yaml.Node){
		"doc":        func(v *yaml.Node) { d.str(v, "doc", &mac.Doc) },
		"parameters": func(v *yaml.Node) { mac.Params = d.params(v, what) },
		"equation": func(v *yaml.Node) {
			hasEq = true
			mac.Equation = d.equation(v, what)
		},
		"stocks":      func(v *yaml.Node) { d.vars(v, Stock, mac.Body) },
		"flows":       func(v *yaml.Node) { d.vars(v, Flow, mac.Body) },
		"auxiliaries": func(v *yaml.Node) { d.vars(v, Aux, mac.Body) },
		"lookups":     func(v *yaml.Node) { d.lookups(v, mac.Body) },
	})
	if !hasEq && n.Kind == yaml.MappingNode {
		d.errorf(k, "%s has no equation (its result)", what)
	}
	return mac
}

// params decodes a macro's parameters: a list of names, or of
// {name: x, default: equation}.
func (d *decoder) params(n *yaml.Node, what string) []MacroParam {
	if n = d.node(n); n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "expected a list of parameters for %s but found %s", what, kindName(n))
		return nil
	}
	var out []MacroParam
	for _, c := range n.Content {
		if c = d.node(c); c == nil {
			return out
		}
		var p MacroParam
		var at *yaml.Node = c
		switch {
		case c.Kind == yaml.ScalarNode && c.Tag != "!!null" && strings.TrimSpace(c.Value) != "":
			p.Name = c.Value
		case c.Kind == yaml.MappingNode:
			d.fields(c, "a parameter of "+what, map[string]func(*yaml.Node){
				"name":    func(v *yaml.Node) { d.str(v, "the name of a parameter of "+what, &p.Name); at = v },
				"default": func(v *yaml.Node) { p.Default = d.equation(v, "the default of a parameter of "+what) },
			})
			if p.Name == "" {
				d.errorf(c, "a parameter of %s has no name", what)
				continue
			}
		default:
			d.errorf(c, "expected a parameter name or {name: ..., default: ...} in the parameters of %s but found %s", what, kindName(c))
			continue
		}
		if len(out) > 0 && out[len(out)-1].Default.Expr != nil && p.Default.Expr == nil {
			d.errorf(at, "the parameter %q of %s follows one with a default and has none", p.Name, what)
		}
		for _, q := range out {
			if Canonical(q.Name) == Canonical(p.Name) {
				d.errorf(at, "the parameter %q of %s is named twice", p.Name, what)
			}
		}
		out = append(out, p)
	}
	return out
}

// checkMacros reports what is wrong with a file's macros before any is
// expanded: a name taken by a variable, a lookup or a function, a
// parameter that is also a variable of the macro, and names in the
// macro's equations that are neither its parameters nor its own
// variables and lookups (a macro sees nothing of the model it is
// called from), each at its place.
func checkMacros(m *Model, macros []*Macro) ErrorList {
	var errs ErrorList
	isMacro := make(map[string]bool, len(macros))
	for _, mac := range macros {
		isMacro[Canonical(mac.Name)] = true
	}
	for _, mac := range macros {
		c := Canonical(mac.Name)
		switch {
		case m.Var(mac.Name) != nil:
			errs.Add(mac.Pos, "the macro %q has the name of a variable (defined at %s)", mac.Name, m.Var(mac.Name).Pos)
		case m.Lookup(mac.Name) != nil:
			errs.Add(mac.Pos, "the macro %q has the name of a lookup (defined at %s)", mac.Name, m.Lookup(mac.Name).Pos)
		case builtin.Lookup(c) != nil:
			errs.Add(mac.Pos, "the macro %q has the name of a built-in function", mac.Name)
		}
		if _, reserved := builtin.Reserved(c); reserved {
			errs.Add(mac.Pos, "the macro name %q is reserved", mac.Name)
		}
		body := mac.Body
		if body == nil {
			body = &Model{}
		}
		// The names the macro's equations may use.
		names := make(map[string]bool)
		var display []string
		tables := make(map[string]bool)
		for _, p := range mac.Params {
			if v := body.Var(p.Name); v != nil {
				errs.Add(v.Pos, "%s is a parameter of the macro %q and cannot also be one of its variables", v.Name, mac.Name)
			}
			names[Canonical(p.Name)] = true
			display = append(display, p.Name)
		}
		for _, v := range body.Vars {
			names[Canonical(v.Name)] = true
			display = append(display, v.Name)
			if v.Lookup != nil {
				tables[Canonical(v.Name)] = true
			}
		}
		for _, l := range body.Lookups {
			tables[Canonical(l.Name)] = true
		}
		for _, d := range body.Dimensions {
			names[Canonical(d.Name)] = true
			for _, e := range d.Elements {
				names[Canonical(e)] = true
			}
		}
		check := func(eq Equation) {
			expr.Walk(eq.Expr, func(e expr.Expr) bool {
				switch n := e.(type) {
				case *expr.Ident:
					c := Canonical(n.Name)
					if _, clock := builtin.Reserved(c); !clock && !names[c] {
						errs.Add(eq.PosAt(n.At), "unknown name %q in the macro %q: expected one of its parameters or variables (a macro sees only those)%s", n.Name, mac.Name, DidYouMean(n.Name, display))
					}
				case *expr.Index:
					if !names[Canonical(n.Name)] {
						errs.Add(eq.PosAt(n.At), "unknown name %q in the macro %q: expected one of its parameters or variables (a macro sees only those)%s", n.Name, mac.Name, DidYouMean(n.Name, display))
					}
					return false // subscripts name dimensions and elements
				case *expr.Call:
					c := Canonical(n.Func)
					if !tables[c] && !isMacro[c] && builtin.Lookup(c) == nil {
						errs.Add(eq.PosAt(n.At), "unknown function %q in the macro %q: expected a built-in function, a lookup of the macro or a macro", n.Func, mac.Name)
					}
				}
				return true
			})
		}
		check(mac.Equation)
		for _, p := range mac.Params {
			check(p.Default)
		}
		for _, v := range body.Vars {
			check(v.Equation)
			check(v.Initial)
			for _, el := range v.Elements {
				check(el.Equation)
			}
		}
	}
	return errs
}
