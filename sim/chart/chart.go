package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Options are the settings common to every chart. The zero value gives a
// chart of the default size with titles and labels taken from the data.
type Options struct {
	// Title is the chart's title; a chart kind without a natural one has
	// none when it is empty. Subtitle goes under the title, in grey.
	Title, Subtitle string
	// Scenario names the scenario a loop-dominance chart shows, in its
	// subtitle. Charts of runs and bands name theirs themselves: in the
	// legend, or in the subtitle when there is one.
	Scenario string
	// TimeUnits label the time axis: "Time (month)".
	TimeUnits string
	// XLabel and YLabel replace the labels the chart gives its axes.
	XLabel, YLabel string
	// Columns is the number of panels per row of SmallMultiples; 0
	// chooses.
	Columns int
	// Marks are the times Phase marks on each path with a dot and a
	// label. Nil marks about five round times; an empty slice marks none.
	Marks []float64
	// Quadrants, when set, divides a Phase chart into four labelled
	// quadrants.
	Quadrants *Quadrants
	// Width and Height are the size in inches (default 8×5), and DPI the
	// resolution of PNG images (default 150).
	Width, Height float64
	DPI           int

	allVars []Var // every variable of the chart, for runs that coincide
}

// naming returns the options with the subtitle naming scenario, for a
// chart whose legend does not.
func (o Options) naming(scenario string) Options {
	if scenario = label(scenario); scenario == "" {
		return o
	}
	sub := "Scenario: " + scenario
	if o.Subtitle != "" {
		sub = o.Subtitle + " · " + sub
	}
	o.Subtitle = sub
	return o
}

// Format is an image file format.
type Format int

// The formats a chart can be written in.
const (
	PNG Format = iota + 1
	SVG
	PDF
)

func (f Format) String() string {
	switch f {
	case PNG:
		return "png"
	case SVG:
		return "svg"
	case PDF:
		return "pdf"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// FormatOf returns the format a file name's extension asks for: .png,
// .svg or .pdf, in any case.
func FormatOf(path string) (Format, error) {
	switch ext := filepath.Ext(path); strings.ToLower(ext) {
	case ".png":
		return PNG, nil
	case ".svg":
		return SVG, nil
	case ".pdf":
		return PDF, nil
	default:
		if ext == "" {
			return 0, fmt.Errorf("chart: %s has no extension (expected .png, .svg or .pdf)", path)
		}
		return 0, fmt.Errorf("chart: unknown image format %q (expected .png, .svg or .pdf)", ext)
	}
}

// Chart is a figure ready to be written: a title, a grid of panels and a
// legend under them.
type Chart struct {
	opts   Options
	panels []*panel // nil for an empty cell of the grid
	cols   int
	legend []entry
	// custom, when set, draws the whole area under the titles (a causal
	// loop diagram) instead of panels.
	custom func(area draw.Canvas)
}

// Resize sets the chart's size in inches and the resolution of its PNG
// image; a zero leaves the setting as it was.
func (c *Chart) Resize(width, height float64, dpi int) {
	if width > 0 && height > 0 {
		c.opts.Width, c.opts.Height = width, height
	}
	if dpi > 0 {
		c.opts.DPI = dpi
	}
}

// Save writes the chart to a file in the format its extension names. The
// file is written only once the image is complete.
func (c *Chart) Save(path string) error {
	f, err := FormatOf(path)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := c.Write(&buf, f); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// maxPixels bounds the size of a PNG image.
const maxPixels = 1 << 27

// Write writes the chart in the given format.
func (c *Chart) Write(w io.Writer, f Format) error {
	if err := c.check(); err != nil {
		return err
	}
	width, height, dpi := c.size()
	var cw vg.CanvasWriterTo
	switch f {
	case PNG:
		if px := width.Dots(float64(dpi)) * height.Dots(float64(dpi)); px > maxPixels {
			return fmt.Errorf("chart: a %.4g×%.4g in image at %d dpi is too large", width/vg.Inch, height/vg.Inch, dpi)
		}
		cw = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi))}
	case SVG:
		cw = vgsvg.New(width, height)
	case PDF:
		cw = pdfCanvas{vgpdf.New(width, height)}
	default:
		return fmt.Errorf("chart: unknown format %v", f)
	}
	c.render(draw.New(cw))
	if f != SVG {
		_, err := cw.WriteTo(w)
		return err
	}
	// An SVG names the Liberation fonts it was laid out with; a viewer
	// without them should fall back on Arial, which has the same metrics.
	var buf bytes.Buffer
	if _, err := cw.WriteTo(&buf); err != nil {
		return err
	}
	out := bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
	_, err := w.Write(out)
	return err
}

