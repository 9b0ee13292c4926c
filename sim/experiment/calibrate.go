package experiment

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/internal/interp"
)

// Data are observations to calibrate a model against: a time column and
// one column per observed variable.
type Data struct {
	File  string
	Times []float64        // ascending
	Names []string         // the observed variables, as the header names them
	Pos   []model.Position // where the header names each variable
	Lines []int            // the line of each time's row in the file
	// Values[j][i] is variable Names[j] at Times[i]; NaN where the cell is
	// empty (not observed).
	Values [][]float64
}

// ReadDataFile reads observations from a CSV file.
func ReadDataFile(path string) (*Data, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadData(path, f)
}

// ReadData reads observations as CSV: a header whose first field is
// "time" (in any case) and whose others name variables, then one row per
// time, times strictly ascending. An empty cell is a missing observation.
// Errors are *model.Error values positioned at the cell at fault.
func ReadData(file string, r io.Reader) (*Data, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked here, to say what was expected
	cr.ReuseRecord = false
	at := func(line, col int, format string, args ...any) error {
		return &model.Error{Pos: model.Position{File: file, Line: line, Col: col}, Msg: fmt.Sprintf(format, args...)}
	}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, at(1, 1, "empty data file; expected a header such as time,customers")
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	header[0] = strings.TrimPrefix(header[0], "\ufeff") // a byte-order mark, as spreadsheets write
	if len(header) < 2 || !strings.EqualFold(strings.TrimSpace(header[0]), "time") {
		return nil, at(1, 1, "expected a header whose first column is time and whose others name variables, found %q", strings.Join(header, ","))
	}
	d := &Data{File: file, Names: make([]string, len(header)-1), Pos: make([]model.Position, len(header)-1), Values: make([][]float64, len(header)-1)}
	seen := make(map[string]int)
	for j, h := range header[1:] {
		line, col := cr.FieldPos(j + 1)
		h = strings.TrimSpace(h)
		if h == "" {
			return nil, at(line, col, "empty column name")
		}
		if prev, ok := seen[model.Canonical(h)]; ok {
			return nil, at(line, col, "column %q repeats column %d", h, prev+2)
		}
		seen[model.Canonical(h)] = j
		d.Names[j] = h
		d.Pos[j] = model.Position{File: file, Line: line, Col: col}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(file, err)
		}
		line, col := cr.FieldPos(0)
		if len(rec) != len(header) {
			return nil, at(line, col, "expected %d fields (time and %s), found %d", len(header), count(len(header)-1, "variable"), len(rec))
		}
		t, err := strconv.ParseFloat(strings.TrimSpace(rec[0]), 64)
		if err != nil || !finite(t) {
			return nil, at(line, col, "expected a time, found %q", rec[0])
		}
		if n := len(d.Times); n > 0 && t <= d.Times[n-1] {
			return nil, at(line, col, "time %g does not come after %g: times must ascend", t, d.Times[n-1])
		}
		d.Times = append(d.Times, t)
		d.Lines = append(d.Lines, line)
		for j, cell := range rec[1:] {
			cell = strings.TrimSpace(cell)
			x := math.NaN()
			if cell != "" {
				x, err = strconv.ParseFloat(cell, 64)
				if err != nil || !finite(x) {
					line, col := cr.FieldPos(j + 1)
					return nil, at(line, col, "expected a number for %q, found %q", d.Names[j], cell)
				}
			}
			d.Values[j] = append(d.Values[j], x)
		}
	}
	if len(d.Times) == 0 {
		return nil, at(2, 1, "no observations after the header")
	}
	return d, nil
}

// count says n things: "1 variable", "3 variables".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.Itoa(n) + " " + thing + "s"
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &model.Error{Pos: model.Position{File: file, Line: pe.Line, Col: pe.Column}, Msg: pe.Err.Error()}
	}
	return err
}

