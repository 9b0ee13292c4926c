package model

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model/expr"
)

// Macro is a named piece of structure used like a function: XMILE's
// <macro>, Vensim's :MACRO:, a YAML model's macros section. Each call of
// it becomes a copy of its variables, its stocks included, named after
// the macro and the call's number ("SMOOTHED 2.level"), with a variable
// for each parameter holding the call's argument and one for the result
// ("SMOOTHED 2.SMOOTHED"); the call is replaced by a reference to the
// result.
//
// A macro whose Body defines a variable of the macro's own name (Vensim's
// form) and whose Equation is empty or names that variable returns it. Outputs are
// further variables of the Body a call may hand to variables of the
// caller (Vensim's x = NAME(a, b : y)); see MacroOutputs.
type Macro struct {
	Name     string
	Doc      string
	Params   []MacroParam
	Equation Equation // the result, over the parameters and the variables
	Outputs  []string // further outputs: names of variables of Body
	Body     *Model   // the macro's own variables and lookups; may be nil
	// Calls lists the calls in Body's equations that hand further
	// outputs to variables of Body.
	Calls []MacroOutputs
	Pos   Position
}

// MacroOutputs makes the variables Names take the further outputs
// (Macro.Outputs, in order) of the macro called in the equation of the
// variable Var, of which the call must be the whole: Vensim's
// x = NAME(a, b : y, z) defines y and z too. ExpandMacros adds the
// variables Names to the model, or gives the equation to an auxiliary of
// that name that has none (in a macro's Body, where the copies must own
// the name); Pos is where the call names them.
type MacroOutputs struct {
	Var   string
	Names []string
	Pos   Position
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
// outputs names the variables of m that take further outputs of calls.
// A macro that calls itself is refused: its expansion would not end.
func ExpandMacros(m *Model, macros []*Macro, outputs ...MacroOutputs) error {
	var errs ErrorList
	byName := make(map[string]*Macro, len(macros))
	for _, mac := range macros {
		byName[Canonical(mac.Name)] = mac
	}
	// receivers holds the MacroOutputs not yet used, by the canonical
	// name of the variable whose equation is the call.
	receivers := make(map[string]MacroOutputs)
	addReceivers := func(prefix string, outs []MacroOutputs) {
		for _, o := range outs {
			if prefix != "" {
				o.Var = prefix + o.Var
				names := make([]string, len(o.Names))
				for i, n := range o.Names {
					names[i] = prefix + n
				}
				o.Names = names
			}
			c := Canonical(o.Var)
			if _, dup := receivers[c]; dup {
				errs.Add(o.Pos, "the equation of %s hands macro outputs twice", o.Var)
				continue
			}
			receivers[c] = o
		}
	}
	addReceivers("", outputs)
	// leftovers reports the outputs named where no macro is called.
	leftovers := func() {
		var left []MacroOutputs
		for _, o := range receivers {
			left = append(left, o)
		}
		sort.Slice(left, func(i, j int) bool { return left[i].Var < left[j].Var })
		for _, o := range left {
			errs.Add(o.Pos, "%s names macro outputs (%s), but its equation is not a call of a macro", o.Var, strings.Join(o.Names, ", "))
		}
	}
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
			rec, hasRec := receivers[Canonical(v.Name)]
			if eq != &v.Equation {
				hasRec = false
			}
			if hasRec {
				delete(receivers, Canonical(v.Name))
				if len(found) != 1 || found[0] != eq.Expr {
					errs.Add(rec.Pos, "%s names macro outputs (%s): the call of the macro must be the whole of its equation", v.Name, strings.Join(rec.Names, ", "))
					hasRec = false
				}
			}
			repl := make(map[*expr.Call]string, len(found))
			for _, c := range found {
				mac := byName[Canonical(c.Func)]
				if cyclic[Canonical(mac.Name)] {
					errs.Add(eq.PosAt(c.At), "the macro %s (defined at %s) calls itself, directly or through other macros; recursive macros are not supported", mac.Name, mac.Pos)
					continue
				}
				count[Canonical(mac.Name)]++
				prefix, out, err := m.instance(mac, count[Canonical(mac.Name)], c, *eq)
				if err != nil {
					errs.Append(err)
					continue
				}
				addReceivers(prefix+".", mac.Calls)
				if hasRec {
					errs.Append(m.receive(mac, prefix, rec))
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
	leftovers()
	return errs.Err()
}

// instance embeds the k-th copy of a macro for a call in eq and returns
// the copy's name and the name of its result.
func (m *Model) instance(mac *Macro, k int, c *expr.Call, eq Equation) (name, result string, err error) {
	at := eq.PosAt(c.At)
	fail := func(format string, args ...any) (string, string, error) {
		return "", "", &Error{Pos: at, Msg: fmt.Sprintf(format, args...)}
	}
	if len(c.Args) > len(mac.Params) {
		return fail("the macro %s takes %s; found %d", mac.Name, count(len(mac.Params), "argument"), len(c.Args))
	}
	for i := len(c.Args); i < len(mac.Params); i++ {
		if mac.Params[i].Default.Expr == nil {
			if d := countDefaults(mac); d > 0 {
				return fail("the macro %s takes %s (%d optional); found %d", mac.Name, count(len(mac.Params), "argument"), d, len(c.Args))
			}
			return fail("the macro %s takes %s; found %d", mac.Name, count(len(mac.Params), "argument"), len(c.Args))
		}
	}
	if len(c.Subs) > 0 {
		return fail("the macro %s is called with subscripts; macros take no subscripts", mac.Name)
	}
	name = mac.Name + " " + strconv.Itoa(k)
	body := &Model{}
	if mac.Body != nil {
		body.Dimensions, body.Lookups = mac.Body.Dimensions, mac.Body.Lookups
		body.Vars = append(body.Vars, mac.Body.Vars...)
	}
	result = mac.Name
	own := body.Var(result)
	id, isIdent := mac.Equation.Expr.(*expr.Ident)
	addResult := mac.Equation.Expr != nil
	switch {
	case mac.Equation.Expr == nil && own != nil,
		isIdent && own != nil && Canonical(id.Name) == Canonical(own.Name):
		// Vensim's form: the variable named as the macro is the result.
		result, addResult = own.Name, false
	case mac.Equation.Expr == nil:
		return "", "", &Error{Pos: mac.Pos, Msg: fmt.Sprintf("the macro %s has no result: no equation and no variable %s", mac.Name, mac.Name)}
	case own != nil:
		result += " result"
	}
	for _, p := range mac.Params {
		body.Vars = append(body.Vars, &Variable{Kind: Aux, Name: p.Name, Equation: p.Default, Pos: mac.Pos})
	}
	if addResult {
		body.Vars = append(body.Vars, &Variable{Kind: Aux, Name: result, Equation: mac.Equation, Pos: mac.Pos})
	}
	if err := m.Embed(name, body, at); err != nil {
		return "", "", err
	}
	for i, a := range c.Args {
		if err := m.Bind(name+"."+mac.Params[i].Name, expr.Format(a), at); err != nil {
			return "", "", err
		}
	}
	return name, name + "." + result, nil
}

// receive adds the variables that take the further outputs of the copy
// name of mac.
func (m *Model) receive(mac *Macro, name string, rec MacroOutputs) error {
	if len(rec.Names) > len(mac.Outputs) {
		return &Error{Pos: rec.Pos, Msg: fmt.Sprintf("the macro %s has %s; the call names %d", mac.Name, count(len(mac.Outputs), "further output"), len(rec.Names))}
	}
	var errs ErrorList
	for i, n := range rec.Names {
		out := name + "." + mac.Outputs[i]
		src := m.Var(out)
		if src == nil {
			errs.Add(mac.Pos, "the macro %s has no variable %s, its output", mac.Name, mac.Outputs[i])
			continue
		}
		eq, err := NewEquation(expr.Format(&expr.Ident{Name: src.Name}), rec.Pos, 0)
		if err != nil {
			errs.Append(err)
			continue
		}
		if v := m.Var(n); v != nil {
			// A variable without an equation stands for the output
			// (in a macro's body, so that its copies rename it).
			if v.Kind != Aux || v.Equation.Expr != nil || v.Dims != nil {
				errs.Add(rec.Pos, "%s is defined twice: it takes an output of the macro %s", n, mac.Name)
				continue
			}
			v.Equation = eq
			continue
		}
		m.Vars = append(m.Vars, &Variable{Kind: Aux, Name: n, Equation: eq, Pos: rec.Pos})
	}
	return errs.Err()
}

// count writes n things: "1 argument", "2 arguments".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.Itoa(n) + " " + thing + "s"
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
