package chart

import (
	"fmt"
	"image/color"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// CLD is a causal loop diagram: variables, the links between them with
// their polarities, and the feedback loops they close.
type CLD struct {
	Nodes []CLDNode
	Links []CLDLink
	// Loops are drawn as a marker inside each: a circular arrow turning
	// the way the loop does, its kind (R, B or U) and its label.
	Loops []CLDLoop
}

// CLDNode is a variable of a causal loop diagram; a stock is drawn in a
// box.
type CLDNode struct {
	Name  string
	Label string // shown instead of Name when set (the model's label:)
	Stock bool
}

// text is how the diagram shows a node.
func (nd CLDNode) text() string {
	if nd.Label != "" {
		return nd.Label
	}
	return label(nd.Name)
}

// CLDLink is a link of a causal loop diagram, from node From to node To,
// with its polarity "+", "-", "?" or "±" (a link whose sign a run saw
// change).
type CLDLink struct {
	From, To int
	Polarity string
}

// CLDLoop is a feedback loop of a causal loop diagram: its label, its kind
// ("R", "B", "U", or for a loop whose polarity changes in a run the order
// of its phases, "R→B") and its nodes in the direction of causation.
type CLDLoop struct {
	Label, Kind string
	Nodes       []int
}

// CLDOf is the causal loop diagram of some loops of a graph: their
// variables (a factor the graph shows as a variable by its formula), their
// links (with the polarities the loops give them, which a
// run may have decided), and the loops. The copies of a loop through the
// elements of an array that are among the loops are drawn as one loop,
// R1[segment] through customers[segment] (see loops.Loop.Family).
func CLDOf(g *loops.Graph, ls []*loops.Loop) CLD {
	var d CLD
	index := make(map[string]int)
	stock := make(map[string]bool)
	labels := make(map[string]string)
	for _, v := range g.Model().Vars {
		stock[model.Canonical(v.Name)] = v.Kind == model.Stock
		labels[model.Canonical(v.Name)] = v.Label
	}
	// A factor of an equation shown as a variable goes by its formula.
	shown := make(map[string]string)
	for _, im := range g.Implicit() {
		shown[model.Canonical(im.Name)] = "(" + im.Factor + ")"
	}
	// node is the diagram's node for a variable shown as name, which is
	// the element elem of an array (or the variable elem itself).
	node := func(name, elem string) int {
		c := model.Canonical(name)
		if i, ok := index[c]; ok {
			return i
		}
		index[c] = len(d.Nodes)
		e := model.Canonical(elem)
		lbl := labels[e]
		if s, ok := shown[e]; ok {
			name, lbl = s, ""
		}
		if k := strings.IndexByte(name, '['); k > 0 && lbl != "" {
			lbl += label(name[k:]) // CS allocation[mid market]
		}
		d.Nodes = append(d.Nodes, CLDNode{Name: name, Label: lbl, Stock: stock[e]})
		return len(d.Nodes) - 1
	}
	links := make(map[[2]int]int)
	drawn := make(map[string]bool)
	for _, l := range ls {
		// The copies of a loop through the elements of an array are
		// drawn once, with the dimension: customers[segment].
		id, vars := l.Family(ls)
		name := l.Label()
		if id != l.ID {
			if drawn[id] {
				continue
			}
			drawn[id] = true
			if l.Name == "" {
				name = id
			}
		}
		cl := CLDLoop{Label: name, Kind: l.KindText()}
		for i, v := range vars {
			cl.Nodes = append(cl.Nodes, node(v, l.Variables[i]))
		}
		for k := range cl.Nodes {
			key := [2]int{cl.Nodes[k], cl.Nodes[(k+1)%len(cl.Nodes)]}
			pol := l.LinkSign(k)
			if i, ok := links[key]; ok {
				if d.Links[i].Polarity != pol {
					d.Links[i].Polarity = "?"
				}
				continue
			}
			links[key] = len(d.Links)
			d.Links = append(d.Links, CLDLink{From: key[0], To: key[1], Polarity: pol})
		}
		d.Loops = append(d.Loops, cl)
	}
	return d
}

// Sizes of a causal loop diagram, in points.
const (
	cldNodeSize   = 12  // variable names
	cldSignSize   = 15  // + and − at the heads of links
	cldMarkerSize = 13  // R and B
	cldLabelSize  = 10  // loop labels under their markers
	cldMarkerR    = 12  // radius of a loop marker's circular arrow
	cldEdge       = 110 // length of a link between two variables, before overlaps are removed
	cldPad        = 10  // space kept around a variable's name
)

// LoopDiagram draws a causal loop diagram: the variables placed by stress
// majorisation (links of one step as long as each other, two steps twice
// as long) with overlaps removed, curved links bowing away from the middle
// of their loop with + or − at their heads, stocks boxed, and each loop's
// marker inside it. The size is chosen to fit unless the options give one.
func LoopDiagram(d CLD, o Options) (*Chart, error) {
	for _, l := range d.Links {
		if l.From < 0 || l.From >= len(d.Nodes) || l.To < 0 || l.To >= len(d.Nodes) {
			return nil, fmt.Errorf("chart: link %d -> %d of a diagram of %d variables", l.From, l.To, len(d.Nodes))
		}
	}
	for _, l := range d.Loops {
		for _, n := range l.Nodes {
			if n < 0 || n >= len(d.Nodes) {
				return nil, fmt.Errorf("chart: loop %q names variable %d of a diagram of %d", l.Label, n, len(d.Nodes))
			}
		}
	}
	if len(d.Nodes) == 0 {
		return nil, fmt.Errorf("chart: a causal loop diagram of no variables")
	}
	lay := layoutCLD(d)
	c := &Chart{opts: o}
	w, h := lay.max.X-lay.min.X, lay.max.Y-lay.min.Y
	if o.Width == 0 {
		c.opts.Width = math.Max(4, float64(w+2*margin)/float64(vg.Inch))
	}
	if o.Height == 0 {
		head := vg.Length(0)
		if o.Title != "" {
			head += textStyle(titleSize, ink, true).Height("A") + titleGap
		}
		if o.Subtitle != "" {
			head += textStyle(subtitleSize, ink, false).Height("A") + titleGap
		}
		if head > 0 {
			head += headGap
		}
		c.opts.Height = math.Max(3, float64(h+head+2*margin)/float64(vg.Inch))
	}
	c.custom = func(area draw.Canvas) { lay.draw(area, d) }
	return c, nil
}

// cldLayout is where a diagram's parts go, in points.
type cldLayout struct {
	pos      []vg.Point
	size     []vg.Point // half width and half height of each node's box
	bend     []float64  // per link: the signed offset of its control point, left of its direction
	markers  []vg.Point
	turn     []float64 // per loop: +1 anticlockwise, −1 clockwise
	min, max vg.Point  // bounds of everything drawn
}

func nodeStyle() text.Style {
	return align(textStyle(cldNodeSize, ink, false), draw.XCenter, draw.YCenter)
}

func layoutCLD(d CLD) *cldLayout {
	n := len(d.Nodes)
	lay := &cldLayout{pos: make([]vg.Point, n), size: make([]vg.Point, n)}
	sty := nodeStyle()
	for i, nd := range d.Nodes {
		w := sty.Width(nd.text())
		h := sty.Height(nd.text())
		lay.size[i] = vg.Point{X: w/2 + cldPad, Y: h/2 + cldPad*0.6}
	}

	// Graph distances over the links, both ways.
	adj := make([][]int, n)
	for _, l := range d.Links {
		if l.From != l.To {
			adj[l.From] = append(adj[l.From], l.To)
			adj[l.To] = append(adj[l.To], l.From)
		}
	}
	dist := make([][]float64, n)
	far := 0.0
	for s := range dist {
		dist[s] = make([]float64, n)
		for j := range dist[s] {
			dist[s][j] = -1
		}
		dist[s][s] = 0
		queue := []int{s}
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			for _, w := range adj[v] {
				if dist[s][w] < 0 {
					dist[s][w] = dist[s][v] + 1
					far = math.Max(far, dist[s][w])
					queue = append(queue, w)
				}
			}
		}
	}
	// Parts that no link joins sit side by side, loosely held.
	apart := make([][]bool, n)
	for s := range dist {
		apart[s] = make([]bool, n)
		for j := range dist[s] {
			if dist[s][j] < 0 {
				dist[s][j] = math.Max(2, far/2+1)
				apart[s][j] = true
			}
		}
	}

	// Start on a circle, in the order the loops visit the variables, so
	// that each loop starts out round; then stress majorisation.
	var order []int
	seen := make([]bool, n)
	for _, l := range d.Loops {
		for _, v := range l.Nodes {
			if !seen[v] {
				seen[v] = true
				order = append(order, v)
			}
		}
	}
	for v := range seen {
		if !seen[v] {
			order = append(order, v)
		}
	}
	x, y := make([]float64, n), make([]float64, n)
	radius := cldEdge * float64(n) / (2 * math.Pi)
	for k, v := range order {
		a := 2 * math.Pi * float64(k) / float64(n)
		x[v], y[v] = radius*math.Cos(a), radius*math.Sin(a)
	}
	for iter := 0; iter < 300; iter++ {
		for i := 0; i < n; i++ {
			var sx, sy, sw float64
			for j := 0; j < n; j++ {
				if i == j {
					continue
				}
				dij := dist[i][j] * cldEdge
				w := 1 / (dij * dij)
				if apart[i][j] {
					continue
				}
				dx, dy := x[i]-x[j], y[i]-y[j]
				r := math.Hypot(dx, dy)
				if r < 1e-9 {
					dx, dy, r = 1e-3*float64(i-j), 1e-3, math.Hypot(1e-3*float64(i-j), 1e-3)
				}
				sx += w * (x[j] + dij*dx/r)
				sy += w * (y[j] + dij*dy/r)
				sw += w
			}
			if sw > 0 {
				x[i], y[i] = sx/sw, sy/sw
			}
		}
	}

	// Parts that no link joins go side by side, left to right, in the
	// order of their first variables, centred on one line.
	comp := make([]int, n)
	for i := range comp {
		comp[i] = -1
	}
	ncomp := 0
	for _, v := range order {
		if comp[v] >= 0 {
			continue
		}
		for j := 0; j < n; j++ {
			if !apart[v][j] {
				comp[j] = ncomp
			}
		}
		ncomp++
	}
	if ncomp > 1 {
		left := 0.0
		for c := 0; c < ncomp; c++ {
			lo, hi := math.Inf(1), math.Inf(-1)
			ylo, yhi := math.Inf(1), math.Inf(-1)
			for i := 0; i < n; i++ {
				if comp[i] == c {
					lo, hi = math.Min(lo, x[i]-float64(lay.size[i].X)), math.Max(hi, x[i]+float64(lay.size[i].X))
					ylo, yhi = math.Min(ylo, y[i]), math.Max(yhi, y[i])
				}
			}
			for i := 0; i < n; i++ {
				if comp[i] == c {
					x[i] += left - lo
					y[i] -= (ylo + yhi) / 2
				}
			}
			left += hi - lo + 2*cldEdge/3
		}
	}

	// Remove overlaps of the boxes, with room between them for links.
	// A loop of two needs room for its marker between its variables.
	both := make(map[[2]int]bool)
	for _, l := range d.Links {
		both[[2]int{l.From, l.To}] = true
	}
	for iter := 0; iter < 200; iter++ {
		moved := false
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				gap := 26.0
				if both[[2]int{i, j}] && both[[2]int{j, i}] {
					gap = 4*cldMarkerR + 20
				}
				ox := float64(lay.size[i].X+lay.size[j].X) + gap - math.Abs(x[i]-x[j])
				oy := float64(lay.size[i].Y+lay.size[j].Y) + gap - math.Abs(y[i]-y[j])
				if ox <= 0 || oy <= 0 {
					continue
				}
				moved = true
				// Push apart along the axis that needs the least.
				if ox < oy {
					s := math.Copysign(ox/2+0.5, x[i]-x[j]+1e-9*float64(j-i))
					x[i] += s
					x[j] -= s
				} else {
					s := math.Copysign(oy/2+0.5, y[i]-y[j]+1e-9*float64(j-i))
					y[i] += s
					y[j] -= s
				}
			}
		}
		if !moved {
			break
		}
	}
	for i := range lay.pos {
		lay.pos[i] = vg.Point{X: vg.Length(x[i]), Y: vg.Length(y[i])}
	}

	// Each link bows away from the middle of the largest loop it is on;
	// a link of a loop of two, the other way from its partner.
	lay.bend = make([]float64, len(d.Links))
	linkOf := make(map[[2]int]int)
	for i, l := range d.Links {
		linkOf[[2]int{l.From, l.To}] = i
	}
	best := make([]int, len(d.Links))
	for i := range best {
		best[i] = -1
	}
	lay.markers = make([]vg.Point, len(d.Loops))
	lay.turn = make([]float64, len(d.Loops))
	for k, l := range d.Loops {
		var cx, cy, area float64
		for _, v := range l.Nodes {
			cx += x[v] / float64(len(l.Nodes))
			cy += y[v] / float64(len(l.Nodes))
		}
		_ = area
		lay.markers[k] = vg.Point{X: vg.Length(cx), Y: vg.Length(cy)}
		for a := range l.Nodes {
			i, ok := linkOf[[2]int{l.Nodes[a], l.Nodes[(a+1)%len(l.Nodes)]}]
			if !ok || len(l.Nodes) < 3 || best[i] >= 0 && len(d.Loops[best[i]].Nodes) >= len(l.Nodes) {
				continue
			}
			best[i] = k
			f, t := l.Nodes[a], l.Nodes[(a+1)%len(l.Nodes)]
			// Left of the direction f → t is (−dy, dx); the centre
			// is on the left when the cross product is positive.
			dx, dy := x[t]-x[f], y[t]-y[f]
			cross := dx*(cy-y[f]) - dy*(cx-x[f])
			length := math.Hypot(dx, dy)
			off := 0.22 * length
			if cross > 0 {
				off = -off
			}
			lay.bend[i] = off
		}
	}
	for i, l := range d.Links {
		if best[i] >= 0 {
			continue
		}
		length := math.Hypot(x[l.To]-x[l.From], y[l.To]-y[l.From])
		off := math.Max(0.25*length, 2.4*cldMarkerR)
		if r, ok := linkOf[[2]int{l.To, l.From}]; ok && best[r] >= 0 {
			// The partner bows away from a larger loop: this link goes
			// round the same side, further out, so that the loop of
			// two lies outside the larger one.
			off = -lay.bend[r] - math.Copysign(4.2*cldMarkerR, lay.bend[r])
		}
		lay.bend[i] = off
	}
	// A loop's marker starts at the mean of the middles of its links'
	// curves: inside the lens of a loop of two, near the middle of a
	// larger one.
	for k, l := range d.Loops {
		var mx, my vg.Length
		cnt := 0
		for a := range l.Nodes {
			i, ok := linkOf[[2]int{l.Nodes[a], l.Nodes[(a+1)%len(l.Nodes)]}]
			if !ok {
				continue
			}
			m := bezier(vg.Point{X: vg.Length(x[d.Links[i].From]), Y: vg.Length(y[d.Links[i].From])},
				lay.controlAt(x, y, d.Links[i], i),
				vg.Point{X: vg.Length(x[d.Links[i].To]), Y: vg.Length(y[d.Links[i].To])}, 0.5)
			mx += m.X
			my += m.Y
			cnt++
		}
		if cnt > 0 {
			lay.markers[k] = vg.Point{X: mx / vg.Length(cnt), Y: my / vg.Length(cnt)}
		}
		// The way the loop turns: the sign of the area of the polygon
		// through its variables and the middles of its links' curves.
		var poly []vg.Point
		for a := range l.Nodes {
			f, t := l.Nodes[a], l.Nodes[(a+1)%len(l.Nodes)]
			p := vg.Point{X: vg.Length(x[f]), Y: vg.Length(y[f])}
			poly = append(poly, p)
			if i, ok := linkOf[[2]int{f, t}]; ok {
				poly = append(poly, bezier(p, lay.control(d.Links[i], i), vg.Point{X: vg.Length(x[t]), Y: vg.Length(y[t])}, 0.5))
			}
		}
		area := 0.0
		for a := range poly {
			p, q := poly[a], poly[(a+1)%len(poly)]
			area += float64(p.X*q.Y - q.X*p.Y)
		}
		lay.turn[k] = 1
		if area < 0 {
			lay.turn[k] = -1
		}
	}

	// Markers of loops: inside each loop, kept clear of the variables
	// and of each other, label included. A marker's box is centred
	// below the marker's centre by half its label's height.
	lsty := textStyle(cldLabelSize, softGrey, false)
	mhalf := make([]vg.Point, len(d.Loops))
	for k, l := range d.Loops {
		lh := lsty.Height("A")
		mhalf[k] = vg.Point{X: max(cldMarkerR+2, lsty.Width(label(l.Label))/2+2), Y: (2*cldMarkerR + lh + 5) / 2}
	}
	mcentre := func(k int) vg.Point {
		return vg.Point{X: lay.markers[k].X, Y: lay.markers[k].Y - (mhalf[k].Y - cldMarkerR - 2)}
	}
	clear := func(k int, at vg.Point, placed []int) bool {
		mc := vg.Point{X: at.X, Y: at.Y - (mhalf[k].Y - cldMarkerR - 2)}
		for i := range lay.pos {
			if math.Abs(float64(mc.X-lay.pos[i].X)) < float64(mhalf[k].X+lay.size[i].X)+3 &&
				math.Abs(float64(mc.Y-lay.pos[i].Y)) < float64(mhalf[k].Y+lay.size[i].Y)+3 {
				return false
			}
		}
		for _, j := range placed {
			o := mcentre(j)
			if math.Abs(float64(mc.X-o.X)) < float64(mhalf[k].X+mhalf[j].X)+4 &&
				math.Abs(float64(mc.Y-o.Y)) < float64(mhalf[k].Y+mhalf[j].Y)+4 {
				return false
			}
		}
		return true
	}
	// Each marker in turn takes the free spot nearest where it starts,
	// searched on rings 4 pt apart.
	var placed []int
	for k := range lay.markers {
		start := lay.markers[k]
	search:
		for r := 0.0; r <= 400; r += 4 {
			steps := max(1, int(2*math.Pi*r/8))
			for a := 0; a < steps; a++ {
				ang := 2 * math.Pi * float64(a) / float64(steps)
				at := vg.Point{X: start.X + vg.Length(r*math.Cos(ang)), Y: start.Y + vg.Length(r*math.Sin(ang))}
				if clear(k, at, placed) {
					lay.markers[k] = at
					break search
				}
			}
		}
		placed = append(placed, k)
	}

	// Bounds: boxes, link bows and markers with their labels.
	lay.min = vg.Point{X: vg.Length(math.Inf(1)), Y: vg.Length(math.Inf(1))}
	lay.max = vg.Point{X: vg.Length(math.Inf(-1)), Y: vg.Length(math.Inf(-1))}
	grow := func(p vg.Point, hx, hy vg.Length) {
		lay.min.X, lay.min.Y = min(lay.min.X, p.X-hx), min(lay.min.Y, p.Y-hy)
		lay.max.X, lay.max.Y = max(lay.max.X, p.X+hx), max(lay.max.Y, p.Y+hy)
	}
	for i, p := range lay.pos {
		grow(p, lay.size[i].X, lay.size[i].Y)
	}
	for i, l := range d.Links {
		grow(bezier(lay.pos[l.From], lay.control(l, i), lay.pos[l.To], 0.5), 4, 4)
	}
	for k, m := range lay.markers {
		grow(m, max(cldMarkerR+2, lsty.Width(label(d.Loops[k].Label))/2), cldMarkerR+2+lsty.Height("A")+2)
	}
	return lay
}

