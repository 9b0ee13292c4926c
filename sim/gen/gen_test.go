package gen_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/vensim"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/gen"
	"github.com/stockflow/stockflow/sim/internal/sectors"
)

// tol is the largest difference allowed between the interpreter and the
// generated code, relative to the value (or absolute below 1).
const tol = 1e-12

type genCase struct {
	name string
	m    *model.Model
}

func cases(t *testing.T) []genCase {
	t.Helper()
	var out []genCase
	paths, _ := filepath.Glob("../../examples/*/model.yaml")
	more, _ := filepath.Glob("../../testdata/models/*.yaml")
	// The array functions of sim/internal/vector, which the generated
	// code copies.
	for _, name := range []string{"allocate_available", "allocate_by_priority", "invert_matrix"} {
		more = append(more, "../../testdata/conformance/tests/"+name+"/test_"+name+".mdl")
	}
	for _, path := range append(paths, more...) {
		load := model.LoadFile
		if strings.HasSuffix(path, ".mdl") {
			load = vensim.ReadFile
		}
		m, err := load(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, genCase{strings.TrimPrefix(path, "../../"), m})
	}
	// Operations between literals, which Go would fold exactly at compile
	// time where the interpreter rounds each one (0.1 * 3 - 0.3 is 0 to
	// Go and 5.55e-17 to the interpreter), and constants Go cannot
	// write: negative zero, a division by zero.
	m, err := model.Load("constants.yaml", []byte(`time: {start: 0, stop: 4, dt: 1}
stocks:
  s: {initial: 1, inflows: [f]}
flows:
  f: (0.1 * 3 - 0.3) * 1e17 + s * 0
auxiliaries:
  fold: (0.1 * 3 - 0.3) * 1e17
  call: (MIN(0.1, 0.3) * 3 - 0.3) * 1e17
  sum: (SUM(0.1, 0.2) - 0.3) * 1e17
  mean: MEAN(0.1, 0.2, 0.4) * 3
  unfolded: -(-0) + 1 / (0 - 0 + TIME + 1)
  lazy: IF_THEN_ELSE(TIME > 100, 1 / 0, 1)
  time_span: (STOPTIME - STARTTIME) / 3 * 3 - PI / 180 * 1e3
  compare: (0.1 + 0.2 = 0.3) + NOT 0.0
`))
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, genCase{"constants", m})
	// The stateful and random builtins, each with its own state in the
	// generated code, and what model.Flatten makes of the vector
	// functions.
	for _, c := range []struct{ name, src string }{
		{"stateful", `time: {start: 0, stop: 10, dt: 0.25}
stocks:
  s: {initial: 5, inflows: [f], outflows: [o]}
flows:
  f: 1 + RANDOM_UNIFORM(0, 1) + NORMAL(0, 0.5, 7)
  o: DELAY(s, 2) / 10 + PREVIOUS(s) / 20 + DELAY(f, 0.6, 1) / 10
auxiliaries:
  p: PREVIOUS(f, 3)
  fixed: DELAY_FIXED(s, 1.5, 2)
  drawn: TRIANGULAR(0, 1, 3) + LOGNORMAL(2, 1) + EXPRND(1, 3) + RANDOM_NORMAL(-1, 1, 0, 1, 5)
  lazy: IF_THEN_ELSE(TIME > 5, RANDOM_UNIFORM(0, 10), 0)
`},
		{"orders", `time: {start: 0, stop: 10, dt: 0.25}
stocks:
  s: {initial: 5, inflows: [f]}
flows:
  f: STEP(3, 2) - s / 8
auxiliaries:
  k: 3
  tau: 2
  smoothed: SMTHN(s, tau, k)
  delayed: DELAYN(f, tau, k * 2)
  vensim: DELAY_N(f, 0.5, 0, k + 1)
`},
		{"no stocks", "time: {start: 0, stop: 2, dt: 0.5}\nauxiliaries:\n  a: TIME * 2\n"},
		{"vectors", `time: {start: 0, stop: 3, dt: 0.5}
dimensions:
  a: [a1, a2, a3, a4]
stocks:
  s: {dims: [a], elements: {a1: 4, a2: 1, a3: 3, a4: 2}, inflows: [f]}
flows:
  f: {dims: [a], equation: "SIN(TIME + s[a])"}
auxiliaries:
  second: RANK(s[*], 2)
  sel: {dims: [a], elements: {a1: 1, a2: 0, a3: 1, a4: 0}}
  picked: VECTOR_SELECT(sel[*], s[*], -1, 0, 0)
  order: {dims: [a], equation: "VECTOR_SORT_ORDER(s[a], 1)"}
  mapped: {dims: [a], equation: "VECTOR_ELM_MAP(s[a1], 1)"}
  ranked: {dims: [a], equation: "VECTOR_RANK(s[a], 1)"}
  down: {dims: [a], equation: "VECTOR_RANK(s[a], 0)"}
`},
	} {
		m, err := model.Load(c.name+".yaml", []byte(c.src))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, genCase{c.name, m})
	}
	for _, n := range []int{1, 10, 200} {
		m, err := model.Load("sectors.yaml", []byte(sectors.Source(n, 500)))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, genCase{"sectors" + strconv.Itoa(n), m})
	}
	return out
}

