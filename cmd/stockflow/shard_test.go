package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

// asCommand makes this test binary act as the stockflow command, so that
// tests can run it as processes of their own.
const asCommand = "STOCKFLOW_TEST_AS_COMMAND"

func TestMain(m *testing.M) {
	if os.Getenv(asCommand) == "1" {
		os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// process runs the command line in a process of its own, with env added
// to the environment (and no inherited JOB_COMPLETION_INDEX).
func process(t *testing.T, env []string, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, indexEnv+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(append(cmd.Env, asCommand+"=1"), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errb.String(), ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), 0
}

// inShards runs a study as n processes, each told its shard by
// JOB_COMPLETION_INDEX as a Kubernetes Indexed Job tells it, and merges
// their parts in a process of its own; it returns what merge wrote.
func inShards(t *testing.T, n int, args []string, mergeArgs ...string) (stdout, stderr string) {
	t.Helper()
	dir := t.TempDir()
	for i := range n {
		a := append(append([]string(nil), args...), "--shards", strconv.Itoa(n), "-o", dir+string(filepath.Separator))
		if _, errs, status := process(t, []string{indexEnv + "=" + strconv.Itoa(i)}, a...); status != 0 {
			t.Fatalf("shard %d/%d: status %d: %s", i, n, status, errs)
		}
	}
	out, errs, status := process(t, nil, append([]string{"merge", dir}, mergeArgs...)...)
	if status != 0 {
		t.Fatalf("merge: status %d: %s", status, errs)
	}
	return out, errs
}

// TestStudyInShards runs studies as one process and as four shard
// processes, and checks that they answer alike: the same percentiles to
// the last bit while every run's values are kept, within the sketch's
// documented bound beyond, and the same optimum and fit.
func TestStudyInShards(t *testing.T) {
	sens := []string{"sensitivity", teacup, "--vary", "characteristic_time=uniform(5, 15)", "--vary", "room_temperature=normal(70, 2)",
		"--lhs", "--seed", "4", "--vars", "teacup_temperature"}
	t.Run("sensitivity, exact", func(t *testing.T) {
		args := append(sens, "--runs", "1000")
		one, _, status := process(t, nil, args...)
		if status != 0 {
			t.Fatal(one)
		}
		dir := t.TempDir()
		png1, png4 := filepath.Join(dir, "one.png"), filepath.Join(dir, "four.png")
		if _, errs, status := process(t, nil, append(args, "--plot", png1)...); status != 0 {
			t.Fatal(errs)
		}
		four, errs := inShards(t, 4, args, "--plot", png4)
		// One binary on one machine: the same operations on the same
		// values, so the same bits.
		if four != one || errs != "" {
			t.Errorf("4 shards wrote\n%s\n(stderr %q), one process\n%s", four, errs, one)
		}
		if !bytes.Equal(readChart(t, png1), readChart(t, png4)) {
			t.Error("the chart of the merged study differs from the chart of one process")
		}
	})
	t.Run("sensitivity, sketch", func(t *testing.T) {
		const runs, exact = 6000, 256
		// The documented bound: (⌊log₂(n/(k+1))⌋+1)/k of n, and one run
		// more for the interpolation between neighbouring values.
		eps := 100 * ((math.Floor(math.Log2(runs/(exact+1)))+1)/exact + 1.0/runs)
		pcts := []float64{5, 50, 95}
		var around []string
		for _, p := range pcts {
			around = append(around, ff(p-eps), ff(p+eps))
		}
		args := append(sens, "--runs", strconv.Itoa(runs))
		truth, errs, status := process(t, nil, append(args, "--exact", strconv.Itoa(runs), "--percentiles", strings.Join(around, ","))...)
		args = append(args, "--percentiles", "5,50,95")
		if status != 0 || errs != "" {
			t.Fatalf("status %d: %s", status, errs)
		}
		one, errs1, status := process(t, nil, append(args, "--exact", strconv.Itoa(exact))...)
		if status != 0 {
			t.Fatal(errs1)
		}
		four, errs4 := inShards(t, 4, append(args, "--exact", strconv.Itoa(exact)))
		for _, errs := range []string{errs1, errs4} {
			if !strings.Contains(errs, "sketched: each percentile is within") {
				t.Errorf("stderr %q does not give the sketch's error", errs)
			}
		}
		bands := readBands(t, truth)
		for name, got := range map[string][][]float64{"one process": readBands(t, one), "4 shards": readBands(t, four)} {
			for i, row := range got {
				for k, p := range pcts {
					lo, hi := bands[i][2*k], bands[i][2*k+1]
					if !(row[k] >= lo && row[k] <= hi) {
						t.Errorf("%s: p%g at row %d = %g, outside the exact p%.3g..p%.3g = [%g, %g]", name, p, i+1, row[k], p-eps, p+eps, lo, hi)
					}
				}
			}
		}
	})
	t.Run("optimize", func(t *testing.T) {
		args := []string{"optimize", teacup, "--vary", "room_temperature=60..80", "--vary", "characteristic_time=5..15",
			"--maximize", "teacup_temperature", "--at", "mean", "--starts", "8", "--seed", "3"}
		one, errs, status := process(t, nil, args...)
		if status != 0 {
			t.Fatal(errs)
		}
		four, _ := inShards(t, 4, args)
		if four != one {
			t.Errorf("4 shards found\n%s\none process\n%s", four, one)
		}
	})
	t.Run("calibrate", func(t *testing.T) {
		truth, _, _ := stockflow("run", teacup, "--set", "characteristic_time=12", "--set", "room_temperature=65", "--vars", "teacup_temperature")
		data := writeFile(t, "obs.csv", truth)
		args := []string{"calibrate", teacup, "--data", data, "--vary", "characteristic_time=1..30", "--vary", "room_temperature=0..100", "--starts", "4"}
		one, errs, status := process(t, nil, args...)
		if status != 0 {
			t.Fatal(errs)
		}
		four, _ := inShards(t, 4, args)
		if four != one {
			t.Errorf("4 shards fitted\n%s\none process\n%s", four, one)
		}
	})
}

// readBands reads the percentile columns of sensitivity's CSV.
func readBands(t *testing.T, text string) [][]float64 {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("%v: %q", err, text)
	}
	var rows [][]float64
	for _, rec := range recs[1:] {
		var row []float64
		for _, f := range rec[2:] {
			x, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatal(err)
			}
			row = append(row, x)
		}
		rows = append(rows, row)
	}
	return rows
}

