package sim_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

var methods = []model.Method{model.Euler, model.RK2, model.RK4}

// TestNonNegativeConserves is the example of the issue that asked for
// limited outflows: a non-negative inventory of 100 drained by shipments
// of 30 a week into delivered. Clamping the stock after the step made
// inventory + delivered grow from 100 to 300; limiting the outflow keeps
// it at 100, under every method, and shipments reports what moved.
func TestNonNegativeConserves(t *testing.T) {
	p := compileSrc(t, `
time: {start: 0, stop: 10, dt: 1}
stocks:
  inventory: {initial: 100, outflows: [shipments], non_negative: true}
  delivered: {initial: 0, inflows: [shipments]}
flows:
  shipments: 30
`)
	for _, m := range methods {
		res := mustRun(t, p, sim.Scenario{Method: m})
		for i := range res.Times {
			if got := must(res.Series("inventory"))[i] + must(res.Series("delivered"))[i]; math.Abs(got-100) > 1e-9 {
				t.Errorf("%v: inventory + delivered at %g = %g, want 100", m, res.Times[i], got)
			}
		}
		want := []float64{100, 70, 40, 10, 0, 0, 0, 0, 0, 0, 0}
		if diff := cmp.Diff(want, must(res.Series("inventory")), cmpopts.EquateApprox(0, 1e-9)); diff != "" {
			t.Errorf("%v: inventory mismatch (-want +got):\n%s", m, diff)
		}
		// The flow taken at time t is what moves in [t, t+dt]: the
		// last 10 at time 3, nothing after.
		ship := []float64{30, 30, 30, 10, 0, 0, 0, 0, 0, 0, 0}
		if diff := cmp.Diff(ship, must(res.Series("shipments")), cmpopts.EquateApprox(0, 1e-9)); diff != "" {
			t.Errorf("%v: shipments mismatch (-want +got):\n%s", m, diff)
		}
	}
}

// TestNonNegativeOrder checks that outflows are served in the order the
// stock lists them, that inflows during the step count, and that a
// backwards inflow is served after the outflows.
func TestNonNegativeOrder(t *testing.T) {
	p := compileSrc(t, `
time: {start: 0, stop: 2, dt: 1}
stocks:
  tank: {initial: 10, inflows: [fill, back], outflows: [first, second, third], non_negative: true}
flows:
  fill: 5
  back: -4
  first: 8
  second: 6
  third: 3
`)
	res := mustRun(t, p, sim.Scenario{})
	// At 0: 10 + 5 available; first takes 8, second 6, third 1,
	// back nothing. At 1: the tank is empty; 5 flows in: first takes 5.
	want := map[string][]float64{
		"tank":   {10, 0, 0},
		"first":  {8, 5, 5},
		"second": {6, 0, 0},
		"third":  {1, 0, 0},
		"back":   {0, 0, 0},
	}
	for name, w := range want {
		if diff := cmp.Diff(w, must(res.Series(name)), cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
		}
	}
}

// TestNonNegativeChain checks a chain of non-negative stocks listed
// downstream first: what the upstream stock can give is what the
// downstream one may pass on.
func TestNonNegativeChain(t *testing.T) {
	p := compileSrc(t, `
time: {start: 0, stop: 3, dt: 1}
stocks:
  c: {initial: 0, inflows: [bc], outflows: [out], non_negative: true}
  b: {initial: 0, inflows: [ab], outflows: [bc], non_negative: true}
  a: {initial: 4, outflows: [ab], non_negative: true}
flows:
  ab: 10
  bc: 10
  out: 10
`)
	res := mustRun(t, p, sim.Scenario{})
	want := map[string][]float64{
		"a": {4, 0, 0, 0}, "b": {0, 0, 0, 0}, "c": {0, 0, 0, 0},
		"ab": {4, 0, 0, 0}, "bc": {4, 0, 0, 0}, "out": {4, 0, 0, 0},
	}
	for name, w := range want {
		if diff := cmp.Diff(w, must(res.Series(name)), cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
		}
	}
}

