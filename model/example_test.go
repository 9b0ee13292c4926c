package model_test

import (
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/stockflow/stockflow/model"
)

// Load reads a model from YAML held in memory; LoadFile reads one from a
// file. The name given to Load is the file name that errors report.
func ExampleLoad() {
	src := []byte(`
name: teacup
time: {start: 0, stop: 30, dt: 0.125, units: minute}
stocks:
  teacup_temperature: {initial: 180, outflows: [heat_loss_to_room], units: degF}
flows:
  heat_loss_to_room:
    equation: (teacup_temperature - room_temperature) / characteristic_time
    units: degF/minute
auxiliaries:
  room_temperature: {equation: 70, units: degF}
  characteristic_time: {equation: 10, units: minute}
scenarios:
  cold_room: {doc: A colder room., set: {room_temperature: 50}}
`)
	m, err := model.Load("teacup.yaml", src)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: from %g to %g %s, dt %g, %v\n", m.Name, m.Time.Start, m.Time.Stop, m.Time.Units, m.Time.DT, m.Time.Method)
	for _, v := range m.Vars {
		fmt.Printf("%-9v %-20s = %s\n", v.Kind, v.Name, v.Equation.Text)
	}
	// Names are matched case-insensitively, with spaces and underscores equal.
	v := m.Var("Room Temperature")
	fmt.Printf("%s is at %s\n", v.Name, v.Pos)
	for _, s := range m.Scenarios {
		fmt.Println("scenario", s.Name+":", s.Doc)
	}
	// Output:
	// teacup: from 0 to 30 minute, dt 0.125, euler
	// stock     teacup_temperature   = 180
	// flow      heat_loss_to_room    = (teacup_temperature - room_temperature) / characteristic_time
	// auxiliary room_temperature     = 70
	// auxiliary characteristic_time  = 10
	// room_temperature is at teacup.yaml:11:3
	// scenario cold_room: A colder room.
}

// Load reports every independent problem of a file at once, each at its
// place in the file, saying what was expected and what was found. The
// error is a model.ErrorList; each of its errors is a *model.Error.
func ExampleLoad_errors() {
	src := []byte(`
time: {stop: 10, dt: 0.5, method: rk5}
stocks:
  population: {initial: 100, inflows: [births]}
flows:
  births: population * birth_rate
auxiliaries:
  birth_rate: (0.03
`)
	_, err := model.Load("population.yaml", src)
	var list model.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Printf("line %d, column %d: %s\n", e.Pos.Line, e.Pos.Col, e.Msg)
		}
	}
	// Output:
	// line 2, column 35: unknown method "rk5" (expected euler, rk2 or rk4)
	// line 8, column 20: expected ")" but found end of equation
}

// Canonical gives the form in which names are compared: the XMILE rule,
// case-insensitive, with spaces and underscores equal.
func ExampleCanonical() {
	for _, name := range []string{"Heat Loss", "heat_loss", "HEAT_LOSS", "Heat  Loss"} {
		fmt.Printf("%q\n", model.Canonical(name))
	}
	// Output:
	// "heat_loss"
	// "heat_loss"
	// "heat_loss"
	// "heat_loss"
}

// Elements lists the elements of an arrayed variable under the names
// that results and typed names use.
func ExampleModel_Elements() {
	m, err := model.Load("segments.yaml", []byte(`
time: {stop: 12}
dimensions:
  segment: [smb, mid_market, enterprise]
stocks:
  customers: {dims: [segment], initial: 100, outflows: [churn]}
flows:
  churn: {dims: [segment], equation: customers * churn_rate}
auxiliaries:
  churn_rate:
    dims: [segment]
    elements: {smb: 0.04, mid_market: 0.02, enterprise: 0.01}
`))
	if err != nil {
		log.Fatal(err)
	}
	v, names, err := m.Elements("customers[*]")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.Name, v.Dims, names)
	_, _, err = m.Elements("customers[smbb]")
	fmt.Println(err)
	// Output:
	// customers [segment] [customers[smb] customers[mid_market] customers[enterprise]]
	// "smbb" is not an element of dimension "segment" of "customers" (did you mean "smb"?)
}

// LoadScenarios reads a file of scenarios to run beside a model's own
// (stockflow's --scenarios flag). The names it sets are checked against a
// model when the scenarios are run (sim.Program.CheckScenarios).
func ExampleLoadScenarios() {
	sf, err := model.LoadScenarios("what-if.yaml", []byte(`
scenarios:
  warm_room:
    doc: A warmer room.
    set: {room_temperature: 80}
  small_cup:
    set: {characteristic_time: 6, teacup_temperature: 190}
`))
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range sf.Scenarios {
		fmt.Print(s.Name, ":")
		for _, set := range s.Set {
			fmt.Printf(" %s=%g", set.Name, set.Value)
		}
		fmt.Println()
	}
	// Output:
	// warm_room: room_temperature=80
	// small_cup: characteristic_time=6 teacup_temperature=190
}

// WriteYAML writes a model as a model file, whatever it was read from
// (stockflow convert): stocks first, then flows and auxiliaries, each in
// the short form where nothing but the equation is set.
func ExampleWriteYAML() {
	m, err := model.Load("decay.yaml", []byte(`
name: decay
time: {stop: 10, units: year}
auxiliaries:
  lifetime: {equation: 5, units: year}
flows:
  decay: amount / lifetime
stocks:
  amount: {initial: 100, outflows: [decay]}
scenarios:
  short_lived: {set: {lifetime: 2}}
`))
	if err != nil {
		log.Fatal(err)
	}
	if err := model.WriteYAML(os.Stdout, m); err != nil {
		log.Fatal(err)
	}
	// Output:
	// name: decay
	// time: {start: 0, stop: 10, dt: 1, method: euler, units: year}
	// stocks:
	//   amount:
	//     initial: 100
	//     outflows: [decay]
	// flows:
	//   decay: amount / lifetime
	// auxiliaries:
	//   lifetime:
	//     equation: 5
	//     units: year
	// scenarios:
	//   short_lived:
	//     set: {lifetime: 2}
}
