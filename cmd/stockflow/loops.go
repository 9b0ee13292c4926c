package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/chart"
)

// cmdLoops lists a model's feedback loops, or writes their scores over a
// run as CSV, or the causal loop diagram as DOT; --plot charts the scores.
func cmdLoops(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("loops", "MODEL", stderr)
	scores := fs.Bool("scores", false, "write the relative loop scores of a run as CSV")
	dot := fs.Bool("dot", false, "write the causal loop diagram in Graphviz DOT")
	plotFile := fs.String("plot", "", "chart the relative loop scores of a run (loop dominance) to this .png, .svg or .pdf `FILE`")
	limit := fs.Int("limit", loops.DefaultLimit, "the most loops to search for, `N`; a model with more is an error")
	out := fs.String("o", "", "write to this `FILE` (default: standard output)")
	sf := addScenarioFlags("loops", fs, false)
	path, err := sf.parse(args)
	if err != nil {
		return err
	}
	plot := isSet(fs, "plot")
	if *scores && *dot {
		return usagef("loops: --scores and --dot cannot be used together")
	}
	if plot && *dot {
		return usagef("loops: --plot and --dot cannot be used together")
	}
	if !*scores && !plot {
		for _, name := range []string{"scenario", "scenarios", "set", "method", "dt", "seed"} {
			if isSet(fs, name) {
				return usagef("loops: %s applies to --scores or --plot, which run the model", flagName(name))
			}
		}
	}
	if plot && !*scores && *out != "" {
		return usagef("loops: -o applies to --scores, --dot or the list; --plot names its own file")
	}
	if *limit <= 0 {
		return usagef("loops: --limit must be a positive number, not %d", *limit)
	}
	var format chart.Format
	if plot {
		if format, err = checkChartOutput("loops", "--plot", *plotFile, path); err != nil {
			return err
		}
		if *out != "" && *out != "-" && (*out == *plotFile || sameFile(*out, *plotFile)) {
			return usagef("loops: -o and --plot name the same file %s", *out)
		}
	}
	m, err := load(path)
	if err != nil {
		return err
	}
	p, err := sim.Compile(m) // every error of the model, before any analysis
	if err != nil {
		return err
	}
	g, err := loops.NewGraph(m)
	if err != nil {
		return err
	}
	found, err := g.Loops(*limit)
	var le *loops.LimitError
	if errors.As(err, &le) {
		return fmt.Errorf("%s: the model has more than %d feedback loops (use --limit to raise the limit)", path, le.Limit)
	}
	if err != nil {
		return err
	}
	switch {
	case *dot:
		return writeOutput(*out, path, stdout, func(w io.Writer) error { return g.WriteDOT(w, found) })
	case *scores || plot:
		s, err := sf.build(p)
		if err != nil {
			return err
		}
		sc, err := loops.Score(p, s, found)
		if err != nil {
			return err
		}
		if plot {
			if err := plotDominance(sc, m, format, *plotFile, path); err != nil {
				return err
			}
		}
		if !*scores {
			return nil
		}
		return writeOutput(*out, path, stdout, sc.WriteCSV)
	}
	return writeOutput(*out, path, stdout, func(w io.Writer) error { return loops.WriteTable(w, found) })
}

// plotDominance writes the loop-dominance chart of the relative loop
// scores of a run of model m to path.
func plotDominance(sc *loops.Scores, m *model.Model, f chart.Format, path, input string) error {
	c, err := chart.LoopDominance(chart.LoopScoresOf(sc, len(chart.Palette)+2), chart.Options{
		Title:     "Loop dominance",
		Subtitle:  m.Name,
		TimeUnits: m.Time.Units,
	})
	if err != nil {
		return err
	}
	return saveChart(c, f, path, input)
}
