package model

import (
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// A scenario file holds named scenarios apart from any model, so that one
// model serves many studies:
//
//	doc: Budget splits for the 2027 plan.
//	scenarios:
//	  lean:
//	    set: {cs_share: 0.2}
//	  generous:
//	    set: {cs_share: 0.6}
//	    lookups:
//	      churn_multiplier: {points: [[0, 2], [1, 0.5]]}
//
// The scenarios take the same form as a model's scenarios: section. A
// file is read without a model; CheckScenarios then checks its names
// against the model it is used with.

// ScenarioFile is a file of scenarios.
type ScenarioFile struct {
	File      string
	Doc       string
	Scenarios []*Scenario
}

// LoadScenariosFile reads a scenario file.
func LoadScenariosFile(path string) (*ScenarioFile, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return LoadScenarios(path, src)
}

// LoadScenarios reads scenarios from YAML source; file names the source in
// error positions. A model file is refused with an error that says so.
func LoadScenarios(file string, src []byte) (*ScenarioFile, error) {
	d, n, err := decodeFile(file, src, "scenario")
	if err != nil {
		return nil, err
	}
	sf := &ScenarioFile{File: file}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			switch k := n.Content[i]; k.Value {
			case "stocks", "flows", "auxiliaries", "time":
				d.errorf(k, "%q belongs in a model; a scenario file holds only doc: and scenarios:", k.Value)
				return nil, d.errs.Err()
			}
		}
	}
	d.fields(n, "the scenario file", map[string]func(*yaml.Node){
		"doc": func(v *yaml.Node) { d.str(v, "doc", &sf.Doc) },
		"scenarios": func(v *yaml.Node) {
			d.mapping(v, "scenarios", true, func(name string, k, v *yaml.Node) {
				sf.Scenarios = append(sf.Scenarios, d.scenario(name, k, v))
			})
		},
	})
	if err := d.errs.Err(); err != nil {
		return nil, err
	}
	if len(sf.Scenarios) == 0 {
		return nil, ErrorList{{Pos: Position{File: file, Line: n.Line, Col: n.Column}, Msg: "the scenario file has no scenarios"}}
	}
	return sf, nil
}

// CheckScenarios checks scenarios read apart from the model against it:
// each setting must name one of its variables and each replaced lookup one
// of its lookups, and the replacement tables must be valid. The error, if
// any, is an ErrorList with the positions in the scenarios' file.
func (m *Model) CheckScenarios(ss []*Scenario) error {
	var errs ErrorList
	checkScenarios(m, ss, &errs)
	return errs.Err()
}

func checkScenarios(m *Model, ss []*Scenario, errs *ErrorList) {
	for _, s := range ss {
		for _, set := range s.Set {
			if _, _, err := m.Elements(set.Name); err != nil {
				if strings.Contains(set.Name, "[") {
					errs.Add(set.Pos, "scenario %q sets %q: %v", s.Name, set.Name, err)
				} else {
					errs.Add(set.Pos, "scenario %q sets %v", s.Name, err)
				}
			}
		}
		for _, l := range s.Lookups {
			if m.Lookup(l.Name) == nil {
				errs.Add(l.Pos, "scenario %q replaces undefined lookup %q%s", s.Name, l.Name, DidYouMean(l.Name, lookupNames(m)))
			}
			l.Validate(errs, fmt.Sprintf("lookup %q in scenario %q", l.Name, s.Name))
		}
	}
}
