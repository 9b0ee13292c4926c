package loops_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

func score(t testing.TB, m *model.Model, s sim.Scenario) *loops.Scores {
	t.Helper()
	found := findLoops(t, m, 0)
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := loops.Score(p, s, found)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestLogisticScoresByHand checks the scores of testdata/loops/logistic.yaml
// against a derivation by hand.
//
// The model is P' = births = r·P·room, room = 1 − P/K (MAX(0, ·) is idle
// below K), with r = 0.2, K = 1000, P(0) = 10, Euler, dt = 0.25. Its loops
// are growth (R: P → births → P) and crowding (B: P → room → births → P).
// Write P_k, room_k, b_k for the values at step k. Over the step from k−1
// to k:
//
//	LS(P → room)     = |Δ_P(room)/Δroom| · sign(Δ_P(room)/ΔP)
//	                 = 1 · sign(−ΔP/K / ΔP) = −1            (room reads P alone)
//	LS(P → births)   = |r·ΔP·room_{k−1} / Δb|               (Δ_P(b) = r·P_k·room_{k−1} − r·P_{k−1}·room_{k−1})
//	LS(room → births)= |r·P_{k−1}·Δroom / Δb|               (Δ_room(b) = r·P_{k−1}·room_k − b_{k−1})
//	LS(births → P)   = |Δb / Δb| = 1                        (the stock's only flow)
//
// both birth links positive (r, room and P are). So
//
//	growth   = |r·room_{k−1}·ΔP / Δb|
//	crowding = −|r·P_{k−1}·ΔP / (K·Δb)|
//
// and, as |Δb| and |r·ΔP| cancel in the ratio,
//
//	relative growth   = room_{k−1} / (room_{k−1} + P_{k−1}/K) = 1 − P_{k−1}/K
//	relative crowding = −P_{k−1}/K
//
// the continuous-time result r(1 − P/K) : −rP/K normalised, evaluated at
// the start of each step. With the Euler steps
//
//	P_1 = 10 + 0.25·0.2·10·(1 − 10/1000) = 10.495
//	P_2 = P_1 + 0.25·0.2·P_1·(1 − P_1/1000)
//
// the relative scores at t = 0.25, 0.5, 0.75 are 1 − 10/1000 = 0.99, then
// 1 − P_1/1000 = 0.989505, then 1 − P_2/1000; and the first loop score is
// growth = 0.2·0.99·0.495/(b_1 − b_0), b_0 = 0.2·10·0.99 = 1.98,
// b_1 = 0.2·P_1·(1 − P_1/1000).
func TestLogisticScoresByHand(t *testing.T) {
	m := loadModel(t, "../testdata/loops/logistic.yaml")
	sc := score(t, m, sim.Scenario{SaveEvery: 0.25})
	if got := []string{sc.Loops[0].Label(), sc.Loops[1].Label()}; got[0] != "growth" || got[1] != "crowding" {
		t.Fatalf("loops %v", got)
	}
	p0 := 10.0
	p1 := p0 + 0.25*0.2*p0*(1-p0/1000)
	p2 := p1 + 0.25*0.2*p1*(1-p1/1000)
	b0, b1 := 0.2*p0*(1-p0/1000), 0.2*p1*(1-p1/1000)
	want := [][]float64{
		{0.99, 1 - p1/1000, 1 - p2/1000},
		{-0.01, -p1 / 1000, -p2 / 1000},
	}
	got := [][]float64{sc.Relative[0][1:4], sc.Relative[1][1:4]}
	approx := cmpopts.EquateApprox(0, 1e-12)
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("relative scores mismatch (-want +got):\n%s", diff)
	}
	wantRaw := []float64{0.2 * 0.99 * 0.495 / (b1 - b0), -0.2 * 10 * 0.495 / (1000 * (b1 - b0))}
	if diff := cmp.Diff(wantRaw, []float64{sc.Score[0][1], sc.Score[1][1]}, approx); diff != "" {
		t.Errorf("loop scores at t=0.25 mismatch (-want +got):\n%s", diff)
	}
	if p1 != 10.495 {
		t.Errorf("P_1 = %v, want 10.495", p1)
	}
	if !math.IsNaN(sc.Relative[0][0]) || !math.IsNaN(sc.Score[1][0]) {
		t.Errorf("scores at the start: %v, %v; want NaN", sc.Relative[0][0], sc.Score[1][0])
	}
}

