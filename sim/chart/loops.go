package chart

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"github.com/stockflow/stockflow/loops"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// LoopScores are the relative loop scores of some feedback loops over a
// run (Loops That Matter): the signed share of the behaviour that each
// loop explains at each time, in [−1, 1]. They are filled from the loops
// package's Scores: Times, the loops' labels, and Relative.
type LoopScores struct {
	Times []float64
	Names []string // the loops, as the legend shows them (with spaces for underscores): "R1 word of mouth"
	// Values[k][i] is the relative score of loop Names[k] at Times[i].
	// NaN means no score (the first time of a run has none).
	Values [][]float64
	// Others is the number of series at the end of Names that stand for
	// groups of loops rather than one loop, such as "the other loops,
	// reinforcing": they are drawn in greys so that the named loops keep
	// the colours.
	Others int
}

// LoopDominance charts relative loop scores over time as a stacked area,
// as Stella draws it: at each time the positive scores are stacked upwards
// from zero and the negative ones downwards, each loop in its colour, so
// that the loops that dominate fill most of the height. The y axis runs
// from −100 % to 100 % (further if the scores of more than one cycle
// partition are stacked together). Times at which no loop has a score are
// left blank. The title defaults to "Loop dominance".
func LoopDominance(s LoopScores, o Options) (*Chart, error) {
	if len(s.Values) != len(s.Names) {
		return nil, fmt.Errorf("chart: %d series of loop scores for %d loops", len(s.Values), len(s.Names))
	}
	for k, v := range s.Values {
		if len(v) != len(s.Times) {
			return nil, fmt.Errorf("chart: loop %q has %d scores for %d times", s.Names[k], len(v), len(s.Times))
		}
	}
	pn := &panel{
		x: o.timeAxis(),
		y: axis{label: "Share of behaviour explained", percent: true, min: -1, max: 1},
	}
	if o.YLabel != "" {
		pn.y.label = o.YLabel
	}
	pn.x.add(s.Times...)

	// Stack: at each time, base[k] and top[k] bound loop k's area; a time
	// with no score at all has NaN bounds, which break the areas.
	n, m := len(s.Names), len(s.Times)
	// A loop whose score changes sign has two areas: its positive part
	// in the upward stack and its negative part in the downward one,
	// each of no height while the score has the other sign, so that no
	// area cuts across the zero line between two times.
	lows, highs := make([][]float64, 2*n), make([][]float64, 2*n)
	for k := range lows {
		lows[k], highs[k] = make([]float64, m), make([]float64, m)
	}
	scored := false
	for i := 0; i < m; i++ {
		any := false
		for k := 0; k < n; k++ {
			any = any || finite(s.Values[k][i])
		}
		pos, neg := 0.0, 0.0
		for k := 0; k < n; k++ {
			v := s.Values[k][i]
			switch {
			case !any:
				lows[2*k][i], highs[2*k][i] = nan, nan
				lows[2*k+1][i], highs[2*k+1][i] = nan, nan
				continue
			case !finite(v):
				v = 0
			}
			if v >= 0 {
				lows[2*k][i], highs[2*k][i] = pos, pos+v
				lows[2*k+1][i], highs[2*k+1][i] = neg, neg
				pos += v
			} else {
				lows[2*k][i], highs[2*k][i] = pos, pos
				lows[2*k+1][i], highs[2*k+1][i] = neg+v, neg
				neg += v
			}
		}
		if any {
			scored = true
			pn.y.add(pos, neg)
		}
	}
	if s.Others < 0 || s.Others > len(s.Names) {
		return nil, fmt.Errorf("chart: %d groups of other loops among %d series", s.Others, len(s.Names))
	}
	fill := func(k int) color.Color {
		if g := k - (len(s.Names) - s.Others); g >= 0 {
			return otherGreys[g%len(otherGreys)]
		}
		return colour(k)
	}
	for k := range lows {
		col, lo, hi := fill(k/2), lows[k], highs[k]
		pn.layers = append(pn.layers, func(c draw.Canvas, x, y func(float64) vg.Length) {
			fillBetween(c, x, y, s.Times, lo, hi, col)
		})
	}
	// A thin white edge between neighbouring areas, and the zero line.
	pn.layers = append(pn.layers, func(c draw.Canvas, x, y func(float64) vg.Length) {
		edge := draw.LineStyle{Color: color.White, Width: vg.Points(0.75)}
		for k := range lows {
			drawLine(c, x, y, s.Times, highs[k], edge)
			drawLine(c, x, y, s.Times, lows[k], edge)
		}
		c.StrokeLine2(draw.LineStyle{Color: ink, Width: vg.Points(1.25)}, c.Min.X, y(0), c.Max.X, y(0))
	})
	if !scored {
		pn.note = "No loop scores"
	}
	var legend []entry
	for k, name := range s.Names {
		legend = append(legend, entry{label: label(name), fill: fill(k)})
	}
	if o.Title == "" {
		o.Title = "Loop dominance"
	}
	o = o.naming(o.Scenario)
	return &Chart{opts: o, panels: []*panel{pn}, cols: 1, legend: legend}, nil
}

