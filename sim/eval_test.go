package sim

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim/internal/sectors"
)

// ordered returns a copy of the program that computes each stage one
// equation at a time in the compiled order, without batches: the
// evaluation that batched evaluation must agree with.
func ordered(p *Program) *Program {
	q := *p
	q.stage = nil
	for _, it := range p.step {
		q.stage = append(q.stage, stageItem{stepItem: it})
	}
	return &q
}

func batches(p *Program) int {
	n := 0
	for _, it := range p.stage {
		if it.b != nil {
			n++
		}
	}
	return n
}

func loadModel(t *testing.T, name string, src []byte) *Program {
	t.Helper()
	m, err := model.Load(name, src)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestBatchesAgree runs models batched and one equation at a time, under
// every method, and compares every variable (hidden ones included) at
// every step. Each instruction of a batch rounds as the closures do, so
// the two agree to the last bit; the tolerance only allows for a platform
// that fuses a multiply and an add in one but not the other.
func TestBatchesAgree(t *testing.T) {
	type source struct {
		name string
		src  []byte
	}
	var models []source
	for _, pattern := range []string{"../testdata/models/*.yaml", "../testdata/arrays/*.yaml", "../examples/*/model.yaml"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			models = append(models, source{f, src})
		}
	}
	models = append(models, source{"sectors", []byte(sectors.Source(30, 400))}, source{"random", []byte(randomLevels)})
	if len(models) < 8 {
		t.Fatalf("found %d models; expected the test data and the examples", len(models))
	}
	total := 0
	for _, m := range models {
		p := loadModel(t, m.name, m.src)
		total += batches(p)
		for _, method := range []model.Method{model.Euler, model.RK2, model.RK4} {
			t.Run(m.name+"/"+method.String(), func(t *testing.T) {
				s := Scenario{Method: method}
				want, err := ordered(p).Trace(s)
				if err != nil {
					t.Fatal(err)
				}
				got, err := p.Trace(s)
				if err != nil {
					t.Fatal(err)
				}
				sameTrace(t, p, want, got, 1e-13)
			})
		}
	}
	if total == 0 {
		t.Fatal("no model was batched; the test compares nothing")
	}
}

// everyOp is an arrayed model of 10 elements that uses every operation
// batches compute: each auxiliary below is one batch of 10 equations.
const everyOp = `time: {start: 0, stop: 8, dt: 0.25}
dimensions: {r: 10}
stocks:
  s: {dims: [r], initial: r, inflows: [grow], outflows: [drain], non_negative: true}
  q: {dims: [r], initial: 5 - r, inflows: [drain]}
flows:
  grow: {dims: [r], equation: 0.05 * s * (1 - s / cap) + a_sin / 10}
  drain: {dims: [r], equation: "MIN(s / 4, 0.3 + q / 100, 2) - 0.2", non_negative: true}
auxiliaries:
  cap: {dims: [r], equation: 20 + 3 * r}
  a_add: {dims: [r], equation: s + q}
  a_sub: {dims: [r], equation: s - TIME}
  a_mul: {dims: [r], equation: DT * s}
  a_div: {dims: [r], equation: 1 / (s + 1)}
  a_mod: {dims: [r], equation: "MODULO(s, 3) + (q MOD 2)"}
  a_pow: {dims: [r], equation: ABS(q) ^ 0.5}
  a_cmp: {dims: [r], equation: (s = q) + (s <> q) + (s < q) + (s > q) + (s <= q) + (s >= q)}
  a_logic: {dims: [r], equation: (s > 2 AND q < 0) + (s > 5 OR q > 1) + NOT (s > 3)}
  a_neg: {dims: [r], equation: -s + +q}
  a_if: {dims: [r], equation: IF s > 3 THEN s * 2 ELSE q}
  a_ite: {dims: [r], equation: "IF_THEN_ELSE(q > 0, s, -q)"}
  a_xidz: {dims: [r], equation: "XIDZ(s, q - 2, -1)"}
  a_zidz: {dims: [r], equation: "ZIDZ(s, q - 1)"}
  a_max: {dims: [r], equation: "MAX(s, q, TIME / 2)"}
  a_sin: {dims: [r], equation: SIN(TIME + r) * COS(s) + EXP(-s) + LN(s + 1) + SQRT(s)}
  a_round: {dims: [r], equation: "INT(s) + ROUND(q / 3) + INTEGER(q / 2) + SIGN(q) + QUANTUM(s, 0.5)"}
  a_trig: {dims: [r], equation: ARCTAN(s) + TANH(q / 10) + LOG10(s + 1)}
  a_look: {dims: [r], equation: "bend(s / 10) + LOOKUP(bend, q / 10)"}
  a_time: {dims: [r], equation: STARTTIME + STOPTIME - TIME}
  a_alias: {dims: [r], equation: q}
  a_clock: {dims: [r], equation: TIME}
  a_gf:
    dims: [r]
    equation: s / 10
    lookup: {points: [[0, 0], [0.5, 2], [1, 1]]}
lookups:
  bend: {points: [[0, 1], [0.3, 0.5], [1, 0.2]], mode: extrapolate}
`

