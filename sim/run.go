package sim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/expr"
)

// Scenario says how to run a program. Its zero value runs the model as
// written: every field left zero means "the model's setting".
type Scenario struct {
	Name string
	// Set overrides constants by name: an auxiliary or flow whose value
	// does not change during a run, or a stock's initial value.
	Set map[string]float64
	// Lookups replaces the points (and mode) of lookups by name. The
	// replacements are checked like the model's own.
	Lookups map[string]*model.Lookup
	// Method, DT and SaveEvery override the model's time settings.
	Method    model.Method
	DT        float64
	SaveEvery float64
	// Vars names the variables to record, in order; nil records every
	// stock, flow and auxiliary in model order.
	Vars []string
	// AllowNonFinite lets NaN and infinite values propagate instead of
	// stopping the run with a *RuntimeError.
	AllowNonFinite bool
	// Seed seeds the random functions that have no seed argument: the
	// same seed gives the same numbers.
	Seed uint64
}

// MaxResultBytes bounds the memory Run may use for the values it keeps.
const MaxResultBytes = 4 << 30

// run is the state of one run.
type run struct {
	v      []float64 // every variable's value, by slot
	t      float64   // the time of the stage being computed
	t0     float64   // the time at the start of the step
	step   int       // the number of the step, from 0
	dt     float64
	start  float64
	stop   float64
	tables []*table

	rng  *rand.Rand  // the run's generator
	rand []randSite  // per random call
	hist [][]float64 // per fixed DELAY: its input at the start of each step
	prev []float64   // per PREVIOUS: the value to take at the next step

	initialising bool // the initial values are being computed

	regs []float64 // the registers of the batches, chunk values each

	nnWant []float64 // per Program.nnFlows: a static flow's value
	nnAmt  []float64 // per term of a non-negative stock: a shared flow's amount
	nnNet  []float64 // per Program.nonNeg: the stock's net flow
}

// plan is a scenario checked against a program.
type plan struct {
	method  model.Method
	dt      float64
	steps   int // number of integration steps
	stride  int // save every stride steps
	columns []int
	names   []string
	set     map[int]float64
	tables  []*table // nil: the program's
	allow   bool
	seed    uint64
}

// Model returns the model the program was compiled from.
func (p *Program) Model() *model.Model { return p.model }

// Time returns the program's time settings.
func (p *Program) Time() model.Time { return p.time }

// Names returns the names of the variables a run records by default: every
// stock, flow and auxiliary, as written in the model, in model order.
func (p *Program) Names() []string {
	out := make([]string, len(p.public))
	for i, slot := range p.public {
		out[i] = p.nodes[slot].name
	}
	return out
}

// Scenario returns the model's scenario of the given name as a Scenario.
func (p *Program) Scenario(name string) (Scenario, error) {
	s := p.model.Scenario(name)
	if s == nil {
		var names []string
		for _, s := range p.model.Scenarios {
			names = append(names, s.Name)
		}
		err := &model.NameError{Kind: "scenario", Name: name, In: "the model", Closest: model.Closest(name, names)}
		if len(names) == 0 {
			return Scenario{}, fmt.Errorf("sim: %w: it has no scenarios", err)
		}
		return Scenario{}, fmt.Errorf("sim: %w; its scenarios are %s", err, strings.Join(names, ", "))
	}
	return ScenarioOf(s), nil
}

// WithSet returns a copy of the scenario whose settings are overridden by
// set: a name in set replaces a setting of the same variable however its
// name is spelled ("Room Temperature" and "room_temperature" are one).
// The scenario itself is left as it was.
func (s Scenario) WithSet(set map[string]float64) Scenario {
	out := make(map[string]float64, len(s.Set)+len(set))
	over := make(map[string]bool, len(set))
	for k := range set {
		over[model.Canonical(k)] = true
	}
	for k, v := range s.Set {
		if !over[model.Canonical(k)] {
			out[k] = v
		}
	}
	for k, v := range set {
		out[k] = v
	}
	s.Set = out
	return s
}

// CheckScenarios checks scenarios read apart from the model (a scenario
// file) against the program: model.Model.CheckScenarios, and that every
// name set is a constant. The error, if any, is a model.ErrorList with the
// positions in the scenarios' file.
func (p *Program) CheckScenarios(ss []*model.Scenario) error {
	if err := p.model.CheckScenarios(ss); err != nil {
		return err
	}
	return p.checkSettings(ss).Err()
}

