package loops_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// A loop whose score changes sign during the run is reinforcing, then
// balancing (or the other way round): logistic growth written with a
// sum, r·(P − P²/K), has one loop, reinforcing below half the capacity
// and balancing above it.
func ExampleLoop_KindText() {
	m, err := model.Load("logistic.yaml", []byte(`
time: {start: 0, stop: 50, dt: 0.25, save_every: 1}
stocks:
  population: {initial: 10, inflows: [net_births]}
flows:
  net_births: growth_rate * (population - population^2 / carrying_capacity)
auxiliaries:
  growth_rate: 0.2
  carrying_capacity: 1000
`))
	if err != nil {
		log.Fatal(err)
	}
	g, err := loops.NewGraph(m)
	if err != nil {
		log.Fatal(err)
	}
	found, err := g.Loops(0)
	if err != nil {
		log.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	found, _, err = g.Decide(p, sim.Scenario{}, found)
	if err != nil {
		log.Fatal(err)
	}
	l := found[0]
	fmt.Println(l.ID, l.Kind, l.KindText(), l.Changes)
	fmt.Println(l.Note)
	// Output:
	// RB1 R/B R→B [24]
	// changes sign: R from t=1 to 24, B from t=24; the link population -> net_births is + from t=1 to 24, - from t=24
}

// The copies of a loop through each element of an array share a number,
// and a group shows them once with the dimension.
func ExampleLoop_Family() {
	m, err := model.LoadFile("../testdata/arrays/segments.yaml")
	if err != nil {
		log.Fatal(err)
	}
	g, err := loops.NewGraph(m)
	if err != nil {
		log.Fatal(err)
	}
	found, err := g.Loops(0)
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range found {
		fmt.Println(l.ID, l.Dims, l.Elements)
	}
	for _, gr := range g.Groups(found) {
		fmt.Println(gr.Label(), strings.Join(gr.Variables(), " -> "))
	}
	// Output:
	// B1[enterprise] [segment] [enterprise]
	// B1[mid_market] [segment] [mid_market]
	// B1[smb] [segment] [smb]
	// B1[segment] churn[segment] -> customers[segment]
}
