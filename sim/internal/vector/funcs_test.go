package vector

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// allocations returns every requester's allocation by f, whose arguments
// start with the requester's position.
func allocations(f func([]float64) float64, k int, args ...float64) []float64 {
	out := make([]float64, k)
	for p := range out {
		out[p] = f(append([]float64{float64(p)}, args...))
	}
	return out
}

func TestAllocByPriority(t *testing.T) {
	approx := cmpopts.EquateApprox(0, 1e-12)
	tests := []struct {
		name          string
		width, supply float64
		req, pri      []float64
		want          []float64
	}{
		// Rectangles of width 3 centred on the priorities: at the level
		// 2.1, requester 0 (5 ± 1.5) is above it, 1 (3 ± 1.5) gets
		// (4.5 − 2.1)/3 of 1, 3 (1.5 ± 1.5) gets (3 − 2.1)/3 of 4; the
		// suite's allocate_by_priority case, allocation2D[B, *] at time 0.
		{"shared", 3, 10, []float64{8, 1, 3, 4, 0}, []float64{5, 3, 0, 1.5, 4}, []float64{8, 0.8, 0, 1.2, 0}},
		{"enough for all", 3, 100, []float64{8, 1, 3}, []float64{5, 3, 0}, []float64{8, 1, 3}},
		{"nothing", 3, 0, []float64{8, 1, 3}, []float64{5, 3, 0}, []float64{0, 0, 0}},
		{"highest first", 3, 0.25, []float64{10, 6, 3}, []float64{2, 4, 3}, []float64{0, 0.25, 0}},
	}
	for _, tt := range tests {
		args := append(append([]float64{tt.width, tt.supply}, tt.req...), tt.pri...)
		got := allocations(AllocByPriority, len(tt.req), args...)
		if diff := cmp.Diff(tt.want, got, approx); diff != "" {
			t.Errorf("%s: AllocByPriority mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestAllocAvailable(t *testing.T) {
	req := []float64{500, 300, 750}
	profiles := func(ptype float64, widths ...float64) []float64 {
		pri := []float64{5, 7, 3}
		var out []float64
		for i := range pri {
			out = append(out, ptype, pri[i], widths[i], 0)
		}
		return out
	}
	tests := []struct {
		name   string
		supply float64
		pp     []float64
		want   []float64 // nil: only check that the allocations add up
	}{
		// Rectangular, full width: at the level 5.9538 (325x = 1935),
		// Boston gets 500(6 − x)/2 and Dayton 300(9 − x)/4; Vensim's
		// output in the suite's allocate_available case at time 12.
		{"rectangular", 240, profiles(1, 2, 4, 4), []float64{500 * (6 - 1935.0/325) / 2, 300 * (9 - 1935.0/325) / 4, 0}},
		{"triangular", 320, profiles(2, 2, 4, 4), nil},
		{"normal", 400, profiles(3, 1, 2, 2), nil},
		{"exponential", 400, profiles(4, 1, 2, 2), nil},
		{"all", 2000, profiles(3, 1, 2, 2), req},
	}
	for _, tt := range tests {
		args := append(append([]float64{tt.supply}, req...), tt.pp...)
		got := allocations(AllocAvailable, len(req), args...)
		sum := 0.0
		for _, x := range got {
			sum += x
		}
		if math.Abs(sum-math.Min(tt.supply, 1550)) > 1e-9 {
			t.Errorf("%s: allocations %v add up to %g, want %g", tt.name, got, sum, tt.supply)
		}
		if tt.want != nil {
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("%s: AllocAvailable mismatch (-want +got):\n%s", tt.name, diff)
			}
		}
	}
	// A profile type stockflow does not have gives NaN (an error at the
	// call unless non-finite values are allowed).
	args := append(append([]float64{0, 100}, req...), profiles(5, 1, 1, 1)...)
	if got := AllocAvailable(args); !math.IsNaN(got) {
		t.Errorf("AllocAvailable with ptype 5 = %g, want NaN", got)
	}
}

func TestInvertMatrix(t *testing.T) {
	tests := []struct {
		name string
		a    []float64
		want []float64
	}{
		// The suite's invert_matrix case: [[4, 7], [2, 6]] has the inverse
		// [[0.6, −0.7], [−0.2, 0.4]].
		{"2×2", []float64{4, 7, 2, 6}, []float64{0.6, -0.7, -0.2, 0.4}},
		// Needs a row swap: the first pivot is 0. (A·A⁻¹ = I by hand.)
		{"3×3", []float64{0, 1, 1, 3, 0, 2, 2, 0, -2}, []float64{0, 0.2, 0.2, 1, -0.2, 0.3, 0, 0.2, -0.3}},
		{"singular", []float64{1, 2, 2, 4}, []float64{math.NaN(), math.NaN(), math.NaN(), math.NaN()}},
	}
	for _, tt := range tests {
		n := int(math.Sqrt(float64(len(tt.a))))
		var got []float64
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				got = append(got, InvertMatrix(append([]float64{float64(i), float64(j), float64(n)}, tt.a...)))
			}
		}
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-12), cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("%s: InvertMatrix mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestVectorRank(t *testing.T) {
	// The suite's vector_order case at time 0: revenues −25, 18, 27, −2, 2
	// rank 1, 4, 5, 2, 3 ascending and 5, 2, 1, 4, 3 descending.
	a := []float64{-25, 18, 27, -2, 2}
	for _, tt := range []struct {
		dir  float64
		want []float64
	}{{1, []float64{1, 4, 5, 2, 3}}, {0, []float64{5, 2, 1, 4, 3}}} {
		got := allocations(VectorRank, len(a), append([]float64{tt.dir}, a...)...)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("VectorRank(direction %g) mismatch (-want +got):\n%s", tt.dir, diff)
		}
	}
	// Ties keep their order.
	if got := allocations(VectorRank, 3, 1, 5, 5, 1); !cmp.Equal(got, []float64{2, 3, 1}) {
		t.Errorf("VectorRank of ties = %v, want [2 3 1]", got)
	}
}