func ff(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// TestShardErrors checks the command lines and the parts that sharding
// refuses, and that each error says what to do.
func TestShardErrors(t *testing.T) {
	dir := t.TempDir()
	sens := []string{"sensitivity", teacup, "--vary", "room_temperature=uniform(60, 80)", "--runs", "40", "--vars", "teacup_temperature"}
	part := func(name string, extra ...string) string {
		path := filepath.Join(dir, name)
		if _, errs, status := stockflow(append(append(append([]string(nil), sens...), extra...), "-o", path)...); status != 0 {
			t.Fatalf("%s: %s", name, errs)
		}
		return path
	}
	p0 := part("p0.summary", "--shard", "0/2")
	p1 := part("p1.summary", "--shard", "1/2")
	seed := part("seed.summary", "--shard", "1/2", "--seed", "9")
	three := part("three.summary", "--shard", "1/3")
	notPart := writeFile(t, "bands.csv", "time,variable,p50\n0,x,1\n")

	t.Setenv(indexEnv, "")
	os.Unsetenv(indexEnv)
	for _, tc := range []struct {
		name   string
		env    string // JOB_COMPLETION_INDEX, if not ""
		args   []string
		status int
		want   string
	}{
		{"no index", "", append(sens, "--shards", "4", "-o", dir), 2, "$JOB_COMPLETION_INDEX, which is not set; give --shard I/4 instead"},
		{"index too big", "4", append(sens, "--shards", "4", "-o", dir), 2, `$JOB_COMPLETION_INDEX is "4"; with --shards 4 expected a whole number from 0 to 3`},
		{"both", "", append(sens, "--shards", "4", "--shard", "0/4", "-o", dir), 2, "give --shard I/N or --shards N, not both"},
		{"bad shard", "", append(sens, "--shard", "4/4", "-o", dir), 2, "--shard: shard 4/4"},
		{"no -o", "", append(sens, "--shard", "0/4"), 2, "a shard writes its part to a file: name it with -o"},
		{"plot", "", append(sens, "--shard", "0/4", "-o", dir, "--plot", filepath.Join(dir, "x.png")), 2, "give it to stockflow merge"},
		{"more shards than runs", "", append(sens, "--shard", "0/50", "-o", dir), 1, "a study of 40 runs splits into at most 40 shards"},
		{"optimize -o alone", "", []string{"optimize", teacup, "--vary", "room_temperature=60..80", "--minimize", "teacup_temperature", "-o", "x.summary"}, 2, "-o names the file of a shard's part"},
		{"merge nothing", "", []string{"merge"}, 2, "merge: missing PART"},
		{"merge a missing file", "", []string{"merge", filepath.Join(dir, "nope.summary")}, 1, "nope.summary"},
		{"merge a CSV", "", []string{"merge", p0, notPart}, 1, "bands.csv: not a stockflow summary file"},
		{"merge different seeds", "", []string{"merge", p0, seed}, 1, `p0.summary and ` + seed + ` are parts of different studies: seed is "0" in ` + p0 + ` and "9" in ` + seed},
		{"merge different splits", "", []string{"merge", p0, three}, 1, "parts of different studies: shards is \"2\""},
		{"merge a shard twice", "", []string{"merge", p0, p1, p1}, 1, "both hold shard 1/2; merge each shard once"},
		{"merge with a shard missing", "", []string{"merge", p1}, 1, "shard 0 is missing: the study was split into 2 shards and these parts hold 1"},
		{"merge over a part", "", []string{"merge", p0, p1, "-o", p1}, 2, "refusing to write the output over the part"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env != "" {
				t.Setenv(indexEnv, tc.env)
			}
			_, errs, status := stockflow(tc.args...)
			if status != tc.status || !strings.Contains(errs, tc.want) {
				t.Errorf("status %d, stderr %q; want status %d and %q", status, errs, tc.status, tc.want)
			}
		})
	}
	// A merge in stages: two parts merged into one, then with the rest.
	half := filepath.Join(dir, "half.summary")
	if _, errs, status := stockflow("merge", p0, "-o", half); status != 0 {
		t.Fatal(errs)
	}
	staged, _, status := stockflow("merge", half, p1)
	whole, _, _ := stockflow(sens...)
	if status != 0 || staged != whole {
		t.Errorf("merged in stages:\n%s\nwhole:\n%s", staged, whole)
	}
}

