package main

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMessages pins the exact wording of the command's messages that a
// user reads: one line each, "stockflow CMD: " first.
func TestMessages(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name   string
		args   []string
		status int
		stderr string
	}{
		{"near flag", []string{"run", teacup, "--var", "x"}, 2,
			"stockflow run: unknown flag --var (did you mean --vars?); run 'stockflow help run' for its flags\n"},
		{"near flag, one dash", []string{"plot", teacup, "-scenaro", "x"}, 2,
			"stockflow plot: unknown flag --scenaro (did you mean --scenario?); run 'stockflow help plot' for its flags\n"},
		{"flag without value", []string{"run", teacup, "--dt"}, 2,
			"stockflow run: --dt needs a value: --dt DT\n"},
		{"flag of the wrong type", []string{"run", teacup, "--dt", "abc"}, 2,
			"stockflow run: --dt \"abc\": expected a number\n"},
		{"bad setting", []string{"run", teacup, "--set", "q"}, 2,
			"stockflow run: --set \"q\": expected NAME=VALUE but found \"q\"\n"},
		{"unknown command", []string{"plto"}, 2,
			"stockflow: unknown command \"plto\" (did you mean \"plot\"?); run 'stockflow help' for the commands\n"},
		{"missing model", []string{"check"}, 2,
			"stockflow check: missing MODEL\nusage: stockflow check MODEL\n"},
		{"missing file", []string{"run", "missing.yaml"}, 1,
			"stockflow run: cannot read missing.yaml: no such file\n"},
		{"unknown scenario", []string{"run", customerSuccess, "--scenario", "cold"}, 1,
			"stockflow run: unknown scenario \"cold\"; the scenarios are baseline, acquisition_heavy, balanced, success_heavy, success_first\n"},
		{"unknown scenario of plot", []string{"plot", customerSuccess, "--vars", "customers", "--scenario", "balance", "-o", filepath.Join(dir, "p.png")}, 1,
			"stockflow plot: unknown scenario \"balance\" (did you mean \"balanced\"?); the scenarios are baseline, acquisition_heavy, balanced, success_heavy, success_first\n"},
		{"output is a folder", []string{"run", teacup, "-o", dir}, 2,
			"stockflow run: cannot write " + dir + ": it is a folder; name a file to write, in it or elsewhere\n"},
		{"chart output is a folder", []string{"plot", teacup, "--vars", "teacup_temperature", "-o", dir}, 2,
			"stockflow plot: -o " + dir + ": the file name must end in .png, .svg or .pdf\n"},
		{"no-baseline alone", []string{"run", teacup, "--no-baseline"}, 2,
			"stockflow run: --no-baseline applies to --all-scenarios\n"},
		{"help with two words", []string{"help", "run", "plot"}, 2,
			"stockflow help: expected one command, found 2 words\n"},
		{"bad size", []string{"plot", teacup, "--vars", "teacup_temperature", "--size", "13x", "-o", filepath.Join(dir, "p.png")}, 2,
			"stockflow plot: --size \"13x\": expected WIDTHxHEIGHT in inches, such as 13.33x7.5, or in pixels, such as 1600x900px, but found \"13x\"\n"},
		{"panels too many for the size", []string{"plot", customerSuccess, "--vars", "customers,mrr,churn,adoption,profit,prospects,cs_spend,cs_share,cumulative_profit", "--size", "8x5", "-o", filepath.Join(dir, "p.png")}, 1,
			"stockflow plot: 9 panels do not fit in 8×5 in (each would be 2.29×0.84 in; a panel needs 2×1.3 in): make the chart at least 8×6.36 in, or chart fewer variables\n"},
		{"a chart too small for its plot", []string{"plot", customerSuccess, "--vars", "customers", "--all-scenarios", "--size", "4x3", "-o", filepath.Join(dir, "p.png")}, 1,
			"stockflow plot: the chart does not fit in 4×3 in (its plot would be 3.61×0.56 in; a plot needs 2×1.3 in): make the chart at least 4×3.74 in\n"},
		{"a legend wider than the chart", []string{"plot", customerSuccess, "--vars", "customers", "--all-scenarios", "--size", "2x1.5", "-o", filepath.Join(dir, "p.png")}, 1,
			"stockflow plot: the legend does not fit across 2 in; make the chart wider\n"},
		{"size without a chart", []string{"loops", teacup, "--size", "10x5"}, 2,
			"stockflow loops: --size applies to the charts of --plot and --diagram\n"},
		{"size without --plot", []string{"sensitivity", teacup, "--vary", "room_temperature=uniform(60, 80)", "--size", "10x5"}, 2,
			"stockflow sensitivity: --size applies to the chart of --plot\n"},
		{"help of no command", []string{"help", "fly"}, 2,
			"stockflow help: unknown command \"fly\"; run 'stockflow help' for the commands\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, status := stockflow(tt.args...)
			if status != tt.status || errs != tt.stderr || out != "" {
				t.Errorf("status %d, stdout %q, stderr:\n%q\nwant %d and\n%q", status, out, errs, tt.status, tt.stderr)
			}
		})
	}
}