// Calibration fits constants so that a model's variables follow observed
// data, minimising the weighted sum of squared differences at the observed
// times. Model values between saved times are interpolated linearly.
type Calibration struct {
	Base sim.Scenario
	Vary []Bound
	Data *Data
	// Weights weigh each observed variable's squared errors. A variable
	// without a weight gets 1/variance of its observations (1/mean² if
	// they are all equal, 1 if they are all 0), so that variables of
	// different sizes count alike.
	Weights map[string]float64
	// Starts, Seed, MaxRuns and ModelID are as in Optimization.
	Starts  int
	Seed    uint64
	MaxRuns int
	ModelID string
}

// Fit is a calibration's answer.
type Fit struct {
	Values []float64 // fitted, in the order of Vary
	Error  float64   // the weighted sum of squared errors
	Vars   []VarFit  // per observed variable
	Runs   int
}

// VarFit is how well one variable fits its data.
type VarFit struct {
	Name   string
	Points int     // observations used
	Weight float64 // the weight of its squared errors
	RMSE   float64 // root mean squared error, in the variable's units
	R2     float64 // 1 − SSE/SST; 1 is a perfect fit
}

// Run calibrates p against the data.
func (c Calibration) Run(ctx context.Context, p *sim.Program, o Options) (*Fit, error) {
	pt, err := c.RunShard(ctx, p, Shard{}, o)
	if err != nil {
		return nil, err
	}
	if pt.best.start < 0 && pt.best.cause != nil {
		return nil, pt.best.cause
	}
	return pt.Fit()
}