// TestMainAgrees builds the program generated for each example, each test
// model and sector models of several sizes, runs it under each method and
// compares every value with the interpreter's.
func TestMainAgrees(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go programs")
	}
	for _, c := range cases(t) {
		t.Run(c.name, func(t *testing.T) {
			p, err := sim.Compile(c.m)
			if err != nil {
				t.Fatal(err)
			}
			src, err := gen.Main(p, "model.yaml")
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			write(t, filepath.Join(dir, "go.mod"), gen.GoMod("model"))
			write(t, filepath.Join(dir, "main.go"), src)
			bin := goBuild(t, dir, ".")
			for _, method := range []model.Method{model.Euler, model.RK2, model.RK4} {
				s := sim.Scenario{Method: method, Seed: 3}
				args := []string{"--method", method.String(), "--seed", "3"}
				if strings.HasPrefix(c.name, "sectors") {
					s.Vars = []string{"s0", "q0", "demand0"}
					args = append(args, "--vars", "s0,q0,demand0")
				}
				want, err := p.Run(s)
				if err != nil {
					t.Fatal(err)
				}
				var stdout, stderr bytes.Buffer
				cmd := exec.Command(bin, args...)
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Run(); err != nil {
					t.Fatalf("%v: %v\n%s", args, err, stderr.String())
				}
				compareCSV(t, method.String(), want, stdout.Bytes())
			}
		})
	}
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func close(x, y float64) bool {
	return math.Abs(x-y) <= tol*math.Max(1, math.Abs(y))
}

func compareCSV(t *testing.T, method string, want *sim.Result, got []byte) {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(got)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	if head := strings.Join(rows[0], ","); head != "time,"+strings.Join(want.Names, ",") {
		t.Fatalf("%s: header %q, want time and %v", method, head, want.Names)
	}
	if len(rows)-1 != len(want.Times) {
		t.Fatalf("%s: %d rows, want %d", method, len(rows)-1, len(want.Times))
	}
	for i, row := range rows[1:] {
		for j, cell := range row {
			x, err := strconv.ParseFloat(cell, 64)
			if err != nil {
				t.Fatalf("%s: row %d: %v", method, i, err)
			}
			w := want.Times[i]
			name := "time"
			if j > 0 {
				w, name = want.Values[j-1][i], want.Names[j-1]
			}
			if !close(x, w) {
				t.Fatalf("%s: %s at row %d = %v, the interpreter gives %v", method, name, i, x, w)
			}
		}
	}
}

