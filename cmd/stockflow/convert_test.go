package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const teacupXMILE = "../../testdata/conformance/samples/teacup/teacup.xmile"

// TestRunXMILE runs and checks XMILE files.
func TestRunXMILE(t *testing.T) {
	out, errs, status := stockflow("run", teacupXMILE, "--vars", "Teacup Temperature,heat_loss_to_room")
	if status != 0 || errs != "" {
		t.Fatalf("status %d, stderr %q", status, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	// 180 and (180 - 70) / 10: the expected output of the SDXorg teacup.
	if lines[0] != "time,Teacup Temperature,Heat Loss to Room" || lines[1] != "0,180,11" || len(lines) != 242 {
		t.Errorf("unexpected output:\n%s", strings.Join(lines[:3], "\n"))
	}
	if _, errs, status := stockflow("check", teacupXMILE); status != 0 || errs != "" {
		t.Errorf("check: status %d, stderr %q", status, errs)
	}
	bad := writeFile(t, "bad.xmile", `<xmile><sim_specs><start>0</start><stop>1</stop></sim_specs>
<model><variables><aux name="a"><dimensions><dim name="X"/></dimensions><eqn>1</eqn></aux></variables></model></xmile>`)
	_, errs, status = stockflow("check", bad)
	if want := bad + `:2:19: auxiliary "a" has undefined dimension "X"` + "\n"; status != 1 || errs != want {
		t.Errorf("check: status %d, stderr %q, want 1 and %q", status, errs, want)
	}
}

// TestConvert converts the teacup from YAML to XMILE and back, and the
// XMILE teacup to YAML: each converted model gives the same numbers.
func TestConvert(t *testing.T) {
	dir := t.TempDir()
	vars := "teacup_temperature,heat_loss_to_room,room_temperature,characteristic_time"
	want, _, _ := stockflow("run", teacup, "--vars", vars)
	for _, step := range []struct{ in, out string }{
		{teacup, filepath.Join(dir, "teacup.xmile")},
		{filepath.Join(dir, "teacup.xmile"), filepath.Join(dir, "teacup.yaml")},
		{filepath.Join(dir, "teacup.yaml"), filepath.Join(dir, "teacup.stmx")},
	} {
		if out, errs, status := stockflow("convert", step.in, step.out); status != 0 || out != "" || errs != "" {
			t.Fatalf("convert %s %s: status %d, stdout %q, stderr %q", step.in, step.out, status, out, errs)
		}
		if got, errs, _ := stockflow("run", step.out, "--vars", vars); got != want {
			t.Errorf("run %s: stderr %q, output differs from the original's:\n%s", step.out, errs, got)
		}
	}

	want, _, _ = stockflow("run", teacupXMILE, "--vars", "Teacup Temperature,Heat Loss to Room")
	out := filepath.Join(dir, "from-xmile.yml")
	if _, errs, status := stockflow("convert", teacupXMILE, out); status != 0 {
		t.Fatalf("convert: status %d, stderr %q", status, errs)
	}
	if got, errs, _ := stockflow("run", out, "--vars", "Teacup Temperature,Heat Loss to Room"); got != want {
		t.Errorf("run %s: stderr %q, output differs from the XMILE file's", out, errs)
	}
}

func TestConvertErrors(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.xmile")
	if err := os.WriteFile(existing, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := writeFile(t, "bad.yaml", "time: {stop: 1}\nauxiliaries:\n  a: (1\n")
	tests := []struct {
		name   string
		args   []string
		status int
		stderr string // a part of it
	}{
		{"existing output", []string{teacup, existing}, 2, "exists (use --force to replace it)"},
		{"input as output", []string{teacup, teacup, "--force"}, 2, "refusing to write over the input"},
		{"unknown output format", []string{teacup, filepath.Join(dir, "out.json")}, 2, `unknown output format ".json"`},
		{"unknown input format", []string{filepath.Join(dir, "in.txt"), filepath.Join(dir, "out.yaml")}, 1, `unknown model format ".txt"`},
		{"bad input", []string{bad, filepath.Join(dir, "out.xmile")}, 1, "bad.yaml:3:8:"},
		{"missing output", []string{teacup}, 2, "missing IN and OUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, status := stockflow(append([]string{"convert"}, tt.args...)...)
			if status != tt.status || !strings.Contains(errs, tt.stderr) {
				t.Errorf("status %d, stderr %q; want %d and %q", status, errs, tt.status, tt.stderr)
			}
		})
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep" {
		t.Errorf("an existing output was changed without --force")
	}
	if _, err := os.Stat(filepath.Join(dir, "out.xmile")); err == nil {
		t.Errorf("a failed conversion wrote its output")
	}
	if _, errs, status := stockflow("convert", teacup, existing, "--force"); status != 0 {
		t.Fatalf("convert --force: status %d, stderr %q", status, errs)
	}
	if b, _ := os.ReadFile(existing); !strings.Contains(string(b), "<xmile") {
		t.Errorf("convert --force did not replace the output")
	}
}
