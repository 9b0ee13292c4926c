package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// baseline is the name of the model as written, without a scenario.
const baseline = "baseline"

// scenarioFlags are the flags that say what a run is: a scenario of the
// model or of a scenario file, settings on top of it, and time settings.
// A command that runs several scenarios (many) takes --scenario more than
// once, and --all-scenarios.
type scenarioFlags struct {
	cmd        string
	fs         *flag.FlagSet
	many       bool // --scenario may repeat
	method     *string
	dt         *float64
	set        settings
	names      names // --scenario
	file       *string
	seed       *uint64
	all        *bool // --all-scenarios, when many
	noBaseline *bool // --no-baseline, when many

	fileScenarios []*model.Scenario // the file's, once read
	fileRead      bool
}

func addScenarioFlags(cmd string, fs *flag.FlagSet, many bool) *scenarioFlags {
	sf := &scenarioFlags{cmd: cmd, fs: fs, many: many, set: settings{}}
	sf.method = fs.String("method", "", "the integration `METHOD`: euler, rk2 or rk4 (default: the model's)")
	sf.dt = fs.Float64("dt", 0, "the integration step `DT` (default: the model's)")
	if many {
		fs.Var(sf.set, "set", "set a constant in every run: `NAME=VALUE` (repeatable)")
		fs.Var(&sf.names, "scenario", "run the `SCENARIO` of this name: baseline (the model as written, the default), the model's or --scenarios' (repeatable)")
		sf.all = fs.Bool("all-scenarios", false, "run the baseline and every scenario of the model and of --scenarios")
		sf.noBaseline = fs.Bool("no-baseline", false, "with --all-scenarios: leave out the baseline")
	} else {
		fs.Var(sf.set, "set", "set a constant: `NAME=VALUE` (repeatable)")
		fs.Var(&sf.names, "scenario", "start from the `SCENARIO` of this name: baseline (the model as written, the default), the model's or --scenarios'")
	}
	sf.file = fs.String("scenarios", "", "a scenario `FILE`: its scenarios are added to the model's")
	sf.seed = fs.Uint64("seed", 0, "the `SEED` of the random functions")
	return sf
}

// check reports bad flag values before any model is read.
func (sf *scenarioFlags) check() error {
	if *sf.method != "" {
		if _, err := model.ParseMethod(*sf.method); err != nil {
			return usagef("%s: --method: %v", sf.cmd, strings.TrimPrefix(err.Error(), "model: "))
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
		return nil
	}
	if *sf.file != "" && len(sf.names) == 0 && !*sf.all {
		verb := "run"
		if sf.cmd == "plot" {
			verb = "chart"
		}
		return usagef("%s: --scenarios names a file; say which of its scenarios to %s with --scenario or --all-scenarios", sf.cmd, verb)
	}
	if *sf.all && len(sf.names) > 0 {
		return usagef("%s: --scenario and --all-scenarios cannot be used together", sf.cmd)
	}
	if *sf.noBaseline && !*sf.all {
		return usagef("%s: --no-baseline applies to --all-scenarios", sf.cmd)
	}
	for i, name := range sf.names {
		for _, prev := range sf.names[:i] {
			if model.Canonical(prev) == model.Canonical(name) {
				return usagef("%s: scenario %q is named twice", sf.cmd, name)
			}
		}
	}
	return nil
}

// several reports whether the flags ask for more than one run.
func (sf *scenarioFlags) several() bool {
	return sf.many && (*sf.all || len(sf.names) > 1)
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

// runs returns the scenarios the flags of a command that runs several
// describe, the baseline first: those --scenario names, or with
// --all-scenarios the baseline (unless --no-baseline), the model's and the
// scenario file's; with neither, the baseline alone.
func (sf *scenarioFlags) runs(p *sim.Program) ([]sim.Scenario, error) {
	if err := sf.check(); err != nil {
		return nil, err
	}
	var want []string
	switch {
	case sf.many && *sf.all:
		avail, err := sf.available(p)
		if err != nil {
			return nil, err
		}
		for _, s := range avail {
			if s != baseline || !*sf.noBaseline {
				want = append(want, s)
			}
		}
		if len(want) == 0 {
			return nil, usagef("%s: --no-baseline leaves nothing to run: the model has no scenarios, nor a --scenarios file", sf.cmd)
		}
	case len(sf.names) == 0:
		want = []string{baseline}
	default:
		// The baseline first, the others in the order given.
		for _, n := range sf.names {
			if model.Canonical(n) == baseline {
				want = append(want, n)
			}
		}
		for _, n := range sf.names {
			if model.Canonical(n) != baseline {
				want = append(want, n)
			}
		}
	}
	var out []sim.Scenario
	for _, name := range want {
		s, err := sf.scenario(p, name)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// scenario returns the named scenario ("" or "baseline" for the model as
// written, named baseline) with the time settings, seed and settings of
// the flags on top.
func (sf *scenarioFlags) scenario(p *sim.Program, name string) (sim.Scenario, error) {
	s, err := sf.pick(p, name)
	if err != nil {
		return s, err
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

// pick finds a scenario by name among the model's and the scenario
// file's; "" and "baseline" name the model as written, unless the model
// or the file has a scenario called baseline.
func (sf *scenarioFlags) pick(p *sim.Program, name string) (sim.Scenario, error) {
	ss, err := sf.scenarios(p)
	if err != nil {
		return sim.Scenario{}, err
	}
	if name == "" {
		name = baseline
	}
	for _, s := range ss {
		if model.Canonical(s.Name) == model.Canonical(name) {
			return sim.ScenarioOf(s), nil
		}
	}
	if model.Canonical(name) == baseline {
		return sim.Scenario{Name: baseline}, nil
	}
	avail, _ := sf.available(p)
	if len(avail) == 1 {
		return sim.Scenario{}, fmt.Errorf("unknown scenario %q; the model has none but baseline (the model as written)", name)
	}
	return sim.Scenario{}, fmt.Errorf("unknown scenario %q%s; the scenarios are %s",
		name, model.DidYouMean(name, avail), strings.Join(avail, ", "))
}

// available returns the names of the scenarios there are to run: baseline,
// the model's and the scenario file's.
func (sf *scenarioFlags) available(p *sim.Program) ([]string, error) {
	ss, err := sf.scenarios(p)
	if err != nil {
		return nil, err
	}
	names := []string{baseline}
	for _, s := range ss {
		if model.Canonical(s.Name) != baseline {
			names = append(names, s.Name)
		}
	}
	return names, nil
}

// scenarios returns the model's scenarios and the scenario file's, read
// and checked against the program once. A name in both is an error.
func (sf *scenarioFlags) scenarios(p *sim.Program) ([]*model.Scenario, error) {
	own := p.Model().Scenarios
	if *sf.file == "" {
		return own, nil
	}
	if !sf.fileRead {
		f, err := model.LoadScenariosFile(*sf.file)
		if err != nil {
			return nil, err
		}
		if err := p.CheckScenarios(f.Scenarios); err != nil {
			return nil, err
		}
		var list model.ErrorList
		for _, s := range f.Scenarios {
			for _, m := range own {
				if model.Canonical(m.Name) == model.Canonical(s.Name) {
					list.Add(s.Pos, "scenario %q is also the model's (at %s); give it another name", s.Name, m.Pos)
				}
			}
		}
		if err := list.Err(); err != nil {
			return nil, err
		}
		sf.fileScenarios, sf.fileRead = f.Scenarios, true
	}
	return append(own[:len(own):len(own)], sf.fileScenarios...), nil
}
