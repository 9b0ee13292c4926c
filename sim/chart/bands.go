package chart

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Band is the spread of one variable over an ensemble of runs of one
// scenario: some quantiles of its value at each time. The ensemble's
// runs are usually those of a sensitivity analysis, each with other
// values of the uncertain constants; experiment.Summary holds them in this
// shape (Values[v] of its variable v).
type Band struct {
	Name  string    // the scenario, as the legend shows it
	Times []float64 // the saved times
	// Quantiles are fractions in [0, 1], ascending, as experiment's are:
	// e.g. 0.05, 0.25, 0.5, 0.75, 0.95.
	Quantiles []float64
	// Values[k][i] is quantile Quantiles[k] of the variable at Times[i]:
	// each row is one quantile's series.
	Values [][]float64
}

// Bands charts the percentile bands of a variable for one or more
// scenarios: the median as a line and, shaded in the scenario's colour,
// the band between each pair of quantiles that mirror each other,
// darker inwards (for 0.05, 0.25, 0.5, 0.75, 0.95: the 5th–95th
// percentiles light, the 25th–75th darker). The median is quantile 0.5,
// or the middle one of an odd number. The
// legend keys the scenarios and the bands of the first scenario. The
// title defaults to the variable's label.
func Bands(bands []Band, v Var, o Options) (*Chart, error) {
	pn := &panel{x: o.timeAxis(), y: axis{zero: true, label: unitsText(v.Units)}}
	if o.YLabel != "" {
		pn.y.label = o.YLabel
	}
	var legend []entry
	var edges, medians []layer // drawn over every band, in this order
	for bi, b := range bands {
		if err := b.check(); err != nil {
			return nil, err
		}
		col := colour(bi)
		pairs, median := b.layout()
		pn.x.add(b.Times...)
		for _, p := range pairs {
			lo, hi := b.Values[p[0]], b.Values[p[1]]
			pn.y.add(lo...)
			pn.y.add(hi...)
			pn.layers = append(pn.layers, func(c draw.Canvas, x, y func(float64) vg.Length) {
				fillBetween(c, x, y, b.Times, lo, hi, withAlpha(col, bandAlpha))
			})
		}
		if len(pairs) > 0 {
			// A fine edge shows where each scenario's outer band ends
			// where bands overlap.
			lo, hi := b.Values[pairs[0][0]], b.Values[pairs[0][1]]
			edge := draw.LineStyle{Color: withAlpha(col, 0.6), Width: vg.Points(0.75)}
			edges = append(edges, func(c draw.Canvas, x, y func(float64) vg.Length) {
				drawLine(c, x, y, b.Times, lo, edge)
				drawLine(c, x, y, b.Times, hi, edge)
			})
		}
		e := entry{label: label(b.Name), fill: withAlpha(col, opacity(len(pairs)))}
		if median >= 0 {
			values := b.Values[median]
			pn.y.add(values...)
			sty := lineStyle(col, nil)
			e.line = sty
			medians = append(medians, func(c draw.Canvas, x, y func(float64) vg.Length) {
				drawLine(c, x, y, b.Times, values, sty)
			})
		}
		if len(bands) > 1 || b.Name != "" {
			legend = append(legend, e)
		}
	}
	pn.layers = append(append(pn.layers, edges...), medians...)
	if len(bands) > 0 {
		legend = append(legend, bands[0].key()...)
	}
	if !pn.y.has {
		pn.note = "No data"
	}
	if o.Title == "" {
		o.Title = heading(v.label())
	}
	return &Chart{opts: o, panels: []*panel{pn}, cols: 1, legend: legend}, nil
}

// check reports a band whose shape is wrong.
func (b Band) check() error {
	if len(b.Values) != len(b.Quantiles) {
		return fmt.Errorf("chart: band %q has %d series for %d quantiles", b.Name, len(b.Values), len(b.Quantiles))
	}
	for k, p := range b.Quantiles {
		if !(p >= 0 && p <= 1) {
			return fmt.Errorf("chart: band %q: quantile %v is not a fraction in [0, 1]", b.Name, p)
		}
		if k > 0 && !(p > b.Quantiles[k-1]) {
			return fmt.Errorf("chart: band %q: quantiles must ascend, but %v follows %v", b.Name, p, b.Quantiles[k-1])
		}
		if len(b.Values[k]) != len(b.Times) {
			return fmt.Errorf("chart: band %q has %d values of quantile %v for %d times", b.Name, len(b.Values[k]), p, len(b.Times))
		}
	}
	return nil
}

// layout returns the pairs of percentiles that bound bands, outermost
// first, and the median's index or -1.
func (b Band) layout() (pairs [][2]int, median int) {
	n := len(b.Quantiles)
	median = -1
	for k, p := range b.Quantiles {
		if p == 0.5 {
			median = k
		}
	}
	if median < 0 && n%2 == 1 {
		median = n / 2
	}
	for lo, hi := 0, n-1; lo < hi; lo, hi = lo+1, hi-1 {
		if lo == median || hi == median {
			break
		}
		pairs = append(pairs, [2]int{lo, hi})
	}
	return pairs, median
}

// bandAlpha is the opacity of one band. Inner bands are drawn over outer
// ones, so that k bands deep the shade is opacity(k).
const bandAlpha = 0.2

func opacity(k int) float64 { return 1 - math.Pow(1-bandAlpha, float64(k)) }

// key returns the legend entries explaining the bands and the median.
func (b Band) key() []entry {
	pairs, median := b.layout()
	var out []entry
	for i, p := range pairs {
		out = append(out, entry{
			label: pct(b.Quantiles[p[0]]) + "–" + pct(b.Quantiles[p[1]]) + "th percentile",
			fill:  withAlpha(keyGrey, opacity(i+1)),
			group: 1,
		})
	}
	if median >= 0 {
		name := "median"
		if b.Quantiles[median] != 0.5 {
			name = pct(b.Quantiles[median]) + "th percentile"
		}
		out = append(out, entry{label: name, line: lineStyle(keyGrey, nil), group: 1})
	}
	return out
}

// pct writes quantile q as the percentile it is: 0.05 as "5".
func pct(q float64) string { return strconv.FormatFloat(100*q, 'g', 4, 64) }
