package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/sim/chart"
	"github.com/stockflow/stockflow/sim/experiment"
)

// indexEnv is the variable in which a Kubernetes Indexed Job gives each
// of its pods its index.
const indexEnv = "JOB_COMPLETION_INDEX"

// shardFlags are the flags that make a study's process one shard of it.
type shardFlags struct {
	cmd    string
	shard  *string
	shards *int
}

func addShardFlags(cmd string, fs *flag.FlagSet) *shardFlags {
	return &shardFlags{cmd: cmd,
		shard:  fs.String("shard", "", "make only shard `I/N` of the study (I from 0 to N-1) and write its part to -o, for stockflow merge"),
		shards: fs.Int("shards", 0, "as --shard, split into `N` shards, this one's index taken from $"+indexEnv+" (as Kubernetes Indexed Jobs set it)"),
	}
}

// resolve returns the shard the flags ask for, and whether they ask for
// one.
func (sf *shardFlags) resolve() (experiment.Shard, bool, error) {
	switch {
	case *sf.shard != "" && *sf.shards != 0:
		return experiment.Shard{}, false, usagef("%s: give --shard I/N or --shards N, not both", sf.cmd)
	case *sf.shard != "":
		sh, err := experiment.ParseShard(*sf.shard)
		if err != nil {
			return sh, false, usagef("%s: --shard: %s", sf.cmd, strings.TrimPrefix(err.Error(), "experiment: "))
		}
		return sh, true, nil
	case *sf.shards < 0:
		return experiment.Shard{}, false, usagef("%s: --shards must be a positive number, not %d", sf.cmd, *sf.shards)
	case *sf.shards > 0:
		v, ok := os.LookupEnv(indexEnv)
		if !ok {
			return experiment.Shard{}, false, usagef("%s: --shards %d takes this shard's index from $%s, which is not set; give --shard I/%d instead", sf.cmd, *sf.shards, indexEnv, *sf.shards)
		}
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= *sf.shards {
			return experiment.Shard{}, false, usagef("%s: $%s is %q; with --shards %d expected a whole number from 0 to %d", sf.cmd, indexEnv, v, *sf.shards, *sf.shards-1)
		}
		return experiment.Shard{Index: i, Count: *sf.shards}, true, nil
	}
	return experiment.Shard{}, false, nil
}

// partOutput checks, before any work, the file a shard's part is to be
// written to, and returns it: out itself, or part-I.summary in out when
// out is a folder (an existing one, or one named with a final slash,
// which is made if need be).
func (sf *shardFlags) partOutput(out, input string, sh experiment.Shard) (string, error) {
	if out == "" || out == "-" {
		return "", usagef("%s: a shard writes its part to a file: name it with -o, such as -o part-%d.summary, or name a folder", sf.cmd, sh.Index)
	}
	if strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(filepath.Separator)) {
		// A folder by its name: made if it is not there yet, as on a
		// fresh volume of a cluster.
		if err := os.MkdirAll(out, 0o755); err != nil {
			return "", err
		}
	}
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		out = filepath.Join(out, fmt.Sprintf("part-%d.summary", sh.Index))
	}
	if sameFile(out, input) {
		return "", usagef("refusing to write the part over the model file %s", input)
	}
	return out, checkFolder(out)
}

// writePart writes a shard's part to out, through a temporary file.
func writePart(out, input string, pt *experiment.Part) error {
	return writeOutput(out, input, nil, func(w io.Writer) error { return experiment.WritePart(w, pt) })
}

// modelID identifies a model file by a hash of its contents, so that the
// parts of studies of different models do not merge.
func modelID(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(h[:]), nil
}

