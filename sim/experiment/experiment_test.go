package experiment_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/experiment"
)

func compile(t testing.TB, src string) *sim.Program {
	t.Helper()
	m, err := model.Load("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustDist(t testing.TB, s string) experiment.Dist {
	t.Helper()
	d, err := experiment.ParseDist(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// decay is x' = −k·x, x(0) = 1, integrated by RK4 with a small step, so
// that x(t) = exp(−k·t) to about 1e-9.
const decay = `
time: {start: 0, stop: 4, dt: 0.0625, save_every: 1, method: rk4}
stocks:
  x: {initial: 1, outflows: [loss]}
flows:
  loss: {equation: k * x}
auxiliaries:
  k: {equation: 0.5}
`

func TestEnsembleOrder(t *testing.T) {
	p := compile(t, decay)
	var scs []sim.Scenario
	for i := range 50 {
		scs = append(scs, sim.Scenario{Name: "s", Set: map[string]float64{"k": float64(i) / 50}})
	}
	for _, workers := range []int{1, 3, 8} {
		var calls []int
		rs, err := experiment.Ensemble(context.Background(), p, scs, experiment.Options{Workers: workers, Progress: func(done, total int) {
			if total != 50 {
				t.Errorf("progress total %d, want 50", total)
			}
			calls = append(calls, done)
		}})
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rs {
			if want := math.Exp(-float64(i) / 50 * 4); math.Abs(must(r.Final("x"))-want) > 1e-8 {
				t.Fatalf("workers %d: result %d: x(4) = %g, want %g", workers, i, must(r.Final("x")), want)
			}
		}
		if len(calls) != 50 || calls[49] != 50 || !sort.IntsAreSorted(calls) {
			t.Errorf("workers %d: progress calls %v", workers, calls)
		}
	}
}

func TestEnsembleError(t *testing.T) {
	p := compile(t, `
time: {start: 0, stop: 5}
auxiliaries:
  d: {equation: 1}
  x: {equation: 1 / (d - TIME)}
`)
	scs := make([]sim.Scenario, 40)
	for i := range scs {
		scs[i] = sim.Scenario{Name: "ok", Set: map[string]float64{"d": 10}}
	}
	scs[17] = sim.Scenario{Name: "bad17", Set: map[string]float64{"d": 3}}
	scs[30] = sim.Scenario{Name: "bad30", Set: map[string]float64{"d": 2}}
	for _, workers := range []int{1, 4} {
		_, err := experiment.Ensemble(context.Background(), p, scs, experiment.Options{Workers: workers})
		var re *experiment.RunError
		if !errors.As(err, &re) || re.Index != 17 || re.Name != "bad17" {
			t.Fatalf("workers %d: error %v, want the run of bad17", workers, err)
		}
		var rt *sim.RuntimeError
		if !errors.As(err, &rt) {
			t.Errorf("error %v does not unwrap to a *sim.RuntimeError", err)
		}
		if !strings.HasPrefix(err.Error(), "run 18 (bad17): ") {
			t.Errorf("error %q", err)
		}
	}
}

func TestEnsembleCancel(t *testing.T) {
	p := compile(t, decay)
	scs := make([]sim.Scenario, 1000)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := experiment.Ensemble(ctx, p, scs, experiment.Options{Workers: 2, Progress: func(done, total int) {
		if n++; n == 10 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if n >= 1000 {
		t.Errorf("%d runs used after cancelling", n)
	}
}

func TestParseDist(t *testing.T) {
	for _, tc := range []struct {
		in      string
		p, want float64
	}{
		{"uniform(1, 3)", 0.25, 1.5},
		{"normal(10, 2)", 0.5, 10},
		{"normal(10, 2)", 0.8413447460685429, 12},             // Φ(1)
		{"truncnormal(0, 1, 0, 10)", 0.5, 0.6744897501960817}, // half-normal median: Φ⁻¹(0.75)
		{"truncnormal(0, 1, -11, -10)", 0, -11},
		{"truncnormal(0, 1, 10, 11)", 1, 11},
		{"truncnormal(0, 1, 10, 11)", 0.5, 10.068409369547616}, // Q(m) = (Q(10) + Q(11))/2, Q = erfc(x/√2)/2, solved by bisection
		{"triangular(0, 0, 2)", 0.75, 1},                       // F(x) = 1 − (1 − x/2)²
		{"TRIANGULAR(0, 1, 2)", 0.5, 1},
		{"fixed(7)", 0.3, 7},
	} {
		d := mustDist(t, tc.in)
		if got := d.Quantile(tc.p); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%s.Quantile(%g) = %g, want %g", tc.in, tc.p, got, tc.want)
		}
	}
	// The lognormal's parameters are the mean and sd of the values:
	// the median is mean/√(1+cv²).
	d := mustDist(t, "lognormal(2, 1)")
	if got, want := d.Quantile(0.5), 2/math.Sqrt(1.25); math.Abs(got-want) > 1e-12 {
		t.Errorf("lognormal(2, 1) median %g, want %g", got, want)
	}
	for _, tc := range []struct{ in, want string }{
		{"uniform(3, 1)", "expected min < max"},
		{"normal(0, -1)", "positive standard deviation"},
		{"lognormal(1, 0)", "positive mean and standard deviation"},
		{"triangular(0, 3, 2)", "min <= mode <= max"},
		{"gamma(1, 2)", `unknown distribution "gamma"`},
		{"uniform(1)", "1 argument given, expected uniform(min, max)"},
		{"uniform(1, x)", `argument 2 (max): expected a finite number, found "x"`},
		{"0.5", "expected a distribution such as uniform(0.1, 0.3)"},
		{"truncnormal(0, 1, 50, 60)", "lies too far in the tail"},
	} {
		_, err := experiment.ParseDist(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseDist(%q): %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestLHSStrata(t *testing.T) {
	vary := []experiment.Param{{"a", mustDist(t, "uniform(0, 1)")}, {"b", mustDist(t, "uniform(0, 1)")}, {"c", mustDist(t, "uniform(0, 1)")}}
	for _, n := range []int{1, 7, 100, 1000} {
		s := experiment.Samples(vary, n, true, 42)
		for j := range vary {
			seen := make([]bool, n)
			for i := range n {
				k := int(s[i][j] * float64(n))
				if seen[k] {
					t.Fatalf("n %d, variable %d: stratum %d drawn twice", n, j, k)
				}
				seen[k] = true
			}
		}
	}
	// Monte Carlo draws are not stratified, and seeds matter.
	a := experiment.Samples(vary, 100, false, 1)
	b := experiment.Samples(vary, 100, false, 1)
	c := experiment.Samples(vary, 100, false, 2)
	if a[50][1] != b[50][1] || a[50][1] == c[50][1] {
		t.Errorf("seeded draws: %g %g %g", a[50][1], b[50][1], c[50][1])
	}
}

func TestSensitivityReproducible(t *testing.T) {
	p := compile(t, decay+`
  noise: {equation: "NORMAL(0, 0.01)"}
  y: {equation: x + noise}
`)
	study := func(seed uint64, workers int, lhs bool) string {
		s := experiment.Sensitivity{
			Vary: []experiment.Param{{"k", mustDist(t, "uniform(0.1, 0.9)")}},
			Runs: 300, LHS: lhs, Seed: seed, Vars: []string{"x", "y"},
		}
		sum, err := s.Run(context.Background(), p, experiment.Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := sum.WriteCSV(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	for _, lhs := range []bool{false, true} {
		a := study(7, 1, lhs)
		if b := study(7, 4, lhs); a != b {
			t.Errorf("lhs %v: the same seed gave different output on 1 and 4 workers", lhs)
		}
		if b := study(7, 3, lhs); a != b {
			t.Errorf("lhs %v: the same seed gave different output on a second run", lhs)
		}
		if b := study(8, 2, lhs); a == b {
			t.Errorf("lhs %v: seeds 7 and 8 gave the same output", lhs)
		}
		if !strings.HasPrefix(a, "time,variable,p5,p25,p50,p75,p95\n0,x,1,1,1,1,1\n0,y,") {
			t.Errorf("lhs %v: output starts\n%s", lhs, a[:80])
		}
	}
}

// TestSensitivityPercentiles checks the summary against a closed form. With
// k uniform on [a, b], x(t) = exp(−k·t) falls as k rises, so its
// percentile q is exp(−k₁₋q·t) with k₁₋q = a + (1−q)(b−a).
func TestSensitivityPercentiles(t *testing.T) {
	p := compile(t, decay)
	const a, b = 0.2, 0.8
	// Tolerances are on k = −ln(x)/t: LHS leaves each draw within its
	// stratum, 1/n of the range; Monte Carlo percentiles have a standard
	// error of √(q(1−q)/n) of the range (at most 0.5/√n); P² adds its own.
	for _, tc := range []struct {
		name string
		runs int
		lhs  bool
		tol  float64 // on k
	}{
		{"lhs exact", 1000, true, 2 * (b - a) / 1000},
		{"mc exact", 1000, false, 4 * 0.5 / math.Sqrt(1000) * (b - a)},
		{"mc p2", 20000, false, 4*0.5/math.Sqrt(20000)*(b-a) + 0.002},
		{"lhs p2", 20000, true, 0.002},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := experiment.Sensitivity{
				Vary: []experiment.Param{{"k", mustDist(t, "uniform(0.2, 0.8)")}},
				Runs: tc.runs, LHS: tc.lhs, Seed: 3, Vars: []string{"x"},
			}
			sum, err := s.Run(context.Background(), p, experiment.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if sum.Runs != tc.runs || len(sum.Times) != 5 {
				t.Fatalf("runs %d, times %v", sum.Runs, sum.Times)
			}
			if diff := cmp.Diff(experiment.DefaultQuantiles, sum.Quantiles); diff != "" {
				t.Errorf("Quantiles mismatch (-want +got):\n%s", diff)
			}
			for _, q := range sum.Quantiles {
				xs, err := sum.Series("X", q)
				if err != nil {
					t.Fatal(err)
				}
				for i, tm := range sum.Times {
					if tm == 0 {
						if xs[i] != 1 {
							t.Errorf("quantile %g of x(0) = %g, want 1", q, xs[i])
						}
						continue
					}
					want := a + (1-q)*(b-a)
					got := -math.Log(xs[i]) / tm
					if testing.Verbose() && tm == 4 {
						t.Logf("quantile %g: k error %.2g (tolerance %.2g)", q, got-want, tc.tol)
					}
					if math.Abs(got-want) > tc.tol {
						t.Errorf("quantile %g of x(%g) gives k = %.6g, want %.6g (tolerance %.3g)", q, tm, got, want, tc.tol)
					}
				}
			}
		})
	}
}

func TestSensitivityErrors(t *testing.T) {
	p := compile(t, decay+"  root: {equation: SQRT(k)}\n")
	u := mustDist(t, "uniform(0, 1)")
	for _, tc := range []struct {
		s    experiment.Sensitivity
		want string
	}{
		{experiment.Sensitivity{Vary: []experiment.Param{{"k", u}}}, "positive number of runs"},
		{experiment.Sensitivity{Runs: 5}, "at least one constant"},
		{experiment.Sensitivity{Runs: 5, Vary: []experiment.Param{{"kk", u}}}, `undefined variable "kk"`},
		{experiment.Sensitivity{Runs: 5, Vary: []experiment.Param{{"loss", u}}}, `cannot set "loss"`},
		{experiment.Sensitivity{Runs: 5, Vary: []experiment.Param{{"k", u}}, Vars: []string{"z"}}, `undefined variable "z"`},
		{experiment.Sensitivity{Runs: 5, Vary: []experiment.Param{{"k", u}}, Quantiles: []float64{0.5, 0.05}}, "ascending"},
		{experiment.Sensitivity{Runs: 5, Vary: []experiment.Param{{"k", u}}, Quantiles: []float64{5, 50, 95}}, "fractions in [0, 1]"},
		{experiment.Sensitivity{Runs: 5, Vary: []experiment.Param{{"k", mustDist(t, "normal(-100, 1)")}}, Vars: []string{"root"}}, "run 1 (k=-"},
	} {
		_, err := tc.s.Run(context.Background(), p, experiment.Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.s, err, tc.want)
		}
	}
}

// peak has an interior optimum: the final value of profit is
// T·(a·(2 − a) + b·(3 − 2b) − a·b/2) with T = 10, largest at the point
// where ∂/∂a = 2 − 2a − b/2 = 0 and ∂/∂b = 3 − 4b − a/2 = 0.
const peak = `
time: {start: 0, stop: 10, dt: 1}
stocks:
  profit: {initial: 0, inflows: [earning]}
flows:
  earning: {equation: a * (2 - a) + b * (3 - 2 * b) - a * b / 2}
auxiliaries:
  a: {equation: 0}
  b: {equation: 0}
`

func TestOptimizeInterior(t *testing.T) {
	p := compile(t, peak)
	// A grid of 201 × 201 points over the box.
	grid := math.Inf(-1)
	for i := range 201 {
		for j := range 201 {
			a, b := 2*float64(i)/200, 2*float64(j)/200
			grid = math.Max(grid, 10*(a*(2-a)+b*(3-2*b)-a*b/2))
		}
	}
	op := experiment.Optimization{
		Vary:   []experiment.Bound{{"a", 0, 2}, {"b", 0, 2}},
		Payoff: experiment.Payoff{Var: "profit", At: experiment.Final, Maximize: true},
	}
	best, err := op.Run(context.Background(), p, experiment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(best.Payoff-grid) > 0.01*math.Abs(grid) {
		t.Errorf("payoff %g, grid search %g", best.Payoff, grid)
	}
	// The exact optimum: a = 26/31, b = 20/31.
	if math.Abs(best.Values[0]-26.0/31) > 1e-3 || math.Abs(best.Values[1]-20.0/31) > 1e-3 {
		t.Errorf("optimum at %v, want [%g %g]", best.Values, 26.0/31, 20.0/31)
	}
	if best.Runs <= 0 || best.Starts != 5 {
		t.Errorf("runs %d, starts %d", best.Runs, best.Starts)
	}
	// Minimising the same payoff over the box puts both on bounds.
	op.Payoff.Maximize = false
	low, err := op.Run(context.Background(), p, experiment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The corners give 0 (a=0,b=0), 0 (a=2,b=0), −2 (a=0,b=2), −4 (a=2,b=2).
	if math.Abs(low.Payoff-(-40)) > 0.4 {
		t.Errorf("minimum payoff %g at %v, want −40 at [2 2]", low.Payoff, low.Values)
	}
}

func TestPayoffAggregates(t *testing.T) {
	p := compile(t, peak)
	r, err := p.Run(sim.Scenario{Set: map[string]float64{"a": 1, "b": 0}}) // earning 1
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		at   experiment.Aggregate
		want float64
	}{
		{experiment.Final, 10}, {experiment.Sum, 55}, {experiment.Mean, 5},
	} {
		if got, err := (experiment.Payoff{Var: "profit", At: tc.at}).Of(r); err != nil || got != tc.want {
			t.Errorf("%v: %g, %v; want %g", tc.at, got, err, tc.want)
		}
	}
}

// logistic generates the synthetic data of the calibration tests.
const logistic = `
time: {start: 0, stop: 40, dt: 0.25, method: rk4}
stocks:
  population: {initial: 10, inflows: [births]}
flows:
  births: {equation: r * population * (1 - population / capacity)}
auxiliaries:
  r: {equation: 0.1}
  capacity: {equation: 100}
`

func TestCalibrate(t *testing.T) {
	p := compile(t, logistic)
	truth, err := p.Run(sim.Scenario{Set: map[string]float64{"r": 0.3, "capacity": 800}, Vars: []string{"population", "births"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		noise float64 // relative sd
		tol   float64
	}{
		{"exact", 0, 1e-3},
		{"noisy", 0.03, 0.03},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			var csv strings.Builder
			csv.WriteString("time,population,births\n")
			pop, births := must(truth.Series("population")), must(truth.Series("births"))
			for i, tm := range truth.Times {
				if tm != math.Trunc(tm) || int(tm)%2 != 0 {
					continue
				}
				csv.WriteString(ff(tm) + "," + ff(pop[i]*(1+tc.noise*rng.NormFloat64())) + ",")
				if i%3 != 0 { // some births not observed
					csv.WriteString(ff(births[i] * (1 + tc.noise*rng.NormFloat64())))
				}
				csv.WriteString("\n")
			}
			data, err := experiment.ReadData("obs.csv", strings.NewReader(csv.String()))
			if err != nil {
				t.Fatal(err)
			}
			c := experiment.Calibration{Vary: []experiment.Bound{{"r", 0.01, 1}, {"capacity", 100, 2000}}, Data: data}
			fit, err := c.Run(context.Background(), p, experiment.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(fit.Values[0]-0.3) > tc.tol*0.3 || math.Abs(fit.Values[1]-800) > tc.tol*800 {
				t.Errorf("fitted r=%g capacity=%g, want 0.3 and 800 within %g", fit.Values[0], fit.Values[1], tc.tol)
			}
			if len(fit.Vars) != 2 || fit.Vars[0].Points != 21 || fit.Vars[1].Points >= 21 || !(fit.Vars[0].R2 > 0.99) {
				t.Errorf("fit %+v", fit.Vars)
			}
			if tc.noise == 0 && fit.Error > 1e-6 {
				t.Errorf("error %g on exact data", fit.Error)
			}
		})
	}
}

func ff(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func TestReadDataErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"", "obs.csv:1:1: empty data file"},
		{"t,x\n1,2\n", "obs.csv:1:1: expected a header whose first column is time"},
		{"time,x,x\n", `obs.csv:1:8: column "x" repeats column 2`},
		{"time,x\n", "obs.csv:2:1: no observations"},
		{"time,x\n1,2\n0,3\n", "obs.csv:3:1: time 0 does not come after 1"},
		{"time,x\n1,2\n2,abc\n", `obs.csv:3:3: expected a number for "x", found "abc"`},
		{"time,x\n1,2\n2,3,4\n", "obs.csv:3:1: expected 2 fields (time and 1 variable), found 3"},
		{"\ufefftime,x\n1,abc\n", `obs.csv:2:3: expected a number for "x"`},
		{"time,x\nNaN,2\n", `obs.csv:2:1: expected a time, found "NaN"`},
	} {
		_, err := experiment.ReadData("obs.csv", strings.NewReader(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadData(%q): %v\nwant %s", tc.src, err, tc.want)
		}
	}
}
