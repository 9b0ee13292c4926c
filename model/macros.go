package model

import (
	"fmt"
	"strconv"

	"github.com/stockflow/stockflow/model/expr"
)

// Macro is a named piece of structure used like a function: XMILE's
// <macro>. Each call of it becomes a copy of its variables, its stocks
// included, named after the macro and the call's number ("SMOOTHED 2.level"),
// with a variable for each parameter holding the call's argument and one
// for the result ("SMOOTHED 2.SMOOTHED"); the call is replaced by a
// reference to the result.
type Macro struct {
	Name     string
	Params   []MacroParam
	Equation Equation // the result, over the parameters and the variables
	Body     *Model   // the macro's own variables and lookups; may be nil
	Pos      Position
}

// MacroParam is a parameter of a macro; a Default (over the parameters
// before it) makes it optional.
type MacroParam struct {
	Name    string
	Default Equation
}

// maxMacroCalls bounds the expansion of macros, which would not end for a
// macro that calls itself.
const maxMacroCalls = 1000

// ExpandMacros replaces every call of the macros in m's equations (those
// of the copies too, so macros may call macros) by a copy of the macro.
// A macro that calls itself is refused: its expansion would not end.
func ExpandMacros(m *Model, macros []*Macro) error {
	if len(macros) == 0 {
		return nil
	}
	byName := make(map[string]*Macro, len(macros))
	for _, mac := range macros {
		byName[Canonical(mac.Name)] = mac
	}
	var errs ErrorList
	cyclic := recursion(macros, byName)
	count := make(map[string]int)
	calls := 0
	for i := 0; i < len(m.Vars); i++ {
		v := m.Vars[i]
		for _, eq := range []*Equation{&v.Equation, &v.Initial} {
			if eq.Expr == nil {
				continue
			}
			var found []*expr.Call
			expr.Walk(eq.Expr, func(e expr.Expr) bool {
				if c, ok := e.(*expr.Call); ok && byName[Canonical(c.Func)] != nil {
					// The outermost calls: calls in the arguments are
					// expanded in the copies' parameters.
					found = append(found, c)
					return false
				}
				return true
			})
			if len(found) == 0 {
				continue
			}
			if len(v.Dims) > 0 {
				errs.Add(eq.PosAt(found[0].At), "the macro %s is called in the equation of the arrayed %s; macros are expanded only in scalar equations", found[0].Func, v.Name)
				continue
			}
			if calls += len(found); calls > maxMacroCalls {
				errs.Add(eq.PosAt(found[0].At), "more than %d macro calls: does the macro %s call itself?", maxMacroCalls, found[0].Func)
				return errs.Err()
			}
			repl := make(map[*expr.Call]string, len(found))
			for _, c := range found {
				mac := byName[Canonical(c.Func)]
				if cyclic[Canonical(mac.Name)] {
					errs.Add(eq.PosAt(c.At), "the macro %s (defined at %s) calls itself, directly or through other macros; recursive macros are not supported", mac.Name, mac.Pos)
					continue
				}
				count[Canonical(mac.Name)]++
				out, err := m.instance(mac, count[Canonical(mac.Name)], c, *eq)
				if err != nil {
					errs.Append(err)
					continue
				}
				repl[c] = out
			}
			*eq = replaceCalls(*eq, repl)
		}
		for _, el := range v.Elements {
			expr.Walk(el.Equation.Expr, func(e expr.Expr) bool {
				if c, ok := e.(*expr.Call); ok && byName[Canonical(c.Func)] != nil {
					errs.Add(el.Equation.PosAt(c.At), "the macro %s is called in the equation of the arrayed %s; macros are expanded only in scalar equations", c.Func, v.Name)
					return false
				}
				return true
			})
		}
	}
	return errs.Err()
}

