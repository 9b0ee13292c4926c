package loops_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/loops/golden")

// TestGolden compares the loop table and the DOT diagram of each model, and
// the loops and groups a run of it decides, with the files in
// testdata/loops/golden; go test -update rewrites them.
func TestGolden(t *testing.T) {
	models := []string{
		"../testdata/models/bass.yaml",
		"../testdata/models/predator_prey.yaml",
		"../testdata/models/logistic.yaml",
		"../testdata/loops/logistic.yaml",
		"../testdata/loops/two_partitions.yaml",
		"../testdata/loops/smooth.yaml",
		"../testdata/loops/delay.yaml",
		"../testdata/loops/sum_logistic.yaml",
		"../testdata/arrays/segments.yaml",
	}
	for _, path := range models {
		base := strings.TrimSuffix(filepath.Base(path), ".yaml")
		if dir := filepath.Base(filepath.Dir(path)); dir != "loops" {
			base = dir + "_" + base
		}
		t.Run(base, func(t *testing.T) {
			m := loadModel(t, path)
			g, err := loops.NewGraph(m)
			if err != nil {
				t.Fatal(err)
			}
			found, err := g.Loops(0)
			if err != nil {
				t.Fatal(err)
			}
			var table, dot bytes.Buffer
			if err := loops.WriteTable(&table, found); err != nil {
				t.Fatal(err)
			}
			if err := g.WriteDOT(&dot, found); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("../testdata/loops/golden", base+".txt"), table.String())
			golden(t, filepath.Join("../testdata/loops/golden", base+".dot"), dot.String())

			// The polarities a run decides, and the groups.
			p, err := sim.Compile(m)
			if err != nil {
				t.Fatal(err)
			}
			decided, sc, err := g.Decide(p, sim.Scenario{}, found)
			if err != nil {
				t.Fatal(err)
			}
			var run bytes.Buffer
			if err := loops.WriteTable(&run, decided); err != nil {
				t.Fatal(err)
			}
			run.WriteString("\n")
			if err := loops.WriteGroups(&run, g.Groups(decided), sc); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("../testdata/loops/golden", base+".run.txt"), run.String())
		})
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}
