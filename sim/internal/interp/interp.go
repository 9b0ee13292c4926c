// Package interp is the one interpolator of the sim packages: a lookup
// between its points, a result between its saved times (Result.At),
// a calibration's model values at the times of its data and a chart's
// path at a time all read values between points through it.
//
// The points (xs[i], ys[i]) have xs ascending. Between two points the
// value is linear in x, computed as
//
//	ys[i-1] + (x − xs[i-1])·(ys[i] − ys[i-1]) / (xs[i] − xs[i-1])
//
// and at a point it is that point's y exactly. A NaN x gives NaN.
package interp

import (
	"math"
	"sort"
)

// Linear returns the value at x of the line through the points, holding
// the first y below the first x and the last y above the last: a lookup's
// continuous mode. It returns NaN when there are no points.
func Linear(xs, ys []float64, x float64) float64 {
	n := len(xs)
	switch {
	case x != x: // NaN in, NaN out
		return x
	case n == 0:
		return math.NaN()
	case n == 1 || x <= xs[0]:
		return ys[0]
	case x >= xs[n-1]:
		return ys[n-1]
	}
	i := sort.SearchFloat64s(xs, x) // xs[i-1] < x <= xs[i]
	if xs[i] == x {
		return ys[i]
	}
	return ys[i-1] + (x-xs[i-1])*(ys[i]-ys[i-1])/(xs[i]-xs[i-1])
}

// Extrapolate is Linear, but beyond either end it continues the line
// through the two points at that end.
func Extrapolate(xs, ys []float64, x float64) float64 {
	n := len(xs)
	switch {
	case n < 2 || x != x:
		return Linear(xs, ys, x)
	case x < xs[0]:
		return ys[0] + (x-xs[0])*(ys[1]-ys[0])/(xs[1]-xs[0])
	case x > xs[n-1]:
		return ys[n-1] + (x-xs[n-1])*(ys[n-1]-ys[n-2])/(xs[n-1]-xs[n-2])
	}
	return Linear(xs, ys, x)
}

// Step returns the y of the last point at or before x, and the first y
// before the first point: a lookup's discrete mode.
func Step(xs, ys []float64, x float64) float64 {
	n := len(xs)
	switch {
	case x != x:
		return x
	case n == 0:
		return math.NaN()
	case x <= xs[0]:
		return ys[0]
	case x >= xs[n-1]:
		return ys[n-1]
	}
	i := sort.SearchFloat64s(xs, x)
	if xs[i] == x {
		return ys[i]
	}
	return ys[i-1]
}

// Within reports whether x lies within the points' span, xs[0] ≤ x ≤
// xs[n-1], where Linear interpolates rather than holds an end.
func Within(xs []float64, x float64) bool {
	return len(xs) > 0 && xs[0] <= x && x <= xs[len(xs)-1]
}
