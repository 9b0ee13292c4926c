package chart

import (
	"math"
	"testing"
)

// TestLayoutCLD: no two variables' boxes overlap, and no loop marker
// covers a variable, in a diagram of two loops joined at a variable and a
// third loop apart.
func TestLayoutCLD(t *testing.T) {
	d := CLD{
		Nodes: []CLDNode{{Name: "births"}, {Name: "population", Stock: true}, {Name: "room"}, {Name: "deaths"}, {Name: "heat_loss"}, {Name: "teacup_temperature", Stock: true}},
		Links: []CLDLink{{0, 1, "+"}, {1, 0, "+"}, {1, 2, "-"}, {2, 0, "+"}, {1, 3, "+"}, {3, 1, "-"}, {4, 5, "-"}, {5, 4, "+"}},
		Loops: []CLDLoop{{"growth", "R", []int{0, 1}}, {"crowding", "B", []int{0, 1, 2}}, {"deaths", "B", []int{1, 3}}, {"cooling", "B", []int{4, 5}}},
	}
	lay := layoutCLD(d)
	for i := range lay.pos {
		for j := i + 1; j < len(lay.pos); j++ {
			if math.Abs(float64(lay.pos[i].X-lay.pos[j].X)) < float64(lay.size[i].X+lay.size[j].X) &&
				math.Abs(float64(lay.pos[i].Y-lay.pos[j].Y)) < float64(lay.size[i].Y+lay.size[j].Y) {
				t.Errorf("%s and %s overlap: %v %v", d.Nodes[i].Name, d.Nodes[j].Name, lay.pos[i], lay.pos[j])
			}
		}
	}
	for k, m := range lay.markers {
		for i, p := range lay.pos {
			if math.Abs(float64(m.X-p.X)) < float64(lay.size[i].X)+cldMarkerR && math.Abs(float64(m.Y-p.Y)) < float64(lay.size[i].Y)+cldMarkerR {
				t.Errorf("the marker of %s covers %s", d.Loops[k].Label, d.Nodes[i].Name)
			}
		}
	}
	// The loop apart is beside the others, not on them.
	if lay.pos[4].X < lay.pos[1].X && lay.pos[5].X < lay.pos[1].X {
		t.Errorf("the cooling loop (at %v, %v) is not to the right of the population loops (%v)", lay.pos[4], lay.pos[5], lay.pos[1])
	}
}
