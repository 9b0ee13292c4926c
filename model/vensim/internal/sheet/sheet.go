// Package sheet reads the cells of the files Vensim's GET XLS and GET
// DIRECT functions take data from: Excel workbooks (.xlsx, and the older
// binary .xls of Excel 97 to 2003) and delimited text files (.csv, .tab,
// .txt).
//
// Only what was stored in the cells is read: numbers, text, booleans and
// error markers, and the workbook's defined names (named ranges).
// Formulas are not evaluated; the value Excel last computed and saved
// with a formula is read like any other.
package sheet

import (
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Kind is what a cell holds.
type Kind int

// The kinds of cell.
const (
	Empty Kind = iota
	Number
	Text
	Bool
	Error
)

// Cell is the content of one cell.
type Cell struct {
	Kind Kind
	Num  float64 // for Number, and Bool (1 or 0)
	Str  string  // for Text, and Error (#N/A, ...)
}

// String describes the cell for an error message.
func (c Cell) String() string {
	switch c.Kind {
	case Empty:
		return "an empty cell"
	case Number:
		return strconv.FormatFloat(c.Num, 'g', -1, 64)
	case Bool:
		if c.Num != 0 {
			return "TRUE"
		}
		return "FALSE"
	case Error:
		return c.Str
	}
	return strconv.Quote(c.Str)
}

// Ref is the place of a cell: its row and column, from 0 (A1 is {0, 0}).
type Ref struct{ Row, Col int }

// String writes the reference as A1.
func (r Ref) String() string { return ColumnName(r.Col) + strconv.Itoa(r.Row+1) }

// ColumnName returns the letters of column c (0 is A, 26 is AA).
func ColumnName(c int) string {
	var b []byte
	for c++; c > 0; c = (c - 1) / 26 {
		b = append([]byte{byte('A' + (c-1)%26)}, b...)
	}
	return string(b)
}

// maxFile bounds the size of a data file.
const maxFile = 512 << 20

// maxRows and maxCols are Excel's limits.
const (
	maxRows = 1 << 20
	maxCols = 1 << 14
)

// ParseColumn reads column letters (A, AB; either case).
func ParseColumn(s string) (int, bool) {
	if s == "" || len(s) > 3 {
		return 0, false
	}
	c := 0
	for _, ch := range strings.ToUpper(s) {
		if ch < 'A' || ch > 'Z' {
			return 0, false
		}
		c = c*26 + int(ch-'A'+1)
	}
	if c > maxCols {
		return 0, false
	}
	return c - 1, true
}

// ParseRef reads a cell reference such as B2 or $B$2.
func ParseRef(s string) (Ref, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), "$", "")
	i := 0
	for i < len(s) && (s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z') {
		i++
	}
	col, ok := ParseColumn(s[:i])
	if !ok {
		return Ref{}, false
	}
	row, err := strconv.Atoi(s[i:])
	if err != nil || row < 1 || row > maxRows || s[i] == '+' {
		return Ref{}, false
	}
	return Ref{Row: row - 1, Col: col}, true
}

// Range is a rectangle of cells of a sheet, From its top left to To its
// bottom right.
type Range struct {
	Sheet    string
	From, To Ref
}

// Rows and Cols return the size of the range.
func (r Range) Rows() int { return r.To.Row - r.From.Row + 1 }
func (r Range) Cols() int { return r.To.Col - r.From.Col + 1 }

// String writes the range as Sheet!A1:B2.
func (r Range) String() string {
	s := r.From.String()
	if r.To != r.From {
		s += ":" + r.To.String()
	}
	if r.Sheet != "" {
		s = r.Sheet + "!" + s
	}
	return s
}

// parseRange reads the text of a defined name: Sheet!$A$1:$B$2,
// 'My sheet'!A1 or A1:B2.
func parseRange(s string) (Range, bool) {
	var r Range
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '!'); i >= 0 {
		r.Sheet = strings.TrimSpace(s[:i])
		if len(r.Sheet) >= 2 && r.Sheet[0] == '\'' && r.Sheet[len(r.Sheet)-1] == '\'' {
			r.Sheet = strings.ReplaceAll(r.Sheet[1:len(r.Sheet)-1], "''", "'")
		}
		s = s[i+1:]
	}
	from, to, isRange := strings.Cut(s, ":")
	var ok bool
	if r.From, ok = ParseRef(from); !ok {
		return r, false
	}
	r.To = r.From
	if isRange {
		if r.To, ok = ParseRef(to); !ok {
			return r, false
		}
	}
	if r.To.Row < r.From.Row {
		r.From.Row, r.To.Row = r.To.Row, r.From.Row
	}
	if r.To.Col < r.From.Col {
		r.From.Col, r.To.Col = r.To.Col, r.From.Col
	}
	return r, true
}

