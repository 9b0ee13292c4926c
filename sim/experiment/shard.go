package experiment

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// Shard names one of Count equal shares of a study: the runs (of a
// sensitivity study) or the starts (of an optimisation or calibration)
// from Index·total/Count up to (Index+1)·total/Count. The zero value is the
// whole study.
type Shard struct {
	Index, Count int
}

// ParseShard reads a shard written as I/N, 0 ≤ I < N.
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Shard{}, fmt.Errorf("experiment: shard %q: expected INDEX/COUNT, such as 0/4", s)
	}
	idx, err1 := strconv.Atoi(strings.TrimSpace(i))
	cnt, err2 := strconv.Atoi(strings.TrimSpace(n))
	if err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("experiment: shard %q: expected whole numbers INDEX/COUNT, such as 0/4", s)
	}
	sh := Shard{idx, cnt}
	return sh, sh.check()
}

func (sh Shard) String() string { return strconv.Itoa(sh.Index) + "/" + strconv.Itoa(sh.Count) }

func (sh Shard) check() error {
	if sh.Count < 1 || sh.Index < 0 || sh.Index >= sh.Count {
		return fmt.Errorf("experiment: shard %d/%d: expected a count of at least 1 and an index from 0 to the count less 1", sh.Index, sh.Count)
	}
	return nil
}

// whole returns the zero Shard as 0/1.
func (sh Shard) whole() Shard {
	if sh == (Shard{}) {
		return Shard{0, 1}
	}
	return sh
}

// span returns the share [lo, hi) of total items that the shard makes, or
// an error if the shard is invalid or has nothing to do.
func (sh Shard) span(total int, what string) (lo, hi int, err error) {
	sh = sh.whole()
	if err := sh.check(); err != nil {
		return 0, 0, err
	}
	lo, hi = sh.Index*total/sh.Count, (sh.Index+1)*total/sh.Count
	if lo == hi {
		return 0, 0, fmt.Errorf("experiment: shard %s has no %s: a study of %s splits into at most %d shards", sh, what, count(total, strings.TrimSuffix(what, "s")), total)
	}
	return lo, hi, nil
}

// Kind is the kind of study a Part belongs to.
type Kind int

const (
	SensitivityKind  Kind = iota // a Sensitivity study: quantiles
	OptimizationKind             // an Optimization: the best payoff
	CalibrationKind              // a Calibration: the best fit
)

var kindNames = []string{"sensitivity", "optimization", "calibration"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Field is one fact that identifies a study, such as its seed or its
// model. Parts merge only when every field is equal.
type Field struct {
	Name, Value string
}

// Part is what some shards of a study found, in a form that merges with
// the parts of the other shards: for a sensitivity study, a mergeable
// summary of each variable at each saved time; for an optimisation or a
// calibration, the best start. A Part is written to a file by WritePart
// and read back by ReadPart; Merge joins parts, and Summary, Optimum or
// Fit give the study's answer once every shard is in.
type Part struct {
	Kind   Kind
	Count  int     // the shards the study is split into
	Shards []int   // the shards this part holds, ascending
	Runs   int     // the runs these shards made
	Study  []Field // what identifies the study

	// Sensitivity studies.
	Scenario  string // the name of the base scenario; "" for the model as written
	LHS       bool
	TotalRuns int // the runs of the whole study
	Times     []float64
	Vars      []string
	Units     []string    // of each of Vars, as the model gives them
	TimeUnits string      // the model's
	Quantiles []float64   // fractions in [0, 1], ascending
	Exact     int         // the sketch capacity: values kept exactly
	cells     [][]*sketch // [var][time]

	// Optimisations and calibrations.
	Names  []string // the constants chosen, in order
	Payoff Payoff   // an optimisation's payoff
	Starts int      // the starts of the whole study
	best   *best
}

// best is the best start of some shards of an optimisation or a
// calibration.
type best struct {
	start  int       // the start that found it; -1 if no run gave a finite cost
	values []float64 // the constants there
	cost   float64   // minimised: the negated payoff when maximising
	free   int       // constants whose bounds are not equal
	flat   bool      // every run gave the same cost, first
	seen   bool      // some run gave a finite cost
	first  float64
	err    string // the first failed run, if any
	cause  error  // the same, in the process that made it
	fit    *Fit   // a calibration's fit at values
}

// Complete reports whether the part holds every shard of its study.
func (pt *Part) Complete() bool { return len(pt.Shards) == pt.Count }

// missing describes the shards the part lacks.
func (pt *Part) missing() error {
	if pt.Complete() {
		return nil
	}
	var miss []string
	have := 0
	for i := 0; i < pt.Count && len(miss) <= 10; i++ { // name ten at most
		if have < len(pt.Shards) && pt.Shards[have] == i {
			have++
			continue
		}
		miss = append(miss, strconv.Itoa(i))
	}
	what := "shard " + miss[0] + " is"
	if len(miss) > 1 {
		if len(miss) > 10 {
			miss = append(miss[:10], "…")
		}
		what = "shards " + strings.Join(miss, ", ") + " are"
	}
	return fmt.Errorf("experiment: %s missing: the study was split into %d shards and these parts hold %d", what, pt.Count, len(pt.Shards))
}

// Merge joins parts of one study, each holding different shards, into
// one. It refuses parts of different studies and a shard given twice
// with a *MismatchError naming the two parts and the first fact in which
// they differ. The result does not depend on the order of the parts.
func Merge(parts ...*Part) (*Part, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("experiment: no parts to merge")
	}
	order := make([]int, len(parts))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return firstShard(parts[order[a]]) < firstShard(parts[order[b]]) })
	ps := make([]*Part, len(parts))
	for i, j := range order {
		ps[i] = parts[j]
	}
	out := ps[0].clone()
	for i, p := range ps[1:] {
		if err := out.Add(p); err != nil {
			var me *MismatchError
			if errors.As(err, &me) {
				me.Parts = [2]int{order[0], order[i+1]}
				if me.Field == "shard" {
					// The part that holds the shard already.
					s, _ := strconv.Atoi(strings.Split(me.A, "/")[0])
					for j := range i + 1 {
						if slices.Contains(ps[j].Shards, s) {
							me.Parts[0] = order[j]
							break
						}
					}
				}
			}
			return nil, err
		}
	}
	return out, nil
}