func (c *Chart) size() (w, h vg.Length, dpi int) {
	wi, hi := c.opts.Width, c.opts.Height
	if !(wi > 0) || math.IsInf(wi, 0) {
		wi = defaultWidth
		// A grid of many columns makes the chart wider, so that each
		// panel keeps a readable width.
		if need := float64(c.gridWidth(minTileW) / vg.Inch); need > wi {
			wi = math.Ceil(need*4) / 4
		}
	}
	if !(hi > 0) || math.IsInf(hi, 0) {
		hi = defaultHeight
		// A legend of many rows, or a grid of many rows, takes its room
		// from the plot; the chart grows instead.
		if len(c.legend) > 0 {
			room := vg.Length(wi)*vg.Inch - 2*margin
			_, rowH, rows, _, _ := layoutLegend(room, c.legend)
			legend := (rowH*vg.Length(len(rows)) + legendGap) / vg.Inch
			if extra := float64(legend) - 0.2*defaultHeight; extra > 0 {
				hi += extra
			}
		}
		if rows := c.rows(); rows > 1 {
			_, tileH := c.tiles(vg.Length(wi)*vg.Inch, vg.Length(hi)*vg.Inch)
			if tileH < minTileH {
				hi += float64((minTileH - tileH) * vg.Length(rows) / vg.Inch)
				hi = math.Ceil(hi*4) / 4
			}
		}
	}
	dpi = c.opts.DPI
	if dpi <= 0 {
		dpi = defaultDPI
	}
	return vg.Length(wi) * vg.Inch, vg.Length(hi) * vg.Inch, dpi
}

// The smallest panel of a grid that reads well: room for tick labels, a
// title of a line or two and a plot a reader can follow.
var (
	minTileW = vg.Inch * 2
	minTileH = vg.Inch * 1.3
)

// maxPanels is the most panels a chart holds; past it the panels are too
// many to compare at a glance.
const maxPanels = 24

// cols and rows are the shape of the grid of panels.
func (c *Chart) columns() int { return max(1, min(c.cols, len(c.panels))) }

func (c *Chart) rows() int {
	if len(c.panels) == 0 {
		return 0
	}
	cols := c.columns()
	return (len(c.panels) + cols - 1) / cols
}

// gridWidth is the width of a chart whose panels are tileW wide.
func (c *Chart) gridWidth(tileW vg.Length) vg.Length {
	cols := vg.Length(c.columns())
	return 2*margin + cols*tileW + (cols-1)*panelPadX
}

// frame is the layout of a chart of a given size: the lines of its title
// and subtitle, the area left for the grid of panels, the panel titles'
// lines and the height they take.
type frame struct {
	title, subtitle []string
	legendH         vg.Length
	grid            vg.Rectangle // the panels' area
	panelTitles     [][]string
	titleH          vg.Length // the room above each row of panels for titles
	tileW, tileH    vg.Length
}

