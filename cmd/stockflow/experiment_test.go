package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestSensitivityCommand(t *testing.T) {
	args := []string{"sensitivity", teacup, "--vary", "characteristic_time=uniform(5, 15)", "--vary", "room_temperature=normal(70, 2)",
		"--runs", "200", "--lhs", "--seed", "4", "--vars", "teacup_temperature"}
	out, errs, status := stockflow(args...)
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] != "time,variable,p5,p25,p50,p75,p95" || len(lines) != 32 || !strings.HasPrefix(lines[1], "0,teacup_temperature,180,180,180,180,180") {
		t.Fatalf("output:\n%s", out)
	}
	// Not a terminal: no progress bar.
	if errs != "" {
		t.Errorf("stderr %q", errs)
	}
	again, _, _ := stockflow(args...)
	if again != out {
		t.Error("the same seed gave different output")
	}
	args[len(args)-3] = "5"
	if other, _, _ := stockflow(args...); other == out {
		t.Error("seeds 4 and 5 gave the same output")
	}
	path := filepath.Join(t.TempDir(), "bands.csv")
	if _, errs, status := stockflow(append(args, "-o", path)...); status != 0 {
		t.Fatal(errs)
	}
	if b, err := os.ReadFile(path); err != nil || !strings.HasPrefix(string(b), "time,variable,") {
		t.Errorf("file: %q, %v", b, err)
	}
	png := filepath.Join(t.TempDir(), "bands.png")
	if _, errs, status := stockflow(append(args, "--plot", png)...); status != 0 {
		t.Fatal(errs)
	}
	if b := readChart(t, png); !bytes.HasPrefix(b, []byte("\x89PNG")) || len(b) < 10000 {
		t.Errorf("%s is not a chart (%d bytes)", png, len(b))
	}
	_, errs, _ = stockflow("sensitivity", teacup, "--vary", "room_temperature=uniform(60, 80)", "--vars", "teacup_temperature,heat_loss_to_room", "--plot", png)
	if !strings.Contains(errs, "--plot charts one variable") {
		t.Errorf("stderr %q", errs)
	}
}

func TestOptimizeCommand(t *testing.T) {
	// The tea is coolest at the end when the room is coldest and the
	// cooling fastest: both on their bounds.
	out, errs, status := stockflow("optimize", teacup, "--vary", "room_temperature=60..80", "--vary", "characteristic_time=5..15", "--minimize", "teacup_temperature")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	got := keyValues(t, out)
	if math.Abs(got["room_temperature"]-60) > 0.01 || math.Abs(got["characteristic_time"]-5) > 0.01 {
		t.Errorf("optimum %v", got)
	}
	// The payoff is what a run at the optimum gives.
	run, _, _ := stockflow("run", teacup, "--set", "room_temperature=60", "--set", "characteristic_time=5", "--vars", "teacup_temperature")
	lines := strings.Split(strings.TrimSpace(run), "\n")
	_, final, _ := strings.Cut(lines[len(lines)-1], ",")
	if want, _ := strconv.ParseFloat(final, 64); math.Abs(got["payoff"]-want) > 1e-6 {
		t.Errorf("payoff %g, want %g", got["payoff"], want)
	}
	if !strings.Contains(errs, "runs from") || strings.Contains(errs, "warning") {
		t.Errorf("stderr %q", errs)
	}
	// A payoff that no varied constant changes.
	_, errs, status = stockflow("optimize", teacup, "--vary", "room_temperature=60..80", "--maximize", "characteristic_time")
	if status != 0 || !strings.Contains(errs, "warning: every run gave the same payoff; characteristic_time does not depend on the constants varied") {
		t.Errorf("status %d, stderr %q", status, errs)
	}
}

func TestCalibrateCommand(t *testing.T) {
	truth, _, status := stockflow("run", teacup, "--set", "characteristic_time=12", "--set", "room_temperature=65", "--vars", "teacup_temperature")
	if status != 0 {
		t.Fatal(truth)
	}
	data := writeFile(t, "obs.csv", strings.ReplaceAll(truth, "teacup_temperature", "Teacup Temperature"))
	out, errs, status := stockflow("calibrate", teacup, "--data", data, "--vary", "characteristic_time=1..30", "--vary", "room_temperature=0..100")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	got := keyValues(t, out)
	if math.Abs(got["characteristic_time"]-12) > 1e-3 || math.Abs(got["room_temperature"]-65) > 1e-3 || got["Teacup Temperature.r2"] < 0.999999 {
		t.Errorf("fit:\n%s", out)
	}
}

