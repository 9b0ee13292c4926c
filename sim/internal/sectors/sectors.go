// Package sectors generates the benchmark model of many coupled sectors
// that the engine's speed is measured on, and runs the same model written
// by hand in Go, the baseline the engine is compared with.
package sectors

import (
	"fmt"
	"math"
	"strings"
)

// Source returns the YAML of a model of n sectors (n ≥ 1) of eight
// variables each — two stocks, three flows, three auxiliaries, one of them
// a constant — and one seasonal wave for all, run for the given number of
// Euler steps of dt 0.01. Each sector's demand reads its neighbour's
// backlog, so the sectors are one system.
func Source(n, steps int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "time: {start: 0, stop: %g, dt: 0.01, method: euler}\nstocks:\n", float64(steps)/100)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  s%d: {initial: %d, inflows: [g%d], outflows: [d%d]}\n", i, 100+i, i, i)
		fmt.Fprintf(&b, "  q%d: {initial: 10, inflows: [d%d], outflows: [x%d]}\n", i, i, i)
	}
	b.WriteString("flows:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  g%d: r%d * s%d * (1 - s%d / cap%d)\n", i, i, i, i, i)
		fmt.Fprintf(&b, "  d%d: MIN(s%d / 4, demand%d)\n", i, i, i)
		fmt.Fprintf(&b, "  x%d: q%d / 5\n", i, i)
	}
	b.WriteString("auxiliaries:\n  wave: 20 * (1 + 0.1 * SIN(TIME / 10))\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  demand%d: wave + 0.01 * q%d\n", i, (i+n-1)%n)
		fmt.Fprintf(&b, "  r%d: 0.05 * q%d / (q%d + 10)\n", i, i, i)
		fmt.Fprintf(&b, "  cap%d: %d\n", i, 1000+i)
	}
	return b.String()
}

// Hand runs the model of Source by hand, as a Go programmer would write
// it, and returns s0 at each step.
func Hand(n, steps int) []float64 {
	out := make([]float64, 0, steps+1)
	Run(n, steps, func(_, s0 float64) { out = append(out, s0) })
	return out
}

// Run runs the model of Source by hand, as a Go programmer would write it,
// calling emit with the time and s0 at each step. The command in
// sim/internal/sectors/hand writes that as CSV: the baseline the generated
// program is measured against.
func Run(n, steps int, emit func(t, s0 float64)) {
	s, q := make([]float64, n), make([]float64, n)
	g, d, x := make([]float64, n), make([]float64, n), make([]float64, n)
	demand, r, capacity := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range s {
		s[i], q[i], capacity[i] = float64(100+i), 10, float64(1000+i)
	}
	const dt = 0.01
	for step := 0; ; step++ {
		t := float64(step) * dt
		wave := 20 * (1 + 0.1*math.Sin(t/10))
		for i := 0; i < n; i++ {
			demand[i] = wave + 0.01*q[(i+n-1)%n]
			r[i] = 0.05 * q[i] / (q[i] + 10)
			g[i] = r[i] * s[i] * (1 - s[i]/capacity[i])
			d[i] = math.Min(s[i]/4, demand[i])
			x[i] = q[i] / 5
		}
		emit(t, s[0])
		if step == steps {
			return
		}
		for i := 0; i < n; i++ {
			s[i] += dt * (g[i] - d[i])
			q[i] += dt * (d[i] - x[i])
		}
	}
}