func TestHelpAndVersion(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		out, errs, status := stockflow(args...)
		if status != 0 || errs != "" || !strings.HasPrefix(out, "usage: stockflow <command> [arguments]\n") || !strings.Contains(out, "\n  plot MODEL ") {
			t.Errorf("%v: status %d, stderr %q, stdout:\n%s", args, status, errs, out)
		}
	}
	// No arguments: the overview on standard error, status 2.
	if out, errs, status := stockflow(); status != 2 || out != "" || !strings.HasPrefix(errs, "usage: stockflow") {
		t.Errorf("no arguments: status %d, stdout %q", status, out)
	}
	for _, args := range [][]string{{"help", "run"}, {"run", "-h"}, {"run", "--help"}} {
		out, errs, status := stockflow(args...)
		if status != 0 || errs != "" || !strings.HasPrefix(out, "usage: stockflow run MODEL [") || !strings.Contains(out, "\n  --vars a,b ") {
			t.Errorf("%v: status %d, stderr %q, stdout:\n%s", args, status, errs, out)
		}
	}
	for _, args := range [][]string{{"--version"}, {"version"}} {
		out, errs, status := stockflow(args...)
		if status != 0 || errs != "" || !strings.HasPrefix(out, "stockflow ") || strings.Count(out, "\n") != 1 {
			t.Errorf("%v: status %d, stderr %q, stdout %q", args, status, errs, out)
		}
	}
}

// TestUsageLines checks that each command's usage line is generated from
// its flags: every flag defined appears in it, with its value's name.
func TestUsageLines(t *testing.T) {
	tests := map[string]string{
		"check":   "usage: stockflow check MODEL\n",
		"convert": "usage: stockflow convert IN OUT [--force]\n",
		"run": "usage: stockflow run MODEL [--all-scenarios] [--dt DT] [--method METHOD] [--no-baseline] [-o FILE] [--save-every INTERVAL] " +
			"[--scenario SCENARIO]... [--scenarios FILE] [--seed SEED] [--set NAME=VALUE]... [--vars a,b]\n",
		"plot": "usage: stockflow plot MODEL -o FILE [--all-scenarios] [--dt DT] [--method METHOD] [--no-baseline] [--phase x,y] " +
			"[--quadrants X0,Y0] [--scenario SCENARIO]... [--scenarios FILE] [--seed SEED] [--set NAME=VALUE]... [--size SIZE] [--title TITLE] [--vars a,b]\n",
	}
	for _, c := range commands {
		out, _, status := stockflow("help", c.name)
		line, _, _ := strings.Cut(out, "\n")
		if status != 0 || !strings.HasPrefix(line, "usage: stockflow "+c.name) {
			t.Errorf("%s: status %d, usage %q", c.name, status, line)
		}
		if want, ok := tests[c.name]; ok && line+"\n" != want {
			t.Errorf("%s: usage line\n%s\nwant\n%s", c.name, line, want)
		}
		// Every flag of the table is in the line.
		for _, row := range strings.Split(out, "\n")[1:] {
			if f, ok := strings.CutPrefix(row, "  -"); ok {
				name, _, _ := strings.Cut(f, " ")
				if !strings.Contains(line, "-"+name) {
					t.Errorf("%s: flag -%s is not in the usage line %q", c.name, name, line)
				}
			}
		}
	}
}

