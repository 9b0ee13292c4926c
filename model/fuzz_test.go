package model_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stockflow/stockflow/model"
)

// FuzzLoad checks that no input makes Load panic or hang, that a model it
// accepts validates, and that Flatten does not panic on it.
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob("../testdata/models/*.yaml")
	more, _ := filepath.Glob("../examples/*/model.yaml")
	arrays, _ := filepath.Glob("../testdata/arrays/*.yaml")
	macros, _ := filepath.Glob("../testdata/macros/*.yaml")
	files = append(files, macros...)
	for _, file := range append(append(files, more...), arrays...) {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("time: {stop: 1}\nauxiliaries:\n  x: &a 1\n  y: *a\n"))
	f.Add([]byte("time: {stop: 4}\nmodels:\n  tank:\n    stocks: {level: {initial: 0, inflows: [fill]}}\n    flows: {fill: rate}\n    auxiliaries: {rate: 1}\n" +
		"modules:\n  a: {model: tank, inputs: {rate: 2}}\n  b: {model: tank}\nmacros:\n  f:\n    parameters: [x, {name: y, default: 2}]\n    equation: x * y\nauxiliaries:\n  t: f(a.level) + f(b.level, 3)\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := model.Load("f.yaml", src)
		if err != nil {
			return
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("Load accepted a model that does not validate: %v", err)
		}
		// Resolving its arrays may fail, but never panics.
		_, _ = model.Flatten(m)
	})
}

// FuzzLoadScenarios checks that no input makes LoadScenarios panic or
// hang, and that what it accepts holds scenarios with names.
func FuzzLoadScenarios(f *testing.F) {
	f.Add([]byte("scenarios:\n  a:\n    set: {x: 1}\n    lookups:\n      t: {points: [[0, 1], [1, 2]]}\n"))
	f.Add([]byte("doc: d\nscenarios: {b: {doc: x, set: {y: -2.5e3}}}\n"))
	f.Add([]byte("stocks: {}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		sf, err := model.LoadScenarios("s.yaml", src)
		if err != nil {
			return
		}
		if len(sf.Scenarios) == 0 {
			t.Fatal("LoadScenarios accepted a file without scenarios")
		}
		for _, s := range sf.Scenarios {
			if s.Name == "" {
				t.Fatal("a scenario without a name")
			}
		}
	})
}
