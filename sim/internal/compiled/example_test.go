package compiled_test

import (
	"fmt"
	"log"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/internal/compiled"
)

// Export shows a program as the code generator sees it: its variables by
// slot, hidden ones included (the stock a smooth keeps), and the order in
// which each step computes them.
func ExampleExport() {
	m, err := model.Load("m.yaml", []byte(`
time: {stop: 10}
stocks:
  level: {initial: 0, inflows: [fill]}
flows:
  fill: SMTH1(demand, 3)
auxiliaries:
  demand: 5
`))
	if err != nil {
		log.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	c := compiled.Export(p)
	for slot, n := range c.Nodes {
		if n.Hidden {
			fmt.Printf("%d %-9v of %s (hidden)\n", slot, n.Kind, n.Owner)
			continue
		}
		fmt.Printf("%d %-9v %s, static %t\n", slot, n.Kind, n.Name, n.Static)
	}
	fmt.Println("each step computes slots", c.Step)
	// Output:
	// 0 stock     level, static false
	// 1 flow      fill, static false
	// 2 auxiliary demand, static true
	// 3 stock     of fill (hidden)
	// 4 flow      of fill (hidden)
	// each step computes slots [1 4]
}
