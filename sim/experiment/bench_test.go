package experiment_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/experiment"
)

// chain20 is a model of 20 variables: five stocks in a ring, each with an
// inflow from the one before and an outflow, five auxiliaries, run for 100 steps.
func chain20() string {
	var b strings.Builder
	b.WriteString("time: {start: 0, stop: 25, dt: 0.25}\nstocks:\n")
	for i := range 5 {
		fmt.Fprintf(&b, "  s%d: {initial: %d, inflows: [in%d], outflows: [out%d]}\n", i, 10+i, i, i)
	}
	b.WriteString("flows:\n")
	for i := range 5 {
		fmt.Fprintf(&b, "  in%d: {equation: \"rate * s%d * MAX(0, 1 - s%d / capacity)\"}\n", i, (i+4)%5, i)
		fmt.Fprintf(&b, "  out%d: {equation: s%d / life}\n", i, i)
	}
	b.WriteString("auxiliaries:\n")
	b.WriteString("  rate: {equation: 0.2}\n  life: {equation: 8}\n  capacity: {equation: 100}\n")
	b.WriteString("  total: {equation: s0 + s1 + s2 + s3 + s4}\n  share: {equation: s0 / total}\n")
	return b.String()
}

// BenchmarkEnsemble runs an ensemble of 10,000 runs of a 20-variable model
// on one worker and on every core, and reports runs per second. The
// speed-up is the ratio of the two runs/s figures.
func BenchmarkEnsemble(b *testing.B) {
	p := compile(b, chain20())
	if n := len(p.Names()); n != 20 {
		b.Fatalf("the model has %d variables, want 20", n)
	}
	scs := make([]sim.Scenario, 10000)
	for i := range scs {
		scs[i] = sim.Scenario{Set: map[string]float64{"rate": 0.1 + float64(i)/100000}}
	}
	for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := experiment.Ensemble(context.Background(), p, scs, experiment.Options{Workers: workers}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(scs)*b.N)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}

// BenchmarkShardRunsPerCore is the figure to size a cluster by: the runs
// per second one core makes of a shard of a sensitivity study of the
// flagship customer-success model (61 saved months, two uncertain
// constants, Latin hypercube, cumulative profit summarised), beside the
// same runs made by Program.Run alone, without drawing or summarising.
func BenchmarkShardRunsPerCore(b *testing.B) {
	m, err := model.LoadFile("../../examples/customersuccess/model.yaml")
	if err != nil {
		b.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		b.Fatal(err)
	}
	const runs = 2000
	churn, _ := experiment.ParseDist("triangular(0.01, 0.02, 0.035)")
	referral, _ := experiment.ParseDist("uniform(0.01, 0.03)")
	s := experiment.Sensitivity{
		Base: sim.Scenario{Set: map[string]float64{"cs_share": 0.5}},
		Vary: []experiment.Param{{Name: "base_churn_rate", Dist: churn}, {Name: "referral_rate", Dist: referral}},
		Runs: 8 * runs, LHS: true, Seed: 1, Vars: []string{"cumulative_profit"},
	}
	b.Run("shard", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			// One shard of 8: 2,000 runs.
			if _, err := s.RunShard(context.Background(), p, experiment.Shard{Index: 3, Count: 8}, experiment.Options{Workers: 1}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(runs*b.N)/b.Elapsed().Seconds(), "runs/s")
	})
	b.Run("runs alone", func(b *testing.B) {
		b.ReportAllocs()
		draws := experiment.Samples(s.Vary, runs, true, 1)
		for b.Loop() {
			for _, d := range draws {
				sc := sim.Scenario{Set: map[string]float64{"cs_share": 0.5, "base_churn_rate": d[0], "referral_rate": d[1]}, Vars: s.Vars}
				if _, err := p.Run(sc); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(runs*b.N)/b.Elapsed().Seconds(), "runs/s")
	})
}