func keyValues(t *testing.T, out string) map[string]float64 {
	t.Helper()
	m := make(map[string]float64)
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		k, v, ok := strings.Cut(line, "=")
		x, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil {
			t.Fatalf("line %q is not name=value", line)
		}
		m[k] = x
	}
	return m
}

func TestExperimentErrors(t *testing.T) {
	bad := writeFile(t, "bad.csv", "time,teacup_temperature\n0,180\n1,oops\n")
	wrongColumn := writeFile(t, "wrong.csv", "time,teacup_temperatur\n0,180\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sensitivity", teacup, "--runs", "10"}, "no --vary"},
		{[]string{"sensitivity", teacup, "--vary", "x"}, `--vary x: undefined variable "x"`},
		{[]string{"sensitivity", teacup, "--vary", "=uniform(0, 1)"}, "expected NAME or NAME=DIST(args)"},
		{[]string{"sensitivity", teacup, "--vary", "room_temperature=beta(1, 2)"}, `room_temperature: beta(1, 2): unknown distribution "beta"`},
		{[]string{"sensitivity", teacup, "--vary", "room_temperatur=uniform(1, 2)"}, `undefined variable "room_temperatur" (did you mean "room_temperature"?)`},
		{[]string{"sensitivity", teacup, "--vary", "heat_loss_to_room=uniform(1, 2)"}, `cannot set "heat_loss_to_room"`},
		{[]string{"sensitivity", teacup, "--vary", "room_temperature=uniform(1, 2)", "--runs", "0"}, "--runs must be a positive number"},
		{[]string{"optimize", teacup, "--vary", "room_temperature=60..80"}, "exactly one of --maximize VAR and --minimize VAR"},
		{[]string{"optimize", teacup, "--vary", "room_temperature=80..60", "--maximize", "teacup_temperature"}, "the low bound is above the high one"},
		{[]string{"optimize", teacup, "--vary", "room_temperature=a..b", "--maximize", "teacup_temperature"}, "expected numbers"},
		{[]string{"optimize", teacup, "--vary", "room_temperature=60..80", "--maximize", "teacup", "--at", "final"}, `undefined variable "teacup"`},
		{[]string{"optimize", teacup, "--vary", "room_temperature=60..80", "--maximize", "teacup_temperature", "--at", "median"}, `unknown aggregate "median"`},
		{[]string{"calibrate", teacup, "--vary", "room_temperature=60..80"}, "no --data FILE"},
		{[]string{"calibrate", teacup, "--data", bad, "--vary", "room_temperature=60..80"}, `bad.csv:3:3: expected a number for "teacup_temperature", found "oops"`},
		{[]string{"run", teacup, "--scenarios", bad}, "say which of its scenarios to run with --scenario or --all-scenarios"},
		{[]string{"sensitivity", teacup, "--scenario", "a", "--scenario", "b"}, "--scenario is given 2 times; a run starts from one scenario"},
		{[]string{"calibrate", teacup, "--data", wrongColumn, "--vary", "room_temperature=60..80"}, `wrong.csv:1:6: column "teacup_temperatur" names no variable of the model (did you mean "teacup_temperature"?)`},
	} {
		_, errs, status := stockflow(tc.args...)
		if status == 0 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: status %d, stderr %q\nwant %q", tc.args, status, errs, tc.want)
		}
	}
}