// loopName is how the dominance chart names a loop: its label, and for a
// loop whose polarity changes in the run the order of its phases,
// "base_absorbs_price_dilution (B→R)".
func loopName(l *loops.Loop) string {
	if l.Kind == loops.Changing {
		return l.Label() + " (" + l.KindText() + ")"
	}
	return l.Label()
}

// LoopScoresOf returns the relative loop scores of a run to chart in at
// most limit series: every loop if they fit, and otherwise the limit−2
// loops whose scores peak highest, in their order, and the others summed
// by sign at each time as "other loops, reinforcing" and "other loops,
// balancing" (Others, drawn in greys), so that the stacked areas keep
// their heights. len(Palette())+2 names as many loops as have colours of
// their own.
// A loop whose polarity changes in the run is named with the order of
// its phases, "RB1 (R→B)".
func LoopScoresOf(sc *loops.Scores, limit int) LoopScores {
	ls := LoopScores{Times: sc.Times}
	if len(sc.Loops) <= limit {
		for j, l := range sc.Loops {
			ls.Names = append(ls.Names, loopName(l))
			ls.Values = append(ls.Values, sc.Relative[j])
		}
		return ls
	}
	peak := make([]float64, len(sc.Loops))
	for j, rel := range sc.Relative {
		for _, v := range rel {
			if v = math.Abs(v); v > peak[j] { // false for NaN
				peak[j] = v
			}
		}
	}
	rank := make([]int, len(sc.Loops))
	for j := range rank {
		rank[j] = j
	}
	sort.SliceStable(rank, func(a, b int) bool { return peak[rank[a]] > peak[rank[b]] })
	named := rank[:max(limit-2, 0)]
	sort.Ints(named)
	shown := make(map[int]bool, len(named))
	for _, j := range named {
		shown[j] = true
		ls.Names = append(ls.Names, loopName(sc.Loops[j]))
		ls.Values = append(ls.Values, sc.Relative[j])
	}
	pos, neg := make([]float64, len(sc.Times)), make([]float64, len(sc.Times))
	anyPos, anyNeg := false, false
	for i := range sc.Times {
		scored := false
		for j, rel := range sc.Relative {
			v := rel[i]
			if shown[j] || math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			scored = true
			if v > 0 {
				pos[i] += v
				anyPos = true
			} else if v < 0 {
				neg[i] += v
				anyNeg = true
			}
		}
		if !scored {
			pos[i], neg[i] = math.NaN(), math.NaN()
		}
	}
	if anyPos {
		ls.Names = append(ls.Names, "other loops, reinforcing")
		ls.Values = append(ls.Values, pos)
		ls.Others++
	}
	if anyNeg {
		ls.Names = append(ls.Names, "other loops, balancing")
		ls.Values = append(ls.Values, neg)
		ls.Others++
	}
	return ls
}

// otherGreys fill the groups of loops not shown by name.
var otherGreys = []color.Color{
	color.NRGBA{R: 0xc8, G: 0xc8, B: 0xc8, A: 0xff},
	color.NRGBA{R: 0xa0, G: 0xa0, B: 0xa0, A: 0xff},
}

var nan = func() float64 { var z float64; return z / z }()
