package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/chart"
)

// cmdLoops lists a model's feedback loops, by groups, with polarities from
// the structure or from a run; or writes their scores over a run as CSV,
// or the causal loop diagram as DOT; --plot charts the scores.
func cmdLoops(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("loops", "MODEL", stderr)
	scores := fs.Bool("scores", false, "write the relative loop scores of a run as CSV")
	dot := fs.Bool("dot", false, "write the causal loop diagram in Graphviz DOT")
	plotFile := fs.String("plot", "", "chart the relative loop scores of a run (loop dominance) to this .png, .svg or .pdf `FILE`")
	var size chartSize
	fs.Var(&size, "size", "with --plot or --diagram, the chart's `SIZE`: WxH in inches, such as 13.33x7.5 for a 16:9 slide, or pixels, 1600x900px (default 8x5)")
	diagram := fs.String("diagram", "", "draw the causal loop diagram of the loops --loops names, of the --dominant N, or else of the model's named loops, to this .png, .svg or .pdf `FILE`")
	only := fs.String("loops", "", "with --diagram: the loops to draw, by name or ID, separated by commas (`NAMES`)")
	dominant := fs.Int("dominant", 0, "with --diagram: draw the `N` loops that explain the most of the behaviour in the run")
	all := fs.Bool("all", false, "list every loop, not only the groups that matter")
	structure := fs.Bool("structure", false, "list loops with polarities from the equations alone, without a run")
	limit := fs.Int("limit", loops.DefaultLimit, "the most loops to search for, `N`; a model with more is an error")
	out := fs.String("o", "", "write to this `FILE` (default: standard output)")
	sf := addScenarioFlags("loops", fs, false)
	path, err := sf.parse(args)
	if err != nil {
		return err
	}
	plot := isSet(fs, "plot")
	drawing := isSet(fs, "diagram")
	if (*only != "" || isSet(fs, "dominant")) && !drawing {
		return usagef("loops: --loops and --dominant choose the loops of --diagram")
	}
	if *only != "" && isSet(fs, "dominant") {
		return usagef("loops: --loops and --dominant cannot be used together")
	}
	if isSet(fs, "dominant") && *dominant <= 0 {
		return usagef("loops: --dominant must be a positive number, not %d", *dominant)
	}
	if isSet(fs, "dominant") && *structure {
		return usagef("loops: --dominant needs a run, which --structure does not make")
	}
	if drawing && (*dot || *scores || plot) {
		return usagef("loops: --diagram cannot be used with --dot, --scores or --plot")
	}
	if *scores && *dot {
		return usagef("loops: --scores and --dot cannot be used together")
	}
	if plot && *dot {
		return usagef("loops: --plot and --dot cannot be used together")
	}
	if *structure && (*scores || plot) {
		return usagef("loops: --structure lists loops without a run; --scores and --plot need one")
	}
	if *dot || *structure {
		for _, name := range []string{"scenario", "scenarios", "set", "method", "dt", "seed"} {
			if isSet(fs, name) {
				return usagef("loops: %s applies to a run, which --dot and --structure do not make", flagName(name))
			}
		}
	}
	if plot && !*scores && *out != "" {
		return usagef("loops: -o applies to --scores, --dot or the list; --plot names its own file")
	}
	if isSet(fs, "size") && !plot && *diagram == "" {
		return usagef("loops: --size applies to the charts of --plot and --diagram")
	}
	if *limit <= 0 {
		return usagef("loops: --limit must be a positive number, not %d", *limit)
	}
	var format chart.Format
	if drawing {
		if format, err = checkChartOutput("loops", "--diagram", *diagram, path); err != nil {
			return err
		}
		if *out != "" {
			return usagef("loops: -o applies to --scores, --dot or the list; --diagram names its own file")
		}
	}
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
	if *dot {
		return writeOutput(*out, path, stdout, func(w io.Writer) error { return g.WriteDOT(w, found) })
	}
	if drawing && *structure {
		return drawDiagram(g, m, found, nil, *only, 0, format, *diagram, path, "", size)
	}
	if *structure {
		return writeOutput(*out, path, stdout, func(w io.Writer) error {
			implicitNote(w, g)
			if *all {
				return loops.WriteTable(w, found)
			}
			groups := g.Groups(found)
			fmt.Fprintf(w, "# %d feedback loops in %s; kinds from the equations alone (--all lists every loop)\n", len(found), plural(len(groups), "group"))
			return loops.WriteGroups(w, groups, nil)
		})
	}
	s, err := sf.build(p)
	if err != nil {
		return err
	}
	found, sc, err := g.Decide(p, s, found)
	if err != nil {
		return err
	}
	if drawing {
		return drawDiagram(g, m, found, sc, *only, *dominant, format, *diagram, path, s.Name, size)
	}
	if plot {
		if err := plotDominance(sc, m, s.Name, format, *plotFile, path, size); err != nil {
			return err
		}
	}
	if *scores {
		return writeOutput(*out, path, stdout, sc.WriteCSV)
	}
	if plot {
		return nil
	}
	run := "the model as written"
	if s.Name != "" && s.Name != "baseline" {
		run = fmt.Sprintf("scenario %q", s.Name)
	}
	return writeOutput(*out, path, stdout, func(w io.Writer) error {
		implicitNote(w, g)
		if *all {
			fmt.Fprintf(w, "# %d feedback loops; %s\n", len(found), provenance(run, found))
			return loops.WriteTable(w, found)
		}
		groups := g.Groups(found)
		var shown []*loops.Group
		hidden, changing := 0, 0
		for _, gr := range groups {
			if gr.Loop().Name != "" || gr.Loop().Kind == loops.Undetermined || sc.Peak(gr) >= minShare {
				shown = append(shown, gr)
				continue
			}
			hidden += len(gr.Loops)
			if gr.Loop().Kind == loops.Changing {
				changing += len(gr.Loops)
			}
		}
		fmt.Fprintf(w, "# %d feedback loops in %s; %s; share: the most of the behaviour a loop of the group explains at any time\n", len(found), plural(len(groups), "group"), provenance(run, found))
		if err := loops.WriteGroups(w, shown, sc); err != nil {
			return err
		}
		if hidden > 0 {
			some := ""
			if changing > 0 {
				some = fmt.Sprintf(" (%d of them R→B or B→R)", changing)
			}
			fmt.Fprintf(w, "# and %s in %s%s, none named or explaining %.0f%% of the behaviour at any time; --all lists every loop\n", plural(hidden, "more loop"), plural(len(groups)-len(shown), "group"), some, 100*minShare)
		}
		return nil
	})
}