func TestRunSeveralScenarios(t *testing.T) {
	path := writeFile(t, "m.yaml", `
time: {stop: 2}
stocks:
  s: {initial: 0, inflows: [f]}
flows:
  f: rate
auxiliaries:
  rate: 1
scenarios:
  fast: {set: {rate: 3}}
  slow: {set: {rate: 0.5}}
`)
	file := writeFile(t, "more.yaml", "scenarios:\n  still: {set: {rate: 0}}\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"all scenarios, baseline first", []string{"--all-scenarios"},
			"scenario,time,s\nbaseline,0,0\nbaseline,1,1\nbaseline,2,2\nfast,0,0\nfast,1,3\nfast,2,6\nslow,0,0\nslow,1,0.5\nslow,2,1\n"},
		{"all scenarios but the baseline", []string{"--all-scenarios", "--no-baseline"},
			"scenario,time,s\nfast,0,0\nfast,1,3\nfast,2,6\nslow,0,0\nslow,1,0.5\nslow,2,1\n"},
		{"two named, baseline first", []string{"--scenario", "slow", "--scenario", "baseline"},
			"scenario,time,s\nbaseline,0,0\nbaseline,1,1\nbaseline,2,2\nslow,0,0\nslow,1,0.5\nslow,2,1\n"},
		{"baseline by name", []string{"--scenario", "baseline"},
			"time,s\n0,0\n1,1\n2,2\n"},
		{"a file's scenarios beside the model's", []string{"--scenarios", file, "--all-scenarios", "--no-baseline"},
			"scenario,time,s\nfast,0,0\nfast,1,3\nfast,2,6\nslow,0,0\nslow,1,0.5\nslow,2,1\nstill,0,0\nstill,1,0\nstill,2,0\n"},
		{"a model's scenario with a file", []string{"--scenarios", file, "--scenario", "fast", "--scenario", "still"},
			"scenario,time,s\nfast,0,0\nfast,1,3\nfast,2,6\nstill,0,0\nstill,1,0\nstill,2,0\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, status := stockflow(append([]string{"run", path, "--vars", "s"}, tt.args...)...)
			if status != 0 || out != tt.want {
				t.Errorf("status %d, stderr %q, output:\n%s\nwant:\n%s", status, errs, out, tt.want)
			}
		})
	}
	// To a file, as the README shows.
	csv := filepath.Join(t.TempDir(), "runs.csv")
	if _, errs, status := stockflow("run", path, "--all-scenarios", "-o", csv); status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	if b, _ := os.ReadFile(csv); !strings.HasPrefix(string(b), "scenario,time,s,f,rate\nbaseline,0,0,1,1\n") {
		t.Errorf("runs.csv:\n%s", b)
	}
	// A file's scenario that has a model's name is refused where it is.
	clash := writeFile(t, "clash.yaml", "scenarios:\n  fast: {set: {rate: 9}}\n")
	_, errs, status := stockflow("run", path, "--scenarios", clash, "--scenario", "fast")
	if want := clash + ":2:3: scenario \"fast\" is also the model's (at " + path + ":10:3); give it another name\n"; status != 1 || errs != want {
		t.Errorf("status %d, stderr %q, want %q", status, errs, want)
	}
}

// TestREADMEUsage checks that the usage line the README shows is the one
// the command generates.
func TestREADMEUsage(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	out, _, _ := stockflow("help", "run")
	line, _, _ := strings.Cut(out, "\n")
	if !strings.Contains(string(readme), "\n"+line+"\n") {
		t.Errorf("the README does not show the usage line of run:\n%s", line)
	}
}

// TestPlotSize draws charts at the sizes asked for: inches at 150 dpi,
// pixels at a slide's 120 dpi.
func TestPlotSize(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		size string
		w, h int
	}{{"13.33x7.5", 2000, 1125}, {"1600x900px", 1600, 900}} {
		// loops --plot and sensitivity --plot take the size too.
		dom := filepath.Join(dir, "dominance "+tt.size+".png")
		if _, errs, status := stockflow("loops", customerSuccess, "--plot", dom, "--size", tt.size); status != 0 {
			t.Fatalf("loops --size %s: status %d: %s", tt.size, status, errs)
		}
		if w, h := pngSize(t, dom); w != tt.w || h != tt.h {
			t.Errorf("loops --size %s: %dx%d px, want %dx%d", tt.size, w, h, tt.w, tt.h)
		}
		out := filepath.Join(dir, tt.size+".png")
		if _, errs, status := stockflow("plot", customerSuccess, "--vars", "customers,mrr,churn,adoption,profit,prospects,cs_spend,cumulative_profit,customer_happiness,service_quality,referral_acquisitions,paid_acquisitions", "--all-scenarios", "--size", tt.size, "-o", out); status != 0 {
			t.Fatalf("--size %s: status %d: %s", tt.size, status, errs)
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != tt.w || cfg.Height != tt.h {
			t.Errorf("--size %s: %dx%d px (%v), want %dx%d", tt.size, cfg.Width, cfg.Height, err, tt.w, tt.h)
		}
	}
}

// pngSize returns the size of a PNG file in pixels.
func pngSize(t *testing.T, path string) (w, h int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Width, cfg.Height
}