// layout lays out a chart of width w and height h.
func (c *Chart) layout(w, h vg.Length) frame {
	var f frame
	area := vg.Rectangle{Min: vg.Point{X: margin, Y: margin}, Max: vg.Point{X: w - margin, Y: h - margin}}
	y := area.Max.Y
	titleSty, subSty := textStyle(titleSize, ink, true), textStyle(subtitleSize, softGrey, false)
	if c.opts.Title != "" {
		f.title = wrap(titleSty, c.opts.Title, area.Max.X-area.Min.X, headLines)
		y -= titleSty.Height("M")*vg.Length(len(f.title)) + titleGap
	}
	if c.opts.Subtitle != "" {
		f.subtitle = wrap(subSty, c.opts.Subtitle, area.Max.X-area.Min.X, headLines)
		y -= subSty.Height("M")*vg.Length(len(f.subtitle)) + titleGap
	}
	if y < area.Max.Y {
		area.Max.Y = y - headGap + titleGap
	}
	if len(c.legend) > 0 {
		_, rowH, rows, _, _ := layoutLegend(area.Max.X-area.Min.X, c.legend)
		f.legendH = rowH * vg.Length(len(rows))
		area.Min.Y += f.legendH + legendGap
	}
	f.grid = area
	if len(c.panels) == 0 {
		return f
	}
	cols, rows := c.columns(), c.rows()
	f.tileW = (area.Max.X - area.Min.X - vg.Length(cols-1)*panelPadX) / vg.Length(cols)
	// Panel titles wrap to the width of a tile, on at most two lines; the
	// row of titles takes the room of the longest.
	sty := textStyle(panelSize, ink, true)
	lines := 0
	f.panelTitles = make([][]string, len(c.panels))
	for i, pn := range c.panels {
		if pn != nil && pn.title != "" {
			f.panelTitles[i] = wrap(sty, pn.title, f.tileW, panelTitleLines)
			lines = max(lines, len(f.panelTitles[i]))
		}
	}
	if lines > 0 {
		lift := textStyle(tickSize, textGrey, false).Height("0")/2 + vg.Points(5)
		f.titleH = sty.Height("M")*vg.Length(lines) + lift
	}
	f.tileH = (area.Max.Y - area.Min.Y - f.titleH - vg.Length(rows-1)*(panelPadY+f.titleH)) / vg.Length(rows)
	return f
}

// panelTitleLines is the most lines a panel's title takes.
const panelTitleLines = 2

// tiles returns the size of each panel's tile in a chart of width w and
// height h.
func (c *Chart) tiles(w, h vg.Length) (tileW, tileH vg.Length) {
	f := c.layout(w, h)
	return f.tileW, f.tileH
}

// check reports a chart that cannot be drawn well at its size: panels too
// many, or too small to read.
func (c *Chart) check() error {
	if len(c.panels) > maxPanels {
		return fmt.Errorf("chart: %d panels are too many to read in one chart; chart at most %d variables at once", len(c.panels), maxPanels)
	}
	if len(c.panels) == 0 {
		return nil
	}
	w, h, _ := c.size()
	tw, th := c.tiles(w, h)
	wide := true // every legend entry fits across the chart
	if len(c.legend) > 0 {
		_, _, _, _, width := layoutLegend(w-2*margin, c.legend)
		for _, e := range c.legend {
			wide = wide && width(e) <= w-2*margin
		}
	}
	if tw >= minTileW*0.999 && th >= minTileH*0.999 && wide {
		return nil
	}
	// The smallest chart that holds them.
	needW := max(w, c.gridWidth(minTileW))
	needH := h + max(0, minTileH-th)*vg.Length(c.rows())
	if len(c.panels) == 1 {
		if !wide {
			return fmt.Errorf("chart: the legend does not fit across %s in; make the chart wider", inches(w, math.Round))
		}
		return fmt.Errorf("chart: the chart does not fit in %s×%s in (its plot would be %s×%s in; a plot needs %s×%s in): make the chart at least %s×%s in",
			inches(w, math.Round), inches(h, math.Round), inches(max(0, tw), math.Floor), inches(max(0, th), math.Floor),
			inches(minTileW, math.Round), inches(minTileH, math.Round), inches(needW, math.Ceil), inches(needH, math.Ceil))
	}
	return fmt.Errorf("chart: %d panels do not fit in %s×%s in (each would be %s×%s in; a panel needs %s×%s in): make the chart at least %s×%s in, or chart fewer variables",
		len(c.panels), inches(w, math.Round), inches(h, math.Round), inches(max(0, tw), math.Floor), inches(max(0, th), math.Floor),
		inches(minTileW, math.Round), inches(minTileH, math.Round), inches(needW, math.Ceil), inches(needH, math.Ceil))
}