// randomChain writes a random model: a chain of stocks s1 → s2 → ... with
// a flow from nowhere into the first, one between each pair, one to
// nowhere from the last, and extra flows to and from nowhere and
// backwards; flows constant, proportional to a stock, or oscillating
// (running backwards at times); each stock non-negative or not. With
// outside, the flows from and to nowhere start and end at one more stock
// (not non-negative) that stands for the outside world.
func randomChain(g *rand.Rand, outside bool) (src string, stocks []string) {
	n := 1 + g.IntN(5)
	type flow struct{ name, eq, from, to string }
	var flows []flow
	stock := func(i int) string { return fmt.Sprintf("s%d", i) }
	pick := func() string { return stock(1 + g.IntN(n)) }
	eq := func(from string) string {
		switch g.IntN(4) {
		case 0:
			return fmt.Sprintf("%.3g", g.Float64()*40)
		case 1:
			if from != "" {
				return fmt.Sprintf("%.3g * %s", g.Float64()*3, from)
			}
			return fmt.Sprintf("%.3g * %s", g.Float64(), pick())
		case 2:
			return fmt.Sprintf("%.3g * SIN(TIME * %.3g)", g.Float64()*30, g.Float64()*3)
		}
		return fmt.Sprintf("%.3g - %.3g * %s", g.Float64()*20, g.Float64(), pick())
	}
	flows = append(flows, flow{"f_in", eq(""), "", stock(1)})
	for i := 1; i < n; i++ {
		flows = append(flows, flow{fmt.Sprintf("f%d", i), eq(stock(i)), stock(i), stock(i + 1)})
	}
	flows = append(flows, flow{"f_out", eq(stock(n)), stock(n), ""})
	for k := g.IntN(4); k > 0; k-- {
		from, to := pick(), ""
		switch g.IntN(3) {
		case 0:
			from, to = "", from
		case 1:
			to = pick()
			if to == from {
				to = ""
			}
		}
		flows = append(flows, flow{fmt.Sprintf("x%d", k), eq(from), from, to})
	}
	var b strings.Builder
	dt := []float64{1, 0.5, 0.25, 0.125}[g.IntN(4)]
	fmt.Fprintf(&b, "time: {start: 0, stop: %g, dt: %g}\nstocks:\n", float64(2+g.IntN(15)), dt)
	names := make([]string, 0, n+1)
	for i := 1; i <= n; i++ {
		names = append(names, stock(i))
	}
	if outside {
		names = append(names, "outside")
	}
	for _, s := range names {
		var in, out []string
		for _, f := range flows {
			from, to := f.from, f.to
			if outside && from == "" {
				from = "outside"
			}
			if outside && to == "" {
				to = "outside"
			}
			if to == s {
				in = append(in, f.name)
			}
			if from == s {
				out = append(out, f.name)
			}
		}
		initial, nonNeg := g.Float64()*50, g.IntN(4) > 0
		if s == "outside" {
			initial, nonNeg = 0, false
		}
		fmt.Fprintf(&b, "  %s: {initial: %.4g, inflows: [%s], outflows: [%s], non_negative: %v}\n",
			s, initial, strings.Join(in, ", "), strings.Join(out, ", "), nonNeg)
	}
	b.WriteString("flows:\n")
	for _, f := range flows {
		fmt.Fprintf(&b, "  %s: %s\n", f.name, yamlQuote(f.eq))
	}
	return b.String(), names
}

// TestConservationProperty runs 1,000 random chains of stocks and flows
// under Euler, RK2 and RK4. With the outside world as a stock, the sum of
// all stocks never changes; without it, under Euler, each stock moves by
// dt times the flows its run reports, so the sum of the stocks plus what
// left through flows to nowhere equals the initial sum plus what came in
// from nowhere. Non-negative stocks never go below zero.
func TestConservationProperty(t *testing.T) {
	g := rand.New(rand.NewPCG(12, 34))
	const models = 1000
	for k := 0; k < models; k++ {
		src, names := randomChain(g, true)
		m, err := model.Load("chain.yaml", []byte(src))
		if err != nil {
			t.Fatalf("model %d: %v\n%s", k, err, src)
		}
		p, err := sim.Compile(m)
		if err != nil {
			t.Fatalf("model %d: %v\n%s", k, err, src)
		}
		for _, method := range methods {
			res, err := p.Run(sim.Scenario{Method: method})
			if err != nil {
				t.Fatalf("model %d, %v: %v\n%s", k, method, err, src)
			}
			sum0 := 0.0
			for _, s := range names {
				sum0 += must(res.Series(s))[0]
			}
			for i, tm := range res.Times {
				sum, scale := 0.0, 1.0
				for _, s := range names {
					x := must(res.Series(s))[i]
					sum += x
					scale += math.Abs(x)
					if v := m.Var(s); v.NonNegative && x < 0 {
						t.Fatalf("model %d, %v: %s = %g at %g\n%s", k, method, s, x, tm, src)
					}
				}
				if math.Abs(sum-sum0) > 1e-9*scale {
					t.Fatalf("model %d, %v: the stocks sum to %.17g at %g, %.17g at the start\n%s", k, method, sum, tm, sum0, src)
				}
			}
		}
	}
	// Clouds: Euler, from the flows each run reports.
	for k := 0; k < models; k++ {
		src, names := randomChain(g, false)
		p := compileSrc(t, src)
		res := mustRun(t, p, sim.Scenario{})
		m := p.Model()
		dt := m.Time.DT
		for _, s := range names {
			v := m.Var(s)
			for i := 0; i+1 < len(res.Times); i++ {
				net := 0.0
				for _, f := range v.Inflows {
					net += must(res.Series(f))[i]
				}
				for _, f := range v.Outflows {
					net -= must(res.Series(f))[i]
				}
				x0, x1 := must(res.Series(s))[i], must(res.Series(s))[i+1]
				if math.Abs(x0+dt*net-x1) > 1e-9*(1+math.Abs(x0)+math.Abs(x1)) {
					t.Fatalf("model %d: %s moves from %g to %g at %g, but its reported flows move %g\n%s", k, s, x0, x1, res.Times[i], dt*net, src)
				}
			}
		}
	}
}

// TestOverflowTime checks that a stock that overflows in the step from 0
// to 1 is reported at time 1 under every method (RK2 and RK4 reported it
// a step late).
func TestOverflowTime(t *testing.T) {
	p := compileSrc(t, `
time: {start: 0, stop: 3, dt: 1}
stocks:
  x: {initial: 1e308, inflows: [g]}
flows:
  g: 1e308
`)
	for _, m := range methods {
		_, err := p.Run(sim.Scenario{Method: m})
		var re *sim.RuntimeError
		if !errors.As(err, &re) {
			t.Fatalf("%v: Run() error = %v, want a *sim.RuntimeError", m, err)
		}
		if re.Var != "x" || re.Time != 1 || !math.IsInf(re.Value, 1) {
			t.Errorf("%v: error for %q at time %g, value %g; want \"x\" at 1, +Inf", m, re.Var, re.Time, re.Value)
		}
	}
}
