package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim/chart"
	"github.com/stockflow/stockflow/sim/experiment"
)

// params collects repeated --vary NAME=DIST(args) flags.
type params []experiment.Param

func (ps *params) String() string {
	var s []string
	for _, p := range *ps {
		s = append(s, p.Name+"="+p.Dist.String())
	}
	return strings.Join(s, " ")
}

func (ps *params) Set(arg string) error {
	name, d, ok := strings.Cut(arg, "=")
	name = strings.TrimSpace(name)
	if name == "" {
		return fmt.Errorf("expected NAME or NAME=DIST(args), such as rate=uniform(0.1, 0.3), but found %q", arg)
	}
	if !ok {
		// The model's declared uncertainty, found once the model is read.
		*ps = append(*ps, experiment.Param{Name: name})
		return nil
	}
	dist, err := experiment.ParseDist(d)
	if err != nil {
		return fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "experiment: "))
	}
	*ps = append(*ps, experiment.Param{Name: name, Dist: dist})
	return nil
}

// declared fills in the distribution of each parameter given by name alone
// from the uncertainty its model declares, and with all set adds every
// constant that declares one and is not listed already.
func (ps params) declared(m *model.Model, all bool) (params, error) {
	out := make(params, 0, len(ps))
	listed := make(map[string]bool)
	for _, p := range ps {
		listed[model.Canonical(p.Name)] = true
		if p.Dist == nil {
			v := m.Var(p.Name)
			if v == nil {
				return nil, fmt.Errorf("sensitivity: --vary %s: undefined variable %q%s", p.Name, p.Name, model.DidYouMean(p.Name, varNames(m)))
			}
			if v.Uncertainty == nil {
				return nil, fmt.Errorf("sensitivity: --vary %s: the model declares no uncertainty for %q; give one as %s=DIST(args)", p.Name, v.Name, p.Name)
			}
			d, err := experiment.DistOf(*v.Uncertainty)
			if err != nil {
				return nil, err
			}
			p.Dist = d
		} else if v := m.Var(p.Name); v != nil && v.Range != nil {
			if d, err := model.ParseDistribution(p.Dist.String()); err == nil {
				if lo, hi := d.Bounds(); lo < v.Range.Min || hi > v.Range.Max {
					return nil, fmt.Errorf("sensitivity: --vary %s=%s reaches outside the range of %q, %s (use a distribution bounded by it, such as truncnormal)", p.Name, p.Dist, v.Name, v.Range)
				}
			}
		}
		out = append(out, p)
	}
	if all {
		for _, v := range m.Vars {
			if v.Uncertainty != nil && !listed[model.Canonical(v.Name)] {
				d, err := experiment.DistOf(*v.Uncertainty)
				if err != nil {
					return nil, err
				}
				out = append(out, experiment.Param{Name: v.Name, Dist: d})
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("sensitivity: --uncertain: the model declares no uncertainty: on any constant")
		}
	}
	return out, nil
}

func varNames(m *model.Model) []string {
	out := make([]string, len(m.Vars))
	for i, v := range m.Vars {
		out[i] = v.Name
	}
	return out
}

// bounds collects repeated --vary NAME=LOW..HIGH flags.
type bounds []experiment.Bound

func (bs *bounds) String() string {
	var s []string
	for _, b := range *bs {
		s = append(s, fmt.Sprintf("%s=%g..%g", b.Name, b.Low, b.High))
	}
	return strings.Join(s, " ")
}

func (bs *bounds) Set(arg string) error {
	name, r, ok := strings.Cut(arg, "=")
	name = strings.TrimSpace(name)
	if !ok && name != "" {
		// The model's declared range, found once the model is read.
		*bs = append(*bs, experiment.Bound{Name: name, Low: math.NaN(), High: math.NaN()})
		return nil
	}
	lo, hi, ok2 := strings.Cut(r, "..")
	if !ok2 || name == "" {
		return fmt.Errorf("expected NAME=LOW..HIGH, such as share=0..1, or NAME alone for its declared range, but found %q", arg)
	}
	l, err1 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
	h, err2 := strconv.ParseFloat(strings.TrimSpace(hi), 64)
	if err1 != nil || err2 != nil || !finite(l) || !finite(h) {
		return fmt.Errorf("expected numbers in %s=LOW..HIGH but found %q", name, r)
	}
	if !(l <= h) {
		return fmt.Errorf("%s=%s: the low bound is above the high one", name, r)
	}
	*bs = append(*bs, experiment.Bound{Name: name, Low: l, High: h})
	return nil
}

// declared fills in the bounds of each constant given by name alone from
// the range its model declares.
func (bs bounds) declared(cmd string, m *model.Model) (bounds, error) {
	out := make(bounds, len(bs))
	for i, b := range bs {
		if math.IsNaN(b.Low) {
			v := m.Var(b.Name)
			if v == nil {
				return nil, fmt.Errorf("%s: --vary %s: undefined variable %q%s", cmd, b.Name, b.Name, model.DidYouMean(b.Name, varNames(m)))
			}
			if v.Range == nil {
				return nil, fmt.Errorf("%s: --vary %s: the model declares no range for %q; give one as %s=LOW..HIGH", cmd, b.Name, v.Name, b.Name)
			}
			b.Low, b.High = v.Range.Min, v.Range.Max
		} else if v := m.Var(b.Name); v != nil && v.Range != nil && (b.Low < v.Range.Min || b.High > v.Range.Max) {
			return nil, fmt.Errorf("%s: --vary %s=%g..%g reaches outside the range of %q, %s", cmd, b.Name, b.Low, b.High, v.Name, v.Range)
		}
		out[i] = b
	}
	return out, nil
}

// plural says n things: "1 run", "400 runs".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.Itoa(n) + " " + thing + "s"
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// interruptible returns a context cancelled by an interrupt (Ctrl-C), so
// that a long study stops cleanly.
func interruptible() (context.Context, func()) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

func cmdSensitivity(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sensitivity", "MODEL", stderr)
	sf := addScenarioFlags("sensitivity", fs, false)
	var vary params
	fs.Var(&vary, "vary", "an uncertain constant and its distribution: `NAME=DIST(args)`, DIST one of "+strings.Join(experiment.DistNames(), ", ")+", or NAME alone for the uncertainty the model declares (repeatable; this or --uncertain is required)")
	uncertain := fs.Bool("uncertain", false, "vary every constant whose uncertainty the model declares")
	runs := fs.Int("runs", 1000, "the number of `RUNS`")
	lhs := fs.Bool("lhs", false, "draw by Latin hypercube sampling instead of Monte Carlo")
	var vars list
	fs.Var(&vars, "vars", "the variables to summarise: `a,b` (default: all)")
	var pcts list
	fs.Var(&pcts, "percentiles", "the `PERCENTILES` to report, from 0 to 100 (default: 5,25,50,75,95)")
	workers := fs.Int("workers", 0, "`N` runs at once (default: one per core)")
	out := fs.String("o", "", "write the CSV to this `FILE` (default: standard output)")
	plotFile := fs.String("plot", "", "also chart the percentile bands of the one variable of --vars to this .png, .svg or .pdf `FILE`")
	var size chartSize
	fs.Var(&size, "size", "with --plot, the chart's `SIZE`: WxH in inches, such as 13.33x7.5 for a 16:9 slide, or pixels, 1600x900px (default 8x5)")
	exact := fs.Int("exact", experiment.DefaultExact, "keep the values of up to `N` runs exactly; beyond, percentiles come from a sketch of N values a level")
	shf := addShardFlags("sensitivity", fs)
	path, err := sf.parse(args)
	if err != nil {
		return err
	}
	if len(vary) == 0 && !*uncertain {
		return usagef("sensitivity: no --vary NAME=DIST(args) or --uncertain given; say which constants are uncertain")
	}
	if isSet(fs, "size") && *plotFile == "" {
		return usagef("sensitivity: --size applies to the chart of --plot")
	}
	shard, sharded, err := shf.resolve()
	if err != nil {
		return err
	}
	if sharded {
		if *plotFile != "" {
			return usagef("sensitivity: --plot charts the whole study: give it to stockflow merge, not to a shard")
		}
		if *out, err = shf.partOutput(*out, path, shard); err != nil {
			return err
		}
	}
	if err := checkFolder(*out); err != nil {
		return err
	}
	var format chart.Format
	if *plotFile != "" {
		if len(vars) != 1 {
			return usagef("sensitivity: --plot charts one variable: give exactly one with --vars")
		}
		if format, err = checkChartOutput("sensitivity", "--plot", *plotFile, path); err != nil {
			return err
		}
		if *out != "" && *out != "-" && sameFile(*out, *plotFile) {
			return usagef("sensitivity: -o and --plot name the same file %s", *out)
		}
	}
	if *runs <= 0 {
		return usagef("sensitivity: --runs must be a positive number, not %d", *runs)
	}
	if *exact < 2 {
		return usagef("sensitivity: --exact must be at least 2, not %d", *exact)
	}
	// Percentiles as typed, 5,50,95; the library takes quantiles, 0.05.
	var qs []float64
	for k, s := range pcts {
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return usagef("sensitivity: --percentiles: expected numbers but found %q", s)
		}
		if !(x >= 0 && x <= 100) {
			return usagef("sensitivity: --percentiles: expected percentiles from 0 to 100 but found %s", s)
		}
		if k > 0 && !(x/100 > qs[k-1]) {
			return usagef("sensitivity: --percentiles: expected them in ascending order but found %s after %s", s, pcts[k-1])
		}
		qs = append(qs, x/100)
	}
	p, base, err := sf.compile(path)
	if err != nil {
		return err
	}
	if vary, err = vary.declared(p.Model(), *uncertain); err != nil {
		return err
	}
	id, err := modelID(path)
	if err != nil {
		return err
	}
	study := experiment.Sensitivity{Base: base, Vary: vary, Runs: *runs, LHS: *lhs, Seed: *sf.seed, Vars: vars, Quantiles: qs, Exact: *exact, ModelID: id}
	ctx, stop := interruptible()
	defer stop()
	bar := newProgress(stderr, "sensitivity")
	pt, err := study.RunShard(ctx, p, shard, experiment.Options{Workers: *workers, Progress: bar.progressFunc()})
	bar.done()
	if err != nil {
		return err
	}
	if sharded {
		return writePart(*out, path, pt)
	}
	sum, err := pt.Summary()
	if err != nil {
		return err
	}
	return writeSensitivity(sum, sensitivityView{scenario: base.Name, lhs: *lhs, runs: *runs, units: pt.Units[0], time: pt.TimeUnits, size: size},
		*out, path, *plotFile, format, stdout, stderr)
}

