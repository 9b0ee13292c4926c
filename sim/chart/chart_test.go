package chart_test

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/chart"
)

var regen = flag.Bool("regen", false, "rewrite the golden images in testdata/chart")

const goldenDir = "../../testdata/chart"

// checkGolden renders c as PNG and compares it with
// testdata/chart/<name>_golden.png, allowing for differences of
// anti-aliasing: at most 0.05 % of the pixels may differ by more than
// 32 in a channel. With -regen it rewrites the golden image instead.
func checkGolden(t *testing.T, name string, c *chart.Chart) {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Write(&buf, chart.PNG); err != nil {
		t.Fatalf("Write(PNG): %v", err)
	}
	golden := filepath.Join(goldenDir, name+"_golden.png")
	if *regen {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -regen to write it)", err)
	}
	got, err := png.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	wantImg, err := png.Decode(bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	if n, total := differingPixels(got, wantImg); n < 0 || float64(n) > 0.0005*float64(total) {
		out := filepath.Join(t.TempDir(), name+".png")
		os.WriteFile(out, buf.Bytes(), 0o644)
		if n < 0 {
			t.Errorf("%s: image is %v, golden image is %v; got %s", name, got.Bounds(), wantImg.Bounds(), out)
		} else {
			t.Errorf("%s: %d of %d pixels differ from the golden image; got %s", name, n, total, out)
		}
	}
}

// differingPixels counts the pixels of a and b that differ by more than 32
// in a channel, or returns -1 if their sizes differ.
func differingPixels(a, b image.Image) (n, total int) {
	ab, bb := a.Bounds(), b.Bounds()
	if ab.Dx() != bb.Dx() || ab.Dy() != bb.Dy() {
		return -1, 0
	}
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1, a1 := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, a2 := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			if far(r1, r2) || far(g1, g2) || far(b1, b2) || far(a1, a2) {
				n++
			}
		}
	}
	return n, ab.Dx() * ab.Dy()
}

func far(a, b uint32) bool { return a>>8 > b>>8+32 || b>>8 > a>>8+32 }

// The test data are closed forms shaped like the customer-success model's
// output (examples/customersuccess): S-shaped growth of customers,
// happiness that settles, profit that dips before it climbs.

var months = series(61, func(t float64) float64 { return t })

func series(n int, f func(t float64) float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = f(float64(i))
	}
	return out
}

// logistic rises from about k/(1+e^(r·t0)) to k, fastest at t0.
func logistic(k, r, t0 float64) func(float64) float64 {
	return func(t float64) float64 { return k / (1 + math.Exp(-r*(t-t0))) }
}

type strategy struct {
	name        string
	k, r, t0    float64 // customers
	happy, cost float64
}

var strategies = []strategy{
	{"acquisition heavy", 14200, 0.16, 22, 0.42, 1.6e6},
	{"balanced", 17500, 0.13, 26, 0.61, 1.2e6},
	{"success_heavy", 21800, 0.11, 31, 0.78, 0.9e6},
}

func (s strategy) result() *sim.Result {
	customers := series(61, logistic(s.k, s.r, s.t0))
	prospects := series(61, func(t float64) float64 { return 30000 - customers[int(t)] })
	happiness := series(61, func(t float64) float64 { return s.happy + (0.5-s.happy)*math.Exp(-t/9) })
	mrr := series(61, func(t float64) float64 { return customers[int(t)] * (95 + 60*happiness[int(t)]) })
	profit := make([]float64, 61)
	for i := 1; i < 61; i++ {
		profit[i] = profit[i-1] + mrr[i]*0.55 - s.cost*math.Exp(-float64(i)/40)
	}
	return &sim.Result{
		Names:  []string{"customers", "prospects", "customer_happiness", "mrr", "cumulative_profit"},
		Times:  months,
		Values: [][]float64{customers, prospects, happiness, mrr, profit},
	}
}

func runs(n int) []chart.Run {
	var out []chart.Run
	for _, s := range strategies[:n] {
		out = append(out, chart.Run{Name: s.name, Result: s.result()})
	}
	return out
}

var (
	customers = chart.Var{Name: "customers", Units: "accounts"}
	prospects = chart.Var{Name: "prospects", Units: "accounts"}
	happiness = chart.Var{Name: "customer_happiness", Units: "dimensionless"}
	mrr       = chart.Var{Name: "mrr", Label: "MRR", Units: "$/month"}
	profit    = chart.Var{Name: "cumulative_profit", Units: "$"}
)

