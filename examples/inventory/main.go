// Inventory runs a stock-management model in which a step in demand makes
// inventory oscillate, and compares an aggressive and a patient ordering
// policy by the size of the swings they cause.
//
//	go run ./examples/inventory
package main

import (
	_ "embed"
	"fmt"
	"log"
	"math"

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
	patient, err := p.Scenario("patient")
	if err != nil {
		log.Fatal(err)
	}
	for _, sc := range []sim.Scenario{{Name: "aggressive"}, patient} {
		res, err := p.Run(sc)
		if err != nil {
			log.Fatal(err)
		}
		inv, err := res.Series("inventory")
		if err != nil {
			log.Fatal(err)
		}
		orders, err := res.Series("orders")
		if err != nil {
			log.Fatal(err)
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		peak := 0.0
		for i := range inv {
			lo, hi = math.Min(lo, inv[i]), math.Max(hi, inv[i])
			peak = math.Max(peak, orders[i])
		}
		fmt.Printf("%-10s  inventory from %4.0f to %4.0f widgets (target 3600); orders peak at %4.0f/week for demand of 1200\n",
			sc.Name, lo, hi, peak)
	}
}
