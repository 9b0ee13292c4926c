package sheet

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// suite is the conformance suite's directory, whose workbooks the tests
// read.
const suite = "../../../../testdata/conformance/tests"

func TestParseRef(t *testing.T) {
	tests := []struct {
		in   string
		want Ref
		ok   bool
	}{
		{"A1", Ref{0, 0}, true},
		{"B2", Ref{1, 1}, true},
		{"$C$10", Ref{9, 2}, true},
		{"z3", Ref{2, 25}, true},
		{"AA1", Ref{0, 26}, true},
		{"XFD1048576", Ref{1048575, 16383}, true},
		{"XFE1", Ref{}, false},
		{"A0", Ref{}, false},
		{"A", Ref{}, false},
		{"1", Ref{}, false},
		{"B+2", Ref{}, false},
		{"value1", Ref{}, false},
		{"", Ref{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseRef(tt.in)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("ParseRef(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if ok && tt.in != "" && tt.in[0] != '$' && tt.in[0] != 'z' && got.String() != tt.in {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), tt.in)
		}
	}
}

// cells returns some cells of a sheet, by reference.
func cells(t *testing.T, s *Sheet, refs ...string) map[string]Cell {
	t.Helper()
	out := make(map[string]Cell)
	for _, r := range refs {
		ref, ok := ParseRef(r)
		if !ok {
			t.Fatalf("bad reference %q", r)
		}
		out[r] = s.Cell(ref)
	}
	return out
}

func num(x float64) Cell { return Cell{Kind: Number, Num: x} }
func text(s string) Cell { return Cell{Kind: Text, Str: s} }
func sheetOf(t *testing.T, path string, sep rune, name string) (*Workbook, *Sheet) {
	t.Helper()
	w, err := Open(path, sep)
	if err != nil {
		t.Fatal(err)
	}
	s, err := w.Sheet(name)
	if err != nil {
		t.Fatal(err)
	}
	return w, s
}

// TestOpen reads cells of the suite's workbooks (values as Excel shows
// them) and of text files.
func TestOpen(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "a.csv")
	tabPath := filepath.Join(dir, "a.tab")
	os.WriteFile(csvPath, []byte("\ufefftime,\"a, b\",\n1,2.5,-3e2\n"), 0o644)
	os.WriteFile(tabPath, []byte("x\t1\n\t2\n"), 0o644)
	tests := []struct {
		name, path, sheet string
		sep               rune
		want              map[string]Cell
	}{
		{"xlsx with shared strings", suite + "/get_xls_cellrange/inputs.xlsx", "global", 0, map[string]Cell{
			"A5": text("Global"), "B5": num(11), "G5": num(61), "C14": num(6), "A1": {},
		}},
		{"xls", suite + "/get_subscript_3d_arrays_xls/input.xls", "Sheet1", 0, map[string]Cell{
			"B3": text(`Entry\Depth`), "C2": text("Column 1"), "C4": num(0.01), "F6": num(0.06), "B6": num(3),
		}},
		{"another xls", suite + "/get_constants_incomplete_subscript/inputs.xls", "tab1", 0, map[string]Cell{
			"A2": text("women"), "D2": num(3), "B6": num(0.9), "A11": text("admiensional_constant"),
		}},
		{"csv", csvPath, "", ',', map[string]Cell{
			"A1": text("time"), "B1": text("a, b"), "C1": {}, "A2": num(1), "B2": num(2.5), "C2": num(-300),
		}},
		{"tab", tabPath, "", '\t', map[string]Cell{"A1": text("x"), "B2": num(2), "A2": {}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, s := sheetOf(t, tt.path, tt.sep, tt.sheet)
			var refs []string
			for r := range tt.want {
				refs = append(refs, r)
			}
			if diff := cmp.Diff(tt.want, cells(t, s, refs...)); diff != "" {
				t.Errorf("cells mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNames looks up names defined for the workbook and for one sheet.
func TestNames(t *testing.T) {
	w, err := Open(suite+"/get_xls_cellrange/inputs.xlsx", 0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, sheet string
		want        string
		ok          bool
	}{
		{"value1", "Global", "Global!B5:G5", true},
		{"VALUE1", "Local", "Global!B5:G5", true},
		{"Time2", "Local", "Local!B3:G3", true},
		{"Time2", "Global", "", false}, // local to the sheet Local
		{"nothing", "Global", "", false},
	}
	for _, tt := range tests {
		r, ok, err := w.Name(tt.name, tt.sheet)
		if err != nil || ok != tt.ok || ok && r.String() != tt.want {
			t.Errorf("Name(%q, %q) = %v, %v, %v; want %s, %v", tt.name, tt.sheet, r, ok, err, tt.want, tt.ok)
		}
	}
	if _, err := w.Sheet("Nowhere"); err == nil {
		t.Error(`Sheet("Nowhere") = nil error, want one`)
	}
}

// TestOpenBad checks that files that are not what their extension says,
// or are cut short, give ErrFormat and never a panic.
func TestOpenBad(t *testing.T) {
	xls, err := os.ReadFile(suite + "/get_data_args_3d_xls/input.xls")
	if err != nil {
		t.Fatal(err)
	}
	xlsx, err := os.ReadFile(suite + "/get_xls_cellrange/inputs.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tests := []struct {
		name string
		data []byte
	}{
		{"a.xlsx", []byte("plain text")},
		{"a.xls", []byte("plain text")},
		{"cut.xls", xls[:len(xls)/2]},
		{"header.xls", xls[:600]},
		{"cut.xlsx", xlsx[:len(xlsx)/2]},
	}
	for _, tt := range tests {
		p := filepath.Join(dir, tt.name)
		os.WriteFile(p, tt.data, 0o644)
		if _, err := Open(p, 0); !errors.Is(err, ErrFormat) {
			t.Errorf("Open(%s) error = %v, want ErrFormat", tt.name, err)
		}
	}
	if _, err := Open(filepath.Join(dir, "none.xlsx"), 0); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open(missing) error = %v, want os.ErrNotExist", err)
	}
}

// FuzzParse checks that no bytes make the readers of workbooks and text
// files panic or hang.
func FuzzParse(f *testing.F) {
	for _, p := range []string{
		suite + "/get_xls_cellrange/inputs.xlsx",
		suite + "/get_subscript_3d_arrays_xls/input.xls",
		suite + "/get_constants_incomplete_subscript/inputs.xls",
	} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("time,a\n1,2\n\"x\",3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		(&Workbook{}).readXLSX(data)
		(&Workbook{}).readXLS(data)
		(&Workbook{}).readText(data, ',')
	})
}