// controlAt is control with the nodes at x, y.
func (lay *cldLayout) controlAt(x, y []float64, l CLDLink, i int) vg.Point {
	saved := lay.pos
	lay.pos = []vg.Point{{X: vg.Length(x[l.From]), Y: vg.Length(y[l.From])}, {X: vg.Length(x[l.To]), Y: vg.Length(y[l.To])}}
	defer func() { lay.pos = saved }()
	return lay.control(CLDLink{From: 0, To: 1}, i)
}

// control is the control point of link i's quadratic Bézier curve.
func (lay *cldLayout) control(l CLDLink, i int) vg.Point {
	p, q := lay.pos[l.From], lay.pos[l.To]
	dx, dy := float64(q.X-p.X), float64(q.Y-p.Y)
	r := math.Hypot(dx, dy)
	if r == 0 {
		return p
	}
	// Left of the direction is (−dy, dx); the control point is twice
	// the curve's offset at its middle.
	off := 2 * lay.bend[i]
	return vg.Point{X: (p.X+q.X)/2 + vg.Length(-dy/r*off), Y: (p.Y+q.Y)/2 + vg.Length(dx/r*off)}
}

// bezier is the point at t of the quadratic Bézier curve p, c, q.
func bezier(p, c, q vg.Point, t float64) vg.Point {
	a, b, e := (1-t)*(1-t), 2*(1-t)*t, t*t
	return vg.Point{X: vg.Length(a)*p.X + vg.Length(b)*c.X + vg.Length(e)*q.X, Y: vg.Length(a)*p.Y + vg.Length(b)*c.Y + vg.Length(e)*q.Y}
}