// instance embeds the k-th copy of a macro for a call in eq and returns
// the name of its result.
func (m *Model) instance(mac *Macro, k int, c *expr.Call, eq Equation) (string, error) {
	at := eq.PosAt(c.At)
	if len(c.Args) > len(mac.Params) {
		return "", &Error{Pos: at, Msg: fmt.Sprintf("the macro %s takes %d arguments; found %d", mac.Name, len(mac.Params), len(c.Args))}
	}
	for i := len(c.Args); i < len(mac.Params); i++ {
		if mac.Params[i].Default.Expr == nil {
			return "", &Error{Pos: at, Msg: fmt.Sprintf("the macro %s takes %d arguments (%d optional); found %d", mac.Name, len(mac.Params), countDefaults(mac), len(c.Args))}
		}
	}
	if len(c.Subs) > 0 {
		return "", &Error{Pos: at, Msg: fmt.Sprintf("the macro %s is called with subscripts; macros take no subscripts", mac.Name)}
	}
	name := mac.Name + " " + strconv.Itoa(k)
	body := &Model{}
	if mac.Body != nil {
		body.Dimensions, body.Lookups = mac.Body.Dimensions, mac.Body.Lookups
		body.Vars = append(body.Vars, mac.Body.Vars...)
	}
	result := mac.Name
	if body.Var(result) != nil {
		result += " result"
	}
	params := make([]*Variable, len(mac.Params))
	for i, p := range mac.Params {
		params[i] = &Variable{Kind: Aux, Name: p.Name, Equation: p.Default, Pos: mac.Pos}
		body.Vars = append(body.Vars, params[i])
	}
	body.Vars = append(body.Vars, &Variable{Kind: Aux, Name: result, Equation: mac.Equation, Pos: mac.Pos})
	if err := m.Embed(name, body, at); err != nil {
		return "", err
	}
	for i, a := range c.Args {
		if err := m.Bind(name+"."+mac.Params[i].Name, expr.Format(a), at); err != nil {
			return "", err
		}
	}
	return name + "." + result, nil
}

func countDefaults(mac *Macro) int {
	n := 0
	for _, p := range mac.Params {
		if p.Default.Expr != nil {
			n++
		}
	}
	return n
}

// replaceCalls returns eq with each call in repl replaced by a reference
// to the variable named there.
func replaceCalls(eq Equation, repl map[*expr.Call]string) Equation {
	var sub func(e expr.Expr) expr.Expr
	sub = func(e expr.Expr) expr.Expr {
		switch n := e.(type) {
		case *expr.Call:
			if name, ok := repl[n]; ok {
				return &expr.Ident{At: n.At, Name: name}
			}
			for i := range n.Args {
				n.Args[i] = sub(n.Args[i])
			}
			for i := range n.Subs {
				n.Subs[i] = sub(n.Subs[i])
			}
		case *expr.Unary:
			n.X = sub(n.X)
		case *expr.Binary:
			n.X, n.Y = sub(n.X), sub(n.Y)
		case *expr.If:
			n.Cond, n.Then, n.Else = sub(n.Cond), sub(n.Then), sub(n.Else)
		case *expr.Index:
			for i := range n.Subs {
				n.Subs[i] = sub(n.Subs[i])
			}
		case *expr.Range:
			n.From, n.To = sub(n.From), sub(n.To)
		}
		return e
	}
	text := expr.Format(sub(eq.Expr))
	out, err := NewEquation(text, eq.Pos, eq.indent)
	if err != nil {
		return eq
	}
	return out
}

// recursion returns the macros whose expansion would not end: those that
// call themselves, directly or through other macros.
func recursion(macros []*Macro, byName map[string]*Macro) map[string]bool {
	calls := make(map[string][]string)
	for _, mac := range macros {
		eqs := []Equation{mac.Equation}
		for _, p := range mac.Params {
			eqs = append(eqs, p.Default)
		}
		if mac.Body != nil {
			for _, v := range mac.Body.Vars {
				eqs = append(eqs, v.Equation, v.Initial)
				for _, el := range v.Elements {
					eqs = append(eqs, el.Equation)
				}
			}
		}
		key := Canonical(mac.Name)
		for _, eq := range eqs {
			expr.Walk(eq.Expr, func(e expr.Expr) bool {
				if c, ok := e.(*expr.Call); ok && byName[Canonical(c.Func)] != nil {
					calls[key] = append(calls[key], Canonical(c.Func))
				}
				return true
			})
		}
	}
	const (
		unseen = iota
		open
		done
	)
	state := make(map[string]int)
	var visit func(k string) bool
	visit = func(k string) bool {
		switch state[k] {
		case open:
			return true
		case done:
			return false
		}
		state[k] = open
		for _, c := range calls[k] {
			if visit(c) {
				return true
			}
		}
		state[k] = done
		return false
	}
	cyclic := make(map[string]bool)
	for _, mac := range macros {
		k := Canonical(mac.Name)
		state = make(map[string]int)
		cyclic[k] = visit(k)
	}
	return cyclic
}
