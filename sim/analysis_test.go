package sim_test

import (
	"math"
	"slices"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

func TestAnalysisView(t *testing.T) {
	p := compileSrc(t, `
time: {start: 0, stop: 2, dt: 0.5, save_every: 1}
stocks:
  s: {initial: 10, outflows: [out]}
flows:
  out: s * k
auxiliaries:
  k: 0.1
  smooth: SMTH1(out, 2)
`)
	nodes := p.Nodes()
	index := make(map[string]int)
	hidden := 0
	for i, n := range nodes {
		index[n.Name] = i
		if n.Hidden {
			hidden++
			if n.Owner != "smooth" {
				t.Errorf("hidden node %q serves %q, want smooth", n.Name, n.Owner)
			}
		}
	}
	if hidden != 2 { // the smooth's stock and its flow
		t.Errorf("%d hidden nodes, want 2", hidden)
	}
	s, out, k := index["s"], index["out"], index["k"]
	if !nodes[s].Memory || len(nodes[s].Outflows) != 1 || nodes[s].Outflows[0] != out {
		t.Errorf("stock node %+v", nodes[s])
	}
	if len(nodes[out].Inputs) != 2 {
		t.Errorf("out reads %v, want s and k", nodes[out].Inputs)
	}
	tr, err := p.Trace(sim.Scenario{Method: model.RK4})
	if err != nil {
		t.Fatal(err)
	}
	if times := tr.Times(); len(times) != 5 || times[4] != 2 || tr.DT() != 0.5 {
		t.Fatalf("trace times %v, dt %g; want every dt, 0.5", times, tr.DT())
	}
	if got, want := tr.Series(s), []float64{tr.State(0)[s], tr.State(1)[s], tr.State(2)[s], tr.State(3)[s], tr.State(4)[s]}; !slices.Equal(got, want) {
		t.Errorf("Series(s) = %v, want the states' %v", got, want)
	}
	ev, err := p.Evaluator(sim.Scenario{})
	if err != nil {
		t.Fatal(err)
	}
	v := append([]float64(nil), tr.State(2)...)
	if got, want := ev.Eval(out, v, 1), v[s]*0.1; math.Abs(got-want) > 1e-15 {
		t.Errorf("Eval(out) = %g, want %g", got, want)
	}
	v[k] = 0.5
	if got, want := ev.Eval(out, v, 1), v[s]*0.5; got != want {
		t.Errorf("Eval(out) with k = 0.5: %g, want %g", got, want)
	}
	if got := ev.Eval(s, v, 1); got != v[s] {
		t.Errorf("Eval of a stock = %g, want its value %g", got, v[s])
	}
}
