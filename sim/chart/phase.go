package chart

import (
	"fmt"
	"math"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/stockflow/stockflow/sim/internal/interp"
)

// Quadrants divide a phase chart at X0 and Y0 into four labelled regions,
// as a strategist's two-by-two does.
type Quadrants struct {
	X0, Y0                                     float64
	TopLeft, TopRight, BottomLeft, BottomRight string
}

// Phase charts the path of each run in the plane of two variables: x
// across, y up. Each path ends in an arrowhead, pointing the way time
// runs, and carries a dot at each of Options.Marks (times between saved
// ones are interpolated), labelled "t=12" where the label has room.
// Options.Quadrants adds dashed lines at X0 and Y0 and a label in the
// outer corner of each quadrant. The axes are labelled with the variables
// and their units, and the title defaults to "Y against X".
func Phase(runs []Run, x, y Var, o Options) (*Chart, error) {
	pn := &panel{
		x: axis{label: withUnits(heading(x.label()), x.Units)},
		y: axis{label: withUnits(heading(y.label()), y.Units)},
	}
	if o.XLabel != "" {
		pn.x.label = o.XLabel
	}
	if o.YLabel != "" {
		pn.y.label = o.YLabel
	}
	var t axis // the range of the times, for the default marks
	var paths []layerPath
	same, covered := sameRuns(runs, []Var{x, y})
	data := false // a point with both coordinates
	for ri, r := range runs {
		times, xs, err := r.series(x)
		if err != nil {
			return nil, err
		}
		_, ys, err := r.series(y)
		if err != nil {
			return nil, err
		}
		t.add(times...)
		// Only points with both coordinates count towards the ranges.
		for i := range xs {
			if finite(xs[i]) && finite(ys[i]) {
				pn.x.add(xs[i])
				pn.y.add(ys[i])
				data = true
			}
		}
		sty := lineStyle(colour(ri), nil)
		if covered[ri] {
			sty.Width *= 2.4 // a later run draws over this one
		}
		paths = append(paths, layerPath{times: times, xs: xs, ys: ys, sty: sty})
	}
	q := o.Quadrants
	if q != nil {
		// A line far from the data would squeeze the paths into a corner:
		// it is more likely a mistake than a wish.
		for _, l := range []struct {
			name string
			at   float64
			ax   *axis
		}{{"x", q.X0, &pn.x}, {"y", q.Y0, &pn.y}} {
			if !finite(l.at) {
				return nil, fmt.Errorf("chart: the quadrant line %s = %g is not a number", l.name, l.at)
			}
			if !data {
				continue
			}
			span := l.ax.hi - l.ax.lo
			if span == 0 {
				span = math.Max(math.Abs(l.ax.lo), 1)
			}
			if l.at < l.ax.lo-span || l.at > l.ax.hi+span {
				return nil, fmt.Errorf("chart: the quadrant line %s = %g lies far outside the data, %g to %g", l.name, l.at, l.ax.lo, l.ax.hi)
			}
		}
		pn.x.add(q.X0)
		pn.y.add(q.Y0)
		pn.layers = append(pn.layers, func(c draw.Canvas, fx, fy func(float64) vg.Length) {
			drawQuadrants(c, fx, fy, q)
		})
	}
	marks := o.Marks
	if marks == nil && t.has {
		marks = tickValues(t.lo, t.hi, niceStep(t.lo, t.hi, 4, false))
		// A step of the time units (12 months) that divides the run.
		for _, step := range timeSteps(o.TimeUnits) {
			if k := (t.hi - t.lo) / step; k >= 3 && k <= 6 && math.Abs(k-math.Round(k)) < 1e-9 {
				marks = tickValues(t.lo, t.hi, step)
				break
			}
		}
	}
	for _, p := range paths {
		pn.layers = append(pn.layers, p.line)
	}
	// Marks over every line, and labels where they cover nothing: first
	// the labels of where each path starts and ends, then the quadrants',
	// then the other marks'.
	pn.layers = append(pn.layers, func(c draw.Canvas, fx, fy func(float64) vg.Length) {
		var taken []vg.Rectangle
		for _, p := range paths {
			taken = append(taken, p.outline(fx, fy)...)
		}
		for _, p := range paths {
			taken = append(taken, p.dots(c, fx, fy, marks)...)
		}
		if q != nil {
			taken = append(taken, quadrantLines(c, fx, fy, q)...)
		}
		var placed []placedLabel
		var inner []float64
		if len(marks) > 2 {
			inner = marks[1 : len(marks)-1]
		}
		for _, p := range paths {
			placed = p.labels(c, fx, fy, p.ends(marks), taken, placed, vg.Points(6))
		}
		for _, l := range placed {
			taken = append(taken, l.rect)
		}
		if q != nil {
			for _, l := range quadrantLabels(c, fx, fy, q, taken) {
				// On a white ground, so that a dashed line the label
				// cannot keep clear of does not run through it.
				halo := vg.Points(2)
				c.FillPolygon(colourWhite, []vg.Point{
					{X: l.rect.Min.X - halo, Y: l.rect.Min.Y - halo}, {X: l.rect.Max.X + halo, Y: l.rect.Min.Y - halo},
					{X: l.rect.Max.X + halo, Y: l.rect.Max.Y + halo}, {X: l.rect.Min.X - halo, Y: l.rect.Max.Y + halo},
				})
				c.FillText(l.sty, l.at, l.text)
				taken = append(taken, l.rect)
			}
		}
		for _, p := range paths {
			placed = p.labels(c, fx, fy, inner, taken, placed, 0)
		}
	})
	if !data {
		pn.note = "No data"
	}
	var legend []entry
	if len(runs) > 1 || (len(runs) == 1 && runs[0].Name != "") {
		for ri, r := range runs {
			text := label(r.Name)
			if same[ri] >= 0 {
				text += " (= " + label(runs[same[ri]].Name) + ")"
			}
			legend = append(legend, entry{label: text, line: lineStyle(colour(ri), nil)})
		}
	}
	if o.Title == "" {
		o.Title = heading(y.label()) + " against " + x.label()
	}
	return &Chart{opts: o, panels: []*panel{pn}, cols: 1, legend: legend}, nil
}

