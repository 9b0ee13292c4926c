package conformance_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/stockflow/stockflow/model/internal/conformance"
	"github.com/stockflow/stockflow/model/xmile"
	"github.com/stockflow/stockflow/sim"
)

// A reader's conformance test reads a case's expected output, runs the
// case's model and compares the two by the suite's rules.
func Example() {
	const dir = "../../../testdata/conformance/samples/teacup"
	want, err := conformance.ReadExpected(dir)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d columns, %d times, %d significant digits\n", len(want.Names), len(want.Times), want.Digits)

	m, err := xmile.ReadFile(dir + "/teacup.xmile")
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
	fmt.Println("as run:", conformance.Compare(want, conformance.Result{Times: res.Times, Series: res.Series}, nil))

	// A room one degree warmer is caught.
	res, err = p.Run(sim.Scenario{Set: map[string]float64{"room_temperature": 71}})
	if err != nil {
		log.Fatal(err)
	}
	err = conformance.Compare(want, conformance.Result{Times: res.Times, Series: res.Series}, nil)
	first, _, _ := strings.Cut(err.Error(), "\n") // the first line counts the mismatches
	fmt.Println("warmer:", first)
	// Output:
	// 4 columns, 241 times, 6 significant digits
	// as run: <nil>
	// warmer: ../../../testdata/conformance/samples/teacup/output.csv: 722 mismatches:
}