// RunShard makes the searches of one shard of the calibration, as
// Optimization.RunShard does, and the fit at the best point they found.
func (c Calibration) RunShard(ctx context.Context, p *sim.Program, sh Shard, o Options) (*Part, error) {
	d := c.Data
	if d == nil || len(d.Times) == 0 {
		return nil, errors.New("experiment: no data to calibrate against")
	}
	base := c.Base
	var errs model.ErrorList
	for j, name := range d.Names {
		probe := base
		probe.Vars = []string{name}
		if err := p.Check(probe); err != nil {
			pos := model.Position{File: d.File, Line: 1, Col: 1}
			if j < len(d.Pos) {
				pos = d.Pos[j]
			}
			errs.Add(pos, "column %q names no variable of the model%s", name, model.DidYouMean(name, p.Names()))
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	base.Vars = d.Names
	if err := p.Check(base); err != nil {
		return nil, err
	}
	tm := p.Time()
	for i, t := range d.Times {
		if t < tm.Start-1e-9 || t > tm.Stop+1e-9 {
			pos := model.Position{File: d.File}
			if i < len(d.Lines) {
				pos.Line, pos.Col = d.Lines[i], 1
			}
			return nil, &model.Error{Pos: pos, Msg: fmt.Sprintf("time %g lies outside the run, from %g to %g", t, tm.Start, tm.Stop)}
		}
	}
	weights := make([]float64, len(d.Names))
	for j, name := range d.Names {
		w, ok := lookupWeight(c.Weights, name)
		if !ok {
			w = defaultWeight(d.Values[j])
		}
		if !(w >= 0) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("experiment: weight of %q must be a finite number >= 0, not %g", name, w)
		}
		weights[j] = w
	}
	var given []string
	for name := range c.Weights {
		if !containsName(d.Names, name) {
			return nil, fmt.Errorf("experiment: weight for %q, which the data do not observe", name)
		}
		if containsName(given, name) {
			return nil, fmt.Errorf("experiment: two weights for %q, under two spellings of its name", name)
		}
		given = append(given, name)
	}
	total := 0.0
	for j, w := range weights {
		total += w
		observed := false
		for _, y := range d.Values[j] {
			observed = observed || !math.IsNaN(y)
		}
		if !observed {
			return nil, fmt.Errorf("experiment: %s: column %q has no observations", d.File, d.Names[j])
		}
	}
	if total == 0 {
		return nil, errors.New("experiment: every weight is 0, so every fit is as good as any other")
	}
	sse := func(r *sim.Result, each func(j int, model, data float64)) float64 {
		var total float64
		for j := range d.Names {
			xs := r.Values[j]
			for i, t := range d.Times {
				y := d.Values[j][i]
				if math.IsNaN(y) {
					continue
				}
				m := interp.Linear(r.Times, xs, t) // as Result.At; a time checked to lie within the run's span
				if each != nil {
					each(j, m, y)
				}
				total += weights[j] * (m - y) * (m - y)
			}
		}
		return total
	}
	sp := searchSpec{vary: c.Vary, starts: c.Starts, seed: c.Seed, maxRuns: c.MaxRuns}
	found, err := sp.run(ctx, p, base, sh, o, func(r *sim.Result) (float64, error) { return sse(r, nil), nil })
	if err != nil {
		return nil, err
	}
	ws := make([]string, len(d.Names))
	for j, name := range d.Names {
		ws[j] = model.Canonical(name) + "=" + g(weights[j])
	}
	sh = sh.whole()
	pt := &Part{
		Kind: CalibrationKind, Count: sh.Count, Shards: []int{sh.Index}, Runs: found.runs,
		Study: append([]Field{
			{"model", c.ModelID},
			{"base", describeScenario(c.Base)},
			{"data", d.hash()},
			{"weights", strings.Join(ws, "; ")},
		}, sp.fields()...),
		Names: sp.names(), Starts: sp.starts, best: &found.best,
	}
	if found.start < 0 {
		return pt, nil
	}
	r, err := p.Run(withValues(base, pt.Names, found.values))
	if err != nil {
		return nil, err
	}
	pt.Runs++
	fit := &Fit{Values: found.values, Vars: make([]VarFit, len(d.Names))}
	sq := make([]float64, len(d.Names))
	fit.Error = sse(r, func(j int, m, y float64) {
		sq[j] += (m - y) * (m - y)
		fit.Vars[j].Points++
	})
	for j, name := range d.Names {
		v := &fit.Vars[j]
		v.Name, v.Weight = name, weights[j]
		if v.Points == 0 {
			v.RMSE, v.R2 = math.NaN(), math.NaN()
			continue
		}
		v.RMSE = math.Sqrt(sq[j] / float64(v.Points))
		var mean, sst float64
		for _, y := range d.Values[j] {
			if !math.IsNaN(y) {
				mean += y
			}
		}
		mean /= float64(v.Points)
		for _, y := range d.Values[j] {
			if !math.IsNaN(y) {
				sst += (y - mean) * (y - mean)
			}
		}
		v.R2 = 1 - sq[j]/sst
		if sst == 0 {
			v.R2 = math.NaN()
		}
	}
	pt.best.fit = fit
	return pt, nil
}

func lookupWeight(ws map[string]float64, name string) (float64, bool) {
	for k, w := range ws {
		if model.Canonical(k) == model.Canonical(name) {
			return w, true
		}
	}
	return 0, false
}

func containsName(names []string, name string) bool {
	for _, n := range names {
		if model.Canonical(n) == model.Canonical(name) {
			return true
		}
	}
	return false
}

func defaultWeight(ys []float64) float64 {
	var n, mean float64
	for _, y := range ys {
		if !math.IsNaN(y) {
			n++
			mean += y
		}
	}
	if n == 0 {
		return 1
	}
	mean /= n
	var v float64
	for _, y := range ys {
		if !math.IsNaN(y) {
			v += (y - mean) * (y - mean)
		}
	}
	v /= n
	switch {
	case v > 0:
		return 1 / v
	case mean != 0:
		return 1 / (mean * mean)
	}
	return 1
}

// hash identifies the observations: a SHA-256 of the names, times and
// values, so that parts of calibrations against different data do not
// merge.
func (d *Data) hash() string {
	h := sha256.New()
	var b []byte
	for _, n := range d.Names {
		b = append(append(b, model.Canonical(n)...), 0)
	}
	for _, t := range d.Times {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(t))
	}
	for _, col := range d.Values {
		for _, y := range col {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(y))
		}
	}
	h.Write(b)
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