// inches formats a length in inches with at most two decimals, rounded
// by round.
func inches(l vg.Length, round func(float64) float64) string {
	return strconv.FormatFloat(round(float64(l/vg.Inch)*100-1e-9)/100, 'f', -1, 64)
}

// A panel is one plot of a chart: axes and the layers drawn on them.
type panel struct {
	title  string
	x, y   axis
	layers []layer
	note   string // written in the middle, e.g. "No data"
}

// A layer draws data in a panel's data area; x and y map data to the
// canvas.
type layer func(c draw.Canvas, x, y func(float64) vg.Length)

// axis is what a panel knows of an axis before it is laid out.
type axis struct {
	label    string
	lo, hi   float64 // the range of the finite data, if any
	has      bool
	exact    bool      // the range is the data's (time), not widened to ticks
	zero     bool      // take in zero when the data are near it
	percent  bool      // label ticks as percentages
	min, max float64   // a range that must be shown whatever the data (if min < max)
	steps    []float64 // steps the axis's units suggest (12 months), besides the nice ones
}

// add takes in finite values.
func (a *axis) add(vs ...float64) {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if !a.has {
			a.lo, a.hi, a.has = v, v, true
			continue
		}
		a.lo, a.hi = math.Min(a.lo, v), math.Max(a.hi, v)
	}
}

// bounds returns the range to show before it is widened to ticks.
func (a *axis) bounds() (lo, hi float64) {
	lo, hi = a.lo, a.hi
	if !a.has {
		lo, hi = 0, 1
	}
	if a.min < a.max {
		lo, hi = math.Min(lo, a.min), math.Max(hi, a.max)
	}
	if a.zero {
		// Include zero unless the data sit far from it, as spreadsheets
		// do; a constant is shown against zero.
		switch {
		case lo >= 0 && (lo <= hi/2 || lo == hi):
			lo = 0
		case hi <= 0 && (hi >= lo/2 || lo == hi):
			hi = 0
		}
	}
	if lo == hi {
		d := math.Abs(lo) / 10
		if d == 0 || math.IsInf(lo+d, 0) {
			d = 1
		}
		lo, hi = lo-d, hi+d
	}
	return lo, hi
}

