package vensim_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/vensim"
	"github.com/stockflow/stockflow/sim"
)

// FuzzRead checks that no input makes Read panic or hang, that a model it
// accepts validates and compiles or is refused with an error, and that the
// YAML written for it loads back.
func FuzzRead(f *testing.F) {
	filepath.WalkDir(conformanceDir, func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.EqualFold(filepath.Ext(path), ".mdl") {
			if src, err := os.ReadFile(path); err == nil {
				f.Add(src)
			}
		}
		return nil
	})
	f.Add([]byte("{UTF-8}\n:MACRO: M(a)\nM = M(a) ~~|\n:END OF MACRO:\nx = M(1) ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = 1 ~~|\n"))
	f.Add([]byte("{UTF-8}\nd: (a1-a3) -> e ~~|\ne: x, y, z ~~|\nv[d] :EXCEPT: [a2] = 1, 2 ~~|\nv[a2] = v[a1] ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = 1 ~~|\n"))
	// Data files named in the inputs are looked for beside the suite's
	// tests, so that inputs naming its workbooks read them.
	f.Add([]byte("{UTF-8}\nd: A, B ~~|\nv[d] = GET DIRECT CONSTANTS('get_xls_cellrange/inputs.xlsx', 'Global', 'B5') ~~|\nx := GET XLS DATA('get_xls_cellrange/inputs.xlsx', 'Local', 'Time2', 'B4') ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = 1 ~~|\n"))
	f.Add([]byte("{UTF-8}\ne: GET DIRECT SUBSCRIPT('get_subscript_3d_arrays_xls/input.xls', 'Sheet1', 'B4', 'B6', 'E') ~~|\nl[e](GET XLS LOOKUPS('get_data_args_3d_xls/input.xls', 'Sheet1', '4', 'C5')) ~~|\ny[e] = l[e](Time) ~~|\nINITIAL TIME = 0 ~~|\nFINAL TIME = 1 ~~|\n"))
	name := filepath.Join(conformanceDir, "tests", "f.mdl")
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := vensim.Read(name, bytes.NewReader(src))
		if err != nil {
			return
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("Read accepted a model that does not validate: %v", err)
		}
		if _, err := sim.Compile(m); err != nil {
			return
		}
		var buf bytes.Buffer
		if err := model.WriteYAML(&buf, m); err != nil {
			t.Fatalf("WriteYAML() of a model Read accepted: %v", err)
		}
		if _, err := model.Load("f.yaml", buf.Bytes()); err != nil {
			t.Fatalf("Load() of the YAML written for a model Read accepted: %v\n%s", err, buf.String())
		}
	})
}
