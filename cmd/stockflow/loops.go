package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// cmdLoops lists a model's feedback loops, or writes their scores over a
// run as CSV, or the causal loop diagram as DOT.
func cmdLoops(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("loops", "MODEL [--scores [--scenario NAME] [--method M] | --dot] [--limit N] [-o FILE]", stderr)
	scores := fs.Bool("scores", false, "write the relative loop scores of a run as CSV")
	dot := fs.Bool("dot", false, "write the causal loop diagram in Graphviz DOT")
	limit := fs.Int("limit", loops.DefaultLimit, "the most loops to search for; a model with more is an error")
	out := fs.String("o", "", "write to this file (default: standard output)")
	scenario := fs.String("scenario", "", "with --scores: run the model's scenario of this name")
	method := fs.String("method", "", "with --scores: integration method euler, rk2 or rk4 (default: the model's)")
	pos, err := parse(fs, args, 1, "MODEL")
	if err != nil {
		return err
	}
	if *scores && *dot {
		return usagef("loops: --scores and --dot cannot be used together")
	}
	if !*scores && (*scenario != "" || *method != "") {
		return usagef("loops: --scenario and --method apply to --scores")
	}
	if *limit <= 0 {
		return usagef("loops: --limit must be a positive number, not %d", *limit)
	}
	var s sim.Scenario
	if *method != "" {
		if s.Method, err = model.ParseMethod(*method); err != nil {
			return usagef("loops: --method: %v", err)
		}
	}
	path := pos[0]
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
	case *scores:
		if *scenario != "" {
			s2, err := p.Scenario(*scenario)
			if err != nil {
				return err
			}
			s.Name, s.Set, s.Lookups = s2.Name, s2.Set, s2.Lookups
		}
		sc, err := loops.Score(p, s, found)
		if err != nil {
			return err
		}
		return writeOutput(*out, path, stdout, sc.WriteCSV)
	}
	return writeOutput(*out, path, stdout, func(w io.Writer) error { return loops.WriteTable(w, found) })
}