// layout sets a plot axis's range and ticks for an axis room long, with
// labels measured in sty.
//
// An exact axis (time) keeps the data's range. Another either ends on
// ticks or, when that would waste much space, runs a little beyond the
// data with the ticks inside. Of the nice steps that give between 3 and
// one interval per 0.4 in (vertical) or 0.7 in (horizontal) and whose
// labels leave room between them, layout takes the one that best balances
// the space the range wastes beyond the data against the distance from
// one interval per 0.65 in (vertical) or 1.2 in (horizontal), and avoids
// steps of 2.5 unless they fit much more tightly.
func (a *axis) layout(pa *plot.Axis, room vg.Length, sty text.Style, vertical bool) {
	lo, hi := a.bounds()
	gap, per := vg.Inch*0.7, vg.Inch*1.2
	if vertical {
		gap, per = vg.Inch*0.4, vg.Inch*0.65
	}
	nmax := max(3, min(10, int(room/gap)))
	target := float64(room / per)
	if a.exact {
		target = max(target, 2.5) // a time axis reads from three ticks
	}

	// The loose range: the data and a margin, except at zero or at a
	// bound the axis must show.
	plo, phi := lo, hi
	if !a.exact {
		pad := (hi - lo) * 0.03
		if lo != 0 && lo != a.min {
			plo -= pad
		}
		if hi != 0 && hi != a.max {
			phi += pad
		}
	}
	type choice struct {
		lo, hi, step float64
		marks        ticks
		score        float64
	}
	var best *choice
	consider := func(c choice, penalty float64) {
		if c.step == 0 || !(c.lo < c.hi) || math.IsInf(c.hi-c.lo, 0) {
			return
		}
		c.marks = makeTicks(tickValues(c.lo, c.hi, c.step), c.step, a.percent)
		if !vertical && best != nil && !fits(c.marks, room, sty) {
			return
		}
		k := float64(len(c.marks) - 1)
		c.score = penalty + ((c.hi-c.lo)-(hi-lo))/(hi-lo) + 0.04*math.Abs(k-target)
		if k < 2 {
			c.score += 0.2 // fewer than three ticks
		}
		if m := c.step / math.Pow(10, math.Floor(math.Log10(c.step))); math.Abs(m-2.5) < 1e-9 {
			c.score += 0.15
		}
		if a.exact && len(c.marks) > 0 {
			// A time axis should show where the run starts and ends.
			if first, last := c.marks[0].Value, c.marks[len(c.marks)-1].Value; math.Abs(first-c.lo) > 1e-9*(c.hi-c.lo) {
				c.score += 0.15
			} else if math.Abs(last-c.hi) > 1e-9*(c.hi-c.lo) {
				c.score += 0.12
			}
		}
		if best == nil || c.score < best.score {
			best = &c
		}
	}
	for _, step := range a.steps {
		if k := (hi - lo) / step; a.exact && k >= 2 && k <= float64(nmax) {
			consider(choice{lo: lo, hi: hi, step: step}, -0.02)
		}
	}
	for n := 2; n <= nmax; n++ {
		if a.exact {
			consider(choice{lo: lo, hi: hi, step: niceStep(lo, hi, n, false)}, 0)
			continue
		}
		tlo, thi, step := niceRange(lo, hi, n)
		consider(choice{lo: tlo, hi: thi, step: step}, 0)
		consider(choice{lo: plo, hi: phi, step: niceStep(plo, phi, n, false)}, 0.1)
	}
	if best == nil {
		pa.Min, pa.Max = lo, hi
		pa.Tick.Marker = makeTicks(ends(lo, hi), 0, a.percent)
		return
	}
	pa.Min, pa.Max, pa.Tick.Marker = best.lo, best.hi, best.marks
}

// fits reports whether the labels of horizontal ticks leave some space
// between them.
func fits(marks ticks, room vg.Length, sty text.Style) bool {
	var w vg.Length
	for _, m := range marks {
		w += sty.Width(m.Label) + sty.Width("M")
	}
	return w <= room
}

// Layout constants.
var (
	margin      = vg.Points(14)
	titleGap    = vg.Points(4)  // between the title and the subtitle
	headGap     = vg.Points(12) // between the titles and the panels
	legendGap   = vg.Points(10) // between the panels and the legend
	panelPadX   = vg.Points(26)
	panelPadY   = vg.Points(20)
	thumbWidth  = vg.Points(28)
	thumbGap    = vg.Points(6)
	entryGap    = vg.Points(20)
	swatchH     = vg.Points(11)
	tickLen     = vg.Points(4)
	labelPad    = vg.Points(6)
	legendLines = vg.Length(1.45) // row height of the legend, in font heights
)

// headLines is the most lines a title or subtitle takes.
const headLines = 3

