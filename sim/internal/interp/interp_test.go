package interp

import (
	"math"
	"testing"
)

func TestInterp(t *testing.T) {
	xs, ys := []float64{0, 1, 3}, []float64{10, 20, 0}
	tests := []struct {
		name                     string
		x                        float64
		linear, extrap, stepwise float64
	}{
		{"below", -1, 10, 0, 10},
		{"first point", 0, 10, 10, 10},
		{"between", 0.25, 12.5, 12.5, 10},
		{"a point", 1, 20, 20, 20},
		{"falling", 2, 10, 10, 20},
		{"last point", 3, 0, 0, 0},
		{"above", 5, 0, -20, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range []struct {
				f    func(xs, ys []float64, x float64) float64
				name string
				want float64
			}{{Linear, "Linear", tt.linear}, {Extrapolate, "Extrapolate", tt.extrap}, {Step, "Step", tt.stepwise}} {
				if got := c.f(xs, ys, tt.x); math.Abs(got-c.want) > 1e-12 {
					t.Errorf("%s(%g) = %g, want %g", c.name, tt.x, got, c.want)
				}
			}
		})
	}
	for _, f := range []func(xs, ys []float64, x float64) float64{Linear, Extrapolate, Step} {
		if got := f(xs, ys, math.NaN()); !math.IsNaN(got) {
			t.Errorf("at NaN: %g, want NaN", got)
		}
		if got := f(nil, nil, 1); !math.IsNaN(got) {
			t.Errorf("no points: %g, want NaN", got)
		}
		if got := f([]float64{2}, []float64{7}, 9); got != 7 {
			t.Errorf("one point: %g, want 7", got)
		}
	}
	if !Within(xs, 3) || Within(xs, 3.5) || Within(xs, math.NaN()) || Within(nil, 0) {
		t.Error("Within is wrong at an end, beyond it, at NaN or without points")
	}
}
