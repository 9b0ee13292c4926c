package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readChart reads an image the command wrote and checks that no temporary
// file was left beside it.
func readChart(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
	return b
}

// pngMagic starts every PNG file (the PNG specification, section 5.2).
var pngMagic = []byte("\x89PNG\r\n\x1a\n")

func TestPlot(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name  string
		args  []string
		file  string
		check func([]byte) bool
	}{
		{"one variable, PNG",
			[]string{"plot", teacup, "--vars", "teacup_temperature", "--method", "rk4", "--dt", "0.5", "--title", "Tea cools"},
			"teacup.png",
			func(b []byte) bool { return bytes.HasPrefix(b, pngMagic) && len(b) > 10_000 }},
		{"several variables, every scenario, SVG",
			[]string{"plot", customerSuccess, "--vars", "customers,cumulative_profit", "--all-scenarios", "--set", "base_budget=200000"},
			"compare.svg",
			func(b []byte) bool {
				s := string(b)
				// One line per scenario and variable; a legend names the scenarios.
				return strings.Contains(s, "<svg") && strings.Contains(s, "success heavy") && strings.Contains(s, "acquisition heavy")
			}},
		{"an arrayed variable, a line per element, SVG",
			[]string{"plot", "../../testdata/arrays/segments.yaml", "--vars", "customers[*]"},
			"segments.svg",
			func(b []byte) bool {
				s := string(b)
				// One panel, titled by the dimension, a legend entry per element.
				return strings.Contains(s, "Customers by segment") && strings.Contains(s, "customers[smb]") && strings.Contains(s, "customers[enterprise]")
			}},
		{"repeated scenarios, PDF",
			[]string{"plot", customerSuccess, "--vars", "customers", "--scenario", "balanced", "--scenario", "success_heavy"},
			"customers.PDF",
			func(b []byte) bool { return bytes.HasPrefix(b, []byte("%PDF-")) }},
		{"loop dominance",
			[]string{"loops", logisticLoops, "--plot"},
			"dominance.png",
			func(b []byte) bool { return bytes.HasPrefix(b, pngMagic) && len(b) > 10_000 }},
		{"loop dominance of a scenario, many loops",
			[]string{"loops", customerSuccess, "--scenario", "success_heavy", "--method", "rk2", "--plot"},
			"dominance.svg",
			func(b []byte) bool {
				s := string(b)
				return strings.Contains(s, "<svg") && strings.Contains(s, "Loop dominance") &&
					strings.Contains(s, "Customer success versus acquisition · Scenario: success heavy") && strings.Contains(s, "other loops, balancing")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			args := append(tt.args, path)
			if tt.args[0] == "plot" {
				args = append(tt.args, "-o", path)
			}
			out, errs, status := stockflow(args...)
			if status != 0 || out != "" || errs != "" {
				t.Fatalf("status %d, stdout %q, stderr %q", status, out, errs)
			}
			if b := readChart(t, path); !tt.check(b) {
				t.Errorf("%s: unexpected %d bytes starting %q", tt.file, len(b), b[:min(len(b), 16)])
			}
		})
	}
}

func TestLoopsPlotAndScores(t *testing.T) {
	dir := t.TempDir()
	png, csv := filepath.Join(dir, "d.png"), filepath.Join(dir, "s.csv")
	_, errs, status := stockflow("loops", logisticLoops, "--scores", "--plot", png, "-o", csv)
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	if b := readChart(t, png); !bytes.HasPrefix(b, pngMagic) {
		t.Errorf("not a PNG")
	}
	if b, _ := os.ReadFile(csv); !strings.HasPrefix(string(b), "time,growth,crowding\n") {
		t.Errorf("CSV starts %q", b[:min(len(b), 30)])
	}
}

