// Customersuccess answers a strategist's question with a system-dynamics
// model: of a fixed go-to-market budget, how much should go to customer
// success and how much to acquisition, when happy customers stay longer, buy
// more and refer others?
//
// It runs the model (model.yaml, embedded) with the budget split four ways
// and with the split that maximises five-year cumulative profit, prints a
// comparison table, and writes summary.csv and charts to the output folder.
// With -serve it serves the model's what-if page instead: sliders for the
// decision and the assumptions, the scenarios side by side, in the browser.
//
//	go run ./examples/customersuccess [-model FILE] [-out DIR]
//	go run ./examples/customersuccess -serve [-addr 127.0.0.1:8080]
package main

import (
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim/experiment"
)

//go:embed model.yaml
var embedded []byte

func main() {
	modelFile := flag.String("model", "", "run this model file instead of the embedded model.yaml")
	segmentsFile := flag.String("segments", "", "run this segment model file instead of the embedded segments.yaml")
	out := flag.String("out", "out/customersuccess", "folder for summary.csv and the charts")
	page := flag.Bool("serve", false, "serve the model's what-if page instead of running the study")
	pageSegments := flag.Bool("serve-segments", false, "with -serve, serve the segment model's page")
	addr := flag.String("addr", "127.0.0.1:8080", "with -serve, listen on this host:port")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "customersuccess: unexpected argument %q\n", flag.Arg(0))
		flag.Usage()
		os.Exit(2)
	}
	if *page {
		load := func() (*model.Model, error) { return loadModel(*modelFile) }
		if *segmentsFile != "" || *pageSegments {
			load = func() (*model.Model, error) { return loadSegments(*segmentsFile) }
		}
		m, err := load()
		if err == nil {
			err = serve(m, *addr, os.Stderr)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if err := run(*modelFile, *segmentsFile, *out, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// spreadDraws is the number of draws of the uncertain parameters under
// which the best split is found again.
const spreadDraws = 100

// loadModel reads the model file, or the embedded model when it is "".
func loadModel(modelFile string) (*model.Model, error) {
	if modelFile == "" {
		return model.Load("model.yaml", embedded)
	}
	return model.LoadFile(modelFile)
}

func run(modelFile, segmentsFile, outDir string, w io.Writer) error {
	// The output folder is checked before the study, which takes a while.
	if fi, err := os.Stat(outDir); err == nil && !fi.IsDir() {
		return fmt.Errorf("customersuccess: -out %s names a file; name a folder for summary.csv and the charts", outDir)
	}
	m, err := loadModel(modelFile)
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
	fmt.Fprintf(w, "\nThe split that maximises five-year cumulative profit puts %.1f%% of the budget into customer success\n(%d runs of the model from %d Nelder–Mead starts).\n",
		100*st.optimum.Values[0], st.optimum.Runs, st.optimum.Starts)
	if err := st.printRobustness(w); err != nil {
		return err
	}
	if err := st.comparePolicies(); err != nil {
		return err
	}
	st.printPolicies(w)
	sm, err := loadSegments(segmentsFile)
	if err != nil {
		return err
	}
	ss, err := newSegmentStudy(sm)
	if err != nil {
		return err
	}
	if err := ss.compare(); err != nil {
		return err
	}
	ss.print(w)
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	if err := st.writeSummary(outDir); err != nil {
		return err
	}
	if err := st.writePolicies(outDir); err != nil {
		return err
	}
	if err := ss.write(outDir); err != nil {
		return err
	}
	files, err := st.writeCharts(outDir)
	if err != nil {
		return err
	}
	c, err := ss.chart()
	if err == nil {
		err = c.Save(filepath.Join(outDir, chartSegments))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", chartSegments, err)
	}
	files = append(files, filepath.Join(outDir, chartSegments))
	fmt.Fprintf(w, "\nWrote %s, %s, %s and\n", filepath.Join(outDir, "summary.csv"), filepath.Join(outDir, "policy.csv"), filepath.Join(outDir, "segments.csv"))
	for _, f := range files {
		fmt.Fprintf(w, "  %s\n", f)
	}
	return nil
}

// printRobustness prints how the optimal split fares against the others
// when the constants the model declares uncertain are drawn from their
// distributions, and how far the optimum moves.
func (st *study) printRobustness(w io.Writer) error {
	if len(st.uncertain) == 0 {
		fmt.Fprintln(w, "No constant of the model declares an uncertainty, so the robustness of the split is not studied.")
		return nil
	}
	fmt.Fprintf(w, "\nThe model declares %d uncertain constants: %s.\n", len(st.uncertain), st.uncertainNames())
	for _, other := range st.rows[:len(st.rows)-1] {
		share, err := st.robustness(st.optimum.Values[0], other.share)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Under %d draws of them the optimal split earns more than %s in %.0f%% of the draws.\n",
			uncertainRuns, display(other), 100*share)
	}
	spread, err := st.optimumSpread(spreadDraws)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Optimised again under each of %d draws, the best share ranges from %.0f%% to %.0f%% (5th to 95th percentile; median %.0f%%).\n",
		len(spread), 100*experiment.Quantile(spread, 0.05), 100*experiment.Quantile(spread, 0.95), 100*experiment.Quantile(spread, 0.5))
	return nil
}
