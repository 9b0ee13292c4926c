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
	fs := newFlags("plot", "MODEL", stderr)
	var vars list
	fs.Var(&vars, "vars", "the variables to chart, one panel each: `a,b` (or --phase)")
	sf := addScenarioFlags("plot", fs, true)
	var phase, quadrants list
	fs.Var(&phase, "phase", "chart each run's path in the plane of two variables: `x,y`")
	fs.Var(&quadrants, "quadrants", "with --phase: divide the plane into quadrants where x = X0 and y = Y0: `X0,Y0`")
	var size chartSize
	fs.Var(&size, "size", "the chart's `SIZE`: WxH in inches, such as 13.33x7.5 for a 16:9 slide, or pixels, 1600x900px (default 8x5, larger for many panels)")
	title := fs.String("title", "", "the chart's `TITLE` (default: the variable's name, or none for several)")
	out := fs.String("o", "", "write the chart to this `FILE`: .png, .svg or .pdf (required)")
	path, err := sf.parse(args)
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
	scenarios, err := sf.runs(p)
	if err != nil {
		return err
	}
	simWarnings(p, scenarios, stderr)
	var runs []chart.Run
	for _, s := range scenarios {
		s.Vars = vars
		res, err := p.Run(s)
		if err != nil && len(scenarios) > 1 {
			return fmt.Errorf("%w (scenario %s)", err, s.Name)
		}
		if err != nil {
			return err
		}
		runs = append(runs, chart.Run{Name: s.Name, Result: res})
	}

	o := chart.Options{Title: *title, TimeUnits: m.Time.Units, Width: size.w, Height: size.h, DPI: size.dpi}
	// An arrayed variable named whole or with a wildcard (customers[*])
	// is a line per element.
	cols, err := p.Columns(sim.Scenario{Vars: vars})
	if err != nil {
		return err
	}
	cvars := chart.Vars(m, cols...)
	if base, _, _ := model.SplitElementName(vars[0]); len(vars) == 1 && len(cols) > 1 && o.Title == "" {
		if v := m.Var(base); v != nil && len(v.Dims) > 0 {
			name := v.Label
			if name == "" {
				name = strings.ReplaceAll(v.Name, "_", " ")
			}
			o.Title = strings.ToUpper(name[:1]) + name[1:] + " by " + strings.ReplaceAll(strings.Join(v.Dims, " and "), "_", " ")
		}
	}
	var c *chart.Chart
	if len(phase) > 0 {
		o.Quadrants = quad
		c, err = chart.Phase(runs, cvars[0], cvars[1], o)
	} else if len(cvars) == 1 || len(vars) == 1 {
		c, err = chart.TimeSeries(runs, cvars, o)
	} else {
		c, err = chart.SmallMultiples(runs, cvars, o)
	}
	if err != nil {
		return err
	}
	return saveChart(c, format, *out, path)
}
