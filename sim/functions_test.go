package sim_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// runAux runs a model whose auxiliaries are the given equations, from 0 to
// stop with step dt, and returns the result.
func runAux(t *testing.T, method model.Method, stop, dt float64, aux map[string]string) *sim.Result {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "time: {start: 0, stop: %g, dt: %g, method: %v}\nauxiliaries:\n", stop, dt, method)
	for name, eq := range aux {
		fmt.Fprintf(&b, "  %s: %s\n", name, yamlQuote(eq))
	}
	return mustRun(t, compileSrc(t, b.String()), sim.Scenario{})
}

// erlang is the distribution function of the Erlang distribution of order
// n and rate k at t: 1 − e^(−kt)·Σ_{i<n} (kt)^i/i!. It is the response of
// an n-th order smooth or material delay of time n/k to a unit step (each
// of its n stages is a first-order lag of time 1/k).
func erlang(n int, k, t float64) float64 {
	x := k * t
	sum, term := 0.0, 1.0
	for i := 0; i < n; i++ {
		sum += term
		term *= x / float64(i+1)
	}
	return 1 - math.Exp(-x)*sum
}

// TestStatefulClosedForms checks the smooths and delays against the
// closed-form responses of linear lags to a unit step, under RK4 with a
// small step (where the numerical error is far below the tolerance), and
// under Euler against its exact recurrence.
func TestStatefulClosedForms(t *testing.T) {
	const tau = 6.0
	tests := []struct {
		eq    string
		exact func(t float64) float64
	}{
		// One first-order lag: 1 − e^(−t/τ).
		{"SMTH1(1, 6, 0)", func(t float64) float64 { return erlang(1, 1/tau, t) }},
		{"SMOOTHI(1, 6, 0)", func(t float64) float64 { return erlang(1, 1/tau, t) }},
		// Three lags of τ/3 each: the Erlang-3 distribution function.
		{"SMTH3(1, 6, 0)", func(t float64) float64 { return erlang(3, 3/tau, t) }},
		{"SMOOTH3I(1, 6, 0)", func(t float64) float64 { return erlang(3, 3/tau, t) }},
		{"SMTHN(1, 6, 5, 0)", func(t float64) float64 { return erlang(5, 5/tau, t) }},
		{"SMOOTH_N(1, 6, 0, 5)", func(t float64) float64 { return erlang(5, 5/tau, t) }},
		// A smooth from 10 toward 4: 4 + 6·e^(−t/τ).
		{"SMTH1(4, 6, 10)", func(t float64) float64 { return 4 + 6*math.Exp(-t/tau) }},
		// The outflow of a material delay of a unit step, starting empty.
		{"DELAY1(1, 6, 0)", func(t float64) float64 { return erlang(1, 1/tau, t) }},
		{"DELAY3(1, 6, 0)", func(t float64) float64 { return erlang(3, 3/tau, t) }},
		{"DELAY3I(1, 6, 0)", func(t float64) float64 { return erlang(3, 3/tau, t) }},
		{"DELAYN(1, 6, 4, 0)", func(t float64) float64 { return erlang(4, 4/tau, t) }},
		{"DELAY_N(1, 6, 0, 4)", func(t float64) float64 { return erlang(4, 4/tau, t) }},
		// Started in equilibrium (initial defaults to the input), a delay
		// or smooth of a constant stays at it.
		{"DELAY3(2.5, 6)", func(float64) float64 { return 2.5 }},
		{"SMTH3(2.5, 6)", func(float64) float64 { return 2.5 }},
		// TREND of e^(0.1t), started at its steady trend: the average
		// lags at input/(1 + 0.1·τ), so the trend stays 0.1.
		{"TREND(EXP(0.1 * TIME), 6, 0.1)", func(float64) float64 { return 0.1 }},
		// FORCST extrapolates along that trend: input·(1 + 10·0.1).
		{"FORCST(EXP(0.1 * TIME), 6, 10, 0.1)", func(t float64) float64 { return 2 * math.Exp(0.1*t) }},
		// INIT holds the value at the start.
		{"INIT(TIME + 5)", func(float64) float64 { return 5 }},
	}
	for _, tt := range tests {
		t.Run(tt.eq, func(t *testing.T) {
			res := runAux(t, model.RK4, 20, 1.0/128, map[string]string{"x": tt.eq})
			x := must(res.Series("x"))
			for i, tm := range res.Times {
				if want := tt.exact(tm); math.Abs(x[i]-want) > 1e-7 {
					t.Fatalf("RK4: x(%g) = %.12g, want %.12g", tm, x[i], want)
				}
			}
		})
	}
}

