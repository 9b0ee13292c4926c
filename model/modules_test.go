package model_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stockflow/stockflow/model"
)

// shape is what a variable means, for comparing models written two ways.
type shape struct {
	Kind              model.Kind
	Equation          string
	Inflows, Outflows []string
}

func shapes(m *model.Model) map[string]shape {
	out := make(map[string]shape, len(m.Vars))
	for _, v := range m.Vars {
		out[model.Canonical(v.Name)] = shape{v.Kind, v.Equation.Text, v.Inflows, v.Outflows}
	}
	return out
}

// TestYAMLModuleTwiceEqualsFlat loads a model that places one module file
// twice and the same model written flat: the variables, their equations
// and their flows are the same.
func TestYAMLModuleTwiceEqualsFlat(t *testing.T) {
	modular, err := model.LoadFile("../testdata/modules/two_tanks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	flat, err := model.LoadFile("../testdata/modules/two_tanks_flat.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(shapes(flat), shapes(modular)); diff != "" {
		t.Errorf("modular model differs from the flat one (-flat +modular):\n%s", diff)
	}
}

// TestYAMLModuleErrors checks the mistakes of placing a module, each at
// its place in the file.
func TestYAMLModuleErrors(t *testing.T) {
	dir := t.TempDir()
	tank, err := os.ReadFile("../testdata/modules/tank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tank.yaml"), tank, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, src, want string
	}{
		{"missing file", "time: {start: 0, stop: 1}\nmodules:\n  a:\n    file: nope.yaml\n", "m.yaml:4:11: module \"a\": open "},
		{"no file", "time: {start: 0, stop: 1}\nmodules:\n  a:\n    inputs: {rate: 1}\n", "m.yaml:3:3: module \"a\" has no file (the model file it places) and no model (a model of the models section)"},
		{"unknown input", "time: {start: 0, stop: 1}\nmodules:\n  a:\n    file: tank.yaml\n    inputs: {rat: 1}\n", "m.yaml:5:19: module \"a\": rat is not a variable of tank.yaml"},
		{"places itself", "time: {start: 0, stop: 1}\nmodules:\n  a:\n    file: m.yaml\n", "m.yaml:4:11: module \"a\": m.yaml places itself (through "},
		{"unknown model", "time: {start: 0, stop: 1}\nmodels:\n  tank: {auxiliaries: {x: 1}}\nmodules:\n  a:\n    model: tnk\n", "m.yaml:6:12: module \"a\": the file's models section has no model \"tnk\" (did you mean \"tank\"?)"},
		{"model places itself", "time: {start: 0, stop: 1}\nmodels:\n  loop:\n    modules: {inner: {model: loop}}\nmodules:\n  a: {model: loop}\n", "m.yaml:4:30: module \"inner\": the model loop places itself"},
		{"file and model", "time: {start: 0, stop: 1}\nmodels:\n  tank: {auxiliaries: {x: 1}}\nmodules:\n  a: {file: tank.yaml, model: tank}\n", "m.yaml:5:31: module \"a\" has both a file and a model; it places one of them"},
		{"time in a model", "time: {start: 0, stop: 1}\nmodels:\n  tank:\n    time: {start: 0, stop: 2}\nmodules:\n  a: {model: tank}\n", "m.yaml:4:5: a model of the models section has no time: the time settings are those of the model placing it"},
		{"unknown input of a model", "time: {start: 0, stop: 1}\nmodels:\n  tank: {auxiliaries: {rate: 1}}\nmodules:\n  a: {model: tank, inputs: {rat: 2}}\n", "m.yaml:5:34: module \"a\": rat is not a variable of the model tank (did you mean \"rate\"?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "m.yaml")
			if err := os.WriteFile(path, []byte(tt.src), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := model.LoadFile(path)
			var el model.ErrorList
			if !errors.As(err, &el) {
				t.Fatalf("LoadFile() error = %v, want a model.ErrorList", err)
			}
			got := el[0].Pos.String()[len(dir)+1:] + ": " + el[0].Msg
			if !strings.Contains(got, tt.want) {
				t.Errorf("LoadFile() error = %s, want %s", got, tt.want)
			}
		})
	}
}
