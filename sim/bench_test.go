package sim_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/internal/sectors"
)

// The benchmarks run each model through the engine and, beside it, the same
// model written by hand in Go with the same method, dt and saved rows, so
// that the ratio of the two is the figure that matters.
//
//	go test ./sim -run XXX -bench Run -benchmem

// chainSize is the number of stocks of the generated model; it has as many
// auxiliaries and flows again.
const chainSize = 500

// chainSrc generates a model of chainSize stocks in a chain, each drained
// by a flow that depends on an auxiliary mixing it with its neighbour.
func chainSrc() string {
	var b strings.Builder
	b.WriteString("time: {start: 0, stop: 100, dt: 0.25, save_every: 1}\nstocks:\n")
	for i := 0; i < chainSize; i++ {
		fmt.Fprintf(&b, "  s%d: {initial: %d, outflows: [f%d]", i, i+1, i)
		if i > 0 {
			fmt.Fprintf(&b, ", inflows: [f%d]", i-1)
		}
		b.WriteString("}\n")
	}
	b.WriteString("flows:\n")
	for i := 0; i < chainSize; i++ {
		fmt.Fprintf(&b, "  f%d: a%d * k\n", i, i)
	}
	b.WriteString("auxiliaries:\n  k: 0.1\n")
	for i := 0; i < chainSize; i++ {
		prev := "0"
		if i > 0 {
			prev = fmt.Sprintf("s%d", i-1)
		}
		fmt.Fprintf(&b, "  a%d: s%d * 0.5 + %s * 0.1\n", i, i, prev)
	}
	return b.String()
}

// handChain is chainSrc written by hand (Euler), keeping every variable of
// every saved row as the engine does.
func handChain() [][]float64 {
	const n = chainSize
	s, a, f := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range s {
		s[i] = float64(i + 1)
	}
	const dt, steps, stride = 0.25, 400, 4
	rows := make([][]float64, 0, steps/stride+1)
	for step := 0; ; step++ {
		for i := 0; i < n; i++ {
			prev := 0.0
			if i > 0 {
				prev = s[i-1]
			}
			a[i] = s[i]*0.5 + prev*0.1
			f[i] = a[i] * 0.1
		}
		if step%stride == 0 {
			row := make([]float64, 0, 3*n+1)
			row = append(row, s...)
			row = append(row, f...)
			row = append(row, a...)
			rows = append(rows, row)
		}
		if step == steps {
			return rows
		}
		for i := 0; i < n; i++ {
			net := -f[i]
			if i > 0 {
				net += f[i-1]
			}
			s[i] += dt * net
		}
	}
}

// handTeacup is testdata/models/teacup.yaml written by hand.
func handTeacup() (times, temp, loss []float64) {
	const dt, steps, stride = 0.125, 240, 8
	temperature := 180.0
	for step := 0; ; step++ {
		heatLoss := (temperature - 70) / 10
		if step%stride == 0 {
			times = append(times, float64(step)*dt)
			temp = append(temp, temperature)
			loss = append(loss, heatLoss)
		}
		if step == steps {
			return
		}
		temperature -= dt * heatLoss
	}
}

// handLogistic is testdata/models/logistic.yaml written by hand.
func handLogistic() (times, pop, births []float64) {
	const dt, steps, stride = 0.25, 200, 4
	p := 10.0
	for step := 0; ; step++ {
		b := 0.2 * p * (1 - p/1000)
		if step%stride == 0 {
			times = append(times, float64(step)*dt)
			pop = append(pop, p)
			births = append(births, b)
		}
		if step == steps {
			return
		}
		p += dt * b
	}
}

var sink float64

func BenchmarkRun(b *testing.B) {
	models := []struct {
		name string
		prog func(b *testing.B) *sim.Program
		hand func()
	}{
		{"teacup", func(b *testing.B) *sim.Program { return compileFile(b, "../testdata/models/teacup.yaml") },
			func() { _, t, _ := handTeacup(); sink += t[len(t)-1] }},
		{"logistic", func(b *testing.B) *sim.Program { return compileFile(b, "../testdata/models/logistic.yaml") },
			func() { _, p, _ := handLogistic(); sink += p[len(p)-1] }},
		{fmt.Sprintf("chain%d", 3*chainSize), func(b *testing.B) *sim.Program { return compileSrc(b, chainSrc()) },
			func() { rows := handChain(); sink += rows[len(rows)-1][0] }},
		{"customersuccess", func(b *testing.B) *sim.Program { return compileFile(b, "../examples/customersuccess/model.yaml") }, nil},
	}
	for _, m := range models {
		b.Run(m.name+"/engine", func(b *testing.B) {
			p := m.prog(b)
			b.ReportAllocs()
			for b.Loop() {
				res, err := p.Run(sim.Scenario{})
				if err != nil {
					b.Fatal(err)
				}
				sink += res.Values[0][len(res.Times)-1]
			}
		})
		if m.hand == nil {
			continue
		}
		b.Run(m.name+"/handwritten", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m.hand()
			}
		})
	}
}

