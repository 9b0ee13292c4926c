package sim_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

func TestWarnings(t *testing.T) {
	const teacup = `
time: {start: 0, stop: 30, dt: 0.125, save_every: 1}
stocks:
  temp: {initial: 180, outflows: [loss]}
flows:
  loss: (temp - room) / tau
auxiliaries:
  room: 70
  tau: 10
`
	tests := []struct {
		name     string
		src      string
		scenario sim.Scenario
		want     []string
	}{
		{"none", teacup, sim.Scenario{}, nil},
		{"teacup at dt 20", teacup, sim.Scenario{DT: 20}, []string{
			"m.yaml:2:7: dt (20) does not divide the run from 0 to 30: the last step ends at 20",
			"m.yaml:2:7: save_every (1) is not a whole multiple of dt (20): rows are saved every 20",
			`m.yaml:6:25: dt (20) is larger than the time constant tau = 10 in "loss": steps of Euler overshoot, and the run may oscillate or turn negative (use a dt of at most 10)`,
		}},
		{"RK4 allows twice the time constant", teacup, sim.Scenario{DT: 15, Method: model.RK4, SaveEvery: 15}, nil},
		{"a scenario's time constant", teacup, sim.Scenario{Set: map[string]float64{"tau": 0.1}}, []string{
			`m.yaml:6:25: dt (0.125) is larger than the time constant tau = 0.1 in "loss": steps of Euler overshoot, and the run may oscillate or turn negative (use a dt of at most 0.1)`,
		}},
		{"save interval", teacup, sim.Scenario{SaveEvery: 0.3}, []string{
			"m.yaml:2:7: save_every (0.3) is not a whole multiple of dt (0.125): rows are saved every 0.25",
		}},
		{"a flow attached to no stock, rates and smooths", `
time: {start: 0, stop: 4, dt: 1}
stocks:
  s: {initial: 10, inflows: [grow], outflows: [decay]}
flows:
  decay: s * 2
  grow: (100 - s) / 0.5
  lost: 3
auxiliaries:
  seen: SMTH3(s, 1.5)
  late: DELAYN(s, 8, 4)
`, sim.Scenario{}, []string{
			`m.yaml:6:14: dt (1) is larger than the time constant 1/2 = 0.5 in "decay": steps of Euler overshoot, and the run may oscillate or turn negative (use a dt of at most 0.5)`,
			`m.yaml:7:21: dt (1) is larger than the time constant 0.5 = 0.5 in "grow": steps of Euler overshoot, and the run may oscillate or turn negative (use a dt of at most 0.5)`,
			`m.yaml:8:3: flow "lost" is attached to no stock: it moves nothing`,
			`m.yaml:10:18: dt (1) is larger than the time constant of each of the 3 stages of SMTH3, 1.5/3, = 0.5 in "seen": steps of Euler overshoot, and the run may oscillate or turn negative (use a dt of at most 0.5)`,
		}},
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
			var got []string
			for _, w := range p.Warnings(tt.scenario) {
				got = append(got, w.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Warnings() mismatch (-want +got):\n%s", diff)
			}
			// A warning never stops the run.
			if _, err := p.Run(tt.scenario); err != nil && !strings.Contains(err.Error(), "+Inf") {
				t.Errorf("Run() error = %v", err)
			}
		})
	}
}

// TestCompileErrorsDeterministic compiles a model with several
// independent mistakes 50 times: every one (6) is reported, in file order,
// the same each time.
func TestCompileErrorsDeterministic(t *testing.T) {
	src := `
time: {start: 0, stop: 1, dt: 1}
auxiliaries:
  a: zz + 1
  b: SMTH1(yy)
  c: xx * NOPE(1)
  d: SELF
`
	var want string
	for i := range 50 {
		m, err := model.Load("m.yaml", []byte(src))
		if err == nil {
			_, err = sim.Compile(m)
		}
		if err == nil {
			t.Fatal("no error")
		}
		if i == 0 {
			want = err.Error()
			var list model.ErrorList
			if !errors.As(err, &list) || len(list) != 6 {
				t.Fatalf("want 6 errors in a model.ErrorList, got %v", err)
			}
			continue
		}
		if err.Error() != want {
			t.Fatalf("compile %d: error\n%v\nwant\n%s", i+1, err, want)
		}
	}
}
