package units_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/units"
)

// base is a small subscription model whose units all agree; each case of
// TestCheckMistakes adds to it one deliberate mistake.
const base = `time: {start: 0, stop: 12, units: month}
stocks:
  customers: {initial: 100, inflows: [signups], outflows: [churn], units: accounts}
#stocks
flows:
  signups: {equation: "SMTH1(spend / cost, 2)", units: accounts/month}
  churn: {equation: customers * churn_rate, units: accounts/month}
#flows
auxiliaries:
  spend: {equation: "1000 + STEP(500, 6)", units: $/month}
  cost: {equation: 50, units: $/account}
  churn_rate: {equation: 0.02, units: 1/month}
  price: {equation: 30, units: $/(account*month)}
  revenue: {equation: customers * price, units: $/month}
`

// where returns the position of the first character of at in src, which
// must occur there once.
func where(t *testing.T, src, at string) model.Position {
	t.Helper()
	i := strings.Index(src, at)
	if i < 0 || strings.Count(src, at) != 1 {
		t.Fatalf("%q does not occur exactly once in the model", at)
	}
	line := 1 + strings.Count(src[:i], "\n")
	col := i - strings.LastIndexByte(src[:i], '\n')
	return model.Position{File: "m.yaml", Line: line, Col: col}
}

// withMistake adds lines to base: a line starting #stocks or #flows goes
// to that section, any other to the auxiliaries (or after them).
func withMistake(add string) string {
	src := base
	for _, line := range strings.Split(add, "\n") {
		switch {
		case strings.HasPrefix(line, "#stocks"), strings.HasPrefix(line, "#flows"):
			tag := line[:strings.IndexByte(line, ' ')]
			src = strings.Replace(src, tag+"\n", strings.TrimPrefix(line, tag)+"\n"+tag+"\n", 1)
		default:
			src += line + "\n"
		}
	}
	return src
}