// TestStatefulEuler checks Euler's exact recurrences: a first-order smooth
// of 1 from 0 is 1 − (1 − dt/τ)^n after n steps, and a third-order one
// applies that lag three times over.
func TestStatefulEuler(t *testing.T) {
	const tau, dt = 4.0, 0.5
	res := runAux(t, model.Euler, 10, dt, map[string]string{"s1": "SMTH1(1, 4, 0)", "s3": "SMTH3(1, 4, 0)", "d1": "DELAY1(1, 4, 0)"})
	a, b, c := 0.0, 0.0, 0.0 // the three stages of s3, stage time τ/3
	s1 := 0.0
	for i := range res.Times {
		if got := must(res.Series("s1"))[i]; math.Abs(got-s1) > 1e-14 {
			t.Fatalf("s1 step %d = %.17g, want %.17g", i, got, s1)
		}
		if got := must(res.Series("d1"))[i]; math.Abs(got-s1) > 1e-14 {
			t.Fatalf("d1 step %d = %.17g, want %.17g", i, got, s1)
		}
		if got := must(res.Series("s3"))[i]; math.Abs(got-c) > 1e-14 {
			t.Fatalf("s3 step %d = %.17g, want %.17g", i, got, c)
		}
		s1 += dt * (1 - s1) / tau
		a, b, c = a+dt*(1-a)/(tau/3), b+dt*(a-b)/(tau/3), c+dt*(b-c)/(tau/3)
	}
}

// TestFixedDelay checks DELAY (pipeline) values by hand: the input as it
// was the delay time ago, the initial value before that.
func TestFixedDelay(t *testing.T) {
	for _, method := range []model.Method{model.Euler, model.RK4} {
		res := runAux(t, method, 5, 0.25, map[string]string{
			"ramp":    "DELAY(TIME, 2)",            // 0 until 2 (the input's initial value), then t − 2
			"stepped": "DELAY(STEP(1, 1), 2, 5)",   // 5 until 2, then 0 until 3, then 1
			"fixed":   "DELAY_FIXED(TIME, 1.5, 0)", // 0 until 1.5, then t − 1.5
			"odd":     "DELAY(TIME * TIME, 0.6)",   // between saved steps: interpolated
			"short":   "DELAY(TIME, 0.1)",          // shorter than dt: one step back
			"nested":  "DELAY(DELAY(TIME, 1), 1)",  // 0 until 2, then t − 2
		})
		for i, tm := range res.Times {
			check := func(name string, want float64) {
				if got := must(res.Series(name))[i]; math.Abs(got-want) > 1e-12 {
					t.Errorf("%v: %s(%g) = %g, want %g", method, name, tm, got, want)
				}
			}
			check("ramp", math.Max(0, tm-2))
			check("nested", math.Max(0, tm-2))
			check("fixed", math.Max(0, tm-1.5))
			switch {
			case tm < 2:
				check("stepped", 5)
			case tm < 3:
				check("stepped", 0)
			default:
				check("stepped", 1)
			}
			check("short", math.Max(0, tm-0.25))
			// t − 0.6 falls between two steps of 0.25: the square of
			// time interpolated linearly between them.
			if past := tm - 0.6; past >= 0 {
				lo := math.Floor(past/0.25+1e-9) * 0.25
				want := lo*lo + (past-lo)/0.25*((lo+0.25)*(lo+0.25)-lo*lo)
				check("odd", want)
			} else {
				check("odd", 0)
			}
		}
	}
}

func TestPreviousAndInit(t *testing.T) {
	p := compileSrc(t, `
time: {start: 0, stop: 3, dt: 1}
stocks:
  s: {initial: 10, inflows: [f]}
flows:
  f: 2
auxiliaries:
  prev_time: PREVIOUS(TIME, -1)
  prev_stock: PREVIOUS(s)
  counter: PREVIOUS(SELF, 0) + 1
  start_stock: INIT(s)
  initial_alias: INITIAL(s * 2)
`)
	for _, method := range []model.Method{model.Euler, model.RK2, model.RK4} {
		res := mustRun(t, p, sim.Scenario{Method: method})
		want := map[string][]float64{
			"prev_time":     {-1, 0, 1, 2},
			"prev_stock":    {10, 10, 12, 14}, // the stock's initial value first
			"counter":       {1, 2, 3, 4},
			"start_stock":   {10, 10, 10, 10},
			"initial_alias": {20, 20, 20, 20},
		}
		for name, w := range want {
			if diff := cmp.Diff(w, must(res.Series(name))); diff != "" {
				t.Errorf("%v: %s mismatch (-want +got):\n%s", method, name, diff)
			}
		}
	}
}

