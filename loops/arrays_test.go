package loops_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/sim"
)

// TestArrayLoops checks that the causal graph of an arrayed model is over
// its elements: each segment's churn loop is a loop of its own, and a loop
// through an element does not pass through another's. The three are
// copies of one loop, numbered alike.
func TestArrayLoops(t *testing.T) {
	m := loadModel(t, "../testdata/arrays/segments.yaml")
	g, err := loops.NewGraph(m)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := g.Loops(0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range ls {
		got = append(got, l.ID+" "+strings.Join(l.Variables, " -> "))
	}
	want := []string{
		"B1[enterprise] churn[enterprise] -> customers[enterprise]",
		"B1[mid_market] churn[mid_market] -> customers[mid_market]",
		"B1[smb] churn[smb] -> customers[smb]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Loops() mismatch (-want +got):\n%s", diff)
	}
	for _, l := range ls {
		if diff := cmp.Diff([]string{"segment"}, l.Dims); diff != "" {
			t.Errorf("%s: Dims mismatch (-want +got):\n%s", l.ID, diff)
		}
	}
}

// TestArrayFamilies: loops that are the same for every element of a
// dimension (the same variables and polarities, each at the element) are
// shown once with the dimension, R1[segment]; copies through some of the
// elements only name those (a subrange that has exactly them, or the
// elements); loops through two elements of a dimension, and copies whose
// polarities differ, are not copies.
func TestArrayFamilies(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // each group: label, kind, loops, variables
	}{
		{"every element", `
time: {stop: 10}
dimensions:
  segment: [smb, mid_market, enterprise]
stocks:
  customers: {dims: [segment], initial: 100, inflows: [wins], outflows: [churn]}
flows:
  wins: {dims: [segment], equation: 0.1 * customers}
  churn: {dims: [segment], equation: 0.05 * customers}
`, []string{
			"R1[segment] R 3 customers[segment] -> wins[segment]",
			"B1[segment] B 3 churn[segment] -> customers[segment]",
		}},
		{"a subrange of the elements", `
time: {stop: 10}
dimensions:
  segment: [smb, mid_market, enterprise]
  large: {of: segment, elements: [mid_market, enterprise]}
stocks:
  customers: {dims: [segment], initial: 100, outflows: [churn]}
flows:
  churn:
    dims: [segment]
    elements: {smb: 5, mid_market: 0.02 * customers, enterprise: 0.01 * customers}
`, []string{
			"B1[large] B 2 churn[large] -> customers[large]",
		}},
		{"two elements and not a subrange", `
time: {stop: 10}
dimensions:
  segment: [smb, mid_market, enterprise]
stocks:
  customers: {dims: [segment], initial: 100, outflows: [churn]}
flows:
  churn:
    dims: [segment]
    elements: {smb: 0.04 * customers, mid_market: 5, enterprise: 0.01 * customers}
`, []string{
			"B1[smb|enterprise] B 2 churn[smb|enterprise] -> customers[smb|enterprise]",
		}},
		{"two dimensions", `
time: {stop: 10}
dimensions:
  segment: [smb, enterprise]
  region: [north, south]
stocks:
  customers: {dims: [segment, region], initial: 100, outflows: [churn]}
flows:
  churn: {dims: [segment, region], equation: 0.05 * customers}
`, []string{
			"B1[segment,region] B 4 churn[segment,region] -> customers[segment,region]",
		}},
		{"one dimension of two", `
time: {stop: 10}
dimensions:
  segment: [smb, enterprise]
  region: [north, south]
stocks:
  customers: {dims: [segment, region], initial: 100, outflows: [churn]}
flows:
  churn: {dims: [segment, region], equation: "0.05 * customers[segment, north] + 0.05 * customers[segment, south]"}
`, []string{
			"R1[segment] R 2 churn[segment,north] -> customers[segment,north] -> churn[segment,south] -> customers[segment,south]",
			"B1[segment,region] B 4 churn[segment,region] -> customers[segment,region]",
		}},
		{"crossing elements and opposite polarities", `
time: {stop: 10}
dimensions:
  segment: [smb, enterprise]
stocks:
  customers: {dims: [segment], initial: 100, inflows: [wins], outflows: [churn]}
flows:
  wins:
    dims: [segment]
    elements: {smb: "0.1 * customers[enterprise]", enterprise: "0.1 * customers[smb]"}
  churn:
    dims: [segment]
    elements: {smb: -0.1 * customers, enterprise: 0.1 * customers}
`, []string{
			"R1 R 1 churn[smb] -> customers[smb]",
			"R2 R 1 customers[enterprise] -> wins[smb] -> customers[smb] -> wins[enterprise]",
			"B1 B 1 churn[enterprise] -> customers[enterprise]",
		}},
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
			var got []string
			for _, gr := range g.Groups(found) {
				got = append(got, gr.Label()+" "+gr.Loop().KindText()+" "+strconv.Itoa(len(gr.Loops))+" "+strings.Join(gr.Variables(), " -> "))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("groups mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestArrayFamiliesRun: the copies of a loop through the elements of the
// customer-success segment model stay together after a run decides their
// polarities, and each keeps its own scores.
func TestArrayFamiliesRun(t *testing.T) {
	g, found, sc := decide(t, "../testdata/arrays/segments.yaml", sim.Scenario{})
	groups := g.Groups(found)
	if len(groups) != 1 || groups[0].Label() != "B1[segment]" || len(groups[0].Loops) != 3 {
		t.Fatalf("groups %v, want one, B1[segment] of 3 loops", groups)
	}
	var names []string
	for _, l := range sc.Loops {
		names = append(names, l.Label())
	}
	if diff := cmp.Diff([]string{"B1[enterprise]", "B1[mid_market]", "B1[smb]"}, names); diff != "" {
		t.Errorf("scored loops mismatch (-want +got):\n%s", diff)
	}
}

// TestArrayImplicitFactors: the factor of an apply-to-all equation that
// the graph shows as a variable is an element of its own
// (share_factor_2[smb]), written as the equation writes it, with the
// variable's dimensions; and its loops are copies through each element.
func TestArrayImplicitFactors(t *testing.T) {
	m := parseModel(t, `
time: {stop: 10}
dimensions:
  segment: [smb, enterprise]
stocks:
  w: {dims: [segment], initial: 1, inflows: [f]}
flows:
  f: {dims: [segment], equation: 0.1 * share}
auxiliaries:
  share: {dims: [segment], equation: "w / SUM(w[*])"}
`)
	g, err := loops.NewGraph(m)
	if err != nil {
		t.Fatal(err)
	}
	want := []loops.Implicit{
		{Name: "share_factor_2[smb]", Of: "share[smb]", Factor: "SUM(w[*])", Dims: []string{"segment"}},
		{Name: "share_factor_2[enterprise]", Of: "share[enterprise]", Factor: "SUM(w[*])", Dims: []string{"segment"}},
	}
	if diff := cmp.Diff(want, g.Implicit()); diff != "" {
		t.Errorf("Implicit() mismatch (-want +got):\n%s", diff)
	}
	found, err := g.Loops(0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, gr := range g.Groups(found) {
		got = append(got, gr.Label()+" "+strings.Join(gr.Variables(), " -> "))
	}
	if len(got) == 0 || got[0] != "R1[segment] f[segment] -> w[segment] -> share[segment]" {
		t.Errorf("groups %q, want R1[segment] f[segment] -> w[segment] -> share[segment] first", got)
	}
}