// TestPackage builds a program that imports the package generated for
// the teacup and checks Run's series and a changed constant.
func TestPackage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go programs")
	}
	m, err := model.LoadFile("../../testdata/models/teacup.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	src, err := gen.Package(p, "teacup", "teacup.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), gen.GoMod("example.com/use"))
	if err := os.Mkdir(filepath.Join(dir, "teacup"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "teacup", "teacup.go"), src)
	write(t, filepath.Join(dir, "main.go"), []byte(`package main

import (
	"fmt"

	"example.com/use/teacup"
)

func main() {
	p := teacup.Defaults()
	p.RoomTemperature = 20
	res, err := teacup.Run(p, teacup.Options{Method: "rk4"})
	if err != nil {
		panic(err)
	}
	n := len(res.Times) - 1
	fmt.Println(res.Names[0], res.Times[n], res.Values[0][n])
}
`))
	bin := goBuild(t, dir, ".")
	out, err := exec.Command(bin).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want, err := p.Run(sim.Scenario{Method: model.RK4, Set: map[string]float64{"room temperature": 20}})
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(out))
	if len(f) != 3 {
		t.Fatalf("output %q", out)
	}
	last := len(want.Times) - 1
	tm, _ := strconv.ParseFloat(f[1], 64)
	x, _ := strconv.ParseFloat(f[2], 64)
	if f[0] != want.Names[0] || !close(tm, want.Times[last]) || !close(x, want.Values[0][last]) {
		t.Errorf("package run gives %s at %v = %v, the interpreter %s at %v = %v", f[0], tm, x, want.Names[0], want.Times[last], want.Values[0][last])
	}
}

// TestRefuse checks that a builtin the generator cannot write is named
// with its position.
func TestRefuse(t *testing.T) {
	tests := []struct {
		name, src, fn string
		line, col     int
	}{
		{"poisson", "time: {start: 0, stop: 1, dt: 1}\nauxiliaries:\n  a: 1 + POISSON(3)\n", "POISSON", 3, 10},
		{"poisson in an argument", "time: {start: 0, stop: 1, dt: 1}\nauxiliaries:\n  b: 1\n  a: PREVIOUS(b, 2 * POISSON(1, 7))\n", "POISSON", 4, 22},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := model.Load("m.yaml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			p, err := sim.Compile(m)
			if err != nil {
				t.Fatal(err)
			}
			_, err = gen.Main(p, "m.yaml")
			var list model.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("gen.Main error = %v, want a model.ErrorList", err)
			}
			e := list[0]
			if e.Pos.Line != tt.line || e.Pos.Col != tt.col || !strings.Contains(e.Msg, tt.fn) {
				t.Errorf("error %v, want %s at %d:%d", e, tt.fn, tt.line, tt.col)
			}
		})
	}
}

// TestMainErrors runs a generated program with bad flags and settings and
// checks the exit status and what the message names.
func TestMainErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go programs")
	}
	m, err := model.Load("m.yaml", []byte(`time: {start: 0, stop: 2, dt: 0.5, save_every: 0.5}
stocks:
  s: {initial: 1, inflows: [f]}
flows:
  f: s * rate
auxiliaries:
  rate: {equation: 0.1, range: [0, 1]}
`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	src, err := gen.Main(p, "m.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), gen.GoMod("m"))
	write(t, filepath.Join(dir, "main.go"), src)
	bin := goBuild(t, dir, ".")
	tests := []struct {
		name   string
		args   []string
		status int
		says   string // in standard error
	}{
		{"outside the range", []string{"--set", "rate=1.5"}, 1, `rate = 1.5 is outside the range of "rate", [0, 1]`},
		{"not a constant", []string{"--set", "f=1"}, 1, `cannot set "f"`},
		{"unknown variable", []string{"--vars", "s,nope"}, 1, `undefined variable "nope"`},
		{"not a number", []string{"--set", "rate=x"}, 2, `"x" is not a number`},
		{"unknown flag", []string{"--sed", "1"}, 2, "-sed"},
		{"bad dt", []string{"--dt", "0"}, 1, "dt must be positive"},
		{"save_every rounded", []string{"--dt", "0.2"}, 0, "rows are saved every 0.6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			cmd := exec.Command(bin, tt.args...)
			cmd.Stderr = &stderr
			err := cmd.Run()
			status := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				status = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if status != tt.status || !strings.Contains(stderr.String(), tt.says) {
				t.Errorf("%v: status %d, stderr %q; want status %d and %q", tt.args, status, stderr.String(), tt.status, tt.says)
			}
		})
	}
}
