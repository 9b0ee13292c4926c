package main

import (
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/units"
)

// cmdUnits prints every variable of a model with its declared units and
// the units the checker works out, then the units problems, if any.
func cmdUnits(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("units", "MODEL", stderr)
	pos, err := parse(fs, args, 1, "MODEL")
	if err != nil {
		return err
	}
	m, err := load(pos[0])
	if err != nil {
		return err
	}
	r, uerr := units.Check(m)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "variable\tkind\tdeclared\tunits")
	row := func(name, kind, declared, units string, inferred bool) {
		if declared == "" {
			declared = "-"
		}
		if inferred {
			units += " (inferred)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", name, kind, declared, units)
	}
	row("TIME", "time", r.Time.Declared, r.Units(r.Time), r.Time.Inferred)
	for _, v := range r.Vars {
		row(v.Name, v.Kind.String(), v.Declared, r.Units(v), v.Inferred)
	}
	for _, l := range r.Lookups {
		row(l.Name, "lookup", l.Declared, r.Units(l), l.Inferred)
		row(l.Name+" (input)", "lookup", l.InputDeclared, r.Input(l), l.InputKnown && l.InputDeclared == "")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return uerr
}

// unitsWarnings prints the units problems of a model on w as warnings.
func unitsWarnings(m *model.Model, w io.Writer) {
	_, err := units.Check(m)
	var list model.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintf(w, "warning: %s\n", e)
		}
	}
}
