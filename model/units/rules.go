package units

import (
	"strings"
	"sync"

	"github.com/stockflow/stockflow/model/builtin"
)

// A units rule says what units a builtin function takes and gives. The
// rules are part of the builtin table (builtin.Func.Units and
// builtin.Param.UnitsRule): each parameter's units and the value's are a
// units expression in which T is the model's time unit, 1 dimensionless,
// a single lower-case letter other than t (x, y, ...) a type variable
// standing for whatever units the call gives it (the same letter the same
// units throughout one call), and "*" any units at all.
type rule struct {
	params   []param
	variadic bool
	result   Unit
	any      bool // the rule does not fix the value's units
	table    int  // the index of a parameter that names a lookup, or -1
}

type param struct {
	name    string
	units   string // as written in the table
	pattern Unit
}

func (r *rule) param(i int) *param {
	switch {
	case i < len(r.params):
		return &r.params[i]
	case r.variadic && len(r.params) > 0:
		return &r.params[len(r.params)-1]
	}
	return nil
}

var (
	rulesOnce sync.Once
	rules     map[*builtin.Func]*rule
)

// ruleOf returns the units rule of the builtin a canonical name spells.
func ruleOf(canonical string) (*rule, bool) {
	f := builtin.Lookup(canonical)
	if f == nil {
		return nil, false
	}
	rulesOnce.Do(func() {
		rules = make(map[*builtin.Func]*rule)
		for _, f := range builtin.All() {
			rules[f] = compileRule(f)
		}
	})
	r := rules[f]
	return r, r != nil
}

// compileRule parses a function's units rule.
func compileRule(f *builtin.Func) *rule {
	r := &rule{table: f.Arg(builtin.Table), variadic: f.Variadic, result: parsePattern(f.UnitsRule()), any: f.UnitsRule() == "*"}
	for i := range f.Params {
		p := &f.Params[i]
		u := p.UnitsRule()
		if p.Role == builtin.Table {
			u = "*"
		}
		r.params = append(r.params, param{name: p.Name, units: u, pattern: parsePattern(u)})
	}
	return r
}

// timeVar is the name T takes in a pattern.
const timeVar = "t"

func isVar(name string) bool {
	return len(name) == 1 && name[0] >= 'a' && name[0] <= 'z' && name != timeVar
}

// patterns is the system patterns are parsed in: no definitions, so every
// name stays as written (lower-cased).
var patterns = &System{defs: map[string]*definition{}}

// parsePattern parses the units of a parameter or value in a rule. It
// panics on a malformed pattern: the table is part of the program.
func parsePattern(s string) Unit {
	s = strings.TrimSpace(s)
	if s == "" || s == "*" {
		return Unit{}
	}
	u, err := patterns.Parse(s)
	if err != nil {
		panic("units: bad units rule " + s + ": " + err.Error())
	}
	return u
}