// drawDiagram draws the causal loop diagram of some of the loops found:
// those only names (labels or IDs, separated by commas), the n that
// explain the most of the behaviour in the run scored by sc, or else the
// model's named loops (every loop when it names none).
func drawDiagram(g *loops.Graph, m *model.Model, found []*loops.Loop, sc *loops.Scores, only string, n int, f chart.Format, file, input, scenario string, size chartSize) error {
	var chosen []*loops.Loop
	var what string
	switch {
	case only != "":
		// A loop by its name or ID; the copies of a loop through the
		// elements of an array by the ID that names the dimension
		// (R1[segment]).
		byLabel := make(map[string][]*loops.Loop)
		var labels []string
		for _, l := range found {
			byLabel[model.Canonical(l.Label())] = []*loops.Loop{l}
			byLabel[model.Canonical(l.ID)] = []*loops.Loop{l}
			labels = append(labels, l.Label())
			if id, _ := l.Family(found); id != l.ID {
				c := model.Canonical(id)
				if len(byLabel[c]) == 0 {
					labels = append(labels, id)
				}
				byLabel[c] = append(byLabel[c], l)
			}
		}
		for _, name := range splitNames(only) {
			name = strings.TrimSpace(name)
			ls := byLabel[model.Canonical(name)]
			if len(ls) == 0 {
				return usagef("loops: --loops: %s", unknownLoop(name, labels))
			}
			for _, l := range ls {
				if !slices.Contains(chosen, l) {
					chosen = append(chosen, l)
				}
			}
		}
		var names []string
		for _, l := range chosen {
			name := l.Label()
			if id, _ := l.Family(chosen); id != l.ID && l.Name == "" {
				name = id // copies through elements, drawn as one
			}
			if name = strings.ReplaceAll(name, "_", " "); !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
		what = "loops: " + strings.Join(names, ", ")
	case n > 0:
		// The copies of a loop through the elements of an array count
		// as one loop (they are drawn as one), ranked by the copy that
		// explains the most.
		type ranked struct {
			id    string
			loops []*loops.Loop
			peak  float64
		}
		var rs []*ranked
		byID := make(map[string]*ranked)
		for _, l := range found {
			id, _ := l.Family(found)
			r := byID[id]
			if r == nil {
				r = &ranked{id: id}
				byID[id] = r
				rs = append(rs, r)
			}
			r.loops = append(r.loops, l)
			r.peak = max(r.peak, sc.Peak(&loops.Group{Loops: []*loops.Loop{l}}))
		}
		sort.SliceStable(rs, func(i, j int) bool { return rs[i].peak > rs[j].peak })
		for i := 0; i < n && i < len(rs); i++ {
			chosen = append(chosen, rs[i].loops...)
		}
		if k := min(n, len(rs)); k == 1 {
			what = "the loop that explains the most of the behaviour"
		} else {
			what = fmt.Sprintf("the %d loops that explain the most of the behaviour", k)
		}
	default:
		for _, l := range found {
			if l.Name != "" {
				chosen = append(chosen, l)
			}
		}
		what = "the model's named loops"
		if len(chosen) == 0 {
			chosen, what = found, "every loop"
		}
	}
	if len(chosen) == 0 {
		return fmt.Errorf("%s: the model has no feedback loops to draw", input)
	}
	if sc != nil {
		run := "the model as written"
		if scenario != "" && scenario != "baseline" {
			run = fmt.Sprintf("scenario %s", scenario)
		}
		what += "; polarities from the equations or the run of " + run
	}
	title := m.Name
	if title == "" {
		title = "Causal loop diagram"
	}
	c, err := chart.LoopDiagram(chart.CLDOf(g, chosen), chart.Options{Title: title, Subtitle: what})
	if err != nil {
		return err
	}
	return saveChart(c, f, file, input, size)
}

// unknownLoop says a loop name is not one of the labels, suggesting the
// nearest.
func unknownLoop(name string, labels []string) string {
	if c := closestWord(name, labels); c != "" {
		return fmt.Sprintf("no loop %q (did you mean %q?)", name, c)
	}
	if len(labels) > 20 {
		return fmt.Sprintf("no loop %q (stockflow loops MODEL --all lists them)", name)
	}
	return fmt.Sprintf("no loop %q (the loops are %s)", name, strings.Join(labels, ", "))
}

// implicitNote says which variables of the loops are factors of an
// equation shown on their own.
// A factor of an equation that is the same for every element of an array
// is named once, with the dimensions.
func implicitNote(w io.Writer, g *loops.Graph) {
	said := make(map[string]bool)
	for _, im := range g.Implicit() {
		name, of := im.Name, im.Of
		if len(im.Dims) > 0 {
			name = arrayName(name, im.Dims)
			of = arrayName(of, im.Dims)
			if said[name+"\x00"+im.Factor] {
				continue
			}
			said[name+"\x00"+im.Factor] = true
		}
		fmt.Fprintf(w, "# %s stands for the factor (%s) of %s, shown as a variable of its own\n", name, im.Factor, of)
	}
}

// arrayName writes an element's name with dimensions for subscripts:
// x[smb] as x[segment].
func arrayName(name string, dims []string) string {
	base, _, err := model.SplitElementName(name)
	if err != nil {
		return name
	}
	return model.ElementName(base, dims...)
}

// provenance says where the kinds of loops come from.
func provenance(run string, found []*loops.Loop) string {
	changing := ""
	for _, l := range found {
		if l.Kind == loops.Changing {
			changing = "; R→B: reinforcing, then balancing"
			break
		}
	}
	return "kinds from the equations (structure), or from the run of " + run + " (ranges: the values its variables take; run: the sign of the loop's score" + changing + ")"
}

// minShare is the share of the behaviour an unnamed group of loops must
// explain at some time for the loop list to show it.
const minShare = 0.1

// plotDominance writes the loop-dominance chart of the relative loop
// scores of a run of model m to path.
func plotDominance(sc *loops.Scores, m *model.Model, scenario string, f chart.Format, path, input string, size chartSize) error {
	c, err := chart.LoopDominance(chart.LoopScoresOf(sc, len(chart.Palette())+2), chart.Options{
		Title:     "Loop dominance",
		Subtitle:  heading(m.Name),
		Scenario:  scenario,
		TimeUnits: m.Time.Units,
	})
	if err != nil {
		return err
	}
	return saveChart(c, f, path, input, size)
}

// heading returns s with its first letter in upper case.
func heading(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
