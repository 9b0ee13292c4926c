package vensim

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/expr"
	"github.com/stockflow/stockflow/model/vensim/internal/sheet"
)

// This file reads the data of GET XLS ... and GET DIRECT ... from the
// files they name: constants, data (series over time), lookups and
// subscript ranges. The values are written into the model as it is read:
// a constant becomes a number, a data variable a lookup of TIME, a lookup
// its points.

// getKind is what a GET function reads.
type getKind int

const (
	getNone getKind = iota
	getConstants
	getData
	getLookups
	getSubscript
)

// getFunction says what a call reads, when it is a GET XLS or GET DIRECT
// function stockflow reads; getNone otherwise.
func getFunction(name string) getKind {
	key := functionKey(name)
	if !strings.HasPrefix(key, "GET XLS ") && !strings.HasPrefix(key, "GET DIRECT ") {
		return getNone
	}
	switch key[strings.LastIndexByte(key, ' ')+1:] {
	case "CONSTANTS":
		return getConstants
	case "DATA":
		return getData
	case "LOOKUPS":
		return getLookups
	case "SUBSCRIPT":
		return getSubscript
	}
	return getNone
}

// getArity is the number of arguments of each kind of GET function.
var getArity = map[getKind]int{getConstants: 3, getData: 4, getLookups: 4, getSubscript: 5}

// asGet returns n as a call of a GET function of kind k, or nil.
func asGet(n node, k getKind) *callNode {
	c, ok := n.(*callNode)
	if !ok || getFunction(c.name) != k {
		return nil
	}
	return c
}

// book is a data file read once.
type book struct {
	w   *sheet.Workbook
	err error
}

// stringArg returns argument i of a GET call, which must be a 'string'.
func (b *builder) stringArg(c *callNode, i int) string {
	s, ok := c.args[i].(*stringNode)
	if !ok {
		b.fail(c.args[i].position(), "expected a 'quoted string' as argument %d of %s", i+1, c.name)
	}
	return strings.TrimSpace(s.s)
}

// checkGet checks the number of arguments of a GET call.
func (b *builder) checkGet(c *callNode) getKind {
	k := getFunction(c.name)
	if want := getArity[k]; len(c.args) != want {
		b.fail(c.at, "%s takes %d arguments; found %d", c.name, want, len(c.args))
	}
	return k
}

