package sheet_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/stockflow/stockflow/model/vensim/internal/sheet"
)

// Open reads a workbook by its extension; cells are addressed as GET XLS
// addresses them, by references such as B2.
func Example() {
	dir, err := os.MkdirTemp("", "sheet")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "demand.csv")
	if err := os.WriteFile(path, []byte("year,demand\n2020,120\n2021,135\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	wb, err := sheet.Open(path, ',')
	if err != nil {
		log.Fatal(err)
	}
	s := wb.Sheets[0]
	for _, ref := range []string{"A1", "B2", "B3", "C9"} {
		r, ok := sheet.ParseRef(ref)
		if !ok {
			log.Fatalf("bad reference %s", ref)
		}
		c := s.Cell(r)
		fmt.Printf("%s: %s\n", r, c)
	}
	fmt.Println(sheet.ColumnName(27))
	// Output:
	// A1: "year"
	// B2: 120
	// B3: 135
	// C9: an empty cell
	// AB
}
