package experiment

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/optimize"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// Bound is a constant to choose and the range to choose it from.
type Bound struct {
	Name      string
	Low, High float64
}

// Aggregate says how a payoff reduces a variable's series to one number.
type Aggregate int

const (
	Final Aggregate = iota // the value at the final saved time
	Sum                    // the sum of the values at the saved times
	Mean                   // the mean of the values at the saved times
)

func (a Aggregate) String() string {
	switch a {
	case Final:
		return "final"
	case Sum:
		return "sum"
	case Mean:
		return "mean"
	}
	return fmt.Sprintf("Aggregate(%d)", int(a))
}

// ParseAggregate reads "final", "sum" or "mean".
func ParseAggregate(s string) (Aggregate, error) {
	for _, a := range []Aggregate{Final, Sum, Mean} {
		if strings.EqualFold(s, a.String()) {
			return a, nil
		}
	}
	return 0, fmt.Errorf("experiment: unknown aggregate %q; expected final, sum or mean", s)
}

// Payoff is the number an optimisation makes as large or as small as it
// can: a variable's final value, or its sum or mean over the saved times.
type Payoff struct {
	Var      string
	At       Aggregate
	Maximize bool
}

// Of returns the payoff of a run, which must have recorded the variable.
func (pf Payoff) Of(r *sim.Result) (float64, error) {
	xs, err := r.Series(pf.Var)
	if err != nil {
		return 0, err
	}
	if len(xs) == 0 {
		return 0, fmt.Errorf("experiment: the run saved no values of %q", pf.Var)
	}
	switch pf.At {
	case Final:
		return xs[len(xs)-1], nil
	case Sum, Mean:
		var s float64
		for _, x := range xs {
			s += x
		}
		if pf.At == Mean {
			s /= float64(len(xs))
		}
		return s, nil
	}
	return 0, fmt.Errorf("experiment: unknown aggregate %v", pf.At)
}

// Optimization chooses constants within bounds to maximise or minimise a
// payoff. Each start is a Nelder–Mead search (gonum/optimize) in
// coordinates that map the real line smoothly onto each bound, so that no
// run leaves the bounds and an optimum on a bound can be reached; several
// starts spread over the box by Latin hypercube sampling, run in parallel,
// guard against local optima.
type Optimization struct {
	Base   sim.Scenario
	Vary   []Bound
	Payoff Payoff
	// Starts is the number of searches; 0 means 1 + 2×(constants), at
	// most 12. The first starts from the middle of the box.
	Starts int
	// Seed places the starts after the first.
	Seed uint64
	// MaxRuns bounds the runs of each start; 0 means 200 + 200×(constants).
	MaxRuns int
	// ModelID identifies the model in the parts of a sharded study, as
	// in Sensitivity.
	ModelID string
}

// Optimum is the best point an optimisation found.
type Optimum struct {
	Values []float64 // in the order of Vary
	Payoff float64
	Runs   int // runs made, over every start
	Starts int
	Start  int // the start that found it: 0 is the middle of the box
	// Flat says that every run gave the same payoff: it does not depend
	// on the constants varied, and the values are as good as any others.
	Flat bool
}

// Run optimises on p. Runs that fail count as the worst payoff; if every
// run fails, the error is the first failure.
func (op Optimization) Run(ctx context.Context, p *sim.Program, o Options) (*Optimum, error) {
	pt, err := op.RunShard(ctx, p, Shard{}, o)
	if err != nil {
		return nil, err
	}
	if pt.best.start < 0 && pt.best.cause != nil {
		return nil, pt.best.cause
	}
	return pt.Optimum()
}