// clone returns a copy of pt that shares nothing Add changes.
func (pt *Part) clone() *Part {
	out := *pt
	out.Shards = slices.Clone(pt.Shards)
	if pt.cells != nil {
		out.cells = make([][]*sketch, len(pt.cells))
		for v := range pt.cells {
			out.cells[v] = make([]*sketch, len(pt.cells[v]))
			for t, c := range pt.cells[v] {
				out.cells[v][t] = newSketch(pt.Exact)
				out.cells[v][t].merge(c)
			}
		}
	}
	if pt.best != nil {
		b := *pt.best
		out.best = &b
	}
	return &out
}

// Add merges q into pt, in place: pt then holds the shards of both, at a
// cost in proportion to q alone, so that many parts merge one after the
// other in the memory of a few. It refuses, leaving pt as it was, a part
// of a different study or one holding a shard pt holds, with a
// *MismatchError (whose Parts are 0 for pt and 1 for q).
func (pt *Part) Add(q *Part) error {
	if err := sameStudy(pt, q); err != nil {
		err.Parts = [2]int{0, 1}
		return err
	}
	for _, s := range q.Shards {
		if slices.Contains(pt.Shards, s) {
			sh := Shard{s, pt.Count}.String()
			return &MismatchError{Parts: [2]int{0, 1}, Field: "shard", A: sh, B: sh}
		}
	}
	switch pt.Kind {
	case SensitivityKind:
		for v := range pt.cells {
			for t := range pt.cells[v] {
				pt.cells[v][t].merge(q.cells[v][t])
			}
		}
	default:
		// The lower shards' best first, as one process compares starts.
		if firstShard(q) < firstShard(pt) {
			pt.best = mergeBest([]*Part{q, pt})
		} else {
			pt.best = mergeBest([]*Part{pt, q})
		}
	}
	pt.Shards = append(pt.Shards, q.Shards...)
	slices.Sort(pt.Shards)
	pt.Runs += q.Runs
	return nil
}

func firstShard(p *Part) int {
	if len(p.Shards) == 0 {
		return -1
	}
	return p.Shards[0]
}

// sameStudy reports how two parts belong to different studies.
func sameStudy(a, b *Part) *MismatchError {
	if a.Kind != b.Kind {
		return &MismatchError{Field: "kind", A: a.Kind.String(), B: b.Kind.String()}
	}
	if a.Count != b.Count {
		return &MismatchError{Field: "shards", A: strconv.Itoa(a.Count), B: strconv.Itoa(b.Count)}
	}
	for i := range max(len(a.Study), len(b.Study)) {
		var fa, fb Field
		if i < len(a.Study) {
			fa = a.Study[i]
		}
		if i < len(b.Study) {
			fb = b.Study[i]
		}
		if fa != fb {
			name := fa.Name
			if fb.Name != fa.Name {
				name = fa.Name + "/" + fb.Name
			}
			return &MismatchError{Field: name, A: fa.Value, B: fb.Value}
		}
	}
	return nil
}

// MismatchError says that two parts cannot merge: they belong to
// different studies, differing in the named fact of their Study (or in
// "kind", or in "shards", the number the study is split into), or both
// hold the same shard (Field "shard").
type MismatchError struct {
	Parts [2]int // the indices of the two parts among Merge's arguments
	Field string
	A, B  string // the values in each
}

func (e *MismatchError) Error() string {
	if e.Field == "shard" {
		return fmt.Sprintf("experiment: parts %d and %d both hold shard %s", e.Parts[0]+1, e.Parts[1]+1, e.A)
	}
	return fmt.Sprintf("experiment: parts %d and %d are of different studies: %s %q in one, %q in the other", e.Parts[0]+1, e.Parts[1]+1, e.Field, e.A, e.B)
}

