package chart_test

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/chart"
)

// gridVars are twelve variables of the shapes a model's output takes, some
// with long names, for grids of many panels.
var gridVars = []struct {
	v chart.Var
	f func(s strategy, t float64) float64
}{
	{customers, func(s strategy, t float64) float64 { return logistic(s.k, s.r, s.t0)(t) }},
	{mrr, func(s strategy, t float64) float64 { return logistic(s.k, s.r, s.t0)(t) * (95 + 60*s.happy) }},
	{happiness, func(s strategy, t float64) float64 { return s.happy + (0.5-s.happy)*math.Exp(-t/9) }},
	{chart.Var{Name: "adoption", Units: "dimensionless"}, func(s strategy, t float64) float64 { return 0.7 * s.happy * (1 - math.Exp(-t/8)) }},
	{chart.Var{Name: "churn", Units: "accounts/month"}, func(s strategy, t float64) float64 {
		return logistic(s.k, s.r, s.t0)(t) * 0.02 * (1.4 - s.happy)
	}},
	{chart.Var{Name: "cs_per_customer", Label: "CS per customer", Units: "$/account/month"}, func(s strategy, t float64) float64 {
		return s.cost / 2000 * math.Exp(-t/30)
	}},
	{profit, func(s strategy, t float64) float64 { return (t*t*s.happy*900 - s.cost*t/3) }},
	{prospects, func(s strategy, t float64) float64 { return 30000 - logistic(s.k, s.r, s.t0)(t) }},
	{chart.Var{Name: "net_revenue_retention_of_the_installed_base", Units: "dimensionless"}, func(s strategy, t float64) float64 {
		return 0.9 + 0.3*s.happy*(1-math.Exp(-t/12))
	}},
	{chart.Var{Name: "service_quality", Units: "dimensionless"}, func(s strategy, t float64) float64 { return s.happy + 0.2*math.Exp(-t/20) }},
	{chart.Var{Name: "referral_acquisitions", Units: "accounts/month"}, func(s strategy, t float64) float64 {
		return 40 * s.happy * logistic(1, s.r, s.t0)(t)
	}},
	{chart.Var{Name: "paid_acquisitions", Units: "accounts/month"}, func(s strategy, t float64) float64 { return 900000 / s.cost * 20 }},
}

// gridRuns returns the runs of the three strategies over 36 months with
// the first n of gridVars.
func gridRuns(n int) ([]chart.Run, []chart.Var) {
	var vars []chart.Var
	for _, g := range gridVars[:n] {
		vars = append(vars, g.v)
	}
	times := series(37, func(t float64) float64 { return t })
	var runs []chart.Run
	for _, s := range strategies {
		res := &sim.Result{Times: times}
		for _, g := range gridVars[:n] {
			res.Names = append(res.Names, g.v.Name)
			res.Values = append(res.Values, series(37, func(t float64) float64 { return g.f(s, t) }))
		}
		runs = append(runs, chart.Run{Name: s.name, Result: res})
	}
	return runs, vars
}

// TestManyPanelsGolden draws grids of 7, 9 and 12 panels at the default
// size, which grows to keep each panel readable.
func TestManyPanelsGolden(t *testing.T) {
	for _, n := range []int{7, 9, 12} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			runs, vars := gridRuns(n)
			c, err := chart.SmallMultiples(runs, vars, chart.Options{
				Title:     fmt.Sprintf("%d measures of three splits of the budget", n),
				TimeUnits: "month",
			})
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, fmt.Sprintf("small_multiples_%d", n), c)
		})
	}
}

