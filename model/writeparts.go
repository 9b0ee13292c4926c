package model

import (
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/stockflow/stockflow/model/expr"
)

// yamlParts adds the models, modules and macros sections of a model
// built from parts.
func yamlParts(root yamlMapping, m *Model) {
	subs := PartModels(m)
	if len(subs) > 0 {
		section := newYAMLMapping(0)
		for _, s := range subs {
			section.add(s.Name, yamlPartModel(s.Model, subs))
		}
		root.add("models", section.Node)
	}
	yamlModulesAndMacros(root, m.Parts, subs)
}

// yamlPartModel writes a model placed by a module, as an entry of the
// models section.
func yamlPartModel(m *Model, subs []NamedModel) *yaml.Node {
	n := newYAMLMapping(0)
	if m.Doc != "" {
		n.add("doc", yamlText(m.Doc))
	}
	yamlDimensionsAndVars(n, m)
	if m.Parts != nil {
		yamlModulesAndMacros(n, m.Parts, subs)
	}
	return n.Node
}

// yamlDimensionsAndVars writes m's dimensions section, then its variables
// and lookups (those of its Parts when it has them), as both a whole
// model and a model placed by a module do.
func yamlDimensionsAndVars(n yamlMapping, m *Model) {
	if len(m.Dimensions) > 0 {
		section := newYAMLMapping(0)
		for _, d := range m.Dimensions {
			section.add(d.Name, yamlDimension(d))
		}
		n.add("dimensions", section.Node)
	}
	vars, lookups := m.Vars, m.Lookups
	if m.Parts != nil {
		vars, lookups = m.Parts.Vars, m.Parts.Lookups
	}
	yamlVarsAndLookups(n, vars, lookups)
}

func yamlModulesAndMacros(root yamlMapping, p *Parts, subs []NamedModel) {
	if len(p.Modules) > 0 {
		section := newYAMLMapping(0)
		for _, mod := range p.Modules {
			n := newYAMLMapping(0)
			n.add("model", yamlText(partName(subs, mod.Model)))
			if len(mod.Inputs) > 0 {
				ins := newYAMLMapping(0)
				for _, in := range mod.Inputs {
					ins.add(in.Name, yamlEquation(in.Equation))
				}
				n.add("inputs", ins.Node)
			}
			section.add(mod.Name, n.Node)
		}
		root.add("modules", section.Node)
	}
	if len(p.Macros) > 0 {
		section := newYAMLMapping(0)
		for _, mac := range p.Macros {
			section.add(mac.Name, yamlMacro(mac))
		}
		root.add("macros", section.Node)
	}
}

func yamlMacro(mac *Macro) *yaml.Node {
	n := newYAMLMapping(0)
	if mac.Doc != "" {
		n.add("doc", yamlText(mac.Doc))
	}
	params := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, p := range mac.Params {
		if p.Default.Expr == nil && p.Default.Text == "" {
			params.Content = append(params.Content, yamlText(p.Name))
			continue
		}
		pn := newYAMLMapping(yaml.FlowStyle)
		pn.add("name", yamlText(p.Name))
		pn.add("default", yamlEquation(p.Default))
		params.Content = append(params.Content, pn.Node)
	}
	n.add("parameters", params)
	eq := mac.Equation
	if eq.Expr == nil && eq.Text == "" {
		// Vensim's form: the variable named as the macro is the result.
		if mac.Body != nil && mac.Body.Var(mac.Name) != nil {
			eq = Equation{Text: formatIdent(mac.Body.Var(mac.Name).Name)}
		}
	}
	n.add("equation", yamlEquation(eq))
	if mac.Body != nil {
		yamlVarsAndLookups(n, mac.Body.Vars, mac.Body.Lookups)
	}
	return n.Node
}

// NamedModel is a model placed by modules, under the name a writer gives
// it.
type NamedModel struct {
	Name  string
	Model *Model
}

// PartModels returns the models the modules of m place, at any depth,
// each once, named after the model (or "model", "model 2", ... when
// names are missing or taken), in the order they are first placed.
func PartModels(m *Model) []NamedModel {
	var out []NamedModel
	taken := make(map[string]bool)
	seen := make(map[*Model]bool)
	var walk func(m *Model)
	walk = func(m *Model) {
		if m.Parts == nil {
			return
		}
		for _, mod := range m.Parts.Modules {
			sub := mod.Model
			if sub == nil || seen[sub] {
				continue
			}
			seen[sub] = true
			name := sub.Name
			if name == "" {
				name = mod.Name
			}
			for k := 2; taken[Canonical(name)]; k++ {
				name = sub.Name + " " + strconv.Itoa(k)
				if sub.Name == "" {
					name = mod.Name + " " + strconv.Itoa(k)
				}
			}
			taken[Canonical(name)] = true
			out = append(out, NamedModel{Name: name, Model: sub})
			walk(sub)
		}
	}
	walk(m)
	return out
}

// partName returns the name PartModels gave a model.
func partName(subs []NamedModel, m *Model) string {
	for _, s := range subs {
		if s.Model == m {
			return s.Name
		}
	}
	return m.Name
}

// formatIdent writes a name as an equation refers to it.
func formatIdent(name string) string { return expr.Format(&expr.Ident{Name: name}) }
