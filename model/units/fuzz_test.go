package units_test

import (
	"errors"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/units"
)

// FuzzParse checks that no units text makes Parse panic, and that what it
// reads prints as text that reads back as the same unit.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "1", "dmnl", "$/(account*month)", "accounts/account/month", "m^2", "m^-1",
		"m^(1/2)", "3 month", "person-hour", "Widgets/Month [0,?]", "square miles", "1/(3*month)", "(m/s)^2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := units.Parse(s)
		if err != nil {
			return
		}
		back, err := units.Parse(u.String())
		if err != nil {
			t.Fatalf("Parse(%q) = %s, which does not parse: %v", s, u, err)
		}
		if !back.Equal(u) {
			t.Fatalf("Parse(%q) = %s, which reads back as %s", s, u, back)
		}
	})
}

// FuzzCheck checks that no model that loads makes Check panic, and that
// every problem it reports is positioned.
func FuzzCheck(f *testing.F) {
	f.Add(base)
	f.Add(withDefinitions)
	f.Add("time: {stop: 1, units: week}\nauxiliaries:\n  a: {equation: \"a2 ^ b + SMTH1(c, 2) + MAX(a2, 1)\", units: widget}\n  a2: 1\n  b: 2\n  c: TIME\n")
	f.Fuzz(func(t *testing.T, src string) {
		m, err := model.Load("m.yaml", []byte(src))
		if err != nil {
			return
		}
		r, err := units.Check(m)
		if r == nil {
			t.Fatal("no report")
		}
		var list model.ErrorList
		if err != nil && !errors.As(err, &list) {
			t.Fatalf("Check() = %v; want a model.ErrorList", err)
		}
		for _, e := range list {
			if !e.Pos.IsValid() {
				t.Errorf("unpositioned: %v", e)
			}
		}
	})
}