// wrap breaks s into lines no wider than width at spaces; a word wider
// than width stands on a line of its own. Past max lines, the last ends
// in an ellipsis.
func wrap(sty text.Style, s string, width vg.Length, max int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case sty.Width(line+" "+w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	lines = append(lines, line)
	if len(lines) > max {
		lines = lines[:max]
		last := lines[max-1]
		for last != "" && sty.Width(last+" …") > width {
			i := strings.LastIndexByte(last, ' ')
			if i < 0 {
				i = 0
			}
			last = last[:i]
		}
		lines[max-1] = strings.TrimSpace(last + " …")
	}
	return lines
}

func (c *Chart) render(dc draw.Canvas) {
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	f := c.layout(dc.Max.X-dc.Min.X, dc.Max.Y-dc.Min.Y)
	at := func(r vg.Rectangle) draw.Canvas {
		return draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{Min: dc.Min.Add(r.Min), Max: dc.Min.Add(r.Max)}}
	}
	area := at(vg.Rectangle{Min: vg.Point{X: margin, Y: margin}, Max: dc.Size().Sub(vg.Point{X: margin, Y: margin})})

	// Title and subtitle, left-aligned at the top, each wrapped at spaces
	// to the width of the chart.
	y := area.Max.Y
	heading := func(sty text.Style, lines []string) {
		for _, line := range lines {
			area.FillText(sty, vg.Point{X: area.Min.X, Y: y}, line)
			y -= sty.Height("M")
		}
		y -= titleGap
	}
	heading(align(textStyle(titleSize, ink, true), draw.XLeft, draw.YTop), f.title)
	heading(align(textStyle(subtitleSize, softGrey, false), draw.XLeft, draw.YTop), f.subtitle)

	// The legend, centred under the panels.
	if len(c.legend) > 0 {
		lc := area
		lc.Max.Y = dc.Min.Y + f.grid.Min.Y - legendGap
		drawLegend(lc, c.legend)
	}

	if c.custom != nil {
		below := area
		if y < area.Max.Y {
			below.Max.Y = y - headGap + titleGap
		}
		c.custom(below)
		return
	}
	if len(c.panels) == 0 || f.tileW <= 0 || f.tileH <= 0 {
		return // no room for the panels
	}
	cols, rows := c.columns(), c.rows()
	grid := at(f.grid)
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: panelPadX, PadY: panelPadY + f.titleH, PadTop: f.titleH}
	// Panel titles go above the data areas, which align across a row,
	// clear of a tick label at the top.
	titleSty := align(textStyle(panelSize, ink, true), draw.XCenter, draw.YBottom)
	titleLift := textStyle(tickSize, textGrey, false).Height("0")/2 + vg.Points(5)
	plots := make([][]*plot.Plot, rows)
	for r := range plots {
		plots[r] = make([]*plot.Plot, cols)
		for col := range plots[r] {
			if i := r*cols + col; i < len(c.panels) && c.panels[i] != nil {
				plots[r][col] = c.panels[i].plot(f.tileW, f.tileH)
			}
		}
	}
	canvases := plot.Align(plots, tiles, grid)
	for r := range plots {
		top := vg.Length(math.Inf(-1)) // of the row's data areas
		for col, p := range plots[r] {
			if p != nil {
				p.Draw(canvases[r][col])
				dc := p.DataCanvas(canvases[r][col])
				top = max(top, dc.Max.Y)
			}
		}
		for col, p := range plots[r] {
			if p == nil || len(f.panelTitles[r*cols+col]) == 0 {
				continue
			}
			lines := f.panelTitles[r*cols+col]
			dc := p.DataCanvas(canvases[r][col])
			lh := titleSty.Height("M")
			tile := canvases[r][col]
			for k, line := range lines {
				// Centred over the data area, but kept inside the tile.
				half := titleSty.Width(line) / 2
				x := max(tile.Min.X+half, min(dc.Center().X, tile.Max.X-half))
				dc.FillText(titleSty, vg.Point{X: x, Y: top + titleLift + lh*vg.Length(len(lines)-1-k)}, line)
			}
		}
	}
}

