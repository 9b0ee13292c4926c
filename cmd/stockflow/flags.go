package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model"
)

var errHelp = errors.New("help requested")

// newFlags returns the flag set of command name, whose positional
// arguments are described by args (such as "MODEL" or "IN OUT"). Its usage
// text is generated from the flags defined on it: each flag's usage string
// names its value in back quotes (“write the CSV to this `FILE`”), says
// "(repeatable)" when it may be given more than once and "(required)" when
// it must be given. Parse errors are reported once, by parse, never
// printed by the flag package.
func newFlags(name, args string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() { printUsage(fs.Output(), fs, args) }
	return fs
}

// usageOf returns the usage text of a flag set made by newFlags.
func usageOf(fs *flag.FlagSet) string {
	var b strings.Builder
	out := fs.Output()
	fs.SetOutput(&b)
	fs.Usage()
	fs.SetOutput(out)
	return b.String()
}

// synopsis returns the usage line of a flag set made by newFlags, without
// "usage: ".
func synopsis(fs *flag.FlagSet) string {
	line, _, _ := strings.Cut(usageOf(fs), "\n")
	return strings.TrimPrefix(line, "usage: ")
}

// flagName is a flag as a user types it: -o for one letter, --name else.
func flagName(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// flagValue returns the placeholder of a flag's value ("" for a boolean)
// and its usage text without back quotes.
func flagValue(f *flag.Flag) (value, usage string) {
	value, usage = flag.UnquoteUsage(f)
	if !strings.Contains(f.Usage, "`") {
		switch value {
		case "float", "int", "uint":
			value = "N"
		case "string", "value":
			value = "X"
		}
	}
	return value, usage
}

// flagsOf returns the flags of fs, the required ones first and the rest by
// name.
func flagsOf(fs *flag.FlagSet) []*flag.Flag {
	var all []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) { all = append(all, f) })
	sort.SliceStable(all, func(i, j int) bool {
		return required(all[i]) && !required(all[j])
	})
	return all
}

func required(f *flag.Flag) bool   { return strings.Contains(f.Usage, "(required)") }
func repeatable(f *flag.Flag) bool { return strings.Contains(f.Usage, "(repeatable)") }

// usageLine is the one-line synopsis of a command, generated from its
// flags: "stockflow run MODEL [--dt N] ... [-o FILE]".
func usageLine(fs *flag.FlagSet, args string) string {
	parts := []string{"stockflow", fs.Name()}
	if a := args; a != "" {
		parts = append(parts, a)
	}
	for _, f := range flagsOf(fs) {
		s := flagName(f.Name)
		if v, _ := flagValue(f); v != "" {
			s += " " + v
		}
		if !required(f) {
			s = "[" + s + "]"
		}
		if repeatable(f) {
			s += "..."
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// printUsage writes a command's usage line and a table of its flags.
func printUsage(w io.Writer, fs *flag.FlagSet, args string) {
	fmt.Fprintf(w, "usage: %s\n", usageLine(fs, args))
	all := flagsOf(fs)
	if len(all) == 0 {
		return
	}
	fmt.Fprintln(w, "\nflags:")
	heads := make([]string, len(all))
	width := 0
	for i, f := range all {
		heads[i] = flagName(f.Name)
		if v, _ := flagValue(f); v != "" {
			heads[i] += " " + v
		}
		width = max(width, len(heads[i]))
	}
	for i, f := range all {
		_, u := flagValue(f)
		if d := f.DefValue; d != "" && d != "false" && d != "0" && !strings.Contains(u, "(default") && !strings.Contains(u, "(required)") {
			if _, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok {
				u += " (default " + d + ")"
			}
		}
		fmt.Fprintf(w, "  %-*s  %s\n", width, heads[i], u)
	}
}

// parse parses flags and positional arguments in any order, and checks the
// number of positional arguments; names describes them for an error.
func parse(fs *flag.FlagSet, args []string, want int, names string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, &helpRequest{fs}
			}
			return nil, flagError(fs, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) != want {
		if len(pos) < want {
			return nil, &usageError{msg: fmt.Sprintf("%s: missing %s", fs.Name(), names), usage: synopsis(fs)}
		}
		return nil, usagef("%s: unexpected argument %q", fs.Name(), pos[want])
	}
	return pos, nil
}

// helpRequest is -h or --help: the command's usage goes to standard
// output and the exit status is 0.
type helpRequest struct{ fs *flag.FlagSet }

func (h *helpRequest) Error() string { return "help requested" }
func (h *helpRequest) Is(target error) bool {
	return target == errHelp
}

// flagError turns an error of the flag package into one line in the
// command's words, with the nearest flag for an unknown one.
func flagError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		name = strings.TrimLeft(name, "-")
		var known []string
		fs.VisitAll(func(f *flag.Flag) { known = append(known, f.Name) })
		hint := ""
		if c := closestFlag(name, known); c != "" {
			hint = fmt.Sprintf(" (did you mean %s?)", flagName(c))
		}
		return usagef("%s: unknown flag %s%s; run 'stockflow help %s' for its flags", fs.Name(), flagName(name), hint, fs.Name())
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		name = strings.TrimLeft(name, "-")
		v := "a value"
		if f := fs.Lookup(name); f != nil {
			if p, _ := flagValue(f); p != "" {
				v = p
			}
		}
		return usagef("%s: %s needs a value: %s %s", fs.Name(), flagName(name), flagName(name), v)
	}
	// invalid value "x" for flag -set: expected NAME=VALUE but found "x"
	// invalid boolean value "x" for -lhs: parse error
	if rest, ok := strings.CutPrefix(msg, "invalid "); ok {
		if i := strings.Index(rest, " for "); i >= 0 {
			after := rest[i+len(" for "):]
			after = strings.TrimPrefix(after, "flag ")
			name, why, _ := strings.Cut(after, ": ")
			name = strings.TrimLeft(name, "-")
			what := rest[:i]
			val := what[strings.Index(what, `"`):]
			if why == "parse error" || strings.HasPrefix(why, "strconv.") {
				why = "expected " + expectedOf(fs.Lookup(name))
			}
			return usagef("%s: %s %s: %s", fs.Name(), flagName(name), val, why)
		}
	}
	return usagef("%s: %s", fs.Name(), msg)
}

