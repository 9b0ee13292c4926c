package loops_test

import (
	"fmt"
	"log"
	"os"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

func Example() {
	m, err := model.LoadFile("../testdata/loops/logistic.yaml")
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
		fmt.Println(l, l.Kind, l.Links)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	sc, err := loops.Score(p, sim.Scenario{SaveEvery: 10}, found)
	if err != nil {
		log.Fatal(err)
	}
	for i, t := range sc.Times {
		fmt.Printf("t=%g growth %.4g crowding %.4g\n", t, sc.Relative[0][i], sc.Relative[1][i])
	}
	for _, d := range sc.Dominant {
		fmt.Printf("from %g to %g: %s dominates\n", d.Start, d.End, sc.Loops[d.Loops[0]].Label())
	}
	// Output:
	// R1 (growth): births -> population R [+ +]
	// B1 (crowding): births -> population -> room B [+ - +]
	// t=0 growth NaN crowding NaN
	// t=10 growth 0.9364 crowding -0.06359
	// t=20 growth 0.6731 crowding -0.3269
	// t=30 growth 0.2169 crowding -0.7831
	// t=40 growth 0.03473 crowding -0.9653
	// t=50 growth 0.00461 crowding -0.9954
	// from 10 to 20: growth dominates
	// from 30 to 50: crowding dominates
}

// Graph.Decide settles from a run what the equations leave open: in Bass
// diffusion the word-of-mouth loops multiply by the potential adopters and
// the adopters, which the equations do not show to stay positive; the run
// does.
func ExampleGraph_Decide() {
	m, err := model.LoadFile("../testdata/models/bass.yaml")
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
		fmt.Println(l.ID, l.Kind, l.Evidence)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	found, _, err = g.Decide(p, sim.Scenario{}, found)
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range found {
		fmt.Println(l, l.Kind, "from", l.Evidence)
	}
	// Output:
	// B1 B structure
	// U1 U structure
	// U2 U structure
	// R1: adopters -> adoption_from_word_of_mouth -> adoption_rate R from ranges
	// B1: adoption_from_advertising -> adoption_rate -> potential_adopters B from structure
	// B2: adoption_from_word_of_mouth -> adoption_rate -> potential_adopters B from ranges
}

// WriteTable lists loops as `stockflow loops --structure` does, and
// WriteGroups as `stockflow loops` does, with the largest share of the
// behaviour each explains in a run. Here, in the predators and their
// prey, the equations alone leave three loops undetermined: predation
// multiplies the hares by the lynxes, and nothing in the equations keeps
// either positive. Decide settles them from a run, and scores it.
func ExampleWriteGroups() {
	m, err := model.LoadFile("../testdata/models/predator_prey.yaml")
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
	if err := loops.WriteTable(os.Stdout, found); err != nil {
		log.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	found, sc, err := g.Decide(p, sim.Scenario{}, found)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println()
	if err := loops.WriteGroups(os.Stdout, g.Groups(found), sc); err != nil {
		log.Fatal(err)
	}
	// Output:
	// R1  R  2  structure  hare_births -> hares
	// B1  B  2  structure  lynx_deaths -> lynxes
	// U1  U  2  structure  hare_deaths -> hares
	// U2  U  2  structure  lynx_births -> lynxes
	// U3  U  4  structure  hare_deaths -> hares -> lynx_births -> lynxes
	//
	// R1  R  structure  72%  1 loop  hare_births -> hares
	// R2  R  ranges     70%  1 loop  lynx_births -> lynxes
	// B1  B  ranges     67%  1 loop  hare_deaths -> hares
	// B2  B  structure  84%  1 loop  lynx_deaths -> lynxes
	// B3  B  ranges     42%  1 loop  hare_deaths -> hares -> lynx_births -> lynxes
}