// TestBatchesCoverEveryOp compares a model using every operation that
// batches compute, batched and ordered, under every method.
func TestBatchesCoverEveryOp(t *testing.T) {
	p := loadModel(t, "everyop.yaml", []byte(everyOp))
	if n := batches(p); n < 24 {
		t.Fatalf("%d batches; want one per arrayed flow and auxiliary (24)", n)
	}
	for _, method := range []model.Method{model.Euler, model.RK2, model.RK4} {
		for _, allow := range []bool{false, true} {
			s := Scenario{Method: method, AllowNonFinite: allow}
			want, err := ordered(p).Trace(s)
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Trace(s)
			if err != nil {
				t.Fatal(err)
			}
			sameTrace(t, p, want, got, 1e-13)
		}
	}
	// A scenario's lookup reaches the batches too.
	s := Scenario{Lookups: map[string]*model.Lookup{"bend": {X: []float64{0, 1}, Y: []float64{3, 4}}}}
	want, err := ordered(p).Trace(s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Trace(s)
	if err != nil {
		t.Fatal(err)
	}
	sameTrace(t, p, want, got, 1e-13)
}

// randomLevels draws random numbers at several dependency levels, a
// deeper one declared first, beside a batch: batching must keep the order
// of the draws, which decides the numbers each gets.
const randomLevels = `time: {start: 0, stop: 10, dt: 0.5}
dimensions: {r: 9}
stocks:
  s: {dims: [r], initial: r, inflows: [f]}
flows:
  f: {dims: [r], equation: late + noise * s / 100}
auxiliaries:
  late: RANDOM(0, 1) + mid
  mid: NORMAL(0, 1) * 0.1 + s[1]
  noise: RANDOM(-1, 1)
`

// sameTrace reports the first value of got that differs from want by more
// than the relative tolerance (NaNs equal each other).
func sameTrace(t *testing.T, p *Program, want, got *Trace, tol float64) {
	t.Helper()
	if len(want.states) != len(got.states) {
		t.Fatalf("%d rows batched, %d ordered", len(got.states), len(want.states))
	}
	for i, row := range want.states {
		for j, x := range row {
			y := got.states[i][j]
			if x == y || x != x && y != y || math.Abs(x-y) <= tol*math.Abs(x) {
				continue
			}
			t.Fatalf("%s at time %g: batched %v, ordered %v", p.nodes[j].name, want.times[i], y, x)
		}
	}
}

// TestBatchedErrors checks that a value that stops a run is reported as
// the ordered evaluation reports it: the first variable at fault in the
// compiled order, its time, equation and innermost sub-expression.
func TestBatchedErrors(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want string  // the variable
		time float64 // under Euler
		rk4  float64 // under RK4, which may stop at a stage inside a step
	}{
		{
			name: "element of an array",
			src: `time: {start: 0, stop: 5, dt: 1}
dimensions: {region: 12}
stocks:
  level: {dims: [region], initial: 10, outflows: [drain]}
flows:
  drain: {dims: [region], equation: level / (TIME - region)}
`,
			want: "drain[1]", time: 1, rk4: 1,
		},
		{
			name: "later element, two levels",
			src: `time: {start: 0, stop: 5, dt: 0.5}
dimensions: {region: 20}
stocks:
  level: {dims: [region], initial: 10, outflows: [drain]}
flows:
  drain: {dims: [region], equation: level * rate / 10}
auxiliaries:
  rate: {dims: [region], equation: SQRT(2.5 - TIME + region - 3)}
`,
			want: "rate[1]", time: 1, rk4: 0.75,
		},
		{
			name: "scalar copies",
			src: "time: {start: 0, stop: 5, dt: 1}\nstocks:\n" +
				"  a: {initial: 3, outflows: [fa]}\n  b: {initial: 3, outflows: [fb]}\n  c: {initial: 3, outflows: [fc]}\n" +
				"  d: {initial: 3, outflows: [fd]}\n  e: {initial: 2, outflows: [fe]}\n  f: {initial: 3, outflows: [ff]}\n" +
				"  g: {initial: 3, outflows: [fg]}\n  h: {initial: 3, outflows: [fh]}\n" +
				"flows:\n  fa: LN(a - 2) * 0.5\n  fb: LN(b - 2) * 0.5\n  fc: LN(c - 2) * 0.5\n  fd: LN(d - 2) * 0.5\n" +
				"  fe: LN(e - 2) * 0.5\n  ff: LN(f - 2) * 0.5\n  fg: LN(g - 2) * 0.5\n  fh: LN(h - 2) * 0.5\n",
			want: "fe", time: 0, rk4: 0,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := loadModel(t, "model.yaml", []byte(tc.src))
			if batches(p) == 0 {
				t.Fatal("the model was not batched; the case tests nothing")
			}
			for _, method := range []model.Method{model.Euler, model.RK4} {
				_, want := ordered(p).Run(Scenario{Method: method})
				_, got := p.Run(Scenario{Method: method})
				var we, ge *RuntimeError
				if !errors.As(want, &we) || !errors.As(got, &ge) {
					t.Fatalf("%v: errors %v (ordered) and %v (batched); want *RuntimeError from both", method, want, got)
				}
				if diff := cmp.Diff(we, ge, cmpopts.EquateNaNs()); diff != "" {
					t.Errorf("%v: error mismatch (-ordered +batched):\n%s", method, diff)
				}
				at := tc.time
				if method == model.RK4 {
					at = tc.rk4
				}
				if ge.Var != tc.want || ge.Time != at {
					t.Errorf("%v: error names %q at %g, want %q at %g", method, ge.Var, ge.Time, tc.want, at)
				}
				if !math.IsNaN(ge.Value) && !math.IsInf(ge.Value, 0) {
					t.Errorf("%v: error value %v is finite", method, ge.Value)
				}
			}
			// Allowed, the values agree too.
			want, err := ordered(p).Trace(Scenario{AllowNonFinite: true})
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Trace(Scenario{AllowNonFinite: true})
			if err != nil {
				t.Fatal(err)
			}
			sameTrace(t, p, want, got, 1e-13)
		})
	}
}

