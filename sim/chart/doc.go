// Package chart draws simulation results, ensembles and loop scores as
// charts fit for a slide deck. Each chart kind is a function from plain
// input types to a *Chart — TimeSeries, of runs of a model, is where to
// start — and Save writes the chart as PNG, SVG or PDF by the file's
// extension (Write to any writer):
//
//   - TimeSeries: variables over time for one or more runs (Run: a
//     scenario's name and its *sim.Result).
//   - SmallMultiples: a grid of panels, one per variable, with the runs
//     overlaid and one legend: the figure that compares strategies.
//   - Bands: the median and percentile bands of a variable over an
//     ensemble, per scenario (Band).
//   - LoopDominance: relative loop scores as a stacked area (LoopScores).
//   - Phase: each run's path in the plane of two variables, with time
//     marks and optional quadrants.
//
// For example:
//
//	base, _ := prog.Run(sim.Scenario{})
//	heavy, _ := prog.Run(successHeavy)
//	c, err := chart.SmallMultiples(
//		[]chart.Run{{Name: "baseline", Result: base}, {Name: "success heavy", Result: heavy}},
//		chart.Vars(prog.Model(), "customers", "mrr"),
//		chart.Options{Title: "Customer success pays off", TimeUnits: prog.Model().Time.Units})
//	...
//	err = c.Save("compare.png")
//
// # Style
//
// Charts need no tweaking. They are 8×5 in (150 dpi for PNG) with text of
// 12 pt and more in Liberation Sans (metrically Arial, which SVG viewers
// fall back on). Scenarios, variables and loops take the colours of the
// Okabe–Ito palette, which readers with any common colour-vision
// deficiency tell apart; when colour marks the scenarios, line style
// marks the variables. The legend sits under the plot area and never
// covers data. Axes end on round ticks; the value axis takes in zero unless
// the data lie far from it; tick labels use thousands separators from
// 1,000 and SI suffixes (k, M, G, T) from 10,000. Names are shown with
// spaces for underscores.
//
// # Odd data
//
// No data makes a chart fail to render: NaN and infinite values are
// skipped (a line breaks there), an empty series gives an empty panel
// that says so, and constant, negative, single-point and very large
// series get a sensible axis. Inputs of the wrong shape (a variable a run
// lacks, a band with too few series) are errors.
//
// This is the only package of stockflow that imports gonum.org/v1/plot.
package chart