func TestScenarioFile(t *testing.T) {
	file := writeFile(t, "study.yaml", "scenarios:\n  cold:\n    set: {room_temperature: 20}\n")
	out, errs, status := stockflow("run", teacup, "--scenarios", file, "--scenario", "cold", "--vars", "room_temperature")
	if status != 0 || !strings.Contains(out, "\n30,20\n") {
		t.Fatalf("status %d, %s\n%s", status, errs, out)
	}
	_, errs, _ = stockflow("run", teacup, "--scenarios", file, "--scenario", "colt")
	if !(errs == "stockflow run: unknown scenario \"colt\" (did you mean \"cold\"?); the scenarios are baseline, cold\n") {
		t.Errorf("stderr %q", errs)
	}
	bad := writeFile(t, "bad.yaml", "scenarios:\n  cold:\n    set: {room_temp: 20}\n")
	_, errs, _ = stockflow("run", teacup, "--scenarios", bad, "--scenario", "cold")
	if !strings.Contains(errs, `bad.yaml:3:11: scenario "cold" sets undefined variable "room_temp"`) {
		t.Errorf("stderr %q", errs)
	}
}

func TestProgressBar(t *testing.T) {
	var b strings.Builder
	bar := &progressBar{w: &b, label: "sensitivity"}
	bar.update(1, 4) // drawn: the first call
	bar.update(2, 4) // skipped: within a tenth of a second
	bar.update(4, 4) // drawn: the last call always is
	bar.done()
	want := "\rsensitivity [=======                       ]  25% 1/4 runs" +
		"\rsensitivity [==============================] 100% 4/4 runs\n"
	if b.String() != want {
		t.Errorf("bar drew %q\nwant %q", b.String(), want)
	}
	// An unknown total: the count throttled away is drawn at the end.
	b.Reset()
	bar = &progressBar{w: &b, label: "optimize"}
	bar.update(1, 0)
	bar.update(2, 0)
	bar.update(3, 0)
	bar.done()
	want = "\roptimize: 1 run\roptimize: 3 runs\n"
	if b.String() != want {
		t.Errorf("bar drew %q\nwant %q", b.String(), want)
	}
	b.Reset()
	bar = &progressBar{w: &b, label: "calibrate"}
	bar.update(7, 0)
	bar.done()
	if b.String() != "\rcalibrate: 7 runs\n" {
		t.Errorf("bar drew %q", b.String())
	}
	if newProgress(&b, "x") != nil {
		t.Error("a progress bar on a writer that is not a terminal")
	}
	var none *progressBar
	none.done() // no bar, no output, no panic
	if none.progressFunc() != nil {
		t.Error("no bar gave a progress function")
	}
}

// TestSettingsSpelledTwice checks that a setting on the command line
// replaces the scenario's setting of the same variable however either
// spells its name, every time.
func TestSettingsSpelledTwice(t *testing.T) {
	file := writeFile(t, "sc.yaml", "scenarios:\n  hot:\n    set: {Room Temperature: 90}\n")
	for range 20 {
		out, errs, status := stockflow("run", teacup, "--scenarios", file, "--scenario", "hot", "--set", "room_temperature=0", "--vars", "room_temperature")
		if status != 0 || !strings.HasSuffix(out, "\n30,0\n") {
			t.Fatalf("status %d, %s\n%s", status, errs, out)
		}
	}
	_, errs, _ := stockflow("sensitivity", teacup, "--vary", "room_temperature=uniform(0, 1)", "--vary", "Room_Temperature=uniform(1, 2)", "--runs", "5")
	if !strings.Contains(errs, `"Room_Temperature" is varied twice`) {
		t.Errorf("stderr %q", errs)
	}
	flow := writeFile(t, "flow.yaml", "scenarios:\n  odd:\n    set: {heat_loss_to_room: 1}\n")
	_, errs, _ = stockflow("run", teacup, "--scenarios", flow, "--scenario", "odd")
	if !strings.Contains(errs, `flow.yaml:3:11: scenario "odd": cannot set "heat_loss_to_room"`) {
		t.Errorf("stderr %q", errs)
	}
	_, errs, _ = stockflow("plot", teacup, "--vars", "teacup_temperature", "--scenarios", file, "--scenario", "hot", "--scenario", "HOT", "-o", filepath.Join(t.TempDir(), "p.png"))
	if !strings.Contains(errs, `scenario "HOT" is named twice`) {
		t.Errorf("stderr %q", errs)
	}
	png := filepath.Join(t.TempDir(), "p.png")
	if _, errs, status := stockflow("plot", teacup, "--vars", "teacup_temperature", "--scenarios", file, "--all-scenarios", "-o", png); status != 0 {
		t.Errorf("plot --scenarios --all-scenarios: %s", errs)
	}
}

