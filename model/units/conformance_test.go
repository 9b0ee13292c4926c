package units_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/units"
	"github.com/stockflow/stockflow/model/vensim"
	"github.com/stockflow/stockflow/model/xmile"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const conformanceDir = "../../testdata/conformance"

// TestConformance checks the units of every model of the SDXorg suite that
// reads (XMILE, Stella and Vensim files). Their expected outputs come from
// tools that run a model whatever its units say, and so does stockflow run
// (units problems are warnings there; packages xmile and vensim compare the
// runs with those outputs). What the checker finds is kept in
// testdata/conformance.golden, one problem a line, for review. Each is a
// real disagreement in the file: the teacup's flow in "deg/time" drains a
// stock in "degrees" (deg is not an alias of degree); the SIR model divides
// people by a duration in days where its flows are declared per "time";
// the workforce model declares a task time in Person*Hours, not per task;
// several tests take SIN of TIME in months. A model that declares no units
// is not taken to task for what inference alone would say (test_ln,
// roessler_chaos).
func TestConformance(t *testing.T) {
	var files []string
	for _, ext := range []string{"xmile", "stmx", "itmx", "mdl"} {
		m, _ := filepath.Glob(filepath.Join(conformanceDir, "*", "*", "*."+ext))
		files = append(files, m...)
	}
	sort.Strings(files)
	if len(files) < 100 {
		t.Fatalf("found only %d conformance files", len(files))
	}
	got := make(map[string][]string) // problems by file
	var order []string
	readable := make(map[string]bool)
	for _, f := range files {
		var m *model.Model
		var err error
		if strings.HasSuffix(f, ".mdl") {
			m, err = vensim.ReadFile(f)
		} else {
			m, err = xmile.ReadFile(f)
		}
		if err != nil {
			continue // a file the readers refuse (arrays, macros, ...)
		}
		name := strings.TrimPrefix(filepath.ToSlash(f), conformanceDir+"/")
		readable[name] = true
		r, err := units.Check(m)
		if r == nil {
			t.Errorf("%s: Check returned no report", f)
		}
		if err == nil {
			continue
		}
		var list model.ErrorList
		if !errors.As(err, &list) {
			t.Errorf("%s: Check() = %v; want a model.ErrorList", f, err)
			continue
		}
		order = append(order, name)
		for _, e := range list {
			var ue *units.Error
			if !errors.As(e, &ue) || !ue.Pos.IsValid() {
				t.Errorf("%s: %v is not a positioned *units.Error", f, e)
			}
			got[name] = append(got[name], strings.TrimPrefix(filepath.ToSlash(e.Error()), conformanceDir+"/"))
		}
	}
	golden := filepath.Join("testdata", "conformance.golden")
	if *update {
		var b strings.Builder
		b.WriteString("# units problems in the conformance models, by file (go test -update rewrites this)\n")
		for _, name := range order {
			b.WriteString(strings.Join(got[name], "\n") + "\n")
		}
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	want := make(map[string][]string)
	for _, line := range strings.Split(strings.TrimSpace(string(src)), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name := line[:strings.IndexByte(line, ':')]
		want[name] = append(want[name], line)
	}
	// Every file of the golden list that still reads has exactly its
	// problems; a file that the readers have only now learnt to read is
	// logged, to be reviewed and recorded with -update.
	for name, lines := range want {
		if !readable[name] {
			t.Logf("%s: no longer read; its units problems are not checked", name)
			continue
		}
		if diff := cmp.Diff(lines, got[name]); diff != "" {
			t.Errorf("%s: units problems mismatch (-want +got):\n%s", name, diff)
		}
	}
	for _, name := range order {
		if want[name] == nil {
			t.Logf("%s: units problems not in %s (review, then go test -update):\n%s", name, golden, strings.Join(got[name], "\n"))
		}
	}
	if len(readable) < 100 {
		t.Errorf("only %d conformance models read", len(readable))
	}
}
