package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	logisticLoops   = "../../testdata/loops/logistic.yaml"
	customerSuccess = "../../examples/customersuccess/model.yaml"
)

func TestLoops(t *testing.T) {
	out, errs, status := stockflow("loops", logisticLoops)
	want := "# 2 feedback loops in 2 groups; kinds from the equations (structure), or from the run of the model as written (ranges: the values its variables take; run: the sign of the loop's score); share: the most of the behaviour a loop of the group explains at any time\n" +
		"growth    R  structure  99%   1 loop  births -> population\n" +
		"crowding  B  structure  100%  1 loop  births -> population -> room\n"
	if status != 0 || errs != "" || out != want {
		t.Errorf("status %d, stderr %q, output:\n%s\nwant:\n%s", status, errs, out, want)
	}
	out, _, status = stockflow("loops", logisticLoops, "--dot")
	if status != 0 || !strings.HasPrefix(out, `digraph "logistic growth, two loops" {`) ||
		!strings.Contains(out, `"population" -> "room" [label="-"];`) ||
		!strings.Contains(out, `"births" -> "population" [label="+", style=bold];`) ||
		!strings.Contains(out, `label="B1\ncrowding"`) {
		t.Errorf("status %d, DOT:\n%s", status, out)
	}
}

// TestLoopsFlagship: the customer-success model's list leaves no loop
// undetermined; the loops whose polarity changes in the run say so, when
// and through which link, and the ones the list leaves out are counted.
func TestLoopsFlagship(t *testing.T) {
	out, errs, status := stockflow("loops", customerSuccess)
	if status != 0 || errs != "" {
		t.Fatalf("status %d, stderr %q", status, errs)
	}
	for _, want := range []string{
		"R→B: reinforcing, then balancing",
		"base_absorbs_price_dilution     B→R  run",
		"(changes sign: B from t=1 to 5, R from t=5; the link new_customer_share -> price_dilution is - from t=1 to 5, + from t=5)",
		"(9 of them R→B or B→R)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the list lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = stockflow("loops", customerSuccess, "--all")
	changing := 0
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch f[1] {
		case "U":
			t.Errorf("undetermined: %s", line)
		case "R→B", "B→R":
			changing++
		}
	}
	if changing != 21 {
		t.Errorf("%d loops R→B or B→R, want 21:\n%s", changing, out)
	}
}

func TestLoopsScores(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "scores.csv")
	_, errs, status := stockflow("loops", logisticLoops, "--scores", "-o", path, "--method", "rk4")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != 52 || lines[0] != "time,growth,crowding" || lines[1] != "0,," || !strings.HasPrefix(lines[2], "1,0.98") {
		t.Errorf("CSV starts:\n%s", strings.Join(lines[:3], "\n"))
	}
	out, errs, status := stockflow("loops", customerSuccess, "--scores", "--scenario", "success_heavy")
	if status != 0 || !strings.HasPrefix(out, "time,word_of_mouth,") || !strings.Contains(out, ",service_capacity,") || strings.Count(out, "\n") != 62 {
		t.Errorf("status %d, stderr %q, %d lines", status, errs, strings.Count(out, "\n"))
	}
}

// TestLoopsDeterministic runs each form of the command many times: the
// output must not change by a byte (maps are iterated in random order, so
// any output built from one unsorted would).
func TestLoopsDeterministic(t *testing.T) {
	for _, flags := range [][]string{nil, {"--dot"}, {"--scores"}} {
		args := append([]string{"loops", customerSuccess}, flags...)
		first, errs, status := stockflow(args...)
		if status != 0 || first == "" {
			t.Fatalf("%v: status %d, stderr %q", flags, status, errs)
		}
		for i := 0; i < 20; i++ {
			if out, _, _ := stockflow(args...); out != first {
				t.Fatalf("%v: run %d differs from the first", flags, i+2)
			}
		}
	}
}

func TestLoopsDiagram(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
	}{
		{"named loops as PNG", []string{"loops", customerSuccess, "--diagram", filepath.Join(dir, "named.png")}},
		{"chosen loops as SVG", []string{"loops", customerSuccess, "--diagram", filepath.Join(dir, "chosen.svg"), "--loops", "word_of_mouth, loyalty,RB1"}},
		{"dominant loops of a scenario", []string{"loops", customerSuccess, "--diagram", filepath.Join(dir, "dominant.svg"), "--dominant", "4", "--scenario", "success_heavy"}},
		{"every loop, from the structure", []string{"loops", logisticLoops, "--diagram", filepath.Join(dir, "logistic.svg"), "--structure"}},
		{"the one dominant loop", []string{"loops", logisticLoops, "--diagram", filepath.Join(dir, "one.svg"), "--dominant", "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, status := stockflow(tt.args...)
			if status != 0 || out != "" || errs != "" {
				t.Fatalf("status %d, stdout %q, stderr %q", status, out, errs)
			}
			b, err := os.ReadFile(tt.args[3])
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(tt.args[3], ".png") {
				if !bytes.HasPrefix(b, []byte("\x89PNG")) {
					t.Errorf("not a PNG: % x", b[:8])
				}
				return
			}
			svg := string(b)
			if !strings.Contains(svg, "<svg") || strings.Count(svg, ">R<")+strings.Count(svg, ">B<")+strings.Count(svg, ">U<") == 0 {
				t.Errorf("an SVG without loop markers:\n%.300s", svg)
			}
		})
	}
	svg, _ := os.ReadFile(filepath.Join(dir, "chosen.svg"))
	for _, s := range []string{">word of mouth<", ">loyalty<", ">RB1<", ">R→B<", ">±<", ">referral acquisitions<", ">price dilution<"} {
		if !strings.Contains(string(svg), s) {
			t.Errorf("the diagram of chosen loops lacks %q", s)
		}
	}
	one, _ := os.ReadFile(filepath.Join(dir, "one.svg"))
	if !strings.Contains(string(one), "the loop that explains the most") {
		t.Error("the diagram of one dominant loop does not say so in the singular")
	}
	if strings.Contains(string(svg), ">happiness perception<") {
		t.Error("the diagram of chosen loops draws a loop not chosen")
	}
}

