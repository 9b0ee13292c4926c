package chart_test

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/chart"
)

var nan, inf = math.NaN(), math.Inf(1)

// oddSeries are series that charts must draw without error.
var oddSeries = []struct {
	name   string
	values []float64
}{
	{"empty", nil},
	{"single point", []float64{42}},
	{"constant", []float64{5, 5, 5, 5, 5}},
	{"constant zero", []float64{0, 0, 0, 0}},
	{"negative", []float64{-1200, -800, -5, -300, -4000}},
	{"very large", []float64{1e12, 2.5e12, 4e12, 3e12, 5e12}},
	{"huge", []float64{-1e300, 1e300, 0}},
	{"tiny", []float64{1e-9, 2e-9, 3e-9}},
	{"nearly constant large", []float64{1e12, 1e12 + 1, 1e12 + 2}},
	{"NaN", []float64{1, nan, 3, nan, nan, 6, 7}},
	{"all NaN", []float64{nan, nan, nan}},
	{"infinite", []float64{1, inf, 3, -inf, 5}},
}

func times(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(i) * 0.5
	}
	return out
}

// oddCharts makes every kind of chart of a series.
func oddCharts(t *testing.T, values []float64) map[string]*chart.Chart {
	t.Helper()
	ts := times(len(values))
	res := &sim.Result{Names: []string{"x", "y"}, Times: ts, Values: [][]float64{values, values}}
	two := []chart.Run{{Name: "a", Result: res}, {Name: "b", Result: res}}
	x, y := chart.Var{Name: "x", Units: "widgets"}, chart.Var{Name: "y"}
	out := make(map[string]*chart.Chart)
	add := func(kind string, c *chart.Chart, err error) {
		if err != nil {
			t.Errorf("%s: %v", kind, err)
			return
		}
		out[kind] = c
	}
	add(func() (string, *chart.Chart, error) {
		c, err := chart.TimeSeries(two, []chart.Var{x, y}, chart.Options{})
		return "TimeSeries", c, err
	}())
	add(func() (string, *chart.Chart, error) {
		c, err := chart.SmallMultiples(two, []chart.Var{x, y, x}, chart.Options{Title: "t"})
		return "SmallMultiples", c, err
	}())
	b := chart.Band{Name: "a", Times: ts, Quantiles: []float64{0.05, 0.5, 0.95}, Values: [][]float64{values, values, values}}
	add(func() (string, *chart.Chart, error) {
		c, err := chart.Bands([]chart.Band{b, b}, x, chart.Options{})
		return "Bands", c, err
	}())
	add(func() (string, *chart.Chart, error) {
		c, err := chart.LoopDominance(chart.LoopScores{Times: ts, Names: []string{"R1", "B1"}, Values: [][]float64{values, values}}, chart.Options{})
		return "LoopDominance", c, err
	}())
	add(func() (string, *chart.Chart, error) {
		// Quadrant lines through the middle of the finite data (at 1 when
		// there is none): lines far outside it are refused, see
		// TestQuadrantsFarOutside.
		mid := 1.0
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range values {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		if lo <= hi {
			mid = lo/2 + hi/2
		}
		c, err := chart.Phase(two, x, y, chart.Options{Quadrants: &chart.Quadrants{X0: mid, Y0: mid, TopLeft: "a", BottomRight: "b"}})
		return "Phase", c, err
	}())
	return out
}

// TestOddData draws every kind of chart of series that are empty,
// constant, negative, very large, a single point or full of NaN, in every
// format.
func TestOddData(t *testing.T) {
	for _, s := range oddSeries {
		for kind, c := range oddCharts(t, s.values) {
			for _, f := range []chart.Format{chart.PNG, chart.SVG, chart.PDF} {
				var buf bytes.Buffer
				if err := c.Write(&buf, f); err != nil {
					t.Errorf("%s of %s as %v: %v", kind, s.name, f, err)
					continue
				}
				if buf.Len() == 0 {
					t.Errorf("%s of %s as %v: nothing written", kind, s.name, f)
				}
				if f == chart.PNG {
					if _, err := png.Decode(&buf); err != nil {
						t.Errorf("%s of %s: %v", kind, s.name, err)
					}
				}
			}
		}
	}
}

func TestNoData(t *testing.T) {
	var charts []*chart.Chart
	for _, f := range []func() (*chart.Chart, error){
		func() (*chart.Chart, error) { return chart.TimeSeries(nil, nil, chart.Options{}) },
		func() (*chart.Chart, error) { return chart.SmallMultiples(nil, nil, chart.Options{}) },
		func() (*chart.Chart, error) { return chart.Bands(nil, chart.Var{}, chart.Options{}) },
		func() (*chart.Chart, error) { return chart.LoopDominance(chart.LoopScores{}, chart.Options{}) },
		func() (*chart.Chart, error) { return chart.Phase(nil, chart.Var{}, chart.Var{}, chart.Options{}) },
	} {
		c, err := f()
		if err != nil {
			t.Fatal(err)
		}
		charts = append(charts, c)
	}
	for i, c := range charts {
		if err := c.Write(&bytes.Buffer{}, chart.PNG); err != nil {
			t.Errorf("chart %d: %v", i, err)
		}
	}
}

func TestSaveFormats(t *testing.T) {
	c, err := chart.TimeSeries(runs(2), []chart.Var{customers}, chart.Options{Width: 4, Height: 3, DPI: 100})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"c.png", "c.SVG", "c.pdf"} {
		path := filepath.Join(dir, name)
		if err := c.Save(path); err != nil {
			t.Fatalf("Save(%s): %v", name, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		switch strings.ToLower(filepath.Ext(name)) {
		case ".png":
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if got := img.Bounds().Size(); got.X != 400 || got.Y != 300 {
				t.Errorf("4×3 in at 100 dpi is %v pixels, want 400×300", got)
			}
		case ".svg":
			if !bytes.Contains(b, []byte("<svg")) || !bytes.Contains(b, []byte("Arial")) {
				t.Errorf("SVG without <svg or the Arial fallback:\n%.300s", b)
			}
		case ".pdf":
			if !bytes.HasPrefix(b, []byte("%PDF-")) {
				t.Errorf("PDF starts %q", b[:min(len(b), 8)])
			}
		}
	}
	for _, name := range []string{"c.gif", "c"} {
		if err := c.Save(filepath.Join(dir, name)); err == nil {
			t.Errorf("Save(%s) succeeded", name)
		}
		if _, err := os.Stat(filepath.Join(dir, name)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("Save(%s) left a file", name)
		}
	}
}

func TestFormatOf(t *testing.T) {
	tests := []struct {
		path string
		want chart.Format
		err  string
	}{
		{"a.png", chart.PNG, ""},
		{"dir.d/a.PDF", chart.PDF, ""},
		{"a.svg", chart.SVG, ""},
		{"a.jpeg", 0, `chart: unknown image format ".jpeg" (expected .png, .svg or .pdf)`},
		{"a", 0, "chart: a has no extension (expected .png, .svg or .pdf)"},
	}
	for _, tt := range tests {
		got, err := chart.FormatOf(tt.path)
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && err.Error() != tt.err) {
			t.Errorf("FormatOf(%q) = %v, %v; want %v, %q", tt.path, got, err, tt.want, tt.err)
		}
	}
}

func TestInputErrors(t *testing.T) {
	res := &sim.Result{Names: []string{"x"}, Times: []float64{0, 1}, Values: [][]float64{{1, 2}}}
	ok := []chart.Run{{Name: "base", Result: res}}
	x := chart.Var{Name: "x"}
	tests := []struct {
		name string
		f    func() (*chart.Chart, error)
		want string
	}{
		{"missing variable", func() (*chart.Chart, error) {
			return chart.TimeSeries(ok, []chart.Var{{Name: "nope"}}, chart.Options{})
		}, `chart: no variable "nope" in run "base"`},
		{"no result", func() (*chart.Chart, error) {
			return chart.SmallMultiples([]chart.Run{{Name: "r"}}, []chart.Var{x}, chart.Options{})
		}, `chart: run "r" has no result`},
		{"ragged result", func() (*chart.Chart, error) {
			bad := &sim.Result{Names: []string{"x"}, Times: []float64{0, 1, 2}, Values: [][]float64{{1, 2}}}
			return chart.Phase([]chart.Run{{Name: "r", Result: bad}}, x, x, chart.Options{})
		}, `chart: run "r" has 2 values of "x" for 3 times`},
		{"band series", func() (*chart.Chart, error) {
			return chart.Bands([]chart.Band{{Name: "b", Quantiles: []float64{0.05, 0.95}}}, x, chart.Options{})
		}, `chart: band "b" has 0 series for 2 quantiles`},
		{"band order", func() (*chart.Chart, error) {
			return chart.Bands([]chart.Band{{Name: "b", Quantiles: []float64{0.5, 0.05}, Values: [][]float64{nil, nil}}}, x, chart.Options{})
		}, `chart: band "b": quantiles must ascend, but 0.05 follows 0.5`},
		{"band range", func() (*chart.Chart, error) {
			return chart.Bands([]chart.Band{{Name: "b", Quantiles: []float64{50}, Values: [][]float64{nil}}}, x, chart.Options{})
		}, `chart: band "b": quantile 50 is not a fraction in [0, 1]`},
		{"band length", func() (*chart.Chart, error) {
			return chart.Bands([]chart.Band{{Name: "b", Times: []float64{0}, Quantiles: []float64{0.5}, Values: [][]float64{nil}}}, x, chart.Options{})
		}, `chart: band "b" has 0 values of quantile 0.5 for 1 times`},
		{"loop names", func() (*chart.Chart, error) {
			return chart.LoopDominance(chart.LoopScores{Names: []string{"R1"}}, chart.Options{})
		}, "chart: 0 series of loop scores for 1 loops"},
		{"loop length", func() (*chart.Chart, error) {
			return chart.LoopDominance(chart.LoopScores{Times: []float64{0}, Names: []string{"R1"}, Values: [][]float64{{}}}, chart.Options{})
		}, `chart: loop "R1" has 0 scores for 1 times`},
	}
	for _, tt := range tests {
		c, err := tt.f()
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
		if c != nil {
			t.Errorf("%s: a chart as well as an error", tt.name)
		}
	}
	var ne *model.NameError
	_, err := chart.Phase(ok, x, chart.Var{Name: "xx_"}, chart.Options{})
	if !errors.As(err, &ne) || ne.Name != "xx_" || ne.Kind != "variable" {
		t.Errorf("a variable the run lacks: error %v, want a *model.NameError naming it", err)
	}
}

func TestTooLarge(t *testing.T) {
	c, err := chart.TimeSeries(runs(1), []chart.Var{customers}, chart.Options{Width: 1000, Height: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Write(&bytes.Buffer{}, chart.PNG); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("a 1000×1000 in PNG: %v", err)
	}
}

// TestLongTitles draws a title and a subtitle far wider than the chart:
// they wrap onto at most three lines each instead of running off the
// edge, the third ending in an ellipsis.
func TestLongTitles(t *testing.T) {
	long := strings.Repeat("a title that goes on and on ", 12)
	res := &sim.Result{Names: []string{"x"}, Times: []float64{0, 1, 2}, Values: [][]float64{{1, 2, 3}}}
	c, err := chart.TimeSeries([]chart.Run{{Name: "r", Result: res}}, []chart.Var{{Name: "x"}}, chart.Options{Title: long, Subtitle: long})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.Write(&buf, chart.SVG); err != nil {
		t.Fatal(err)
	}
	// Each line is a text element of its own: several, each short enough
	// to fit (the unwrapped title is 336 characters).
	lines := regexp.MustCompile(`>([^<]*goes on[^<]*)<`).FindAllStringSubmatch(buf.String(), -1)
	if len(lines) < 4 {
		t.Errorf("the title and subtitle are drawn on %d lines; want them wrapped onto more", len(lines))
	}
	if len(lines) > 6 || !strings.Contains(buf.String(), "…") {
		t.Errorf("%d lines; want at most three each for the title and subtitle, ending in an ellipsis", len(lines))
	}
	for _, l := range lines {
		if len(l[1]) > 120 {
			t.Errorf("a line of %d characters runs off the chart: %q", len(l[1]), l[1])
		}
	}
}

// TestTallLegendGrowsChart checks that a legend of many rows makes a chart
// of the default size taller rather than squeezing the plot, that a
// chart given a height keeps it, and that one given too small a height
// for its legend is an error.
func TestTallLegendGrowsChart(t *testing.T) {
	ls := chart.LoopScores{Times: []float64{0, 1, 2}}
	for k := range 12 {
		ls.Names = append(ls.Names, fmt.Sprintf("a loop with a rather long name number %d", k))
		ls.Values = append(ls.Values, []float64{math.NaN(), 0.05, -0.05})
	}
	height := func(o chart.Options) int {
		c, err := chart.LoopDominance(ls, o)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := c.Write(&buf, chart.PNG); err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(&buf)
		if err != nil {
			t.Fatal(err)
		}
		return img.Bounds().Dy()
	}
	if h := height(chart.Options{}); h <= 750 { // 5 in at 150 dpi
		t.Errorf("default chart with a 12-row legend is %d px tall; want it taller than 750", h)
	}
	if h := height(chart.Options{Height: 8}); h != 1200 {
		t.Errorf("chart of height 8 in is %d px tall, want 1200", h)
	}
	// At 5 in, the legend would leave the plot half an inch: an error,
	// not a squeezed picture.
	c, err := chart.LoopDominance(ls, chart.Options{Height: 5})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Write(&bytes.Buffer{}, chart.PNG)
	if err == nil || !strings.HasPrefix(err.Error(), "chart: the chart does not fit in 8×5 in (its plot would be ") {
		t.Errorf("a 5 in chart with a 12-row legend: error %v", err)
	}
}

// TestQuadrantsFarOutside refuses quadrant lines far outside the data,
// which would squeeze the paths into a corner.
func TestQuadrantsFarOutside(t *testing.T) {
	res := &sim.Result{Names: []string{"x", "y"}, Times: []float64{0, 1, 2}, Values: [][]float64{{0.4, 0.6, 0.9}, {100, 400, 700}}}
	runs := []chart.Run{{Name: "r", Result: res}}
	x, y := chart.Var{Name: "x"}, chart.Var{Name: "y"}
	if _, err := chart.Phase(runs, x, y, chart.Options{Quadrants: &chart.Quadrants{X0: 0.5, Y0: 650}}); err != nil {
		t.Errorf("lines inside the data: %v", err)
	}
	if _, err := chart.Phase(runs, x, y, chart.Options{Quadrants: &chart.Quadrants{X0: 0.5, Y0: 1200}}); err != nil {
		t.Errorf("a line a little outside the data: %v", err)
	}
	_, err := chart.Phase(runs, x, y, chart.Options{Quadrants: &chart.Quadrants{X0: 1e9, Y0: 650}})
	if err == nil || !strings.Contains(err.Error(), "the quadrant line x = 1e+09 lies far outside the data, 0.4 to 0.9") {
		t.Errorf("error %v", err)
	}
}
