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

// BenchmarkGenerated runs the program generated for the 1,000-sector
// model for 80,000 Euler steps and the same model written by hand in Go
// (sim/internal/sectors/hand), in turn, each a whole process that writes
// time and s0 as CSV. It reports the generated program's time over the
// hand-written one's: "ratio" of the elapsed times and "cpu-ratio" of the
// processor times (user and system), which a loaded machine disturbs less.
func BenchmarkGenerated(b *testing.B) {
	const n, steps = 1000, 80000
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
	prog := goBuild(b, dir, ".")
	hand := goBuild(b, "../internal/sectors/hand", filepath.Join(dir, "hand"))
	out := filepath.Join(dir, "out.csv")
	var wall, cpu [2]time.Duration
	for b.Loop() {
		for i, cmd := range []*exec.Cmd{
			exec.Command(prog, "--vars", "s0", "-o", out),
			exec.Command(hand, "-n", "1000", "-steps", "80000", "-o", out),
		} {
			t0 := time.Now()
			if msg, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("%v\n%s", err, msg)
			}
			wall[i] += time.Since(t0)
			cpu[i] += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		}
	}
	b.ReportMetric(float64(wall[0])/float64(wall[1]), "ratio")
	b.ReportMetric(float64(cpu[0])/float64(cpu[1]), "cpu-ratio")
}

// goBuild builds the package in dir and returns the binary, which is
// written to dir, or to out when out is not ".".
func goBuild(tb testing.TB, dir, out string) string {
	tb.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		tb.Skip("no go command to build the generated code with")
	}
	bin := filepath.Join(dir, "prog")
	if out != "." {
		bin = out
	}
	bin, err = filepath.Abs(bin)
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = append(cmd.Environ(), "GOWORK=off", "GOFLAGS=")
	if msg, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, msg)
	}
	return bin
}
