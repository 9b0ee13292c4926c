// Package conformance reads the expected outputs of the SDXorg test-model
// suite (testdata/conformance) and compares a run's results with them, by
// the suite's rules: a cell passes when |expected − actual| ≤ 1e-5 +
// 1e-5·|actual| (PySD's convention), widened by the rounding of the
// printed value when the file carries six significant digits or fewer;
// NaN matches NaN; columns are matched by model.Canonical, ignoring
// Vensim's control columns and the quotes Vensim writes around names.
// The readers' conformance tests share it: ReadExpected reads a case's
// expected output, and Compare checks a run against it.
package conformance

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stockflow/stockflow/model"
)

// Expected is an expected output of the suite.
type Expected struct {
	File   string
	Names  []string    // the columns after the first (time)
	Times  []float64   // the first column
	Values [][]float64 // Values[j][i] is column j at Times[i]
	Blank  [][]bool    // where a cell is empty
	// Digits is 6 when the file's numbers are printed with six
	// significant digits (Vensim's and Stella's default), and 0 when they
	// carry more.
	Digits int
}

// ErrNoOutput is returned for a case without an expected output (the
// display samples).
var ErrNoOutput = errors.New("the case has no expected output")

// ReadExpected reads the output.tab or output.csv of a case: tab- or
// comma-separated, with CR, LF or CR LF line ends.
func ReadExpected(dir string) (*Expected, error) {
	path := filepath.Join(dir, "output.tab")
	src, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		path = filepath.Join(dir, "output.csv")
		src, err = os.ReadFile(path)
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", dir, ErrNoOutput)
	}
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(src) {
		// Vensim writes its outputs in the computer's code page:
		// Latin-1 for the suite's files.
		runes := make([]rune, len(src))
		for i, c := range src {
			runes[i] = rune(c)
		}
		src = []byte(string(runes))
	}
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
	header, _, _ := bytes.Cut(src, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(src))
	if bytes.IndexByte(header, '\t') >= 0 {
		r.Comma = '\t'
	}
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("%s: no rows", path)
	}
	e := &Expected{File: path, Names: rows[0][1:]}
	e.Values = make([][]float64, len(e.Names))
	e.Blank = make([][]bool, len(e.Names))
	maxDigits := 0
	for _, row := range rows[1:] {
		if len(row) == 0 || len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		t, err := strconv.ParseFloat(strings.TrimSpace(row[0]), 64)
		if err != nil {
			return nil, fmt.Errorf("%s: time %q: %v", path, row[0], err)
		}
		maxDigits = max(maxDigits, significant(row[0]))
		e.Times = append(e.Times, t)
		for j := range e.Names {
			cell := ""
			if j+1 < len(row) {
				cell = strings.TrimSpace(row[j+1])
			}
			x := math.NaN()
			if cell != "" {
				if x, err = strconv.ParseFloat(cell, 64); err != nil {
					return nil, fmt.Errorf("%s: column %q: %v", path, e.Names[j], err)
				}
				maxDigits = max(maxDigits, significant(cell))
			}
			e.Values[j] = append(e.Values[j], x)
			e.Blank[j] = append(e.Blank[j], cell == "")
		}
	}
	// Vensim prints a constant in the first row only.
	for j := range e.Names {
		if len(e.Times) > 1 && !e.Blank[j][0] && allTrue(e.Blank[j][1:]) {
			for i := range e.Values[j] {
				e.Values[j][i], e.Blank[j][i] = e.Values[j][0], false
			}
		}
	}
	if maxDigits <= 6 {
		// Printed with six digits: a shorter number is one whose
		// later digits are zeros.
		e.Digits = 6
	}
	return e, nil
}

func allTrue(bs []bool) bool {
	for _, b := range bs {
		if !b {
			return false
		}
	}
	return true
}

// significant counts the significant digits of a number as printed.
func significant(s string) int {
	s = strings.TrimLeft(strings.TrimSpace(s), "+-")
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimLeft(strings.Replace(s, ".", "", 1), "0")
	n := 0
	for _, c := range s {
		if '0' <= c && c <= '9' {
			n++
		}
	}
	return n
}

// printed returns half a unit in the last place of x printed with the given
// number of significant digits (0 for none: exact).
func printed(x float64, digits int) float64 {
	if digits == 0 || x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return 0.5 * math.Pow(10, math.Floor(math.Log10(math.Abs(x)))-float64(digits-1))
}

// controlColumns are Vensim's time settings, which some outputs print.
var controlColumns = map[string]bool{"initial_time": true, "final_time": true, "time_step": true, "saveper": true}

// Result is what a run gives to compare: its times and each variable's
// values at them by name (an error for an unknown name).
type Result struct {
	Times  []float64
	Series func(name string) ([]float64, error)
}

// Compare checks a result against an expected output: a cell passes when
// |expected − actual| ≤ 1e-5 + 1e-5·|actual| (PySD's convention), widened
// by the rounding of the printed value when the file carries six digits or
// fewer; NaN matches NaN. Times are matched with the same allowance.
func Compare(want *Expected, res Result, undefined []string) error {
	skip := make(map[string]bool)
	for _, n := range undefined {
		skip[model.Canonical(n)] = true
	}
	// Match each expected time to a row of the result.
	rows := make([]int, len(want.Times))
	if len(res.Times) == 0 {
		return fmt.Errorf("the run saved no rows")
	}
	t0, step := res.Times[0], 1.0
	if len(res.Times) > 1 {
		step = res.Times[1] - res.Times[0]
	}
	for i, t := range want.Times {
		k := int(math.Round((t - t0) / step))
		if k < 0 || k >= len(res.Times) || math.Abs(res.Times[k]-t) > 1e-6*max(1, math.Abs(t))+printed(t, want.Digits) {
			return fmt.Errorf("%s: the result has no row at time %g (it has %d rows from %g every %g)", want.File, t, len(res.Times), t0, step)
		}
		rows[i] = k
	}
	var problems []string
	bad, columns := 0, 0
	for j, name := range want.Names {
		name = vensimName(name)
		c := model.Canonical(name)
		if c == "time" || controlColumns[c] || skip[c] {
			continue
		}
		columns++
		got, err := res.Series(name)
		if err != nil {
			problems = append(problems, fmt.Sprintf("column %q: %v", name, err))
			bad++
			continue
		}
		for i, k := range rows {
			if want.Blank[j][i] {
				continue
			}
			e, a := want.Values[j][i], got[k]
			if math.IsNaN(e) && math.IsNaN(a) || e == a {
				continue
			}
			if math.Abs(e-a) <= 1e-5+1e-5*math.Abs(a)+printed(e, want.Digits) {
				continue
			}
			if bad++; len(problems) < 5 {
				problems = append(problems, fmt.Sprintf("column %q at time %g: expected %g, got %g", name, want.Times[i], e, a))
			}
		}
	}
	if columns == 0 {
		return fmt.Errorf("%s: no column to compare", want.File)
	}
	if bad == 0 {
		return nil
	}
	msg := strings.Join(problems, "\n\t")
	if bad > len(problems) {
		msg += fmt.Sprintf("\n\t(and %d more)", bad-len(problems))
	}
	return fmt.Errorf("%s: %d mismatches:\n\t%s", want.File, bad, msg)
}

// vensimName removes the quotes Vensim writes around a quoted name in an
// output's header, and the backslashes before quotes inside it:
// "a \"b\"" is a "b".
func vensimName(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = strings.ReplaceAll(s[1:len(s)-1], `\"`, `"`)
	}
	return s
}
