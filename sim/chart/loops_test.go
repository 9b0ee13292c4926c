package chart_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/sim/chart"
)

func TestLoopScoresOf(t *testing.T) {
	nan := math.NaN()
	sc := &loops.Scores{
		Times: []float64{0, 1, 2},
		Loops: []*loops.Loop{{ID: "R1", Name: "growth"}, {ID: "B1"}, {ID: "U1"}, {ID: "U2"}},
		Relative: [][]float64{
			{nan, 0.5, 0.1},
			{nan, -0.2, -0.8},
			{nan, 0.2, -0.05},
			{nan, -0.1, 0.05},
		},
	}
	// Every loop fits.
	got := chart.LoopScoresOf(sc, 4)
	want := chart.LoopScores{Times: sc.Times, Names: []string{"growth", "B1", "U1", "U2"}, Values: sc.Relative}
	opt := cmp.Options{cmpopts.EquateNaNs(), cmpopts.EquateApprox(0, 1e-12)}
	if diff := cmp.Diff(want, got, opt); diff != "" {
		t.Errorf("LoopScoresOf(4) mismatch (-want +got):\n%s", diff)
	}
	// Room for three series: the loop with the highest peak, and the rest
	// summed by sign at each time, so that the stacks keep their heights.
	want = chart.LoopScores{
		Times: sc.Times,
		Names: []string{"B1", "other loops, reinforcing", "other loops, balancing"},
		Values: [][]float64{
			sc.Relative[1],
			{nan, 0.5 + 0.2, 0.1 + 0.05},
			{nan, -0.1, -0.05},
		},
		Others: 2,
	}
	got = chart.LoopScoresOf(sc, 3)
	if diff := cmp.Diff(want, got, opt); diff != "" {
		t.Errorf("LoopScoresOf(3) mismatch (-want +got):\n%s", diff)
	}
}
