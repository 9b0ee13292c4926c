package units_test

import (
	"path/filepath"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/units"
)

// TestModelsClean checks that every model the project ships is units-clean.
func TestModelsClean(t *testing.T) {
	var files []string
	for _, g := range []string{"../../examples/*/model.yaml", "../../testdata/models/*.yaml", "../../testdata/loops/*.yaml", "../../testdata/arrays/*.yaml"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no models found")
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			m, err := model.LoadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r, err := units.Check(m)
			if err != nil {
				var list model.ErrorList
				if l, ok := err.(model.ErrorList); ok {
					list = l
				}
				for _, e := range list {
					t.Error(e)
				}
			}
			for _, v := range r.Vars {
				t.Logf("%s %s declared=%q units=%s inferred=%v", v.Kind, v.Name, v.Declared, v, v.Inferred)
			}
		})
	}
}
