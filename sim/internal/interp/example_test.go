package interp_test

import (
	"fmt"

	"github.com/stockflow/stockflow/sim/internal/interp"
)

// The three ways a lookup reads between and beyond its points, and
// Within, which says whether a time lies inside a run's saved times.
func Example() {
	xs := []float64{0, 0.5, 1}
	ys := []float64{4, 1, 0.2}
	for _, x := range []float64{-1, 0.25, 0.5, 2} {
		fmt.Printf("x=%-5g linear %-4.4g step %-4.4g extrapolate %.4g\n",
			x, interp.Linear(xs, ys, x), interp.Step(xs, ys, x), interp.Extrapolate(xs, ys, x))
	}
	fmt.Println(interp.Within(xs, 0.75), interp.Within(xs, 1.5))
	// Output:
	// x=-1    linear 4    step 4    extrapolate 10
	// x=0.25  linear 2.5  step 4    extrapolate 2.5
	// x=0.5   linear 1    step 1    extrapolate 1
	// x=2     linear 0.2  step 0.2  extrapolate -1.4
	// true false
}