func TestTimeSeriesGolden(t *testing.T) {
	c, err := chart.TimeSeries(runs(3), []chart.Var{customers}, chart.Options{
		Title:     "Customers under three splits of the budget",
		Subtitle:  "Customer success versus acquisition, 60 months",
		TimeUnits: "month",
	})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "timeseries", c)
}

func TestTimeSeriesVarsGolden(t *testing.T) {
	c, err := chart.TimeSeries(runs(2), []chart.Var{customers, prospects}, chart.Options{TimeUnits: "month"})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "timeseries_vars", c)
}

func TestSmallMultiplesGolden(t *testing.T) {
	c, err := chart.SmallMultiples(runs(3), []chart.Var{customers, mrr, happiness, profit}, chart.Options{
		Title:     "Where the budget goes decides who stays",
		TimeUnits: "month",
	})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "small_multiples", c)
}

// band makes the percentiles of an ensemble whose spread grows with time.
func band(name string, s strategy, spread float64) chart.Band {
	qs := []float64{0.05, 0.25, 0.5, 0.75, 0.95}
	z := []float64{-1.645, -0.674, 0, 0.674, 1.645} // standard normal quantiles
	b := chart.Band{Name: name, Times: months, Quantiles: qs}
	median := logistic(s.k, s.r, s.t0)
	for _, zk := range z {
		b.Values = append(b.Values, series(61, func(t float64) float64 {
			return median(t) * math.Exp(zk*spread*t/60)
		}))
	}
	return b
}

func TestBandsGolden(t *testing.T) {
	c, err := chart.Bands([]chart.Band{
		band("acquisition heavy", strategies[0], 0.12),
		band("success heavy", strategies[2], 0.22),
	}, customers, chart.Options{
		Title:     "Customers: 200 runs with uncertain churn and referral rates",
		TimeUnits: "month",
	})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "bands", c)
}

// loopScores shifts dominance from word of mouth (R1) to saturation (B1),
// with a minor service loop; the first time has no scores, as in the loops
// package.
func loopScores() chart.LoopScores {
	s := chart.LoopScores{
		Times: months,
		Names: []string{"R1 word of mouth", "R2 happy customers buy more", "B1 market saturation", "B2 dilution of service"},
	}
	raw := [][]float64{
		series(61, func(t float64) float64 { return 1.2 * math.Exp(-t/25) }),
		series(61, func(t float64) float64 { return 0.35 + 0.2*math.Sin(t/8) }),
		series(61, func(t float64) float64 { return -0.1 - 1.1*(1-math.Exp(-t/20)) }),
		series(61, func(t float64) float64 { return -0.25 * math.Exp(-math.Pow((t-20)/10, 2)) }),
	}
	for i := range months {
		sum := 0.0
		for _, r := range raw {
			sum += math.Abs(r[i])
		}
		for _, r := range raw {
			r[i] /= sum
		}
	}
	for _, r := range raw {
		r[0] = math.NaN()
	}
	s.Values = raw
	return s
}

func TestLoopDominanceGolden(t *testing.T) {
	c, err := chart.LoopDominance(loopScores(), chart.Options{TimeUnits: "month"})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "loop_dominance", c)
}

func TestPhaseGolden(t *testing.T) {
	c, err := chart.Phase(runs(3), customers, happiness, chart.Options{
		Marks: []float64{0, 12, 24, 36, 48, 60},
		Quadrants: &chart.Quadrants{
			X0: 10000, Y0: 0.5,
			TopLeft: "work to keep", TopRight: "success",
			BottomLeft: "struggle", BottomRight: "leaky bucket",
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "phase", c)
}

// TestLoopDominanceLabels checks that the legend shows loop names with
// spaces for underscores, as every other chart shows names.
func TestLoopDominanceLabels(t *testing.T) {
	c, err := chart.LoopDominance(chart.LoopScores{
		Times:  []float64{0, 1},
		Names:  []string{"word_of_mouth"},
		Values: [][]float64{{math.NaN(), 1}},
	}, chart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.Write(&buf, chart.SVG); err != nil {
		t.Fatal(err)
	}
	if svg := buf.String(); !strings.Contains(svg, "word of mouth") || strings.Contains(svg, "word_of_mouth") {
		t.Errorf("the legend does not show %q as %q", "word_of_mouth", "word of mouth")
	}
}