// checkSettings reports each setting of the scenarios that names a
// variable that changes during a run, at the setting.
func (p *Program) checkSettings(ss []*model.Scenario) model.ErrorList {
	var errs model.ErrorList
	for _, s := range ss {
		for _, set := range s.Set {
			if err := p.Check(Scenario{Set: map[string]float64{set.Name: set.Value}}); err != nil {
				errs.Add(set.Pos, "scenario %q: %s", s.Name, strings.TrimPrefix(err.Error(), "sim: "))
			}
		}
	}
	return errs
}

// ScenarioOf turns a scenario as a model or scenario file writes it into
// the overrides of a run.
func ScenarioOf(s *model.Scenario) Scenario {
	out := Scenario{Name: s.Name, Set: make(map[string]float64, len(s.Set))}
	for _, set := range s.Set {
		out.Set[set.Name] = set.Value
	}
	if len(s.Lookups) > 0 {
		out.Lookups = make(map[string]*model.Lookup, len(s.Lookups))
		for _, l := range s.Lookups {
			out.Lookups[l.Name] = l
		}
	}
	return out
}

// slot finds a variable that a user may name.
func (p *Program) slot(name string) (int, error) {
	if slot, ok := p.index[model.Canonical(name)]; ok && !p.nodes[slot].hidden {
		return slot, nil
	}
	return 0, fmt.Errorf("sim: %w", &model.NameError{Kind: "variable", Name: name, Closest: model.Closest(name, p.Names())})
}

// slots finds the variables a user may name: one, or for an arrayed
// variable named whole (x) or with wildcards (x[*], x[smb,*]), each of the
// elements meant.
func (p *Program) slots(name string) ([]int, error) {
	if slot, err := p.slot(name); err == nil {
		return []int{slot}, nil
	} else if p.flat == p.model {
		return nil, err
	}
	_, names, err := p.model.Elements(name)
	if err != nil {
		return nil, fmt.Errorf("sim: %v", err)
	}
	out := make([]int, 0, len(names))
	for _, n := range names {
		slot, err := p.slot(n)
		if err != nil {
			return nil, err
		}
		out = append(out, slot)
	}
	return out, nil
}

