package chart_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim/chart"
)

// logisticCLD is the diagram of the two-loop logistic model's loops.
func logisticCLD(t *testing.T) chart.CLD {
	t.Helper()
	m, err := model.LoadFile("../../testdata/loops/logistic.yaml")
	if err != nil {
		t.Fatal(err)
	}
	g, err := loops.NewGraph(m)
	if err != nil {
		t.Fatal(err)
	}
	found, err := g.Loops(0)
	if err != nil {
		t.Fatal(err)
	}
	return chart.CLDOf(g, found)
}

func TestCLDOf(t *testing.T) {
	want := chart.CLD{
		Nodes: []chart.CLDNode{{Name: "births"}, {Name: "population", Stock: true}, {Name: "room"}},
		Links: []chart.CLDLink{
			{From: 0, To: 1, Polarity: "+"},
			{From: 1, To: 0, Polarity: "+"},
			{From: 1, To: 2, Polarity: "-"},
			{From: 2, To: 0, Polarity: "+"},
		},
		Loops: []chart.CLDLoop{
			{Label: "growth", Kind: "R", Nodes: []int{0, 1}},
			{Label: "crowding", Kind: "B", Nodes: []int{0, 1, 2}},
		},
	}
	if diff := cmp.Diff(want, logisticCLD(t)); diff != "" {
		t.Errorf("CLDOf() mismatch (-want +got):\n%s", diff)
	}
}

// TestCLDOfArrays: the copies of a loop through each element of an array
// are drawn as one loop through the variables with the dimension; a copy
// chosen alone keeps its element, and a label keeps the element too.
func TestCLDOfArrays(t *testing.T) {
	m, err := model.Load("a.yaml", []byte(`
time: {stop: 10}
dimensions:
  segment: [smb, enterprise]
stocks:
  customers: {dims: [segment], initial: 100, outflows: [churn]}
flows:
  churn: {dims: [segment], equation: 0.05 * customers, label: Churn}
`))
	if err != nil {
		t.Fatal(err)
	}
	g, err := loops.NewGraph(m)
	if err != nil {
		t.Fatal(err)
	}
	found, err := g.Loops(0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		loops []*loops.Loop
		want  chart.CLD
	}{
		{"every element", found, chart.CLD{
			Nodes: []chart.CLDNode{{Name: "churn[segment]", Label: "Churn[segment]"}, {Name: "customers[segment]", Stock: true}},
			Links: []chart.CLDLink{{From: 0, To: 1, Polarity: "-"}, {From: 1, To: 0, Polarity: "+"}},
			Loops: []chart.CLDLoop{{Label: "B1[segment]", Kind: "B", Nodes: []int{0, 1}}},
		}},
		{"one element", found[1:], chart.CLD{
			Nodes: []chart.CLDNode{{Name: "churn[smb]", Label: "Churn[smb]"}, {Name: "customers[smb]", Stock: true}},
			Links: []chart.CLDLink{{From: 0, To: 1, Polarity: "-"}, {From: 1, To: 0, Polarity: "+"}},
			Loops: []chart.CLDLoop{{Label: "B1[smb]", Kind: "B", Nodes: []int{0, 1}}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, chart.CLDOf(g, tt.loops)); diff != "" {
				t.Errorf("CLDOf() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoopDiagramGolden(t *testing.T) {
	c, err := chart.LoopDiagram(logisticCLD(t), chart.Options{Title: "logistic growth", Subtitle: "the model's named loops"})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "cld_logistic", c)
	// The SVG holds every name, sign and marker as text.
	var buf bytes.Buffer
	if err := c.Write(&buf, chart.SVG); err != nil {
		t.Fatal(err)
	}
	svg := buf.String()
	for _, s := range []string{">population<", ">births<", ">room<", ">growth<", ">crowding<", ">R<", ">B<", ">+<", ">−<"} {
		if !strings.Contains(svg, s) {
			t.Errorf("the SVG lacks %q", s)
		}
	}
}

func TestLoopDiagramErrors(t *testing.T) {
	tests := []struct {
		name string
		d    chart.CLD
	}{
		{"no variables", chart.CLD{}},
		{"link to a missing variable", chart.CLD{Nodes: []chart.CLDNode{{Name: "a"}}, Links: []chart.CLDLink{{From: 0, To: 1, Polarity: "+"}}}},
		{"loop through a missing variable", chart.CLD{Nodes: []chart.CLDNode{{Name: "a"}}, Loops: []chart.CLDLoop{{Label: "L", Kind: "R", Nodes: []int{0, 3}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := chart.LoopDiagram(tt.d, chart.Options{})
			if err == nil || c != nil || !strings.HasPrefix(err.Error(), "chart: ") {
				t.Errorf("LoopDiagram() = %v, %v; want an error", c, err)
			}
			var pe *model.ErrorList
			if errors.As(err, &pe) {
				t.Errorf("a diagram error is not a model error: %v", err)
			}
		})
	}
}