// sectorSteps is the number of Euler steps of the sector benchmarks;
// longSteps that of "long", the length of run the engine's target is
// stated for, where parsing and compiling are a small part of the whole.
const (
	sectorSteps = 2000
	longSteps   = 80000
)

// BenchmarkSectors runs the 1,000-sector model (8,000 variables, s0
// saved) and the same model written by hand, in turn, and reports the
// engine's time over the hand-written one ("ratio") and the engine's
// nanoseconds per sector-step: "whole" as a user runs it (parse, compile,
// run), "run" the compiled program's run alone, and "long" whole for
// 80,000 steps (a few seconds a round).
func BenchmarkSectors(b *testing.B) {
	const n = 1000
	for _, c := range []struct {
		name  string
		steps int
		whole bool
	}{{"whole", sectorSteps, true}, {"run", sectorSteps, false}, {"long", longSteps, true}} {
		b.Run(c.name, func(b *testing.B) { benchSectors(b, n, c.steps, c.whole) })
	}
}

func benchSectors(b *testing.B, n, steps int, whole bool) {
	src := []byte(sectors.Source(n, steps))
	var engine, hand time.Duration
	compile := func() *sim.Program {
		m, err := model.Load("sectors.yaml", src)
		if err != nil {
			b.Fatal(err)
		}
		p, err := sim.Compile(m)
		if err != nil {
			b.Fatal(err)
		}
		return p
	}
	var p *sim.Program
	if !whole {
		p = compile()
	}
	for b.Loop() {
		t0 := time.Now()
		if whole {
			p = compile()
		}
		res, err := p.Run(sim.Scenario{Vars: []string{"s0"}})
		if err != nil {
			b.Fatal(err)
		}
		sink += res.Values[0][len(res.Times)-1]
		t1 := time.Now()
		s := sectors.Hand(n, steps)
		sink += s[len(s)-1]
		engine, hand = engine+t1.Sub(t0), hand+time.Since(t1)
	}
	b.ReportMetric(float64(engine)/float64(hand), "ratio")
	b.ReportMetric(float64(engine.Nanoseconds())/float64(b.N)/float64(n*(steps+1)), "ns/sector-step")
}

// BenchmarkStep measures the step loop alone, streaming rows to a function
// that ignores them: its allocations per run do not depend on the number of
// steps (TestStepAllocatesNothing checks that).
func BenchmarkStep(b *testing.B) {
	p := compileSrc(b, chainSrc())
	for _, method := range []model.Method{model.Euler, model.RK4} {
		b.Run(method.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := p.Stream(sim.Scenario{Method: method}, func(float64, []float64) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestHandwrittenBaselines checks that the hand-written models compute what
// the engine computes, so the benchmark compares like with like.
func TestHandwrittenBaselines(t *testing.T) {
	sec := mustRun(t, compileSrc(t, sectors.Source(7, 300)), sim.Scenario{Vars: []string{"s0"}})
	for i, x := range sectors.Hand(7, 300) {
		if math.Abs(sec.Values[0][i]-x) > 1e-9*math.Abs(x) {
			t.Fatalf("sectors: s0 at step %d = %v by hand, %v by the engine", i, x, sec.Values[0][i])
		}
	}
	res := mustRun(t, compileFile(t, "../testdata/models/teacup.yaml"), sim.Scenario{})
	times, temp, loss := handTeacup()
	for i := range times {
		if res.Times[i] != times[i] || must(res.Series("teacup_temperature"))[i] != temp[i] || must(res.Series("heat_loss_to_room"))[i] != loss[i] {
			t.Fatalf("teacup row %d differs", i)
		}
	}
	res = mustRun(t, compileFile(t, "../testdata/models/logistic.yaml"), sim.Scenario{})
	_, pop, _ := handLogistic()
	for i := range pop {
		if must(res.Series("population"))[i] != pop[i] {
			t.Fatalf("logistic row %d differs: %g, %g", i, must(res.Series("population"))[i], pop[i])
		}
	}
	res = mustRun(t, compileSrc(t, chainSrc()), sim.Scenario{})
	rows := handChain()
	if len(rows) != len(res.Times) {
		t.Fatalf("chain: %d rows, engine %d", len(rows), len(res.Times))
	}
	for j := 0; j < chainSize; j++ {
		series := must(res.Series(fmt.Sprintf("s%d", j)))
		for i, row := range rows {
			if series[i] != row[j] {
				t.Fatalf("chain s%d row %d: engine %g, hand %g", j, i, series[i], row[j])
			}
		}
	}
}