// dataSheet opens the file and sheet a GET call names: the file relative
// to the model's, the sheet by name (for a text file, the second argument
// is the character between cells).
func (b *builder) dataSheet(c *callNode) (*sheet.Workbook, *sheet.Sheet) {
	name := b.stringArg(c, 0)
	if strings.HasPrefix(name, "?") {
		b.refuse(c.args[0].position(), "%s names the file through the alias %q, which is set outside the model file: name the file itself", c.name, name)
	}
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(b.file), filepath.FromSlash(strings.ReplaceAll(name, `\`, "/")))
	}
	tab := b.stringArg(c, 1)
	sep := ','
	text := false
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".tab", ".txt", ".dat", ".prn":
		text = true
		switch strings.ToLower(tab) {
		case `\t`, "tab", "\t":
			sep = '\t'
		case ",", "":
			sep = ','
		default:
			r := []rune(tab)
			if len(r) != 1 {
				b.fail(c.args[1].position(), "for the text file %q, expected the character between cells (',' or '\\t') as the second argument of %s, found %q", name, c.name, tab)
			}
			sep = r[0]
		}
	case ".vdf", ".vdfx":
		b.refuse(c.args[0].position(), "%s reads %q, a Vensim data file (.vdf), whose format is not published: export it as .csv or .xlsx", c.name, name)
	}
	key := fmt.Sprintf("%s\x00%c", path, sep)
	bk, ok := b.books[key]
	if !ok {
		w, err := sheet.Open(path, sep)
		bk = &book{w: w, err: err}
		if b.books == nil {
			b.books = make(map[string]*book)
		}
		b.books[key] = bk
	}
	if bk.err != nil {
		if errors.Is(bk.err, fs.ErrNotExist) {
			hint := ""
			if strings.EqualFold(filepath.Ext(path), ".xls") {
				if _, err := os.Stat(path + "x"); err == nil {
					hint = fmt.Sprintf("; %s is there: name it in the model if it is meant", filepath.Base(path)+"x")
				}
			}
			b.fail(c.args[0].position(), "%s: the data file %q does not exist (looked for %s%s)", c.name, name, path, hint)
		}
		b.fail(c.args[0].position(), "%s: %v", c.name, bk.err)
	}
	if text {
		return bk.w, bk.w.Sheets[0]
	}
	sh, err := bk.w.Sheet(tab)
	if err != nil {
		b.fail(c.args[1].position(), "%s: %v", c.name, err)
	}
	return bk.w, sh
}

// cellArg reads argument i of a GET call as a place in the sheet: a cell
// such as B2, or a name the workbook defines. named is false for a cell.
func (b *builder) cellArg(c *callNode, i int, w *sheet.Workbook, sh *sheet.Sheet) (r sheet.Range, named bool) {
	s := b.stringArg(c, i)
	if ref, ok := sheet.ParseRef(s); ok {
		return sheet.Range{Sheet: sh.Name, From: ref, To: ref}, false
	}
	r, ok, err := w.Name(s, sh.Name)
	if err != nil {
		b.fail(c.args[i].position(), "%s: %v", c.name, err)
	}
	if !ok {
		b.fail(c.args[i].position(), "%s: %q is neither a cell (such as B2) nor a name defined in %s", c.name, s, filepath.Base(w.Path))
	}
	if !strings.EqualFold(r.Sheet, sh.Name) {
		b.fail(c.args[i].position(), "%s: the name %q refers to the sheet %q, not %q", c.name, s, r.Sheet, sh.Name)
	}
	return r, true
}

// cellNumber reads a cell that must hold a number.
func (b *builder) cellNumber(c *callNode, w *sheet.Workbook, sh *sheet.Sheet, at sheet.Ref) float64 {
	cell := sh.Cell(at)
	if cell.Kind != sheet.Number {
		b.fail(c.at, "%s: %s, cell %s: expected a number, found %s", c.name, b.cellPlace(w, sh), at, cell)
	}
	return cell.Num
}

// cellPlace names a file and sheet for an error message.
func (b *builder) cellPlace(w *sheet.Workbook, sh *sheet.Sheet) string {
	if sh.Name == "" {
		return filepath.Base(w.Path)
	}
	return fmt.Sprintf("%s, sheet %q", filepath.Base(w.Path), sh.Name)
}

// shape returns the positions of an equation's subscripts that stand for
// more than one element (ranges and subranges), which lay its values out
// on the sheet.
func (b *builder) shape(eq *equation) []int {
	var out []int
	for i, s := range eq.subs {
		if b.dims[canonical(s.name)] != nil {
			out = append(out, i)
		}
	}
	return out
}

// constants reads GET ... CONSTANTS(file, tab, cell) for the elements of
// an equation, in the order of b.tuples. Values of one subscript range lie
// along a row from the cell; of two, the first range down the rows and the
// second along the columns. A * after the cell (B2*) reads them
// transposed: one range down a column.
func (b *builder) constants(c *callNode, eq *equation, dims []string) []float64 {
	b.checkGet(c)
	if eq.except != nil {
		b.refuse(c.at, "%s in an equation with :EXCEPT: is not supported", c.name)
	}
	w, sh := b.dataSheet(c)
	arg := b.stringArg(c, 2)
	transpose := strings.HasSuffix(arg, "*")
	if transpose {
		c = &callNode{at: c.at, name: c.name, args: []node{c.args[0], c.args[1], &stringNode{at: c.args[2].position(), s: strings.TrimSuffix(arg, "*")}}}
	}
	r, named := b.cellArg(c, 2, w, sh)
	var sizes []int
	for _, i := range b.shape(eq) {
		sizes = append(sizes, len(b.elementsOf(dims[i], eq.subs[i])))
	}
	rows, cols := 1, 1
	switch len(sizes) {
	case 0:
	case 1:
		cols = sizes[0]
	case 2:
		rows, cols = sizes[0], sizes[1]
	default:
		b.refuse(c.at, "%s for %d subscript ranges at once is not supported: give one equation per element of all but two of them", c.name, len(sizes))
	}
	if transpose {
		rows, cols = cols, rows
	}
	if named && (r.Rows() != rows || r.Cols() != cols) && !(r.Rows() == 1 && r.Cols() == 1) {
		b.fail(c.args[2].position(), "%s: the name %q covers %d×%d cells (%s); the equation needs %d×%d", c.name, strings.TrimSuffix(arg, "*"), r.Rows(), r.Cols(), r, rows, cols)
	}
	var out []float64
	n1, n2 := rows, cols
	if transpose {
		n1, n2 = cols, rows
	}
	for i := 0; i < n1; i++ {
		for j := 0; j < n2; j++ {
			at := sheet.Ref{Row: r.From.Row + i, Col: r.From.Col + j}
			if transpose {
				at = sheet.Ref{Row: r.From.Row + j, Col: r.From.Col + i}
			}
			out = append(out, b.cellNumber(c, w, sh, at))
		}
	}
	return out
}

// series is one element's points read by GET ... DATA or GET ... LOOKUPS.
type series struct{ x, y []float64 }

// series reads GET ... DATA or LOOKUPS(file, tab, time row or column,
// first cell) for n elements. The third argument is a row number ('4'), a
// column's letters ('A') or a name defined in the workbook: the times (or
// the x of a lookup) lie along that row from the first cell's column, or
// down that column from its row; the first element's values are in the
// first cell's row (column), each further element's in the next. Points
// whose time or value is empty or not a number are left out, as Vensim
// leaves out missing values.
func (b *builder) series(c *callNode, n int) []series {
	b.checkGet(c)
	w, sh := b.dataSheet(c)
	first, namedFirst := b.cellArg(c, 3, w, sh)
	across := true // times along a row
	var times []sheet.Ref
	tArg := b.stringArg(c, 2)
	if row, err := strconv.Atoi(tArg); err == nil && row >= 1 {
		last := first.From.Col
		for at := range sh.Cells() {
			if at.Row == row-1 && at.Col > last {
				last = at.Col
			}
		}
		for col := first.From.Col; col <= last; col++ {
			times = append(times, sheet.Ref{Row: row - 1, Col: col})
		}
	} else if col, ok := sheet.ParseColumn(tArg); ok {
		across = false
		last := first.From.Row
		for at := range sh.Cells() {
			if at.Col == col && at.Row > last {
				last = at.Row
			}
		}
		for row := first.From.Row; row <= last; row++ {
			times = append(times, sheet.Ref{Row: row, Col: col})
		}
	} else {
		r, _ := b.cellArg(c, 2, w, sh)
		switch {
		case r.Rows() == 1:
			for col := r.From.Col; col <= r.To.Col; col++ {
				times = append(times, sheet.Ref{Row: r.From.Row, Col: col})
			}
		case r.Cols() == 1:
			across = false
			for row := r.From.Row; row <= r.To.Row; row++ {
				times = append(times, sheet.Ref{Row: row, Col: r.From.Col})
			}
		default:
			b.fail(c.args[2].position(), "%s: the times %q cover %s, not one row or column", c.name, tArg, r)
		}
		if across && first.From.Col != r.From.Col || !across && first.From.Row != r.From.Row {
			b.fail(c.args[3].position(), "%s: the values at %s do not line up with the times at %s", c.name, first, r)
		}
	}
	if namedFirst {
		k := first.Rows()
		if !across {
			k = first.Cols()
		}
		if k != n {
			b.fail(c.args[3].position(), "%s: %q covers %d series (%s); the equation needs %d", c.name, b.stringArg(c, 3), k, first, n)
		}
	}
	out := make([]series, n)
	for e := 0; e < n; e++ {
		var s series
		for _, t := range times {
			at := sheet.Ref{Row: first.From.Row + e, Col: t.Col}
			if !across {
				at = sheet.Ref{Row: t.Row, Col: first.From.Col + e}
			}
			tc, vc := sh.Cell(t), sh.Cell(at)
			if tc.Kind != sheet.Number || vc.Kind != sheet.Number {
				continue
			}
			if k := len(s.x); k > 0 && !(tc.Num > s.x[k-1]) {
				b.fail(c.at, "%s: %s, cell %s: the times must increase; %g follows %g", c.name, b.cellPlace(w, sh), t, tc.Num, s.x[k-1])
			}
			s.x = append(s.x, tc.Num)
			s.y = append(s.y, vc.Num)
		}
		if len(s.x) == 0 {
			start := first.From
			if across {
				start.Row += e
			} else {
				start.Col += e
			}
			b.fail(c.at, "%s: %s: no numbers at %s and after, along the times at %s", c.name, b.cellPlace(w, sh), start, times[0])
		}
		out[e] = s
	}
	return out
}

// dataLookup makes the lookup of TIME that a data variable is, by the
// keyword of its equation: :INTERPOLATE: (the default) joins the points
// with straight lines, :HOLD BACKWARD: keeps each point's value until the
// next, :LOOK FORWARD: takes the next point's value from just after the
// point before. Before the first point and after the last, the value is
// the first or last point's.
func (b *builder) dataLookup(eq *equation, s series, at int) *model.Lookup {
	l := &model.Lookup{X: s.x, Y: s.y, Pos: b.pos(at)}
	switch eq.data {
	case "", "INTERPOLATE":
	case "HOLD BACKWARD":
		l.Mode = model.Discrete
	case "LOOK FORWARD":
		l.Mode = model.Discrete
		l.X = forward(s.x)
	case "RAW":
		// :RAW: data have values only at their times. Read when every
		// time step of the run falls on one of them, where any mode
		// gives that value; refused otherwise.
		l.Mode = model.Discrete
		if t, ok := b.rawCovers(s.x); !ok {
			b.refuse(eq.at, "data with :RAW: have values only at their own times, and time %g of the run is not one of them: use :INTERPOLATE:, :HOLD BACKWARD: or :LOOK FORWARD:", t)
		}
	}
	return l
}

// rawCovers reports whether every time step of the run (from the control
// section) is one of the times x; if not, it returns the first that is not.
func (b *builder) rawCovers(x []float64) (float64, bool) {
	t := b.m.Time
	if !(t.DT > 0) || t.Stop < t.Start {
		return t.Start, false
	}
	n := int(math.Round((t.Stop - t.Start) / t.DT))
	if n > 1e7 {
		return t.Start, false
	}
	for k := 0; k <= n; k++ {
		tk := t.Start + float64(k)*t.DT
		i := sort.SearchFloat64s(x, tk-1e-9*math.Max(1, math.Abs(tk)))
		if i >= len(x) || math.Abs(x[i]-tk) > 1e-9*math.Max(1, math.Abs(tk)) {
			return tk, false
		}
	}
	return 0, true
}

// checkDataMode refuses the keywords of data equations that have no
// lookup to stand for them.
func (b *builder) checkDataMode(eq *equation) {
	switch eq.data {
	case "", "INTERPOLATE", "HOLD BACKWARD", "LOOK FORWARD", "RAW":
	default:
		b.refuse(eq.at, "data equations with :%s: are not supported", eq.data)
	}
}

// forward returns the x of a stepping lookup that takes each point's
// value from just after the point before: a discrete lookup holds the
// value of the last point at or before x, and x > p holds exactly when
// x >= the next float after p.
func forward(x []float64) []float64 {
	out := make([]float64, len(x))
	out[0] = x[0]
	for i := 1; i < len(x); i++ {
		out[i] = math.Nextafter(x[i-1], math.Inf(1))
	}
	return out
}

// getSubscripts reads the elements of ranges defined by GET ...
// SUBSCRIPT(file, tab, first cell, last cell, prefix): the text of the
// cells from the first to the last (to the last filled cell of the row or
// column when the last is ”), each after the prefix.
func (b *builder) getSubscripts(eq *equation) {
	c := eq.getSubs
	b.catch(func() {
		if k := b.checkGet(c); k != getSubscript {
			b.fail(c.at, "expected a GET ... SUBSCRIPT function, found %s", c.name)
		}
		w, sh := b.dataSheet(c)
		first, _ := b.cellArg(c, 2, w, sh)
		var last sheet.Range
		if b.stringArg(c, 3) == "" {
			last = first
			for at := range sh.Cells() {
				if at.Row == first.From.Row && at.Col > last.To.Col {
					last.To = at
				}
			}
		} else {
			last, _ = b.cellArg(c, 3, w, sh)
		}
		prefix := b.stringArg(c, 4)
		from, to := first.From, last.To
		if to.Row != from.Row && to.Col != from.Col || to.Row < from.Row || to.Col < from.Col {
			b.fail(c.at, "%s: the cells from %s to %s are not one row or column", c.name, from, to)
		}
		for r := from.Row; r <= to.Row; r++ {
			for col := from.Col; col <= to.Col; col++ {
				at := sheet.Ref{Row: r, Col: col}
				cell := sh.Cell(at)
				var s string
				switch cell.Kind {
				case sheet.Number:
					s = strconv.FormatFloat(cell.Num, 'g', -1, 64)
				case sheet.Text:
					s = strings.TrimSpace(cell.Str)
				}
				if s == "" {
					b.fail(c.at, "%s: %s, cell %s: expected an element's name, found %s", c.name, b.cellPlace(w, sh), at, cell)
				}
				eq.elems = append(eq.elems, subRef{at: c.at, name: prefix + s})
			}
		}
	})
}

// number is an equation that is the number x.
func (b *builder) number(at int, x float64) model.Equation {
	e, err := model.NewEquation(expr.Format(num(x)), b.pos(at), 0)
	if err != nil {
		b.fail(at, "%v", err)
	}
	return e
}

// timeEquation is the equation TIME, the input of a data variable's
// lookup.
func (b *builder) timeEquation(at int) model.Equation {
	e, err := model.NewEquation("TIME", b.pos(at), 0)
	if err != nil {
		b.fail(at, "%v", err)
	}
	return e
}
