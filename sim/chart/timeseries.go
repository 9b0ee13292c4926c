package chart

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// Run is the result of one simulation under the name the legend gives it,
// usually its scenario's.
type Run struct {
	Name   string
	Result *sim.Result
}

// Var is a variable to chart.
type Var struct {
	Name  string // as the results name it (compared canonically)
	Label string // shown on the chart; default: Name with spaces for underscores
	Units string // shown on the axis; none for "", "1" or "dimensionless"
}

// Vars returns the named variables of a model with their units and
// labels (the model's label: of each, else its name as written). A name the model does not have keeps
// no units. The model's time units are m.Time.Units, for
// Options.TimeUnits.
func Vars(m *model.Model, names ...string) []Var {
	out := make([]Var, len(names))
	for i, n := range names {
		out[i] = Var{Name: n}
		if m == nil {
			continue
		}
		if v := m.Var(n); v != nil {
			out[i] = Var{Name: v.Name, Label: v.Label, Units: v.Units}
		} else if base, subs, err := model.SplitElementName(n); err == nil && subs != nil {
			// An element of an arrayed variable: its variable's units.
			if v := m.Var(base); v != nil {
				out[i] = Var{Name: n, Units: v.Units}
				if v.Label != "" {
					out[i].Label = model.ElementName(v.Label, subs...)
				}
			}
		}
	}
	return out
}

func (v Var) label() string {
	if v.Label != "" {
		return v.Label
	}
	return label(v.Name)
}

// series returns a run's times and values of a variable.
func (r Run) series(v Var) (times, values []float64, err error) {
	if r.Result == nil {
		return nil, nil, fmt.Errorf("chart: run %q has no result", r.Name)
	}
	j, err := model.FindName("variable", v.Name, fmt.Sprintf("run %q", r.Name), r.Result.Names)
	if err != nil {
		return nil, nil, fmt.Errorf("chart: %w", err)
	}
	if j >= len(r.Result.Values) {
		return nil, nil, fmt.Errorf("chart: run %q has no values of %q", r.Name, v.Name)
	}
	values = r.Result.Values[j]
	if len(values) != len(r.Result.Times) {
		return nil, nil, fmt.Errorf("chart: run %q has %d values of %q for %d times", r.Name, len(values), v.Name, len(r.Result.Times))
	}
	return r.Result.Times, values, nil
}

// timeAxis returns the time axis of a panel: labelled, exact, and with
// the steps its units suggest.
func (o Options) timeAxis() axis {
	return axis{label: o.timeLabel(), exact: true, steps: timeSteps(o.TimeUnits)}
}

// timeSteps are the tick steps that suit a unit of time: a year of
// months, a week of days.
func timeSteps(units string) []float64 {
	u := strings.ToLower(strings.TrimSpace(units))
	u = strings.TrimSuffix(u, "s")
	switch u {
	case "month", "mo":
		return []float64{3, 6, 12, 24, 60, 120}
	case "week", "wk":
		return []float64{4, 13, 26, 52, 104}
	case "day", "d":
		return []float64{7, 14, 28, 91, 182, 365}
	case "hour", "hr", "h":
		return []float64{6, 12, 24, 48, 168}
	case "quarter", "qtr":
		return []float64{4, 8}
	case "minute", "min":
		return []float64{15, 30, 60, 120}
	}
	return nil
}

// timeLabel returns the label of the time axis.
func (o Options) timeLabel() string {
	if o.XLabel != "" {
		return o.XLabel
	}
	if u := strings.TrimSpace(o.TimeUnits); u != "" {
		return "Time (" + u + ")"
	}
	return "Time"
}

// TimeSeries charts variables over time in one panel, for one or more
// runs. Runs are told apart by colour; when there are several runs and
// several variables, variables are told apart by line style (solid,
// dashed, dotted, ...), and when there is one run, by colour. The y axis
// shows the variables' units when they share them; otherwise the legend
// does. The title defaults to the variables' labels.
func TimeSeries(runs []Run, vars []Var, o Options) (*Chart, error) {
	o.allVars = vars
	pn, legend, err := timePanel(runs, vars, o, len(vars) > 1)
	if err != nil {
		return nil, err
	}
	if o.Title == "" {
		var labels []string
		for _, v := range vars {
			labels = append(labels, v.label())
		}
		o.Title = heading(joinAnd(labels))
	}
	if len(runs) == 1 {
		o = o.naming(runs[0].Name)
	}
	return &Chart{opts: o, panels: []*panel{pn}, cols: 1, legend: legend}, nil
}