func TestLoopsLimit(t *testing.T) {
	// Six stocks each filled by a flow reading all six: 415 loops.
	var b strings.Builder
	b.WriteString("time: {stop: 1}\nstocks:\n")
	var all []string
	for i := 0; i < 6; i++ {
		fmt.Fprintf(&b, "  s%d: {initial: 1, inflows: [f%d]}\n", i, i)
		all = append(all, fmt.Sprintf("s%d", i))
	}
	b.WriteString("flows:\n")
	for i := 0; i < 6; i++ {
		fmt.Fprintf(&b, "  f%d: %s\n", i, strings.Join(all, " + "))
	}
	path := writeFile(t, "many.yaml", b.String())
	out, _, status := stockflow("loops", path, "--all", "--structure")
	if status != 0 || strings.Count(out, "\n") != 415 {
		t.Errorf("status %d, %d loops, want 415", status, strings.Count(out, "\n"))
	}
	out, errs, status := stockflow("loops", path, "--limit", "100")
	if want := "stockflow loops: " + path + ": the model has more than 100 feedback loops (use --limit to raise the limit)\n"; status != 1 || out != "" || errs != want {
		t.Errorf("status %d, stdout %q, stderr %q, want %q", status, out, errs, want)
	}
}

func TestLoopsErrors(t *testing.T) {
	named := writeFile(t, "named.yaml", `time: {stop: 1}
stocks:
  s: {initial: 1, outflows: [f]}
flows:
  f: s
loops:
  drain: [s, f]
  wrong: [f]
`)
	tests := []struct {
		args   []string
		status int
		want   string
	}{
		{[]string{"loops"}, 2, "loops: missing MODEL"},
		{[]string{"loops", logisticLoops, "--scores", "--dot"}, 2, "--scores and --dot cannot be used together"},
		{[]string{"loops", logisticLoops, "--limit", "0"}, 2, "--limit must be a positive number, not 0"},
		{[]string{"loops", logisticLoops, "--dot", "--scenario", "x"}, 2, "stockflow loops: --scenario applies to a run, which --dot and --structure do not make\n"},
		{[]string{"loops", logisticLoops, "--structure", "--set", "x=1"}, 2, "stockflow loops: --set applies to a run, which --dot and --structure do not make\n"},
		{[]string{"loops", logisticLoops, "--loops", "growth"}, 2, "stockflow loops: --loops and --dominant choose the loops of --diagram\n"},
		{[]string{"loops", logisticLoops, "--diagram", "d.svg", "--loops", "growth", "--dominant", "2"}, 2, "stockflow loops: --loops and --dominant cannot be used together\n"},
		{[]string{"loops", logisticLoops, "--diagram", "d.svg", "--dominant", "0"}, 2, "stockflow loops: --dominant must be a positive number, not 0\n"},
		{[]string{"loops", logisticLoops, "--diagram", "d.svg", "--dot"}, 2, "stockflow loops: --diagram cannot be used with --dot, --scores or --plot\n"},
		{[]string{"loops", logisticLoops, "--diagram", "d.gif"}, 2, "d.gif"},
		{[]string{"loops", logisticLoops, "--diagram", "d.svg", "--loops", "growht"}, 2, `stockflow loops: --loops: no loop "growht" (did you mean "growth"?)`},
		{[]string{"loops", logisticLoops, "--diagram", "d.svg", "--loops", "xyz"}, 2, `stockflow loops: --loops: no loop "xyz" (the loops are growth, crowding)`},
		{[]string{"loops", logisticLoops, "--structure", "--scores"}, 2, "stockflow loops: --structure lists loops without a run; --scores and --plot need one\n"},
		{[]string{"loops", logisticLoops, "--scenario", "x"}, 1, "stockflow loops: unknown scenario \"x\""},
		{[]string{"loops", logisticLoops, "--scores", "--method", "rk3"}, 2, `unknown method "rk3"`},
		{[]string{"loops", logisticLoops, "--scores", "--scenario", "nope"}, 1, "stockflow loops: unknown scenario \"nope\"; the model has none but baseline (the model as written)\n"},
		{[]string{"loops", customerSuccess, "--scores", "--scenario", "succes_first"}, 1, "stockflow loops: unknown scenario \"succes_first\" (did you mean \"success_first\"?); the scenarios are baseline, "},
		{[]string{"loops", "missing.yaml"}, 1, "stockflow loops: cannot read missing.yaml: no such file\n"},
		{[]string{"loops", named}, 1, named + `:8:3: loop "wrong" (f) is not a feedback loop of the model`},
	}
	for _, tt := range tests {
		_, errs, status := stockflow(tt.args...)
		if status != tt.status || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: status %d, stderr %q, want %d and %q", tt.args, status, errs, tt.status, tt.want)
		}
	}
}
