package csvw_test

import (
	"log"
	"math"
	"os"

	"github.com/stockflow/stockflow/sim/internal/csvw"
)

// Every CSV of the sim packages is written this way: names quoted only
// when they must be, numbers in their shortest exact form, and NaN as an
// empty cell.
func Example() {
	w := csvw.New(os.Stdout)
	for _, name := range []string{"time", "customers[smb]", "x[a,b]", `say "hi"`} {
		w.Text(name)
	}
	if err := w.End(); err != nil {
		log.Fatal(err)
	}
	w.Floats([]float64{0.5, 1e-7, math.NaN(), math.Inf(1)})
	if err := w.End(); err != nil {
		log.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// time,customers[smb],"x[a,b]","say ""hi"""
	// 0.5,1e-07,,+Inf
}
