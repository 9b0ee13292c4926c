package expr_test

import (
	"fmt"

	"github.com/stockflow/stockflow/model/expr"
)

func Example() {
	src := `IF TIME > 5 THEN birth_rate * Population {people/year} ELSE "initial births" / (1 + 2)`
	e, err := expr.Parse(src)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(expr.Format(e))

	// List the names the equation refers to.
	expr.Walk(e, func(n expr.Expr) bool {
		if id, ok := n.(*expr.Ident); ok {
			line, col := expr.LineCol(src, id.At)
			fmt.Printf("%d:%d %s\n", line, col, id.Name)
		}
		return true
	})

	_, err = expr.Parse("(birth_rate * Population")
	fmt.Println(err)

	// Output:
	// IF TIME > 5 THEN birth_rate * Population ELSE "initial births" / (1 + 2)
	// 1:4 TIME
	// 1:18 birth_rate
	// 1:31 Population
	// 1:61 initial births
	// 1:25: expected ")" but found end of equation
}