// expectedOf says what a flag's value must be, for an error.
func expectedOf(f *flag.Flag) string {
	if f == nil {
		return "a valid value"
	}
	if _, ok := f.Value.(interface{ IsBoolFlag() bool }); ok {
		return "true or false"
	}
	switch t := fmt.Sprintf("%T", f.Value); {
	case strings.Contains(t, "intValue"), strings.Contains(t, "int64Value"), strings.Contains(t, "uintValue"), strings.Contains(t, "uint64Value"):
		return "a whole number"
	case strings.Contains(t, "float64Value"), strings.Contains(t, "durationValue"):
		return "a number"
	}
	return "a valid value"
}

// closestFlag returns the defined flag nearest to name: one typo away, or
// the only one name starts (or ends) with.
func closestFlag(name string, known []string) string {
	if c := closestWord(name, known); c != "" {
		return c
	}
	found := ""
	for _, k := range known {
		if len(name) >= 2 && (strings.HasPrefix(k, name) || strings.HasPrefix(name, k) && len(k) >= 3) {
			if found != "" {
				return ""
			}
			found = k
		}
	}
	return found
}

// settings collects repeated NAME=VALUE flags.
type settings map[string]float64

func (s settings) String() string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+strconv.FormatFloat(s[k], 'g', -1, 64))
	}
	return strings.Join(parts, ",")
}

func (s settings) Set(arg string) error {
	name, val, ok := strings.Cut(arg, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return fmt.Errorf("expected NAME=VALUE but found %q", arg)
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
	if err != nil {
		return fmt.Errorf("expected a number after %q= but found %q", name, val)
	}
	s[name] = x
	return nil
}

// list is a comma-separated list flag.
type list []string

func (l *list) String() string { return strings.Join(*l, ",") }

func (l *list) Set(arg string) error {
	for _, s := range splitNames(arg) {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// splitNames splits a comma-separated list of names, leaving the commas
// inside brackets alone: "x[a,b],y" is x[a,b] and y.
func splitNames(arg string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(arg); i++ {
		switch arg[i] {
		case '[':
			depth++
		case ']':
			depth = max(0, depth-1)
		case ',':
			if depth == 0 {
				out = append(out, arg[start:i])
				start = i + 1
			}
		}
	}
	return append(out, arg[start:])
}

// closestWord returns the candidate one typo from word, or two letters
// swapped.
func closestWord(word string, candidates []string) string {
	if c := model.Closest(word, candidates); c != "" {
		return c
	}
	for _, c := range candidates {
		if len(c) == len(word) && len(c) >= 3 {
			for i := 0; i+1 < len(c); i++ {
				if word[:i]+word[i+1:i+2]+word[i:i+1]+word[i+2:] == c {
					return c
				}
			}
		}
	}
	return ""
}

// chartSize is the --size flag of a chart: WxH in inches ("13.33x7.5"),
// or in pixels of the PNG ("1600x900px"), which are taken at 120 dpi, a
// slide's: 1600x900px is a 13.33x7.5 in slide.
type chartSize struct {
	w, h float64
	dpi  int
}

func (s *chartSize) String() string {
	if s.w == 0 {
		return ""
	}
	return strconv.FormatFloat(s.w, 'g', -1, 64) + "x" + strconv.FormatFloat(s.h, 'g', -1, 64)
}

func (s *chartSize) Set(arg string) error {
	text := strings.ToLower(strings.TrimSpace(arg))
	px := strings.HasSuffix(text, "px")
	text = strings.TrimSuffix(strings.TrimSuffix(text, "px"), "in")
	ws, hs, ok := strings.Cut(text, "x")
	w, err1 := strconv.ParseFloat(strings.TrimSpace(ws), 64)
	h, err2 := strconv.ParseFloat(strings.TrimSpace(hs), 64)
	if !ok || err1 != nil || err2 != nil || !(w > 0) || !(h > 0) || !finite(w) || !finite(h) {
		return fmt.Errorf("expected WIDTHxHEIGHT in inches, such as 13.33x7.5, or in pixels, such as 1600x900px, but found %q", arg)
	}
	s.dpi = pngDPI
	if px {
		s.dpi = slideDPI
		w, h = w/slideDPI, h/slideDPI
	}
	if w > 100 || h > 100 {
		return fmt.Errorf("%s is larger than 100 inches a side; for pixels write %spx", arg, arg)
	}
	s.w, s.h = w, h
	return nil
}

// pngDPI is the resolution of the PNG charts the command writes, and
// slideDPI that of a size given in pixels.
const (
	pngDPI   = 150
	slideDPI = 120
)
