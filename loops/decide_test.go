package loops_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/sim"
)

// decide finds a model's loops and decides their polarities from a run of
// the scenario.
func decide(t *testing.T, path string, s sim.Scenario) (*loops.Graph, []*loops.Loop, *loops.Scores) {
	t.Helper()
	m := loadModel(t, path)
	g, err := loops.NewGraph(m)
	if err != nil {
		t.Fatal(err)
	}
	found, err := g.Loops(0)
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	decided, sc, err := g.Decide(p, s, found)
	if err != nil {
		t.Fatal(err)
	}
	return g, decided, sc
}

// TestDecideKinds checks the loops every system-dynamics text gives these
// models: logistic growth one reinforcing and one balancing loop, Bass
// diffusion one reinforcing (word of mouth) and two balancing (saturation
// of advertising and of word of mouth), predator-prey two reinforcing
// (births) and three balancing (deaths, lynx deaths, predation).
func TestDecideKinds(t *testing.T) {
	type count struct{ R, B, U int }
	tests := []struct {
		name, path string
		want       count
		evidence   map[string]loops.Evidence // by loop ID
	}{
		{"logistic", "../testdata/loops/logistic.yaml", count{1, 1, 0},
			map[string]loops.Evidence{"R1": loops.FromStructure, "B1": loops.FromStructure}},
		{"Bass", "../testdata/models/bass.yaml", count{1, 2, 0},
			map[string]loops.Evidence{"R1": loops.FromRanges, "B1": loops.FromStructure, "B2": loops.FromRanges}},
		{"logistic as one flow", "../testdata/models/logistic.yaml", count{1, 1, 0},
			map[string]loops.Evidence{"R1": loops.FromRanges, "B1": loops.FromRanges}},
		{"predator-prey", "../testdata/models/predator_prey.yaml", count{2, 3, 0},
			map[string]loops.Evidence{"R1": loops.FromStructure, "R2": loops.FromRanges, "B1": loops.FromRanges, "B2": loops.FromStructure, "B3": loops.FromRanges}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, found, _ := decide(t, tt.path, sim.Scenario{})
			var got count
			evidence := make(map[string]loops.Evidence)
			for _, l := range found {
				switch l.Kind {
				case loops.Reinforcing:
					got.R++
				case loops.Balancing:
					got.B++
				default:
					got.U++
				}
				evidence[l.ID] = l.Evidence
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("kinds mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.evidence, evidence); diff != "" {
				t.Errorf("evidence mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDecideSignChange: logistic growth written as one flow whose terms
// cannot be told apart as factors, r·(P − P²/K), has one loop, whose score
// is positive below half the carrying capacity and negative above it (the
// inflection point, at t = ln(99)/0.2 ≈ 23 for P0 = 10, K = 1000,
// r = 0.2).
func TestDecideSignChange(t *testing.T) {
	m := parseModel(t, `
time: {start: 0, stop: 50, dt: 0.25, save_every: 1}
stocks:
  population: {initial: 10, inflows: [net_births]}
flows:
  net_births: growth_rate * (population - population^2 / carrying_capacity)
auxiliaries:
  growth_rate: 0.2
  carrying_capacity: 1000
`)
	g, err := loops.NewGraph(m)
	if err != nil {
		t.Fatal(err)
	}
	found, err := g.Loops(0)
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	found, _, err = g.Decide(p, sim.Scenario{}, found)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 {
		t.Fatalf("%d loops, want 1", len(found))
	}
	l := found[0]
	if l.Kind != loops.Changing || l.Evidence != loops.FromRun || len(l.Changes) != 1 {
		t.Fatalf("%s: kind %s from %s, changes %v", l, l.Kind, l.Evidence, l.Changes)
	}
	if diff := cmp.Diff([]loops.Kind{loops.Reinforcing, loops.Balancing}, l.Phases); diff != "" {
		t.Errorf("phases mismatch (-want +got):\n%s", diff)
	}
	if l.ID != "RB1" || l.KindText() != "R→B" || l.LinkSign(1) != "±" || l.LinkSign(0) != "+" {
		t.Errorf("ID %s, kind %s, link signs %s %s; want RB1, R→B, + ±", l.ID, l.KindText(), l.LinkSign(0), l.LinkSign(1))
	}
	// The saved time after the inflection (the score at t describes the
	// step that ends at t).
	if c := l.Changes[0]; c < 23 || c > 25 {
		t.Errorf("changes sign at t=%g, want 23 to 25", c)
	}
	if !strings.Contains(l.Note, "R from t=1 to 24, B from t=24") || !strings.Contains(l.Note, "population -> net_births is + from t=1 to 24, - from t=24") {
		t.Errorf("note %q", l.Note)
	}
}

// TestImplicitFactors: logistic growth written as one flow,
// r·P·(1 − P/K), reads P through a factor that rises with it and one that
// falls: the second is a variable of the graph, and the model has the
// reinforcing and the balancing loop every text gives it.
func TestImplicitFactors(t *testing.T) {
	g, found, sc := decide(t, "../testdata/models/logistic.yaml", sim.Scenario{})
	want := []loops.Implicit{{Name: "net_births_factor_3", Of: "net_births", Factor: "1 - population / carrying_capacity"}}
	if diff := cmp.Diff(want, g.Implicit()); diff != "" {
		t.Errorf("Implicit() mismatch (-want +got):\n%s", diff)
	}
	var got []string
	for _, l := range found {
		got = append(got, l.String()+" "+l.Kind.String()+" from "+l.Evidence.String())
	}
	wantLoops := []string{
		"R1: net_births -> population R from ranges",
		"B1: net_births -> population -> net_births_factor_3 B from ranges",
	}
	if diff := cmp.Diff(wantLoops, got); diff != "" {
		t.Errorf("loops mismatch (-want +got):\n%s", diff)
	}
	// The growth loop dominates until the inflection point (t ≈ 23),
	// the crowding loop after (relative scores of the run).
	if r, b := sc.Relative[0][10], sc.Relative[1][10]; !(r > -b && r > 0 && b < 0) {
		t.Errorf("at t=10: growth %.3g, crowding %.3g; want growth to dominate", r, b)
	}
	if r, b := sc.Relative[0][40], sc.Relative[1][40]; !(-b > r && r > 0 && b < 0) {
		t.Errorf("at t=40: growth %.3g, crowding %.3g; want crowding to dominate", r, b)
	}
	// Scores of the split model from Score too.
	m := loadModel(t, "../testdata/models/logistic.yaml")
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	structural, err := g.Loops(0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loops.Score(p, sim.Scenario{}, structural); err != nil {
		t.Errorf("Score of loops through an implicit factor: %v", err)
	}
}

// TestDecideFlagship: the customer-success model's loops that no run
// decides are few and explained, and its list reads as about a dozen
// groups.
func TestDecideFlagship(t *testing.T) {
	for _, scenario := range []string{"", "acquisition_heavy", "balanced", "success_heavy", "success_first"} {
		t.Run(scenario, func(t *testing.T) {
			m := loadModel(t, "../examples/customersuccess/model.yaml")
			p, err := sim.Compile(m)
			if err != nil {
				t.Fatal(err)
			}
			s := sim.Scenario{}
			if scenario != "" {
				if s, err = p.Scenario(scenario); err != nil {
					t.Fatal(err)
				}
			}
			_, found, _ := decide(t, "../examples/customersuccess/model.yaml", s)
			if len(found) != 94 {
				t.Errorf("%d loops, want 94", len(found))
			}
			// Counted loop by loop: a loop whose polarity changes in
			// the run is Changing, with when and through which link;
			// Undetermined is left for loops nothing decides.
			undetermined := 0
			for _, l := range found {
				switch l.Kind {
				case loops.Undetermined:
					undetermined++
					if l.Note == "" {
						t.Errorf("%s: undetermined without a note", l)
					}
				case loops.Changing:
					if !strings.HasPrefix(l.ID, "RB") || len(l.Changes) == 0 || len(l.Phases) != len(l.Changes)+1 ||
						!strings.Contains(l.Note, "changes sign: ") || !strings.Contains(l.Note, "the link ") {
						t.Errorf("%s: changing without its changes explained: %+v", l, l)
					}
				default:
					continue
				}
				if l.Evidence != loops.FromRun || l.Scenario != s.Name {
					t.Errorf("%s: %s not from the run of %q: %+v", l, l.Kind, s.Name, l)
				}
			}
			if undetermined > 10 {
				t.Errorf("%d undetermined loops, want at most 10", undetermined)
			}
		})
	}
}

func TestGroups(t *testing.T) {
	g, found, _ := decide(t, "../examples/customersuccess/model.yaml", sim.Scenario{})
	groups := g.Groups(found)
	seen := make(map[*loops.Loop]bool)
	for _, gr := range groups {
		for _, l := range gr.Loops {
			if seen[l] {
				t.Errorf("%s in two groups", l)
			}
			seen[l] = true
			if l.Kind != gr.Loop().Kind {
				t.Errorf("%s (%s) in the group of %s (%s)", l, l.Kind, gr.Loop(), gr.Loop().Kind)
			}
			if l != gr.Loop() && l.Name != "" {
				t.Errorf("named loop %s in the group of %s", l.Name, gr.Loop())
			}
		}
	}
	if len(seen) != len(found) {
		t.Errorf("%d loops in groups, want %d", len(seen), len(found))
	}
}

// TestGroupsParallelPaths: loops through two stocks that differ only in a
// parallel path from a to fb go together; loops through one stock that
// differ so stay apart (a modeller names each, as Bass's two balancing
// loops); so do loops of opposite polarity.
func TestGroupsParallelPaths(t *testing.T) {
	m := parseModel(t, `
time: {stop: 10}
stocks:
  a: {initial: 1, inflows: [fa]}
  b: {initial: 1, inflows: [fb]}
  c: {initial: 1, outflows: [fc]}
flows:
  fa: 0.1 * b
  fb: p1 + p2 - p3
  fc: q1 + q2
auxiliaries:
  p1: 0.1 * a
  p2: 0.2 * a
  p3: 0.01 * a
  q1: 0.1 * c
  q2: 0.2 * c
`)
	g, err := loops.NewGraph(m)
	if err != nil {
		t.Fatal(err)
	}
	found, err := g.Loops(0)
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for _, gr := range g.Groups(found) {
		var ids []string
		for _, l := range gr.Loops {
			ids = append(ids, l.Kind.String()+" "+strings.Join(l.Variables, ">"))
		}
		got = append(got, ids)
	}
	want := [][]string{
		{"R a>p1>fb>b>fa", "R a>p2>fb>b>fa"},
		{"B c>q1>fc"},
		{"B c>q2>fc"},
		{"B a>p3>fb>b>fa"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Groups() mismatch (-want +got):\n%s", diff)
	}
}

// TestDecideRanges: the ranges of a run decide links through
// sub-expressions that no variable names (interval arithmetic) and through
// lookups that rise only over the stretch the run visits.
func TestDecideRanges(t *testing.T) {
	tests := []struct {
		name, src string
		want      loops.Kind
	}{
		{"factor positive below the capacity", `
time: {stop: 20, dt: 0.25}
stocks:
  s: {initial: 10, inflows: [fs], non_negative: true}
  a: {initial: 1, inflows: [fa]}
flows:
  fs: 0.3 * s * (1 - s / 1000)
  fa: 0.01 * a * (1 - s / 1000)
`, loops.Reinforcing},
		{"lookup rising over the visited inputs", `
time: {stop: 10, dt: 0.25}
stocks:
  a: {initial: 0.1, inflows: [fa]}
flows:
  fa: 0.01 * bumpy(a)
lookups:
  bumpy: {points: [[0, 0], [1, 2], [2, 1]]}
`, loops.Reinforcing},
		{"lookup falling over the visited inputs", `
time: {stop: 10, dt: 0.25}
stocks:
  a: {initial: 1.5, inflows: [fa]}
flows:
  fa: 0.01 * bumpy(a)
lookups:
  bumpy: {points: [[0, 0], [1, 2], [2, 1]]}
`, loops.Balancing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := parseModel(t, tt.src)
			g, err := loops.NewGraph(m)
			if err != nil {
				t.Fatal(err)
			}
			found, err := g.Loops(0)
			if err != nil {
				t.Fatal(err)
			}
			var target *loops.Loop
			for _, l := range found {
				if strings.Join(l.Variables, " ") == "a fa" {
					target = l
				}
			}
			if target == nil || target.Kind != loops.Undetermined {
				t.Fatalf("the loop a -> fa from the structure: %+v, want undetermined", target)
			}
			p, err := sim.Compile(m)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := g.Decide(p, sim.Scenario{}, found); err != nil {
				t.Fatal(err)
			}
			if target.Kind != tt.want || target.Evidence != loops.FromRanges {
				t.Errorf("a -> fa is %s from %s, want %s from ranges", target.Kind, target.Evidence, tt.want)
			}
		})
	}
}