// plot makes the gonum plot of a panel laid out in a tile of the given
// size.
func (pn *panel) plot(w, h vg.Length) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil
	tickSty := textStyle(tickSize, textGrey, false)
	labelSty := textStyle(labelSize, textGrey, false)

	p.X.Label.Text = pn.x.label
	p.X.Label.TextStyle = align(labelSty, draw.XCenter, draw.YBottom)
	p.X.Label.Padding = labelPad
	p.X.Tick.Label = align(tickSty, draw.XCenter, draw.YTop)
	p.X.Tick.Length = tickLen
	p.X.Tick.LineStyle = draw.LineStyle{Color: axisGrey, Width: vg.Points(1)}
	p.X.LineStyle = draw.LineStyle{Color: axisGrey, Width: vg.Points(1)}
	p.X.Padding = 0

	p.Y.Label.Text = pn.y.label
	p.Y.Label.TextStyle = align(labelSty, draw.XCenter, draw.YBottom)
	if utf8.RuneCountInString(pn.y.label) <= 2 {
		// A label as short as "$" or "%" reads upright; gonum/plot turns
		// the label a quarter turn, so turn it back.
		p.Y.Label.TextStyle.Rotation = -math.Pi / 2
		p.Y.Label.TextStyle.YAlign = draw.YCenter
	}
	p.Y.Label.Padding = labelPad
	p.Y.Tick.Label = align(tickSty, draw.XRight, draw.YCenter)
	p.Y.Tick.Length = 0
	p.Y.Tick.LineStyle = draw.LineStyle{}
	p.Y.LineStyle = draw.LineStyle{}
	p.Y.Padding = 0

	// Room for the data, roughly: the tile less the axes and their
	// labels.
	roomH := h - labelSty.Height("M")*2 - tickSty.Height("0") - tickLen
	pn.y.layout(&p.Y, roomH, tickSty, true)
	roomW := w - labelSty.Height("M")*2 - ticksWidth(p.Y.Tick.Marker, tickSty)
	pn.x.layout(&p.X, roomW, tickSty, false)

	// Horizontal grid lines at the y ticks, under the data.
	yMarks := p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max)
	p.Add(plotter(func(c draw.Canvas, x, y func(float64) vg.Length) {
		sty := draw.LineStyle{Color: gridGrey, Width: vg.Points(1)}
		for _, m := range yMarks {
			c.StrokeLine2(sty, c.Min.X, y(m.Value), c.Max.X, y(m.Value))
		}
	}))
	for _, l := range pn.layers {
		p.Add(plotter(l))
	}
	if pn.note != "" {
		p.Add(plotter(func(c draw.Canvas, _, _ func(float64) vg.Length) {
			sty := align(italic(textStyle(labelSize, softGrey, false)), draw.XCenter, draw.YCenter)
			c.FillText(sty, c.Center(), pn.note)
		}))
	}
	return p
}

func ticksWidth(t plot.Ticker, sty text.Style) vg.Length {
	var w vg.Length
	for _, m := range t.(ticks) {
		w = max(w, sty.Width(m.Label))
	}
	return w + sty.Width(" ")
}

// plotterOf adapts a layer to gonum's Plotter.
type plotterOf layer

func plotter(l layer) plotterOf { return plotterOf(l) }

// Plot draws the layer.
func (l plotterOf) Plot(c draw.Canvas, p *plot.Plot) {
	x, y := p.Transforms(&c)
	l(c, x, y)
}

// entry is one item of a legend: a line, a swatch, or both. Entries of
// different groups (scenarios, then variables) are set apart.
type entry struct {
	label string
	line  draw.LineStyle // none if Color is nil
	fill  color.Color    // none if nil
	group int
}

// drawLegend draws the legend centred at the bottom of c and returns its
// height. The legend takes one row if it fits, and otherwise a row or
// more per group, with the entries spread evenly over a group's rows.
// layoutLegend arranges legend entries in rows that fit in room: one row
// if they fit, else the fewest balanced rows, each group of entries
// starting a row of its own.
func layoutLegend(room vg.Length, entries []entry) (sty text.Style, rowH vg.Length, rows [][]entry, rowWidth func([]entry) vg.Length, width func(entry) vg.Length) {
	sty = align(textStyle(legendSize, textGrey, false), draw.XLeft, draw.YCenter)
	rowH = sty.Height("Mg") * legendLines
	width = func(e entry) vg.Length { return thumbWidth + thumbGap + sty.Width(e.label) }
	rowWidth = func(row []entry) vg.Length {
		var w vg.Length
		for i, e := range row {
			if i > 0 {
				w += gapBefore(row[i-1], e)
			}
			w += width(e)
		}
		return w
	}
	rows = [][]entry{entries}
	if rowWidth(entries) > room {
		rows = nil
		for start := 0; start < len(entries); {
			end := start + 1
			for end < len(entries) && entries[end].group == entries[start].group {
				end++
			}
			rows = append(rows, balance(entries[start:end], room, rowWidth)...)
			start = end
		}
	}
	return sty, rowH, rows, rowWidth, width
}

