package experiment

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// PartFormat is the version of the part file format that WritePart writes
// and ReadPart reads.
//
// A part file is:
//
//  1. the line "stockflow summary 2" (the format's name and version);
//  2. a line of JSON, the header: "kind" (sensitivity, optimization or
//     calibration), "count" (the shards the study is split into),
//     "shards" (those the file holds), "runs" (the runs they made),
//     "study" (the facts that identify the study, as [name, value]
//     pairs: parts merge only when these are equal), and the kind's own
//     object: "sensitivity" (scenario, lhs, total_runs, times, vars,
//     units, time_units, quantiles (fractions in [0, 1]), exact: the sketch
//     capacity) or "search" (names,
//     payoff, starts and the best start found: start, values, cost, free,
//     flat, seen, first, error, and for a calibration the fit). Numbers
//     that may not be finite are written as the strings "NaN", "+Inf" and
//     "-Inf";
//  3. for a sensitivity study, one sketch per variable (in the order of
//     vars) per saved time (in the order of times), each little-endian:
//     uint64 values summarised, uint64 rank error bound, float64 minimum
//     and maximum, uint32 number of levels, and per level h (values of
//     weight 2^h) uint64 compactions so far, uint32 number of values and
//     that many float64 values;
//  4. the CRC-32 (IEEE) of everything before it, as 4 bytes little-endian,
//     so that a file cut short in a copy is refused rather than read.
const PartFormat = 2

const partMagic = "stockflow summary"

type partHeader struct {
	Kind        string        `json:"kind"`
	Count       int           `json:"count"`
	Shards      []int         `json:"shards"`
	Runs        int           `json:"runs"`
	Study       [][2]string   `json:"study"`
	Sensitivity *sensHeader   `json:"sensitivity,omitempty"`
	Search      *searchHeader `json:"search,omitempty"`
}

type sensHeader struct {
	Scenario  string    `json:"scenario"`
	LHS       bool      `json:"lhs"`
	TotalRuns int       `json:"total_runs"`
	Times     []float64 `json:"times"`
	Vars      []string  `json:"vars"`
	Units     []string  `json:"units"`
	TimeUnits string    `json:"time_units"`
	Quantiles []float64 `json:"quantiles"`
	Exact     int       `json:"exact"`
}

type searchHeader struct {
	Names  []string  `json:"names"`
	Payoff *payoffJS `json:"payoff,omitempty"`
	Starts int       `json:"starts"`
	Start  int       `json:"start"`
	Values []jfloat  `json:"values"`
	Cost   jfloat    `json:"cost"`
	Free   int       `json:"free"`
	Flat   bool      `json:"flat"`
	Seen   bool      `json:"seen"`
	First  jfloat    `json:"first"`
	Error  string    `json:"error,omitempty"`
	Fit    *fitJS    `json:"fit,omitempty"`
}

type payoffJS struct {
	Var      string `json:"var"`
	At       string `json:"at"`
	Maximize bool   `json:"maximize"`
}

type fitJS struct {
	Values []jfloat   `json:"values"`
	Error  jfloat     `json:"error"`
	Vars   []varFitJS `json:"vars"`
}

type varFitJS struct {
	Name   string `json:"name"`
	Points int    `json:"points"`
	Weight jfloat `json:"weight"`
	RMSE   jfloat `json:"rmse"`
	R2     jfloat `json:"r2"`
}

// jfloat is a float64 in JSON that may be NaN or infinite.
type jfloat float64

