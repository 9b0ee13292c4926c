package units

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/stockflow/stockflow/model"
)

// System is a set of unit definitions: names that stand for units
// expressions and aliases that are other names for a unit. A name it does
// not define is a primary unit of its own.
type System struct {
	defs  map[string]*definition // by the canonical form of every name and alias
	named []*definition          // the model's own definitions with an equation, for display
	chain []string               // the definitions being resolved, to report circles
	// display holds the spelling of each primary unit as first written
	// (see displayName); nil for the shared baseline System.
	display map[string]string
}

type definition struct {
	name  string // as written
	eqn   string // empty for a primary unit
	pos   model.Position
	user  bool
	quiet bool // its error is another definition's, reported there
	state int  // 0 not resolved, 1 resolving, 2 resolved
	unit  Unit
	err   error
}

// baseline is the definitions every System has: the recommended ones of
// XMILE 1.0 (section 3.3.6), which make 1, the time units and their
// abbreviations known. A model's definitions replace them name by name.
var baseline = []*model.UnitDef{
	{Name: "1", Aliases: []string{"dimensionless", "unitless", "dmnl"}},
	{Name: "nanoseconds", Aliases: []string{"ns", "nanosecond"}},
	{Name: "microseconds", Aliases: []string{"us", "microsecond"}},
	{Name: "milliseconds", Aliases: []string{"ms", "millisecond"}},
	{Name: "seconds", Aliases: []string{"s", "sec", "second"}},
	{Name: "per_second", Equation: "1/seconds"},
	{Name: "minutes", Aliases: []string{"min", "minute"}},
	{Name: "per_minute", Equation: "1/minutes"},
	{Name: "hours", Aliases: []string{"hr", "hour"}},
	{Name: "per_hour", Equation: "1/hours"},
	{Name: "days", Aliases: []string{"day"}},
	{Name: "per_day", Equation: "1/days"},
	{Name: "weeks", Aliases: []string{"wk", "week"}},
	{Name: "per_week", Equation: "1/weeks"},
	{Name: "months", Aliases: []string{"mo", "month"}},
	{Name: "per_month", Equation: "1/months"},
	{Name: "quarters", Aliases: []string{"qtr", "quarter"}},
	{Name: "per_quarter", Equation: "1/quarters"},
	{Name: "years", Aliases: []string{"yr", "year"}},
	{Name: "per_year", Equation: "1/years"},
}

var baseSystem = func() *System {
	s, err := NewSystem(nil)
	if err != nil {
		panic(err) // the baseline is well formed
	}
	s.display = nil // shared, so it records no spellings
	return s
}()

// NewSystem returns the baseline definitions together with a model's own
// (model.Model.Units). The error, if any, is a model.ErrorList of the
// definitions that clash, do not parse or are circular; the System is
// usable all the same, without them.
func NewSystem(defs []*model.UnitDef) (*System, error) {
	s := &System{defs: make(map[string]*definition)}
	add := func(d *model.UnitDef, user bool) {
		def := &definition{name: d.Name, eqn: strings.TrimSpace(d.Equation), pos: d.Pos, user: user}
		if def.eqn == "" {
			def.state, def.unit = 2, Primary(Canonical(d.Name))
		}
		if c := Canonical(d.Name); c == "1" || c == "dimensionless" {
			def.state, def.unit = 2, Unit{}
		}
		for _, n := range append([]string{d.Name}, d.Aliases...) {
			s.defs[Canonical(n)] = def
		}
	}
	for _, d := range baseline {
		add(d, false)
	}
	var errs model.ErrorList
	seen := make(map[string]*model.UnitDef)
	for _, d := range defs {
		for _, n := range append([]string{d.Name}, d.Aliases...) {
			c := Canonical(n)
			if c == "" {
				errs.Append(newError(d.Pos, d.Name, "a unit name must not be empty"))
				continue
			}
			// People with the aliases person and persons names one unit
			// three ways: only another definition is a clash.
			if prev, ok := seen[c]; ok && prev != d {
				errs.Append(newError(d.Pos, d.Name, fmt.Sprintf("unit %q is defined twice (first at %s)", n, prev.Pos)))
				continue
			}
			seen[c] = d
		}
		add(d, true)
	}
	for _, d := range defs {
		def := s.defs[Canonical(d.Name)]
		if def == nil || def.name != d.Name {
			continue
		}
		s.resolveDef(def, nil)
		if def.err != nil {
			if !def.quiet {
				errs.Append(newError(def.pos, def.name, def.err.Error()))
			}
			continue
		}
		if def.eqn != "" {
			s.named = append(s.named, def)
		}
	}
	sort.Slice(s.named, func(i, j int) bool { return s.named[i].name < s.named[j].name })
	s.display = make(map[string]string)
	for _, d := range defs {
		if d.Equation == "" {
			s.display[Canonical(d.Name)] = displayName(d.Name)
		}
	}
	return s, errs.Err()
}

// resolveDef works out the unit of a definition, following the chain of
// definitions it uses (path) to report circles.
func (s *System) resolveDef(d *definition, path []string) {
	switch d.state {
	case 2:
		return
	case 1:
		d.err = fmt.Errorf("unit %q is defined in terms of itself (%s)", d.name, strings.Join(append(path, d.name), " -> "))
		d.state = 2
		return
	}
	d.state = 1
	sub := &System{defs: s.defs, chain: append(path[:len(path):len(path)], d.name)}
	p := &unitParser{src: d.eqn, sys: sub}
	p.next()
	u, err := p.product()
	if err == nil && p.tok != tokEOF {
		err = p.errorf("unexpected %s after the end of the units", p.describe())
	}
	if d.state == 2 && d.err != nil { // a circle closed on this definition
		return
	}
	d.state = 2
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) && se.defined {
			d.err, d.quiet = err, true
			return
		}
		d.err = fmt.Errorf("cannot read %q: %v", d.eqn, err)
		return
	}
	d.unit = u
}

// resolve returns the unit a name stands for.
func (s *System) resolve(name string) (Unit, error) {
	c := Canonical(name)
	if c == "" || c[0] >= '0' && c[0] <= '9' || c[0] == '\'' {
		return Unit{}, fmt.Errorf("%q is not a unit name", name)
	}
	d := s.defs[c]
	if d == nil {
		return Primary(c), nil
	}
	if d.state != 2 {
		s.resolveDef(d, s.chain)
	}
	if d.err != nil {
		return Unit{}, d.err
	}
	return d.unit, nil
}

// Format returns the unit as text, by the name of one of the model's own
// definitions when the unit is exactly that (as XMILE recommends), and by
// its primary units otherwise.
func (s *System) Format(u Unit) string {
	for _, d := range s.named {
		if d.err == nil && d.unit.Equal(u) && !d.unit.IsDimensionless() {
			return displayName(d.name)
		}
	}
	return u.format(func(c string) string {
		if d := s.display[c]; d != "" {
			return d
		}
		return c
	}, 6)
}
