package loops_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stockflow/stockflow/loops"
)

// TestArrayLoops checks that the causal graph of an arrayed model is over
// its elements: each segment's churn loop is a loop of its own, and a loop
// through an element does not pass through another's.
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
		"B1 churn[enterprise] -> customers[enterprise]",
		"B2 churn[mid_market] -> customers[mid_market]",
		"B3 churn[smb] -> customers[smb]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Loops() mismatch (-want +got):\n%s", diff)
	}
}
