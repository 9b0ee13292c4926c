package experiment

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/stockflow/stockflow/sim"
)

// Options are the settings common to every study. The zero value uses
// every core and reports no progress.
type Options struct {
	// Workers is the number of runs made at once; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
	// Progress, when set, is called after each run with the number of
	// runs done and the number planned (0 when not known in advance, as in
	// an optimisation). It is called from one goroutine at a time.
	Progress func(done, total int)
}

func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// RunError is the error of one run of a study: the scenario (its index in
// the study and its name, or the values sampled for it) and the cause.
type RunError struct {
	Index int
	Name  string
	Err   error
}

func (e *RunError) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("run %d: %v", e.Index+1, e.Err)
	}
	return fmt.Sprintf("run %d (%s): %v", e.Index+1, e.Name, e.Err)
}

func (e *RunError) Unwrap() error { return e.Err }

// Ensemble runs each scenario on a pool of o.Workers goroutines and
// returns the results in the order of the scenarios. A failed run stops
// the ensemble: no more runs start, those under way finish, and the error
// is a *RunError for the first failed scenario in input order. A cancelled
// context stops it the same way and returns the context's error. Runs
// themselves are not interrupted.
func Ensemble(ctx context.Context, p *sim.Program, scenarios []sim.Scenario, o Options) ([]*sim.Result, error) {
	out := make([]*sim.Result, len(scenarios))
	err := each(ctx, len(scenarios), o,
		func(i int) (*sim.Result, error) { return p.Run(scenarios[i]) },
		func(i int) string { return scenarios[i].Name },
		func(i int, r *sim.Result) error { out[i] = r; return nil })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// each makes n runs on o.workers() goroutines and hands each result to use
// in index order, from the calling goroutine. At most a few times as many
// results as workers wait for their turn, so a study of any number of runs
// keeps little in memory. name names run i in errors.
func each(ctx context.Context, n int, o Options, run func(i int) (*sim.Result, error), name func(i int) string, use func(i int, r *sim.Result) error) error {
	if n == 0 {
		return ctx.Err()
	}
	workers := min(o.workers(), n)
	type done struct {
		i   int
		r   *sim.Result
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	window := make(chan struct{}, 4*workers) // runs started but not yet used
	jobs := make(chan int)
	results := make(chan done, 4*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				r, err := run(i)
				results <- done{i, r, err}
			}
		}()
	}
	go func() { // dispatch
		defer close(jobs)
		for i := range n {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	pending := make(map[int]done)
	next := 0
	var failed *RunError
	var useErr error
	for d := range results {
		if d.err != nil {
			if failed == nil || d.i < failed.Index {
				failed = &RunError{Index: d.i, Name: name(d.i), Err: d.err}
			}
			cancel()
			continue
		}
		pending[d.i] = d
		// Runs before a failure are still used in order: a use that
		// fails before the failed run comes first, as it does with one
		// worker, whatever the other workers finished first.
		for useErr == nil && (failed == nil || next < failed.Index) {
			d, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			if err := use(next, d.r); err != nil {
				useErr = err
				cancel()
				break
			}
			next++
			<-window
			if o.Progress != nil {
				o.Progress(next, n)
			}
		}
	}
	switch {
	case useErr != nil: // every run before it succeeded (used only before a failure): it comes first
		return useErr
	case failed != nil:
		return failed
	case next < n:
		return context.Cause(ctx)
	}
	return nil
}