// TestNPV checks NPV of a constant stream of 1 at rate r under Euler:
// the discount factor after k steps is (1 + r·dt)^−k, and NPV at step n
// is dt·Σ_{k=0..n} (1 + r·dt)^−k (Vensim does not discount... the current
// period's stream is counted at the current factor).
func TestNPV(t *testing.T) {
	// Under RK4 the discount factor follows the same linear equation, so
	// for a constant stream it is (1 − h + h²/2 − h³/6 + h⁴/24)^k with
	// h = r·dt/(1 + r·dt): check the first steps by that closed form.
	res4 := runAux(t, model.RK4, 2, 0.5, map[string]string{"v": "NPV(1, 0.1)"})
	h := 0.1 * 0.5 / (1 + 0.1*0.5)
	g := 1 - h + h*h/2 - h*h*h/6 + h*h*h*h/24
	acc, df := 0.0, 1.0
	for i := range res4.Times {
		if got, want := must(res4.Series("v"))[i], acc+0.5*df; math.Abs(got-want) > 1e-12 {
			t.Fatalf("RK4: NPV at step %d = %.15g, want %.15g", i, got, want)
		}
		// The accumulated stream integrates df exactly as RK4 does for a
		// linear equation: the mean of df over the step by Simpson's rule
		// on RK4's stages.
		k1, k2 := df, df*(1-h/2)
		k3, k4 := df*(1-h/2+h*h/4), df*(1-h+h*h/2-h*h*h/4)
		acc += 0.5 * (k1 + 2*k2 + 2*k3 + k4) / 6
		df *= g
	}
	const r, dt = 0.1, 0.5
	res := runAux(t, model.Euler, 10, dt, map[string]string{"v": "NPV(1, 0.1)", "scaled": "NPV(1, 0.1, 3, 2)"})
	want := 0.0
	for i := range res.Times {
		want += dt * math.Pow(1+r*dt, -float64(i))
		if got := must(res.Series("v"))[i]; math.Abs(got-want) > 1e-12 {
			t.Fatalf("NPV at step %d = %.15g, want %.15g", i, got, want)
		}
		if got := must(res.Series("scaled"))[i]; math.Abs(got-2*(want+3)) > 1e-12 {
			t.Fatalf("NPV(1, 0.1, 3, 2) at step %d = %.15g, want %.15g", i, got, 2*(want+3))
		}
	}
}

// TestTimeInputs evaluates STEP, RAMP, PULSE and PULSE TRAIN at each step
// of a run with dt = 0.5, against values worked out by hand.
func TestTimeInputs(t *testing.T) {
	for _, method := range []model.Method{model.Euler, model.RK4} {
		testTimeInputs(t, method)
	}
}