func cmdMerge(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("merge", "PART...", stderr)
	out := fs.String("o", "", "write what the whole study writes to this `FILE` (default: standard output); a name ending in .summary gets the merged part instead, to merge again later")
	plotFile := fs.String("plot", "", "for a sensitivity study of one variable, also chart its percentile bands to this .png, .svg or .pdf `FILE`")
	args, err := parseAtLeastOne(fs, args, "PART (a part file, or a folder of them)")
	if err != nil {
		return err
	}
	files, err := partFiles(args)
	if err != nil {
		return err
	}
	if err := checkFolder(*out); err != nil {
		return err
	}
	partOut := strings.HasSuffix(strings.ToLower(*out), ".summary")
	for _, f := range files {
		if *out != "" && *out != "-" && sameFile(*out, f) {
			return usagef("refusing to write the output over the part %s", f)
		}
	}
	pt, err := mergeFiles(files)
	if err != nil {
		return err
	}
	if partOut {
		if *plotFile != "" {
			return usagef("merge: --plot charts a whole study; -o %s writes a part", *out)
		}
		return writeOutput(*out, "", nil, func(w io.Writer) error { return experiment.WritePart(w, pt) })
	}
	switch pt.Kind {
	case experiment.SensitivityKind:
		var format chart.Format
		if *plotFile != "" {
			if len(pt.Vars) != 1 {
				return usagef("merge: --plot charts one variable, and these parts summarise %d", len(pt.Vars))
			}
			if format, err = checkChartOutput("merge", "--plot", *plotFile, ""); err != nil {
				return err
			}
			if *out != "" && *out != "-" && sameFile(*out, *plotFile) {
				return usagef("merge: -o and --plot name the same file %s", *out)
			}
		}
		sum, err := pt.Summary()
		if err != nil {
			return err
		}
		return writeSensitivity(sum, sensitivityView{scenario: pt.Scenario, lhs: pt.LHS, runs: pt.TotalRuns, units: pt.Units[0], time: pt.TimeUnits},
			*out, "", *plotFile, format, stdout, stderr)
	case experiment.OptimizationKind:
		if *plotFile != "" {
			return usagef("merge: --plot charts a sensitivity study, not an optimization")
		}
		best, err := pt.Optimum()
		if err != nil {
			return err
		}
		return writeOutput(*out, "", stdout, func(w io.Writer) error {
			return printOptimum(w, stderr, pt.Names, pt.Payoff, best)
		})
	default:
		if *plotFile != "" {
			return usagef("merge: --plot charts a sensitivity study, not a calibration")
		}
		fit, err := pt.Fit()
		if err != nil {
			return err
		}
		return writeOutput(*out, "", stdout, func(w io.Writer) error {
			return printFit(w, stderr, pt.Names, fit)
		})
	}
}

// parseAtLeastOne parses flags and one or more positional arguments, in
// any order.
func parseAtLeastOne(fs *flag.FlagSet, args []string, what string) ([]string, error) {
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
	if len(pos) == 0 {
		return nil, &usageError{msg: fmt.Sprintf("%s: missing %s", fs.Name(), what), usage: synopsis(fs)}
	}
	return pos, nil
}

// partFiles returns the part files the arguments of merge name: a file
// as it is, a folder as the .summary files in it, by name.
func partFiles(args []string) ([]string, error) {
	var files []string
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			files = append(files, a)
			continue
		}
		found, err := filepath.Glob(filepath.Join(a, "*.summary"))
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: a folder with no .summary files", a)
		}
		files = append(files, found...)
	}
	return files, nil
}

// mergeFiles merges the parts in files, holding one part besides the
// merge at a time, so that a study of many shards merges in the memory of
// a few: a first reading finds each file's shards, and a second merges
// the files in the order of their shards, so that the result does not
// depend on the order of the files. Errors name the files at fault.
func mergeFiles(files []string) (*experiment.Part, error) {
	type ref struct {
		file  string
		first int
	}
	refs := make([]ref, len(files))
	for i, f := range files {
		pt, err := experiment.ReadPartFile(f)
		if err != nil {
			return nil, err
		}
		refs[i] = ref{f, pt.Shards[0]}
	}
	sort.SliceStable(refs, func(i, j int) bool { return refs[i].first < refs[j].first })
	var acc *experiment.Part
	owner := make(map[int]string) // the file of each shard merged
	for _, r := range refs {
		pt, err := experiment.ReadPartFile(r.file)
		if err != nil {
			return nil, err
		}
		if acc == nil {
			acc = pt
		} else if err := acc.Add(pt); err != nil {
			var me *experiment.MismatchError
			if errors.As(err, &me) && me.Field == "shard" {
				for _, s := range pt.Shards {
					if prev, ok := owner[s]; ok {
						return nil, fmt.Errorf("%s and %s both hold shard %d/%d; merge each shard once", prev, r.file, s, pt.Count)
					}
				}
			}
			if errors.As(err, &me) {
				a, b := refs[0].file, r.file
				return nil, fmt.Errorf("%s and %s are parts of different studies: %s is %q in %s and %q in %s", a, b, me.Field, me.A, a, me.B, b)
			}
			return nil, err
		}
		for _, s := range pt.Shards {
			owner[s] = r.file
		}
	}
	return acc, nil
}
