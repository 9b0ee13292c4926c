// Bass runs the Bass diffusion model of a new product's adoption through
// advertising and word of mouth, and prints adoption each year with the
// share of adoption that word of mouth brings.
//
//	go run ./examples/bass
package main

import (
	_ "embed"
	"fmt"
	"log"
	"os"
	"text/tabwriter"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

//go:embed model.yaml
var src []byte

func main() {
	log.SetFlags(0)
	m, err := model.Load("model.yaml", src)
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
	series := func(name string) []float64 {
		xs, err := res.Series(name)
		if err != nil {
			log.Fatal(err)
		}
		return xs
	}
	adopters := series("adopters")
	rate := series("adoption_rate")
	wom := series("adoption_from_word_of_mouth")
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "year\tadopters\tadoption/year\tfrom word of mouth\t")
	for i, t := range res.Times {
		if t != float64(int(t)) {
			continue
		}
		share := 0.0
		if rate[i] > 0 {
			share = wom[i] / rate[i]
		}
		fmt.Fprintf(tw, "%g\t%.0f\t%.0f\t%.0f %%\t\n", t, adopters[i], rate[i], 100*share)
	}
	tw.Flush()
}
