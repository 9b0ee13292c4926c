package vensim_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/stockflow/stockflow/model/vensim"
	"github.com/stockflow/stockflow/sim"
)

// Read turns an .mdl file into a model: INTEG makes a stock, whose
// inflows and outflows are found in its rate, and the control section
// (INITIAL TIME, FINAL TIME, TIME STEP, SAVEPER) gives the time settings.
func ExampleRead() {
	const mdl = `{UTF-8}
Population = INTEG(births - deaths, 1000)
	~	people
	~	|
births = Population * birth rate
	~	people/Year
	~	|
deaths = Population / average lifetime
	~	people/Year
	~	|
birth rate = 0.03
	~	1/Year [0, 0.1, 0.005]
	~	|
average lifetime = 70
	~	Year
	~	|
INITIAL TIME = 0
	~	Year
	~	|
FINAL TIME = 50
	~	Year
	~	|
TIME STEP = 0.25
	~	Year
	~	|
SAVEPER = 10
	~	Year
	~	|
\\\---/// Sketch information - the diagram, which Read skips
`
	m, err := vensim.Read("population.mdl", strings.NewReader(mdl))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %g to %g %s, dt %g, saved every %g\n", m.Name, m.Time.Start, m.Time.Stop, m.Time.Units, m.Time.DT, m.Time.SaveEvery)
	for _, v := range m.Vars {
		if v.Inflows != nil || v.Outflows != nil {
			fmt.Printf("%-9v %-16s in %v, out %v\n", v.Kind, v.Name, v.Inflows, v.Outflows)
			continue
		}
		fmt.Printf("%-9v %-16s = %s (%s)\n", v.Kind, v.Name, v.Equation.Text, v.Units)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	res, err := p.Run(sim.Scenario{})
	if err != nil {
		log.Fatal(err)
	}
	pop, err := res.Series("Population")
	if err != nil {
		log.Fatal(err)
	}
	for i, t := range res.Times {
		fmt.Printf("year %2g: %.1f\n", t, pop[i])
	}
	// Output:
	// population: 0 to 50 Year, dt 0.25, saved every 10
	// stock     Population       in [births], out [deaths]
	// flow      births           = Population * "birth rate" (people/Year)
	// flow      deaths           = Population / "average lifetime" (people/Year)
	// auxiliary birth rate       = 0.03 (1/Year)
	// auxiliary average lifetime = 70 (Year)
	// year  0: 1000.0
	// year 10: 1169.8
	// year 20: 1368.4
	// year 30: 1600.8
	// year 40: 1872.6
	// year 50: 2190.6
}

// Errors name the file, line and column, and what was expected.
func ExampleRead_error() {
	const mdl = `{UTF-8}
Stock = INTEG(inflow, 10)
	~	widgets
	~	|
inflow = MAX(0, 
	~	widgets/Month
	~	|
`
	_, err := vensim.Read("broken.mdl", strings.NewReader(mdl))
	fmt.Println(err)
	// Output:
	// broken.mdl:5:16: expected an operand, found the end of the equation
}
