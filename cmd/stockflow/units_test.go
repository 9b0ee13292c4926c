package main

import (
	"os"
	"strings"
	"testing"
)

// unitsMistake adds people to dollars per person per month.
const unitsMistake = `time: {stop: 2, units: month}
stocks:
  customers: {initial: 10, inflows: [signups], units: accounts}
flows:
  signups: {equation: 1, units: accounts/month}
auxiliaries:
  price: {equation: 30, units: $/account/month}
  revenue: {equation: customers + price, units: $/month}
`

func TestCheckUnits(t *testing.T) {
	path := writeFile(t, "m.yaml", unitsMistake)
	out, errs, status := stockflow("check", path)
	want := path + ":8:33: units: revenue: cannot add account and $/(account*month)\n"
	if status != 1 || out != "" || errs != want {
		t.Errorf("check: status %d, stdout %q, stderr:\n%s\nwant:\n%s", status, out, errs, want)
	}
	// Units problems come in file order with the other errors.
	bad := strings.Replace(unitsMistake, "signups: {equation: 1,", "signups: {equation: nobody,", 1)
	path = writeFile(t, "bad.yaml", bad)
	_, errs, status = stockflow("check", path)
	want = path + `:5:23: undefined variable "nobody"` + "\n" + path + ":8:33: units: revenue: cannot add account and $/(account*month)\n"
	if status != 1 || errs != want {
		t.Errorf("check: status %d, stderr:\n%s\nwant:\n%s", status, errs, want)
	}
}

func TestRunWarnsOfUnits(t *testing.T) {
	path := writeFile(t, "m.yaml", unitsMistake)
	out, errs, status := stockflow("run", path, "--vars", "revenue")
	if status != 0 || !strings.HasPrefix(out, "time,revenue\n0,40\n") {
		t.Errorf("run: status %d, stdout:\n%s", status, out)
	}
	if want := "warning: " + path + ":8:33: units: revenue: cannot add account and $/(account*month)\n"; errs != want {
		t.Errorf("run: stderr %q; want %q", errs, want)
	}
	// A units-clean model runs without a word on standard error.
	if _, errs, status := stockflow("run", teacup); status != 0 || errs != "" {
		t.Errorf("run teacup: status %d, stderr %q", status, errs)
	}
}

func TestUnitsCommand(t *testing.T) {
	out, errs, status := stockflow("units", "../../testdata/models/predator_prey.yaml")
	if status != 0 || errs != "" {
		t.Fatalf("status %d, stderr %q", status, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	fields := func(i int) []string { return strings.Fields(lines[i]) }
	wantRows := map[string][]string{
		"variable":       {"variable", "kind", "declared", "units"},
		"TIME":           {"TIME", "time", "year", "year"},
		"hares":          {"hares", "stock", "hares", "hare"},
		"hare_births":    {"hare_births", "flow", "-", "hare/year", "(inferred)"},
		"predation_rate": {"predation_rate", "auxiliary", "-", "1/(lynx*year)", "(inferred)"},
	}
	found := 0
	for i := range lines {
		f := fields(i)
		if want, ok := wantRows[f[0]]; ok {
			found++
			if strings.Join(f, " ") != strings.Join(want, " ") {
				t.Errorf("row %q; want %q", lines[i], strings.Join(want, " "))
			}
		}
	}
	if found != len(wantRows) || len(lines) != 1+1+2+4+4 {
		t.Errorf("unexpected output:\n%s", out)
	}

	// With a problem: the table, then the problem, and status 1.
	path := writeFile(t, "m.yaml", unitsMistake)
	out, errs, status = stockflow("units", path)
	if status != 1 || !strings.Contains(out, "revenue") || !strings.Contains(errs, "units: revenue: cannot add") {
		t.Errorf("status %d, stdout:\n%s\nstderr:\n%s", status, out, errs)
	}
	if _, errs, status := stockflow("units", "missing.yaml"); status != 1 || !strings.Contains(errs, "missing.yaml") {
		t.Errorf("missing file: status %d, stderr %q", status, errs)
	}
	if _, errs, status := stockflow("units"); status != 2 || !strings.Contains(errs, "missing MODEL") {
		t.Errorf("no model: status %d, stderr %q", status, errs)
	}
}

// TestREADMEUnitsExample checks that the units error the README shows is
// what check prints for testdata/units/revenue.yaml.
func TestREADMEUnitsExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const path = "testdata/units/revenue.yaml"
	_, errs, status := stockflow("check", "../../"+path)
	line := strings.TrimPrefix(strings.TrimSpace(errs), "../../")
	if status != 1 || !strings.Contains(string(readme), "\n"+line+"\n") {
		t.Errorf("check %s: status %d, %q; the README shows another message", path, status, line)
	}
}