// sensitivityView is what the chart of a sensitivity study says besides
// its percentiles.
type sensitivityView struct {
	scenario string // "" for the model as written
	lhs      bool
	runs     int
	units    string // of the first variable
	time     string // the model's time units
	size     chartSize
}

// writeSensitivity writes a sensitivity study's percentiles as CSV to out
// and, with plotFile, the chart of its first variable's bands: what
// sensitivity writes for a whole study, and merge for its parts.
func writeSensitivity(sum *experiment.Summary, view sensitivityView, out, input, plotFile string, format chart.Format, stdout, stderr io.Writer) error {
	if plotFile != "" {
		name := "baseline"
		if view.scenario != "" {
			name = view.scenario
		}
		v := chart.Var{Name: sum.Vars[0], Units: view.units}
		how := "Monte Carlo"
		if view.lhs {
			how = "Latin hypercube"
		}
		c, err := chart.Bands([]chart.Band{{Name: name, Times: sum.Times, Quantiles: sum.Quantiles, Values: sum.Values[0]}}, v,
			chart.Options{Subtitle: fmt.Sprintf("%s, %s sample", plural(view.runs, "run"), how), TimeUnits: view.time})
		if err != nil {
			return err
		}
		if err := saveChart(c, format, plotFile, input, view.size); err != nil {
			return err
		}
	}
	if sum.RankError > 0 {
		fmt.Fprintf(stderr, "sensitivity: the values of more than %d runs are sketched: each percentile is within %.2g percentile points of the exact one\n", sum.Exact, 100*sum.RankError)
	}
	return writeOutput(out, input, stdout, sum.WriteCSV)
}

