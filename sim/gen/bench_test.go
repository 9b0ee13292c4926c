package gen_test

import (
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/gen"
	"github.com/stockflow/stockflow/sim/internal/sectors"
)

var sink float64

// BenchmarkGenerated runs the program generated for the 1,000-sector
// model (a whole process, s0 written) and the model written by hand, in
// turn, and reports the generated program's time over the hand-written
// one ("ratio").
func BenchmarkGenerated(b *testing.B) {
	const n, steps = 1000, 20000
	m, err := model.Load("sectors.yaml", []byte(sectors.Source(n, steps)))
	if err != nil {
		b.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		b.Fatal(err)
	}
	src, err := gen.Main(p, "sectors.yaml")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	t := &testing.T{}
	write(t, filepath.Join(dir, "go.mod"), gen.GoMod("sectors"))
	write(t, filepath.Join(dir, "main.go"), src)
	bin := goBuildB(b, dir)
	var prog, hand time.Duration
	for b.Loop() {
		t0 := time.Now()
		if out, err := exec.Command(bin, "--vars", "s0", "-o", filepath.Join(dir, "out.csv")).CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
		t1 := time.Now()
		s := sectors.Hand(n, steps)
		sink += s[len(s)-1]
		prog, hand = prog+t1.Sub(t0), hand+time.Since(t1)
	}
	b.ReportMetric(float64(prog)/float64(hand), "ratio")
}

func goBuildB(b *testing.B, dir string) string {
	goTool, err := exec.LookPath("go")
	if err != nil {
		b.Skip("no go command")
	}
	bin := filepath.Join(dir, "prog")
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = append(cmd.Environ(), "GOWORK=off", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