// layerPath is one run's path in a phase chart.
type layerPath struct {
	times, xs, ys []float64
	sty           draw.LineStyle
}

// line draws the path and an arrowhead at its end, or a dot at its only
// point.
func (p layerPath) line(c draw.Canvas, fx, fy func(float64) vg.Length) {
	drawLine(c, fx, fy, p.xs, p.ys, p.sty)
	if head := p.arrow(fx, fy); head != nil {
		c.FillPolygon(p.sty.Color, head)
	} else if x, y, ok := p.tip(); ok {
		c.DrawGlyph(draw.GlyphStyle{Color: p.sty.Color, Radius: markRadius, Shape: draw.CircleGlyph{}}, vg.Point{X: fx(x), Y: fy(y)})
	}
}

// arrow returns the arrowhead at the tip of the path, pointing along the
// last stretch of it that is long enough to give a direction, or nil.
func (p layerPath) arrow(fx, fy func(float64) vg.Length) []vg.Point {
	var pts []vg.Point
	for i := 0; i < len(p.xs) && i < len(p.ys); i++ {
		if finite(p.xs[i]) && finite(p.ys[i]) {
			pts = append(pts, vg.Point{X: fx(p.xs[i]), Y: fy(p.ys[i])})
		}
	}
	if len(pts) < 2 {
		return nil
	}
	tip := pts[len(pts)-1]
	size := vg.Points(9)
	for i := len(pts) - 2; i >= 0; i-- {
		d := tip.Sub(pts[i])
		l := vg.Length(math.Hypot(float64(d.X), float64(d.Y)))
		if l < size/3 {
			continue
		}
		u := d.Scale(1 / l)            // along
		n := vg.Point{X: -u.Y, Y: u.X} // across
		base := tip.Sub(u.Scale(size))
		return []vg.Point{
			tip.Add(u.Scale(p.sty.Width)),
			base.Add(n.Scale(size * 0.45)),
			base.Sub(n.Scale(size * 0.45)),
		}
	}
	return nil
}

// at returns the point of the path at time t, interpolated, or false.
func (p layerPath) at(t float64) (x, y float64, ok bool) {
	if !interp.Within(p.times, t) {
		return 0, 0, false
	}
	x, y = interp.Linear(p.times, p.xs, t), interp.Linear(p.times, p.ys, t)
	return x, y, finite(x) && finite(y)
}

var markRadius = vg.Points(4)

// tip returns the last point of the path that both coordinates give.
func (p layerPath) tip() (x, y float64, ok bool) {
	for i := min(len(p.xs), len(p.ys)) - 1; i >= 0; i-- {
		if finite(p.xs[i]) && finite(p.ys[i]) {
			return p.xs[i], p.ys[i], true
		}
	}
	return 0, 0, false
}

