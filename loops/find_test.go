package loops_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
)

func loadModel(t testing.TB, path string) *model.Model {
	t.Helper()
	m, err := model.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func parseModel(t testing.TB, src string) *model.Model {
	t.Helper()
	m, err := model.Load("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func findLoops(t testing.TB, m *model.Model, limit int) []*loops.Loop {
	t.Helper()
	g, err := loops.NewGraph(m)
	if err != nil {
		t.Fatal(err)
	}
	found, err := g.Loops(limit)
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// describe writes each loop as "label partition: a +> b -> ...", the
// polarity of each link after its cause.
func describe(ls []*loops.Loop) []string {
	var out []string
	for _, l := range ls {
		var b strings.Builder
		fmt.Fprintf(&b, "%s %d:", l.Label(), l.Partition)
		for i, v := range l.Variables {
			fmt.Fprintf(&b, " %s %s>", v, l.Links[i])
		}
		out = append(out, b.String())
	}
	return out
}

// The loops of these models are known by hand; their polarities follow
// from the equations and from which stocks are known never to go below
// zero.
func TestLoopsKnownModels(t *testing.T) {
	nonNegative := func(names ...string) func(*model.Model) {
		return func(m *model.Model) {
			for _, n := range names {
				m.Var(n).NonNegative = true
			}
		}
	}
	tests := []struct {
		name, file string
		change     func(*model.Model)
		want       []string
	}{{
		// Growth (R) and crowding (B); the names come from the file.
		name: "logistic",
		file: "../testdata/loops/logistic.yaml",
		want: []string{
			"growth 1: births +> population +>",
			"crowding 1: births +> population -> room +>",
		},
	}, {
		// One flow, r·P·(1 − P/K): P is read by a factor that rises
		// with it and one that falls, so the second is a variable of
		// its own and there are two loops; nothing in the structure
		// shows that P and 1 − P/K stay positive (a run does).
		name: "logistic with one equation",
		file: "../testdata/models/logistic.yaml",
		want: []string{"U1 1: net_births +> population ?>", "U2 1: net_births +> population -> net_births_factor_3 ?>"},
	}, {
		// Word of mouth (R), saturation (B) and advertising (B).
		// potential_adopters has an outflow, so nothing shows that it
		// stays positive, and every link that multiplies by it is
		// unknown: only the advertising loop is decided.
		name: "Bass",
		file: "../testdata/models/bass.yaml",
		want: []string{
			"B1 1: adoption_from_advertising +> adoption_rate -> potential_adopters +>",
			"U1 1: adopters ?> adoption_from_word_of_mouth +> adoption_rate +>",
			"U2 1: adoption_from_word_of_mouth +> adoption_rate -> potential_adopters ?>",
		},
	}, {
		// Declared non_negative, potential_adopters makes adoption
		// non-negative, so adopters (filled by it alone) stay
		// non-negative too, and every loop is decided.
		name:   "Bass, non-negative",
		file:   "../testdata/models/bass.yaml",
		change: nonNegative("potential_adopters"),
		want: []string{
			"R1 1: adopters +> adoption_from_word_of_mouth +> adoption_rate +>",
			"B1 1: adoption_from_advertising +> adoption_rate -> potential_adopters +>",
			"B2 1: adoption_from_word_of_mouth +> adoption_rate -> potential_adopters +>",
		},
	}, {
		// Hare births (R), lynx deaths (B), and three loops through
		// products of the two populations, whose signs are not known.
		name: "predator-prey",
		file: "../testdata/models/predator_prey.yaml",
		want: []string{
			"R1 1: hare_births +> hares +>",
			"B1 1: lynx_deaths -> lynxes +>",
			"U1 1: hare_deaths -> hares ?>",
			"U2 1: lynx_births +> lynxes ?>",
			"U3 1: hare_deaths -> hares ?> lynx_births +> lynxes ?>",
		},
	}, {
		name:   "predator-prey, non-negative",
		file:   "../testdata/models/predator_prey.yaml",
		change: nonNegative("hares", "lynxes"),
		want: []string{
			"R1 1: hare_births +> hares +>",
			"R2 1: lynx_births +> lynxes +>",
			"B1 1: hare_deaths -> hares +>",
			"B2 1: lynx_deaths -> lynxes +>",
			"B3 1: hare_deaths -> hares +> lynx_births +> lynxes +>",
		},
	}, {
		// Population growth (R) and crowding deaths (B) in one
		// partition, the cooling tea (B) in another.
		name: "two partitions",
		file: "../testdata/loops/two_partitions.yaml",
		want: []string{
			"R1 1: births +> population +>",
			"B1 1: deaths -> population +>",
			"B2 2: heat_loss -> teacup_temperature +>",
		},
	}, {
		// The loop through SMTH1 is one loop of the model; the loop
		// written out has the smoothing stage's own loop besides.
		name: "smooth",
		file: "../testdata/loops/smooth.yaml",
		want: []string{
			"B1 1: perceived_level2 -> perceiving +>",
			"B2 2: level +> perceived +> use ->",
			"B3 1: level2 +> perceiving +> perceived_level2 +> perceived2 +> use2 ->",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := loadModel(t, tt.file)
			if tt.change != nil {
				tt.change(m)
			}
			got := describe(findLoops(t, m, 0))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Loops() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// completeSrc is a model of n stocks, each filled by a flow that reads
// every stock: its stock-to-stock graph is complete, with self loops.
func completeSrc(n int) string {
	var b strings.Builder
	b.WriteString("time: {stop: 1}\nstocks:\n")
	var all []string
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  s%d: {initial: 1, inflows: [f%d]}\n", i, i)
		all = append(all, fmt.Sprintf("s%d", i))
	}
	b.WriteString("flows:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  f%d: %s\n", i, strings.Join(all, " + "))
	}
	return b.String()
}

func TestLoopsLimit(t *testing.T) {
	// Six stocks, each reaching every other through a flow: the loops
	// are the cycles of the complete graph on six vertices with self
	// loops, Σ C(6,k)·(k−1)! = 6 + 15 + 40 + 90 + 144 + 120 = 415.
	m := parseModel(t, completeSrc(6))
	g, err := loops.NewGraph(m)
	if err != nil {
		t.Fatal(err)
	}
	found, err := g.Loops(0)
	if err != nil || len(found) != 415 {
		t.Fatalf("Loops(0): %d loops, %v; want 415", len(found), err)
	}
	for _, l := range found {
		if l.Kind != loops.Reinforcing || l.Partition != 1 {
			t.Fatalf("loop %v: kind %v, partition %d", l, l.Kind, l.Partition)
		}
	}
	if found[0].ID != "R1" || found[414].ID != "R415" {
		t.Errorf("IDs run from %s to %s", found[0].ID, found[414].ID)
	}
	if _, err := g.Loops(415); err != nil {
		t.Errorf("Loops(415): %v", err)
	}
	found, err = g.Loops(100)
	var le *loops.LimitError
	if !errors.As(err, &le) || le.Limit != 100 || !errors.Is(err, loops.ErrLimit) || found != nil {
		t.Fatalf("Loops(100) = %d loops, %v; want a *LimitError", len(found), err)
	}
	if want := "loops: the model has more than 100 feedback loops (raise the limit to list them all)"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

func TestNamedLoops(t *testing.T) {
	const base = `
time: {stop: 1}
stocks:
  a: {initial: 1, inflows: [f]}
  b: {initial: 1, inflows: [h]}
flows:
  f: a + b
  h: a + b
`
	tests := []struct {
		name, loops string
		want        []string // labels
		err         string
	}{
		{"rotation", "loops: {mine: [f, a]}", []string{"mine", "R2", "R3"}, ""},
		{"set", "loops: {mine: [b, a, h, f]}", []string{"R1", "R2", "mine"}, ""},
		{"unmatched", "loops: {mine: [a, b]}", nil,
			`test.yaml:9:9: loop "mine" (a -> b) is not a feedback loop of the model`},
		{"twice", "loops: {one: [a, f], two: [f, a]}", nil,
			`test.yaml:9:22: loop "two" is the same loop as "one" (a -> f)`},
		{"every error", "loops:\n  one: [a, b]\n  two: [b, a]", nil,
			`test.yaml:10:3: loop "one" (a -> b) is not a feedback loop of the model (and 1 more error)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := parseModel(t, base+tt.loops)
			g, err := loops.NewGraph(m)
			if err != nil {
				t.Fatal(err)
			}
			found, err := g.Loops(0)
			if tt.err != "" {
				var list model.ErrorList
				if err == nil || err.Error() != tt.err || !errors.As(err, &list) {
					t.Fatalf("error %v, want %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range found {
				got = append(got, l.Label())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("labels mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoopsDeterministic permutes the order of a model's variables, which
// changes the order of every map and slice built from them, and checks
// that the loops come out the same.
func TestLoopsDeterministic(t *testing.T) {
	m := loadModel(t, "../examples/customersuccess/model.yaml")
	want := describe(findLoops(t, m, 0))
	r := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 10; i++ {
		r.Shuffle(len(m.Vars), func(i, j int) { m.Vars[i], m.Vars[j] = m.Vars[j], m.Vars[i] })
		got := describe(findLoops(t, m, 0))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("shuffle %d: Loops() mismatch (-want +got):\n%s", i, diff)
		}
	}
}

func TestGraphLinks(t *testing.T) {
	m := parseModel(t, `
time: {stop: 1}
stocks:
  s: {initial: k * 2, outflows: [out]}
flows:
  out: s / tau
auxiliaries:
  k: 3
  tau: 2
  watch: SMTH1(out, tau) + s
`)
	g, err := loops.NewGraph(m)
	if err != nil {
		t.Fatal(err)
	}
	// No link from k: a stock's initial value is not a causal link. The
	// sign of s is not known (it has an outflow), so neither is how tau
	// moves out = s/tau.
	want := []loops.Link{
		{From: "out", To: "s", Polarity: loops.Negative, Flow: true},
		{From: "out", To: "watch", Polarity: loops.Positive},
		{From: "s", To: "out", Polarity: loops.Positive},
		{From: "s", To: "watch", Polarity: loops.Positive},
		{From: "tau", To: "out", Polarity: loops.Unknown},
		{From: "tau", To: "watch", Polarity: loops.Unknown},
	}
	if diff := cmp.Diff(want, g.Links()); diff != "" {
		t.Errorf("Links() mismatch (-want +got):\n%s", diff)
	}
	if l, err := g.Link("K", "s"); !errors.Is(err, loops.ErrNoLink) {
		t.Errorf("Link(K, s) = %v, %v; want an error wrapping ErrNoLink", l, err)
	}
	if l, err := g.Link("S", "Out"); err != nil || l.From != "s" {
		t.Errorf("Link(S, Out) = %v, %v", l, err)
	}
	for _, tt := range []struct{ from, to, bad, hint string }{
		{"S", "ouut", "ouut", "out"},
		{"wach", "s", "wach", "watch"},
		{"nothing_like_it", "s", "nothing_like_it", ""},
	} {
		_, err := g.Link(tt.from, tt.to)
		var ne *model.NameError
		if !errors.As(err, &ne) || ne.Name != tt.bad || ne.Closest != tt.hint || errors.Is(err, loops.ErrNoLink) {
			t.Errorf("Link(%s, %s) error = %v, want a *model.NameError naming %q with the hint %q", tt.from, tt.to, err, tt.bad, tt.hint)
		}
	}
}

func TestGraphInlineLookups(t *testing.T) {
	m := parseModel(t, `
time: {stop: 1}
auxiliaries:
  x: TIME
  y: TIME * 2
  effect: {equation: x, lookup: {points: [[0, 1], [1, 0]]}}
  z: LOOKUP(effect, y)
  w: effect(y) + effect
`)
	g, err := loops.NewGraph(m)
	if err != nil {
		t.Fatal(err)
	}
	// LOOKUP's first argument and a call effect(y) use effect's table,
	// not its value: only w's plain reference is a link from effect.
	want := []loops.Link{
		{From: "effect", To: "w", Polarity: loops.Positive},
		{From: "x", To: "effect", Polarity: loops.Negative},
		{From: "y", To: "w", Polarity: loops.Negative},
		{From: "y", To: "z", Polarity: loops.Negative},
	}
	if diff := cmp.Diff(want, g.Links()); diff != "" {
		t.Errorf("Links() mismatch (-want +got):\n%s", diff)
	}
}

// A model built by a program may give equations as text only.
func TestGraphOfTextEquations(t *testing.T) {
	m := &model.Model{
		Time: model.Time{Stop: 1, DT: 1},
		Vars: []*model.Variable{
			{Kind: model.Stock, Name: "s", Equation: model.Equation{Text: "1"}, Outflows: []string{"f"}},
			{Kind: model.Flow, Name: "f", Equation: model.Equation{Text: "s / 2"}},
		},
	}
	g, err := loops.NewGraph(m)
	if err != nil {
		t.Fatal(err)
	}
	found, err := g.Loops(0)
	if err != nil || len(found) != 1 || found[0].String() != "B1: f -> s" {
		t.Fatalf("Loops() = %v, %v", found, err)
	}
	if m.Vars[1].Equation.Expr != nil || g.Model() != m {
		t.Error("NewGraph changed the model")
	}
	m.Vars[1].Equation.Text = "s +"
	if _, err := loops.NewGraph(m); err == nil {
		t.Error("NewGraph of a bad equation succeeded")
	}
}
