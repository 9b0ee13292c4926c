package vector_test

import (
	"fmt"

	"github.com/stockflow/stockflow/sim/internal/vector"
)

// Each function takes its arguments and its arrays' elements as one
// slice and gives one element of the result: a flattened model calls it
// once per element.
func Example() {
	sales := []float64{30, 10, 20}
	for n := 1; n <= 3; n++ {
		// RANK(sales[*], n): the position (from 1) of the n-th smallest.
		fmt.Printf("RANK(sales, %d) = %g\n", n, vector.Rank(append([]float64{float64(n)}, sales...)))
	}
	// INVERT MATRIX of [[2, 1], [0, 4]], element by element.
	m := []float64{2, 1, 0, 4}
	for row := range 2 {
		for col := range 2 {
			fmt.Printf("%8.4g", vector.InvertMatrix(append([]float64{float64(row), float64(col), 2}, m...)))
		}
		fmt.Println()
	}
	// ALLOCATE BY PRIORITY: 15 units for requests of 10 and 10, the first
	// with the higher priority.
	for who := range 2 {
		fmt.Printf("requester %d gets %.4g\n", who, vector.AllocByPriority([]float64{float64(who), 1, 15, 10, 10, 2, 1}))
	}
	// Output:
	// RANK(sales, 1) = 2
	// RANK(sales, 2) = 3
	// RANK(sales, 3) = 1
	//      0.5  -0.125
	//        0    0.25
	// requester 0 gets 10
	// requester 1 gets 5
}
