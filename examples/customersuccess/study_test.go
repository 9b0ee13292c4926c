package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim/experiment"
)

func loadStudy(t *testing.T) *study {
	t.Helper()
	m, err := model.Load("model.yaml", embedded)
	if err != nil {
		t.Fatal(err)
	}
	st, err := newStudy(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.compare(); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestTradeOff pins the qualitative result the example exists to show, so
// that a change to the model that breaks it is noticed: spending mostly on
// acquisition wins customers sooner but earns less over five years.
func TestTradeOff(t *testing.T) {
	st := loadStudy(t)
	byName := make(map[string]row)
	for _, r := range st.rows {
		byName[r.name] = r
	}
	heavy := byName["acquisition_heavy"]
	for _, other := range []string{"balanced", "success_heavy"} {
		o := byName[other]
		if !(heavy.figures["customers_m6"] > o.figures["customers_m6"]) {
			t.Errorf("at month 6 acquisition_heavy has %.0f customers, %s %.0f: want acquisition_heavy ahead",
				heavy.figures["customers_m6"], other, o.figures["customers_m6"])
		}
		if !(heavy.figures["cumulative_profit_m60"] < o.figures["cumulative_profit_m60"]) {
			t.Errorf("at month 60 acquisition_heavy has cumulative profit %.0f, %s %.0f: want acquisition_heavy behind",
				heavy.figures["cumulative_profit_m60"], other, o.figures["cumulative_profit_m60"])
		}
	}
}

// TestOptimum pins the other half of the trade-off: the best split is
// found by the optimiser strictly inside (0, 1), it earns at least as much
// as every split of the table, and spending most of the budget on customer
// success starves growth: fewer customers and less profit than the optimum.
func TestOptimum(t *testing.T) {
	st := loadStudy(t)
	opt := st.rows[len(st.rows)-1]
	if opt.name != "optimal" {
		t.Fatalf("last row %q, want optimal", opt.name)
	}
	if !(opt.share > 0.05 && opt.share < 0.95) {
		t.Errorf("optimal share %g, want strictly inside (0, 1), away from the bounds", opt.share)
	}
	for _, r := range st.rows[:len(st.rows)-1] {
		if r.figures["cumulative_profit_m60"] > opt.figures["cumulative_profit_m60"]*(1+1e-9) {
			t.Errorf("%s earns %.0f, more than the optimum's %.0f", r.name, r.figures["cumulative_profit_m60"], opt.figures["cumulative_profit_m60"])
		}
		if r.name == "success_first" && !(r.figures["customers_m60"] < opt.figures["customers_m60"] && r.figures["cumulative_profit_m60"] < 0.95*opt.figures["cumulative_profit_m60"]) {
			t.Errorf("success_first has %.0f customers and %.0f profit at month 60; want fewer and less than the optimum (%.0f, %.0f)",
				r.figures["customers_m60"], r.figures["cumulative_profit_m60"], opt.figures["customers_m60"], opt.figures["cumulative_profit_m60"])
		}
	}
}

// TestRun runs the whole example into a temporary folder: the table, the
// summary with exactly its columns and the four charts.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole study")
	}
	dir := t.TempDir()
	var out strings.Builder
	if err := run("", "", dir, &out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if lines[0] != "scenario,cs_share,customers_m6,customers_m60,mrr_m60,happiness_m60,cumulative_profit_m12,cumulative_profit_m60,customer_lifetime_value" {
		t.Errorf("header %q", lines[0])
	}
	if len(lines) != 6 || !strings.HasPrefix(lines[5], "optimal,") {
		t.Errorf("summary:\n%s", b)
	}
	b, err = os.ReadFile(filepath.Join(dir, "policy.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(strings.TrimSpace(string(b)), "\n")
	if lines[0] != "optimised_for,policy,early_cs_share,shift_month,cs_share,customers_m60,cumulative_profit_m60,npv_m60,runs" || len(lines) != 5 {
		t.Errorf("policy.csv:\n%s", b)
	}
	b, err = os.ReadFile(filepath.Join(dir, "segments.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(strings.TrimSpace(string(b)), "\n")
	if lines[0] != "allocation,segment,cs_weight,cs_dollar_share_m60,cs_per_customer_m60,customers_m60,happiness_m60,mrr_m60,cumulative_profit_m60" || len(lines) != 10 {
		t.Errorf("segments.csv:\n%s", b)
	}
	for _, name := range []string{chartCompare, chartQuadrant, chartLoops, chartBands, chartCLD, chartSplit, chartSegments} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.Size() < 10000 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if !strings.Contains(out.String(), "The split that maximises five-year cumulative profit") {
		t.Errorf("output:\n%s", out.String())
	}
}

// TestOutIsAFile refuses an -out that names a file at once, before the
// study runs, and leaves the file as it was.
func TestOutIsAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "out.png")
	if err := os.WriteFile(file, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	err := run("", "", file, &out)
	want := "customersuccess: -out " + file + " names a file; name a folder for summary.csv and the charts"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if out.Len() != 0 {
		t.Errorf("the study ran: %s", out.String())
	}
	if b, _ := os.ReadFile(file); string(b) != "mine" {
		t.Errorf("the file was changed")
	}
}

// TestRobustnessFromModel checks that the robustness section draws the
// uncertain numbers the model file declares, so that a strategist who edits
// a declaration sees the section change: a churn rate known to be high
// moves the best split and changes the printed robustness.
func TestRobustnessFromModel(t *testing.T) {
	const declared = "uncertainty: triangular(0.01, 0.02, 0.035)"
	if !strings.Contains(string(embedded), declared) {
		t.Fatalf("model.yaml no longer declares %q for base_churn_rate; update the test", declared)
	}
	edited := strings.Replace(string(embedded), declared, "uncertainty: triangular(0.045, 0.05, 0.06)", 1)
	robust := func(src string) (string, []float64, []string) {
		t.Helper()
		m, err := model.Load("model.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		st, err := newStudy(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.compare(); err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		if err := st.printRobustness(&out); err != nil {
			t.Fatal(err)
		}
		spread, err := st.optimumSpread(12)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range st.uncertain {
			names = append(names, p.Name+" "+p.Dist.String())
		}
		return out.String(), spread, names
	}
	outA, spreadA, namesA := robust(string(embedded))
	outB, spreadB, namesB := robust(edited)
	wantA := []string{"acquisition_cost triangular(10000, 15000, 22000)", "referral_rate uniform(0.01, 0.03)",
		"base_churn_rate triangular(0.01, 0.02, 0.035)", "serve_cost_per_customer uniform(150, 250)"}
	if diff := cmp.Diff(wantA, namesA); diff != "" {
		t.Errorf("uncertain constants of model.yaml (-want +got):\n%s", diff)
	}
	if namesB[2] != "base_churn_rate triangular(0.045, 0.05, 0.06)" {
		t.Errorf("after the edit base_churn_rate is drawn from %q", namesB[2])
	}
	if outA == outB {
		t.Errorf("editing the churn uncertainty did not change the robustness output:\n%s", outA)
	}
	medA, medB := experiment.Quantile(spreadA, 0.5), experiment.Quantile(spreadB, 0.5)
	t.Logf("median best share %.3f before, %.3f after the edit", medA, medB)
	if math.Abs(medA-medB) < 0.02 {
		t.Errorf("median best share %.3f before and %.3f after the churn edit: want it to move", medA, medB)
	}

	// With no declared uncertainty the section says so instead of
	// drawing numbers the model does not declare.
	none := strings.NewReplacer(declared, "", "uncertainty: uniform(0.01, 0.03)", "",
		"uncertainty: triangular(10000, 15000, 22000)", "", "uncertainty: uniform(150, 250)", "").Replace(string(embedded))
	m, err := model.Load("model.yaml", []byte(none))
	if err != nil {
		t.Fatal(err)
	}
	st, err := newStudy(m)
	if err != nil {
		t.Fatal(err)
	}
	var outC strings.Builder
	if err := st.printRobustness(&outC); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(outC.String(), "No constant of the model declares an uncertainty") {
		t.Errorf("with no uncertainty declared the section printed:\n%s", outC.String())
	}
}

// TestShift pins the answer to "when to shift": for five-year profit and
// for its NPV alike, the best split that changes once starts leaner on
// customer success than the best constant split and ends richer, shifts
// between the first half-year and the third year, and earns more than
// the best constant split by at least 1 %.
func TestShift(t *testing.T) {
	st := loadStudy(t)
	if err := st.comparePolicies(); err != nil {
		t.Fatal(err)
	}
	for _, pf := range payoffs {
		c, s := st.policy(pf.name, "constant"), st.policy(pf.name, "shifted")
		if c.res == nil || s.res == nil {
			t.Fatalf("%s: no constant or shifted policy", pf.name)
		}
		if !(s.early < c.late && c.late < s.late) {
			t.Errorf("%s: shifted %.2f then %.2f, constant %.2f: want the early share below the constant and the later one above",
				pf.name, s.early, s.late, c.late)
		}
		if !(s.month > 6 && s.month < 36) {
			t.Errorf("%s: shift at month %.1f, want between 6 and 36", pf.name, s.month)
		}
		cv, sv := must(c.res.Final(pf.v)), must(s.res.Final(pf.v))
		if !(sv > 1.01*cv) {
			t.Errorf("%s: shifted earns %.0f, constant %.0f: want the shift ahead by at least 1%%", pf.name, sv, cv)
		}
	}
	// The NPV is the profit discounted: positive, and less than the profit.
	c := st.policy("profit", "constant")
	if !(c.npv > 0 && c.npv < c.profit) {
		t.Errorf("NPV %.0f, profit %.0f: want 0 < NPV < profit", c.npv, c.profit)
	}
}

// TestSegments pins the answer to "where the dollars go": spreading the
// customer-success spend by head-count starves the enterprise accounts
// (unhappy, few, little profit); weighting it toward the larger accounts
// earns far more, and the optimal weights rise with the size of the
// account and do at least as well as weighting by revenue.
func TestSegments(t *testing.T) {
	m, err := loadSegments("")
	if err != nil {
		t.Fatal(err)
	}
	ss, err := newSegmentStudy(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := ss.compare(); err != nil {
		t.Fatal(err)
	}
	by := make(map[string]allocation)
	for _, a := range ss.allocations {
		by[a.name] = a
	}
	hc, rev, opt := by["by_headcount"], by["by_revenue"], by["optimal"]
	profit := func(a allocation) float64 { return must(a.res.Final("cumulative_profit")) }
	if !(profit(rev) > 2*profit(hc)) {
		t.Errorf("by revenue earns %.0f, by head-count %.0f: want more than twice as much", profit(rev), profit(hc))
	}
	if !(profit(opt) >= profit(rev)*(1-1e-9)) {
		t.Errorf("optimal weights earn %.0f, less than by revenue's %.0f", profit(opt), profit(rev))
	}
	if !(1 < opt.weights[0] && opt.weights[0] < opt.weights[1]) {
		t.Errorf("optimal weights 1 : %.2f : %.2f, want them rising with the size of the account", opt.weights[0], opt.weights[1])
	}
	if h := hc.figure("customer_happiness", "enterprise"); !(h < 0.4) {
		t.Errorf("by head-count enterprise happiness at month 60 is %.2f, want below 0.4 (starved)", h)
	}
	if h := opt.figure("customer_happiness", "enterprise"); !(h > 0.7) {
		t.Errorf("with the optimal weights enterprise happiness at month 60 is %.2f, want above 0.7", h)
	}
	if !(opt.figure("customers", "enterprise") > 2*hc.figure("customers", "enterprise")) {
		t.Errorf("enterprise customers at month 60: %.0f optimal, %.0f by head-count; want more than twice as many",
			opt.figure("customers", "enterprise"), hc.figure("customers", "enterprise"))
	}
}