// inBox reports whether pt lies within node i's box.
func (lay *cldLayout) inBox(i int, pt vg.Point) bool {
	return math.Abs(float64(pt.X-lay.pos[i].X)) <= float64(lay.size[i].X)-cldPad/2 &&
		math.Abs(float64(pt.Y-lay.pos[i].Y)) <= float64(lay.size[i].Y)-cldPad/4
}

var (
	cldLink     = rgb(0x55, 0x55, 0x55)
	cldPositive = rgb(0x00, 0x5A, 0x9C)
	cldNegative = rgb(0xC0, 0x39, 0x00)
	cldChanging = rgb(0x6A, 0x3D, 0x9A) // loops whose polarity changes in a run, and their changing links
	cldStockBox = rgb(0x99, 0x99, 0x99)
)

func (lay0 *cldLayout) draw(area draw.Canvas, d CLD) {
	// Drawing moves the parts into the area: work on a copy, so that the
	// chart can be written more than once.
	lay := *lay0
	lay.pos = append([]vg.Point(nil), lay0.pos...)
	lay.markers = append([]vg.Point(nil), lay0.markers...)
	lay.bend = append([]float64(nil), lay0.bend...)
	// Centre the layout in the area, squeezed if it must be.
	w, h := lay.max.X-lay.min.X, lay.max.Y-lay.min.Y
	aw, ah := area.Max.X-area.Min.X, area.Max.Y-area.Min.Y
	scale := math.Min(1, math.Min(float64(aw/w), float64(ah/h)))
	mid := vg.Point{X: (lay.min.X + lay.max.X) / 2, Y: (lay.min.Y + lay.max.Y) / 2}
	amid := vg.Point{X: (area.Min.X + area.Max.X) / 2, Y: (area.Min.Y + area.Max.Y) / 2}
	at := func(p vg.Point) vg.Point {
		return vg.Point{X: amid.X + vg.Length(scale)*(p.X-mid.X), Y: amid.Y + vg.Length(scale)*(p.Y-mid.Y)}
	}
	for i := range lay.pos {
		lay.pos[i] = at(lay.pos[i])
	}
	for k := range lay.markers {
		lay.markers[k] = at(lay.markers[k])
	}
	for i := range lay.bend {
		lay.bend[i] *= scale
	}

	// Links under everything.
	lineSty := draw.LineStyle{Color: cldLink, Width: vg.Points(1.4)}
	signSty := align(textStyle(cldSignSize, cldPositive, true), draw.XCenter, draw.YCenter)
	const steps = 64
	for i, l := range d.Links {
		if l.From == l.To {
			continue
		}
		p, q := lay.pos[l.From], lay.pos[l.To]
		c := lay.control(l, i)
		t0, t1 := 0.0, 1.0
		for s := 0; s <= steps && lay.inBox(l.From, bezier(p, c, q, float64(s)/steps)); s++ {
			t0 = float64(s) / steps
		}
		for s := steps; s >= 0 && lay.inBox(l.To, bezier(p, c, q, float64(s)/steps)); s-- {
			t1 = float64(s) / steps
		}
		if t1 <= t0 {
			continue
		}
		var pts []vg.Point
		for s := 0; s <= steps; s++ {
			pts = append(pts, bezier(p, c, q, t0+(t1-t0)*float64(s)/steps))
		}
		tip := pts[len(pts)-1]
		back := pts[len(pts)-1]
		for k := len(pts) - 1; k >= 0; k-- {
			if math.Hypot(float64(tip.X-pts[k].X), float64(tip.Y-pts[k].Y)) >= 9 {
				back = pts[k]
				break
			}
		}
		dx, dy := float64(tip.X-back.X), float64(tip.Y-back.Y)
		r := math.Hypot(dx, dy)
		if r == 0 {
			continue
		}
		ux, uy := dx/r, dy/r
		// The shaft stops at the arrowhead's base.
		shaft := pts[:len(pts)-1]
		for len(shaft) > 1 {
			e := shaft[len(shaft)-1]
			if math.Hypot(float64(tip.X-e.X), float64(tip.Y-e.Y)) >= 8 {
				break
			}
			shaft = shaft[:len(shaft)-1]
		}
		shaft = append(shaft, vg.Point{X: tip.X - vg.Length(8*ux), Y: tip.Y - vg.Length(8*uy)})
		area.StrokeLines(lineSty, shaft)
		head := []vg.Point{
			tip,
			{X: tip.X - vg.Length(10*ux-4*uy), Y: tip.Y - vg.Length(10*uy+4*ux)},
			{X: tip.X - vg.Length(10*ux+4*uy), Y: tip.Y - vg.Length(10*uy-4*ux)},
		}
		area.FillPolygon(cldLink, head)
		// The sign sits beside the head, on the outer side of the bow.
		side := 1.0 // left of the direction
		if lay.bend[i] < 0 {
			side = -1
		}
		s := vg.Point{X: tip.X - vg.Length(15*ux) + vg.Length(-uy*10*side), Y: tip.Y - vg.Length(15*uy) + vg.Length(ux*10*side)}
		sty := signSty
		sign := l.Polarity
		switch sign {
		case "-":
			sty.Color = cldNegative
			sign = "−"
		case "+":
		case "±":
			sty.Color = cldChanging
		default:
			sty.Color = softGrey
			sign = "?"
		}
		area.FillText(sty, s, sign)
	}

	// Loop markers: a circular arrow turning the loop's way around its
	// letter, and the loop's label under it.
	for k, l := range d.Loops {
		m := lay.markers[k]
		col := softGrey
		switch l.Kind {
		case "R":
			col = cldPositive
		case "B":
			col = cldNegative
		default:
			if utf8.RuneCountInString(l.Kind) > 1 {
				col = cldChanging
			}
		}
		const r = cldMarkerR
		turn := lay.turn[k]
		var arc []vg.Point
		start := math.Pi / 2
		for s := 0; s <= 40; s++ {
			a := start + turn*(0.15+1.6*float64(s)/40)*math.Pi
			arc = append(arc, vg.Point{X: m.X + vg.Length(r*math.Cos(a)), Y: m.Y + vg.Length(r*math.Sin(a))})
		}
		halo := func(r vg.Rectangle) {
			area.FillPolygon(color.NRGBA{R: 255, G: 255, B: 255, A: 210}, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
		}
		halo(vg.Rectangle{Min: vg.Point{X: m.X - r - 2, Y: m.Y - r - 2}, Max: vg.Point{X: m.X + r + 2, Y: m.Y + r + 2}})
		lsty := align(textStyle(cldLabelSize, softGrey, false), draw.XCenter, draw.YTop)
		lw, lh := lsty.Width(label(l.Label)), lsty.Height(label(l.Label))
		halo(vg.Rectangle{Min: vg.Point{X: m.X - lw/2 - 1, Y: m.Y - r - 3 - lh}, Max: vg.Point{X: m.X + lw/2 + 1, Y: m.Y - r - 2}})
		area.StrokeLines(draw.LineStyle{Color: col, Width: vg.Points(1.3)}, arc)
		// Arrowhead at the end of the arc, along its tangent.
		end := start + turn*1.75*math.Pi
		tip := vg.Point{X: m.X + vg.Length(r*math.Cos(end)), Y: m.Y + vg.Length(r*math.Sin(end))}
		tx, ty := -math.Sin(end)*turn, math.Cos(end)*turn
		area.FillPolygon(col, []vg.Point{
			tip,
			{X: tip.X - vg.Length(6*tx-3*ty), Y: tip.Y - vg.Length(6*ty+3*tx)},
			{X: tip.X - vg.Length(6*tx+3*ty), Y: tip.Y - vg.Length(6*ty-3*tx)},
		})
		size := float64(cldMarkerSize)
		if n := utf8.RuneCountInString(l.Kind); n > 1 {
			size = min(size, cldMarkerSize*2.2/float64(n)) // R→B inside the circle
		}
		area.FillText(align(textStyle(size, col, true), draw.XCenter, draw.YCenter), m, l.Kind)
		area.FillText(lsty, vg.Point{X: m.X, Y: m.Y - r - 3}, label(l.Label))
	}
	// Variables: names, stocks boxed.
	sty := nodeStyle()
	for i, nd := range d.Nodes {
		p := lay.pos[i]
		if nd.Stock {
			hw, hh := lay.size[i].X-cldPad/2, lay.size[i].Y-cldPad/4
			box := []vg.Point{{X: p.X - hw, Y: p.Y - hh}, {X: p.X + hw, Y: p.Y - hh}, {X: p.X + hw, Y: p.Y + hh}, {X: p.X - hw, Y: p.Y + hh}}
			area.FillPolygon(color.White, box)
			area.StrokeLines(draw.LineStyle{Color: cldStockBox, Width: vg.Points(1)}, append(box, box[0]))
		}
		area.FillText(sty, p, nd.text())
	}

}
