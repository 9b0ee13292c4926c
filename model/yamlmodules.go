package model

import (
	"fmt"
	"path/filepath"
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
type yamlModule struct {
	name    string
	file    string
	inputs  []yamlInput
	pos     Position
	filePos Position
}

type yamlInput struct {
	name, equation string
	pos            Position
}

// module decodes one entry of the modules section.
func (d *decoder) module(name string, k, n *yaml.Node) yamlModule {
	mod := yamlModule{name: name, pos: d.pos(k)}
	what := fmt.Sprintf("module %q", name)
	d.fields(n, what, map[string]func(*yaml.Node){
		"file": func(v *yaml.Node) { d.str(v, "the file of "+what, &mod.file); mod.filePos = d.pos(v) },
		"inputs": func(v *yaml.Node) {
			d.mapping(v, "the inputs of "+what, false, func(in string, k, v *yaml.Node) {
				var eq string
				d.str(v, fmt.Sprintf("input %q of %s", in, what), &eq)
				mod.inputs = append(mod.inputs, yamlInput{name: in, equation: eq, pos: d.textPos(v)})
			})
		},
	})
	if mod.file == "" {
		d.errs.Add(mod.pos, "%s has no file (the model file it places)", what)
	}
	return mod
}

// expandModules places the modules of a YAML model: each one's file is
// loaded (with its own modules), embedded as name.variable, and its
// inputs bound to their equations.
// stack holds the files placing this one, to refuse a file that places
// itself.
func (d *decoder) expandModules(m *Model, mods []yamlModule, stack []string) {
	for _, mod := range mods {
		if mod.file == "" {
			continue
		}
		path := mod.file
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(d.file), path)
		}
		if placesItself(stack, path) {
			d.errs.Add(mod.filePos, "module %q: %s places itself (through %s)", mod.name, mod.file, strings.Join(stack, ", "))
			continue
		}
		sub, err := loadFile(path, stack)
		if err != nil {
			d.errs.Add(mod.filePos, "module %q: %v", mod.name, err)
			continue
		}
		if err := m.Embed(mod.name, sub, mod.pos); err != nil {
			d.errs.Append(err)
			continue
		}
		for _, in := range mod.inputs {
			if sub.Var(in.name) == nil {
				d.errs.Add(in.pos, "module %q: %s is not a variable of %s", mod.name, in.name, mod.file)
				continue
			}
			if err := m.Bind(mod.name+"."+sub.Var(in.name).Name, in.equation, in.pos); err != nil {
				d.errs.Append(err)
			}
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