// outline returns small boxes along the drawn path, for labels to avoid.
func (p layerPath) outline(fx, fy func(float64) vg.Length) []vg.Rectangle {
	const step = 3 // points between boxes
	r := p.sty.Width/2 + vg.Points(1)
	var out []vg.Rectangle
	var prev vg.Point
	have := false
	for i := 0; i < len(p.xs) && i < len(p.ys); i++ {
		if !finite(p.xs[i]) || !finite(p.ys[i]) {
			have = false
			continue
		}
		pt := vg.Point{X: fx(p.xs[i]), Y: fy(p.ys[i])}
		n := 1
		if have {
			d := pt.Sub(prev)
			n = max(1, min(1000, int(math.Hypot(float64(d.X), float64(d.Y))/step)))
		}
		for k := 1; k <= n; k++ {
			q := pt
			if have {
				q = prev.Add(pt.Sub(prev).Scale(vg.Length(k) / vg.Length(n)))
			}
			out = append(out, vg.Rectangle{Min: vg.Point{X: q.X - r, Y: q.Y - r}, Max: vg.Point{X: q.X + r, Y: q.Y + r}})
		}
		prev, have = pt, true
	}
	return out
}

// dots draws the marks of the path, except at its tip if an arrowhead is
// there, and returns the boxes they cover.
func (p layerPath) dots(c draw.Canvas, fx, fy func(float64) vg.Length, marks []float64) []vg.Rectangle {
	tx, ty, hasTip := p.tip()
	hasTip = hasTip && p.arrow(fx, fy) != nil
	var out []vg.Rectangle
	for _, t := range marks {
		x, y, ok := p.at(t)
		if !ok {
			continue
		}
		pt := vg.Point{X: fx(x), Y: fy(y)}
		if !c.Contains(pt) {
			continue
		}
		r := markRadius + vg.Points(1.25)
		out = append(out, vg.Rectangle{Min: vg.Point{X: pt.X - r, Y: pt.Y - r}, Max: vg.Point{X: pt.X + r, Y: pt.Y + r}})
		if hasTip && x == tx && y == ty {
			continue
		}
		c.DrawGlyph(draw.GlyphStyle{Color: colourWhite, Radius: r, Shape: draw.CircleGlyph{}}, pt)
		c.DrawGlyph(draw.GlyphStyle{Color: p.sty.Color, Radius: markRadius, Shape: draw.CircleGlyph{}}, pt)
	}
	return out
}

// ends returns the first and the last of marks at which the path has a
// point.
func (p layerPath) ends(marks []float64) []float64 {
	var have []float64
	for _, t := range marks {
		if _, _, ok := p.at(t); ok {
			have = append(have, t)
		}
	}
	if len(have) > 2 {
		have = []float64{have[0], have[len(have)-1]}
	}
	return have
}

// quadrantLines returns thin boxes along the lines that divide the
// quadrants, for labels to keep clear of.
func quadrantLines(c draw.Canvas, fx, fy func(float64) vg.Length, q *Quadrants) []vg.Rectangle {
	w := vg.Points(2)
	var out []vg.Rectangle
	if x0 := fx(q.X0); c.ContainsX(x0) {
		out = append(out, vg.Rectangle{Min: vg.Point{X: x0 - w, Y: c.Min.Y}, Max: vg.Point{X: x0 + w, Y: c.Max.Y}})
	}
	if y0 := fy(q.Y0); c.ContainsY(y0) {
		out = append(out, vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: y0 - w}, Max: vg.Point{X: c.Max.X, Y: y0 + w}})
	}
	return out
}

// placedLabel is a label written on a phase chart.
type placedLabel struct {
	text string
	at   vg.Point // the point it labels
	rect vg.Rectangle
}

// labels writes "t=…" beside the marks of the path (or up to reach
// further out) where a label fits
// without covering a line, a mark or another label, and is not a
// repeat of a label nearby (runs often start at the same point); it
// returns the labels placed so far.
func (p layerPath) labels(c draw.Canvas, fx, fy func(float64) vg.Length, marks []float64, taken []vg.Rectangle, placed []placedLabel, reach vg.Length) []placedLabel {
	sty := textStyle(noteSize, textGrey, false)
	off := markRadius + vg.Points(2)
	near := vg.Points(24)
next:
	for _, t := range marks {
		x, y, ok := p.at(t)
		if !ok {
			continue
		}
		pt := vg.Point{X: fx(x), Y: fy(y)}
		if !c.Contains(pt) {
			continue
		}
		txt := "t=" + formatValue(t)
		for _, l := range placed {
			if d := l.at.Sub(pt); l.text == txt && math.Hypot(float64(d.X), float64(d.Y)) < float64(near) {
				continue next
			}
		}
		w, h := sty.Width(txt), sty.Height(txt)
		// Beside the mark: right, left, above, below, then the corners;
		// then a little further out.
		for _, far := range []vg.Length{0, reach} {
			for _, d := range [][2]float64{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {1, -1}, {-1, 1}, {-1, -1}} {
				cx := pt.X + vg.Length(d[0])*(off+far+w/2)
				cy := pt.Y + vg.Length(d[1])*(off+far+h/2)
				r := vg.Rectangle{Min: vg.Point{X: cx - w/2, Y: cy - h/2}, Max: vg.Point{X: cx + w/2, Y: cy + h/2}}
				if !inside(r, c.Rectangle) || overlapsAny(r, taken) || overlapsLabels(r, placed) {
					continue
				}
				c.FillText(align(sty, draw.XCenter, draw.YCenter), vg.Point{X: cx, Y: cy}, txt)
				placed = append(placed, placedLabel{text: txt, at: pt, rect: r})
				continue next
			}
		}
	}
	return placed
}

