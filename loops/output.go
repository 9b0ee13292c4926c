package loops

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// WriteDOT writes the causal loop diagram in Graphviz's DOT language: every
// variable on some link (stocks as boxes, flows as diamonds, auxiliaries as
// ellipses), every link labelled with its polarity (+, - or ?; links from
// flows to stocks drawn bold), and for each of the given loops a label node
// (its ID and name, and its doc as a tooltip) tied by invisible edges to the loop's variables
// so that the layout places it inside the loop.
func (g *Graph) WriteDOT(w io.Writer, loops []*Loop) error {
	bw := bufio.NewWriter(w)
	name := g.m.Name
	if name == "" {
		name = "causal loop diagram"
	}
	fmt.Fprintf(bw, "digraph %s {\n", dotID(name))
	bw.WriteString("\tnode [fontname=\"Helvetica\", fontsize=11];\n")
	bw.WriteString("\tedge [fontname=\"Helvetica\", fontsize=11];\n")
	linked := make([]bool, len(g.names))
	for v, es := range g.out {
		for _, e := range es {
			linked[v], linked[e.to] = true, true
		}
	}
	for v, n := range g.names {
		if !linked[v] {
			continue
		}
		shape := "ellipse"
		switch g.vars[g.canon[v]].Kind {
		case model.Stock:
			shape = "box"
		case model.Flow:
			shape = "diamond"
		}
		label := ""
		for _, im := range g.implicit {
			if im.Name == n {
				label = ", style=dashed, label=" + dotID(n+"\n= "+im.Factor)
			}
		}
		fmt.Fprintf(bw, "\t%s [shape=%s%s];\n", dotID(n), shape, label)
	}
	for v, es := range g.out {
		for _, e := range es {
			style := ""
			if e.flow {
				style = ", style=bold"
			}
			fmt.Fprintf(bw, "\t%s -> %s [label=%s%s];\n", dotID(g.names[v]), dotID(g.names[e.to]), dotID(e.pol.String()), style)
		}
	}
	for _, l := range loops {
		label := l.ID
		if l.Name != "" {
			label += "\n" + l.Name
		}
		id := dotID("loop " + l.ID)
		tooltip := ""
		if l.Doc != "" {
			tooltip = ", tooltip=" + dotID(l.Doc)
		}
		fmt.Fprintf(bw, "\t%s [shape=circle, style=dashed, label=%s%s];\n", id, dotID(label), tooltip)
		for _, v := range l.Variables {
			fmt.Fprintf(bw, "\t%s -> %s [style=invis, weight=0];\n", id, dotID(v))
		}
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// dotID quotes a string as a DOT identifier.
func dotID(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// WriteTable writes one loop a line, in columns: its label (its name, or
// its ID), its kind (R, B, U, or for a loop whose polarity changes in a
// run the order of its phases, R→B), its length, what decided its kind
// (structure, ranges or run) and its variables in the direction of
// causation. The note of a loop that changes polarity or is undetermined
// follows on a line of its own.
//
//	growth    R  2  structure  births -> population
//	crowding  B  3  structure  births -> population -> room
func WriteTable(w io.Writer, loops []*Loop) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, l := range loops {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", l.Label(), l.KindText(), len(l.Variables), l.Evidence, strings.Join(l.Variables, " -> "))
		if l.Note != "" {
			fmt.Fprintf(tw, "\t\t\t\t(%s)\n", l.Note)
		}
	}
	return tw.Flush()
}

// WriteCSV writes the relative loop scores as CSV: a header
// "time,<loop>,..." naming each loop by its label, and one row per saved
// time, written as sim.CSVWriter writes every CSV. The first row, which
// describes no step, has empty cells, as spreadsheets read a missing
// value.
func (s *Scores) WriteCSV(w io.Writer) error {
	labels := make([]string, len(s.Loops))
	for j, l := range s.Loops {
		labels[j] = l.Label()
	}
	cw := sim.NewCSVWriter(w, labels)
	row := make([]float64, len(s.Loops))
	for i, t := range s.Times {
		for j := range s.Loops {
			row[j] = s.Relative[j][i]
		}
		if err := cw.Write(t, row); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// Peak returns the largest share of the behaviour (absolute relative
// score) that any loop of the group explains at any saved time of the
// scores, 0 for loops the scores do not cover.
func (s *Scores) Peak(gr *Group) float64 {
	peak := 0.0
	for _, l := range gr.Loops {
		for j, sl := range s.Loops {
			if sl != l {
				continue
			}
			for _, x := range s.Relative[j] {
				if !math.IsNaN(x) {
					peak = math.Max(peak, math.Abs(x))
				}
			}
		}
	}
	return peak
}

// WriteGroups writes one group of loops a line, in columns: its label
// (Group.Label: R1[segment] for the copies of a loop through each
// element of an array), its representative's kind, what decided it, the largest share of
// the behaviour a loop of it explains in the run (when scores are given),
// the number of loops in the group, and the representative's variables
// (Group.Variables). The note of a group that changes polarity or is
// undetermined follows on a line of its own.
//
//	growth    R  structure  94%  1 loop  births -> population
func WriteGroups(w io.Writer, groups []*Group, s *Scores) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, gr := range groups {
		l := gr.Loop()
		peak := ""
		if s != nil {
			peak = fmt.Sprintf("%.0f%%", 100*s.Peak(gr))
		}
		n := "1 loop"
		if len(gr.Loops) > 1 {
			n = fmt.Sprintf("%d loops", len(gr.Loops))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", gr.Label(), l.KindText(), l.Evidence, peak, n, strings.Join(gr.Variables(), " -> "))
		if l.Note != "" {
			fmt.Fprintf(tw, "\t\t\t\t\t(%s)\n", l.Note)
		}
	}
	return tw.Flush()
}
