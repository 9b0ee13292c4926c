package model

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// yamlModule is an entry of a YAML model's modules section:
//
//	modules:
//	  north:
//	    file: tank.yaml        # another model file, relative to this one
//	    inputs:
//	      rate: demand * 0.4   # the module's variable: an equation of this model
//	  south:
//	    model: tank            # or a model of this file's models section
type yamlModule struct {
	name    string
	file    string
	model   string
	inputs  []yamlInput
	pos     Position
	filePos Position
}

type yamlInput struct {
	name, equation string
	pos            Position
}

// yamlModel is an entry of the models section: a model written inline,
// decoded when a module places it.
type yamlModel struct {
	name string
	node *yaml.Node
	pos  Position
}

// loadContext is shared by the files and inline models of one Load: each
// model is read once however many modules place it.
type loadContext struct {
	files  map[string]*Model // by absolute path
	inline map[string]*Model // by file and canonical name
}

// module decodes one entry of the modules section.
func (d *decoder) module(name string, k, n *yaml.Node) yamlModule {
	mod := yamlModule{name: name, pos: d.pos(k)}
	what := fmt.Sprintf("module %q", name)
	d.fields(n, what, map[string]func(*yaml.Node){
		"file":  func(v *yaml.Node) { d.str(v, "the file of "+what, &mod.file); mod.filePos = d.pos(v) },
		"model": func(v *yaml.Node) { d.str(v, "the model of "+what, &mod.model); mod.filePos = d.pos(v) },
		"inputs": func(v *yaml.Node) {
			d.mapping(v, "the inputs of "+what, false, func(in string, k, v *yaml.Node) {
				var eq string
				d.str(v, fmt.Sprintf("input %q of %s", in, what), &eq)
				mod.inputs = append(mod.inputs, yamlInput{name: in, equation: eq, pos: d.textPos(v)})
			})
		},
	})
	switch {
	case mod.file == "" && mod.model == "":
		d.errs.Add(mod.pos, "%s has no file (the model file it places) and no model (a model of the models section)", what)
	case mod.file != "" && mod.model != "":
		d.errs.Add(mod.filePos, "%s has both a file and a model; it places one of them", what)
	}
	return mod
}

// inlineKeys are the keys a model of the models section may not have:
// the model around its modules gives those.
var inlineKeys = map[string]string{
	"time":      "the time settings are those of the model placing it",
	"scenarios": "scenarios belong to the model that is run",
	"loops":     "named loops belong to the model that is run",
	"units":     "units are defined by the model that is run",
	"models":    "models are listed once, in the file's models section",
}

// expandModules places the modules of a YAML model: each one's model (a
// file, loaded with its own modules, or a model of the models section)
// is embedded as name.variable, and its inputs bound to their equations.
// stack holds the files and models placing this one, to refuse one that
// places itself. m.Parts, when set, records the modules.
func (d *decoder) expandModules(m *Model, mods []yamlModule, stack []string) {
	for _, mod := range mods {
		var sub *Model
		var from string
		switch {
		case mod.file != "" && mod.model == "":
			sub, from = d.moduleFile(mod, stack), mod.file
		case mod.model != "" && mod.file == "":
			sub, from = d.inlineModel(mod, m, stack), "the model "+mod.model
		}
		if sub == nil {
			continue
		}
		if err := m.Embed(mod.name, sub, mod.pos); err != nil {
			d.errs.Append(err)
			continue
		}
		part := &Module{Name: mod.name, Model: sub, Pos: mod.pos}
		for _, in := range mod.inputs {
			if sub.Var(in.name) == nil {
				d.errs.Add(in.pos, "module %q: %s is not a variable of %s%s", mod.name, in.name, from, DidYouMean(in.name, sub.names(0)))
				continue
			}
			name := sub.Var(in.name).Name
			if err := m.Bind(mod.name+"."+name, in.equation, in.pos); err != nil {
				d.errs.Append(err)
				continue
			}
			eq, _ := NewEquation(in.equation, in.pos, 0)
			part.Inputs = append(part.Inputs, ModuleInput{Name: name, Equation: eq})
		}
		if m.Parts != nil {
			m.Parts.Modules = append(m.Parts.Modules, part)
		}
	}
}

// moduleFile loads the model file a module places (once per Load).
func (d *decoder) moduleFile(mod yamlModule, stack []string) *Model {
	path := mod.file
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(d.file), path)
	}
	if placesItself(stack, path) {
		d.errs.Add(mod.filePos, "module %q: %s places itself (through %s)", mod.name, mod.file, strings.Join(stack, ", "))
		return nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	if sub := d.ctx.files[abs]; sub != nil {
		return sub
	}
	sub, err := loadFile(path, stack, d.ctx)
	if err != nil {
		d.errs.Add(mod.filePos, "module %q: %v", mod.name, err)
		return nil
	}
	if sub.Name == "" {
		sub.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	d.ctx.files[abs] = sub
	return sub
}

// inlineModel decodes the model of the models section a module places
// (once per Load), with its own modules and macros.
func (d *decoder) inlineModel(mod yamlModule, around *Model, stack []string) *Model {
	def := d.models[Canonical(mod.model)]
	if def == nil {
		var names []string
		for _, m := range d.models {
			names = append(names, m.name)
		}
		sort.Strings(names)
		d.errs.Add(mod.filePos, "module %q: the file's models section has no model %q%s", mod.name, mod.model, DidYouMean(mod.model, names))
		return nil
	}
	key := d.file + "#" + Canonical(def.name)
	for _, s := range stack {
		if s == key {
			d.errs.Add(mod.filePos, "module %q: the model %s places itself", mod.name, def.name)
			return nil
		}
	}
	if sub := d.ctx.inline[key]; sub != nil {
		return sub
	}
	if n := d.node(def.node); n != nil && n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if why, ok := inlineKeys[n.Content[i].Value]; ok {
				d.errorf(n.Content[i], "a model of the models section has no %s: %s", n.Content[i].Value, why)
			}
		}
	}
	sd := &decoder{file: d.file, lines: d.lines, budget: d.budget, models: d.models, ctx: d.ctx}
	sub := &Model{File: d.file, Name: def.name, Time: around.Time}
	sd.model(def.node, sub)
	if len(sd.errs) == 0 {
		// Validated as the copies in the model around it, once its
		// inputs (which may have no equation of their own) are bound.
		sd.build(sub, append(stack, key))
	}
	d.budget = sd.budget
	d.errs = append(d.errs, sd.errs...)
	if len(sd.errs) > 0 {
		return nil
	}
	d.ctx.inline[key] = sub
	return sub
}

// build places a decoded model's modules and expands its macros,
// keeping its parts as written in m.Parts.
func (d *decoder) build(m *Model, stack []string) {
	if len(d.modules) > 0 || len(d.macros) > 0 {
		m.Parts = SnapshotParts(m)
		m.Parts.Macros = d.macros
	}
	d.expandModules(m, d.modules, stack)
	if len(d.macros) > 0 {
		if errs := checkMacros(m, d.macros); len(errs) > 0 {
			d.errs = append(d.errs, errs...)
		} else if len(d.errs) == 0 {
			d.errs.Append(ExpandMacros(m, d.macros))
		}
	}
}

// placesItself reports whether path is one of the files of stack.
func placesItself(stack []string, path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	for _, f := range stack {
		if a, err := filepath.Abs(f); err == nil && a == abs {
			return true
		}
	}
	return false
}