func (f jfloat) MarshalJSON() ([]byte, error) {
	x := float64(f)
	switch {
	case math.IsNaN(x):
		return []byte(`"NaN"`), nil
	case math.IsInf(x, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(x, -1):
		return []byte(`"-Inf"`), nil
	}
	return strconv.AppendFloat(nil, x, 'g', -1, 64), nil
}

func (f *jfloat) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"NaN"`:
		*f = jfloat(math.NaN())
	case `"+Inf"`:
		*f = jfloat(math.Inf(1))
	case `"-Inf"`:
		*f = jfloat(math.Inf(-1))
	default:
		x, err := strconv.ParseFloat(string(b), 64)
		if err != nil {
			return fmt.Errorf("expected a number, found %s", b)
		}
		*f = jfloat(x)
	}
	return nil
}

func jfloats(xs []float64) []jfloat {
	out := make([]jfloat, len(xs))
	for i, x := range xs {
		out[i] = jfloat(x)
	}
	return out
}

func floats(xs []jfloat) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

// WritePart writes a part in the part file format (PartFormat).
func WritePart(w io.Writer, pt *Part) error {
	crc := crc32.NewIEEE()
	bw := bufio.NewWriter(io.MultiWriter(w, crc))
	h := partHeader{Kind: pt.Kind.String(), Count: pt.Count, Shards: pt.Shards, Runs: pt.Runs}
	for _, f := range pt.Study {
		h.Study = append(h.Study, [2]string{f.Name, f.Value})
	}
	switch pt.Kind {
	case SensitivityKind:
		h.Sensitivity = &sensHeader{Scenario: pt.Scenario, LHS: pt.LHS, TotalRuns: pt.TotalRuns, Times: pt.Times,
			Vars: pt.Vars, Units: pt.Units, TimeUnits: pt.TimeUnits, Quantiles: pt.Quantiles, Exact: pt.Exact}
	default:
		b := pt.best
		sh := &searchHeader{Names: pt.Names, Starts: pt.Starts, Start: b.start, Values: jfloats(b.values), Cost: jfloat(b.cost),
			Free: b.free, Flat: b.flat, Seen: b.seen, First: jfloat(b.first), Error: b.err}
		if pt.Kind == OptimizationKind {
			sh.Payoff = &payoffJS{Var: pt.Payoff.Var, At: pt.Payoff.At.String(), Maximize: pt.Payoff.Maximize}
		}
		if f := b.fit; f != nil {
			sh.Fit = &fitJS{Values: jfloats(f.Values), Error: jfloat(f.Error)}
			for _, v := range f.Vars {
				sh.Fit.Vars = append(sh.Fit.Vars, varFitJS{v.Name, v.Points, jfloat(v.Weight), jfloat(v.RMSE), jfloat(v.R2)})
			}
		}
		h.Search = sh
	}
	js, err := json.Marshal(h)
	if err != nil {
		return err
	}
	fmt.Fprintf(bw, "%s %d\n%s\n", partMagic, PartFormat, js)
	if pt.Kind == SensitivityKind {
		var b []byte
		for _, row := range pt.cells {
			for _, c := range row {
				b = c.appendBinary(b[:0])
				if _, err := bw.Write(b); err != nil {
					return err
				}
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	_, err = w.Write(binary.LittleEndian.AppendUint32(nil, crc.Sum32()))
	return err
}

func (s *sketch) appendBinary(b []byte) []byte {
	le := binary.LittleEndian
	b = le.AppendUint64(b, s.n)
	b = le.AppendUint64(b, s.err)
	b = le.AppendUint64(b, math.Float64bits(s.min))
	b = le.AppendUint64(b, math.Float64bits(s.max))
	b = le.AppendUint32(b, uint32(len(s.levels)))
	for h, lv := range s.levels {
		b = le.AppendUint64(b, s.compacts[h])
		b = le.AppendUint32(b, uint32(len(lv)))
		for _, x := range lv {
			b = le.AppendUint64(b, math.Float64bits(x))
		}
	}
	return b
}

// ReadPartFile reads a part file.
func ReadPartFile(path string) (*Part, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ReadPart(path, b)
}

// PartError is a part file that cannot be read: the file and what is wrong.
type PartError struct {
	File string
	Msg  string
}

func (e *PartError) Error() string { return e.File + ": " + e.Msg }

// ReadPart reads a part file's contents; file names it in errors, which are
// *PartError values.
func ReadPart(file string, b []byte) (*Part, error) {
	bad := func(format string, args ...any) error {
		return &PartError{File: file, Msg: fmt.Sprintf(format, args...)}
	}
	line, rest, ok := bytes.Cut(b, []byte("\n"))
	name, ver, _ := strings.Cut(string(line), " ")
	name2, ver, _ := strings.Cut(ver, " ")
	if !ok || name+" "+name2 != partMagic {
		return nil, bad("not a stockflow summary file: expected the line %q first", fmt.Sprintf("%s %d", partMagic, PartFormat))
	}
	if v, err := strconv.Atoi(ver); err != nil || v != PartFormat {
		return nil, bad("summary format %q; this stockflow reads format %d", ver, PartFormat)
	}
	if len(b) < len(line)+5 || crc32.ChecksumIEEE(b[:len(b)-4]) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return nil, bad("the file is damaged or incomplete (its checksum does not match); copy or make it again")
	}
	rest = rest[:len(rest)-4]
	js, body, ok := bytes.Cut(rest, []byte("\n"))
	if !ok {
		return nil, bad("no header line")
	}
	var h partHeader
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return nil, bad("header: %v", err)
	}
	pt := &Part{Count: h.Count, Shards: h.Shards, Runs: h.Runs}
	k := slices.Index(kindNames, h.Kind)
	if k < 0 {
		return nil, bad("unknown kind of study %q; expected one of %s", h.Kind, strings.Join(kindNames, ", "))
	}
	pt.Kind = Kind(k)
	if h.Count < 1 || len(h.Shards) == 0 || len(h.Shards) > h.Count || h.Runs < 0 {
		return nil, bad("header: %d shards of %d, %d runs", len(h.Shards), h.Count, h.Runs)
	}
	for i, s := range h.Shards {
		if s < 0 || s >= h.Count || (i > 0 && s <= h.Shards[i-1]) {
			return nil, bad("header: shards %v of %d: expected ascending numbers from 0 to %d", h.Shards, h.Count, h.Count-1)
		}
	}
	for _, f := range h.Study {
		pt.Study = append(pt.Study, Field{f[0], f[1]})
	}
	if pt.Kind == SensitivityKind {
		s := h.Sensitivity
		if s == nil || h.Search != nil {
			return nil, bad("header: a sensitivity study needs its \"sensitivity\" object, and only it")
		}
		if s.Exact < 2 || s.Exact%2 != 0 || len(s.Units) != len(s.Vars) || len(s.Times) == 0 || s.TotalRuns < 1 {
			return nil, bad("header: sensitivity: exact %d, %d units for %d variables, %d times", s.Exact, len(s.Units), len(s.Vars), len(s.Times))
		}
		if err := checkQuantiles(s.Quantiles); err != nil {
			return nil, bad("header: %s", strings.TrimPrefix(err.Error(), "experiment: "))
		}
		pt.Scenario, pt.LHS, pt.TotalRuns, pt.Times, pt.Vars, pt.Units, pt.TimeUnits, pt.Quantiles, pt.Exact =
			s.Scenario, s.LHS, s.TotalRuns, s.Times, s.Vars, s.Units, s.TimeUnits, s.Quantiles, s.Exact
		r := &reader{b: body}
		pt.cells = make([][]*sketch, len(pt.Vars))
		for v := range pt.cells {
			pt.cells[v] = make([]*sketch, len(pt.Times))
			for t := range pt.cells[v] {
				c, err := r.sketch(pt.Exact)
				if err != nil {
					return nil, bad("%s at time %g: %v", pt.Vars[v], pt.Times[t], err)
				}
				if c.n != uint64(pt.Runs) {
					return nil, bad("%s at time %g: %d values summarised, expected %d runs", pt.Vars[v], pt.Times[t], c.n, pt.Runs)
				}
				pt.cells[v][t] = c
			}
		}
		if len(r.b) != 0 {
			return nil, bad("%d bytes left after the last summary", len(r.b))
		}
		return pt, nil
	}
	s := h.Search
	if s == nil || h.Sensitivity != nil || len(body) != 0 {
		return nil, bad("header: a %s needs its \"search\" object, and only it", pt.Kind)
	}
	pt.Names, pt.Starts = s.Names, s.Starts
	if (pt.Kind == OptimizationKind) != (s.Payoff != nil) {
		return nil, bad("header: a payoff belongs to an optimization, and only to it")
	}
	if s.Payoff != nil {
		at, err := ParseAggregate(s.Payoff.At)
		if err != nil {
			return nil, bad("header: %v", err)
		}
		pt.Payoff = Payoff{Var: s.Payoff.Var, At: at, Maximize: s.Payoff.Maximize}
	}
	b0 := &best{start: s.Start, values: floats(s.Values), cost: float64(s.Cost), free: s.Free, flat: s.Flat, seen: s.Seen, first: float64(s.First), err: s.Error}
	if s.Start < -1 || s.Start >= s.Starts || (s.Start >= 0 && len(b0.values) != len(pt.Names)) {
		return nil, bad("header: start %d of %d with %d values for %d constants", s.Start, s.Starts, len(b0.values), len(pt.Names))
	}
	if f := s.Fit; f != nil {
		fit := &Fit{Values: floats(f.Values), Error: float64(f.Error)}
		for _, v := range f.Vars {
			fit.Vars = append(fit.Vars, VarFit{v.Name, v.Points, float64(v.Weight), float64(v.RMSE), float64(v.R2)})
		}
		b0.fit = fit
	}
	if pt.Kind == CalibrationKind && s.Start >= 0 && b0.fit == nil {
		return nil, bad("header: a calibration's best start needs its fit")
	}
	pt.best = b0
	return pt, nil
}

// reader reads the binary body of a part file.
type reader struct{ b []byte }

var errShort = errors.New("the data end too soon")

func (r *reader) u64() (uint64, error) {
	if len(r.b) < 8 {
		return 0, errShort
	}
	x := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return x, nil
}

func (r *reader) u32() (uint32, error) {
	if len(r.b) < 4 {
		return 0, errShort
	}
	x := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return x, nil
}

// sketch reads a sketch of capacity k and checks it: finite values, no
// level over capacity, weights that add up to the values summarised.
func (r *reader) sketch(k int) (*sketch, error) {
	s := newSketch(k)
	var err error
	var u uint64
	if s.n, err = r.u64(); err != nil {
		return nil, err
	}
	if s.err, err = r.u64(); err != nil {
		return nil, err
	}
	if u, err = r.u64(); err != nil {
		return nil, err
	}
	s.min = math.Float64frombits(u)
	if u, err = r.u64(); err != nil {
		return nil, err
	}
	s.max = math.Float64frombits(u)
	nl, err := r.u32()
	if err != nil {
		return nil, err
	}
	if nl == 0 || nl > 63 {
		return nil, fmt.Errorf("%d levels; expected 1 to 63", nl)
	}
	s.levels, s.compacts = make([][]float64, nl), make([]uint64, nl)
	var weight, errSum uint64
	for h := range s.levels {
		if s.compacts[h], err = r.u64(); err != nil {
			return nil, err
		}
		errSum += s.compacts[h] << h
		m, err := r.u32()
		if err != nil {
			return nil, err
		}
		if int(m) > k || uint64(m)*8 > uint64(len(r.b)) {
			return nil, fmt.Errorf("level %d holds %d values; expected at most %d", h, m, k)
		}
		lv := make([]float64, m)
		for i := range lv {
			u, _ := r.u64()
			lv[i] = math.Float64frombits(u)
		}
		s.levels[h] = lv
		weight += uint64(m) << h
	}
	if weight != s.n || errSum != s.err {
		return nil, fmt.Errorf("the values weigh %d and their compactions %d, expected %d and %d", weight, errSum, s.n, s.err)
	}
	s.sorted = false
	return s, nil
}