func cmdOptimize(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("optimize", "MODEL", stderr)
	sf := addScenarioFlags("optimize", fs, false)
	var vary bounds
	fs.Var(&vary, "vary", "a constant to choose and its range: `NAME=LOW..HIGH`, or NAME alone for the range the model declares (required, repeatable)")
	maximize := fs.String("maximize", "", "the `VAR` whose payoff to make as large as possible (or --minimize)")
	minimize := fs.String("minimize", "", "the `VAR` whose payoff to make as small as possible (or --maximize)")
	at := fs.String("at", "final", "the payoff: the variable's `final` value, or its sum or mean over the saved times")
	starts := fs.Int("starts", 0, "the number of Nelder–Mead searches, `N` (default: 1 + 2 per constant, at most 12)")
	workers := fs.Int("workers", 0, "`N` searches at once (default: one per core)")
	out := fs.String("o", "", "with --shard or --shards: the `FILE` to write the shard's part to")
	shf := addShardFlags("optimize", fs)
	path, err := sf.parse(args)
	if err != nil {
		return err
	}
	if len(vary) == 0 {
		return usagef("optimize: no --vary NAME=LOW..HIGH given; say which constants to choose")
	}
	if (*maximize == "") == (*minimize == "") {
		return usagef("optimize: give exactly one of --maximize VAR and --minimize VAR")
	}
	agg, err := experiment.ParseAggregate(*at)
	if err != nil {
		return usagef("optimize: --at: %s", strings.TrimPrefix(err.Error(), "experiment: "))
	}
	if *starts < 0 {
		return usagef("optimize: --starts must not be negative")
	}
	shard, sharded, err := shf.resolve()
	if err != nil {
		return err
	}
	if *out, err = checkShardOutput(shf, sharded, shard, *out, path); err != nil {
		return err
	}
	p, base, err := sf.compile(path)
	if err != nil {
		return err
	}
	if vary, err = vary.declared("optimize", p.Model()); err != nil {
		return err
	}
	payoff := experiment.Payoff{Var: *maximize, At: agg, Maximize: true}
	if *minimize != "" {
		payoff = experiment.Payoff{Var: *minimize, At: agg}
	}
	id, err := modelID(path)
	if err != nil {
		return err
	}
	op := experiment.Optimization{Base: base, Vary: vary, Payoff: payoff, Starts: *starts, Seed: *sf.seed, ModelID: id}
	ctx, stop := interruptible()
	defer stop()
	bar := newProgress(stderr, "optimize")
	o := experiment.Options{Workers: *workers, Progress: bar.progressFunc()}
	if sharded {
		pt, err := op.RunShard(ctx, p, shard, o)
		bar.done()
		if err != nil {
			return err
		}
		return writePart(*out, path, pt)
	}
	best, err := op.Run(ctx, p, o)
	bar.done()
	if err != nil {
		return err
	}
	names := make([]string, len(vary))
	for j, b := range vary {
		names[j] = b.Name
	}
	return printOptimum(stdout, stderr, names, payoff, best)
}