// TestSecondReviewCases pins the fixes of the second review.
func TestSecondReviewCases(t *testing.T) {
	dir := t.TempDir()
	same := filepath.Join(dir, "same.png")
	_, errs, status := stockflow("sensitivity", teacup, "--vary", "room_temperature=uniform(60, 80)", "--runs", "5", "--vars", "teacup_temperature", "-o", same, "--plot", same)
	if status != 2 || !strings.Contains(errs, "-o and --plot name the same file") {
		t.Errorf("status %d, stderr %q", status, errs)
	}
	if _, err := os.Stat(same); err == nil {
		t.Error("a file was written")
	}
	_, errs, _ = stockflow("sensitivity", teacup, "--vary", "room_temperature=uniform(60, 80)", "--runs", "5", "-o", filepath.Join(dir, "no", "s.csv"))
	if !strings.Contains(errs, "there is no folder") {
		t.Errorf("stderr %q", errs)
	}
	_, errs, _ = stockflow("plot", teacup, "--phase", "teacup_temperature,Teacup Temperature", "-o", same)
	if !strings.Contains(errs, "--phase needs two different variables") {
		t.Errorf("stderr %q", errs)
	}
	file := writeFile(t, "sc.yaml", "scenarios:\n  hot:\n    set: {room_temperature: 90}\n")
	_, errs, _ = stockflow("plot", teacup, "--vars", "teacup_temperature", "--scenarios", file, "-o", same)
	if !strings.Contains(errs, "say which of its scenarios to chart") {
		t.Errorf("stderr %q", errs)
	}
	empty := writeFile(t, "empty.csv", "time,teacup_temperature\n0,\n5,\n")
	_, errs, _ = stockflow("calibrate", teacup, "--data", empty, "--vary", "characteristic_time=1..30")
	if !strings.Contains(errs, `column "teacup_temperature" has no observations`) {
		t.Errorf("stderr %q", errs)
	}
	// A payoff that fails for half the range is not flat.
	failing := writeFile(t, "failing.yaml", "time: {start: 0, stop: 1}\nauxiliaries:\n  k: {equation: 0.5}\n  pay: {equation: IF k < 0.5 THEN 5 ELSE SQRT(-1)}\n")
	_, errs, _ = stockflow("optimize", failing, "--vary", "k=0..1", "--maximize", "pay")
	if strings.Contains(errs, "every run gave the same payoff") {
		t.Errorf("stderr %q", errs)
	}
}

