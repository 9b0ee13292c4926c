package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Range is the span of values a variable is meant to take, as a modeller
// declares it (range: [min, max] or [min, max, step]). For a constant it
// bounds what a scenario, --set or a slider may give it; for any other
// variable it documents the values expected.
type Range struct {
	Min, Max float64
	Step     float64 // 0 when not given
	Pos      Position
}

// Contains reports whether x lies in [Min, Max].
func (r Range) Contains(x float64) bool { return x >= r.Min && x <= r.Max }

// String returns the range as a model file writes it: "[0, 1]" or
// "[0, 1, 0.05]".
func (r Range) String() string {
	s := "[" + fmtNum(r.Min) + ", " + fmtNum(r.Max)
	if r.Step != 0 {
		s += ", " + fmtNum(r.Step)
	}
	return s + "]"
}

// check reports what is wrong with the range's numbers, or "".
func (r Range) check() string {
	switch {
	case !finite(r.Min, r.Max, r.Step):
		return "expected finite numbers"
	case !(r.Min < r.Max):
		return fmt.Sprintf("expected min < max but found min %s and max %s", fmtNum(r.Min), fmtNum(r.Max))
	case r.Step < 0 || r.Step > r.Max-r.Min:
		return fmt.Sprintf("expected a step between 0 and max - min (%s) but found %s", fmtNum(r.Max-r.Min), fmtNum(r.Step))
	}
	return ""
}

func fmtNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// Distribution is the uncertainty of a constant, written as a call such
// as triangular(0.01, 0.02, 0.035): the syntax of --vary. The
// distributions and their arguments:
//
//	uniform(min, max)
//	normal(mean, sd)
//	truncnormal(mean, sd, min, max)   a normal restricted to [min, max]
//	triangular(min, mode, max)
//	lognormal(mean, sd)               the mean and sd of the values
//	fixed(value)
//
// Names are case-insensitive. Package sim/experiment draws from them.
type Distribution struct {
	Name string // lower case, one of the names above
	Args []float64
	Pos  Position // where it is written, if read from a file
}

// distSpecs lists the distributions: name, arguments, and the check of
// their values.
var distSpecs = []struct {
	name  string
	args  []string
	check func(a []float64) string
}{
	{"uniform", []string{"min", "max"}, func(a []float64) string {
		if a[0] >= a[1] {
			return "expected min < max"
		}
		return ""
	}},
	{"normal", []string{"mean", "sd"}, func(a []float64) string {
		if a[1] <= 0 {
			return "expected a positive standard deviation"
		}
		return ""
	}},
	{"truncnormal", []string{"mean", "sd", "min", "max"}, func(a []float64) string {
		if a[1] <= 0 || a[2] >= a[3] {
			return "expected a positive standard deviation and min < max"
		}
		return ""
	}},
	{"triangular", []string{"min", "mode", "max"}, func(a []float64) string {
		if a[0] >= a[2] || a[1] < a[0] || a[1] > a[2] {
			return "expected min <= mode <= max and min < max"
		}
		return ""
	}},
	{"lognormal", []string{"mean", "sd"}, func(a []float64) string {
		if a[0] <= 0 || a[1] <= 0 {
			return "expected a positive mean and standard deviation"
		}
		return ""
	}},
	{"fixed", []string{"value"}, func([]float64) string { return "" }},
}

// DistributionNames lists the distributions with their arguments, as
// "uniform(min, max)".
func DistributionNames() []string {
	out := make([]string, len(distSpecs))
	for i, s := range distSpecs {
		out[i] = s.name + "(" + strings.Join(s.args, ", ") + ")"
	}
	return out
}

// DistributionError is a distribution that cannot be read: Off is the byte
// offset in the text where the fault is.
type DistributionError struct {
	Text string
	Off  int
	Msg  string
}

func (e *DistributionError) Error() string { return fmt.Sprintf("%s: %s", e.Text, e.Msg) }

// ParseDistribution reads a distribution written as a call, such as
// "uniform(0.1, 0.3)", and checks its arguments. The error is a
// *DistributionError.
func ParseDistribution(text string) (Distribution, error) {
	fail := func(off int, format string, args ...any) (Distribution, error) {
		return Distribution{}, &DistributionError{Text: text, Off: off, Msg: fmt.Sprintf(format, args...)}
	}
	lead := len(text) - len(strings.TrimLeft(text, " \t"))
	s := strings.TrimRight(text, " \t")
	open := strings.IndexByte(s, '(')
	if open < 0 || !strings.HasSuffix(s, ")") {
		return fail(lead, "expected a distribution such as uniform(0.1, 0.3); one of %s", strings.Join(DistributionNames(), ", "))
	}
	name := strings.TrimSpace(s[lead:open])
	spec := -1
	for i, d := range distSpecs {
		if strings.EqualFold(name, d.name) {
			spec = i
		}
	}
	if spec < 0 {
		return fail(lead, "unknown distribution %q; expected one of %s", name, strings.Join(DistributionNames(), ", "))
	}
	d := distSpecs[spec]
	sig := DistributionNames()[spec]
	inner := s[open+1 : len(s)-1]
	fields := strings.Split(inner, ",")
	if strings.TrimSpace(inner) == "" {
		fields = nil
	}
	if len(fields) != len(d.args) {
		n := "arguments"
		if len(fields) == 1 {
			n = "argument"
		}
		return fail(open+1, "%d %s given, expected %s", len(fields), n, sig)
	}
	args := make([]float64, len(fields))
	off := open + 1
	for i, f := range fields {
		at := off + len(f) - len(strings.TrimLeft(f, " \t"))
		x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || !finite(x) {
			return fail(at, "argument %d (%s): expected a finite number, found %q", i+1, d.args[i], strings.TrimSpace(f))
		}
		args[i] = x
		off += len(f) + 1
	}
	if msg := d.check(args); msg != "" {
		return fail(lead, "%s", msg)
	}
	return Distribution{Name: d.name, Args: args}, nil
}

// String returns the distribution as ParseDistribution reads it.
func (d Distribution) String() string {
	s := make([]string, len(d.Args))
	for i, a := range d.Args {
		s[i] = fmtNum(a)
	}
	return d.Name + "(" + strings.Join(s, ", ") + ")"
}

// Bounds returns the smallest and largest values the distribution gives:
// infinite for an unbounded side.
func (d Distribution) Bounds() (lo, hi float64) {
	switch d.Name {
	case "uniform", "triangular":
		return d.Args[0], d.Args[len(d.Args)-1]
	case "truncnormal":
		return d.Args[2], d.Args[3]
	case "fixed":
		return d.Args[0], d.Args[0]
	case "lognormal":
		return 0, math.Inf(1)
	}
	return math.Inf(-1), math.Inf(1)
}
