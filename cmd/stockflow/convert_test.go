package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
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

// runCSV runs a model and returns the values of its output, row by row,
// with the header.
func runCSV(t *testing.T, path, vars string) (header string, rows [][]float64) {
	t.Helper()
	out, errs, status := stockflow("run", path, "--vars", vars)
	if status != 0 {
		t.Fatalf("run %s: status %d, stderr %q", path, status, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, line := range lines[1:] {
		var row []float64
		for _, f := range strings.Split(line, ",") {
			x, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatalf("run %s: %q is not a number", path, f)
			}
			row = append(row, x)
		}
		rows = append(rows, row)
	}
	return lines[0], rows
}

// TestConvertKeepsParts converts models built from modules and macros
// from YAML to XMILE and back, and from XMILE (or Vensim) to YAML and on
// to XMILE: each converted file still holds the modules and macros, and
// runs to the original's numbers.
func TestConvertKeepsParts(t *testing.T) {
	const hares = "../../testdata/conformance/samples/bpowers-hares_and_lynxes_modules/model.xmile"
	tests := []struct {
		name    string
		in      string
		steps   []string // the extensions converted to, in turn
		vars    string
		modules []string
		macros  []string
	}{
		{"YAML modules", "../../testdata/modules/two_tanks.yaml", []string{"xmile", "yaml"},
			"total,north.level,south.level,south.drain", []string{"north", "south"}, nil},
		{"XMILE modules", hares, []string{"yaml", "xmile"},
			"hares.hares,lynxes.lynxes,lynxes.harvest,hares.hare_density", []string{"hares", "lynxes"}, nil},
		{"YAML macros", "../../testdata/macros/smoothing.yaml", []string{"xmile", "yaml"},
			"quick forecast,slow forecast,gap,smoothed 1.level", nil, []string{"smoothed"}},
		{"Vensim macros", "../../testdata/conformance/tests/macro_cross_reference/test_macro_cross_reference.mdl", []string{"yaml", "xmile"},
			"macro output,SECOND MACRO 1.SECOND MACRO", nil, []string{"SECOND MACRO", "EXPRESSION MACRO"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			wantHeader, want := runCSV(t, tt.in, tt.vars)
			in := tt.in
			for i, ext := range tt.steps {
				out := filepath.Join(dir, "step"+strconv.Itoa(i)+"."+ext)
				if _, errs, status := stockflow("convert", in, out); status != 0 {
					t.Fatalf("convert %s %s: status %d, stderr %q", in, out, status, errs)
				}
				header, got := runCSV(t, out, tt.vars)
				if header != wantHeader {
					t.Errorf("run %s: header %q, want %q", out, header, wantHeader)
				}
				if diff := cmp.Diff(want, got, cmpopts.EquateApprox(1e-12, 1e-12)); diff != "" {
					t.Errorf("run %s mismatch (-original +converted):\n%s", out, diff)
				}
				m, err := load(out)
				if err != nil {
					t.Fatal(err)
				}
				var mods, macs []string
				if m.Parts != nil {
					for _, mod := range m.Parts.Modules {
						mods = append(mods, mod.Name)
					}
					for _, mac := range m.Parts.Macros {
						macs = append(macs, mac.Name)
					}
				}
				if diff := cmp.Diff(tt.modules, mods); diff != "" {
					t.Errorf("modules of %s mismatch (-want +got):\n%s", out, diff)
				}
				if diff := cmp.Diff(tt.macros, macs); diff != "" {
					t.Errorf("macros of %s mismatch (-want +got):\n%s", out, diff)
				}
				in = out
			}
		})
	}
}
