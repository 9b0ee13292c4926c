package sim

import (
	"slices"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim/internal/interp"
)

// table is a lookup ready to evaluate.
type table struct {
	x, y []float64
	mode model.LookupMode
}

// newTable copies the lookup's points, so that a program (or a run) does
// not change when the model or scenario it was made from does.
func newTable(l *model.Lookup) *table {
	return &table{x: slices.Clone(l.X), y: slices.Clone(l.Y), mode: l.Mode}
}

// at evaluates the lookup at x.
func (t *table) at(x float64) float64 {
	switch t.mode {
	case model.Extrapolate:
		return interp.Extrapolate(t.x, t.y, x)
	case model.Discrete:
		return interp.Step(t.x, t.y, x)
	}
	return interp.Linear(t.x, t.y, x)
}
