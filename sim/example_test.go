package sim_test

import (
	"fmt"
	"log"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

func Example() {
	src := []byte(`
time: {start: 0, stop: 30, dt: 0.125, save_every: 10}
stocks:
  teacup_temperature: {initial: 180, outflows: [heat_loss_to_room]}
flows:
  heat_loss_to_room: (teacup_temperature - room_temperature) / characteristic_time
auxiliaries:
  room_temperature: 70
  characteristic_time: 10
`)
	m, err := model.Load("teacup.yaml", src)
	if err != nil {
		log.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	for _, room := range []float64{70, 50} {
		res, err := p.Run(sim.Scenario{Set: map[string]float64{"room_temperature": room}, Method: model.RK4})
		if err != nil {
			log.Fatal(err)
		}
		temp, err := res.Series("teacup_temperature")
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("room %g:", room)
		for i, t := range res.Times {
			fmt.Printf(" t=%g %.4g", t, temp[i])
		}
		fmt.Println()
	}
	// Output:
	// room 70: t=0 180 t=10 110.5 t=20 84.89 t=30 75.48
	// room 50: t=0 180 t=10 97.82 t=20 67.59 t=30 56.47
}

func ExampleProgram_Run_error() {
	m, err := model.Load("m.yaml", []byte("time: {stop: 5}\nstocks:\n  s: {initial: 2, outflows: [f]}\nflows:\n  f: 1\nauxiliaries:\n  r: LN(s - 1)\n"))
	if err != nil {
		log.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	_, err = p.Run(sim.Scenario{})
	fmt.Println(err)
	// Output:
	// m.yaml:7:6: "r" is -Inf at time 1 in LN(s - 1)
}
