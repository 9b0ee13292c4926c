package main

import (
	"encoding/csv"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stockflow/stockflow/model"
)

// runColumns runs a model and returns its output by canonical column name.
func runColumns(t *testing.T, path string) map[string][]float64 {
	t.Helper()
	out, errs, status := stockflow("run", path)
	if status != 0 {
		t.Fatalf("run %s: status %d, stderr %q", path, status, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("run %s: output is not CSV of rows (%v):\n%s", path, err, out)
	}
	cols := make(map[string][]float64)
	for _, row := range rows[1:] {
		for j, cell := range row {
			x, err := strconv.ParseFloat(cell, 64)
			if err != nil {
				t.Fatalf("run %s: cell %q of column %q: %v", path, cell, rows[0][j], err)
			}
			c := model.Canonical(rows[0][j])
			cols[c] = append(cols[c], x)
		}
	}
	return cols
}

// TestVensim runs Vensim .mdl files and converts them to YAML and XMILE:
// each converted model gives the same numbers as the .mdl file.
func TestVensim(t *testing.T) {
	const conformance = "../../testdata/conformance/"
	tests := []struct {
		name, file string
		// first holds some columns' values in the first row, from the
		// case's expected output.
		first map[string]float64
	}{
		{"SIR", "samples/SIR/SIR.mdl", map[string]float64{"Infectious": 5, "Succumbing": 1.5, "Recovering": 1}},
		{"macro with a stock", "tests/macro_stock/test_macro_stock.mdl", map[string]float64{"macro output": 1.1}},
		{"inline lookup", "tests/lookups_inline/test_lookups_inline.mdl", nil},
		{"pipeline delays", "tests/delay_pipeline/test_pipeline_delays.mdl", map[string]float64{"Output Integer Pipeline Delay": 6}},
		{"data from a workbook", "tests/get_with_missing_values_xlsx/test_get_with_missing_values_xlsx.mdl", map[string]float64{"out data interp3": 10, "out lookup4": 10}},
		{"constants and subscripts from an .xls", "tests/get_subscript_3d_arrays_xls/test_get_subscript_3d_arrays_xls.mdl", map[string]float64{"Three Dimensional Variable[Entry2,Column2,Depth2]": 0.04}},
	}
	approx := cmpopts.EquateApprox(1e-12, 1e-12)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mdl := conformance + tt.file
			want := runColumns(t, mdl)
			for name, x := range tt.first {
				col := want[model.Canonical(name)]
				if len(col) == 0 || math.Abs(col[0]-x) > 1e-9 {
					t.Errorf("run %s: %s starts at %v, want %g", tt.file, name, col, x)
				}
			}
			dir := t.TempDir()
			for _, ext := range []string{".yaml", ".xmile"} {
				out := filepath.Join(dir, "model"+ext)
				if stdout, errs, status := stockflow("convert", mdl, out); status != 0 || stdout != "" || errs != "" {
					t.Fatalf("convert %s %s: status %d, stdout %q, stderr %q", mdl, out, status, stdout, errs)
				}
				if diff := cmp.Diff(want, runColumns(t, out), approx); diff != "" {
					t.Errorf("run %s mismatch with the .mdl file's run (-want +got):\n%s", out, diff)
				}
			}
		})
	}
}

// TestVensimErrors checks that the commands report a bad or unsupported
// .mdl file at its position.
func TestVensimErrors(t *testing.T) {
	bad := writeFile(t, "bad.mdl", "{UTF-8}\nx = INTEG(y, 0)\n\t~\t~\t|\ny = 1 +\n\t~\t~\t|\nINITIAL TIME = 0 ~~|\nFINAL TIME = 1 ~~|\n")
	data := writeFile(t, "data.mdl", "{UTF-8}\nx = GET XLS DATA('a.xlsx', 'S', '1', 'B2') ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = 1 ~~|\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"syntax", []string{"check", bad}, bad + ":4:8: expected an operand, found the end of the equation\n"},
		{"data file missing", []string{"run", data}, data + ":2:18: GET XLS DATA: the data file \"a.xlsx\" does not exist"},
		{"missing file", []string{"run", "no-such.mdl"}, "no-such.mdl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, status := stockflow(tt.args...)
			if status != 1 || !strings.HasPrefix(errs, tt.want) && !strings.Contains(errs, tt.want) {
				t.Errorf("%v: status %d, stderr %q, want 1 and %q", tt.args, status, errs, tt.want)
			}
		})
	}
}
