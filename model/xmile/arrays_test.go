package xmile_test

import (
	"bytes"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/xmile"
	"github.com/stockflow/stockflow/sim"
)

// TestWriteArrays writes arrayed models as XMILE and reads them back: the
// dimensions (named, numbered, subranges, mappings), the dims and
// per-element equations of variables, per-element graphical functions
// and arrayed lookups survive, and the model runs to the same numbers.
func TestWriteArrays(t *testing.T) {
	src := `
time: {start: 0, stop: 4, dt: 0.5}
dimensions:
  segment: [smb, mid_market, enterprise]
  cohort: 3
  large: {of: segment, elements: [mid_market, enterprise]}
  region: {elements: [north, south, east], maps_to: [segment]}
stocks:
  customers: {dims: [segment], initial: 100, inflows: [wins]}
  people: {dims: [cohort, region], initial: "cohort * 10"}
flows:
  wins: {dims: [segment], equation: "share(TIME) * 10 + SUM(people[*, region])"}
auxiliaries:
  share:
    dims: [segment]
    equation: TIME
    elements:
      smb: {lookup: {points: [[0, 1], [4, 2]]}}
      large: {lookup: {points: [[0, 3], [4, 1]]}}
  per_region: {dims: [region], equation: "tbl(TIME) + customers[region]"}
  total: SUM(customers[large]) + SIZE(people)
lookups:
  tbl:
    dims: [region]
    elements:
      north: {points: [[0, 1], [4, 5]]}
      south: {points: [[0, 0], [4, 0]]}
      east: {points: [[0, 0], [4, 1]]}
`
	m, err := model.Load("m.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := xmile.Write(&buf, m); err != nil {
		t.Fatal(err)
	}
	back, err := xmile.Read("m.xmile", &buf)
	if err != nil {
		t.Fatalf("Read: %v\n%s", err, buf.String())
	}
	ignore := cmpopts.IgnoreFields(model.Dimension{}, "Pos", "ElementPos")
	ignoreMap := cmpopts.IgnoreFields(model.DimensionMap{}, "Pos")
	if diff := cmp.Diff(m.Dimensions, back.Dimensions, ignore, ignoreMap, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("dimensions mismatch (-wrote +read):\n%s", diff)
	}
	run := func(m *model.Model) *sim.Result {
		p, err := sim.Compile(m)
		if err != nil {
			t.Fatal(err)
		}
		res, err := p.Run(sim.Scenario{})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a, b := run(m), run(back)
	if diff := cmp.Diff(a.Names, b.Names); diff != "" {
		t.Fatalf("columns mismatch (-wrote +read):\n%s", diff)
	}
	for _, name := range a.Names {
		x, y := must(a.Series(name)), must(b.Series(name))
		for i := range x {
			if math.Abs(x[i]-y[i]) > 1e-12 {
				t.Errorf("%s at row %d: %g written, %g read back", name, i, x[i], y[i])
				break
			}
		}
	}
	// share(TIME) at 0 is 1 for smb and 3 for the large ones; SIZE of
	// people is 9; people[c, r] starts at 10c, so SUM(people[*, r]) is 60.
	if got, want := must(a.Series("wins[smb]"))[0], 1*10+60.0; got != want {
		t.Errorf("wins[smb] at 0 = %g, want %g", got, want)
	}
	if got, want := must(a.Series("wins[enterprise]"))[0], 3*10+60.0; got != want {
		t.Errorf("wins[enterprise] at 0 = %g, want %g", got, want)
	}
	if got, want := must(a.Series("total"))[0], 200+9.0; got != want {
		t.Errorf("total at 0 = %g, want %g", got, want)
	}
	// region maps to segment by position: per_region[south] reads
	// customers[mid_market]; tbl[north] is 1 at 0.
	if got, want := must(a.Series("per_region[north]"))[0], 1+100.0; got != want {
		t.Errorf("per_region[north] at 0 = %g, want %g", got, want)
	}
}
