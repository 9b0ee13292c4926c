package vensim_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/vensim"
	"github.com/stockflow/stockflow/sim"
)

// dataControl runs from 0 to 6 in steps of 1.
const dataControl = `
FINAL TIME = 6 ~~|
INITIAL TIME = 0 ~~|
SAVEPER = 1 ~~|
TIME STEP = 1 ~~|
`

// writeFiles writes files into a new directory and returns its path.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestReadExternalData reads constants, data and lookups from text files
// beside the model, and runs the model.
func TestReadExternalData(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		// Times down column A, one series per column from B.
		"down.csv": "time,a,b\n1,10,100\n3,30,\n5,50,500\n",
		// Times along row 1, one series per row from B2; tab-separated.
		"across.tab": "t\t0\t2\t4\nx\t0\t1\t4\n",
		// A value at every time step.
		"raw.csv": "0,1,2,3,4,5,6\n10,11,12,13,14,15,16\n",
		// A 2×3 table of constants at B2.
		"table.csv": ",c1,c2,c3\nr1,1,2,3\nr2,4,5,6\n",
		"model.mdl": `{UTF-8}
row: r1, r2 ~~|
col: c1, c2, c3 ~~|
series: a, b ~~|
k[row, col] = GET DIRECT CONSTANTS('table.csv', ',', 'B2') ~~|
kt[col, row] = GET DIRECT CONSTANTS('table.csv', ',', 'B2*') ~~|
one = GET DIRECT CONSTANTS('table.csv', ',', 'C3') ~~|
d[series] := GET DIRECT DATA('down.csv', ',', 'A', 'B2') ~~|
hold :HOLD BACKWARD: := GET DIRECT DATA('down.csv', ',', 'A', 'B2') ~~|
ahead :LOOK FORWARD: := GET DIRECT DATA('down.csv', ',', 'A', 'B2') ~~|
curve = GET DIRECT LOOKUPS('across.tab', '\t', '1', 'B2') ~~|
raw :RAW: := GET DIRECT DATA('raw.csv', ',', '1', 'A2') ~~|
y = curve(Time / 2) ~~|
` + dataControl,
	})
	m, err := vensim.ReadFile(filepath.Join(dir, "model.mdl"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(sim.Scenario{})
	if err != nil {
		t.Fatal(err)
	}
	approx := cmpopts.EquateApprox(0, 1e-12)
	tests := []struct {
		name string
		want []float64 // at times 0..6
	}{
		{"k[r1,c2]", []float64{2, 2, 2, 2, 2, 2, 2}},
		{"k[r2,c3]", []float64{6, 6, 6, 6, 6, 6, 6}},
		// Transposed: the first subscript (col) runs along the columns,
		// so kt[c, r] = k[r, c].
		{"kt[c1,r2]", []float64{4, 4, 4, 4, 4, 4, 4}},
		{"kt[c3,r1]", []float64{3, 3, 3, 3, 3, 3, 3}},
		{"one", []float64{5, 5, 5, 5, 5, 5, 5}},
		// (1,10), (3,30), (5,50): held before the first point and after the
		// last, straight lines between.
		{"d[a]", []float64{10, 10, 20, 30, 40, 50, 50}},
		// b misses its value at time 3: the line runs from (1,100) to (5,500).
		{"d[b]", []float64{100, 100, 200, 300, 400, 500, 500}},
		{"hold", []float64{10, 10, 10, 30, 30, 50, 50}},
		{"ahead", []float64{10, 10, 30, 30, 50, 50, 50}},
		{"raw", []float64{10, 11, 12, 13, 14, 15, 16}},
		// curve: (0,0), (2,1), (4,4) at Time/2.
		{"y", []float64{0, 0.25, 0.5, 0.75, 1, 1.75, 2.5}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, must(res.Series(tt.name)), approx); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestReadExternalDataErrors checks that a data file that is missing or
// does not hold what the equation needs is reported at the equation, with
// the file and cell.
func TestReadExternalDataErrors(t *testing.T) {
	tests := []struct {
		name        string
		eq          string
		col         int // column of the first error on line 2
		unsupported bool
		mention     []string
	}{
		{"missing file", `x = GET DIRECT CONSTANTS('nofile.csv', ',', 'A1')`, 26, false, []string{"nofile.csv", "does not exist"}},
		{"text in a cell", `x[d] = GET DIRECT CONSTANTS('ok.csv', ',', 'A1')`, 8, false, []string{"ok.csv", "C1", `"x"`}},
		{"not a cell", `x = GET DIRECT CONSTANTS('ok.csv', ',', 'nowhere')`, 41, false, []string{"nowhere"}},
		{"times out of order", `x := GET DIRECT DATA('times.csv', ',', '1', 'B2')`, 6, false, []string{"times.csv", "D1", "increase"}},
		{"not a workbook", `x = GET XLS CONSTANTS('book.xlsx', 'Sheet1', 'A1')`, 23, false, []string{"book.xlsx"}},
		{"vdf", `x := GET DIRECT DATA('run.vdf', 'x', 'A', 'B2')`, 22, true, []string{"run.vdf"}},
		{"123", `x := GET 123 DATA('a.wk1', 'x', 'A', 'B2')`, 6, true, []string{"GET 123 DATA"}},
		{"inside an expression", `x = 2 * GET DIRECT CONSTANTS('ok.csv', ',', 'A1')`, 9, true, []string{"GET DIRECT CONSTANTS"}},
		{"raw data between its times", `x :RAW: := GET DIRECT DATA('ok times.csv', ',', '1', 'B2')`, 1, true, []string{":RAW:", "time 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{
				"m.mdl":        "{UTF-8}\n" + tt.eq + " ~~|\nd: a, b, c ~~|\n" + dataControl,
				"ok.csv":       "1,2,x\n",
				"times.csv":    "t,0,2,1\nv,1,2,3\n",
				"ok times.csv": "t,0,2,4,6\nv,1,2,3,4\n",
				"book.xlsx":    "not a zip archive",
			}
			dir := writeFiles(t, files)
			path := filepath.Join(dir, "m.mdl")
			_, err := vensim.ReadFile(path)
			var list model.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("ReadFile() error = %v, want a model.ErrorList", err)
			}
			first := list[0]
			if first.Pos.File != path || first.Pos.Line != 2 || first.Pos.Col != tt.col {
				t.Errorf("first error at %s, want %s:2:%d (%v)", first.Pos, path, tt.col, first)
			}
			if got := errors.Is(err, vensim.ErrUnsupported); got != tt.unsupported {
				t.Errorf("errors.Is(err, ErrUnsupported) = %v, want %v (%v)", got, tt.unsupported, err)
			}
			for _, s := range tt.mention {
				if !strings.Contains(first.Msg, s) {
					t.Errorf("error %q does not mention %s", first.Msg, s)
				}
			}
		})
	}
}

// TestReadSpreadsheets reads the suite's workbooks: an .xlsx with names
// defined for the workbook and for one sheet, and an .xls whose subscript
// ranges come from its cells.
func TestReadSpreadsheets(t *testing.T) {
	tests := []struct {
		file string
		want map[string]float64 // at the initial time
	}{
		{"tests/get_xls_cellrange/test_get_xls_cellrange.mdl", map[string]float64{
			"value1[A]": 11, "value1[F]": 61, "value2[B]": 20, "valuev[C]": 3, "data2": 10, "final1[A]": 11 + 10*11 - 100*11,
		}},
		{"tests/get_subscript_3d_arrays_xls/test_get_subscript_3d_arrays_xls.mdl", map[string]float64{
			"Three Dimensional Constant[Entry1,Column1,Depth1]": 0.01, "Three Dimensional Constant[Entry3,Column2,Depth2]": 0.06,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			m, err := vensim.ReadFile(filepath.Join(conformanceDir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			p, err := sim.Compile(m)
			if err != nil {
				t.Fatal(err)
			}
			res, err := p.Run(sim.Scenario{})
			if err != nil {
				t.Fatal(err)
			}
			got := make(map[string]float64)
			for name := range tt.want {
				if s, err := res.Series(name); err == nil && len(s) > 0 {
					got[name] = s[0]
				}
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("values mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadLookupModes runs LOOKUP FORWARD, LOOKUP BACKWARD and LOOKUP
// EXTRAPOLATE of one table.
func TestReadLookupModes(t *testing.T) {
	m := read(t, `{UTF-8}
tbl((0,0),(2,10),(4,20)) ~~|
ahead = LOOKUP FORWARD(tbl, Time) ~~|
back = LOOKUP BACKWARD(tbl, Time) ~~|
beyond = LOOKUP EXTRAPOLATE(tbl, Time) ~~|
plain = tbl(Time) ~~|
`+dataControl)
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(sim.Scenario{})
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string][]float64{ // at times 0..6
		"ahead":  {0, 10, 10, 20, 20, 20, 20},
		"back":   {0, 0, 10, 10, 20, 20, 20},
		"beyond": {0, 5, 10, 15, 20, 25, 30},
		"plain":  {0, 5, 10, 15, 20, 20, 20},
	}
	for name, want := range tests {
		if diff := cmp.Diff(want, must(res.Series(name)), cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
		}
	}
}

// TestReadAggregateAcrossDimensions sums and multiplies expressions whose
// terms mark different dimensions with !: each term is taken at the same
// elements of the dimensions it has, over every combination of all.
func TestReadAggregateAcrossDimensions(t *testing.T) {
	m := read(t, `{UTF-8}
d: d1, d2 ~~|
e: e1, e2, e3 ~~|
a[d, e] = 1, 2, 3; 4, 5, 6; ~~|
b[d] = 0.5, 1 ~~|
p = PROD(a[d!, e!] - b[d!]) ~~|
s = SUM(a[d!, e!] * b[d!]) ~~|
n[e] = SUM(a[d!, e] + b[d!]) ~~|
`+dataControl)
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(sim.Scenario{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, name := range []string{"p", "s", "n[e1]", "n[e3]"} {
		got[name] = must(res.Series(name))[0]
	}
	want := map[string]float64{
		"p":     0.5 * 1.5 * 2.5 * 3 * 4 * 5, // (1−.5)(2−.5)(3−.5)(4−1)(5−1)(6−1)
		"s":     0.5*(1+2+3) + 1*(4+5+6),
		"n[e1]": (1 + 0.5) + (4 + 1),
		"n[e3]": (3 + 0.5) + (6 + 1),
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("aggregates mismatch (-want +got):\n%s", diff)
	}
}
