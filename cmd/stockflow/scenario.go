package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// scenarioFlags are the flags that say what one run is: a scenario of the
// model or of a scenario file, settings on top of it, and time settings.
type scenarioFlags struct {
	cmd      string
	fs       *flag.FlagSet
	method   *string
	dt       *float64
	set      settings
	scenario *string
	file     *string
	seed     *uint64
}

func addScenarioFlags(cmd string, fs *flag.FlagSet) *scenarioFlags {
	sf := &scenarioFlags{cmd: cmd, fs: fs, set: settings{}}
	sf.method = fs.String("method", "", "integration method: euler, rk2 or rk4 (default: the model's)")
	sf.dt = fs.Float64("dt", 0, "integration step (default: the model's)")
	fs.Var(sf.set, "set", "override a constant: NAME=VALUE (repeatable)")
	sf.scenario = fs.String("scenario", "", "start from the scenario of this name (the model's, or --scenarios')")
	sf.file = fs.String("scenarios", "", "a scenario file: named scenarios apart from the model")
	sf.seed = fs.Uint64("seed", 0, "seed for the random functions")
	return sf
}

// check reports bad flag values before any model is read.
func (sf *scenarioFlags) check() error {
	if *sf.method != "" {
		if _, err := model.ParseMethod(*sf.method); err != nil {
			return usagef("%s: --method: %v", sf.cmd, err)
		}
	}
	if isSet(sf.fs, "dt") && !(*sf.dt > 0) {
		return usagef("%s: --dt must be a positive number, not %v", sf.cmd, *sf.dt)
	}
	if *sf.file != "" && *sf.scenario == "" {
		return usagef("%s: --scenarios names a file; say which of its scenarios to use with --scenario", sf.cmd)
	}
	return nil
}

// parse parses the command line of a command that takes one MODEL and
// checks the scenario flags; it returns the model's path.
func (sf *scenarioFlags) parse(args []string) (string, error) {
	pos, err := parse(sf.fs, args, 1, "MODEL")
	if err != nil {
		return "", err
	}
	return pos[0], sf.check()
}

// compile compiles the model file and builds the scenario the flags
// describe for it.
func (sf *scenarioFlags) compile(path string) (*sim.Program, sim.Scenario, error) {
	p, err := compile(path)
	if err != nil {
		return nil, sim.Scenario{}, err
	}
	s, err := sf.build(p)
	return p, s, err
}

// build returns the scenario the flags describe for the program.
func (sf *scenarioFlags) build(p *sim.Program) (sim.Scenario, error) {
	var s sim.Scenario
	if err := sf.check(); err != nil {
		return s, err
	}
	if *sf.method != "" {
		s.Method, _ = model.ParseMethod(*sf.method)
	}
	s.DT = *sf.dt
	s.Seed = *sf.seed
	if *sf.scenario != "" {
		var err error
		if s, err = pickScenario(p, *sf.file, *sf.scenario); err != nil {
			return s, err
		}
		if *sf.method != "" {
			s.Method, _ = model.ParseMethod(*sf.method)
		}
		s.DT, s.Seed = *sf.dt, *sf.seed
	}
	if len(sf.set) > 0 {
		s = s.WithSet(sf.set)
	}
	return s, nil
}

// pickScenario finds a scenario by name in a scenario file, or in the
// model when file is "".
func pickScenario(p *sim.Program, file, name string) (sim.Scenario, error) {
	if file == "" {
		return p.Scenario(name)
	}
	ss, err := loadScenarios(p, file)
	if err != nil {
		return sim.Scenario{}, err
	}
	var names []string
	for _, s := range ss {
		if model.Canonical(s.Name) == model.Canonical(name) {
			return sim.ScenarioOf(s), nil
		}
		names = append(names, s.Name)
	}
	return sim.Scenario{}, fmt.Errorf("%s: no scenario %q%s", file, name, model.DidYouMean(name, names))
}

// loadScenarios reads a scenario file and checks it against the model.
func loadScenarios(p *sim.Program, file string) ([]*model.Scenario, error) {
	sf, err := model.LoadScenariosFile(file)
	if err != nil {
		return nil, err
	}
	if err := p.Model().CheckScenarios(sf.Scenarios); err != nil {
		return nil, err
	}
	// What only the compiled model knows: whether each name set is a
	// constant.
	var errs model.ErrorList
	for _, s := range sf.Scenarios {
		for _, set := range s.Set {
			if err := p.Check(sim.Scenario{Set: map[string]float64{set.Name: set.Value}}); err != nil {
				errs.Add(set.Pos, "scenario %q: %s", s.Name, strings.TrimPrefix(err.Error(), "sim: "))
			}
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return sf.Scenarios, nil
}
