package sim_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/sim"
)

// arraySize is the number of elements of the arrayed benchmark model.
const arraySize = 1000

// arrayedSrc is a model of arraySize regions, each a population growing at
// its own rate, and their total, written with one dimension.
func arrayedSrc() string {
	return fmt.Sprintf(`time: {start: 0, stop: 100, dt: 0.25, save_every: 1}
dimensions: {region: %d}
stocks:
  pop: {dims: [region], initial: region, inflows: [births]}
flows:
  births: {dims: [region], equation: pop * rate}
auxiliaries:
  rate: {dims: [region], equation: 0.01 + region / 100000}
  total: SUM(pop[*])
`, arraySize)
}

// scalarSrc is arrayedSrc written as arraySize copies of each variable.
func scalarSrc() string {
	var b strings.Builder
	b.WriteString("time: {start: 0, stop: 100, dt: 0.25, save_every: 1}\nstocks:\n")
	for i := 1; i <= arraySize; i++ {
		fmt.Fprintf(&b, "  pop_%d: {initial: %d, inflows: [births_%d]}\n", i, i, i)
	}
	b.WriteString("flows:\n")
	for i := 1; i <= arraySize; i++ {
		fmt.Fprintf(&b, "  births_%d: pop_%d * rate_%d\n", i, i, i)
	}
	b.WriteString("auxiliaries:\n")
	for i := 1; i <= arraySize; i++ {
		fmt.Fprintf(&b, "  rate_%d: 0.01 + %d / 100000\n", i, i)
	}
	b.WriteString("  total: SUM(")
	for i := 1; i <= arraySize; i++ {
		if i > 1 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "pop_%d", i)
	}
	b.WriteString(")\n")
	return b.String()
}

// handArrayed is arrayedSrc written by hand (Euler), keeping every variable
// of every saved row as the engine does.
func handArrayed() [][]float64 {
	const n = arraySize
	pop, births, rate := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range pop {
		pop[i] = float64(i + 1)
		rate[i] = 0.01 + float64(i+1)/100000
	}
	const dt, steps, stride = 0.25, 400, 4
	rows := make([][]float64, 0, steps/stride+1)
	for step := 0; ; step++ {
		total := 0.0
		for i := range pop {
			births[i] = pop[i] * rate[i]
			total += pop[i]
		}
		if step%stride == 0 {
			row := make([]float64, 0, 3*n+1)
			row = append(row, pop...)
			row = append(row, births...)
			row = append(row, rate...)
			rows = append(rows, append(row, total))
		}
		if step == steps {
			return rows
		}
		for i := range pop {
			pop[i] += dt * births[i]
		}
	}
}

// BenchmarkRunArrays runs a model of 1,000 elements written with arrays,
// the same model written as 1,000 scalars, and the same by hand.
func BenchmarkRunArrays(b *testing.B) {
	for _, m := range []struct {
		name string
		src  func() string
	}{{"arrayed", arrayedSrc}, {"scalars", scalarSrc}} {
		b.Run(fmt.Sprintf("%s%d/engine", m.name, arraySize), func(b *testing.B) {
			p := compileSrc(b, m.src())
			b.ReportAllocs()
			for b.Loop() {
				res, err := p.Run(sim.Scenario{})
				if err != nil {
					b.Fatal(err)
				}
				sink += res.Values[0][len(res.Times)-1]
			}
		})
	}
	b.Run(fmt.Sprintf("arrayed%d/handwritten", arraySize), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rows := handArrayed()
			sink += rows[len(rows)-1][0]
		}
	})
}

// TestArrayedBaselines checks that the arrayed model, its scalar copies
// and the hand-written loop compute the same rows, so the benchmark
// compares like with like. The sums may differ in the last bits only
// where SUM and the hand-written loop add in the same order: exactly.
func TestArrayedBaselines(t *testing.T) {
	arrayed := mustRun(t, compileSrc(t, arrayedSrc()), sim.Scenario{})
	scalar := mustRun(t, compileSrc(t, scalarSrc()), sim.Scenario{})
	rows := handArrayed()
	if len(arrayed.Names) != len(scalar.Names) || len(arrayed.Names) != len(rows[0]) {
		t.Fatalf("columns: arrayed %d, scalars %d, hand %d", len(arrayed.Names), len(scalar.Names), len(rows[0]))
	}
	for j := range arrayed.Names {
		a, s := arrayed.Values[j], scalar.Values[j]
		for i, row := range rows {
			if a[i] != s[i] || a[i] != row[j] {
				t.Fatalf("%s row %d: arrayed %g, scalars %g (%s), hand %g", arrayed.Names[j], i, a[i], s[i], scalar.Names[j], row[j])
			}
		}
	}
}