func check(t *testing.T, src string) (*units.Report, error) {
	t.Helper()
	m, err := model.Load("m.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return units.Check(m)
}

func TestBaseIsClean(t *testing.T) {
	if _, err := check(t, base); err != nil {
		t.Fatalf("Check(base) = %v", err)
	}
}

// TestCheckMistakes has one deliberate mistake per rule, each reported once,
// at its position, saying what was expected and what was found.
func TestCheckMistakes(t *testing.T) {
	tests := []struct {
		name  string
		add   string   // appended to base
		at    string   // the text the error points at (occurring once)
		off   int      // bytes into at
		units []string // expected and found, when the problem has them
		msg   string   // a distinctive part of the message
	}{
		{"sum of different units", `  bad: {equation: customers + price, units: accounts}`,
			"+ price", 0, []string{"account", "$/(account*month)"}, "cannot add account and $/(account*month)"},
		{"difference of different units", `  bad: {equation: spend - cost, units: $/month}`,
			"- cost", 0, []string{"$/month", "$/account"}, "cannot subtract $/account from $/month"},
		{"product against the declaration", `  bad: {equation: customers * price, units: $}`,
			"customers * price, units: $}", 0, []string{"$", "$/month"}, "declared in $, but the equation gives $/month"},
		{"quotient against the declaration", `  bad: {equation: spend / cost, units: accounts}`,
			"spend / cost, units: accounts}", 0, []string{"account", "account/month"}, "declared in account"},
		{"exponent with units", `  bad: {equation: 2 ^ churn_rate, units: dmnl}`,
			"churn_rate, units: dmnl}", 0, []string{"1", "1/month"}, "exponent must be dimensionless"},
		{"units raised to a non-number", `  k: {equation: 2, units: dmnl}
  bad: {equation: customers ^ k, units: dmnl}`,
			"customers ^ k", 0, []string{"1", "account"}, "only a number can raise units to a power"},
		{"comparison of different units", `  bad: {equation: IF customers > spend THEN 1 ELSE 0, units: dmnl}`,
			"> spend", 0, []string{"account", "$/month"}, "cannot compare account with $/month"},
		{"IF branches differ", `  bad: {equation: IF TIME > 6 THEN customers ELSE revenue, units: accounts}`,
			"revenue, units: accounts}", 0, []string{"account", "$/month"}, "IF branches must have the same units"},
		{"IF condition with a literal in the branch", `  bad: {equation: IF TIME > 6 THEN 0 ELSE revenue, units: accounts}`,
			"IF TIME > 6 THEN 0 ELSE revenue, units: accounts}", 0, []string{"account", "$/month"}, "declared in account"},
		{"time compared with a non-time", `  bad: {equation: IF TIME > customers THEN 1 ELSE 0, units: dmnl}`,
			"> customers", 0, []string{"month", "account"}, "cannot compare month with account"},
		{"DT has the time unit", `  bad: {equation: DT, units: accounts}`,
			"DT, units: accounts}", 0, []string{"account", "month"}, "declared in account"},
		{"smooth time not a time", `  bad: {equation: "SMTH1(revenue, customers)", units: $/month}`,
			"customers)\", units", 0, []string{"month", "account"}, "SMTH1 argument 2 (time) must be in month, found account"},
		{"delay returns its input's units", `  bad: {equation: "DELAY3(revenue, 2)", units: $}`,
			"DELAY3(revenue, 2)\", units: $}", 0, []string{"$", "$/month"}, "declared in $, but the equation gives $/month"},
		{"smooth initial not in the input's units", `  bad: {equation: "SMTH3(revenue, 2, customers)", units: $/month}`,
			"customers)\", units: $/month}", 0, []string{"$/month", "account"}, "SMTH3 argument 3 (initial) must be in $/month"},
		{"STEP start not a time", `  bad: {equation: "STEP(10, customers)", units: dmnl}`,
			"customers)\", units: dmnl}", 0, []string{"month", "account"}, "STEP argument 2 (start) must be in month"},
		{"RAMP gives slope times time", `  bad: {equation: "RAMP(churn_rate, 2)", units: 1/month}`,
			"RAMP(churn_rate, 2)\", units: 1/month}", 0, []string{"1/month", "1"}, "declared in 1/month, but the equation gives 1"},
		{"PULSE gives volume per time", `  bad: {equation: "PULSE(cost, 3)", units: $/account}`,
			"PULSE(cost, 3)\", units: $/account}", 0, []string{"$/account", "$/(account*month)"}, "the equation gives $/(account*month)"},
		{"mod of different units", `  bad: {equation: TIME mod cost, units: month}`,
			"mod cost", 0, []string{"month", "$/account"}, "mod needs operands of the same units"},
		{"MAX of different units", `  bad: {equation: "MAX(customers, spend)", units: accounts}`,
			"spend)\", units: accounts}", 0, []string{"account", "$/month"}, "MAX argument 2 (x) must be in account"},
		{"function of a dimensionless argument", `  bad: {equation: EXP(customers), units: dmnl}`,
			"customers), units: dmnl}", 0, []string{"1", "account"}, "EXP argument 1 (x) must be in 1"},
		{"lookup input", `  bad: {equation: effect(spend), units: dmnl}
lookups:
  effect: {points: [[0, 1], [1, 0.5]], units: dmnl, input_units: dmnl}`,
			"spend), units: dmnl}", 0, []string{"1", "$/month"}, `lookup "effect" takes 1, found $/month`},
		{"lookup output", `  bad: {equation: effect(0.5), units: accounts}
lookups:
  effect: {points: [[0, 1], [1, 0.5]], units: dmnl, input_units: dmnl}`,
			"effect(0.5), units: accounts}", 0, []string{"account", "1"}, "declared in account, but the equation gives 1"},
		{"inline lookup input", `  bad: {equation: spend, lookup: {points: [[0, 1], [1, 2]], input_units: $}, units: dmnl}`,
			"spend, lookup", 0, []string{"$", "$/month"}, "its lookup takes $, but the equation gives $/month"},
		{"stock and flow", `  extra: {equation: 1, units: accounts/year}
#stocks  pipeline: {initial: 0, inflows: [hires], units: accounts}
#flows  hires: {equation: extra, units: accounts/year}`,
			"pipeline:", 0, []string{"account/month", "account/year"}, `inflow "hires" is in account/year, but a flow of this stock must be in account/month`},
		{"stock initial value", `#stocks  balance: {initial: customers, units: $}`,
			"customers, units: $}", 0, []string{"$", "account"}, "declared in $, but the initial value gives account"},
		{"inferred constant used two ways", `  k: 5
  bad1: {equation: k * customers, units: $}
  bad2: {equation: k * spend, units: $}`,
			"k * spend", 0, []string{"$", "$^2/(account*month)"}, "declared in $"},
		{"units that do not parse", `  bad: {equation: 1, units: $/(account*month}`,
			"$/(account*month}", 16, nil, `cannot read units "$/(account*month"`},
	}
	for _, tt := range tests {
		if tt.at == "" {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			src := withMistake(tt.add)
			_, err := check(t, src)
			var list model.ErrorList
			if !errors.As(err, &list) || len(list) != 1 {
				t.Fatalf("Check() = %v; want one error", err)
			}
			var ue *units.Error
			if !errors.As(err, &ue) {
				t.Fatalf("Check() error %v does not wrap a *units.Error", err)
			}
			want := where(t, src, tt.at)
			want.Col += tt.off
			if ue.Pos != want || list[0].Pos != want {
				t.Errorf("error at %s; want %s: %v", ue.Pos, want, err)
			}
			if tt.units != nil {
				if diff := cmp.Diff(tt.units, []string{ue.Expected, ue.Found}); diff != "" {
					t.Errorf("expected and found units mismatch (-want +got):\n%s", diff)
				}
			}
			if !strings.Contains(ue.Msg, tt.msg) || !strings.HasPrefix(list[0].Msg, "units: ") {
				t.Errorf("message %q; want it to say %q", list[0].Msg, tt.msg)
			}
			if got := err.Error(); !strings.HasPrefix(got, want.String()+": units: ") {
				t.Errorf("Error() = %q; want it to start with the position and units:", got)
			}
		})
	}
}

