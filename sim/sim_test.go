package sim_test

import (
	"encoding/csv"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// compileSrc loads and compiles a YAML model given as text.
func compileSrc(t testing.TB, src string) *sim.Program {
	t.Helper()
	m, err := model.Load("test.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return p
}

func compileFile(t testing.TB, path string) *sim.Program {
	t.Helper()
	m, err := model.LoadFile(path)
	if err != nil {
		t.Fatalf("LoadFile: %v", err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return p
}

func mustRun(t testing.TB, p *sim.Program, s sim.Scenario) *sim.Result {
	t.Helper()
	res, err := p.Run(s)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

// TestGolden runs the classic models of testdata/models and compares their
// CSV output with the golden files beside them (rewritten with -update).
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("../testdata/models/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no models: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			res := mustRun(t, compileFile(t, file), sim.Scenario{})
			var b strings.Builder
			if err := res.WriteCSV(&b); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("../testdata/models", name+".csv")
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			// Numbers, not text: a machine that fuses multiply-add
			// (arm64, GOAMD64=v3) rounds the last digits differently.
			wantHead, wantRows := parseCSV(t, string(want))
			gotHead, gotRows := parseCSV(t, b.String())
			if diff := cmp.Diff(wantHead, gotHead); diff != "" {
				t.Errorf("%s header mismatch (-want +got):\n%s", golden, diff)
			}
			if diff := cmp.Diff(wantRows, gotRows, goldenTolerance); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// goldenTolerance compares the numbers of golden files: a relative error
// of 1e-9, or 1e-12 near zero. A step of a run differs by an ulp or so
// between machines that fuse multiply-add and those that do not; the
// classic models amplify that far less than this over their runs.
var goldenTolerance = cmpopts.EquateApprox(1e-9, 1e-12)

// parseCSV reads a result's CSV: its header and its rows of numbers.
func parseCSV(t *testing.T, text string) ([]string, [][]float64) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("reading CSV: %v", err)
	}
	rows := make([][]float64, len(recs)-1)
	for i, rec := range recs[1:] {
		rows[i] = make([]float64, len(rec))
		for j, cell := range rec {
			x, err := strconv.ParseFloat(cell, 64)
			if err != nil {
				t.Fatalf("row %d, column %d: %v", i+2, j+1, err)
			}
			rows[i][j] = x
		}
	}
	return recs[0], rows
}

const decaySrc = `
time: {start: 0, stop: 10, dt: 0.25}
stocks:
  s: {initial: 100, outflows: [out]}
flows:
  out: s * k
auxiliaries:
  k: 0.3
`

// TestDecayEulerRecurrence checks Euler's exact recurrence for
// exponential decay: S(n+1) = S(n)·(1 − k·dt).
func TestDecayEulerRecurrence(t *testing.T) {
	res := mustRun(t, compileSrc(t, decaySrc), sim.Scenario{})
	s := must(res.Series("s"))
	if len(s) != 41 {
		t.Fatalf("got %d rows, want 41", len(s))
	}
	want := 100.0
	for i, got := range s {
		if math.Abs(got-want) > 1e-12*want {
			t.Fatalf("s[%d] = %.17g, want %.17g", i, got, want)
		}
		want *= 1 - 0.3*0.25
	}
}

// TestClosedForms checks RK4 with a small step against the exact solutions
// of exponential decay, S0·e^(−kt), and logistic growth,
// K / (1 + (K/P0 − 1)·e^(−rt)).
func TestClosedForms(t *testing.T) {
	tests := []struct {
		name, src, stock string
		exact            func(t float64) float64
	}{
		{"decay", decaySrc, "s", func(t float64) float64 { return 100 * math.Exp(-0.3*t) }},
		{"logistic", `
time: {start: 0, stop: 50, dt: 0.25}
stocks:
  p: {initial: 10, inflows: [births]}
flows:
  births: r * p * (1 - p / k)
auxiliaries:
  r: 0.2
  k: 1000
`, "p", func(t float64) float64 { return 1000 / (1 + (1000.0/10-1)*math.Exp(-0.2*t)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustRun(t, compileSrc(t, tt.src), sim.Scenario{Method: model.RK4, DT: 1.0 / 64})
			s := must(res.Series(tt.stock))
			for i, tm := range res.Times {
				if want := tt.exact(tm); math.Abs(s[i]-want) > 1e-9*math.Max(1, want) {
					t.Fatalf("%s(%g) = %.15g, want %.15g", tt.stock, tm, s[i], want)
				}
			}
		})
	}
}

// TestOrder checks each method's order of accuracy on exponential decay:
// halving dt divides the error at t=10 by about 2, 4 and 16.
func TestOrder(t *testing.T) {
	p := compileSrc(t, decaySrc)
	exact := 100 * math.Exp(-0.3*10)
	for _, tt := range []struct {
		method model.Method
		ratio  float64
	}{{model.Euler, 2}, {model.RK2, 4}, {model.RK4, 16}} {
		errAt := func(dt float64) float64 {
			res := mustRun(t, p, sim.Scenario{Method: tt.method, DT: dt})
			return math.Abs(must(res.Final("s")) - exact)
		}
		got := errAt(0.1) / errAt(0.05)
		if math.Abs(got-tt.ratio)/tt.ratio > 0.1 {
			t.Errorf("%v: error ratio %.3g, want about %g", tt.method, got, tt.ratio)
		}
	}
}

// TestRK2Heun pins one step of Heun's method on dS/dt = −S with S0 = 1 and
// dt = 0.5: S1 = 1 + 0.5·(−1 + −0.5)/2 = 0.625.
func TestRK2Heun(t *testing.T) {
	p := compileSrc(t, `
time: {start: 0, stop: 0.5, dt: 0.5, method: rk2}
stocks:
  s: {initial: 1, outflows: [f]}
flows:
  f: s
`)
	if got := must(mustRun(t, p, sim.Scenario{}).Final("s")); got != 0.625 {
		t.Errorf("S(0.5) = %g, want 0.625", got)
	}
	// RK4 on the same step: 1 − h + h²/2 − h³/6 + h⁴/24 for h = 0.5.
	want := 1 - 0.5 + 0.125 - 0.125/6 + 0.0625/24
	if got := must(mustRun(t, p, sim.Scenario{Method: model.RK4}).Final("s")); math.Abs(got-want) > 1e-15 {
		t.Errorf("RK4 S(0.5) = %.17g, want %.17g", got, want)
	}
}

// eval runs a model with one auxiliary x = equation for a single step
// and returns x at time 0.
func eval(t *testing.T, equation string) float64 {
	t.Helper()
	src := `
time: {start: 0, stop: 1, dt: 1}
auxiliaries:
  x: ` + yamlQuote(equation) + `
  two: 2
  minus_three: -3
lookups:
  table:
    points: [[0, 0], [1, 10], [2, 40]]
  steps:
    points: [[0, 0], [1, 10], [2, 40]]
    mode: discrete
  line:
    points: [[0, 0], [1, 10], [2, 40]]
    mode: extrapolate
`
	res := mustRun(t, compileSrc(t, src), sim.Scenario{Vars: []string{"x"}})
	return must(res.Series("x"))[0]
}

func yamlQuote(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}

// TestOperatorsAndBuiltins evaluates every operator and first builtin
// against values computed by hand.
func TestOperatorsAndBuiltins(t *testing.T) {
	tests := []struct {
		eq   string
		want float64
	}{
		{"1 + 2 * 3", 7},
		{"(1 + 2) * 3", 9},
		{"7 - 2 - 1", 4},
		{"8 / 4 / 2", 1},
		{"-2^2", -4}, // ^ binds tighter than unary minus
		{"2^3^2", 512},
		{"2^-1", 0.5},
		{"(-2)^2", 4},
		{"7 mod 3", 1},
		{"-7 mod 3", -1}, // the sign of the dividend
		{"7 mod -3", 1},
		{"7.5 MOD 2", 1.5},
		{"MODULO(-7, 3)", -1},
		{"1 = 1", 1}, {"1 = 2", 0},
		{"1 <> 2", 1}, {"1 <> 1", 0},
		{"1 < 2", 1}, {"2 < 1", 0},
		{"2 > 1", 1}, {"1 > 2", 0},
		{"1 <= 1", 1}, {"2 <= 1", 0},
		{"1 >= 1", 1}, {"1 >= 2", 0},
		{"1 and 0", 0}, {"1 AND 2", 1},
		{"0 or 0", 0}, {"0 Or 3", 1},
		{"not 0", 1}, {"NOT 5", 0},
		{"IF 1 THEN 2 ELSE 3", 2},
		{"if 0 then 2 else 3", 3},
		{"IF two > 1 AND minus_three < 0 THEN 10 ELSE 20", 10},
		{"ABS(minus_three)", 3},
		{"EXP(1)", math.E},
		{"LN(EXP(2))", 2},
		{"LOG10(1000)", 3},
		{"SQRT(16)", 4},
		{"SIN(PI / 2)", 1},
		{"COS(0)", 1},
		{"TAN(0)", 0},
		{"ARCSIN(1)", math.Pi / 2},
		{"ARCCOS(1)", 0},
		{"ARCTAN(1)", math.Pi / 4},
		{"PI", math.Pi},
		{"PI()", math.Pi},
		{"INT(2.7)", 2},
		{"INT(-2.7)", -3},     // down (XMILE 1.0 §3.5.1, Stella)
		{"INT(-0.5)", -1},     // the example
		{"INTEGER(-2.7)", -2}, // toward zero (Vensim)
		{"INTEGER(2.7)", 2},
		{"QUANTUM(7.5, 2)", 6},   // Vensim: 2·INTEGER(3.75)
		{"QUANTUM(-7.5, 2)", -6}, // toward zero
		{"QUANTUM(7.5, 0)", 7.5}, // q <= 0: x
		{"QUANTUM(7.5, -1)", 7.5},
		{"MEAN(1, 2, 6)", 3},
		{"MEAN(4)", 4},
		{"MIN(3, 1)", 1},
		{"MAX(3, 1)", 3},
		{"MIN(4, 2, 8, 3)", 2},
		{"MAX(4, 2, 8, 3)", 8},
		{"SAFEDIV(1, 4)", 0.25},
		{"SAFEDIV(1, 0)", 0},
		{"SAFEDIV(1, 0, 7)", 7},
		{"table(0.5)", 5},
		{"table(1.5)", 25},
		{"table(-1)", 0},   // continuous holds the first value
		{"table(3)", 40},   // and the last
		{"steps(1.5)", 10}, // discrete steps
		{"steps(2)", 40},
		{"steps(9)", 40},
		{"line(3)", 70},   // extrapolate continues the last segment
		{"line(-1)", -10}, // and the first
		{"LOOKUP(table, 0.5)", 5},
		{"lookup(steps, 1.5)", 10},
		{"TIME", 0},
		{"DT", 1},
		{"STARTTIME + STOPTIME", 1},
		{".5 + 3e-05", 0.50003},
	}
	for _, tt := range tests {
		if got := eval(t, tt.eq); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s = %.17g, want %.17g", tt.eq, got, tt.want)
		}
	}
}

func TestNonNegative(t *testing.T) {
	p := compileSrc(t, `
time: {start: 0, stop: 4, dt: 1}
stocks:
  tank: {initial: 5, outflows: [drain], non_negative: true}
  free: {initial: 5, outflows: [drain2]}
  fed: {initial: 0, inflows: [supply]}
flows:
  drain: 2
  drain2: 2
  supply: {equation: 1 - TIME, non_negative: true}
`)
	res := mustRun(t, p, sim.Scenario{})
	want := map[string][]float64{
		"tank":   {5, 3, 1, 0, 0}, // stops at zero: its outflow is limited
		"drain":  {2, 2, 1, 0, 0}, // what actually moved
		"free":   {5, 3, 1, -1, -3},
		"supply": {1, 0, 0, 0, 0}, // max(0, 1 − t)
		"fed":    {0, 1, 1, 1, 1},
	}
	for name, w := range want {
		if diff := cmp.Diff(w, must(res.Series(name))); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
		}
	}
}

func TestSaveEvery(t *testing.T) {
	p := compileSrc(t, `
time: {start: 1, stop: 3, dt: 0.25, save_every: 0.5}
stocks:
  s: {initial: 0, inflows: [f]}
flows:
  f: 1
`)
	res := mustRun(t, p, sim.Scenario{})
	if diff := cmp.Diff([]float64{1, 1.5, 2, 2.5, 3}, res.Times); diff != "" {
		t.Errorf("times mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float64{0, 0.5, 1, 1.5, 2}, must(res.Series("s"))); diff != "" {
		t.Errorf("s mismatch (-want +got):\n%s", diff)
	}
}

func TestScenarioSet(t *testing.T) {
	p := compileSrc(t, `
time: {start: 0, stop: 1, dt: 1}
stocks:
  s: {initial: start_value, inflows: [f]}
flows:
  f: rate * 2
auxiliaries:
  rate: 3
  start_value: 10
  derived: rate + 1
  moving: s + 1
scenarios:
  fast: {set: {rate: 5}}
`)
	sc, err := p.Scenario("FAST")
	if err != nil {
		t.Fatal(err)
	}
	res := mustRun(t, p, sc)
	if got := must(res.Final("s")); got != 20 {
		t.Errorf("s(1) = %g, want 20", got)
	}
	if got := must(res.Final("derived")); got != 6 {
		t.Errorf("derived = %g, want 6 (recomputed from the new rate)", got)
	}
	res = mustRun(t, p, sim.Scenario{Set: map[string]float64{"s": 1, "derived": 0}})
	if got := must(res.Final("s")); got != 7 {
		t.Errorf("with s set to 1: s(1) = %g, want 7", got)
	}
	if got := must(res.Final("derived")); got != 0 {
		t.Errorf("derived = %g, want 0 (set)", got)
	}
	for _, tt := range []struct{ set, want string }{
		{"moving", `sim: cannot set "moving": it is not a constant (its value changes during a run)`},
		{"rat", `sim: undefined variable "rat" (did you mean "rate"?)`},
	} {
		_, err := p.Run(sim.Scenario{Set: map[string]float64{tt.set: 1}})
		if err == nil || err.Error() != tt.want {
			t.Errorf("set %s: error %v, want %s", tt.set, err, tt.want)
		}
	}
	if _, err := p.Scenario("slow"); err == nil {
		t.Error("unknown scenario: no error")
	}
}

func TestRuntimeError(t *testing.T) {
	p := compileSrc(t, `time: {start: 0, stop: 5, dt: 1}
stocks:
  s: {initial: 2, outflows: [f]}
flows:
  f: 1
auxiliaries:
  ratio: 3 + LN(s - 1) * 2
`)
	_, err := p.Run(sim.Scenario{})
	var re *sim.RuntimeError
	if !errors.As(err, &re) {
		t.Fatalf("got %v, want a *sim.RuntimeError", err)
	}
	want := `test.yaml:7:14: "ratio" is -Inf at time 1: LN(s - 1) is -Inf in 3 + LN(s - 1) * 2`
	if err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
	if re.Var != "ratio" || re.Time != 1 {
		t.Errorf("Var, Time = %q, %g", re.Var, re.Time)
	}
	if _, err := p.Run(sim.Scenario{AllowNonFinite: true}); err != nil {
		t.Errorf("with AllowNonFinite: %v", err)
	}
}

// TestConcurrentRuns runs one Program from many goroutines at once (run
// with -race) and checks every run gives the same numbers.
func TestConcurrentRuns(t *testing.T) {
	p := compileFile(t, "../testdata/models/bass.yaml")
	want := mustRun(t, p, sim.Scenario{})
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s := sim.Scenario{Method: model.Method(1 + i%3)}
			if i%3 == 0 {
				s = sim.Scenario{}
			}
			res, err := p.Run(s)
			if err != nil {
				errs <- err
				return
			}
			if s.Method == 0 && !cmp.Equal(want, res) {
				errs <- errors.New("concurrent run differs")
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestStream(t *testing.T) {
	p := compileFile(t, "../testdata/models/teacup.yaml")
	want := mustRun(t, p, sim.Scenario{Vars: []string{"heat_loss_to_room", "Teacup_Temperature"}})
	var got []float64
	err := p.Stream(sim.Scenario{Vars: []string{"heat_loss_to_room", "Teacup_Temperature"}}, func(t float64, row []float64) error {
		got = append(got, t)
		got = append(got, row...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var w []float64
	for i, tm := range want.Times {
		w = append(w, tm, want.Values[0][i], want.Values[1][i])
	}
	if diff := cmp.Diff(w, got, cmpopts.EquateApprox(0, 0)); diff != "" {
		t.Errorf("Stream mismatch (-want +got):\n%s", diff)
	}
	stop := errors.New("stop")
	if err := p.Stream(sim.Scenario{}, func(float64, []float64) error { return stop }); err != stop {
		t.Errorf("Stream returned %v, want the callback's error", err)
	}
}

// TestStepAllocatesNothing checks that a run's allocations do not grow with
// its number of steps.
func TestStepAllocatesNothing(t *testing.T) {
	p := compileFile(t, "../testdata/models/bass.yaml")
	for _, method := range []model.Method{model.Euler, model.RK2, model.RK4} {
		allocs := func(dt float64) float64 {
			return testing.AllocsPerRun(5, func() {
				if err := p.Stream(sim.Scenario{Method: method, DT: dt}, func(float64, []float64) error { return nil }); err != nil {
					t.Fatal(err)
				}
			})
		}
		if short, long := allocs(0.0625), allocs(0.0625/16); short != long {
			t.Errorf("%v: %v allocations for a run, %v for one of 16 times as many steps", method, short, long)
		}
	}
}

func TestPlanErrors(t *testing.T) {
	p := compileFile(t, "../testdata/models/teacup.yaml")
	for _, tt := range []struct {
		s    sim.Scenario
		want string
	}{
		{sim.Scenario{DT: -1}, "sim: dt must be positive, not -1"},
		{sim.Scenario{DT: 1e-12}, "sim: the run would take 3e+13 steps of dt 1e-12; the limit is 1000000000"},
		{sim.Scenario{Vars: []string{"teacup_temp"}}, `sim: undefined variable "teacup_temp" (did you mean "teacup_temperature"?)`},
		{sim.Scenario{Method: 9}, "sim: unknown method Method(9)"},
	} {
		_, err := p.Run(tt.s)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Run(%+v) error %v, want %s", tt.s, err, tt.want)
		}
	}
}

func TestScenarioLookups(t *testing.T) {
	p := compileSrc(t, `
time: {stop: 1}
auxiliaries:
  y: effect(0.5)
lookups:
  effect: {points: [[0, 0], [1, 10]]}
scenarios:
  flat: {lookups: {effect: {points: [[0, 3], [1, 3]]}}}
`)
	sc, err := p.Scenario("flat")
	if err != nil {
		t.Fatal(err)
	}
	if got := must(mustRun(t, p, sc).Final("y")); got != 3 {
		t.Errorf("with the replaced lookup y = %g, want 3", got)
	}
	if got := must(mustRun(t, p, sim.Scenario{}).Final("y")); got != 5 {
		t.Errorf("after it, the model's own lookup gives y = %g, want 5", got)
	}
	_, err = p.Run(sim.Scenario{Lookups: map[string]*model.Lookup{"effect": {X: []float64{1, 0}, Y: []float64{0, 0}}}})
	if err == nil || !strings.Contains(err.Error(), "x values must increase") {
		t.Errorf("bad replacement: %v", err)
	}
	_, err = p.Run(sim.Scenario{Lookups: map[string]*model.Lookup{"efect": {X: []float64{0}, Y: []float64{0}}}})
	if err == nil || err.Error() != `sim: undefined lookup "efect" (did you mean "effect"?)` {
		t.Errorf("unknown lookup: %v", err)
	}
}

func TestWithSet(t *testing.T) {
	p := compileFile(t, "../testdata/models/teacup.yaml")
	s := sim.Scenario{Set: map[string]float64{"Room Temperature": 90, "characteristic_time": 5}}
	w := s.WithSet(map[string]float64{"room_temperature": 0})
	if len(s.Set) != 2 || s.Set["Room Temperature"] != 90 {
		t.Errorf("WithSet changed the scenario: %v", s.Set)
	}
	if len(w.Set) != 2 || w.Set["room_temperature"] != 0 || w.Set["characteristic_time"] != 5 {
		t.Errorf("WithSet gave %v", w.Set)
	}
	// Two spellings of one name in one map are refused, never one of
	// them at random.
	_, err := p.Run(sim.Scenario{Set: map[string]float64{"Room Temperature": 90, "room_temperature": 0}})
	if err == nil || !strings.Contains(err.Error(), `"Room Temperature" and "room_temperature" set the same variable, "room_temperature"`) {
		t.Errorf("Run: %v", err)
	}
}

// TestScenarioSetsNonConstant checks that Compile refuses a model whose
// scenario sets a variable that changes during a run, at the setting.
func TestScenarioSetsNonConstant(t *testing.T) {
	m, err := model.Load("odd.yaml", []byte("time: {start: 0, stop: 5}\nstocks:\n  s: {initial: 1, inflows: [f]}\nflows:\n  f: {equation: s * 0.1}\nscenarios:\n  odd:\n    set: {f: 2, s: 3}\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = sim.Compile(m)
	want := `odd.yaml:8:11: scenario "odd": cannot set "f": it is not a constant (its value changes during a run)`
	if err == nil || err.Error() != want {
		t.Errorf("Compile: %v\nwant %s", err, want)
	}
}

// TestSetOutsideRange checks that a setting outside a declared range is
// refused with a *sim.RangeError naming the variable, value and range, and
// that the ends of the range are allowed.
func TestSetOutsideRange(t *testing.T) {
	p := compileSrc(t, "time: {start: 0, stop: 1}\nauxiliaries:\n  share: {equation: 0.3, range: [0, 1, 0.05]}\n  y: share * 2\n")
	for _, tc := range []struct {
		name string
		x    float64
		ok   bool
	}{
		{"low end", 0, true},
		{"high end", 1, true},
		{"inside", 0.42, true},
		{"below", -0.01, false},
		{"above", 1.5, false},
		{"NaN", math.NaN(), false},
		{"infinite", math.Inf(1), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.Run(sim.Scenario{Set: map[string]float64{"Share": tc.x}})
			if tc.ok {
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
				return
			}
			var re *sim.RangeError
			if !errors.As(err, &re) {
				t.Fatalf("Run: %v, want a *sim.RangeError", err)
			}
			want := model.Range{Min: 0, Max: 1, Step: 0.05}
			if re.Name != "share" || re.Range.Min != want.Min || re.Range.Max != want.Max || re.Range.Step != want.Step {
				t.Errorf("RangeError %+v, want share and %v", re, want)
			}
		})
	}
}

func TestLookupReplacedTwice(t *testing.T) {
	p := compileSrc(t, "time: {start: 0, stop: 1}\nauxiliaries:\n  y: {equation: effect(TIME)}\nlookups:\n  effect: {points: [[0, 0], [1, 1]]}\n")
	l := &model.Lookup{X: []float64{0, 1}, Y: []float64{1, 0}, Mode: model.Continuous}
	if _, err := p.Run(sim.Scenario{Lookups: map[string]*model.Lookup{"effect": l}}); err != nil {
		t.Fatal(err)
	}
	_, err := p.Run(sim.Scenario{Lookups: map[string]*model.Lookup{"effect": l, "Effect": l}})
	if err == nil || !strings.Contains(err.Error(), "is replaced twice, under two spellings of its name") {
		t.Errorf("Run: %v", err)
	}
}

// TestModAsName checks that a variable may be called mod, as models in
// the wild do, wherever the word cannot be the operator.
func TestModAsName(t *testing.T) {
	p := compileSrc(t, `
time: {start: 0, stop: 1, dt: 1}
auxiliaries:
  mod: 7
  a: mod mod 4       # the variable, the operator, a number
  b: 2 * mod + MOD(mod, 5)
`)
	res := mustRun(t, p, sim.Scenario{})
	if got := must(res.Final("a")); got != 3 {
		t.Errorf("a = %g, want 3", got)
	}
	if got := must(res.Final("b")); got != 16 {
		t.Errorf("b = %g, want 16", got)
	}
}
