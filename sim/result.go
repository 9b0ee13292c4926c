package sim

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim/internal/csvw"
	"github.com/stockflow/stockflow/sim/internal/interp"
)

// Result holds the saved rows of a run: one time per row and one series per
// recorded variable.
type Result struct {
	Names  []string    // the recorded variables, as written in the model
	Times  []float64   // the saved times
	Values [][]float64 // Values[j][i] is variable Names[j] at Times[i]
}

func newResult(names []string, rows int) *Result {
	r := &Result{Names: names, Times: make([]float64, 0, rows), Values: make([][]float64, len(names))}
	for j := range r.Values {
		r.Values[j] = make([]float64, 0, rows)
	}
	return r
}

func (r *Result) add(t float64, row []float64) {
	r.Times = append(r.Times, t)
	for j, x := range row {
		r.Values[j] = append(r.Values[j], x)
	}
}

// Series returns the values of the named variable (compared canonically:
// "Heat Loss" is heat_loss), one per saved time. For a name the result
// does not hold, the error is a *model.NameError naming the closest name
// it does hold. The slice is the result's own; do not change it.
func (r *Result) Series(name string) ([]float64, error) {
	j, err := r.index(name)
	if err != nil {
		return nil, err
	}
	return r.Values[j], nil
}

// Final returns the last saved value of the named variable; the error is
// that of Series.
func (r *Result) Final(name string) (float64, error) {
	s, err := r.Series(name)
	if err != nil {
		return math.NaN(), err
	}
	if len(s) == 0 {
		return math.NaN(), errors.New("sim: the result holds no saved times")
	}
	return s[len(s)-1], nil
}

// At returns the value of the named variable at time t, interpolated as
// between the saved points of a lookup: exact at a saved time, linear
// between two. A time before the first saved time or after the last is an
// error, as is a name the result does not hold (see Series); a time within
// a billionth of the run's span of an end (a sum of steps rounded
// differently) is that end.
func (r *Result) At(name string, t float64) (float64, error) {
	s, err := r.Series(name)
	if err != nil {
		return math.NaN(), err
	}
	n := len(r.Times)
	if n == 0 {
		return math.NaN(), errors.New("sim: the result holds no saved times")
	}
	first, last := r.Times[0], r.Times[n-1]
	if tol := 1e-9 * max(1, last-first); t >= first-tol && t <= last+tol {
		t = min(max(t, first), last)
	}
	if !interp.Within(r.Times, t) {
		return math.NaN(), fmt.Errorf("sim: time %g is outside the run's saved times, %g to %g", t, first, last)
	}
	return interp.Linear(r.Times, s, t), nil
}

// index returns the column of the named variable.
func (r *Result) index(name string) (int, error) {
	j, err := model.FindName("variable", name, "the result", r.Names)
	if err != nil {
		return -1, fmt.Errorf("sim: %w", err)
	}
	return j, nil
}

// WriteCSV writes the result as CSV: a header "time,<name>,..." and one row
// per saved time.
func (r *Result) WriteCSV(w io.Writer) error {
	cw := NewCSVWriter(w, r.Names)
	row := make([]float64, len(r.Names))
	for i, t := range r.Times {
		for j := range row {
			row[j] = r.Values[j][i]
		}
		if err := cw.Write(t, row); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// CSVWriter writes rows of a run as CSV as they come, for use with
// Program.Stream: a header "time,<name>,..." and a row per saved time.
// Every CSV of the module is written alike (see the package documentation
// on conventions): a name is quoted where it must be (RFC 4180), a number
// is written in the shortest form that reads back to the same float64,
// the infinities as +Inf and -Inf, and NaN as an empty cell.
type CSVWriter struct {
	w      *csvw.Writer
	header []string
	wrote  bool

	keyed    bool   // rows start with a scenario column
	scenario string // its value
}

// NewScenarioCSVWriter returns a writer of the rows of several runs in one
// table: its first column, "scenario", holds the name last given to
// SetScenario, then come "time" and the given columns.
func NewScenarioCSVWriter(w io.Writer, names []string) *CSVWriter {
	c := NewCSVWriter(w, names)
	c.keyed = true
	return c
}

// SetScenario sets the scenario name the rows written next are under, for
// a writer from NewScenarioCSVWriter.
func (c *CSVWriter) SetScenario(name string) {
	c.scenario = name
}

// NewCSVWriter returns a writer of rows with the given column names.
func NewCSVWriter(w io.Writer, names []string) *CSVWriter {
	return &CSVWriter{w: csvw.New(w), header: names}
}

// Write writes one row, after the header if it is the first.
func (c *CSVWriter) Write(t float64, row []float64) error {
	if err := c.writeHeader(); err != nil {
		return err
	}
	if c.keyed {
		c.w.Text(c.scenario)
	}
	c.w.Float(t)
	c.w.Floats(row)
	return c.w.End()
}

// Flush writes the header if no row came, and flushes the buffer.
func (c *CSVWriter) Flush() error {
	if err := c.writeHeader(); err != nil {
		return err
	}
	return c.w.Flush()
}

// writeHeader writes the header line the first time it is called.
func (c *CSVWriter) writeHeader() error {
	if c.wrote {
		return nil
	}
	c.wrote = true
	if c.keyed {
		c.w.Text("scenario")
	}
	c.w.Text("time")
	for _, n := range c.header {
		c.w.Text(n)
	}
	return c.w.End()
}
