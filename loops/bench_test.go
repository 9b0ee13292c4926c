package loops_test

import (
	"testing"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
)

// The benchmarks set each hot path beside a baseline doing the work it
// cannot avoid, so that the ratio is the figure:
//
//	go test ./loops -run XXX -bench . -benchmem
//
// Score against the Trace it scores (the run itself), and the loop search
// (Johnson's algorithm, with polarities, sorting and naming) against
// gonum's Johnson's algorithm on the same graph.

func BenchmarkScore(b *testing.B) {
	m := loadModel(b, "../examples/customersuccess/model.yaml")
	found := findLoops(b, m, 0)
	p, err := sim.Compile(m)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := loops.Score(p, sim.Scenario{}, found); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScoreBaselineTrace(b *testing.B) {
	m := loadModel(b, "../examples/customersuccess/model.yaml")
	p, err := sim.Compile(m)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Trace(sim.Scenario{}); err != nil {
			b.Fatal(err)
		}
	}
}

// loopsModel has 2372 loops: seven stocks, each filled by a flow that
// reads all seven.
func loopsModel(b *testing.B) *model.Model { return parseModel(b, completeSrc(7)) }

func BenchmarkLoops(b *testing.B) {
	g, err := loops.NewGraph(loopsModel(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := g.Loops(0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoopsBaselineGonum(b *testing.B) {
	g, err := loops.NewGraph(loopsModel(b))
	if err != nil {
		b.Fatal(err)
	}
	dg := simple.NewDirectedGraph()
	ids := make(map[string]int64)
	for _, l := range g.Links() {
		for _, n := range []string{l.From, l.To} {
			if _, ok := ids[n]; !ok {
				ids[n] = int64(len(ids))
				dg.AddNode(simple.Node(ids[n]))
			}
		}
		dg.SetEdge(dg.NewEdge(simple.Node(ids[l.From]), simple.Node(ids[l.To])))
	}
	if n := len(topo.DirectedCyclesIn(dg)); n != 2372 {
		b.Fatalf("%d cycles, want 2372", n)
	}
	b.ReportAllocs()
	for b.Loop() {
		topo.DirectedCyclesIn(dg)
	}
}