func (p *Program) plan(s Scenario) (*plan, error) {
	pl := &plan{method: p.time.Method, dt: p.time.DT, allow: s.AllowNonFinite, seed: s.Seed}
	if s.Method != 0 {
		if s.Method < model.Euler || s.Method > model.RK4 {
			return nil, fmt.Errorf("sim: unknown method %v", s.Method)
		}
		pl.method = s.Method
	}
	if s.DT != 0 {
		pl.dt = s.DT
	}
	if !(pl.dt > 0) || math.IsInf(pl.dt, 0) {
		return nil, fmt.Errorf("sim: dt must be positive, not %g", pl.dt)
	}
	span := (p.time.Stop - p.time.Start) / pl.dt
	if span > model.MaxSteps {
		return nil, fmt.Errorf("sim: the run would take %.3g steps of dt %g; the limit is %d", span, pl.dt, model.MaxSteps)
	}
	pl.steps = int(math.Floor(span + 1e-9))
	save := p.time.SaveEvery
	if s.SaveEvery != 0 {
		save = s.SaveEvery
	}
	// A save interval that is not a whole multiple of dt is rounded to
	// the nearest one (at least one step); Warnings says so.
	pl.stride, _ = saveStride(save, pl.dt)
	// What is wrong with the variables, settings and lookups is reported
	// together, in the order of the names (not a map's order), so that
	// one run gives the same error as the next.
	var errs []error
	if s.Vars == nil {
		pl.columns = p.public
	} else {
		for _, name := range s.Vars {
			slots, err := p.slots(name)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			pl.columns = append(pl.columns, slots...)
		}
	}
	pl.names = make([]string, len(pl.columns))
	for i, slot := range pl.columns {
		pl.names[i] = p.nodes[slot].name
	}
	for _, name := range sortedKeys(s.Set) {
		x := s.Set[name]
		slots, err := p.slots(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, slot := range slots {
			if _, dup := pl.set[slot]; dup {
				errs = append(errs, setTwice(s.Set, name, p.nodes[slot].name))
				break
			}
			n := p.nodes[slot]
			if !n.static && n.kind != model.Stock {
				errs = append(errs, fmt.Errorf("sim: cannot set %q: it is not a constant (its value changes during a run)", name))
				break
			}
			if n.rng != nil && !n.rng.Contains(x) {
				errs = append(errs, &RangeError{Name: n.name, Value: x, Range: *n.rng})
				break
			}
			if pl.set == nil {
				pl.set = make(map[int]float64)
			}
			pl.set[slot] = x
		}
	}
	for _, name := range sortedKeys(s.Lookups) {
		l := s.Lookups[name]
		t, ok := p.named[model.Canonical(name)]
		if ok && pl.tables != nil && pl.tables[t] != p.tables[t] {
			errs = append(errs, fmt.Errorf("sim: lookup %q is replaced twice, under two spellings of its name", name))
			continue
		}
		if !ok {
			var names []string
			for _, l := range p.model.Lookups {
				names = append(names, l.Name)
			}
			errs = append(errs, fmt.Errorf("sim: undefined lookup %q%s", name, model.DidYouMean(name, names)))
			continue
		}
		if l == nil {
			errs = append(errs, fmt.Errorf("sim: lookup %q: nil replacement", name))
			continue
		}
		var lerrs model.ErrorList
		l.Validate(&lerrs, fmt.Sprintf("lookup %q", name))
		if len(lerrs) > 0 {
			errs = append(errs, fmt.Errorf("sim: %s", lerrs[0].Msg))
			continue
		}
		if pl.tables == nil {
			pl.tables = append([]*table(nil), p.tables...)
		}
		pl.tables[t] = newTable(l)
	}
	switch len(errs) {
	case 0:
	case 1:
		return nil, errs[0]
	default:
		return nil, errors.Join(errs...)
	}
	return pl, nil
}

// sortedKeys returns the keys of a map in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// setTwice is the error for a settings map that sets one variable under
// two spellings of its name, one of them name: both are named, in the same
// order whichever the map gave first.
func setTwice(set map[string]float64, name, variable string) error {
	for other := range set {
		if other != name && model.Canonical(other) == model.Canonical(name) {
			a, b := min(other, name), max(other, name)
			return fmt.Errorf("sim: %q and %q set the same variable, %q", a, b, variable)
		}
	}
	return fmt.Errorf("sim: %q is set twice", variable) // not reached: a map has no equal keys
}

// Check reports what Run would refuse in a scenario before it starts: an
// unknown or non-constant name to set, an unknown or invalid lookup, bad
// time settings or variables to record. It runs nothing.
func (p *Program) Check(s Scenario) error {
	_, err := p.plan(s)
	return err
}

// Columns returns the names of the columns a run of the scenario records.
func (p *Program) Columns(s Scenario) ([]string, error) {
	pl, err := p.plan(s)
	if err != nil {
		return nil, err
	}
	return pl.names, nil
}

// Run runs the program under a scenario and returns the saved rows.
func (p *Program) Run(s Scenario) (*Result, error) {
	pl, err := p.plan(s)
	if err != nil {
		return nil, err
	}
	rows := pl.steps/pl.stride + 1
	if bytes := float64(rows) * float64(len(pl.columns)+1) * 8; bytes > MaxResultBytes {
		return nil, fmt.Errorf("sim: keeping %d rows of %d variables would need %.3g GB; record fewer variables, save less often, or stream the rows", rows, len(pl.columns), bytes/1e9)
	}
	res := newResult(pl.names, rows)
	err = p.exec(pl, func(t float64, row []float64) error {
		res.add(t, row)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// Stream runs the program under a scenario and hands each saved row to fn
// instead of keeping it, so memory does not grow with the length of the run.
// row holds the values of the columns Columns(s) names; fn must not keep it.
// An error from fn stops the run and is returned.
func (p *Program) Stream(s Scenario, fn func(t float64, row []float64) error) error {
	pl, err := p.plan(s)
	if err != nil {
		return err
	}
	return p.exec(pl, fn)
}

func (p *Program) exec(pl *plan, emit func(t float64, row []float64) error) error {
	row := make([]float64, len(pl.columns))
	return p.execState(pl, func(r *run) error {
		for j, slot := range pl.columns {
			row[j] = r.v[slot]
		}
		return emit(r.t, row)
	})
}

// execState runs a plan, calling save with the state at each saved step.
func (p *Program) execState(pl *plan, save func(r *run) error) error {
	r := &run{
		v:      make([]float64, len(p.nodes)),
		t:      p.time.Start,
		dt:     pl.dt,
		start:  p.time.Start,
		stop:   p.time.Stop,
		tables: pl.tables,
		rng:    rand.New(rand.NewPCG(pl.seed, pl.seed^seedMix)),
		rand:   make([]randSite, len(p.seeded)),
		hist:   make([][]float64, len(p.delays)),
		prev:   make([]float64, len(p.prevs)),
		regs:   make([]float64, p.regs*chunk),
	}
	for i := range r.rand {
		r.rand[i].args = make([]float64, 4)
	}
	for i := range r.hist {
		r.hist[i] = make([]float64, 0, pl.steps+1)
	}
	if r.tables == nil {
		r.tables = p.tables
	}
	if err := p.initialise(r, pl); err != nil {
		return err
	}
	p.startLimits(r)
	stocks := len(p.stocks)
	var k [4][]float64
	var y0 []float64
	for i := range k {
		k[i] = make([]float64, stocks)
	}
	y0 = make([]float64, stocks)
	dt := pl.dt
	// The stocks' values at the start of a step are needed to limit the
	// outflows of non-negative stocks and between the stages of RK2 and RK4.
	keep := len(p.nonNeg) > 0 || pl.method != model.Euler
	for i := 0; ; i++ {
		r.t = p.time.Start + float64(i)*dt
		r.t0, r.step = r.t, i
		if i > 0 {
			for k, ps := range p.prevs {
				r.v[ps.slot] = r.prev[k]
			}
		}
		if err := p.evalStep(r, pl); err != nil {
			return err
		}
		if keep {
			p.save(r, y0)
		}
		p.limit(r, y0)
		for k, in := range p.delays {
			r.hist[k] = append(r.hist[k], r.v[in])
		}
		for k, ps := range p.prevs {
			r.prev[k] = r.v[ps.in]
		}
		if i%pl.stride == 0 {
			if err := save(r); err != nil {
				return err
			}
		}
		if i == pl.steps {
			return nil
		}
		switch pl.method {
		case model.Euler:
			if len(p.nonNeg) == 0 {
				if p.euler(r, dt) && !pl.allow {
					return p.endStep(r, pl)
				}
				continue
			}
			p.derivs(r, k[0])
			p.advance(r, k[0], dt)
		case model.RK2:
			p.derivs(r, k[0])
			p.advance(r, k[0], dt)
			r.t += dt
			if err := p.evalStep(r, pl); err != nil {
				return err
			}
			p.limit(r, y0)
			p.derivs(r, k[1])
			for j := range k[0] {
				k[0][j] = (k[0][j] + k[1][j]) / 2
			}
			p.restore(r, y0)
			p.advance(r, k[0], dt)
		case model.RK4:
			t := r.t
			p.derivs(r, k[0])
			p.advance(r, k[0], dt/2)
			r.t = t + dt/2
			if err := p.evalStep(r, pl); err != nil {
				return err
			}
			p.limit(r, y0)
			p.derivs(r, k[1])
			p.restore(r, y0)
			p.advance(r, k[1], dt/2)
			if err := p.evalStep(r, pl); err != nil {
				return err
			}
			p.limit(r, y0)
			p.derivs(r, k[2])
			p.restore(r, y0)
			p.advance(r, k[2], dt)
			r.t = t + dt
			if err := p.evalStep(r, pl); err != nil {
				return err
			}
			p.limit(r, y0)
			p.derivs(r, k[3])
			for j := range k[0] {
				k[0][j] = (k[0][j] + 2*k[1][j] + 2*k[2][j] + k[3][j]) / 6
			}
			p.restore(r, y0)
			p.advance(r, k[0], dt)
		}
		if err := p.endStep(r, pl); err != nil {
			return err
		}
	}
}

// initialise computes every initial value in dependency order.
func (p *Program) initialise(r *run, pl *plan) error {
	r.initialising = true
	defer func() { r.initialising = false }()
	for _, slot := range p.init {
		n := p.nodes[slot]
		x, ok := pl.set[slot]
		if !ok {
			x = n.fn(r)
			if n.nonNeg && n.kind == model.Flow && x < 0 {
				x = 0
			}
		}
		r.v[slot] = x
		if !pl.allow && x-x != 0 {
			return p.explain(r, slot)
		}
		if n.check != nil {
			if msg := n.check(x); msg != "" {
				return &model.Error{Pos: n.eq.PosAt(n.checkAt), Msg: msg}
			}
		}
	}
	return nil
}

// derivs stores each stock's net flow in d: the sum of its flows, each
// times its sign (+1 in, −1 out), in the order the stock lists them.
func (p *Program) derivs(r *run, d []float64) {
	v := r.v
	slots, signs := p.termSlot, p.termSign[:len(p.termSlot)]
	start := 0
	for j, end := range p.termEnd {
		net := 0.0
		for t := start; t < end; t++ {
			net += signs[t] * v[slots[t]]
		}
		d[j] = net
		start = end
	}
	for k, s := range p.nonNeg {
		d[s.stock] = r.nnNet[k]
	}
}

// euler moves each stock by h times its net flow: derivs, advance and the
// check of endStep in one pass, for a program without non-negative stocks.
// It reports whether a stock is not finite.
func (p *Program) euler(r *run, h float64) (bad bool) {
	v := r.v
	// Stocks of two flows, the commonest, without an inner loop.
	for _, s := range p.pairs {
		net := 0.0
		net += s.sa * v[s.a]
		net += s.sb * v[s.b]
		x := v[s.slot] + h*net
		if x-x != 0 {
			bad = true
		}
		v[s.slot] = x
	}
	slots, signs := p.termSlot, p.termSign[:len(p.termSlot)]
	ends := p.termEnd[:len(p.stockSlot)]
	for _, j := range p.others {
		start := 0
		if j > 0 {
			start = ends[j-1]
		}
		net := 0.0
		for t := start; t < ends[j]; t++ {
			net += signs[t] * v[slots[t]]
		}
		s := p.stockSlot[j]
		x := v[s] + h*net
		if x-x != 0 {
			bad = true
		}
		v[s] = x
	}
	return bad
}

// advance moves each stock by h times its rate in d.
func (p *Program) advance(r *run, d []float64, h float64) {
	v := r.v
	d = d[:len(p.stockSlot)]
	for j, s := range p.stockSlot {
		v[s] += h * d[j]
	}
}

func (p *Program) save(r *run, y []float64) {
	y = y[:len(p.stockSlot)]
	for j, s := range p.stockSlot {
		y[j] = r.v[s]
	}
}

func (p *Program) restore(r *run, y []float64) {
	y = y[:len(p.stockSlot)]
	for j, s := range p.stockSlot {
		r.v[s] = y[j]
	}
}

// endStep checks that every stock is finite. A non-negative stock's
// outflows were limited so that it ends at zero or above; a value below
// zero here is rounding (S − dt·(S/dt) need not be exactly 0), set to 0.
func (p *Program) endStep(r *run, pl *plan) error {
	v := r.v
	for _, s := range p.nonNeg {
		if v[s.slot] < 0 {
			v[s.slot] = 0
		}
	}
	if pl.allow {
		return nil
	}
	for _, s := range p.stockSlot {
		if x := v[s]; x-x != 0 {
			n := p.nodes[s]
			return &RuntimeError{Var: n.ownerName(), Time: r.t0 + r.dt, Value: x, Pos: n.eq.Pos,
				Equation: "the integral of its flows"}
		}
	}
	return nil
}

// explain builds the error for a variable whose value is not finite,
// evaluating its equation again with tracing to find the innermost
// sub-expression at fault.
func (p *Program) explain(r *run, slot int) error {
	n := p.nodes[slot]
	err := &RuntimeError{Var: n.ownerName(), Time: r.t, Value: r.v[slot], Pos: n.eq.Pos, Equation: n.eq.Text}
	if n.x == nil {
		return err
	}
	var tr tracer
	c := &compiler{p: p}
	c.compile(n.x, &tr)(r)
	if tr.bad != nil {
		err.Pos = n.eq.PosAt(tr.bad.Pos())
		if text := expr.Format(tr.bad); !strings.Contains(text, "\x00") {
			err.Expr, err.ExprValue = text, tr.value // not when it names hidden variables
		}
	}
	return err
}
