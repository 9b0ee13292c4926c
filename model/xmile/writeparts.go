package xmile

import (
	"fmt"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/expr"
)

// variables writes variables and named graphical functions.
func (xw *writer) variables(vars []*model.Variable, lookups []*model.Lookup) {
	for _, v := range vars {
		xw.variable(v)
	}
	for _, l := range lookups {
		if len(l.Dims) > 0 {
			xw.arrayedGF(l)
			continue
		}
		xw.gf("gf", l, "name", l.Name)
	}
}

// modules writes the <module>s of a model's parts, with an auxiliary for
// each input set by an equation that is not a name.
func (xw *writer) modules(p *model.Parts, vars []*model.Variable, subs []model.NamedModel) {
	taken := make(map[string]bool, len(vars))
	for _, v := range vars {
		taken[model.Canonical(v.Name)] = true
	}
	for _, mod := range p.Modules {
		attrs := []string{"name", mod.Name}
		if name := partName(subs, mod.Model); model.Canonical(name) != model.Canonical(mod.Name) {
			attrs = append(attrs, "model", name)
		}
		type connect struct{ to, from string }
		var connects []connect
		for _, in := range mod.Inputs {
			from := ""
			if id, ok := in.Equation.Expr.(*expr.Ident); ok {
				from = id.Name
			} else {
				from = in.Name + " of " + mod.Name
				for taken[model.Canonical(from)] {
					from += "_"
				}
				taken[model.Canonical(from)] = true
				xw.variable(&model.Variable{Kind: model.Aux, Name: from, Equation: in.Equation})
			}
			if !strings.Contains(from, ".") {
				from = "." + from
			}
			connects = append(connects, connect{underscores(in.Name), underscores(from)})
		}
		if len(connects) == 0 {
			xw.leaf("module", "", attrs...)
			continue
		}
		xw.open("module", attrs...)
		for _, c := range connects {
			xw.leaf("connect", "", "to", c.to, "from", c.from)
		}
		xw.close("module")
	}
}

// submodel writes a <model name="..."> for a model that modules place.
func (xw *writer) submodel(sub model.NamedModel, subs []model.NamedModel) {
	xw.open("model", "name", sub.Name)
	xw.modelBody(sub.Model, subs)
	xw.close("model")
}

// modelBody writes a model's <doc> and its <variables>: the variables as
// written when the model has Parts (with the modules that place subs),
// otherwise the model's own.
func (xw *writer) modelBody(m *model.Model, subs []model.NamedModel) {
	vars, lookups := m.Vars, m.Lookups
	if m.Parts != nil {
		vars, lookups = m.Parts.Vars, m.Parts.Lookups
	}
	if m.Doc != "" {
		xw.leaf("doc", m.Doc)
	}
	xw.open("variables")
	xw.variables(vars, lookups)
	if m.Parts != nil {
		xw.modules(m.Parts, vars, subs)
	}
	xw.close("variables")
}

// macro writes a <macro>: its parameters, result and own variables.
func (xw *writer) macro(mac *model.Macro) {
	xw.open("macro", "name", mac.Name)
	if mac.Doc != "" {
		xw.leaf("doc", mac.Doc)
	}
	for _, p := range mac.Params {
		if text := equationText(p.Default); text != "" {
			xw.leaf("parm", p.Name, "default", text)
			continue
		}
		xw.leaf("parm", p.Name)
	}
	eq := equationText(mac.Equation)
	if eq == "" && mac.Body != nil && mac.Body.Var(mac.Name) != nil {
		// Vensim's form: the variable named as the macro is the result.
		eq = expr.Format(&expr.Ident{Name: mac.Body.Var(mac.Name).Name})
	}
	xw.leaf("eqn", eq)
	if mac.Body != nil && (len(mac.Body.Vars) > 0 || len(mac.Body.Lookups) > 0) {
		xw.open("variables")
		xw.variables(mac.Body.Vars, mac.Body.Lookups)
		xw.close("variables")
	}
	xw.close("macro")
}

// allMacros returns the macros of a model and of the models its modules
// place: XMILE defines macros once for the whole file. Two different
// macros of one name cannot be written.
func allMacros(m *model.Model, subs []model.NamedModel, xw *writer) []*model.Macro {
	var out []*model.Macro
	seen := make(map[string]*model.Macro)
	add := func(p *model.Parts) {
		if p == nil {
			return
		}
		for _, mac := range p.Macros {
			c := model.Canonical(mac.Name)
			switch prev := seen[c]; {
			case prev == nil:
				seen[c] = mac
				out = append(out, mac)
			case prev != mac:
				xw.fail(fmt.Errorf("xmile: two macros are named %q (%s and %s); an XMILE file defines each macro once", mac.Name, prev.Pos, mac.Pos))
			}
		}
	}
	add(m.Parts)
	for _, s := range subs {
		add(s.Model.Parts)
	}
	return out
}

// partName returns the name model.PartModels gave a model.
func partName(subs []model.NamedModel, m *model.Model) string {
	for _, s := range subs {
		if s.Model == m {
			return s.Name
		}
	}
	return m.Name
}

// underscores writes a name as XMILE connections do, with underscores
// for spaces.
func underscores(name string) string { return strings.ReplaceAll(name, " ", "_") }
