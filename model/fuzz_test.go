package model_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// FuzzLoad checks that no input makes Load panic or hang, and that a model
// it accepts validates.
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob("../testdata/models/*.yaml")
	more, _ := filepath.Glob("../examples/*/model.yaml")
	for _, file := range append(files, more...) {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("time: {stop: 1}\nauxiliaries:\n  x: &a 1\n  y: *a\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := model.Load("f.yaml", src)
		if err != nil {
			return
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("Load accepted a model that does not validate: %v", err)
		}
	})
}