func drawLegend(c draw.Canvas, entries []entry) vg.Length {
	sty, rowH, rows, rowWidth, width := layoutLegend(c.Max.X-c.Min.X, entries)
	room := c.Max.X - c.Min.X
	height := rowH * vg.Length(len(rows))
	for r, row := range rows {
		x := c.Min.X + (room-rowWidth(row))/2
		y := c.Min.Y + height - rowH*(vg.Length(r)+0.5)
		for i, e := range row {
			if i > 0 {
				x += gapBefore(row[i-1], e)
			}
			drawThumb(c, e, x, y)
			c.FillText(sty, vg.Point{X: x + thumbWidth + thumbGap, Y: y}, e.label)
			x += width(e)
		}
	}
	return height
}

// gapBefore is the space between two neighbouring entries of a row.
func gapBefore(prev, e entry) vg.Length {
	if prev.group != e.group {
		return entryGap * 2.5
	}
	return entryGap
}

// balance splits entries into the fewest rows that fit in room, with as
// many entries on each row as on the others (the last may have fewer).
func balance(entries []entry, room vg.Length, rowWidth func([]entry) vg.Length) [][]entry {
	for n := 1; ; n++ {
		per := (len(entries) + n - 1) / n
		var rows [][]entry
		ok := true
		for i := 0; i < len(entries); i += per {
			row := entries[i:min(i+per, len(entries))]
			ok = ok && (len(row) == 1 || rowWidth(row) <= room)
			rows = append(rows, row)
		}
		if ok {
			return rows
		}
	}
}

// drawThumb draws an entry's key with its left end at x, centred on y.
func drawThumb(c draw.Canvas, e entry, x, y vg.Length) {
	if e.fill != nil {
		pts := []vg.Point{{X: x, Y: y - swatchH/2}, {X: x + thumbWidth, Y: y - swatchH/2},
			{X: x + thumbWidth, Y: y + swatchH/2}, {X: x, Y: y + swatchH/2}}
		c.FillPolygon(e.fill, pts)
	}
	if e.line.Color != nil {
		c.StrokeLine2(e.line, x, y, x+thumbWidth, y)
	}
}

// lineStyle is the style of a data line.
func lineStyle(c color.Color, dashes []vg.Length) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: vg.Points(lineWidth), Dashes: dashes}
}

// drawLine strokes the polyline through the finite points of xs and ys,
// broken where either is NaN or infinite.
func drawLine(c draw.Canvas, x, y func(float64) vg.Length, xs, ys []float64, sty draw.LineStyle) {
	var lines [][]vg.Point
	var cur []vg.Point
	for i := 0; i < len(xs) && i < len(ys); i++ {
		if !finite(xs[i]) || !finite(ys[i]) {
			if len(cur) > 0 {
				lines = append(lines, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, vg.Point{X: x(xs[i]), Y: y(ys[i])})
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	for _, l := range lines {
		if len(l) == 1 { // a lone point: a dot
			c.DrawGlyph(draw.GlyphStyle{Color: sty.Color, Radius: sty.Width * 1.2, Shape: draw.CircleGlyph{}}, l[0])
			continue
		}
		c.StrokeLines(sty, c.ClipLinesXY(l)...)
	}
}

// fillBetween fills the area between lo and hi over xs, in pieces where
// all three are finite.
func fillBetween(c draw.Canvas, x, y func(float64) vg.Length, xs, lo, hi []float64, col color.Color) {
	n := min(len(xs), len(lo), len(hi))
	start := -1
	flush := func(end int) {
		if start >= 0 && end-start >= 2 {
			pts := make([]vg.Point, 0, 2*(end-start))
			for i := start; i < end; i++ {
				pts = append(pts, vg.Point{X: x(xs[i]), Y: y(hi[i])})
			}
			for i := end - 1; i >= start; i-- {
				pts = append(pts, vg.Point{X: x(xs[i]), Y: y(lo[i])})
			}
			c.FillPolygon(col, c.ClipPolygonXY(pts))
		}
		start = -1
	}
	for i := 0; i < n; i++ {
		if finite(xs[i]) && finite(lo[i]) && finite(hi[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(n)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
