package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/chart"
)

// names is a repeatable flag that keeps each value whole, commas and all.
type names []string

func (n *names) String() string { return strings.Join(*n, ",") }

func (n *names) Set(arg string) error {
	if arg = strings.TrimSpace(arg); arg == "" {
		return errors.New("expected a name but found nothing")
	}
	*n = append(*n, arg)
	return nil
}

// cmdPlot charts variables over one or more runs: one variable in a single
// panel, several in a grid of panels with the runs overlaid, or, with
// --phase, the path of each run in the plane of two variables.
func cmdPlot(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("plot", "MODEL (--vars a,b | --phase x,y [--quadrants X0,Y0]) [--scenario NAME]... [--all-scenarios] [--scenarios FILE] [--set NAME=VALUE]... [--method M] [--dt DT] [--seed N] [--title T] -o FILE", stderr)
	var vars list
	fs.Var(&vars, "vars", "comma-separated variables to chart (required)")
	var scenarios names
	fs.Var(&scenarios, "scenario", "run the model's scenario of this name (repeatable; default: the model as written, named baseline)")
	all := fs.Bool("all-scenarios", false, "run every scenario of the model (or of --scenarios)")
	file := fs.String("scenarios", "", "a scenario file: take the scenarios from it rather than from the model")
	seed := fs.Uint64("seed", 0, "seed for the random functions")
	set := settings{}
	fs.Var(set, "set", "override a constant in every run: NAME=VALUE (repeatable)")
	method := fs.String("method", "", "integration method: euler, rk2 or rk4 (default: the model's)")
	dt := fs.Float64("dt", 0, "integration step (default: the model's)")
	var phase, quadrants list
	fs.Var(&phase, "phase", "chart each run's path in the plane of two variables: x,y")
	fs.Var(&quadrants, "quadrants", "with --phase: divide the plane into quadrants where x = X0 and y = Y0: X0,Y0")
	title := fs.String("title", "", "the chart's title (default: the variable's name, or none for several)")
	out := fs.String("o", "", "write the chart to this file: .png, .svg or .pdf (required)")
	pos, err := parse(fs, args, 1, "MODEL")
	if err != nil {
		return err
	}
	if len(phase) > 0 {
		if len(vars) > 0 {
			return usagef("plot: --vars and --phase cannot be used together")
		}
		if len(phase) != 2 {
			return usagef("plot: --phase takes two variables, x,y, not %d", len(phase))
		}
		if model.Canonical(phase[0]) == model.Canonical(phase[1]) {
			return usagef("plot: --phase needs two different variables, not %q twice", phase[0])
		}
		vars = list(phase)
	} else if len(quadrants) > 0 {
		return usagef("plot: --quadrants applies to --phase")
	}
	if len(vars) == 0 {
		return usagef("plot: --vars is required: say which variables to chart (or --phase x,y)")
	}
	var quad *chart.Quadrants
	if len(quadrants) > 0 {
		if len(quadrants) != 2 {
			return usagef("plot: --quadrants takes two numbers, X0,Y0, where the lines cross")
		}
		x0, err1 := strconv.ParseFloat(quadrants[0], 64)
		y0, err2 := strconv.ParseFloat(quadrants[1], 64)
		if err1 != nil || err2 != nil || !finite(x0) || !finite(y0) {
			return usagef("plot: --quadrants: expected two numbers, found %q", strings.Join(quadrants, ","))
		}
		quad = &chart.Quadrants{X0: x0, Y0: y0}
	}
	if *all && len(scenarios) > 0 {
		return usagef("plot: --scenario and --all-scenarios cannot be used together")
	}
	if *file != "" && !*all && len(scenarios) == 0 {
		return usagef("plot: --scenarios names a file; say which of its scenarios to chart with --scenario or --all-scenarios")
	}
	var base sim.Scenario
	if *method != "" {
		if base.Method, err = model.ParseMethod(*method); err != nil {
			return usagef("plot: --method: %v", err)
		}
	}
	if isSet(fs, "dt") && !(*dt > 0) {
		return usagef("plot: --dt must be a positive number, not %v", *dt)
	}
	base.DT = *dt
	path := pos[0]
	format, err := checkChartOutput("plot", "-o", *out, path)
	if err != nil {
		return err
	}

	p, err := compile(path)
	if err != nil {
		return err
	}
	m := p.Model()
	base.Vars = vars
	if err := p.Check(base); err != nil { // unknown variables, before any run
		return err
	}
	base.Seed = *seed
	if *all {
		if *file != "" {
			ss, err := loadScenarios(p, *file)
			if err != nil {
				return err
			}
			for _, s := range ss {
				scenarios = append(scenarios, s.Name)
			}
		} else {
			if len(m.Scenarios) == 0 {
				return fmt.Errorf("%s: --all-scenarios: the model has no scenarios", path)
			}
			for _, s := range m.Scenarios {
				scenarios = append(scenarios, s.Name)
			}
		}
	}
	for i, name := range scenarios {
		for _, prev := range scenarios[:i] {
			if model.Canonical(prev) == model.Canonical(name) {
				return usagef("plot: scenario %q is named twice", name)
			}
		}
	}
	var runs []chart.Run
	if len(scenarios) == 0 {
		runs = append(runs, chart.Run{Name: "baseline"})
		scenarios = names{""}
	}
	for i, name := range scenarios {
		s := base
		if name != "" {
			sc, err := pickScenario(p, *file, name)
			if err != nil {
				return err
			}
			s.Name, s.Set, s.Lookups = sc.Name, sc.Set, sc.Lookups
			runs = append(runs, chart.Run{Name: sc.Name})
		}
		if len(set) > 0 {
			s = s.WithSet(set)
		}
		res, err := p.Run(s)
		if err != nil {
			return err
		}
		runs[i].Result = res
	}

	o := chart.Options{Title: *title, TimeUnits: m.Time.Units}
	cvars := chart.Vars(m, vars...)
	var c *chart.Chart
	if len(phase) > 0 {
		o.Quadrants = quad
		c, err = chart.Phase(runs, cvars[0], cvars[1], o)
	} else if len(cvars) == 1 {
		c, err = chart.TimeSeries(runs, cvars, o)
	} else {
		c, err = chart.SmallMultiples(runs, cvars, o)
	}
	if err != nil {
		return err
	}
	return saveChart(c, format, *out, path)
}

// checkChartOutput checks, before any work, the file a chart is to be
// written to (given by flag of command cmd): it must be named, have an
// image extension, and not be the model file input. It returns the format.
func checkChartOutput(cmd, flag, path, input string) (chart.Format, error) {
	if path == "" {
		return 0, usagef("%s: %s is required: name the image file to write (.png, .svg or .pdf)", cmd, flag)
	}
	f, err := chart.FormatOf(path)
	if err != nil {
		return 0, usagef("%s: %s %s: the file name must end in .png, .svg or .pdf", cmd, flag, path)
	}
	if sameFile(path, input) {
		return 0, usagef("refusing to write the chart over the model file %s", input)
	}
	return f, checkFolder(path)
}

// sameFile reports whether two paths name one existing file.
func sameFile(a, b string) bool {
	if pa, err := filepath.Abs(a); err == nil {
		if pb, err := filepath.Abs(b); err == nil && pa == pb {
			return true // the same path, whether or not the file exists yet
		}
	}
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

// saveChart writes a chart to path through a temporary file in the same
// directory, so that a failure leaves nothing behind, and never over the
// model file input.
func saveChart(c *chart.Chart, f chart.Format, path, input string) error {
	return writeOutput(path, input, nil, func(w io.Writer) error { return c.Write(w, f) })
}
