package sim_test

import (
	"fmt"
	"log"
	"os"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// A model's scenarios run from the one compiled Program: Program.Scenario
// gives each as the overrides of a run, and the zero Scenario is the
// baseline, the model as written.
func ExampleProgram_Scenario() {
	m, err := model.Load("subscriptions.yaml", []byte(`
time: {stop: 24, dt: 0.25, units: month}
stocks:
  customers: {initial: 1000, inflows: [signups], outflows: [churn]}
flows:
  signups: marketing / acquisition_cost
  churn: customers * churn_rate
auxiliaries:
  marketing: 20000
  acquisition_cost: 250
  churn_rate: 0.05
scenarios:
  retention: {doc: Half the churn., set: {churn_rate: 0.025}}
  acquisition: {doc: Half as much again on marketing., set: {marketing: 30000}}
`))
	if err != nil {
		log.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	runs := []sim.Scenario{{Name: "baseline"}}
	for _, s := range m.Scenarios {
		sc, err := p.Scenario(s.Name)
		if err != nil {
			log.Fatal(err)
		}
		runs = append(runs, sc)
	}
	for _, sc := range runs {
		res, err := p.Run(sc)
		if err != nil {
			log.Fatal(err)
		}
		customers, err := res.Final("customers")
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-11s customers after 2 years: %.0f\n", sc.Name, customers)
	}
	// Output:
	// baseline    customers after 2 years: 1421
	// retention   customers after 2 years: 1995
	// acquisition customers after 2 years: 1982
}

// WriteCSV writes a result as the stockflow command does: a header of
// the recorded names, then one row per saved time.
func ExampleResult_WriteCSV() {
	m, err := model.Load("tank.yaml", []byte(`
time: {stop: 4, dt: 0.5, save_every: 1}
stocks:
  water: {initial: 10, inflows: [tap], outflows: [drain]}
flows:
  tap: 3
  drain: 1
`))
	if err != nil {
		log.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	res, err := p.Run(sim.Scenario{Vars: []string{"water", "tap"}})
	if err != nil {
		log.Fatal(err)
	}
	if err := res.WriteCSV(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// time,water,tap
	// 0,10,3
	// 1,12,3
	// 2,14,3
	// 3,16,3
	// 4,18,3
}

// Check says what Run would refuse before anything runs: here a
// mistyped name.
func ExampleProgram_Check() {
	m, err := model.Load("tank.yaml", []byte(`
time: {stop: 4}
stocks:
  water: {initial: 10, inflows: [tap]}
flows:
  tap: 3
`))
	if err != nil {
		log.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	err = p.Check(sim.Scenario{Set: map[string]float64{"tapp": 4}})
	fmt.Println(err)
	// Output:
	// sim: undefined variable "tapp" (did you mean "tap"?)
}

// Warnings lists what a modeller should know before trusting a run:
// here a step too long for the model's time constant, where Euler's
// method overshoots.
func ExampleProgram_Warnings() {
	m, err := model.Load("teacup.yaml", []byte(`
time: {stop: 30, dt: 0.125}
stocks:
  teacup_temperature: {initial: 180, outflows: [heat_loss_to_room]}
flows:
  heat_loss_to_room: (teacup_temperature - 70) / 10
`))
	if err != nil {
		log.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range p.Warnings(sim.Scenario{DT: 15}) {
		fmt.Println(w)
	}
	// Output:
	// teacup.yaml:6:50: dt (15) is larger than the time constant 10 = 10 in "heat_loss_to_room": steps of Euler overshoot, and the run may oscillate or turn negative (use a dt of at most 10)
}

// Stream hands each saved row to a function instead of keeping the
// run, so a long run of a large model needs little memory; a CSVWriter
// writes the rows as they come, as `stockflow run` does. Each scenario
// of the table is marked in a first column.
func ExampleProgram_Stream() {
	m, err := model.Load("tank.yaml", []byte(`
time: {stop: 3, dt: 0.5, save_every: 1}
stocks:
  water: {initial: 10, inflows: [tap]}
flows:
  tap: 2
`))
	if err != nil {
		log.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	base := sim.Scenario{Name: "baseline", Vars: []string{"water"}}
	names, err := p.Columns(base)
	if err != nil {
		log.Fatal(err)
	}
	open := base.WithSet(map[string]float64{"tap": 4})
	open.Name = "open tap"
	w := sim.NewScenarioCSVWriter(os.Stdout, names)
	for _, s := range []sim.Scenario{base, open} {
		w.SetScenario(s.Name)
		if err := p.Stream(s, w.Write); err != nil {
			log.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// scenario,time,water
	// baseline,0,10
	// baseline,1,12
	// baseline,2,14
	// baseline,3,16
	// open tap,0,10
	// open tap,1,14
	// open tap,2,18
	// open tap,3,22
}
