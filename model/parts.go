package model

// Parts is how a model was built from parts: its own variables and
// lookups as written (macro calls and all), the modules placed in it and
// the macros it defines. A model read from a file with modules or macros
// keeps them in Model.Parts, beside the expanded Vars the simulator runs;
// WriteYAML and the XMILE writer write the parts, so converting a model
// keeps its modules and macros. Parts describes the model as read: a
// program that changes Vars should set Parts to nil before writing.
type Parts struct {
	Vars    []*Variable
	Lookups []*Lookup
	Modules []*Module
	Macros  []*Macro
}

// Module is a model placed in another under a name: XMILE's <module>, an
// entry of a YAML model's modules section.
type Module struct {
	Name   string
	Model  *Model // the model placed, with its own Parts
	Inputs []ModuleInput
	Pos    Position
}

// ModuleInput sets a variable of a module's model to an equation of the
// model around the module.
type ModuleInput struct {
	Name     string
	Equation Equation
}

// SnapshotParts returns a model's own variables and lookups as they are
// now, as the start of its Parts: a reader calls it before it places
// modules and expands macros (which change the variables), and adds the
// modules and macros.
func SnapshotParts(m *Model) *Parts {
	p := &Parts{Lookups: append([]*Lookup(nil), m.Lookups...)}
	for _, v := range m.Vars {
		c := *v
		p.Vars = append(p.Vars, &c)
	}
	return p
}
