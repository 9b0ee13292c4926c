package loops

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
)

// TestCircuitsMatchGonum compares the search with gonum's Johnson's
// algorithm on random graphs (without self loops, which gonum's simple
// graphs do not allow).
func TestCircuitsMatchGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		n := 2 + r.IntN(8)
		adj := make([][]int, n)
		g := simple.NewDirectedGraph()
		for v := 0; v < n; v++ {
			g.AddNode(simple.Node(v))
		}
		for v := 0; v < n; v++ {
			for w := 0; w < n; w++ {
				if v != w && r.Float64() < 0.3 {
					adj[v] = append(adj[v], w)
					g.SetEdge(g.NewEdge(simple.Node(v), simple.Node(w)))
				}
			}
		}
		got, err := circuits(adj, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		var want [][]int
		for _, c := range topo.DirectedCyclesIn(g) {
			cyc := make([]int, len(c)-1) // gonum closes each cycle
			for i := range cyc {
				cyc[i] = int(c[i].ID())
			}
			m := slices.Index(cyc, slices.Min(cyc))
			want = append(want, append(cyc[m:], cyc[:m]...))
		}
		sortCycles(got)
		sortCycles(want)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("graph %v:\ngot  %v\nwant %v", adj, got, want)
		}
	}
}

func sortCycles(cs [][]int) {
	slices.SortFunc(cs, func(a, b []int) int { return slices.Compare(a, b) })
}

func TestCircuitsSelfLoops(t *testing.T) {
	// 0 ⟲, 0 → 1 → 0, 1 → 2 → 1, 2 ⟲.
	adj := [][]int{{0, 1}, {0, 2}, {1, 2}}
	got, err := circuits(adj, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]int{{0}, {0, 1}, {1, 2}, {2}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("circuits = %v, want %v", got, want)
	}
}

func TestCircuitsLimit(t *testing.T) {
	// The complete graph on 5 vertices without self loops has
	// C(5,2)·1 + C(5,3)·2 + C(5,4)·6 + C(5,5)·24 = 10 + 20 + 30 + 24 = 84
	// elementary cycles.
	adj := make([][]int, 5)
	for v := range adj {
		for w := range adj {
			if v != w {
				adj[v] = append(adj[v], w)
			}
		}
	}
	got, err := circuits(adj, 84)
	if err != nil || len(got) != 84 {
		t.Fatalf("limit 84: %d cycles, %v", len(got), err)
	}
	got, err = circuits(adj, 83)
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != 83 || !errors.Is(err, ErrLimit) || got != nil {
		t.Fatalf("limit 83: %d cycles, %v", len(got), err)
	}
}
