package sim_test

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// accessorSrc is a stock that grows by 2 a time unit, saved every 2: at
// the saved times 0, 2, 4, ..., 10 it is 1, 5, 9, ..., 21.
const accessorSrc = `
time: {stop: 10, dt: 0.5, save_every: 2}
stocks:
  Subscribers: {initial: 1, inflows: [sign_ups]}
flows:
  sign_ups: 2
`

func TestResultAccessors(t *testing.T) {
	res := mustRun(t, compileSrc(t, accessorSrc), sim.Scenario{})
	approx := cmpopts.EquateApprox(0, 1e-12)
	s, err := res.Series("subscribers") // names compare canonically
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]float64{1, 5, 9, 13, 17, 21}, s, approx); diff != "" {
		t.Errorf("Series mismatch (-want +got):\n%s", diff)
	}
	if got, err := res.Final("SUBSCRIBERS"); err != nil || math.Abs(got-21) > 1e-12 {
		t.Errorf("Final = %g, %v; want 21", got, err)
	}
	for _, tt := range []struct {
		name string
		t    float64
		want float64
	}{
		{"first saved time", 0, 1},
		{"a saved time", 4, 9},
		{"between saved times", 5, 11},
		{"a quarter of the way", 6.5, 14},
		{"the last saved time", 10, 21},
		{"the last, rounded up", 10 + 1e-12, 21},
		{"the first, rounded down", -1e-12, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := res.At("Subscribers", tt.t)
			if err != nil || math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("At(%g) = %g, %v; want %g", tt.t, got, err, tt.want)
			}
		})
	}
	for _, tt := range []float64{-0.5, 10.5, math.NaN()} {
		if got, err := res.At("Subscribers", tt); err == nil {
			t.Errorf("At(%g) = %g, want an error: the time is outside the run", tt, got)
		}
	}
}

// TestResultUnknownName checks that every accessor by name refuses a name
// the result does not hold with a *model.NameError giving the nearest.
func TestResultUnknownName(t *testing.T) {
	res := mustRun(t, compileSrc(t, accessorSrc), sim.Scenario{})
	accessors := map[string]func(string) error{
		"Series": func(n string) error { _, err := res.Series(n); return err },
		"Final":  func(n string) error { _, err := res.Final(n); return err },
		"At":     func(n string) error { _, err := res.At(n, 2); return err },
	}
	for name, get := range accessors {
		for _, tt := range []struct{ name, hint string }{
			{"subscribres", "Subscribers"},
			{"sign ups ", ""}, // a name the result holds: no error
			{"churn", ""},
		} {
			err := get(tt.name)
			if tt.name == "sign ups " {
				if err != nil {
					t.Errorf("%s(%q): %v", name, tt.name, err)
				}
				continue
			}
			var ne *model.NameError
			if !errors.As(err, &ne) {
				t.Fatalf("%s(%q) error = %v, want a *model.NameError", name, tt.name, err)
			}
			if ne.Name != tt.name || ne.Kind != "variable" || ne.Closest != tt.hint {
				t.Errorf("%s(%q) error = %+v, want the name %q and the hint %q", name, tt.name, *ne, tt.name, tt.hint)
			}
		}
	}
}

// TestProgramUnknownName checks that a scenario naming a variable the
// model does not have is refused with a *model.NameError, whether it sets
// it or records it.
func TestProgramUnknownName(t *testing.T) {
	p := compileSrc(t, accessorSrc)
	for _, tt := range []struct {
		name string
		s    sim.Scenario
		bad  string
		hint string
	}{
		{"set", sim.Scenario{Set: map[string]float64{"sign_up": 3}}, "sign_up", "sign_ups"},
		{"record", sim.Scenario{Vars: []string{"Subscribers", "subscribres"}}, "subscribres", "Subscribers"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.Run(tt.s)
			var ne *model.NameError
			if !errors.As(err, &ne) || ne.Name != tt.bad || ne.Closest != tt.hint {
				t.Errorf("Run error = %v, want a *model.NameError naming %q with the hint %q", err, tt.bad, tt.hint)
			}
		})
	}
	p = compileSrc(t, accessorSrc+`scenarios:
  growth: {set: {sign_ups: 4}}
`)
	if sc, err := p.Scenario("GROWTH"); err != nil || sc.Name != "growth" {
		t.Errorf("Scenario(GROWTH) = %+v, %v", sc, err)
	}
	_, err := p.Scenario("growht")
	var ne *model.NameError
	if !errors.As(err, &ne) || ne.Kind != "scenario" || ne.Closest != "growth" {
		t.Errorf("Scenario(growht) error = %v, want a *model.NameError with the hint growth", err)
	}
}

// TestProgramImmutable checks that a program keeps what it was compiled
// from: changing the model's lookup points, or the nodes Nodes returned,
// afterwards changes nothing of its runs or of Nodes.
func TestProgramImmutable(t *testing.T) {
	m, err := model.Load("m.yaml", []byte(`
time: {stop: 1}
stocks:
  s: {initial: 1, outflows: [out]}
flows:
  out: effect(s)
lookups:
  effect: {points: [[0, 0], [2, 1]]}
`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	before := must(mustRun(t, p, sim.Scenario{}).Series("out"))
	m.Lookups[0].Y[1] = 100
	nodes := p.Nodes()
	for i := range nodes {
		for j := range nodes[i].Outflows {
			nodes[i].Outflows[j] = -1
		}
	}
	after := must(mustRun(t, p, sim.Scenario{}).Series("out"))
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("a run after the model's lookup changed mismatch (-before +after):\n%s", diff)
	}
	for _, n := range p.Nodes() {
		for _, o := range n.Outflows {
			if o < 0 {
				t.Fatalf("Nodes() shows a change made to an earlier Nodes(): %+v", n)
			}
		}
	}
}