// mergeBest keeps the best start of the parts, ps in shard order: the
// lowest cost, ties going to the lowest start, as a single process
// chooses.
func mergeBest(ps []*Part) *best {
	out := *ps[0].best
	for _, p := range ps[1:] {
		b := p.best
		if b.start >= 0 && (out.start < 0 || b.cost < out.cost || (b.cost == out.cost && b.start < out.start)) {
			out.start, out.values, out.cost, out.fit = b.start, b.values, b.cost, b.fit
		}
		if out.err == "" {
			out.err = b.err
		}
		switch {
		case !b.seen:
		case !out.seen:
			out.seen, out.first = true, b.first
		case b.first != out.first:
			out.flat = false
		}
		out.flat = out.flat && b.flat
	}
	return &out
}

// Summary returns the summary of a complete sensitivity study.
func (pt *Part) Summary() (*Summary, error) {
	if pt.Kind != SensitivityKind {
		return nil, fmt.Errorf("experiment: a part of a %s has no quantiles", pt.Kind)
	}
	if err := pt.missing(); err != nil {
		return nil, err
	}
	sum := &Summary{Times: pt.Times, Vars: pt.Vars, Quantiles: pt.Quantiles, Runs: pt.Runs, Exact: pt.Exact}
	ps := pt.Quantiles
	vals := make([]float64, len(ps))
	sum.Values = make([][][]float64, len(pt.Vars))
	for v := range pt.Vars {
		rows := make([][]float64, len(ps))
		flat := make([]float64, len(ps)*len(pt.Times))
		for k := range rows {
			rows[k] = flat[k*len(pt.Times) : (k+1)*len(pt.Times)]
		}
		for t, c := range pt.cells[v] {
			c.values(ps, vals)
			for k := range ps {
				rows[k][t] = vals[k]
			}
			sum.RankError = max(sum.RankError, c.rankError())
		}
		sum.Values[v] = rows
	}
	return sum, nil
}

// Optimum returns the optimum of a complete optimisation.
func (pt *Part) Optimum() (*Optimum, error) {
	if pt.Kind != OptimizationKind {
		return nil, fmt.Errorf("experiment: a part of a %s has no optimum", pt.Kind)
	}
	if err := pt.missing(); err != nil {
		return nil, err
	}
	b := pt.best
	if b.start < 0 {
		return nil, b.failure()
	}
	op := &Optimum{Values: b.values, Payoff: b.cost, Runs: pt.Runs, Starts: pt.Starts, Start: b.start,
		Flat: b.flat && b.free > 0 && pt.Runs > 1}
	if pt.Payoff.Maximize {
		op.Payoff = -op.Payoff
	}
	return op, nil
}

// Fit returns the fit of a complete calibration. Its Runs count every
// run of every shard, each of which ran its own best point once more.
func (pt *Part) Fit() (*Fit, error) {
	if pt.Kind != CalibrationKind {
		return nil, fmt.Errorf("experiment: a part of a %s has no fit", pt.Kind)
	}
	if err := pt.missing(); err != nil {
		return nil, err
	}
	b := pt.best
	if b.start < 0 || b.fit == nil {
		return nil, b.failure()
	}
	fit := *b.fit
	fit.Runs = pt.Runs
	return &fit, nil
}

func (b *best) failure() error {
	if b.err != "" {
		return fmt.Errorf("experiment: no run gave a finite payoff; the first failure: %s", b.err)
	}
	return fmt.Errorf("experiment: no run gave a finite payoff")
}

// describeScenario is the identity of a base scenario: every setting that
// changes a run.
func describeScenario(s sim.Scenario) string {
	var parts []string
	if s.Name != "" {
		parts = append(parts, "scenario "+s.Name)
	}
	keys := make([]string, 0, len(s.Set))
	for k := range s.Set {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return model.Canonical(keys[i]) < model.Canonical(keys[j]) })
	for _, k := range keys {
		parts = append(parts, model.Canonical(k)+"="+g(s.Set[k]))
	}
	keys = keys[:0]
	for k := range s.Lookups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return model.Canonical(keys[i]) < model.Canonical(keys[j]) })
	for _, k := range keys {
		l := s.Lookups[k]
		var pts []string
		for i := range l.X {
			pts = append(pts, "("+g(l.X[i])+","+g(l.Y[i])+")")
		}
		parts = append(parts, fmt.Sprintf("lookup %s=%s mode %d", model.Canonical(k), strings.Join(pts, ""), int(l.Mode)))
	}
	if s.Method != 0 {
		parts = append(parts, "method "+s.Method.String())
	}
	if s.DT != 0 {
		parts = append(parts, "dt "+g(s.DT))
	}
	if s.SaveEvery != 0 {
		parts = append(parts, "save_every "+g(s.SaveEvery))
	}
	if s.AllowNonFinite {
		parts = append(parts, "allow non-finite")
	}
	return strings.Join(parts, "; ")
}

func g(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func gs(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = g(x)
	}
	return strings.Join(s, ", ")
}