// TestMinMax checks that the inlined MIN and MAX are math.Min and
// math.Max on every pair of special values.
func TestMinMax(t *testing.T) {
	vals := []float64{math.Inf(-1), -2, math.Copysign(0, -1), 0, 3, math.Inf(1), math.NaN()}
	same := func(a, b float64) bool {
		return math.Float64bits(a) == math.Float64bits(b) || a != a && b != b
	}
	for _, x := range vals {
		for _, y := range vals {
			if got, want := fmin(x, y), math.Min(x, y); !same(got, want) {
				t.Errorf("fmin(%v, %v) = %v, want %v", x, y, got, want)
			}
			if got, want := fmax(x, y), math.Max(x, y); !same(got, want) {
				t.Errorf("fmax(%v, %v) = %v, want %v", x, y, got, want)
			}
		}
	}
}

// TestBatchesConcurrent runs one batched program from several goroutines:
// each run owns its registers, so every run gives the same numbers.
func TestBatchesConcurrent(t *testing.T) {
	p := loadModel(t, "sectors", []byte(sectors.Source(20, 200)))
	if batches(p) == 0 {
		t.Fatal("the model was not batched; the test runs nothing in batches")
	}
	want, err := p.Trace(Scenario{})
	if err != nil {
		t.Fatal(err)
	}
	got := make([]*Trace, 4)
	errs := make([]error, len(got))
	done := make(chan int)
	for i := range got {
		go func() {
			got[i], errs[i] = p.Trace(Scenario{})
			done <- i
		}()
	}
	for range got {
		<-done
	}
	for i := range got {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		sameTrace(t, p, want, got[i], 0)
	}
}
