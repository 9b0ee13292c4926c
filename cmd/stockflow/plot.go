package main

import (
	"errors"
	"fmt"
	"io"
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
	sf := addScenarioFlags("plot", fs, true)
	all := fs.Bool("all-scenarios", false, "run every scenario of the model (or of --scenarios)")
	var phase, quadrants list
	fs.Var(&phase, "phase", "chart each run's path in the plane of two variables: x,y")
	fs.Var(&quadrants, "quadrants", "with --phase: divide the plane into quadrants where x = X0 and y = Y0: X0,Y0")
	title := fs.String("title", "", "the chart's title (default: the variable's name, or none for several)")
	out := fs.String("o", "", "write the chart to this file: .png, .svg or .pdf (required)")
	path, err := sf.parse(args)
	if err != nil {
		return err
	}
	scenarios := sf.names
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
	if *sf.file != "" && !*all && len(scenarios) == 0 {
		return usagef("plot: --scenarios names a file; say which of its scenarios to chart with --scenario or --all-scenarios")
	}
	format, err := checkChartOutput("plot", "-o", *out, path)
	if err != nil {
		return err
	}

	p, err := compile(path)
	if err != nil {
		return err
	}
	m := p.Model()
	if err := p.Check(sim.Scenario{Vars: vars}); err != nil { // unknown variables, before any run
		return err
	}
	if *all {
		if *sf.file != "" {
			ss, err := sf.scenarios(p)
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
		s, err := sf.scenario(p, name)
		if err != nil {
			return err
		}
		s.Vars = vars
		if name != "" {
			runs = append(runs, chart.Run{Name: s.Name})
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