// TestClusterExample checks that the Kubernetes manifests of
// examples/cluster run a study the command accepts: an Indexed Job whose
// pods each make a shard of one study, and a Job that merges their parts
// into what one process writes.
func TestClusterExample(t *testing.T) {
	type container struct {
		Args []string `yaml:"args"`
	}
	type job struct {
		Kind string `yaml:"kind"`
		Meta struct {
			Name string `yaml:"name"`
		} `yaml:"metadata"`
		Spec struct {
			CompletionMode string `yaml:"completionMode"`
			Completions    int    `yaml:"completions"`
			Template       struct {
				Spec struct {
					Containers []container `yaml:"containers"`
				} `yaml:"spec"`
			} `yaml:"template"`
		} `yaml:"spec"`
	}
	var jobs []job
	for _, name := range []string{"job.yaml", "merge.yaml"} {
		b, err := os.ReadFile(filepath.Join("../../examples/cluster", name))
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		for {
			var j job
			if err := dec.Decode(&j); err != nil {
				break
			}
			if j.Kind == "Job" {
				jobs = append(jobs, j)
			}
		}
	}
	if len(jobs) != 2 || jobs[0].Spec.CompletionMode != "Indexed" || len(jobs[0].Spec.Template.Spec.Containers) != 1 || len(jobs[1].Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("expected an Indexed Job of the shards and a Job that merges them, found %+v", jobs)
	}
	n := jobs[0].Spec.Completions
	if args := jobs[0].Spec.Template.Spec.Containers[0].Args; !strings.Contains(strings.Join(args, " "), fmt.Sprintf("--shards %d -o /results/parts/", n)) {
		t.Fatalf("the shards' command line does not split the study into the Job's %d completions: %q", n, args)
	}
	args := jobs[0].Spec.Template.Spec.Containers[0].Args
	merge := jobs[1].Spec.Template.Spec.Containers[0].Args
	// The manifest's paths, mapped to a folder here: the model from its
	// ConfigMap, the parts and results on the shared volume.
	dir := t.TempDir()
	model, err := os.ReadFile("../../examples/customersuccess/model.yaml")
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "model"), 0o755)
	os.MkdirAll(filepath.Join(dir, "results"), 0o755) // parts/ is made by the first shard
	os.WriteFile(filepath.Join(dir, "model", "model.yaml"), model, 0o644)
	local := func(args []string) []string {
		out := make([]string, len(args))
		for i, a := range args {
			out[i] = a
			for _, root := range []string{"/model/", "/results/"} {
				if strings.HasPrefix(a, root) {
					out[i] = filepath.Join(dir, a) + map[bool]string{true: "/", false: ""}[strings.HasSuffix(a, "/")]
				}
			}
		}
		return out
	}
	for i := range n {
		t.Setenv(indexEnv, strconv.Itoa(i))
		// The same study with fewer runs, so that the test is quick.
		a := append(local(args), "--runs", fmt.Sprint(4*n))
		if _, errs, status := stockflow(a...); status != 0 {
			t.Fatalf("pod %d: stockflow %s: status %d: %s", i, strings.Join(a, " "), status, errs)
		}
	}
	os.Unsetenv(indexEnv)
	if _, errs, status := stockflow(local(merge)...); status != 0 {
		t.Fatalf("merge: status %d: %s", status, errs)
	}
	got, err := os.ReadFile(filepath.Join(dir, "results", "bands.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// What one process makes of the same study.
	single := local(args)
	for i, a := range single {
		if a == "--shards" {
			single = append(single[:i:i], single[i+4:]...) // --shards N -o DIR
			break
		}
	}
	want, errs, status := stockflow(append(single, "--runs", fmt.Sprint(4*n))...)
	if status != 0 {
		t.Fatal(errs)
	}
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("merged bands mismatch (-one process +cluster):\n%s", diff)
	}
}