// checkShardOutput checks -o of a command whose output is a part when
// sharded, and is printed otherwise; it returns the part's file.
func checkShardOutput(shf *shardFlags, sharded bool, shard experiment.Shard, out, input string) (string, error) {
	if sharded {
		return shf.partOutput(out, input, shard)
	}
	if out != "" {
		return "", usagef("%s: -o names the file of a shard's part: give it with --shard or --shards", shf.cmd)
	}
	return "", nil
}

// printOptimum prints an optimum as optimize does: NAME=VALUE lines and
// the payoff, then how it was found on stderr.
func printOptimum(stdout, stderr io.Writer, names []string, payoff experiment.Payoff, best *experiment.Optimum) error {
	for j, name := range names {
		fmt.Fprintf(stdout, "%s=%s\n", name, strconv.FormatFloat(best.Values[j], 'g', 8, 64))
	}
	fmt.Fprintf(stdout, "payoff=%s\n", strconv.FormatFloat(best.Payoff, 'g', 10, 64))
	fmt.Fprintf(stderr, "optimize: %s of %s at its best after %d runs from %d starts\n", payoff.At, payoff.Var, best.Runs, best.Starts)
	if best.Flat {
		fmt.Fprintf(stderr, "optimize: warning: every run gave the same payoff; %s does not depend on the constants varied\n", payoff.Var)
	}
	return nil
}