// RunShard makes the searches of one shard of the optimisation, the
// starts from sh.Index·Starts/sh.Count up to (sh.Index+1)·Starts/sh.Count,
// each from the point it has in the whole study, and returns the best as
// a Part to merge with the other shards'. Merging keeps the best payoff,
// ties going to the lowest start, as one process does.
func (op Optimization) RunShard(ctx context.Context, p *sim.Program, sh Shard, o Options) (*Part, error) {
	base := op.Base
	base.Vars = []string{op.Payoff.Var}
	if err := p.Check(base); err != nil {
		return nil, err
	}
	payoff := func(r *sim.Result) (float64, error) {
		v, err := op.Payoff.Of(r)
		if op.Payoff.Maximize {
			v = -v
		}
		return v, err
	}
	sp := searchSpec{vary: op.Vary, starts: op.Starts, seed: op.Seed, maxRuns: op.MaxRuns}
	b, err := sp.run(ctx, p, base, sh, o, payoff)
	if err != nil {
		return nil, err
	}
	dir := "minimize"
	if op.Payoff.Maximize {
		dir = "maximize"
	}
	sh = sh.whole()
	return &Part{
		Kind: OptimizationKind, Count: sh.Count, Shards: []int{sh.Index}, Runs: b.runs,
		Study: append([]Field{
			{"model", op.ModelID},
			{"base", describeScenario(op.Base)},
			{"payoff", fmt.Sprintf("%s %s of %s", dir, op.Payoff.At, model.Canonical(op.Payoff.Var))},
		}, sp.fields()...),
		Names: sp.names(), Payoff: op.Payoff, Starts: sp.starts, best: &b.best,
	}, nil
}

// searchSpec is a multi-start search: the bounds, and the number of
// starts, seed and runs per start, resolved by run.
type searchSpec struct {
	vary    []Bound
	starts  int
	seed    uint64
	maxRuns int
}

func (sp *searchSpec) names() []string {
	names := make([]string, len(sp.vary))
	for j, b := range sp.vary {
		names[j] = b.Name
	}
	return names
}

// fields identify the search in a Part.
func (sp *searchSpec) fields() []Field {
	bs := make([]string, len(sp.vary))
	for j, b := range sp.vary {
		bs[j] = model.Canonical(b.Name) + "=" + g(b.Low) + ".." + g(b.High)
	}
	return []Field{
		{"vary", strings.Join(bs, "; ")},
		{"starts", strconv.Itoa(sp.starts)},
		{"seed", strconv.FormatUint(sp.seed, 10)},
		{"runs per start", strconv.Itoa(sp.maxRuns)},
	}
}

// searched is what the starts of a shard found.
type searched struct {
	best
	runs int
	z    []float64
}

