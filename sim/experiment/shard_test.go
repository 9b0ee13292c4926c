package experiment_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/experiment"
)

// noisyDecay is decay with a random function, so that each run's own seed
// matters too.
const noisyDecay = decay + `  noise: {equation: "NORMAL(0, 0.01)"}
  y: {equation: x + noise}
`

// shards runs a study in n shards, passes each part through its file
// format, and merges them in reverse order.
func shards(t *testing.T, n int, run func(experiment.Shard) (*experiment.Part, error)) *experiment.Part {
	t.Helper()
	var parts []*experiment.Part
	for i := n - 1; i >= 0; i-- {
		pt, err := run(experiment.Shard{Index: i, Count: n})
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, roundTrip(t, pt))
	}
	merged, err := experiment.Merge(parts...)
	if err != nil {
		t.Fatal(err)
	}
	return merged
}

func roundTrip(t *testing.T, pt *experiment.Part) *experiment.Part {
	t.Helper()
	var b bytes.Buffer
	if err := experiment.WritePart(&b, pt); err != nil {
		t.Fatal(err)
	}
	back, err := experiment.ReadPart("part.summary", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return back
}

// TestSamplesShards checks that the shards of a study draw exactly what
// the whole study draws: each run's draws, from its LHS strata.
func TestSamplesShards(t *testing.T) {
	p := compile(t, noisyDecay)
	for _, lhs := range []bool{false, true} {
		s := experiment.Sensitivity{
			Vary: []experiment.Param{{"k", mustDist(t, "uniform(0.1, 0.9)")}},
			Runs: 103, LHS: lhs, Seed: 9, Vars: []string{"x", "y"}, Exact: 1000,
		}
		whole, err := s.Run(context.Background(), p, experiment.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{1, 4, 7, 103} {
			merged := shards(t, n, func(sh experiment.Shard) (*experiment.Part, error) {
				return s.RunShard(context.Background(), p, sh, experiment.Options{Workers: 2})
			})
			got, err := merged.Summary()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(whole, got); diff != "" {
				t.Errorf("lhs %v, %d shards: Summary() mismatch (-whole +shards):\n%s", lhs, n, diff)
			}
		}
	}
}

// TestShardsSketch checks a study beyond the runs kept exactly: its
// shards merge into percentiles within the documented bound of the exact
// ones, and the merged summary says how far they may be.
func TestShardsSketch(t *testing.T) {
	p := compile(t, decay)
	const runs, exact = 6000, 512
	qs := []float64{0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99}
	s := experiment.Sensitivity{
		Vary: []experiment.Param{{"k", mustDist(t, "lognormal(0.5, 0.2)")}},
		Runs: runs, Seed: 2, Vars: []string{"x"}, Exact: exact, Quantiles: qs,
	}
	merged := shards(t, 4, func(sh experiment.Shard) (*experiment.Part, error) {
		return s.RunShard(context.Background(), p, sh, experiment.Options{})
	})
	got, err := merged.Summary()
	if err != nil {
		t.Fatal(err)
	}
	bound := (math.Floor(math.Log2(runs/(exact+1))) + 1) / exact
	if !(got.RankError > 0 && got.RankError <= bound) {
		t.Fatalf("rank error %g, want in (0, %g]", got.RankError, bound)
	}
	// The exact quantiles q ± (RankError + 1/runs) bracket each
	// estimate of q.
	e := got.RankError + 1.0/runs
	var around []float64
	for _, q := range qs {
		around = append(around, max(0, q-e), min(1, q+e))
	}
	truth := s
	truth.Exact, truth.Quantiles = runs, around
	exactSum, err := truth.Run(context.Background(), p, experiment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if exactSum.RankError != 0 {
		t.Fatalf("%d runs kept exactly have a rank error %g", runs, exactSum.RankError)
	}
	for k, q := range qs {
		for i, tm := range got.Times {
			v := got.Values[0][k][i]
			// x falls as k rises: the lower percentile of x is the smaller.
			lo, hi := exactSum.Values[0][2*k][i], exactSum.Values[0][2*k+1][i]
			if !(v >= lo && v <= hi) {
				t.Errorf("quantile %g of x(%g) = %g, outside the exact [%.3g, %.3g] quantiles = [%g, %g]", q, tm, v, q-e, q+e, lo, hi)
			}
		}
	}
}

// TestShardedOptimum checks that an optimisation and a calibration made in
// shards find exactly the optimum one process finds.
func TestShardedOptimum(t *testing.T) {
	p := compile(t, peak)
	op := experiment.Optimization{
		Vary:   []experiment.Bound{{"a", 0, 2}, {"b", 0, 2}},
		Payoff: experiment.Payoff{Var: "profit", At: experiment.Final, Maximize: true},
		Starts: 9, Seed: 4,
	}
	want, err := op.Run(context.Background(), p, experiment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{2, 4, 9} {
		merged := shards(t, n, func(sh experiment.Shard) (*experiment.Part, error) {
			return op.RunShard(context.Background(), p, sh, experiment.Options{})
		})
		got, err := merged.Optimum()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%d shards: Optimum() mismatch (-one process +shards):\n%s", n, diff)
		}
	}

	// Runs fail where a < 1 (the square root of a negative number), so
	// some starts fail throughout and their shards hold no optimum; the
	// merge takes it from the others. The optimum is at a = 5/3.
	fp := compile(t, `
time: {start: 0, stop: 1, dt: 1}
stocks:
  profit: {initial: 0, inflows: [earning]}
flows:
  earning: {equation: SQRT(a - 1) * (3 - a)}
auxiliaries:
  a: {equation: 2}
`)
	fop := experiment.Optimization{Vary: []experiment.Bound{{"a", 0, 3}}, Payoff: experiment.Payoff{Var: "profit", Maximize: true}, Starts: 6, Seed: 2}
	wantF, err := fop.Run(context.Background(), fp, experiment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(wantF.Values[0]-5.0/3) > 1e-3 {
		t.Errorf("optimum at a = %g, want 5/3", wantF.Values[0])
	}
	mergedF := shards(t, 6, func(sh experiment.Shard) (*experiment.Part, error) {
		return fop.RunShard(context.Background(), fp, sh, experiment.Options{})
	})
	gotF, err := mergedF.Optimum()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantF, gotF); diff != "" {
		t.Errorf("with failing runs, Optimum() mismatch (-one process +6 shards):\n%s", diff)
	}

	lp := compile(t, logistic)
	truth, err := lp.Run(sim.Scenario{Set: map[string]float64{"r": 0.3, "capacity": 800}, Vars: []string{"population"}})
	if err != nil {
		t.Fatal(err)
	}
	var csv strings.Builder
	csv.WriteString("time,population\n")
	for i, tm := range truth.Times {
		if i%8 == 0 {
			csv.WriteString(ff(tm) + "," + ff(truth.Values[0][i]*(1+0.02*math.Sin(tm))) + "\n")
		}
	}
	data, err := experiment.ReadData("obs.csv", strings.NewReader(csv.String()))
	if err != nil {
		t.Fatal(err)
	}
	c := experiment.Calibration{Vary: []experiment.Bound{{"r", 0.01, 1}, {"capacity", 100, 2000}}, Data: data, Starts: 6, Seed: 1}
	wantFit, err := c.Run(context.Background(), lp, experiment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	merged := shards(t, 3, func(sh experiment.Shard) (*experiment.Part, error) {
		return c.RunShard(context.Background(), lp, sh, experiment.Options{})
	})
	gotFit, err := merged.Fit()
	if err != nil {
		t.Fatal(err)
	}
	// Each shard runs its own best point once more.
	wantFit.Runs += 2
	if diff := cmp.Diff(wantFit, gotFit); diff != "" {
		t.Errorf("Fit() mismatch (-one process +3 shards):\n%s", diff)
	}
}

// TestMergeRefuses checks that parts of different studies, a shard given
// twice and a study with shards missing are refused, saying which.
func TestMergeRefuses(t *testing.T) {
	p := compile(t, decay)
	study := experiment.Sensitivity{
		Vary: []experiment.Param{{"k", mustDist(t, "uniform(0.1, 0.9)")}},
		Runs: 40, Seed: 1, Vars: []string{"x"}, ModelID: "sha256:aaaa",
	}
	part := func(s experiment.Sensitivity, sh experiment.Shard) *experiment.Part {
		t.Helper()
		pt, err := s.RunShard(context.Background(), p, sh, experiment.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return pt
	}
	other := func(f func(*experiment.Sensitivity)) experiment.Sensitivity {
		s := study
		f(&s)
		return s
	}
	a0 := part(study, experiment.Shard{Index: 0, Count: 4})
	a1 := part(study, experiment.Shard{Index: 1, Count: 4})
	for _, tc := range []struct {
		name  string
		parts []*experiment.Part
		field string
		pair  [2]int
	}{
		{"seed", []*experiment.Part{a0, part(other(func(s *experiment.Sensitivity) { s.Seed = 2 }), experiment.Shard{Index: 1, Count: 4})}, "seed", [2]int{0, 1}},
		{"model", []*experiment.Part{a1, a0, part(other(func(s *experiment.Sensitivity) { s.ModelID = "sha256:bbbb" }), experiment.Shard{Index: 2, Count: 4})}, "model", [2]int{1, 2}},
		{"runs", []*experiment.Part{a0, part(other(func(s *experiment.Sensitivity) { s.Runs = 41 }), experiment.Shard{Index: 1, Count: 4})}, "runs", [2]int{0, 1}},
		{"vars", []*experiment.Part{a0, part(other(func(s *experiment.Sensitivity) { s.Vars = []string{"loss"} }), experiment.Shard{Index: 1, Count: 4})}, "vars", [2]int{0, 1}},
		{"sampling", []*experiment.Part{a0, part(other(func(s *experiment.Sensitivity) { s.LHS = true }), experiment.Shard{Index: 1, Count: 4})}, "sampling", [2]int{0, 1}},
		{"shard count", []*experiment.Part{a0, part(study, experiment.Shard{Index: 1, Count: 5})}, "shards", [2]int{0, 1}},
		{"shard twice", []*experiment.Part{a1, a0, a1}, "shard", [2]int{0, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := experiment.Merge(tc.parts...)
			var me *experiment.MismatchError
			if !errors.As(err, &me) || me.Field != tc.field || me.Parts != tc.pair {
				t.Errorf("Merge: %v, want a mismatch of %s between parts %v", err, tc.field, tc.pair)
			}
		})
	}
	// Add refuses as Merge does, and leaves the part as it was.
	x := part(study, experiment.Shard{Index: 0, Count: 4})
	var me *experiment.MismatchError
	if err := x.Add(part(other(func(s *experiment.Sensitivity) { s.Seed = 2 }), experiment.Shard{Index: 1, Count: 4})); !errors.As(err, &me) || me.Field != "seed" || !slices.Equal(x.Shards, []int{0}) || x.Runs != 10 {
		t.Errorf("Add of another study: %v, leaving shards %v and %d runs", err, x.Shards, x.Runs)
	}
	if err := x.Add(a1); err != nil || !slices.Equal(x.Shards, []int{0, 1}) || x.Runs != 20 {
		t.Errorf("Add: %v, giving shards %v and %d runs", err, x.Shards, x.Runs)
	}
	half, err := experiment.Merge(a1, a0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := half.Summary(); err == nil || !strings.Contains(err.Error(), "shards 2, 3 are missing") {
		t.Errorf("Summary of 2 shards of 4: %v", err)
	}
	if _, err := half.Optimum(); err == nil {
		t.Error("a sensitivity study gave an optimum")
	}
}

// TestShardErrors checks the shards a study cannot have.
func TestShardErrors(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want experiment.Shard
		ok   bool
	}{
		{"0/4", experiment.Shard{Index: 0, Count: 4}, true},
		{" 3 / 4 ", experiment.Shard{Index: 3, Count: 4}, true},
		{"4/4", experiment.Shard{}, false},
		{"-1/4", experiment.Shard{}, false},
		{"1/0", experiment.Shard{}, false},
		{"1", experiment.Shard{}, false},
		{"a/b", experiment.Shard{}, false},
	} {
		got, err := experiment.ParseShard(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("ParseShard(%q) = %v, %v", tc.in, got, err)
		}
	}
	p := compile(t, decay)
	s := experiment.Sensitivity{Vary: []experiment.Param{{"k", mustDist(t, "uniform(0.1, 0.9)")}}, Runs: 3}
	_, err := s.RunShard(context.Background(), p, experiment.Shard{Index: 0, Count: 4}, experiment.Options{})
	if err == nil || !strings.Contains(err.Error(), "at most 3 shards") {
		t.Errorf("3 runs in 4 shards: %v", err)
	}
}

// TestReadPartErrors checks that a damaged, cut or foreign file is refused
// as a *PartError naming the file.
func TestReadPartErrors(t *testing.T) {
	p := compile(t, decay)
	s := experiment.Sensitivity{Vary: []experiment.Param{{"k", mustDist(t, "uniform(0.1, 0.9)")}}, Runs: 20, Vars: []string{"x"}}
	pt, err := s.RunShard(context.Background(), p, experiment.Shard{Index: 1, Count: 2}, experiment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := experiment.WritePart(&b, pt); err != nil {
		t.Fatal(err)
	}
	good := b.Bytes()
	flip := slices.Clone(good)
	flip[len(flip)-40] ^= 1
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "not a stockflow summary file"},
		{"csv", []byte("time,variable,p5\n0,x,1\n"), "not a stockflow summary file"},
		{"newer", append([]byte("stockflow summary 3\n"), good[20:]...), `format "3"`},
		{"older", append([]byte("stockflow summary 1\n"), good[20:]...), `format "1"`},
		{"cut short", good[:len(good)-100], "damaged or incomplete"},
		{"a flipped bit", flip, "damaged or incomplete"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := experiment.ReadPart("part-1.summary", tc.b)
			var pe *experiment.PartError
			if !errors.As(err, &pe) || pe.File != "part-1.summary" || !strings.Contains(pe.Msg, tc.want) {
				t.Errorf("ReadPart: %v, want a *PartError for part-1.summary saying %q", err, tc.want)
			}
		})
	}
}

// FuzzReadPart checks that no file makes ReadPart panic, and that what it
// reads writes back to the same bytes.
func FuzzReadPart(f *testing.F) {
	p := compile(f, decay)
	s := experiment.Sensitivity{Vary: []experiment.Param{{"k", mustDist(f, "uniform(0.1, 0.9)")}}, Runs: 12, Vars: []string{"x"}, Exact: 4}
	var b bytes.Buffer
	for _, sh := range []experiment.Shard{{Index: 0, Count: 2}, {}} {
		pt, err := s.RunShard(context.Background(), p, sh, experiment.Options{})
		if err != nil {
			f.Fatal(err)
		}
		b.Reset()
		experiment.WritePart(&b, pt)
		f.Add(b.Bytes())
	}
	op := experiment.Optimization{Vary: []experiment.Bound{{"k", 0, 1}}, Payoff: experiment.Payoff{Var: "x"}, Starts: 2, MaxRuns: 20}
	opt, err := op.RunShard(context.Background(), p, experiment.Shard{Index: 1, Count: 2}, experiment.Options{})
	if err != nil {
		f.Fatal(err)
	}
	b.Reset()
	experiment.WritePart(&b, opt)
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		// With its checksum mended, so that the fuzzer reaches the
		// parser behind it.
		if len(data) > 4 {
			data = binary.LittleEndian.AppendUint32(slices.Clone(data[:len(data)-4]), crc32.ChecksumIEEE(data[:len(data)-4]))
		}
		pt, err := experiment.ReadPart("fuzz.summary", data)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := experiment.WritePart(&out, pt); err != nil {
			t.Fatal(err)
		}
		if _, err := experiment.ReadPart("again.summary", out.Bytes()); err != nil {
			t.Fatalf("a part read back fails to read again: %v", err)
		}
		if pt.Complete() {
			pt.Summary()
			pt.Optimum()
			pt.Fit()
		}
	})
}