func inside(r, in vg.Rectangle) bool {
	return r.Min.X >= in.Min.X && r.Max.X <= in.Max.X && r.Min.Y >= in.Min.Y && r.Max.Y <= in.Max.Y
}

func overlaps(a, b vg.Rectangle) bool {
	return a.Min.X < b.Max.X && b.Min.X < a.Max.X && a.Min.Y < b.Max.Y && b.Min.Y < a.Max.Y
}

func overlapsAny(r vg.Rectangle, rs []vg.Rectangle) bool {
	for _, o := range rs {
		if overlaps(r, o) {
			return true
		}
	}
	return false
}

func overlapsLabels(r vg.Rectangle, ls []placedLabel) bool {
	for _, l := range ls {
		if overlaps(r, l.rect) {
			return true
		}
	}
	return false
}

// quadrantLabel is a quadrant's label and where it goes.
type quadrantLabel struct {
	text string
	at   vg.Point
	sty  text.Style
	rect vg.Rectangle
}

// quadrantLabels places the labels of the quadrants: each in the outer
// corner of its quadrant or, if a path or a mark is there, as near to the
// corner as it covers none.
func quadrantLabels(c draw.Canvas, fx, fy func(float64) vg.Length, q *Quadrants, taken []vg.Rectangle) []quadrantLabel {
	sty := align(italic(textStyle(labelSize, softGrey, false)), draw.XLeft, draw.YBottom)
	pad := vg.Points(6)
	x0 := max(c.Min.X, min(c.Max.X, fx(q.X0)))
	y0 := max(c.Min.Y, min(c.Max.Y, fy(q.Y0)))
	var out []quadrantLabel
	for _, l := range []struct {
		s          string
		right, top bool // the quadrant
	}{
		{q.TopLeft, false, true}, {q.TopRight, true, true},
		{q.BottomLeft, false, false}, {q.BottomRight, true, false},
	} {
		if l.s == "" {
			continue
		}
		// The quadrant, less a margin, and the label's size.
		area := vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: c.Min.Y}, Max: vg.Point{X: x0, Y: y0}}
		if l.right {
			area.Min.X, area.Max.X = x0, c.Max.X
		}
		if l.top {
			area.Min.Y, area.Max.Y = y0, c.Max.Y
		}
		area = vg.Rectangle{Min: vg.Point{X: area.Min.X + pad, Y: area.Min.Y + pad}, Max: vg.Point{X: area.Max.X - pad, Y: area.Max.Y - pad}}
		w, h := sty.Width(l.s), sty.Height(l.s)
		// box returns the label's box moved i steps in from the corner
		// across and j steps up or down.
		stepX, stepY := w/4, h/2
		box := func(i, j int) vg.Rectangle {
			x := area.Min.X + vg.Length(i)*stepX
			if l.right {
				x = area.Max.X - w - vg.Length(i)*stepX
			}
			y := area.Min.Y + vg.Length(j)*stepY
			if l.top {
				y = area.Max.Y - h - vg.Length(j)*stepY
			}
			return vg.Rectangle{Min: vg.Point{X: x, Y: y}, Max: vg.Point{X: x + w, Y: y + h}}
		}
		best := box(0, 0)
	search:
		for d := 0; d < 24; d++ {
			for i := 0; i <= d; i++ {
				r := box(i, d-i)
				if inside(r, area) && !overlapsAny(r, taken) {
					best = r
					break search
				}
			}
		}
		out = append(out, quadrantLabel{text: l.s, at: best.Min, sty: sty, rect: best})
	}
	return out
}

// drawQuadrants draws the lines that divide the quadrants.
func drawQuadrants(c draw.Canvas, fx, fy func(float64) vg.Length, q *Quadrants) {
	sty := draw.LineStyle{Color: axisGrey, Width: vg.Points(1.25), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
	x0, y0 := fx(q.X0), fy(q.Y0)
	if c.ContainsX(x0) {
		c.StrokeLine2(sty, x0, c.Min.Y, x0, c.Max.Y)
	}
	if c.ContainsY(y0) {
		c.StrokeLine2(sty, c.Min.X, y0, c.Max.X, y0)
	}
}