func testTimeInputs(t *testing.T, method model.Method) {
	res := runAux(t, method, 6, 0.5, map[string]string{
		"step":        "STEP(3, 2)",
		"ramp":        "RAMP(2, 1)",
		"ramp_end":    "RAMP(2, 1, 3)",
		"pulse":       "PULSE(4, 1)",
		"pulse_every": "PULSE(1, 1, 2)",
		"train":       "PULSE_TRAIN(1, 1, 2.5, 5)",
	})
	want := map[string][]float64{
		//              t=0  .5   1    1.5  2    2.5  3    3.5  4    4.5  5    5.5  6
		"step":        {0, 0, 0, 0, 3, 3, 3, 3, 3, 3, 3, 3, 3},
		"ramp":        {0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
		"ramp_end":    {0, 0, 0, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4},
		"pulse":       {0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, // 4/dt in the step at 1
		"pulse_every": {0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0},
		"train":       {0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0},
	}
	for name, w := range want {
		if diff := cmp.Diff(w, must(res.Series(name))); diff != "" {
			t.Errorf("%v: %s mismatch (-want +got):\n%s", method, name, diff)
		}
	}
}

// TestPulseVolume checks that a flow of PULSE moves exactly its volume under
// every method (each stage of an RK step sees the pulse of its step).
func TestPulseVolume(t *testing.T) {
	p := compileSrc(t, `
time: {start: 0, stop: 5, dt: 0.25}
stocks:
  tank: {initial: 0, inflows: [fill]}
flows:
  fill: PULSE(10, 2)
`)
	for _, method := range []model.Method{model.Euler, model.RK2, model.RK4} {
		if got := must(mustRun(t, p, sim.Scenario{Method: method}).Final("tank")); math.Abs(got-10) > 1e-12 {
			t.Errorf("%v: tank = %g, want 10", method, got)
		}
	}
}

func TestHelpers(t *testing.T) {
	tests := []struct {
		eq   string
		want float64
	}{
		{"XIDZ(1, 4, 9)", 0.25},
		{"XIDZ(1, 0, 9)", 9},
		{"ZIDZ(3, 2)", 1.5},
		{"ZIDZ(3, 0)", 0},
		{"IF_THEN_ELSE(1, 2, 3)", 2},
		{"IF THEN ELSE(0, 2, 3)", 3}, // Vensim's spelling
		{"IF_THEN_ELSE(1, 2, LN(-1))", 2},
		{"ROUND(2.5)", 3},
		{"ROUND(-2.5)", -3},
		{"ROUND(2.4)", 2},
		{"SIGN(-3)", -1},
		{"SIGN(0)", 0},
		{"SIGN(0.1)", 1},
		{"MIN(5, 3, 4)", 3},
		{"MAX(5, 3, 9, 4)", 9},
	}
	for _, tt := range tests {
		eq := tt.eq
		if strings.Contains(eq, " THEN ELSE(") {
			eq = `"IF THEN ELSE"` + strings.TrimPrefix(eq, "IF THEN ELSE")
		}
		if got := eval(t, eq); got != tt.want {
			t.Errorf("%s = %g, want %g", tt.eq, got, tt.want)
		}
	}
}

// TestNested checks that stateful calls nest and that each call keeps its
// own state.
func TestNested(t *testing.T) {
	for _, method := range []model.Method{model.Euler, model.RK4} {
		res := runAux(t, method, 30, 0.125, map[string]string{
			"input":  "STEP(1, 1)",
			"nested": "SMTH1(DELAY3(input, 4), 2)",
			"two":    "SMTH1(input, 2) - SMTH1(input, 8)",
			"deep":   "SMTH1(SMTH1(SMTH1(input, 2), 2), 2)",
			"three":  "SMTH3(input, 6)",
		})
		n := must(res.Series("nested"))
		if n[0] != 0 || math.Abs(n[len(n)-1]-1) > 0.01 {
			t.Errorf("%v: nested goes from %g to %g, want 0 to about 1", method, n[0], n[len(n)-1])
		}
		// Two smooths of different times in one equation: the fast one
		// leads, so their difference is positive after the step.
		if d := must(res.Series("two"))[16]; !(d > 0.1) {
			t.Errorf("%v: two smooths in one equation differ by %g at t=2, want > 0.1", method, d)
		}
		// Three first-order smooths of 2 in a chain are a third-order
		// smooth of 6.
		deep, three := must(res.Series("deep")), must(res.Series("three"))
		for i := range deep {
			if math.Abs(deep[i]-three[i]) > 1e-12 {
				t.Fatalf("%v: at %g chained SMTH1s %g, SMTH3 %g", method, res.Times[i], deep[i], three[i])
			}
		}
	}
}

// TestHiddenStateIsHidden checks that stateful functions add no output
// columns and cannot be set or named.
func TestHiddenStateIsHidden(t *testing.T) {
	p := compileSrc(t, "time: {stop: 2}\nauxiliaries:\n  x: SMTH3(DELAY(TIME, 1), 2)\n")
	if diff := cmp.Diff([]string{"x"}, p.Names()); diff != "" {
		t.Errorf("Names mismatch (-want +got):\n%s", diff)
	}
}

// TestCompileTwice checks that compiling does not change the model, so a
// model compiles the same way again.
func TestCompileTwice(t *testing.T) {
	m, err := model.Load("m.yaml", []byte("time: {stop: 2}\nauxiliaries:\n  x: SMTH1(TIME, 2) + DELAY3(TIME, 1)\n"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	b, err := sim.Compile(m)
	if err != nil {
		t.Fatalf("second Compile: %v", err)
	}
	if !cmp.Equal(mustRun(t, a, sim.Scenario{}), mustRun(t, b, sim.Scenario{})) {
		t.Error("the two programs differ")
	}
}

const randomSrc = `
time: {start: 0, stop: 10000, dt: 1}
stocks:
  total: {initial: 0, inflows: [draw]}
flows:
  draw: RANDOM(0, 1)
auxiliaries:
  uniform: RANDOM(2, 4)
  normal: NORMAL(10, 2)
  lognormal: LOGNORMAL(5, 1)
  exponential: EXPRND(3)
  poisson: POISSON(4)
  triangular: TRIANGULAR(0, 1, 5)
  seeded: UNIFORM(0, 1, 42)
`

// TestRandomDistributions checks the sample mean (and for NORMAL the
// standard deviation) of 10,001 draws of each function against its
// distribution's, within about five standard errors.
func TestRandomDistributions(t *testing.T) {
	res := mustRun(t, compileSrc(t, randomSrc), sim.Scenario{Seed: 7})
	stats := func(name string) (mean, sd float64) {
		xs := must(res.Series(name))
		for _, x := range xs {
			mean += x
		}
		mean /= float64(len(xs))
		for _, x := range xs {
			sd += (x - mean) * (x - mean)
		}
		return mean, math.Sqrt(sd / float64(len(xs)-1))
	}
	tests := []struct {
		name     string
		mean, sd float64 // of the distribution
	}{
		{"uniform", 3, 2 / math.Sqrt(12)},
		{"normal", 10, 2},
		{"lognormal", 5, 1},
		{"exponential", 3, 3},
		{"poisson", 4, 2},
		{"triangular", 2, math.Sqrt((0 + 1 + 25 - 0 - 0 - 5) / 18.0)},
		{"seeded", 0.5, 1 / math.Sqrt(12)},
	}
	for _, tt := range tests {
		mean, sd := stats(tt.name)
		if se := tt.sd / math.Sqrt(10001); math.Abs(mean-tt.mean) > 5*se {
			t.Errorf("%s: mean %g, want %g ± %g", tt.name, mean, tt.mean, 5*se)
		}
		if math.Abs(sd-tt.sd) > 0.05*tt.sd {
			t.Errorf("%s: sd %g, want %g", tt.name, sd, tt.sd)
		}
	}
}

// TestRandomSeeds checks reproducibility: the same seed gives identical
// output, another seed different output, a call with its own seed the same
// numbers whatever the run's seed, and concurrent runs the numbers they
// give alone.
func TestRandomSeeds(t *testing.T) {
	p := compileSrc(t, randomSrc)
	a := mustRun(t, p, sim.Scenario{Seed: 1})
	b := mustRun(t, p, sim.Scenario{Seed: 1})
	c := mustRun(t, p, sim.Scenario{Seed: 2})
	if !cmp.Equal(a, b) {
		t.Error("the same seed gave different results")
	}
	if cmp.Equal(must(a.Series("normal")), must(c.Series("normal"))) {
		t.Error("different seeds gave the same results")
	}
	if !cmp.Equal(must(a.Series("seeded")), must(c.Series("seeded"))) {
		t.Error("a call with its own seed changed with the run's seed")
	}
	var wg sync.WaitGroup
	results := make([]*sim.Result, 8)
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i], _ = p.Run(sim.Scenario{Seed: uint64(i % 2)})
		}(i)
	}
	wg.Wait()
	alone := []*sim.Result{mustRun(t, p, sim.Scenario{Seed: 0}), a}
	for i, r := range results {
		if !cmp.Equal(alone[i%2], r) {
			t.Errorf("concurrent run %d differs from the same run alone", i)
		}
	}
}

// TestRandomOncePerStep checks that RK4 sees one draw per step: a stock
// fed by RANDOM integrates to the same total as under Euler.
func TestRandomOncePerStep(t *testing.T) {
	p := compileSrc(t, randomSrc)
	e := mustRun(t, p, sim.Scenario{Seed: 3, Method: model.Euler})
	k := mustRun(t, p, sim.Scenario{Seed: 3, Method: model.RK4})
	if !cmp.Equal(must(e.Series("draw")), must(k.Series("draw"))) {
		t.Error("RK4 drew different numbers from Euler")
	}
	if a, b := must(e.Final("total")), must(k.Final("total")); math.Abs(a-b) > 1e-9*a {
		t.Errorf("total under Euler %g, under RK4 %g", a, b)
	}
}

// TestFunctionErrors pins the messages for misused functions.
func TestFunctionErrors(t *testing.T) {
	tests := []struct{ eq, want string }{
		{"SMTH1(1)", `test.yaml:4:6: SMTH1 takes 2 or 3 arguments, not 1 (SMTH1(input, time[, initial]))`},
		{"SMOOTH(1, 2, 3, 4)", `test.yaml:4:6: SMOOTH takes 2 or 3 arguments, not 4 (SMTH1(input, time[, initial]))`},
		{"DELAYN(1, 2)", `test.yaml:4:6: DELAYN takes 3 or 4 arguments, not 2 (DELAYN(input, time, n[, initial]))`},
		{"SMTHN(1, 2, TIME)", `test.yaml:4:18: the order of SMTHN must be a number or computed from constants, not TIME`},
		{"DELAYN(1, 2, 2.5)", `test.yaml:4:19: the order of DELAYN must be a whole number from 1 to 1000, not 2.5`},
		{"DELAYN(1, 2, y / 2)", `test.yaml:4:21: the order of DELAYN must be a whole number from 1 to 1000, not y / 2 = 0.5`},
		{"PULSE_TRAIN(1, 2)", `test.yaml:4:6: PULSE_TRAIN takes 4 arguments, not 2 (PULSE_TRAIN(start, width, interval, end))`},
		{"RANDOM()", `test.yaml:4:6: RANDOM takes 2 or 3 arguments, not 0 (RANDOM(min, max[, seed]))`},
		{"SMTH1(DELAY3(1), 2)", `test.yaml:4:12: DELAY3 takes 2 or 3 arguments, not 1 (DELAY3(input, time[, initial]))`},
		{"XIDZ(1, 2)", `test.yaml:4:6: XIDZ takes 3 arguments, not 2 (XIDZ(a, b, x))`},
	}
	for _, tt := range tests {
		m, err := model.Load("test.yaml", []byte("time: {stop: 1}\nauxiliaries:\n  y: 1\n  x: "+tt.eq+"\n"))
		if err == nil {
			_, err = sim.Compile(m)
		}
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error\n  %v\nwant\n  %s", tt.eq, err, tt.want)
		}
	}
}

