package experiment

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/internal/csvw"
)

// Param is an uncertain constant of a study and its distribution.
type Param struct {
	Name string
	Dist Dist
}

// DefaultQuantiles are the quantiles a sensitivity study reports when it
// names none: the 5th, 25th, 50th, 75th and 95th percentiles.
var DefaultQuantiles = []float64{0.05, 0.25, 0.5, 0.75, 0.95}

// Sensitivity is a study of how uncertain constants spread a model's
// behaviour: Runs runs, each with every Param drawn from its distribution,
// summarised at each saved time by quantiles of the chosen variables.
type Sensitivity struct {
	// Base is the scenario every run starts from: its settings, lookups,
	// method and time settings. The sampled constants override its
	// settings of the same name.
	Base sim.Scenario
	Vary []Param
	Runs int
	// LHS draws by Latin hypercube sampling: each variable's range of
	// probability is cut into Runs strata of equal probability and each
	// stratum is drawn from exactly once. Otherwise draws are independent
	// (Monte Carlo).
	LHS bool
	// Seed makes the study reproducible: the same seed gives the same
	// draws, and the same summary whatever the number of workers.
	Seed uint64
	// Vars are the variables to summarise; nil means Base.Vars, or else
	// every stock, flow and auxiliary.
	Vars []string
	// Quantiles to report, as fractions in [0, 1] (0.95 is the 95th
	// percentile), ascending; nil means DefaultQuantiles.
	Quantiles []float64
	// Exact is the number of runs whose values are kept exactly at each
	// saved time of each variable (0 means DefaultExact): quantiles
	// are exact up to this many runs, and estimated beyond by a sketch
	// whose rank error is at most (⌊log₂(n/(Exact+1))⌋+1)/Exact of n runs.
	// An odd number is taken as the next even one.
	Exact int
	// ModelID identifies the model in the parts of a sharded study (for
	// example, a hash of its file), so that parts of studies of
	// different models do not merge.
	ModelID string
}

// Summary holds quantiles of variables over the runs of a study.
type Summary struct {
	Times     []float64
	Vars      []string
	Quantiles []float64 // fractions in [0, 1], ascending
	// Values[v][k][i] is quantile Quantiles[k] of variable Vars[v] at
	// Times[i]: indexed variable first and time last, as sim.Result's.
	// Series reads it by name and quantile.
	Values [][][]float64
	Runs   int
	// Exact is the number of runs kept exactly: quantiles of up to
	// that many runs are exact.
	Exact int
	// RankError bounds the error of the quantiles, as a fraction of the
	// runs: each reported quantile q lies between the exact quantiles
	// q − RankError and q + RankError (give or take one run, between whose
	// values it interpolates). It is 0 when they are exact.
	RankError float64
}

// Series returns quantile q (a fraction in [0, 1], one of Quantiles, give
// or take 1e-9) of the named variable at each saved time. A name the summary does not hold
// is a *model.NameError naming the closest one; a quantile it does not
// hold is an error listing those it does.
func (s *Summary) Series(name string, q float64) ([]float64, error) {
	v, err := model.FindName("variable", name, "the summary", s.Vars)
	if err != nil {
		return nil, fmt.Errorf("experiment: %w", err)
	}
	k := slices.IndexFunc(s.Quantiles, func(x float64) bool { return math.Abs(x-q) <= 1e-9 }) // 5/100 or 0.05
	if k < 0 {
		return nil, fmt.Errorf("experiment: the summary holds no quantile %g; it holds %s", q, gs(s.Quantiles))
	}
	return s.Values[v][k], nil
}

// Samples returns the values a study draws: Samples(...)[i][j] is the
// value of vary[j] in run i. The same arguments give the same values.
func Samples(vary []Param, runs int, lhs bool, seed uint64) [][]float64 {
	return samples(vary, runs, lhs, seed, 0, runs)
}

