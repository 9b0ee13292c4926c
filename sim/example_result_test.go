package sim_test

import (
	"errors"
	"fmt"
	"log"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// At reads a variable at any time of the run: exact at a saved time,
// interpolated linearly between two. Final reads the last saved value,
// and Series every saved value.
func ExampleResult_At() {
	m, err := model.Load("tank.yaml", []byte(`
time: {stop: 10, dt: 0.5, save_every: 2}
stocks:
  water: {initial: 10, inflows: [tap]}
flows:
  tap: TIME
`))
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
	fmt.Println("saved at", res.Times)
	for _, t := range []float64{4, 5} {
		w, err := res.At("water", t)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("water at %g: %.4g\n", t, w)
	}
	final, err := res.Final("water")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("water at the end: %.4g\n", final)

	_, err = res.At("water", 12)
	fmt.Println(err)
	// Output:
	// saved at [0 2 4 6 8 10]
	// water at 4: 17
	// water at 5: 21.75
	// water at the end: 57.5
	// sim: time 12 is outside the run's saved times, 0 to 10
}

// A name the result does not hold is an error, a *model.NameError that
// names the closest name there is.
func ExampleResult_Series_unknownName() {
	m, err := model.Load("customers.yaml", []byte(`
time: {stop: 12}
stocks:
  subscribers: {initial: 100, inflows: [signups]}
flows:
  signups: 5
`))
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
	_, err = res.Series("subscribres")
	fmt.Println(err)
	var ne *model.NameError
	if errors.As(err, &ne) {
		fmt.Printf("%s %q: did you mean %q?\n", ne.Kind, ne.Name, ne.Closest)
	}
	// Output:
	// sim: no variable "subscribres" in the result (did you mean "subscribers"?)
	// variable "subscribres": did you mean "subscribers"?
}
