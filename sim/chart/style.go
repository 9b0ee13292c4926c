package chart

import (
	"image/color"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	xfont "golang.org/x/image/font"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// palette is the Okabe–Ito colour-blind-safe palette in the order charts
// use it. Yellow comes last: it is the hardest to see as a line on white.
var palette = []color.Color{
	rgb(0x00, 0x72, 0xB2), // blue
	rgb(0xD5, 0x5E, 0x00), // vermillion
	rgb(0x00, 0x9E, 0x73), // bluish green
	rgb(0xE6, 0x9F, 0x00), // orange
	rgb(0xCC, 0x79, 0xA7), // reddish purple
	rgb(0x56, 0xB4, 0xE9), // sky blue
	rgb(0x00, 0x00, 0x00), // black
	rgb(0xF0, 0xE4, 0x42), // yellow
}

func rgb(r, g, b uint8) color.NRGBA { return color.NRGBA{R: r, G: g, B: b, A: 0xFF} }

// Palette returns the colours charts give scenarios, variables and loops,
// in order: the Okabe–Ito colour-blind-safe palette, whose n-th colour
// the n-th series takes (n mod 8). The slice is a copy, for a page or
// another chart to match these.
func Palette() []color.Color { return slices.Clone(palette) }

// colour returns the palette colour of the i-th series.
func colour(i int) color.Color { return palette[i%len(palette)] }

// withAlpha returns c with opacity a in [0, 1].
func withAlpha(c color.Color, a float64) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = uint8(a*255 + 0.5)
	return n
}

// The neutral colours of the theme.
var (
	ink      = rgb(0x1A, 0x1A, 0x1A) // titles
	textGrey = rgb(0x44, 0x44, 0x44) // axis labels, tick labels, legend
	softGrey = rgb(0x77, 0x77, 0x77) // subtitles, quadrant labels
	axisGrey = rgb(0x88, 0x88, 0x88) // the x axis and its ticks
	gridGrey = rgb(0xE3, 0xE3, 0xE3) // grid lines
	keyGrey  = rgb(0x55, 0x55, 0x55) // neutral legend keys

	colourWhite color.Color = color.White
)

// Dash patterns tell apart the variables of one panel when colour tells
// apart the scenarios.
var dashes = [][]vg.Length{
	nil,
	{vg.Points(7), vg.Points(3.5)},
	{vg.Points(1.5), vg.Points(2.5)},
	{vg.Points(7), vg.Points(2.5), vg.Points(1.5), vg.Points(2.5)},
	{vg.Points(12), vg.Points(4)},
}

// dash returns the dash pattern of the i-th variable of a panel.
func dash(i int) []vg.Length { return dashes[i%len(dashes)] }

// Sizes in points. At the default 8×5 in and 150 dpi the smallest text,
// 11 pt, is 23 pixels high.
const (
	titleSize    = 18
	subtitleSize = 13
	panelSize    = 14
	labelSize    = 13
	tickSize     = 12
	legendSize   = 13
	noteSize     = 11

	lineWidth = 2.25
)

// Default size of a chart: 8×5 in, 150 dpi for PNG.
const (
	defaultWidth  = 8
	defaultHeight = 5
	defaultDPI    = 150
)

var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// textStyle returns a plain text style of the theme's typeface.
func textStyle(size float64, c color.Color, bold bool) text.Style {
	f := sans
	if bold {
		f.Weight = xfont.WeightBold
	}
	f.Size = vg.Points(size)
	return text.Style{Color: c, Font: f, Handler: plot.DefaultTextHandler}
}

func italic(s text.Style) text.Style {
	s.Font.Style = xfont.StyleItalic
	return s
}

// align returns s aligned as given.
func align(s text.Style, x draw.XAlignment, y draw.YAlignment) text.Style {
	s.XAlign, s.YAlign = x, y
	return s
}

// label returns a name as charts show it: underscores become spaces.
func label(name string) string {
	return strings.TrimSpace(strings.ReplaceAll(name, "_", " "))
}

// heading returns a label with its first letter in upper case, for
// titles.
func heading(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// unitsText returns units as an axis shows them: none for dimensionless
// quantities.
func unitsText(u string) string {
	u = strings.TrimSpace(u)
	switch strings.ToLower(u) {
	case "", "1", "dimensionless", "dmnl", "unitless", "fraction":
		return ""
	}
	return u
}

// withUnits returns "name (units)", or the name alone when there are no
// units or they say the same as the name.
func withUnits(name, units string) string {
	u := unitsText(units)
	if u == "" || strings.EqualFold(u, name) {
		return name
	}
	return name + " (" + u + ")"
}