// samples returns rows lo to hi of Samples, drawing no quantiles for the
// others: a shard of a study draws exactly what the whole study draws for
// its runs.
func samples(vary []Param, runs int, lhs bool, seed uint64, lo, hi int) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 0x73746f636b666c6f)) // "stockflo"
	out := make([][]float64, hi-lo)
	flat := make([]float64, (hi-lo)*len(vary))
	for i := range out {
		out[i] = flat[i*len(vary) : (i+1)*len(vary) : (i+1)*len(vary)]
	}
	// open returns a probability in (0, 1), never 0 or 1, whose quantile
	// is finite for every distribution.
	open := func() float64 { return (float64(rng.Uint64()>>11) + 0.5) / (1 << 53) }
	if lhs {
		for j, p := range vary {
			perm := rng.Perm(runs)
			for i := range runs {
				u := open()
				if i >= lo && i < hi {
					out[i-lo][j] = p.Dist.Quantile((float64(perm[i]) + u) / float64(runs))
				}
			}
		}
		return out
	}
	for range lo * len(vary) {
		rng.Uint64()
	}
	for i := range hi - lo {
		for j, p := range vary {
			out[i][j] = p.Dist.Quantile(open())
		}
	}
	return out
}

// seedOf gives run i of a study its own seed for the model's random
// functions (SplitMix64 of the study's seed and the index).
func seedOf(seed uint64, i int) uint64 {
	z := seed + uint64(i+1)*0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// withValues returns the base scenario with the names set to the values,
// in place of any setting of the same variable.
func withValues(base sim.Scenario, names []string, values []float64) sim.Scenario {
	set := make(map[string]float64, len(names))
	for j, n := range names {
		set[n] = values[j]
	}
	return base.WithSet(set)
}

func describe(names []string, values []float64) string {
	parts := make([]string, len(names))
	for j, n := range names {
		parts[j] = n + "=" + strconv.FormatFloat(values[j], 'g', 6, 64)
	}
	return strings.Join(parts, ", ")
}

// Run runs the study on p and summarises it. The error of a failed run is
// a *RunError naming the values drawn for it.
func (s Sensitivity) Run(ctx context.Context, p *sim.Program, o Options) (*Summary, error) {
	pt, err := s.RunShard(ctx, p, Shard{}, o)
	if err != nil {
		return nil, err
	}
	return pt.Summary()
}

// RunShard makes the runs of one shard of the study, those from
// sh.Index·Runs/sh.Count up to (sh.Index+1)·Runs/sh.Count, each with
// exactly the draws and the seed it has in the whole study, and returns
// their summary as a Part to merge with the other shards'. The zero Shard
// is the whole study.
func (s Sensitivity) RunShard(ctx context.Context, p *sim.Program, sh Shard, o Options) (*Part, error) {
	if s.Runs <= 0 {
		return nil, fmt.Errorf("experiment: a sensitivity study needs a positive number of runs, not %d", s.Runs)
	}
	if len(s.Vary) == 0 {
		return nil, fmt.Errorf("experiment: a sensitivity study needs at least one constant to vary")
	}
	qs := s.Quantiles
	if qs == nil {
		qs = DefaultQuantiles
	}
	if err := checkQuantiles(qs); err != nil {
		return nil, err
	}
	exact := s.Exact
	switch {
	case exact == 0:
		exact = DefaultExact
	case exact < 0:
		return nil, fmt.Errorf("experiment: the runs kept exactly must be a positive number, not %d", exact)
	}
	exact += exact & 1
	names := make([]string, len(s.Vary))
	dists := make([]string, len(s.Vary))
	for j, v := range s.Vary {
		if v.Dist == nil {
			return nil, fmt.Errorf("experiment: %q has no distribution", v.Name)
		}
		if err := checkTwice(names[:j], v.Name); err != nil {
			return nil, err
		}
		names[j] = v.Name
		dists[j] = model.Canonical(v.Name) + "=" + v.Dist.String()
	}
	lo, hi, err := sh.span(s.Runs, "runs")
	if err != nil {
		return nil, err
	}
	base := s.Base
	if s.Vars != nil {
		base.Vars = s.Vars
	}
	vars, err := p.Columns(base)
	if err != nil {
		return nil, err
	}
	mid := make([]float64, len(s.Vary))
	for j, v := range s.Vary {
		mid[j] = v.Dist.Quantile(0.5)
	}
	if err := checkSettable(p, base, names, mid); err != nil {
		return nil, err
	}
	sh = sh.whole()
	units := make([]string, len(vars))
	for v, name := range vars {
		if mv := p.Model().Var(name); mv != nil {
			units[v] = mv.Units
		}
	}
	pt := &Part{
		Kind: SensitivityKind, Count: sh.Count, Shards: []int{sh.Index}, Runs: hi - lo,
		Study: []Field{
			{"model", s.ModelID},
			{"base", describeScenario(s.Base)},
			{"vary", strings.Join(dists, "; ")},
			{"sampling", map[bool]string{false: "Monte Carlo", true: "Latin hypercube"}[s.LHS]},
			{"runs", strconv.Itoa(s.Runs)},
			{"seed", strconv.FormatUint(s.Seed, 10)},
			{"vars", strings.Join(vars, ", ")},
			{"quantiles", gs(qs)},
			{"exact", strconv.Itoa(exact)},
		},
		Scenario: s.Base.Name, LHS: s.LHS, TotalRuns: s.Runs,
		Vars: vars, Units: units, TimeUnits: p.Model().Time.Units, Quantiles: slices.Clone(qs), Exact: exact,
	}
	draws := samples(s.Vary, s.Runs, s.LHS, s.Seed, lo, hi)
	err = each(ctx, hi-lo, o,
		func(i int) (*sim.Result, error) {
			sc := withValues(base, names, draws[i])
			sc.Seed = seedOf(s.Seed, lo+i)
			return p.Run(sc)
		},
		func(i int) string { return describe(names, draws[i]) },
		func(i int, r *sim.Result) error {
			if pt.cells == nil {
				pt.Times = r.Times
				pt.cells = make([][]*sketch, len(vars))
				for v := range pt.cells {
					pt.cells[v] = make([]*sketch, len(r.Times))
					for t := range pt.cells[v] {
						pt.cells[v][t] = newSketch(exact)
					}
				}
			}
			for v := range pt.cells {
				for t, x := range r.Values[v] {
					pt.cells[v][t].add(x)
				}
			}
			return nil
		})
	if re, ok := err.(*RunError); ok {
		re.Index += lo
	}
	if err != nil {
		return nil, err
	}
	return pt, nil
}

// checkQuantiles reports quantiles that are not ascending fractions.
func checkQuantiles(qs []float64) error {
	for k, q := range qs {
		if !(q >= 0 && q <= 1) || (k > 0 && q <= qs[k-1]) {
			return fmt.Errorf("experiment: quantiles must be ascending fractions in [0, 1], not %s", gs(qs))
		}
	}
	return nil
}

// checkTwice reports a name that is among names under any spelling.
func checkTwice(names []string, name string) error {
	for _, n := range names {
		if model.Canonical(n) == model.Canonical(name) {
			return fmt.Errorf("experiment: %q is varied twice", name)
		}
	}
	return nil
}

// checkSettable makes one run's worth of checks before a study starts, so
// that a name that cannot be set, or a typical value (mid) outside a
// declared range, is reported once and plainly, not as the failure of
// run 1.
func checkSettable(p *sim.Program, base sim.Scenario, names []string, mid []float64) error {
	probe := withValues(base, names, mid)
	probe.Vars = nil
	return p.Check(probe)
}

// WriteCSV writes the summary with the header
// time,variable,p5,p25,p50,p75,p95 (one column per quantile, named as
// the percentile it is) and a row
// per saved time and variable, times ascending and variables in the
// summary's order.
func (s *Summary) WriteCSV(w io.Writer) error {
	cw := csvw.New(w)
	cw.Text("time")
	cw.Text("variable")
	for _, q := range s.Quantiles {
		cw.Text("p" + percent(q))
	}
	if err := cw.End(); err != nil {
		return err
	}
	for t, tm := range s.Times {
		for v, name := range s.Vars {
			cw.Float(tm)
			cw.Text(name)
			for k := range s.Quantiles {
				cw.Float(s.Values[v][k][t])
			}
			if err := cw.End(); err != nil {
				return err
			}
		}
	}
	return cw.Flush()
}

// percent writes quantile q as the percentile it is: 0.05 as "5". Twelve
// digits drop the rounding of the product (0.07·100 is 7.000000000000001).
func percent(q float64) string { return strconv.FormatFloat(100*q, 'g', 12, 64) }