// TestFunctionsTable checks that every builtin is documented.
func TestFunctionsTable(t *testing.T) {
	seen := make(map[string]bool)
	for _, f := range sim.Functions() {
		if f.Doc == "" || !strings.HasPrefix(f.Signature, f.Name+"(") {
			t.Errorf("%s: signature %q, doc %q", f.Name, f.Signature, f.Doc)
		}
		if seen[f.Name] {
			t.Errorf("%s listed twice", f.Name)
		}
		seen[f.Name] = true
	}
	for _, name := range []string{"SMTH1", "SMTH3", "SMTHN", "DELAY1", "DELAY3", "DELAYN", "DELAY", "TREND", "FORCST", "NPV", "INIT", "PREVIOUS",
		"STEP", "RAMP", "PULSE", "PULSE_TRAIN", "RANDOM", "NORMAL", "LOGNORMAL", "EXPRND", "POISSON", "TRIANGULAR",
		"XIDZ", "ZIDZ", "IF_THEN_ELSE", "MIN", "MAX", "ROUND", "SIGN"} {
		if !seen[name] {
			t.Errorf("%s is not listed", name)
		}
	}
}

// TestComputedOrder checks SMTHN and DELAYN with an order computed at the
// start from constants: the same as the literal order, fewer stages when
// a scenario lowers it, and an error when a scenario asks for more
// stages than the model's value gave the program.
func TestComputedOrder(t *testing.T) {
	p := compileSrc(t, `
time: {start: 0, stop: 12, dt: 0.25}
auxiliaries:
  n: 3
  input: STEP(10, 1)
  d: DELAYN(input, 4, n)
  d3: DELAYN(input, 4, 3)
  d1: DELAY1(input, 4)
  s: SMTHN(input, 4, n, 2)
  s3: SMTHN(input, 4, 3, 2)
  s1: SMTH1(input, 4, 2)
`)
	same := func(res *sim.Result, a, b string) {
		t.Helper()
		if diff := cmp.Diff(must(res.Series(b)), must(res.Series(a)), cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("%s and %s differ (-%s +%s):\n%s", a, b, b, a, diff)
		}
	}
	res := mustRun(t, p, sim.Scenario{})
	same(res, "d", "d3")
	same(res, "s", "s3")
	res = mustRun(t, p, sim.Scenario{Set: map[string]float64{"n": 1}})
	same(res, "d", "d1")
	same(res, "s", "s1")
	_, err := p.Run(sim.Scenario{Set: map[string]float64{"n": 4}})
	var me *model.Error
	if !errors.As(err, &me) || me.Pos.Line != 6 {
		t.Errorf("Run(n = 4) error = %v, want a *model.Error at line 6 (the DELAYN)", err)
	}
}
