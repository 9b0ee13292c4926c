package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// A commandBlock is a fenced block of shell commands in the README.
type commandBlock struct {
	line int // of the opening fence
	text string
}

// commandStart matches a line that makes a block one of commands.
var commandStart = regexp.MustCompile(`^(go (run|build) |\./stockflow )`)

// readmeCommands returns the README's blocks of commands: fenced blocks
// without a language whose lines include a go run, go build or
// ./stockflow command.
func readmeCommands(t *testing.T, path string) []commandBlock {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []commandBlock
	var cur *commandBlock
	isCommands := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && line == "```":
			cur, isCommands = &commandBlock{line: n}, false
		case cur == nil && strings.HasPrefix(line, "```"):
			cur, isCommands = &commandBlock{line: -n}, false // a block in some language
		case cur != nil && line == "```":
			if cur.line > 0 && isCommands {
				blocks = append(blocks, *cur)
			}
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
			isCommands = isCommands || commandStart.MatchString(line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return blocks
}

// shellPrelude makes the README's commands run against binaries built
// once: "go run ./cmd/stockflow" and "./stockflow" run the command,
// "go run ./examples/NAME" the example, and "go build -o stockflow
// ./cmd/stockflow" copies it, and a bare "go build" builds the program
// "stockflow gen" wrote in the current folder. "go test" is not run: the README's
// commands run inside the tests. Without Graphviz, dot reads and
// discards its input.
const shellPrelude = `set -e -o pipefail
go() {
	case "$1 $2" in
	"run ./cmd/stockflow") shift 2; "$BIN/stockflow" "$@" ;;
	"run ./examples/"*) local ex="${2#./examples/}"; shift 2; "$BIN/${ex%/}" "$@" ;;
	"build -o") cp "$BIN/stockflow" "$3" ;;
	"build ") command go build ;; # a program stockflow gen wrote
	"test "*) : ;;
	*) echo "the README test does not know: go $*" >&2; return 1 ;;
	esac
}
command -v dot >/dev/null || dot() { cat >/dev/null; }
`

var readmeShort = flag.Bool("readme-short", false, "skip the README's slow commands (the flagship study)")

// TestREADMECommands runs every command of the README as it is written
// (when STOCKFLOW_README is set, as CI sets it),
// in a scratch folder that sees the repository's testdata and examples,
// and fails at the first block whose commands fail.
func TestREADMECommands(t *testing.T) {
	if testing.Short() || os.Getenv("STOCKFLOW_README") == "" {
		t.Skip("runs every command of the README, for a couple of minutes: set STOCKFLOW_README=1 (.ci/run does)")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	bin, work := filepath.Join(tmp, "bin"), filepath.Join(tmp, "work")
	for _, d := range []string{bin, work} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, dir := range []string{"testdata", "examples"} {
		if err := os.Symlink(filepath.Join(root, dir), filepath.Join(work, dir)); err != nil {
			t.Fatal(err)
		}
	}
	build := exec.Command("go", "build", "-o", bin+string(filepath.Separator), "./cmd/stockflow", "./examples/...")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var vars strings.Builder // assignments such as M=..., for later blocks
	for _, b := range readmeCommands(t, filepath.Join(root, "README.md")) {
		name := fmt.Sprintf("README.md:%d", b.line)
		if *readmeShort && strings.Contains(b.text, "go run ./examples/customersuccess") {
			t.Logf("%s: skipped (-readme-short)", name)
			continue
		}
		script := shellPrelude + vars.String() + b.text
		// A block that does not end (a server) fails after five minutes.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		cmd := exec.CommandContext(ctx, bash, "-c", script)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "BIN="+bin)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		cancel()
		t.Logf("%s: %.1f s", name, time.Since(start).Seconds())
		if err != nil {
			if len(out) > 3000 {
				out = append([]byte("..."), out[len(out)-3000:]...)
			}
			t.Errorf("%s: the block fails: %v\n%s\noutput:\n%s", name, err, b.text, out)
		}
		for _, line := range strings.Split(b.text, "\n") {
			if regexp.MustCompile(`^[A-Z][A-Z0-9_]*=`).MatchString(line) && !strings.Contains(line, `"`) {
				vars.WriteString(line + "\n")
			}
		}
	}
}

// readmeGoProgram returns the Go program of the README's section "Use it
// from Go" (its first go block), the output the README shows for it (the
// plain block after it), and the line of the program's opening fence.
func readmeGoProgram(t *testing.T, path string) (program, output string, line int) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	section := slices.Index(lines, "## Use it from Go")
	if section < 0 {
		t.Fatalf("%s: no section \"## Use it from Go\"", path)
	}
	// block returns the text of the fenced block that opens with fence at
	// or after line i, within the section, and the index of that line.
	block := func(i int, fence string) (string, int) {
		for ; i < len(lines); i++ {
			if i > section && strings.HasPrefix(lines[i], "## ") {
				break // the next section
			}
			if lines[i] != fence {
				continue
			}
			for j := i + 1; j < len(lines); j++ {
				if lines[j] == "```" {
					return strings.Join(lines[i+1:j], "\n") + "\n", i
				}
			}
			t.Fatalf("%s:%d: the block does not end", path, i+1)
		}
		t.Fatalf("%s:%d: no %s block in the section", path, section+1, fence)
		return "", 0
	}
	program, at := block(section, "```go")
	output, _ = block(at+strings.Count(program, "\n")+2, "```")
	return program, output, at + 1
}

// TestREADMEGoProgram builds and runs the README's Go program, from the
// root of the repository as the README says, and checks that it prints
// what the README shows.
func TestREADMEGoProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	program, want, line := readmeGoProgram(t, filepath.Join(root, "README.md"))
	file := filepath.Join(t.TempDir(), "readme.go")
	if err := os.WriteFile(file, []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goCmd, "run", file)
	cmd.Dir = root
	var stderr strings.Builder
	cmd.Stderr = &stderr
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("README.md:%d: go run: %v\n%s", line, err, stderr.String())
	}
	if string(got) != want {
		t.Errorf("README.md:%d: the program prints\n%s\nthe README shows\n%s", line, got, want)
	}
}
