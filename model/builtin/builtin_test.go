package builtin_test

import (
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/builtin"
)

// TestSpellingsCanonical checks that every spelling in the table is in the
// canonical form the index assumes, so that Lookup(model.Canonical(s))
// finds it.
func TestSpellingsCanonical(t *testing.T) {
	for _, f := range builtin.All() {
		for _, s := range f.Spellings() {
			if got := builtin.Lookup(model.Canonical(s)); got != f {
				t.Errorf("Lookup(Canonical(%q)) = %v, want %s", s, got, f.Name)
			}
			if s != strings.ToUpper(s) || strings.ContainsAny(s, " ") {
				t.Errorf("spelling %q: want upper case with underscores", s)
			}
		}
	}
}

// TestTableShape checks what every reader of the table relies on.
func TestTableShape(t *testing.T) {
	for _, f := range builtin.All() {
		optional := false
		for _, p := range f.Params {
			if optional && !p.Optional {
				t.Errorf("%s: required %q after an optional parameter", f.Name, p.Name)
			}
			optional = optional || p.Optional
		}
		if f.Variadic && optional {
			t.Errorf("%s: variadic with optional parameters", f.Name)
		}
		if f.Kind == 0 {
			t.Errorf("%s: no Kind", f.Name)
		}
		if f.Doc == "" {
			t.Errorf("%s: no Doc", f.Name)
		}
		if f.Stages > 0 && f.Arg(builtin.Order) >= 0 {
			t.Errorf("%s: both fixed stages and an order argument", f.Name)
		}
		if (f.Stages > 0 || f.Arg(builtin.Order) >= 0) && (!f.Follows || f.Arg(builtin.Input) != 0) {
			t.Errorf("%s: a staged function must follow its first argument", f.Name)
		}
		if f.Kind == builtin.Random && f.Arg(builtin.Seed) != len(f.Params)-1 {
			t.Errorf("%s: the seed must be the last parameter", f.Name)
		}
		if f.Bare && len(f.Params) > 0 {
			t.Errorf("%s: written bare but takes arguments", f.Name)
		}
	}
}

func TestSignatureAndArity(t *testing.T) {
	tests := []struct {
		name, sig, count string
		min, max         int
	}{
		{"SMTH1", "SMTH1(input, time[, initial])", "2 or 3 arguments", 2, 3},
		{"MIN", "MIN(x, ...)", "at least 1 argument", 1, -1},
		{"NPV", "NPV(stream, rate[, initial[, factor]])", "2 to 4 arguments", 2, 4},
		{"PI", "PI()", "0 arguments", 0, 0},
		{"DELAY_N", "DELAY_N(input, time, initial, n)", "4 arguments", 4, 4},
		{"ABS", "ABS(x)", "1 argument", 1, 1},
	}
	for _, tt := range tests {
		f := builtin.Lookup(model.Canonical(tt.name))
		if f == nil {
			t.Fatalf("Lookup(%q) = nil", tt.name)
		}
		if got := f.Signature(); got != tt.sig {
			t.Errorf("%s.Signature() = %q, want %q", tt.name, got, tt.sig)
		}
		if got := f.ArgCount(); got != tt.count {
			t.Errorf("%s.ArgCount() = %q, want %q", tt.name, got, tt.count)
		}
		if f.Min() != tt.min || f.Max() != tt.max {
			t.Errorf("%s: Min, Max = %d, %d, want %d, %d", tt.name, f.Min(), f.Max(), tt.min, tt.max)
		}
	}
}

func TestRolesAndAliases(t *testing.T) {
	tests := []struct {
		spelling, name string
		order, initial int
		stages         int
		dialect        string
	}{
		{"Delay Fixed", "DELAY_FIXED", -1, 2, 0, "Vensim"},
		{"delay n", "DELAY_N", 3, 2, 0, "Vensim"},
		{"DELAYN", "DELAYN", 2, 3, 0, "XMILE"},
		{"smooth3i", "SMTH3", -1, 2, 3, ""},
		{"Active Initial", "ACTIVE_INITIAL", -1, 1, 0, "Vensim"},
		{"forecast", "FORCST", -1, -1, 0, ""},
	}
	for _, tt := range tests {
		f := builtin.Lookup(model.Canonical(tt.spelling))
		if f == nil || f.Name != tt.name {
			t.Fatalf("Lookup(%q) = %v, want %s", tt.spelling, f, tt.name)
		}
		if got := f.Arg(builtin.Order); got != tt.order {
			t.Errorf("%s: order argument %d, want %d", tt.name, got, tt.order)
		}
		if got := f.Arg(builtin.Initial); got != tt.initial {
			t.Errorf("%s: initial argument %d, want %d", tt.name, got, tt.initial)
		}
		if f.Stages != tt.stages || f.Dialect != tt.dialect {
			t.Errorf("%s: stages %d dialect %q, want %d %q", tt.name, f.Stages, f.Dialect, tt.stages, tt.dialect)
		}
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		name     string
		reserved bool
		clock    builtin.Clock
	}{
		{"time", true, builtin.Time},
		{"dt", true, builtin.DT},
		{"starttime", true, builtin.StartTime},
		{"stoptime", true, builtin.StopTime},
		{"self", true, 0},
		{"if", true, 0},
		{"not", true, 0},
		{"mod", false, 0},
		{"pi", false, 0},
		{"time_step", false, 0}, // Vensim's, which its models define
	}
	for _, tt := range tests {
		if _, got := builtin.Reserved(tt.name); got != tt.reserved {
			t.Errorf("Reserved(%q) = %v, want %v", tt.name, got, tt.reserved)
		}
		got, _ := builtin.ClockOf(tt.name)
		if got != tt.clock {
			t.Errorf("ClockOf(%q) = %v, want %v", tt.name, got, tt.clock)
		}
	}
	if _, f := builtin.Resolve("pi"); f == nil || f.Name != "PI" {
		t.Errorf("Resolve(pi) = %v, want PI", f)
	}
}