func TestPlotErrors(t *testing.T) {
	dir := t.TempDir()
	png := filepath.Join(dir, "out.png")
	tests := []struct {
		name   string
		args   []string
		status int
		want   []string // in the error message
	}{
		{"missing -o", []string{"plot", teacup, "--vars", "teacup_temperature"}, 2,
			[]string{"-o is required"}},
		{"missing --vars", []string{"plot", teacup, "-o", png}, 2,
			[]string{"--vars is required"}},
		{"bad extension", []string{"plot", teacup, "--vars", "teacup_temperature", "-o", filepath.Join(dir, "out.jpg")}, 2,
			[]string{"out.jpg", ".png, .svg or .pdf"}},
		{"unknown variable", []string{"plot", teacup, "--vars", "teacup_temperature,heat_los", "-o", png}, 1,
			[]string{`"heat_los"`, `(did you mean "heat_loss_to_room"?)`}},
		{"unknown scenario", []string{"plot", customerSuccess, "--vars", "customers", "--scenario", "balance", "-o", png}, 1,
			[]string{`"balance"`, `(did you mean "balanced"?)`}},
		{"no scenarios", []string{"plot", teacup, "--vars", "teacup_temperature", "--all-scenarios", "--no-baseline", "-o", png}, 2,
			[]string{"stockflow plot: --no-baseline leaves nothing to run: the model has no scenarios, nor a --scenarios file\n"}},
		{"scenario and all scenarios", []string{"plot", customerSuccess, "--vars", "customers", "--scenario", "balanced", "--all-scenarios", "-o", png}, 2,
			[]string{"cannot be used together"}},
		{"bad --dt", []string{"plot", teacup, "--vars", "teacup_temperature", "--dt", "-1", "-o", png}, 2,
			[]string{"--dt must be a positive number"}},
		{"unknown --set", []string{"plot", teacup, "--vars", "teacup_temperature", "--set", "room_temp=1", "-o", png}, 1,
			[]string{`"room_temp"`, "did you mean"}},
		{"--plot with --dot", []string{"loops", logisticLoops, "--plot", png, "--dot"}, 2,
			[]string{"--plot and --dot cannot be used together"}},
		{"--plot with a bad extension", []string{"loops", logisticLoops, "--plot", filepath.Join(dir, "d.gif")}, 2,
			[]string{"d.gif", ".png, .svg or .pdf"}},
		{"--plot with -o alone", []string{"loops", logisticLoops, "--plot", png, "-o", filepath.Join(dir, "x.txt")}, 2,
			[]string{"-o"}},
		{"--scenario with --dot", []string{"loops", logisticLoops, "--scenario", "x", "--dot"}, 2,
			[]string{"stockflow loops: --scenario applies to a run, which --dot and --structure do not make\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, status := stockflow(tt.args...)
			if status != tt.status {
				t.Errorf("status %d, want %d; stderr %q", status, tt.status, errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr %q lacks %q", errs, w)
				}
			}
		})
	}
	// No command that failed wrote anything.
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed commands left %d files, the first %s", len(entries), entries[0].Name())
	}
}

// TestPlotOverModel checks that no chart is ever written over the model,
// whether -o names it or a link to it with an image extension does.
func TestPlotOverModel(t *testing.T) {
	orig, err := os.ReadFile(teacup)
	if err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "teacup.yaml", string(orig))
	link := filepath.Join(filepath.Dir(path), "teacup.png")
	if err := os.Symlink(path, link); err != nil {
		t.Skipf("no symbolic links: %v", err)
	}
	for _, args := range [][]string{
		{"plot", path, "--vars", "teacup_temperature", "-o", path},
		{"plot", path, "--vars", "teacup_temperature", "-o", link},
		{"loops", path, "--plot", path},
		{"loops", path, "--plot", link},
	} {
		_, errs, status := stockflow(args...)
		if status != 2 {
			t.Errorf("%v: status %d, want 2; stderr %q", args[1:], status, errs)
		}
		if got, _ := os.ReadFile(path); !bytes.Equal(got, orig) {
			t.Fatalf("%v: the model file changed", args[1:])
		}
	}
	_, errs, _ := stockflow("plot", path, "--vars", "teacup_temperature", "-o", link)
	if !strings.Contains(errs, "refusing to write the chart over the model file") {
		t.Errorf("stderr %q", errs)
	}
}

func TestPlotPhase(t *testing.T) {
	png := filepath.Join(t.TempDir(), "phase.png")
	_, errs, status := stockflow("plot", customerSuccess, "--phase", "customer_happiness,profit_per_customer", "--quadrants", "0.5,650", "--all-scenarios", "-o", png)
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	if b := readChart(t, png); !bytes.HasPrefix(b, []byte("\x89PNG")) || len(b) < 10000 {
		t.Errorf("%s is not a chart (%d bytes)", png, len(b))
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--phase", "customers"}, "--phase takes two variables, x,y, not 1"},
		{[]string{"--phase", "customers,mrr", "--vars", "mrr"}, "--vars and --phase cannot be used together"},
		{[]string{"--vars", "mrr", "--quadrants", "1,2"}, "--quadrants applies to --phase"},
		{[]string{"--phase", "customers,mrr", "--quadrants", "1,x"}, `--quadrants: expected two numbers, found "1,x"`},
		{[]string{"--phase", "customers,mrx"}, `undefined variable "mrx"`},
	} {
		args := append([]string{"plot", customerSuccess, "-o", png}, tc.args...)
		_, errs, status := stockflow(args...)
		if status == 0 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: status %d, stderr %q\nwant %q", tc.args, status, errs, tc.want)
		}
	}
}
