package main

import (
	"flag"
	"fmt"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// scenarioFlags are the flags that say what a run is: a scenario of the
// model or of a scenario file, settings on top of it, and time settings.
// A command that charts several runs takes --scenario more than once.
type scenarioFlags struct {
	cmd    string
	fs     *flag.FlagSet
	many   bool // --scenario may repeat
	method *string
	dt     *float64
	set    settings
	names  names // --scenario
	file   *string
	seed   *uint64

	fileScenarios []*model.Scenario // the file's, once read
}

func addScenarioFlags(cmd string, fs *flag.FlagSet, many bool) *scenarioFlags {
	sf := &scenarioFlags{cmd: cmd, fs: fs, many: many, set: settings{}}
	sf.method = fs.String("method", "", "integration method: euler, rk2 or rk4 (default: the model's)")
	sf.dt = fs.Float64("dt", 0, "integration step (default: the model's)")
	if many {
		fs.Var(sf.set, "set", "override a constant in every run: NAME=VALUE (repeatable)")
		fs.Var(&sf.names, "scenario", "run the scenario of this name, the model's or --scenarios' (repeatable; default: the model as written, named baseline)")
	} else {
		fs.Var(sf.set, "set", "override a constant: NAME=VALUE (repeatable)")
		fs.Var(&sf.names, "scenario", "start from the scenario of this name (the model's, or --scenarios')")
	}
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
	if !sf.many {
		if len(sf.names) > 1 {
			return usagef("%s: --scenario is given %d times; a run starts from one scenario", sf.cmd, len(sf.names))
		}
		if *sf.file != "" && len(sf.names) == 0 {
			return usagef("%s: --scenarios names a file; say which of its scenarios to use with --scenario", sf.cmd)
		}
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

// build returns the scenario the flags describe for the program: the one
// --scenario names, or the model as written.
func (sf *scenarioFlags) build(p *sim.Program) (sim.Scenario, error) {
	if err := sf.check(); err != nil {
		return sim.Scenario{}, err
	}
	name := ""
	if len(sf.names) > 0 {
		name = sf.names[0]
	}
	return sf.scenario(p, name)
}

// scenario returns the named scenario ("" for the model as written) with
// the time settings, seed and settings of the flags on top.
func (sf *scenarioFlags) scenario(p *sim.Program, name string) (sim.Scenario, error) {
	var s sim.Scenario
	if name != "" {
		var err error
		if s, err = sf.pick(p, name); err != nil {
			return s, err
		}
	}
	if *sf.method != "" {
		s.Method, _ = model.ParseMethod(*sf.method)
	}
	s.DT, s.Seed = *sf.dt, *sf.seed
	if len(sf.set) > 0 {
		s = s.WithSet(sf.set)
	}
	return s, nil
}

// pick finds a scenario by name in the scenario file, or in the model
// when there is none.
func (sf *scenarioFlags) pick(p *sim.Program, name string) (sim.Scenario, error) {
	if *sf.file == "" {
		return p.Scenario(name)
	}
	ss, err := sf.scenarios(p)
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
	return sim.Scenario{}, fmt.Errorf("%s: no scenario %q%s", *sf.file, name, model.DidYouMean(name, names))
}

// scenarios returns the scenarios of the file, read and checked against
// the program once.
func (sf *scenarioFlags) scenarios(p *sim.Program) ([]*model.Scenario, error) {
	if sf.fileScenarios == nil {
		f, err := model.LoadScenariosFile(*sf.file)
		if err != nil {
			return nil, err
		}
		if err := p.CheckScenarios(f.Scenarios); err != nil {
			return nil, err
		}
		sf.fileScenarios = f.Scenarios
	}
	return sf.fileScenarios, nil
}
