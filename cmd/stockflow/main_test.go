package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stockflow runs the command line in-process.
func stockflow(args ...string) (stdout, stderr string, status int) {
	var out, errb bytes.Buffer
	status = Main(args, &out, &errb)
	return out.String(), errb.String(), status
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const teacup = "../../testdata/models/teacup.yaml"

func TestRun(t *testing.T) {
	out, errs, status := stockflow("run", teacup, "--vars", "teacup_temperature,heat_loss_to_room")
	if status != 0 || errs != "" {
		t.Fatalf("status %d, stderr %q", status, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] != "time,teacup_temperature,heat_loss_to_room" || lines[1] != "0,180,11" || len(lines) != 32 {
		t.Errorf("unexpected output:\n%s", out)
	}
	// Every stock, flow and auxiliary by default, under its written name.
	out, _, _ = stockflow("run", teacup)
	if h := strings.SplitN(out, "\n", 2)[0]; h != "time,teacup_temperature,heat_loss_to_room,room_temperature,characteristic_time" {
		t.Errorf("header %q", h)
	}
	// Flags after the model, --set, --method and --dt.
	out, _, status = stockflow("run", teacup, "--set", "room_temperature=80", "--method", "rk4", "--dt", "0.5", "--vars", "heat_loss_to_room")
	if status != 0 || !strings.HasPrefix(out, "time,heat_loss_to_room\n0,10\n") {
		t.Errorf("status %d, output:\n%s", status, out)
	}
}

func TestRunScenarioAndFile(t *testing.T) {
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
`)
	outFile := filepath.Join(filepath.Dir(path), "out.csv")
	_, errs, status := stockflow("run", path, "--scenario", "fast", "-o", outFile, "--vars", "s")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	got, _ := os.ReadFile(outFile)
	if string(got) != "time,s\n0,0\n1,3\n2,6\n" {
		t.Errorf("output file:\n%s", got)
	}
	// A failed run leaves an earlier output file as it was.
	_, _, status = stockflow("run", path, "--vars", "nothing", "-o", outFile)
	if status != 1 {
		t.Errorf("status %d, want 1", status)
	}
	if again, _ := os.ReadFile(outFile); string(again) != string(got) {
		t.Errorf("a failed run changed the output file")
	}
	// The model file is never overwritten.
	_, errs, status = stockflow("run", path, "-o", path)
	if status != 2 || !strings.Contains(errs, "refusing to write the output over the model file") {
		t.Errorf("status %d, stderr %q", status, errs)
	}
}

func TestCheck(t *testing.T) {
	if out, errs, status := stockflow("check", teacup); status != 0 || out != "" || errs != "" {
		t.Errorf("valid model: status %d, stdout %q, stderr %q", status, out, errs)
	}
	path := writeFile(t, "bad.yaml", "time: {stop: 1}\nauxiliaries:\n  a: b + 1\n  c: SQRT(1, 2)\n")
	_, errs, status := stockflow("check", path)
	want := path + `:3:6: undefined variable "b"` + "\n" + path + ":4:6: SQRT takes 1 argument, not 2 (SQRT(x))\n"
	if status != 1 || errs != want {
		t.Errorf("status %d, stderr:\n%s\nwant:\n%s", status, errs, want)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "usage: stockflow"},
		{[]string{"fly"}, `unknown command "fly"`},
		{[]string{"run"}, "run: missing MODEL"},
		{[]string{"run", teacup, "extra"}, `run: unexpected argument "extra"`},
		{[]string{"run", teacup, "--method", "euler2"}, `unknown method "euler2"`},
		{[]string{"run", teacup, "--dt", "0"}, "--dt must be a positive number"},
		{[]string{"run", teacup, "--set", "x"}, "expected NAME=VALUE"},
		{[]string{"run", teacup, "--bogus"}, "stockflow run: unknown flag --bogus; run 'stockflow help run' for its flags\n"},
	}
	for _, tt := range tests {
		_, errs, status := stockflow(tt.args...)
		if status != 2 || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: status %d, stderr %q, want 2 and %q", tt.args, status, errs, tt.want)
		}
	}
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"run", "missing.yaml"}, "stockflow run: cannot read missing.yaml: no such file\n"},
		{[]string{"run", "model.txt"}, `unknown model format ".txt"`},
		{[]string{"run", teacup, "--scenario", "nope"}, "stockflow run: unknown scenario \"nope\"; the model has none but baseline (the model as written)\n"},
		{[]string{"run", teacup, "--set", "heat_loss_to_room=1"}, `cannot set "heat_loss_to_room"`},
	}
	for _, tt := range tests {
		_, errs, status := stockflow(tt.args...)
		if status != 1 || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: status %d, stderr %q, want 1 and %q", tt.args, status, errs, tt.want)
		}
	}
}

func TestFunctions(t *testing.T) {
	out, _, status := stockflow("functions")
	if status != 0 || !strings.Contains(out, "SMTH1(input, time[, initial])") || !strings.Contains(out, "ABS(x)") {
		t.Errorf("status %d, output:\n%s", status, out)
	}
}

func TestRunSeed(t *testing.T) {
	path := writeFile(t, "r.yaml", "time: {stop: 3}\nauxiliaries:\n  x: RANDOM(0, 1)\n")
	a, _, _ := stockflow("run", path, "--seed", "1")
	b, _, _ := stockflow("run", path, "--seed", "1")
	c, _, _ := stockflow("run", path, "--seed", "2")
	if a != b || a == c {
		t.Errorf("seed 1 twice:\n%s\n%s\nseed 2:\n%s", a, b, c)
	}
}
