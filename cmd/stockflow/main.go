// Command stockflow runs, checks and analyses system-dynamics models written
// in YAML or XMILE.
//
// Usage:
//
//	stockflow run MODEL [--method euler|rk2|rk4] [--dt X] [--set NAME=VALUE]... [--scenario NAME] [--seed N] [--vars a,b] [-o FILE]
//	stockflow check MODEL
//	stockflow convert IN OUT [--force]
//	stockflow functions
//	stockflow loops MODEL [--scores] [--plot FILE] [--scenario NAME] [--method M] [--dot] [--limit N] [-o FILE]
//	stockflow plot MODEL --vars a,b [--scenario NAME]... [--all-scenarios] [--set NAME=VALUE]... [--method M] [--dt X] [--title T] -o FILE
//
// Run writes CSV: a header "time,<name>,..." and one row per saved time.
// Check prints nothing for a valid model and every error otherwise.
// Convert converts a model between YAML (.yaml, .yml) and XMILE (.xmile,
// .stmx, .itmx), by the files' extensions; it replaces an existing OUT only
// with --force, and never the input.
// Loops lists the model's feedback loops, one a line: label (the name the
// model gives it, or its ID R1, B1, U1, ...), polarity, length and
// variables; --scores writes the relative loop scores of a run as CSV
// (header "time,<loop>,...", one row per saved time, NaN in the first row),
// --dot the causal loop diagram in Graphviz DOT, and --plot FILE a chart of
// the relative loop scores over the run (loop dominance).
// Plot charts variables over time: one variable in one panel, several in a
// grid of panels, with the runs of the scenarios named by --scenario (or
// every scenario, or the model as written, named baseline) overlaid; -o
// names the image file, whose extension (.png, .svg, .pdf) picks the format.
// Errors go to standard error. The exit status is 0 on success, 1 for a bad
// model or a failed run, and 2 for bad command-line use.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is bad command-line use: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

const usage = `usage: stockflow <command> [arguments]

commands:
  run MODEL        simulate a model and write its results as CSV
  check MODEL      report every error in a model (prints nothing if it is valid)
  convert IN OUT   convert a model between YAML and XMILE, by the files' extensions
  functions        list the builtin functions of the equation language
  loops MODEL      list the feedback loops; --scores: their loop scores over a run (CSV); --dot: the diagram; --plot: the dominance chart
  plot MODEL       chart variables over time for one or more scenarios (PNG, SVG or PDF)
  sensitivity MODEL  percentiles over many runs with uncertain constants (CSV)
  optimize MODEL   choose constants within bounds to maximise or minimise a payoff
  calibrate MODEL  fit constants to data from a CSV file

run 'stockflow <command> -h' for the flags of a command
`

// Main runs the command line args and returns the exit status. It never
// panics: an internal error is reported as such.
func Main(args []string, stdout, stderr io.Writer) (status int) {
	defer func() {
		// No stack trace reaches the user, whatever went wrong.
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "stockflow: internal error: %v (please report it)\n", r)
			status = 1
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "run":
		err = cmdRun(rest, stdout, stderr)
	case "check":
		err = cmdCheck(rest, stdout, stderr)
	case "convert":
		err = cmdConvert(rest, stdout, stderr)
	case "functions":
		err = cmdFunctions(rest, stdout, stderr)
	case "loops":
		err = cmdLoops(rest, stdout, stderr)
	case "plot":
		err = cmdPlot(rest, stdout, stderr)
	case "sensitivity":
		err = cmdSensitivity(rest, stdout, stderr)
	case "optimize", "optimise":
		err = cmdOptimize(rest, stdout, stderr)
	case "calibrate":
		err = cmdCalibrate(rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "stockflow: unknown command %q\n%s", cmd, usage)
		return 2
	}
	return report(err, stderr)
}

// report prints err and returns the exit status it calls for.
func report(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "stockflow: %s\n", ue.msg)
		return 2
	}
	if errors.Is(err, errHelp) {
		return 0
	}
	printErrors(stderr, err)
	return 1
}