// SmallMultiples charts each variable in a panel of its own, in a grid
// (Options.Columns per row, or a shape that suits the number of panels),
// with the runs overlaid in every panel and told apart by colour in one
// legend under the grid: the figure that compares strategies. Each panel
// is titled with its variable and its y axis shows the variable's units;
// only the bottom panel of each column labels the time axis.
func SmallMultiples(runs []Run, vars []Var, o Options) (*Chart, error) {
	o.allVars = vars
	cols := o.Columns
	if cols <= 0 {
		cols = columnsFor(len(vars))
	}
	cols = max(1, min(cols, len(vars)))
	if len(runs) == 1 {
		o = o.naming(runs[0].Name)
	}
	c := &Chart{opts: o, cols: cols}
	for i, v := range vars {
		pn, legend, err := timePanel(runs, []Var{v}, o, false)
		if err != nil {
			return nil, err
		}
		pn.title = heading(v.label())
		pn.y.label = unitsText(v.Units)
		if o.YLabel != "" {
			pn.y.label = o.YLabel
		}
		if i+cols < len(vars) { // a panel below shows the time axis's label
			pn.x.label = ""
		}
		c.panels = append(c.panels, pn)
		c.legend = legend
	}
	if len(vars) == 0 {
		pn, legend, err := timePanel(runs, nil, o, false)
		if err != nil {
			return nil, err
		}
		c.panels, c.legend = []*panel{pn}, legend
	}
	return c, nil
}

// columnsFor returns the number of columns of a grid of n panels.
func columnsFor(n int) int {
	switch {
	case n <= 3:
		return max(n, 1)
	case n == 4:
		return 2
	case n <= 9:
		return 3
	case n <= 12:
		return 4
	}
	return int(math.Ceil(math.Sqrt(float64(n))))
}

// timePanel makes the panel of some variables over time in some runs, and
// its legend. multi says the panel is the chart's only one and holds
// several variables.
func timePanel(runs []Run, vars []Var, o Options, multi bool) (*panel, []entry, error) {
	pn := &panel{x: o.timeAxis(), y: axis{zero: true}}
	byColourOfVar := len(runs) <= 1
	var legend []entry
	same, covered := sameRuns(runs, o.allVars)
	for ri, r := range runs {
		for vi, v := range vars {
			times, values, err := r.series(v)
			if err != nil {
				return nil, nil, err
			}
			pn.x.add(times...)
			pn.y.add(values...)
			sty := lineStyle(colour(ri), nil)
			switch {
			case byColourOfVar:
				sty = lineStyle(colour(vi), nil)
			case len(vars) > 1:
				sty.Dashes = dash(vi)
			}
			if covered[ri] && !byColourOfVar {
				// A later run draws over this one: a wider line shows
				// on both sides of it.
				sty.Width *= 2.4
			}
			pn.layers = append(pn.layers, func(c draw.Canvas, x, y func(float64) vg.Length) {
				drawLine(c, x, y, times, values, sty)
			})
		}
	}

	// The y axis shows the units the variables share; otherwise each
	// legend entry shows its variable's.
	units := ""
	if len(vars) > 0 {
		units = unitsText(vars[0].Units)
	}
	shared := true
	for _, v := range vars {
		shared = shared && unitsText(v.Units) == units
	}
	if shared {
		pn.y.label = units
	}
	if o.YLabel != "" {
		pn.y.label = o.YLabel
	}
	varLabel := func(v Var) string {
		if shared {
			return v.label()
		}
		return withUnits(v.label(), v.Units)
	}

	switch {
	case byColourOfVar && len(vars) > 1:
		for vi, v := range vars {
			legend = append(legend, entry{label: varLabel(v), line: lineStyle(colour(vi), nil)})
		}
	case !byColourOfVar:
		for ri, r := range runs {
			text := label(r.Name)
			if same[ri] >= 0 {
				text += " (= " + label(runs[same[ri]].Name) + ")"
			}
			legend = append(legend, entry{label: text, line: lineStyle(colour(ri), nil)})
		}
		if multi {
			for vi, v := range vars {
				legend = append(legend, entry{label: varLabel(v), line: lineStyle(keyGrey, dash(vi)), group: 1})
			}
		}
	}
	if !pn.y.has {
		pn.note = "No data"
	}
	return pn, legend, nil
}

// sameRuns finds the runs whose values of vars are those of an earlier
// run (a scenario that changes nothing, or the baseline written again):
// same[i] is the earlier run's index, or -1, and covered[i] says that a
// later run draws over run i.
func sameRuns(runs []Run, vars []Var) (same []int, covered []bool) {
	same, covered = make([]int, len(runs)), make([]bool, len(runs))
	for j := range runs {
		same[j] = -1
	next:
		for i := 0; i < j && len(vars) > 0; i++ {
			if same[i] >= 0 {
				continue
			}
			for _, v := range vars {
				ti, vi, err1 := runs[i].series(v)
				tj, vj, err2 := runs[j].series(v)
				if err1 != nil || err2 != nil || !slices.Equal(ti, tj) || !closeSeries(vi, vj) {
					continue next
				}
			}
			same[j], covered[i] = i, true
			break
		}
	}
	return same, covered
}

// closeSeries reports whether two series agree to one part in a million.
func closeSeries(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if a[k] == b[k] || math.IsNaN(a[k]) && math.IsNaN(b[k]) {
			continue
		}
		if math.Abs(a[k]-b[k]) > 1e-6*math.Max(math.Abs(a[k]), math.Abs(b[k])) {
			return false
		}
	}
	return true
}

// joinAnd joins words as English does: "a", "a and b", "a, b and c".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