// TestDeclaredRangesAndUncertainty checks that the commands use the ranges
// and uncertainties a model declares: --set outside a range is an error
// naming it, optimize --vary NAME takes the range, sensitivity --vary NAME
// the uncertainty, and --uncertain every declared one.
func TestDeclaredRangesAndUncertainty(t *testing.T) {
	_, errs, status := stockflow("run", customerSuccess, "--set", "cs_share=1.5", "--vars", "customers")
	if status != 1 || !strings.Contains(errs, `cs_share = 1.5 is outside the range of "cs_share", [0, 1, 0.01]`) {
		t.Errorf("run --set outside the range: status %d, stderr %q", status, errs)
	}

	declared, errs, status := stockflow("optimize", customerSuccess, "--vary", "cs_share", "--maximize", "cumulative_profit", "--starts", "2")
	if status != 0 {
		t.Fatalf("optimize --vary cs_share: status %d: %s", status, errs)
	}
	explicit, _, _ := stockflow("optimize", customerSuccess, "--vary", "cs_share=0..1", "--maximize", "cumulative_profit", "--starts", "2")
	if declared != explicit {
		t.Errorf("optimize --vary cs_share gave\n%s\nwant what cs_share=0..1 gives\n%s", declared, explicit)
	}
	_, errs, _ = stockflow("optimize", customerSuccess, "--vary", "cs_share=0..2", "--maximize", "cumulative_profit")
	if !strings.Contains(errs, `reaches outside the range of "cs_share", [0, 1, 0.01]`) {
		t.Errorf("optimize beyond the range: stderr %q", errs)
	}
	_, errs, _ = stockflow("optimize", customerSuccess, "--vary", "gtm_budget", "--maximize", "cumulative_profit")
	if !strings.Contains(errs, `the model declares no range for "gtm_budget"`) {
		t.Errorf("optimize of a constant without a range: stderr %q", errs)
	}

	base := []string{"sensitivity", customerSuccess, "--runs", "20", "--lhs", "--seed", "3", "--vars", "cumulative_profit"}
	byName, errs, status := stockflow(append(base, "--vary", "base_churn_rate")...)
	if status != 0 {
		t.Fatalf("sensitivity --vary base_churn_rate: status %d: %s", status, errs)
	}
	spelled, _, _ := stockflow(append(base, "--vary", "base_churn_rate=triangular(0.01, 0.02, 0.035)")...)
	if byName != spelled {
		t.Errorf("sensitivity --vary base_churn_rate differs from the distribution spelled out")
	}
	all, errs, status := stockflow(append(base, "--uncertain")...)
	if status != 0 {
		t.Fatalf("sensitivity --uncertain: status %d: %s", status, errs)
	}
	four, _, _ := stockflow(append(base, "--vary", "acquisition_cost", "--vary", "referral_rate", "--vary", "base_churn_rate", "--vary", "serve_cost_per_customer")...)
	if all != four {
		t.Errorf("sensitivity --uncertain differs from the four declared uncertainties in model order")
	}
	_, errs, _ = stockflow(append(base, "--vary", "cs_share")...)
	if !strings.Contains(errs, `the model declares no uncertainty for "cs_share"`) {
		t.Errorf("sensitivity --vary without a declared uncertainty: stderr %q", errs)
	}
	_, errs, _ = stockflow(append(base, "--vary", "cs_share=normal(0.5, 0.2)")...)
	if !strings.Contains(errs, `reaches outside the range of "cs_share"`) {
		t.Errorf("sensitivity beyond the range: stderr %q", errs)
	}
	_, errs, _ = stockflow("sensitivity", teacup, "--uncertain", "--runs", "5")
	if !strings.Contains(errs, "the model declares no uncertainty") {
		t.Errorf("--uncertain without declarations: stderr %q", errs)
	}
}

// TestElementNames checks that the names a user types reach the elements
// of arrayed variables: --vars with commas inside brackets and wildcards,
// --set of one element and of all of them.
func TestElementNames(t *testing.T) {
	const segments = "../../testdata/arrays/segments.yaml"
	tests := []struct {
		name   string
		args   []string
		header string
		last   string // the final row, to 6 significant figures
	}{
		{"wildcard", []string{"--vars", "customers[*]"}, "time,customers[smb],customers[mid_market],customers[enterprise]", ""},
		{"element and scalar", []string{"--vars", "churn_rate[smb],cac"}, "time,churn_rate[smb],cac", "24,0.04,400"},
		{"set one element", []string{"--vars", "churn_rate[*]", "--set", "churn_rate[mid_market]=0.5"}, "time,churn_rate[smb],churn_rate[mid_market],churn_rate[enterprise]", "24,0.04,0.5,0.01"},
		{"set every element", []string{"--vars", "churn_rate", "--set", "churn_rate=0.5"}, "time,churn_rate[smb],churn_rate[mid_market],churn_rate[enterprise]", "24,0.5,0.5,0.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, status := stockflow(append([]string{"run", segments}, tt.args...)...)
			if status != 0 {
				t.Fatalf("status %d: %s", status, errs)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if lines[0] != tt.header {
				t.Errorf("header = %q, want %q", lines[0], tt.header)
			}
			if tt.last != "" && lines[len(lines)-1] != tt.last {
				t.Errorf("last row = %q, want %q", lines[len(lines)-1], tt.last)
			}
		})
	}
	_, errs, status := stockflow("run", segments, "--vars", "customers[smbb]")
	if want := `"smbb" is not an element of dimension "segment" of "customers" (did you mean "smb"?)`; status == 0 || !strings.Contains(errs, want) {
		t.Errorf("typo in an element: status %d, stderr %q, want it to say %s", status, errs, want)
	}
}
