// Command stockflow runs, checks and analyses system-dynamics models written
// in YAML or XMILE, or in Vensim's .mdl format. Every command that takes a
// MODEL reads it by its extension: .yaml or .yml, .xmile, .stmx or .itmx,
// and .mdl.
//
// Usage:
//
//	stockflow <command> [arguments]
//	stockflow help [command]
//	stockflow --version
//
// The commands are run, check, units, convert, functions, loops, plot,
// sensitivity, optimize, calibrate, merge and serve; "stockflow help COMMAND" prints a
// command's usage line and flags, both generated from its flag
// definitions. Flags and arguments may come in any order; flags take one
// dash or two.
//
// The commands that run a model share the scenario flags: --scenario NAME
// (baseline, the model as written, or a scenario of the model or of the
// file of --scenarios, whose scenarios are added to the model's), --set
// NAME=VALUE, --method, --dt and --seed. Run and plot take --scenario more
// than once, and --all-scenarios: the baseline (unless --no-baseline) and
// every scenario.
//
// Run writes CSV: a header "time,<name>,..." and one row per saved time;
// for several scenarios, a header "scenario,time,<name>,..." and the rows
// of each run in turn, the baseline first.
// Check prints nothing for a valid model and every error otherwise, units
// problems among them; run prints units problems as warnings and runs.
// Units lists every variable with its declared units and the units its
// equations give it (inferred where none are declared), then any units
// problems.
// Convert converts a model between YAML (.yaml, .yml) and XMILE (.xmile,
// .stmx, .itmx), by the files' extensions, and reads Vensim's .mdl too;
// it replaces an existing OUT only with --force, and never the input.
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
// Sensitivity, optimize and calibrate run in shards with --shard I/N (or
// --shards N, the index taken from $JOB_COMPLETION_INDEX as Kubernetes
// Indexed Jobs set it): each writes its part to -o, a file or a folder,
// and merge PART... joins the parts (files, or folders of .summary files)
// into what the whole study writes, refusing parts of different studies.
// Errors go to standard error, one a line: an error in a model file as
// "file:line:col: message", any other as "stockflow COMMAND: message". The
// exit status is 0 on success, 1 for a bad
// model or a failed run, and 2 for bad command-line use.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"text/tabwriter"
)

func main() {
	os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
}

// usageError is bad command-line use: exit status 2. Usage, when set, is
// the command's synopsis, printed on a line after the message.
type usageError struct{ msg, usage string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// A command is one of stockflow's subcommands.
type command struct {
	name    string
	args    string // its positional arguments, for the overview
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

// commands lists the subcommands in the order the overview shows them.
var commands = []command{
	{"run", "MODEL", "simulate a model and write its results as CSV", cmdRun},
	{"gen", "MODEL", "write the model as Go: a program that runs it (-o DIR) or a package (--package NAME -o FILE.go)", cmdGen},
	{"check", "MODEL", "report every error in a model, units problems too (prints nothing if it is valid)", cmdCheck},
	{"units", "MODEL", "list every variable with its declared units and the units its equations give", cmdUnits},
	{"convert", "IN OUT", "convert a model (YAML, XMILE or Vensim .mdl) to YAML or XMILE, by the files' extensions", cmdConvert},
	{"functions", "", "list the builtin functions of the equation language", cmdFunctions},
	{"loops", "MODEL", "list the feedback loops; --scores: their scores over a run (CSV); --dot: the diagram; --plot: the dominance chart", cmdLoops},
	{"plot", "MODEL", "chart variables over time for one or more scenarios (PNG, SVG or PDF)", cmdPlot},
	{"sensitivity", "MODEL", "percentiles over many runs with uncertain constants (CSV)", cmdSensitivity},
	{"optimize", "MODEL", "choose constants within bounds to maximise or minimise a payoff", cmdOptimize},
	{"calibrate", "MODEL", "fit constants to data from a CSV file", cmdCalibrate},
	{"merge", "PART...", "join the parts of a study made in shards (--shard I/N) into what the whole study writes", cmdMerge},
	{"serve", "MODEL", "serve the model's what-if page: sliders, scenarios and charts in the browser", cmdServe},
}

// aliases are other spellings of commands.
var aliases = map[string]string{"optimise": "optimize"}

func lookup(name string) *command {
	if a, ok := aliases[name]; ok {
		name = a
	}
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// overview is the text of "stockflow help".
func overview() string {
	var b strings.Builder
	b.WriteString("usage: stockflow <command> [arguments]\n\ncommands:\n")
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "  %s\t%s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
	}
	tw.Flush()
	b.WriteString("\nrun 'stockflow help <command>' for the flags of a command, 'stockflow --version' for the version\n")
	return b.String()
}

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
		fmt.Fprint(stderr, overview())
		return 2
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) == 0 {
			fmt.Fprint(stdout, overview())
			return 0
		}
		if c := lookup(rest[0]); c != nil && len(rest) == 1 {
			return report(c.name, c.run([]string{"-h"}, stdout, stderr), stdout, stderr)
		}
		if len(rest) > 1 {
			return report("help", usagef("help: expected one command, found %d words", len(rest)), stdout, stderr)
		}
		return report("help", unknownCommand(rest[0]), stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintf(stdout, "stockflow %s\n", version())
		return 0
	}
	c := lookup(name)
	if c == nil {
		return report("", unknownCommand(name), stdout, stderr)
	}
	return report(c.name, c.run(rest, stdout, stderr), stdout, stderr)
}

// unknownCommand is the error for a command stockflow does not have.
func unknownCommand(name string) error {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	if strings.HasPrefix(name, "-") {
		return usagef("unknown flag %s before the command; run 'stockflow help' for the commands", name)
	}
	hint := ""
	if c := closestWord(name, names); c != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", c)
	}
	return usagef("unknown command %q%s; run 'stockflow help' for the commands", name, hint)
}

// version is the module version the binary was built from, with the
// revision of a development build.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown version)"
	}
	v := bi.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
		var rev, dirty string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "+dirty"
				}
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			v += " " + rev + dirty
		}
	}
	return v + " " + bi.GoVersion
}

// report prints err and returns the exit status it calls for. Every line
// starts "stockflow CMD: ", but for positioned errors of a model, which
// start with their file:line:col.
func report(cmd string, err error, stdout, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var help *helpRequest
	if errors.As(err, &help) {
		help.fs.SetOutput(stdout)
		help.fs.Usage()
		return 0
	}
	prefix := "stockflow: "
	if cmd != "" {
		prefix = "stockflow " + cmd + ": "
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, prefix+strings.TrimPrefix(ue.msg, cmd+": "))
		if ue.usage != "" {
			fmt.Fprintln(stderr, "usage: "+ue.usage)
		}
		return 2
	}
	printErrors(stderr, prefix, err)
	return 1
}