// run minimises cost over the box with the Nelder–Mead searches of the
// shard's starts. That no run gave a finite cost is not an error here:
// other shards may have done better.
func (sp *searchSpec) run(ctx context.Context, p *sim.Program, base sim.Scenario, sh Shard, o Options, cost func(*sim.Result) (float64, error)) (*searched, error) {
	vary := sp.vary
	if len(vary) == 0 {
		return nil, errors.New("experiment: nothing to vary")
	}
	names := make([]string, len(vary))
	var free []int // the indices of bounds that are not fixed
	for j, b := range vary {
		if !finite(b.Low, b.High) || b.Low > b.High {
			return nil, fmt.Errorf("experiment: %s=%g..%g: expected finite bounds, low <= high", b.Name, b.Low, b.High)
		}
		if err := checkTwice(names[:j], b.Name); err != nil {
			return nil, err
		}
		names[j] = b.Name
		if b.Low < b.High {
			free = append(free, j)
		}
	}
	mid := make([]float64, len(vary))
	for j, b := range vary {
		mid[j] = b.Low + (b.High-b.Low)/2
	}
	if err := checkSettable(p, base, names, mid); err != nil {
		return nil, err
	}
	if sp.starts <= 0 {
		sp.starts = min(1+2*len(free), 12)
	}
	if sp.maxRuns <= 0 {
		sp.maxRuns = 200 + 200*len(free)
	}
	starts, seed, maxRuns := sp.starts, sp.seed, sp.maxRuns
	lo, hi, err := sh.span(starts, "starts")
	if err != nil {
		return nil, err
	}

	// point maps search coordinates z (one per free bound) to values:
	// low + (high−low)·(1−cos πz)/2.
	point := func(z []float64) []float64 {
		x := make([]float64, len(vary))
		for j, b := range vary {
			x[j] = b.Low
		}
		for k, j := range free {
			b := vary[j]
			x[j] = b.Low + (b.High-b.Low)*(1-math.Cos(math.Pi*z[k]))/2
		}
		return x
	}
	// unit is the inverse for a point given as fractions of each range.
	unit := func(u float64) float64 { return math.Acos(1-2*u) / math.Pi }

	var runs atomic.Int64
	// Each start runs its searches in order on one goroutine, so its
	// runs have numbers that do not depend on the other starts: a failure
	// is named by its start and its run in that start, and the first
	// failure is the one of the lowest start, whatever the workers did.
	runErrs := make([]*RunError, starts)
	searchErrs := make([]error, starts)
	var flatMu, progressMu sync.Mutex
	flat, seen, first := true, false, 0.0
	evalOf := func(s int) func(z []float64) float64 {
		k := 0 // runs of this start
		return func(z []float64) float64 {
			if ctx.Err() != nil {
				return math.Inf(1)
			}
			x := point(z)
			r, err := p.Run(withValues(base, names, x))
			var c float64
			if err == nil {
				c, err = cost(r)
			}
			k++
			n := runs.Add(1)
			if o.Progress != nil {
				progressMu.Lock() // Progress is called from one goroutine at a time
				o.Progress(int(n), 0)
				progressMu.Unlock()
			}
			if err != nil || math.IsNaN(c) {
				flatMu.Lock()
				flat = false // a failed run is not the same payoff
				flatMu.Unlock()
				if err != nil && runErrs[s] == nil {
					runErrs[s] = &RunError{Index: k - 1, Name: fmt.Sprintf("start %d, %s", s+1, describe(names, x)), Err: err}
				}
				return math.Inf(1)
			}
			flatMu.Lock()
			if !seen {
				seen, first = true, c
			} else if c != first {
				flat = false
			}
			flatMu.Unlock()
			return c
		}
	}

	// Start points: the middle, then a Latin hypercube over the box.
	inits := make([][]float64, starts)
	inits[0] = make([]float64, len(free))
	for k := range free {
		inits[0][k] = 0.5
	}
	if starts > 1 {
		unitBounds := make([]Param, len(free))
		for k := range free {
			d, _ := Uniform(0, 1)
			unitBounds[k] = Param{Dist: d}
		}
		copy(inits[1:], Samples(unitBounds, starts-1, true, seed))
	}
	type found struct {
		z []float64
		f float64
	}
	results := make([]found, starts)
	var wg sync.WaitGroup
	sem := make(chan struct{}, o.workers())
	for s := lo; s < hi; s++ {
		z0 := make([]float64, len(free))
		for k, u := range inits[s] {
			z0[k] = unit(u)
		}
		if len(free) == 0 {
			results[s] = found{z0, evalOf(s)(z0)}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			res, err := optimize.Minimize(optimize.Problem{Func: evalOf(s)}, z0,
				&optimize.Settings{
					FuncEvaluations: maxRuns,
					Converger:       &optimize.FunctionConverge{Absolute: 1e-10, Relative: 1e-10, Iterations: 30},
				},
				&optimize.NelderMead{SimplexSize: 0.25, Reflection: 1, Expansion: 2, Contraction: 0.5, Shrink: 0.5})
			if err != nil {
				// Not the limit of runs (that is a status, not an
				// error): the search itself failed.
				searchErrs[s] = fmt.Errorf("experiment: the search from start %d: %w", s+1, err)
			}
			if res == nil {
				results[s] = found{z0, math.Inf(1)}
				return
			}
			results[s] = found{res.X, res.F}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	out := &searched{best: best{start: -1, free: len(free), flat: flat, seen: seen, first: first}, runs: int(runs.Load())}
	for s := lo; s < hi; s++ {
		if !math.IsInf(results[s].f, 1) && (out.start < 0 || results[s].f < out.cost) {
			out.start, out.cost, out.z = s, results[s].f, results[s].z
		}
	}
	if out.start >= 0 {
		out.values = point(out.z)
	}
	// The first run that failed, by start and run, then every search
	// that failed, in the order of the starts.
	var errs []error
	for s := lo; s < hi; s++ {
		if runErrs[s] != nil {
			errs = append(errs, runErrs[s])
			break
		}
	}
	for s := lo; s < hi; s++ {
		if searchErrs[s] != nil {
			errs = append(errs, searchErrs[s])
		}
	}
	if len(errs) > 0 {
		out.cause = errors.Join(errs...)
		if len(errs) == 1 {
			out.cause = errs[0]
		}
		out.err = out.cause.Error()
	}
	return out, nil
}
