package model

import (
	"fmt"

	"github.com/stockflow/stockflow/model/expr"
)

// Models built from parts. A module is a copy of another model inside this
// one: each of its variables becomes a variable of this model named
// module.variable (XMILE's qualified names), so every instance owns its
// stocks, and the simulator, the loop finder and every place a user types
// a name see one flat model. Embed makes the copy; Bind wires an input of
// the copy to an expression of the model around it.

// Embed copies the variables and lookups of sub into m as the module
// named name: sub's variable x becomes name.x, and sub's references to its
// own variables and lookups are renamed the same way. Dimensions of sub
// that m lacks are added. Embed returns an error, at the module's
// position, when a copied name is already taken in m.
func (m *Model) Embed(name string, sub *Model, pos Position) error {
	prefix := name + "."
	// own holds sub's names: true for those a call may name (lookups and
	// variables with a graphical function), false for the other variables.
	own := make(map[string]bool, len(sub.Vars)+len(sub.Lookups))
	for _, v := range sub.Vars {
		own[Canonical(v.Name)] = v.Lookup != nil
	}
	for _, l := range sub.Lookups {
		own[Canonical(l.Name)] = true
	}
	rename := func(n string, call bool) string {
		if table, ok := own[Canonical(n)]; ok && (table || !call) {
			return prefix + n
		}
		return n
	}
	var errs ErrorList
	for _, d := range sub.Dimensions {
		if m.Dimension(d.Name) == nil {
			c := *d
			m.Dimensions = append(m.Dimensions, &c)
		}
	}
	for _, l := range sub.Lookups {
		if m.Lookup(prefix+l.Name) != nil {
			errs.Add(pos, "module %s: the lookup %s is defined twice", name, prefix+l.Name)
			continue
		}
		c := *l
		c.Name = prefix + l.Name
		m.Lookups = append(m.Lookups, &c)
	}
	for _, v := range sub.Vars {
		if m.Var(prefix+v.Name) != nil {
			errs.Add(pos, "module %s: the variable %s is defined twice", name, prefix+v.Name)
			continue
		}
		c := *v
		c.Name = prefix + v.Name
		c.Equation = renameEquation(v.Equation, rename)
		c.Initial = renameEquation(v.Initial, rename)
		c.Inflows = renameAll(v.Inflows, rename)
		c.Outflows = renameAll(v.Outflows, rename)
		if v.Elements != nil {
			c.Elements = make([]ElementEquation, len(v.Elements))
			for i, el := range v.Elements {
				el.Equation = renameEquation(el.Equation, rename)
				c.Elements[i] = el
			}
		}
		m.Vars = append(m.Vars, &c)
	}
	return errs.Err()
}

// Bind makes the variable named input (a module's input, written
// module.variable) take the value of the expression source, written as in
// an equation of m. A stock that stands in for an input (Stella draws
// inputs as stocks too) becomes an auxiliary: its value is the source's.
func (m *Model) Bind(input, source string, pos Position) error {
	v := m.Var(input)
	if v == nil {
		return &Error{Pos: pos, Msg: fmt.Sprintf("the input %s is not a variable of the model", input)}
	}
	eq, err := NewEquation(source, pos, 0)
	if err != nil {
		return err
	}
	v.Kind = Aux
	v.Equation = eq
	v.Initial = Equation{}
	v.Inflows, v.Outflows = nil, nil
	v.Elements = nil
	v.Lookup = nil
	v.NonNegative = false
	return nil
}

// renameAll renames each name of a list.
func renameAll(names []string, rename func(name string, call bool) string) []string {
	if names == nil {
		return nil
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = rename(n, false)
	}
	return out
}

// renameEquation returns a copy of eq whose names are renamed: variables,
// arrayed references and calls of lookups. The text is the renamed
// expression printed; the position stays that of the original equation.
func renameEquation(eq Equation, rename func(name string, call bool) string) Equation {
	if eq.Expr == nil {
		return eq
	}
	// A fresh tree, so that copies of one model share nothing.
	fresh, err := expr.Parse(eq.Text)
	if err != nil {
		return eq
	}
	changed := false
	expr.Walk(fresh, func(e expr.Expr) bool {
		switch n := e.(type) {
		case *expr.Ident:
			if r := rename(n.Name, false); r != n.Name {
				n.Name, changed = r, true
			}
		case *expr.Index:
			if r := rename(n.Name, false); r != n.Name {
				n.Name, changed = r, true
			}
		case *expr.Call:
			if r := rename(n.Func, true); r != n.Func {
				n.Func, changed = r, true
			}
		}
		return true
	})
	if !changed {
		return Equation{Text: eq.Text, Expr: fresh, Pos: eq.Pos, indent: eq.indent}
	}
	text := expr.Format(fresh)
	out, err := NewEquation(text, eq.Pos, eq.indent)
	if err != nil {
		return Equation{Text: text, Expr: fresh, Pos: eq.Pos, indent: eq.indent}
	}
	return out
}
