package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

var errHelp = errors.New("help requested")

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(name, args string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: stockflow %s %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags and positional arguments in any order, and checks the
// number of positional arguments.
func parse(fs *flag.FlagSet, args []string, want int, names string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, &usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) != want {
		fs.Usage()
		if len(pos) < want {
			return nil, usagef("%s: missing %s", fs.Name(), names)
		}
		return nil, usagef("%s: unexpected argument %q", fs.Name(), pos[want])
	}
	return pos, nil
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
	for _, s := range strings.Split(arg, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}
