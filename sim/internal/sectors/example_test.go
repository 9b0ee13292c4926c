package sectors_test

import (
	"fmt"
	"log"
	"math"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/internal/sectors"
)

// The benchmarks run the model of Source with the engine and the same
// model written by hand (Hand), which must agree.
func Example() {
	const n, steps = 3, 1000
	m, err := model.Load("sectors.yaml", []byte(sectors.Source(n, steps)))
	if err != nil {
		log.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	res, err := p.Run(sim.Scenario{})
	if err != nil {
		log.Fatal(err)
	}
	engine, err := res.Series("s0")
	if err != nil {
		log.Fatal(err)
	}
	hand := sectors.Hand(n, steps)
	worst := 0.0
	for i := range hand {
		worst = math.Max(worst, math.Abs(engine[i]-hand[i]))
	}
	fmt.Printf("%d variables, %d steps; s0 ends at %.4g; engine and hand agree within 1e-9: %t\n",
		len(m.Vars), len(hand)-1, hand[len(hand)-1], worst <= 1e-9)
	// Output:
	// 25 variables, 1000 steps; s0 ends at 12.28; engine and hand agree within 1e-9: true
}
