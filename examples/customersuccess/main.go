// Customersuccess answers a strategist's question with a system-dynamics
// model: of a fixed go-to-market budget, how much should go to customer
// success and how much to acquisition, when happy customers stay longer, buy
// more and refer others?
//
// It runs the model (model.yaml, embedded) with the budget split three ways
// and with the split that maximises five-year cumulative profit, prints a
// comparison table, and writes summary.csv and charts to the output folder.
//
//	go run ./examples/customersuccess [-model FILE] [-out DIR]
package main

import (
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/stockflow/stockflow/model"
)

//go:embed model.yaml
var embedded []byte

func main() {
	modelFile := flag.String("model", "", "run this model file instead of the embedded model.yaml")
	out := flag.String("out", "out/customersuccess", "folder for summary.csv and the charts")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "customersuccess: unexpected argument %q\n", flag.Arg(0))
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*modelFile, *out, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(modelFile, outDir string, w io.Writer) error {
	var m *model.Model
	var err error
	if modelFile == "" {
		m, err = model.Load("model.yaml", embedded)
	} else {
		m, err = model.LoadFile(modelFile)
	}
	if err != nil {
		return err
	}
	st, err := newStudy(m)
	if err != nil {
		return err
	}
	if err := st.compare(); err != nil {
		return err
	}
	st.printTable(w)
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	return st.writeSummary(outDir)
}