// Sheet is one sheet of a workbook (a text file has one).
type Sheet struct {
	Name  string
	cells map[Ref]Cell
}

// Cells iterates over the places of the cells that are not empty, in no
// particular order.
func (s *Sheet) Cells() iter.Seq[Ref] {
	return func(yield func(Ref) bool) {
		for r := range s.cells {
			if !yield(r) {
				return
			}
		}
	}
}

// Cell returns the content of the cell at r.
func (s *Sheet) Cell(r Ref) Cell { return s.cells[r] }

func (s *Sheet) set(r Ref, c Cell) {
	if s.cells == nil {
		s.cells = make(map[Ref]Cell)
	}
	if c.Kind == Empty {
		delete(s.cells, r)
		return
	}
	s.cells[r] = c
}

// definedName is a named range of a workbook.
type definedName struct {
	name  string
	scope string // the sheet a local name belongs to; "" for the workbook
	text  string // what it refers to, as written
}

// Workbook is a file of sheets.
type Workbook struct {
	Path   string
	Sheets []*Sheet
	names  []definedName
}

// Sheet returns the sheet of that name (Excel's sheet names ignore case).
func (w *Workbook) Sheet(name string) (*Sheet, error) {
	for _, s := range w.Sheets {
		if strings.EqualFold(s.Name, name) {
			return s, nil
		}
	}
	var have []string
	for _, s := range w.Sheets {
		have = append(have, strconv.Quote(s.Name))
	}
	return nil, fmt.Errorf("%s has no sheet %q (it has %s)", filepath.Base(w.Path), name, strings.Join(have, ", "))
}

// Name returns the range a defined name refers to, looked up first among
// the names local to the sheet, then among the workbook's. ok is false
// when there is no such name.
func (w *Workbook) Name(name, sheet string) (r Range, ok bool, err error) {
	find := func(local bool) *definedName {
		for i := range w.names {
			n := &w.names[i]
			if !strings.EqualFold(n.name, name) {
				continue
			}
			if local && strings.EqualFold(n.scope, sheet) || !local && n.scope == "" {
				return n
			}
		}
		return nil
	}
	n := find(true)
	if n == nil {
		n = find(false)
	}
	if n == nil {
		return Range{}, false, nil
	}
	r, ok = parseRange(n.text)
	if !ok {
		return Range{}, true, fmt.Errorf("%s: the name %q refers to %q, which is not a range of cells", filepath.Base(w.Path), name, n.text)
	}
	if r.Sheet == "" {
		r.Sheet = sheet
	}
	return r, true, nil
}

// ErrFormat is the underlying error of a file that is not in the format
// its extension says.
var ErrFormat = errors.New("sheet: not a readable spreadsheet")

// Open reads a workbook by its extension: .xlsx (also .xlsm), .xls, or a
// delimited text file (.csv, .tab, .txt, .dat) whose cells are separated
// by sep (a comma, a tab, ...); a text file's one sheet has the name "".
func Open(path string, sep rune) (*Workbook, error) {
	// A name may point anywhere: read only a regular file of a sensible
	// size (not a device or a pipe that never ends).
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", filepath.Base(path))
	}
	if fi.Size() > maxFile {
		return nil, fmt.Errorf("%s: larger than %d MB", filepath.Base(path), maxFile>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	w := &Workbook{Path: path}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx", ".xlsm":
		err = w.readXLSX(data)
	case ".xls":
		err = w.readXLS(data)
	case ".csv", ".tab", ".txt", ".dat", ".prn":
		err = w.readText(data, sep)
	default:
		return nil, fmt.Errorf("%s: expected a .xlsx, .xls, .csv or .tab file", filepath.Base(path))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return w, nil
}

// formatErr wraps ErrFormat with what was wrong.
func formatErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}