// Under every method the relative scores are 1 − P/K and −P/K with P the
// population at the start of the step before: the derivation above holds
// for any two successive states.
func TestLogisticScoresAnyMethod(t *testing.T) {
	m := loadModel(t, "../testdata/loops/logistic.yaml")
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, method := range []model.Method{model.Euler, model.RK2, model.RK4} {
		t.Run(method.String(), func(t *testing.T) {
			s := sim.Scenario{Method: method, SaveEvery: 0.25}
			sc := score(t, m, s)
			res, err := p.Run(s)
			if err != nil {
				t.Fatal(err)
			}
			pop, err := res.Series("population")
			if err != nil {
				t.Fatal(err)
			}
			var want, got [][2]float64
			for i := 1; i < len(sc.Times); i++ {
				want = append(want, [2]float64{1 - pop[i-1]/1000, -pop[i-1] / 1000})
				got = append(got, [2]float64{sc.Relative[0][i], sc.Relative[1][i]})
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("relative scores mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// Growth dominates until the population passes half the carrying capacity
// (there 1 − P/K = P/K), crowding after.
func TestLogisticDominance(t *testing.T) {
	m := loadModel(t, "../testdata/loops/logistic.yaml")
	sc := score(t, m, sim.Scenario{})
	p, _ := sim.Compile(m)
	res, err := p.Trace(sim.Scenario{})
	if err != nil {
		t.Fatal(err)
	}
	// The first saved time whose step starts at or above K/2.
	var cross float64
	times, pop := res.Times(), res.Series(indexOf(p, "population"))
	for k := 1; k < len(times); k++ {
		if pop[k-1] >= 500 && math.Mod(times[k], 1) == 0 {
			cross = times[k]
			break
		}
	}
	want := []loops.Period{
		{Partition: 1, Start: 1, End: cross - 1, Loops: []int{0}},
		{Partition: 1, Start: cross, End: 50, Loops: []int{1}},
	}
	if diff := cmp.Diff(want, sc.Dominant); diff != "" {
		t.Errorf("Dominant mismatch (-want +got):\n%s", diff)
	}
	if cross < 22 || cross > 24 { // ln(99)/0.2 ≈ 22.98 in continuous time
		t.Errorf("crowding dominates from %v", cross)
	}
}

func indexOf(p *sim.Program, name string) int {
	for i, n := range p.Nodes() {
		if n.Name == name {
			return i
		}
	}
	return -1
}

func TestTwoPartitions(t *testing.T) {
	m := loadModel(t, "../testdata/loops/two_partitions.yaml")
	sc := score(t, m, sim.Scenario{})
	for i := 1; i < len(sc.Times); i++ {
		// R1 and B1 share the population; B2, alone in its partition,
		// explains all of the tea's change.
		sum := math.Abs(sc.Relative[0][i]) + math.Abs(sc.Relative[1][i])
		if math.Abs(sum-1) > 1e-12 || sc.Relative[2][i] != -1 {
			t.Fatalf("t=%v: population loops %v, %v; tea %v", sc.Times[i], sc.Relative[0][i], sc.Relative[1][i], sc.Relative[2][i])
		}
	}
	var parts []int
	for _, d := range sc.Dominant {
		parts = append(parts, d.Partition)
	}
	if parts[0] != 1 || parts[len(parts)-1] != 2 {
		t.Errorf("dominant periods by partition %v", parts)
	}
}

// The loop through SMTH1 scores as the same loop written with an explicit
// smoothing stock: its link from level to perceived is the product of the
// links of the hidden chain.
func TestScoreThroughSmooth(t *testing.T) {
	m := loadModel(t, "../testdata/loops/smooth.yaml")
	for _, method := range []model.Method{model.Euler, model.RK4} {
		sc := score(t, m, sim.Scenario{Method: method})
		macro, explicit := sc.Score[1], sc.Score[2]
		if sc.Loops[1].Variables[1] != "perceived" || sc.Loops[2].Variables[1] != "perceiving" {
			t.Fatalf("loops %v, %v", sc.Loops[1], sc.Loops[2])
		}
		if diff := cmp.Diff(explicit[1:], macro[1:], cmpopts.EquateApprox(1e-12, 0)); diff != "" {
			t.Errorf("%v: loop scores mismatch (-explicit +SMTH1):\n%s", method, diff)
		}
		if macro[3] == 0 {
			t.Errorf("%v: the loop through SMTH1 scores 0", method)
		}
		// Alone in its partition (the smooth's own loop is internal),
		// the SMTH1 loop explains everything.
		if sc.Relative[1][3] != -1 {
			t.Errorf("%v: relative score %v, want -1", method, sc.Relative[1][3])
		}
	}
}

// A material delay responds within a step through its hidden stocks; a
// pipeline delay and PREVIOUS only remember, and their loops score 0.
func TestScoreThroughDelays(t *testing.T) {
	m := loadModel(t, "../testdata/loops/delay.yaml")
	sc := score(t, m, sim.Scenario{})
	want := []string{"backlog -> late_shipments", "backlog -> pipeline_shipments", "backlog -> shipments"}
	for j, l := range sc.Loops {
		if got := strings.Join(l.Variables, " -> "); got != want[j] || l.Kind != loops.Balancing {
			t.Fatalf("loop %d: %v %v", j, l.Kind, got)
		}
	}
	active := false
	for i := 1; i < len(sc.Times); i++ {
		if sc.Score[0][i] != 0 || sc.Score[1][i] != 0 {
			t.Errorf("t=%v: remembering loops score %v, %v", sc.Times[i], sc.Score[0][i], sc.Score[1][i])
		}
		active = active || sc.Relative[2][i] == -1
	}
	if !active {
		t.Error("the loop through DELAY3 never scores")
	}
}

func TestScoresCSV(t *testing.T) {
	m := loadModel(t, "../testdata/loops/logistic.yaml")
	sc := score(t, m, sim.Scenario{})
	var buf bytes.Buffer
	if err := sc.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 52 || lines[0] != "time,growth,crowding" || lines[1] != "0,," || !strings.HasPrefix(lines[51], "50,") {
		t.Errorf("CSV:\n%s", strings.Join(lines[:3], "\n"))
	}
	if got, err := sc.Series("growth"); err != nil || len(got) != 51 || got[1] != sc.Relative[0][1] {
		t.Errorf("Series(growth) = %v", got)
	}
	if got, err := sc.Series("R1"); err != nil || got == nil {
		t.Errorf("Series(R1) = %v, %v", got, err)
	}
	_, err := sc.Series("growht")
	var ne *model.NameError
	if !errors.As(err, &ne) || ne.Name != "growht" || ne.Kind != "loop" || ne.Closest != "growth" {
		t.Errorf("Series(growht) error = %v, want a *model.NameError naming growht with the hint growth", err)
	}
}

func TestScoreErrors(t *testing.T) {
	m := loadModel(t, "../testdata/loops/logistic.yaml")
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	bad := &loops.Loop{ID: "R1", Variables: []string{"population", "nothing"}, Links: []loops.Polarity{loops.Positive, loops.Positive}}
	if _, err := loops.Score(p, sim.Scenario{}, []*loops.Loop{bad}); err == nil {
		t.Error("Score with an unknown variable succeeded")
	}
	// A save interval that is not a whole number of steps is rounded,
	// as a run rounds it (sim.Program.Warnings says so).
	if _, err := loops.Score(p, sim.Scenario{SaveEvery: 0.3}, nil); err != nil {
		t.Errorf("Score with save_every 0.3 and dt 0.25: %v", err)
	}
}

// Scores do not depend on how a stock's flows are drawn: separate births
// and deaths flows, or one net flow of the two, give the same loop scores
// (the point of the 2023 correction of the flow-to-stock score).
func TestScoresAggregationInvariant(t *testing.T) {
	separate := loadModel(t, "../testdata/loops/two_partitions.yaml")
	net := parseModel(t, `
time: {start: 0, stop: 30, dt: 0.125, save_every: 1}
stocks:
  population: {initial: 10, inflows: [net_growth], non_negative: true}
flows:
  net_growth: births - deaths
auxiliaries:
  births: birth_rate * population
  deaths: population * population / capacity * birth_rate
  birth_rate: 0.3
  capacity: 1000
`)
	a, b := score(t, separate, sim.Scenario{}), score(t, net, sim.Scenario{})
	if a.Loops[0].Variables[0] != "births" || b.Loops[0].Variables[0] != "births" || b.Loops[1].Variables[0] != "deaths" {
		t.Fatalf("loops %v and %v", a.Loops, b.Loops)
	}
	approx := cmpopts.EquateApprox(1e-12, 0)
	for j := 0; j < 2; j++ {
		if diff := cmp.Diff(a.Score[j][1:], b.Score[j][1:], approx); diff != "" {
			t.Errorf("loop %s: scores mismatch (-separate flows +net flow):\n%s", b.Loops[j].ID, diff)
		}
	}
}
