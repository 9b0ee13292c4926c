package model_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/model"
)

const scenarioModel = `
time: {start: 0, stop: 10}
stocks:
  s: {initial: 1, inflows: [f]}
flows:
  f: {equation: rate * effect(s)}
auxiliaries:
  rate: {equation: 0.1}
lookups:
  effect: {points: [[0, 1], [10, 2]]}
`

func TestLoadScenarios(t *testing.T) {
	m, err := model.Load("m.yaml", []byte(scenarioModel))
	if err != nil {
		t.Fatal(err)
	}
	sf, err := model.LoadScenarios("study.yaml", []byte(`doc: two rates
scenarios:
  slow:
    set: {rate: 0.05}
  fast:
    doc: twice the rate
    set: {rate: 0.2}
    lookups:
      effect: {points: [[0, 1], [10, 3]]}
`))
	if err != nil {
		t.Fatal(err)
	}
	if sf.Doc != "two rates" || len(sf.Scenarios) != 2 || sf.Scenarios[1].Name != "fast" || sf.Scenarios[1].Set[0].Value != 0.2 || len(sf.Scenarios[1].Lookups) != 1 {
		t.Fatalf("read %+v", sf)
	}
	if err := m.CheckScenarios(sf.Scenarios); err != nil {
		t.Fatal(err)
	}

	sf, err = model.LoadScenarios("study.yaml", []byte(`scenarios:
  bad:
    set: {rat: 0.05}
    lookups:
      efect: {points: [[0, 1], [10, 3]]}
`))
	if err != nil {
		t.Fatal(err)
	}
	err = m.CheckScenarios(sf.Scenarios)
	var list model.ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("error %v: want a list of two", err)
	}
	for i, want := range []string{`study.yaml:3:11: scenario "bad" sets undefined variable "rat" (did you mean "rate"?)`, `study.yaml:5:7: scenario "bad" replaces undefined lookup "efect" (did you mean "effect"?)`} {
		if got := list[i].Error(); got != want {
			t.Errorf("error %d: %s\nwant %s", i, got, want)
		}
	}
}

func TestLoadScenariosErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"", "s.yaml:1:1: empty scenario file"},
		{"doc: nothing\n", "s.yaml:1:1: the scenario file has no scenarios"},
		{scenarioModel, `s.yaml:2:1: "time" belongs in a model; a scenario file holds only doc: and scenarios:`},
		{"scenarios:\n  a: {set: {x: one}}\n", `s.yaml:2:16: expected a finite number for "x"`},
		{"scenario:\n  a: {set: {x: 1}}\n", `s.yaml:1:1: unknown key "scenario" in the scenario file (did you mean "scenarios"?)`},
		{"scenarios:\n  a: {sett: {x: 1}}\n", `s.yaml:2:7: unknown key "sett"`},
	} {
		_, err := model.LoadScenarios("s.yaml", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("LoadScenarios(%q): %v\nwant %s", tc.src, err, tc.want)
		}
	}
}