func cmdCalibrate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("calibrate", "MODEL", stderr)
	sf := addScenarioFlags("calibrate", fs, false)
	data := fs.String("data", "", "observations as CSV, a time column and one column per variable: `FILE` (required)")
	var vary bounds
	fs.Var(&vary, "vary", "a constant to fit and its range: `NAME=LOW..HIGH`, or NAME alone for the range the model declares (required, repeatable)")
	weights := settings{}
	fs.Var(weights, "weight", "the weight of a variable's squared errors: `NAME=W` (repeatable; default: 1/variance of its data)")
	starts := fs.Int("starts", 0, "the number of Nelder–Mead searches, `N` (default: 1 + 2 per constant, at most 12)")
	workers := fs.Int("workers", 0, "`N` searches at once (default: one per core)")
	out := fs.String("o", "", "with --shard or --shards: the `FILE` to write the shard's part to")
	shf := addShardFlags("calibrate", fs)
	path, err := sf.parse(args)
	if err != nil {
		return err
	}
	if *data == "" {
		return usagef("calibrate: no --data FILE given")
	}
	if len(vary) == 0 {
		return usagef("calibrate: no --vary NAME=LOW..HIGH given; say which constants to fit")
	}
	shard, sharded, err := shf.resolve()
	if err != nil {
		return err
	}
	if *out, err = checkShardOutput(shf, sharded, shard, *out, path); err != nil {
		return err
	}
	if sharded && sameFile(*out, *data) {
		return usagef("refusing to write the part over the data file %s", *data)
	}
	p, base, err := sf.compile(path)
	if err != nil {
		return err
	}
	if vary, err = vary.declared("calibrate", p.Model()); err != nil {
		return err
	}
	d, err := experiment.ReadDataFile(*data)
	if err != nil {
		return err
	}
	id, err := modelID(path)
	if err != nil {
		return err
	}
	c := experiment.Calibration{Base: base, Vary: vary, Data: d, Weights: weights, Starts: *starts, Seed: *sf.seed, ModelID: id}
	ctx, stop := interruptible()
	defer stop()
	bar := newProgress(stderr, "calibrate")
	o := experiment.Options{Workers: *workers, Progress: bar.progressFunc()}
	if sharded {
		pt, err := c.RunShard(ctx, p, shard, o)
		bar.done()
		if err != nil {
			return err
		}
		return writePart(*out, path, pt)
	}
	fit, err := c.Run(ctx, p, o)
	bar.done()
	if err != nil {
		return err
	}
	names := make([]string, len(vary))
	for j, b := range vary {
		names[j] = b.Name
	}
	return printFit(stdout, stderr, names, fit)
}

// printFit prints a fit as calibrate does: NAME=VALUE lines, the weighted
// error and each variable's fit, then the runs made on stderr.
func printFit(stdout, stderr io.Writer, names []string, fit *experiment.Fit) error {
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 8, 64) }
	for j, name := range names {
		fmt.Fprintf(stdout, "%s=%s\n", name, g(fit.Values[j]))
	}
	fmt.Fprintf(stdout, "weighted_sse=%s\n", g(fit.Error))
	for _, v := range fit.Vars {
		fmt.Fprintf(stdout, "%s.points=%d\n%s.rmse=%s\n%s.r2=%s\n", v.Name, v.Points, v.Name, g(v.RMSE), v.Name, g(v.R2))
	}
	fmt.Fprintf(stderr, "calibrate: %d runs\n", fit.Runs)
	return nil
}
