package units_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/builtin"
	"github.com/stockflow/stockflow/model/units"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", "1"},
		{"1", "1"},
		{"dmnl", "1"},
		{"Dimensionless", "1"},
		{"unitless", "1"},
		{"1/month", "1/month"},
		{"1/Months", "1/month"},
		{"per_month", "1/month"},
		{"$/(account*month)", "$/(account*month)"},
		{"$/account/month", "$/(account*month)"},
		{"$/account/month/month", "$/(account*month^2)"},
		{"accounts/account/month", "1/month"},
		{"contacts/person/year", "contact/(person*year)"},
		{"People", "person"},
		{"persons", "person"},
		{"widgets/Month [0,?]", "widget/month"}, // a Vensim range is ignored
		{"Widgets/Month [-10,10,1]", "widget/month"},
		{"m^2", "m^2"},
		{"m^-1", "1/m"},
		{"m^(1/2)", "m^(0.5)"},
		{"(m/s)^2", "m^2/second^2"},
		{"person-hour", "hour*person"},
		{"square miles", "square_mile"},
		{"Rs/(Day*Person)", "rs/(day*person)"},
		{"3 month", "3 month"},
		{"hrs", "hour"},
		{"yr", "year"},
		{"degrees", "degree"},
		{"inches", "inch"},
		{"boxes", "box"},
		{"companies", "company"},
		{"status", "status"},
		{"class", "class"},
		{"%", "%"},
	}
	for _, tt := range tests {
		u, err := units.Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := u.String(); got != tt.want {
			t.Errorf("Parse(%q) = %s; want %s", tt.in, got, tt.want)
		}
		// The printed form parses back to the same unit.
		back, err := units.Parse(u.String())
		if err != nil || !back.Equal(u) {
			t.Errorf("Parse(%q) printed as %q reads back as %v, %v", tt.in, u, back, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
	}{
		{"$/(account*month", 16},
		{"m^x", 2},
		{"month month/", 12},
		{"a/(b", 4},
		{"*m", 0},
		{"month 3", 6},
		{"0 month", 0},
		{"m)", 1},
	}
	for _, tt := range tests {
		_, err := units.Parse(tt.in)
		var se *units.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v; want a *SyntaxError", tt.in, err)
			continue
		}
		if se.Offset != tt.offset {
			t.Errorf("Parse(%q) error at offset %d; want %d (%v)", tt.in, se.Offset, tt.offset, err)
		}
	}
}

func TestCanonical(t *testing.T) {
	for in, want := range map[string]string{
		"Month": "month", "MONTHS": "month", "people": "person", "Widget Units": "widget_unit",
		"dollars": "dollar", "$": "$", "bus": "bus", "ms": "ms", "hours": "hour", "lynxes": "lynx",
	} {
		if got := units.Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestAlgebra(t *testing.T) {
	p := func(s string) units.Unit {
		u, err := units.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	tests := []struct {
		name string
		got  units.Unit
		want string
	}{
		{"product", p("$/account").Mul(p("account/month")), "$/month"},
		{"quotient", p("$").Div(p("month")), "$/month"},
		{"cancel", p("month").Div(p("months")), "1"},
		{"power", p("m").Pow(3), "m^3"},
		{"root", p("m^2").Pow(0.5), "m"},
		{"zero power", p("m").Pow(0), "1"},
	}
	for _, tt := range tests {
		if tt.got.String() != tt.want || !tt.got.Equal(p(tt.want)) {
			t.Errorf("%s = %s; want %s", tt.name, tt.got, tt.want)
		}
	}
	if !units.Dimensionless.IsDimensionless() || p("m").IsDimensionless() {
		t.Error("IsDimensionless is wrong")
	}
}

func TestSystem(t *testing.T) {
	defs := []*model.UnitDef{
		{Name: "customer", Equation: "account"},
		{Name: "dollar", Aliases: []string{"$", "USD"}},
		{Name: "quarter", Equation: "3 month"},
		{Name: "mrr", Equation: "$/month"},
		{Name: "Rabbits", Aliases: []string{"bunny"}},
	}
	s, err := units.NewSystem(defs)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ a, b string }{
		{"customers", "account"},
		{"USD/customer", "dollars/accounts"},
		{"bunnies", "rabbit"},
		{"mrr", "dollar/month"},
		{"1/quarter", "1/(3*month)"},
	}
	for _, tt := range tests {
		a, err1 := s.Parse(tt.a)
		b, err2 := s.Parse(tt.b)
		if err1 != nil || err2 != nil || !a.Equal(b) {
			t.Errorf("%q = %v, %q = %v (%v, %v): want equal", tt.a, a, tt.b, b, err1, err2)
		}
	}
	q, _ := s.Parse("quarter")
	m, _ := s.Parse("month")
	if q.Equal(m) || !q.SameDimension(m) || q.Scale() != 3 {
		t.Errorf("quarter = %v; want 3 month", q)
	}
	if u, _ := s.Parse("$/month"); s.Format(u) != "mrr" {
		t.Errorf("Format($/month) = %q; want the defined name mrr", s.Format(u))
	}
}

func TestSystemErrors(t *testing.T) {
	pos := func(line int) model.Position { return model.Position{File: "m.yaml", Line: line, Col: 3} }
	tests := []struct {
		name string
		defs []*model.UnitDef
		line int
	}{
		{"circle", []*model.UnitDef{{Name: "a", Equation: "b", Pos: pos(1)}, {Name: "b", Equation: "a*month", Pos: pos(2)}}, 1},
		{"itself", []*model.UnitDef{{Name: "a", Equation: "a^2", Pos: pos(4)}}, 4},
		{"twice", []*model.UnitDef{{Name: "seat", Pos: pos(1)}, {Name: "Seats", Pos: pos(2)}}, 2},
		{"alias twice", []*model.UnitDef{{Name: "seat", Aliases: []string{"chair"}, Pos: pos(1)}, {Name: "chair", Pos: pos(3)}}, 3},
		{"bad equation", []*model.UnitDef{{Name: "bad", Equation: "m/(s", Pos: pos(5)}}, 5},
	}
	for _, tt := range tests {
		_, err := units.NewSystem(tt.defs)
		var ue *units.Error
		if !errors.As(err, &ue) {
			t.Errorf("%s: NewSystem() = %v; want a *units.Error", tt.name, err)
			continue
		}
		if ue.Pos.Line != tt.line {
			t.Errorf("%s: error at %s; want line %d (%v)", tt.name, ue.Pos, tt.line, err)
		}
	}
}

// TestRules checks the units rule of every builtin: each parses, and every
// function but LOOKUP (whose table decides) says what units its value has.
func TestRules(t *testing.T) {
	for _, f := range builtin.All() {
		rules := []string{f.UnitsRule()}
		for i := range f.Params {
			rules = append(rules, f.Params[i].UnitsRule())
		}
		for _, r := range rules {
			if r == "*" {
				continue
			}
			if _, err := units.Parse(strings.NewReplacer("T", "month").Replace(r)); err != nil {
				t.Errorf("%s: units rule %q: %v", f.Name, r, err)
			}
		}
		if f.UnitsRule() == "*" && f.Arg(builtin.Table) < 0 {
			t.Errorf("%s: the builtin table gives no units for its value: set Func.Units (and Param.Units where the role does not say)", f.Name)
		}
	}
}
