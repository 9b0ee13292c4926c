package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/units"
	"github.com/stockflow/stockflow/model/vensim"
	"github.com/stockflow/stockflow/model/xmile"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/chart"
)

// load reads a model file, choosing the format by extension.
func load(path string) (*model.Model, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		return model.LoadFile(path)
	case ".xmile", ".stmx", ".itmx":
		return xmile.ReadFile(path)
	case ".mdl":
		return vensim.ReadFile(path)
	}
	return nil, fmt.Errorf("%s: unknown model format %q (expected .yaml, .yml, .xmile, .stmx, .itmx or .mdl)", path, filepath.Ext(path))
}

// compile loads and compiles a model file.
func compile(path string) (*sim.Program, error) {
	m, err := load(path)
	if err != nil {
		return nil, err
	}
	return sim.Compile(m)
}

// printErrors prints each error of a list on a line of its own: a
// positioned error as it is (file:line:col: message, as compilers print
// them), any other after prefix, without the name of the package that
// made it.
func printErrors(w io.Writer, prefix string, err error) {
	var list model.ErrorList
	if errors.As(err, &list) && list.Error() == err.Error() {
		for _, e := range list {
			fmt.Fprintln(w, errorLine(prefix, e))
		}
		return
	}
	fmt.Fprintln(w, errorLine(prefix, err))
}

// positioned matches a message that starts with a position in a file.
var positioned = regexp.MustCompile(`^[^\s:]+(:\d+){1,2}: `)

// packagePrefix matches the "sim: " that starts an unpositioned error of
// a package of stockflow.
var packagePrefix = regexp.MustCompile(`^(sim|model|expr|xmile|vensim|units|loops|chart|experiment|web): `)