// TestArrays checks arrayed variables: an element has its variable's
// units, per-element equations are each checked, and SUM keeps the units.
func TestArrays(t *testing.T) {
	src := `time: {stop: 12, units: month}
dimensions:
  segment: [smb, enterprise]
stocks:
  customers: {dims: [segment], initial: 100, inflows: [wins], units: accounts}
flows:
  wins: {dims: [segment], equation: "spend[segment] / cac", units: accounts/month}
auxiliaries:
  spend:
    dims: [segment]
    units: $/month
    elements: {smb: 5000, enterprise: "customers[enterprise]"}
  cac: {equation: 400, units: $/account}
  total: {equation: "SUM(customers[*])", units: accounts}
  share: {equation: "customers[enterprise] / total", units: dmnl}
`
	r, err := check(t, src)
	var ue *units.Error
	if !errors.As(err, &ue) {
		t.Fatalf("Check() = %v; want the enterprise element's mistake", err)
	}
	if want := where(t, src, "customers[enterprise]\"}"); ue.Pos != want || ue.Expected != "$/month" || ue.Found != "account" {
		t.Errorf("error %v at %s; want at %s, declared in $/month but account", err, ue.Pos, want)
	}
	if list := err.(model.ErrorList); len(list) != 1 {
		t.Errorf("Check() found %d problems; want 1: %v", len(list), list)
	}
	for _, v := range r.Vars {
		if !v.Known || v.Inferred {
			t.Errorf("%s: units %s, inferred %v; want its declared units", v.Name, r.Units(v), v.Inferred)
		}
	}
}