// TestPanelsThatDoNotFit refuses a grid whose panels would be too small to
// read at the size asked for, and one of too many panels, saying what
// would fit.
func TestPanelsThatDoNotFit(t *testing.T) {
	runs, vars := gridRuns(12)
	tests := []struct {
		name string
		vars []chart.Var
		o    chart.Options
		want string // "" for a chart that draws
	}{
		{"12 at slide size", vars, chart.Options{Width: 13.33, Height: 7.5}, ""},
		{"12 at the default size", vars, chart.Options{}, ""},
		{"9 at 8×5 in", vars[:9], chart.Options{Width: 8, Height: 5},
			"chart: 9 panels do not fit in 8×5 in (each would be 2.29×0.61 in; a panel needs 2×1.3 in): make the chart at least 8×7.07 in, or chart fewer variables"},
		{"12 at 6×6 in", vars, chart.Options{Width: 6, Height: 6},
			"chart: 12 panels do not fit in 6×6 in (each would be 1.13×0.94 in; a panel needs 2×1.3 in): make the chart at least 9.48×7.07 in, or chart fewer variables"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := chart.SmallMultiples(runs, tt.vars, tt.o)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			err = c.Write(&buf, chart.PNG)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Write: %v", err)
				}
				if _, err := png.Decode(&buf); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Errorf("Write() error\n%v\nwant\n%s", err, tt.want)
			}
		})
	}
	// Past 24 panels, no size will do.
	var many []chart.Var
	for range 3 {
		many = append(many, vars...)
	}
	c, err := chart.SmallMultiples(runs, many[:25], chart.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Write(&bytes.Buffer{}, chart.SVG); err == nil || !strings.Contains(err.Error(), "chart: 25 panels are too many to read in one chart; chart at most 24 variables at once") {
		t.Errorf("25 panels: error %v", err)
	}
}

// TestScenarioNamed checks that a chart of one run names its scenario in
// the subtitle, and one of several in the legend.
func TestScenarioNamed(t *testing.T) {
	runs, vars := gridRuns(2)
	svg := func(c *chart.Chart, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := c.Write(&buf, chart.SVG); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	scores := chart.LoopScores{Times: []float64{0, 1}, Names: []string{"growth"}, Values: [][]float64{{math.NaN(), 1}}}
	tests := []struct {
		name string
		svg  string
		want []string
	}{
		{"time series of one run", svg(chart.TimeSeries(runs[2:], vars[:1], chart.Options{})), []string{">Scenario: success heavy<"}},
		{"time series with a subtitle", svg(chart.TimeSeries(runs[:1], vars[:1], chart.Options{Subtitle: "Five years"})), []string{">Five years · Scenario: acquisition heavy<"}},
		{"small multiples of one run", svg(chart.SmallMultiples(runs[1:2], vars, chart.Options{})), []string{">Scenario: balanced<"}},
		{"small multiples of runs", svg(chart.SmallMultiples(runs, vars, chart.Options{})), []string{">acquisition heavy<", ">balanced<", ">success heavy<"}},
		{"phase of one run", svg(chart.Phase(runs[:1], vars[0], vars[1], chart.Options{})), []string{">acquisition heavy<"}},
		{"loop dominance", svg(chart.LoopDominance(scores, chart.Options{Scenario: "success_first"})), []string{">Scenario: success first<"}},
		{"bands", svg(chart.Bands([]chart.Band{band("baseline", strategies[0], 0.1)}, customers, chart.Options{})), []string{">baseline<"}},
	}
	for _, tt := range tests {
		for _, w := range tt.want {
			if !strings.Contains(tt.svg, w) {
				t.Errorf("%s: the SVG has no text %q", tt.name, w)
			}
		}
	}
}

// TestTimeTicks checks that a time axis ticks at steps of its units and
// shows where the run starts and ends: a 36-month run at 0, 12, 24 and 36.
func TestTimeTicks(t *testing.T) {
	tests := []struct {
		name  string
		stop  float64
		units string
		want  []string
	}{
		{"36 months", 36, "month", []string{">0<", ">12<", ">24<", ">36<"}},
		{"60 months", 60, "month", []string{">0<", ">60<"}},
		{"52 weeks", 52, "week", []string{">0<", ">13<", ">26<", ">39<", ">52<"}},
		{"100 years", 100, "year", []string{">0<", ">100<"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := int(tt.stop) + 1
			res := &sim.Result{Names: []string{"x"}, Times: series(n, func(t float64) float64 { return t }),
				Values: [][]float64{series(n, func(t float64) float64 { return t * t })}}
			c, err := chart.TimeSeries([]chart.Run{{Result: res}}, []chart.Var{{Name: "x"}}, chart.Options{TimeUnits: tt.units})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := c.Write(&buf, chart.SVG); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(buf.String(), w) {
					t.Errorf("no tick label %s on the time axis", w)
				}
			}
		})
	}
}
