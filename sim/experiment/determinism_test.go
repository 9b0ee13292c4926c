package experiment_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/experiment"
)

// TestErrorsDeterministic checks that what a user reads when something
// fails is the same, byte for byte, on every run and with any number of
// workers: a scenario with several mistakes (reported together, in order
// of the names, not of a map), an ensemble whose runs fail here and there,
// and an optimisation whose runs fail over part of the box.
func TestErrorsDeterministic(t *testing.T) {
	m, err := model.Load("m.yaml", []byte(`
time: {start: 0, stop: 10, dt: 1}
stocks:
  s: {initial: 1, inflows: [f]}
flows:
  f: s * k / (k - 2)
auxiliaries:
  k: 1
`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	// Runs with k = 2 divide by zero; k = 3 and above grow past the
	// largest float.
	var scenarios []sim.Scenario
	for i := range 40 {
		k := []float64{1, 1.5, 2, 0.5, 40}[i%5]
		scenarios = append(scenarios, sim.Scenario{Name: fmt.Sprintf("s%d", i), Set: map[string]float64{"k": k}})
	}
	// Every run of this one fails, at a time that depends on k: the
	// error is the first failure of the first start.
	m2, err := model.Load("m2.yaml", []byte(`
time: {start: 0, stop: 10, dt: 1}
stocks:
  s: {initial: 1, inflows: [f]}
flows:
  f: IF TIME > k THEN s / 0 ELSE 1
auxiliaries:
  k: 1
`))
	if err != nil {
		t.Fatal(err)
	}
	p2, err := sim.Compile(m2)
	if err != nil {
		t.Fatal(err)
	}
	opt := experiment.Optimization{
		Vary:    []experiment.Bound{{Name: "k", Low: 0, High: 8}},
		Payoff:  experiment.Payoff{Var: "s", At: experiment.Final, Maximize: true},
		Starts:  4,
		MaxRuns: 30,
	}
	studies := []struct {
		name string
		run  func(workers int) error
	}{
		{"scenario", func(int) error {
			_, err := p.Run(sim.Scenario{Set: map[string]float64{"zz": 1, "aa": 2, "mm": 3, "s": 4, "f": 5}, Vars: []string{"q", "s"}})
			return err
		}},
		{"ensemble", func(w int) error {
			_, err := experiment.Ensemble(context.Background(), p, scenarios, experiment.Options{Workers: w})
			return err
		}},
		{"optimisation", func(w int) error {
			_, err := opt.Run(context.Background(), p2, experiment.Options{Workers: w})
			return err
		}},
	}
	for _, st := range studies {
		t.Run(st.name, func(t *testing.T) {
			first := st.run(1)
			if first == nil {
				t.Fatal("no error")
			}
			want := first.Error()
			for _, w := range []int{1, 2, 4} {
				repeats := 50
				if st.name == "optimisation" {
					repeats = 10 // each is a few hundred runs
				}
				for i := range repeats {
					err := st.run(w)
					if err == nil || err.Error() != want {
						t.Fatalf("workers %d, repeat %d: error\n%v\nwant\n%s", w, i+1, err, want)
					}
				}
			}
			t.Logf("%s", want)
		})
	}
}