// errorLine is one error as the command prints it.
func errorLine(prefix string, err error) string {
	msg := err.Error()
	if positioned.MatchString(msg) {
		return msg
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Error() == msg {
		verb := pe.Op
		switch pe.Op {
		case "open", "stat", "lstat":
			verb = "read"
		}
		why := pe.Err.Error()
		switch {
		case errors.Is(pe.Err, fs.ErrNotExist):
			why = "no such file"
		case errors.Is(pe.Err, fs.ErrPermission):
			why = "permission denied"
		}
		msg = fmt.Sprintf("cannot %s %s: %s", verb, pe.Path, why)
	}
	return prefix + packagePrefix.ReplaceAllString(msg, "")
}

func cmdCheck(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", "MODEL", stderr)
	pos, err := parse(fs, args, 1, "MODEL")
	if err != nil {
		return err
	}
	m, err := load(pos[0])
	if err != nil {
		return err
	}
	// Units problems are reported with the others, in file order.
	var errs model.ErrorList
	_, err = sim.Compile(m)
	errs.Append(err)
	_, err = units.Check(m)
	errs.Append(err)
	return errs.Err()
}

func cmdRun(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", "MODEL", stderr)
	sf := addScenarioFlags("run", fs, true)
	var vars list
	fs.Var(&vars, "vars", "the variables to write, in order: `a,b` (default: all)")
	out := fs.String("o", "", "write the CSV to this `FILE` (default: standard output)")
	saveEvery := fs.Float64("save-every", 0, "write a row every `INTERVAL` of time, a whole multiple of dt (default: the model's save_every)")
	path, err := sf.parse(args)
	if err != nil {
		return err
	}
	if isSet(fs, "save-every") && !(*saveEvery > 0) {
		return usagef("run: --save-every must be a positive number, not %v", *saveEvery)
	}
	if err := checkFolder(*out); err != nil {
		return err
	}
	p, err := compile(path)
	if err != nil {
		return err
	}
	unitsWarnings(p.Model(), stderr)
	runs, err := sf.runs(p)
	if err != nil {
		return err
	}
	for i := range runs {
		runs[i].Vars, runs[i].SaveEvery = vars, *saveEvery
	}
	simWarnings(p, runs, stderr)
	names, err := p.Columns(runs[0])
	if err != nil {
		return err
	}
	return writeOutput(*out, path, stdout, func(w io.Writer) error {
		if !sf.several() {
			cw := sim.NewCSVWriter(w, names)
			if err := p.Stream(runs[0], cw.Write); err != nil {
				return err
			}
			return cw.Flush()
		}
		// Several runs in one table, a scenario column first.
		cw := sim.NewScenarioCSVWriter(w, names)
		for _, s := range runs {
			cw.SetScenario(s.Name)
			if err := p.Stream(s, cw.Write); err != nil {
				return fmt.Errorf("%w (scenario %s)", err, s.Name)
			}
		}
		return cw.Flush()
	})
}

// simWarnings prints what sim warns of for the runs (a flow attached to
// no stock, a dt that does not divide the run or is longer than a time
// constant, a save interval that is not a whole number of steps), each
// once. Warnings never change the exit status.
func simWarnings(p *sim.Program, runs []sim.Scenario, w io.Writer) {
	seen := make(map[string]bool)
	for _, s := range runs {
		for _, wr := range p.Warnings(s) {
			if line := wr.String(); !seen[line] {
				seen[line] = true
				fmt.Fprintf(w, "warning: %s\n", line)
			}
		}
	}
}

// checkFolder reports an output file whose folder is missing, before any
// work is done for it. Standard output ("" or "-") has none.
func checkFolder(path string) error {
	if path == "" || path == "-" {
		return nil
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return usagef("cannot write %s: it is a folder; name a file to write, in it or elsewhere", path)
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("cannot write %s: there is no folder %s", path, dir)
	case err != nil:
		return fmt.Errorf("cannot write %s: %v", path, err)
	case !fi.IsDir():
		return fmt.Errorf("cannot write %s: %s is not a folder", path, dir)
	}
	return nil
}

// writeOutput calls write with standard output, or with a temporary file
// that replaces path only when write succeeds, so that a failed run leaves
// an earlier file as it was. It refuses to write over the input.
func writeOutput(path, input string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(stdout)
	}
	if sameFile(path, input) {
		return usagef("refusing to write the output over the model file %s", input)
	}
	if err := checkFolder(path); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after a successful rename, this fails harmlessly
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func cmdFunctions(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("functions", "", stderr)
	if _, err := parse(fs, args, 0, ""); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, f := range sim.Functions() {
		doc := f.Doc
		if len(f.Aliases) > 0 {
			doc += " (also " + strings.Join(f.Aliases, ", ") + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\n", f.Signature, doc)
	}
	return tw.Flush()
}

// isSet reports whether the named flag was given.
func isSet(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// checkChartOutput checks, before any work, the file a chart is to be
// written to (given by flag of command cmd): it must be named, have an
// image extension, and not be the model file input. It returns the format.
func checkChartOutput(cmd, flag, path, input string) (chart.Format, error) {
	if path == "" {
		return 0, usagef("%s: %s is required: name the image file to write (.png, .svg or .pdf)", cmd, flag)
	}
	f, err := chart.FormatOf(path)
	if err != nil {
		return 0, usagef("%s: %s %s: the file name must end in .png, .svg or .pdf", cmd, flag, path)
	}
	if sameFile(path, input) {
		return 0, usagef("refusing to write the chart over the model file %s", input)
	}
	return f, checkFolder(path)
}

// sameFile reports whether two paths name one existing file.
func sameFile(a, b string) bool {
	if pa, err := filepath.Abs(a); err == nil {
		if pb, err := filepath.Abs(b); err == nil && pa == pb {
			return true // the same path, whether or not the file exists yet
		}
	}
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

// saveChart writes a chart to path through a temporary file in the same
// directory, so that a failure leaves nothing behind, and never over the
// model file input.
func saveChart(c *chart.Chart, f chart.Format, path, input string, size ...chartSize) error {
	for _, sz := range size {
		c.Resize(sz.w, sz.h, sz.dpi)
	}
	return writeOutput(path, input, nil, func(w io.Writer) error { return c.Write(w, f) })
}
