package sim

import (
	"fmt"
	"slices"

	"github.com/stockflow/stockflow/model"
)

// Analysis tools (the loops package's Loops That Matter scores) need more of
// a program than its outputs: every variable including the hidden ones of
// stateful functions, the value of each at every step, and each equation
// evaluated with inputs of their choosing. These are that view. A node is
// named by its position in Program.Nodes; a state is one value per node in
// that order (Trace.State gives them, Evaluator.Eval reads them). How a
// run lays out its values inside is its own.

// Node describes one variable of a compiled program. Its links to other
// nodes are their positions in Program.Nodes.
type Node struct {
	Name   string // as written in the model; internal for a hidden node
	Owner  string // the model variable a hidden node serves; Name otherwise
	Kind   model.Kind
	Hidden bool // made by a stateful function
	// Inputs are the nodes whose values at the same step the equation
	// reads (none for a stock, which integrates its flows, and none for
	// nodes that remember: see Memory).
	Inputs []int
	// Inflows and Outflows are a stock's flows.
	Inflows, Outflows []int
	// Memory is true for a node whose value at a step comes from earlier
	// steps rather than from its inputs at that step: a stock, and the
	// hidden nodes of DELAY, PREVIOUS and INIT.
	Memory bool
}

// Nodes returns every variable of the program, hidden ones included; a
// node's position in it is the index Trace and Evaluator take.
func (p *Program) Nodes() []Node {
	out := make([]Node, len(p.nodes))
	for i, n := range p.nodes {
		nd := Node{Name: n.name, Owner: n.ownerName(), Kind: n.kind, Hidden: n.hidden,
			Inflows: slices.Clone(n.in), Outflows: slices.Clone(n.out),
			Memory: n.kind == model.Stock || n.state || n.fixed || n.custom != nil}
		if n.kind != model.Stock && !n.state && !n.fixed {
			nd.Inputs = uniq(n.deps)
		}
		out[i] = nd
	}
	return out
}

func uniq(xs []int) []int {
	seen := make(map[int]bool, len(xs))
	var out []int
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// Trace is the value of every node (Program.Nodes) at every integration
// step of a run.
type Trace struct {
	times  []float64
	states [][]float64 // states[k][j] is node j at times[k]
	dt     float64
}

// Times returns the times of the steps: start, start+dt, ... The slice is
// the trace's own; do not change it.
func (tr *Trace) Times() []float64 { return tr.times }

// DT returns the run's integration step.
func (tr *Trace) DT() float64 { return tr.dt }

// State returns every node's value at step k (at Times()[k]), one per node
// in the order of Program.Nodes: the state an Evaluator reads. The slice
// is the trace's own; copy it to change it.
func (tr *Trace) State(k int) []float64 { return tr.states[k] }

// Series returns node j's value at each step, indexed as Times, in a new
// slice: a series, indexed by time as Result's are.
func (tr *Trace) Series(j int) []float64 {
	out := make([]float64, len(tr.states))
	for k, st := range tr.states {
		out[k] = st[j]
	}
	return out
}

// Trace runs the program under a scenario, keeping every node's value at
// every step (the scenario's SaveEvery and Vars are ignored). Under RK2 and
// RK4 the values are those at the start of each step, where the
// auxiliaries and flows are computed from the stocks at that time.
func (p *Program) Trace(s Scenario) (*Trace, error) {
	s.SaveEvery, s.Vars = 0, nil
	pl, err := p.plan(s)
	if err != nil {
		return nil, err
	}
	pl.stride = 1
	rows := pl.steps + 1
	if bytes := float64(rows) * float64(len(p.nodes)+1) * 8; bytes > MaxResultBytes {
		return nil, fmt.Errorf("sim: tracing %d steps of %d variables would need %.3g GB", rows, len(p.nodes), bytes/1e9)
	}
	tr := &Trace{dt: pl.dt, times: make([]float64, 0, rows), states: make([][]float64, 0, rows)}
	err = p.execState(pl, func(r *run) error {
		tr.times = append(tr.times, r.t)
		tr.states = append(tr.states, append([]float64(nil), r.v...))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return tr, nil
}

// Evaluator evaluates single equations of a program with inputs of the
// caller's choosing. It is not safe for concurrent use; make one per
// goroutine.
type Evaluator struct {
	p *Program
	r run
}

// Evaluator returns an evaluator using the scenario's lookups and dt.
func (p *Program) Evaluator(s Scenario) (*Evaluator, error) {
	pl, err := p.plan(s)
	if err != nil {
		return nil, err
	}
	e := &Evaluator{p: p, r: run{dt: pl.dt, start: p.time.Start, stop: p.time.Stop, tables: pl.tables}}
	if e.r.tables == nil {
		e.r.tables = p.tables
	}
	return e, nil
}

// Eval computes node i's equation (Program.Nodes()[i]) at time t reading
// every input from the state v (one value per node, as Trace.State gives
// it). For a node with Memory, or one that draws random numbers, it
// returns v[i]: such a node does not respond to its inputs within a step.
func (e *Evaluator) Eval(i int, v []float64, t float64) float64 {
	n := e.p.nodes[i]
	if n.kind == model.Stock || n.state || n.fixed || n.custom != nil || e.p.random(i) {
		return v[i]
	}
	e.r.v, e.r.t, e.r.t0 = v, t, t
	x := n.fn(&e.r)
	if n.nonNeg && n.kind == model.Flow && x < 0 {
		x = 0
	}
	return x
}

// random reports whether node i's own equation draws random numbers.
func (p *Program) random(i int) bool {
	return p.nodes[i].draws
}
