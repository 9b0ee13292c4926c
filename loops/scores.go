package loops

import (
	"fmt"
	"math"
	"sort"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// Scores are the Loops That Matter scores of the loops of a model over a
// run. Row i of each series belongs to Times[i] and describes the dt step
// that ends there; row 0 describes no step, and holds NaN.
type Scores struct {
	Times []float64 // the saved times of the run
	Loops []*Loop
	// Score[j][i] is loop j's loop score at Times[i]: the product of
	// its link scores.
	Score [][]float64
	// Relative[j][i] is Score[j][i] divided by the sum of the absolute
	// loop scores of the loops of the same partition at Times[i]: the
	// signed share of the change in the partition's stocks that loop j
	// explains, in [-1, 1]. It is 0 when every loop of the partition
	// scores 0.
	Relative [][]float64
	// Dominant lists, for each partition in turn, the periods over
	// which one set of loops dominates.
	Dominant []Period
}

// Period is a stretch of saved times over which the same loops of one
// partition dominate: together they explain at least half of the change in
// its stocks, and no smaller set does.
type Period struct {
	Partition  int
	Start, End float64 // the first and the last saved time of the period
	Loops      []int   // indices into Scores.Loops, ascending
}

// Series returns the relative scores of the loop with the given label or
// ID. For a loop the scores do not hold, the error is a *model.NameError
// naming the closest label.
func (s *Scores) Series(label string) ([]float64, error) {
	labels := make([]string, 0, len(s.Loops))
	for j, l := range s.Loops {
		if l.Label() == label || l.ID == label {
			return s.Relative[j], nil
		}
		labels = append(labels, l.Label())
	}
	return nil, fmt.Errorf("loops: %w", &model.NameError{Kind: "loop", Name: label, In: "the scores", Closest: model.Closest(label, labels)})
}

// maxPaths bounds the number of paths through the hidden variables of one
// equation's stateful functions that one link stands for.
const maxPaths = 1000

// Score runs the program under a scenario and computes the Loops That
// Matter scores of the given loops (normally all those Graph.Loops found
// for the program's model) at each saved time: the scenario's SaveEvery,
// or the model's. Loops are normalised with the others of the same
// Partition.
//
// Scores are computed on the program's expanded graph, hidden variables of
// stateful functions included; see the package documentation for the
// formulas, the time convention and the integration methods.
func Score(p *sim.Program, s sim.Scenario, loops []*Loop) (*Scores, error) {
	if _, err := p.Columns(s); err != nil { // checks the scenario, save_every included
		return nil, err
	}
	for _, l := range loops {
		if l.graph != nil && len(l.graph.implicit) > 0 {
			var err error
			if p, err = l.graph.program(p); err != nil {
				return nil, err
			}
			break
		}
	}
	tr, err := p.Trace(s)
	if err != nil {
		return nil, err
	}
	out, _, err := scoreTrace(p, s, tr, loops)
	return out, err
}

// linkSeries are the scores of the links of some loops at each saved time
// (row 0 unused): Score[id][i], where Links[j][n] is the id of loop j's
// n-th link.
type linkSeries struct {
	Score [][]float64
	Links [][]int
}

// scoreTrace is Score of a run already traced, with the scores of the
// loops' links.
func scoreTrace(p *sim.Program, s sim.Scenario, tr *sim.Trace, loops []*Loop) (*Scores, *linkSeries, error) {
	sc, err := newScorer(p, loops)
	if err != nil {
		return nil, nil, err
	}
	ev, err := p.Evaluator(s)
	if err != nil {
		return nil, nil, err
	}
	save := s.SaveEvery
	if save == 0 {
		save = p.Time().SaveEvery
	}
	stride := 1
	if save > 0 {
		stride = max(1, int(math.Round(save/tr.DT())))
	}
	out := &Scores{Loops: loops, Score: make([][]float64, len(loops)), Relative: make([][]float64, len(loops))}
	times := tr.Times()
	for k := 0; k < len(times); k += stride {
		out.Times = append(out.Times, times[k])
	}
	rows := len(out.Times)
	for j := range loops {
		out.Score[j] = make([]float64, rows)
		out.Relative[j] = make([]float64, rows)
		out.Score[j][0], out.Relative[j][0] = math.NaN(), math.NaN()
	}
	lsc := &linkSeries{Score: make([][]float64, len(sc.links)), Links: sc.loops}
	for id := range lsc.Score {
		lsc.Score[id] = make([]float64, rows)
	}
	ls := make([]float64, len(sc.edges))
	scratch := make([]float64, len(sc.nodes))
	for i := 1; i < rows; i++ {
		k := i * stride
		prev, cur := tr.State(k-1), tr.State(k)
		copy(scratch, prev)
		for e := range sc.edges {
			ls[e] = sc.linkScore(e, ev, scratch, prev, cur, times[k-1])
		}
		for id := range sc.links {
			lsc.Score[id][i] = sc.links[id].score(ls)
		}
		for j, links := range sc.loops {
			score := 1.0
			for _, l := range links {
				score *= lsc.Score[l][i]
			}
			out.Score[j][i] = score
		}
	}
	out.normalise()
	out.dominance()
	return out, lsc, nil
}

// scorer holds a program's expanded graph and, for each loop, the paths
// through it that the loop's links stand for.
type scorer struct {
	nodes []sim.Node
	edges []xedge     // the expanded links the loops use
	links []modelLink // the model links the loops use
	loops [][]int     // loop → its model links
	net   [][2][]int  // stock node → its inflows and outflows
	byID  map[[2]int]int
}

// xedge is a link of the expanded graph: from a node to one whose equation
// reads it, or from a flow to its stock.
type xedge struct {
	from, to int
	flow     float64 // +1 for an inflow, -1 for an outflow, 0 for a reading
}

// modelLink is a link of the causal graph as paths of the expanded graph:
// its score is the sum of the paths' scores, each the product of its
// edges' link scores.
type modelLink struct {
	paths [][]int // edge indices
}

func (l *modelLink) score(ls []float64) float64 {
	sum := 0.0
	for _, p := range l.paths {
		prod := 1.0
		for _, e := range p {
			prod *= ls[e]
		}
		sum += prod
	}
	return sum
}

func newScorer(p *sim.Program, loops []*Loop) (*scorer, error) {
	sc := &scorer{nodes: p.Nodes(), byID: make(map[[2]int]int)}
	byName := make(map[string]int)
	succ := make([][]xedge, len(sc.nodes))
	sc.net = make([][2][]int, len(sc.nodes))
	for i, n := range sc.nodes {
		if !n.Hidden {
			byName[model.Canonical(n.Name)] = i
		}
		for _, in := range n.Inputs {
			succ[in] = append(succ[in], xedge{from: in, to: i})
		}
		for _, f := range n.Inflows {
			succ[f] = append(succ[f], xedge{from: f, to: i, flow: 1})
		}
		for _, f := range n.Outflows {
			succ[f] = append(succ[f], xedge{from: f, to: i, flow: -1})
		}
		sc.net[i] = [2][]int{n.Inflows, n.Outflows}
	}
	owner := make([]string, len(sc.nodes))
	for i, n := range sc.nodes {
		owner[i] = model.Canonical(n.Owner)
	}
	linkOf := make(map[[2]int]int)
	for _, l := range loops {
		var ids []int
		for k := range l.Variables {
			from, ok1 := byName[model.Canonical(l.Variables[k])]
			to, ok2 := byName[model.Canonical(l.Variables[(k+1)%len(l.Variables)])]
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("loops: loop %s names a variable the program does not have", l.Label())
			}
			key := [2]int{from, to}
			id, ok := linkOf[key]
			if !ok {
				paths, err := sc.paths(succ, owner, from, to)
				if err != nil {
					return nil, err
				}
				id = len(sc.links)
				sc.links = append(sc.links, modelLink{paths: paths})
				linkOf[key] = id
			}
			ids = append(ids, id)
		}
		sc.loops = append(sc.loops, ids)
	}
	return sc, nil
}

// paths finds every path from node from to node to whose inner nodes are
// hidden nodes serving to: the ways a change in from reaches to through
// to's stateful functions (one direct link when there are none).
func (sc *scorer) paths(succ [][]xedge, owner []string, from, to int) ([][]int, error) {
	var out [][]int
	var path []int
	on := make(map[int]bool)
	target := owner[to]
	var walk func(u int) error
	walk = func(u int) error {
		for _, e := range succ[u] {
			w := e.to
			switch {
			case w == to:
				if len(out) == maxPaths {
					return fmt.Errorf("loops: more than %d paths lead from %q to %q through stateful functions", maxPaths, sc.nodes[from].Name, sc.nodes[to].Name)
				}
				out = append(out, append(append([]int(nil), path...), sc.edge(e)))
			case sc.nodes[w].Hidden && owner[w] == target && !on[w]:
				on[w] = true
				path = append(path, sc.edge(e))
				if err := walk(w); err != nil {
					return err
				}
				path = path[:len(path)-1]
				on[w] = false
			}
		}
		return nil
	}
	if err := walk(from); err != nil {
		return nil, err
	}
	return out, nil
}

// edge returns the index of an expanded link, adding it if it is new.
func (sc *scorer) edge(e xedge) int {
	key := [2]int{e.from, e.to}
	if id, ok := sc.byID[key]; ok {
		return id
	}
	sc.byID[key] = len(sc.edges)
	sc.edges = append(sc.edges, e)
	return len(sc.edges) - 1
}

// linkScore is the score of expanded link e over the step from prev to
// cur, which starts at time t. scratch holds prev and is left so.
func (sc *scorer) linkScore(e int, ev *sim.Evaluator, scratch, prev, cur []float64, t float64) float64 {
	x := sc.edges[e]
	dx := cur[x.from] - prev[x.from]
	if dx == 0 {
		return 0
	}
	if x.flow != 0 {
		// LS(f → S) = ±|Δf / Δnet(S)|: the change of the flow over
		// the change of the stock's net flow (see the package
		// documentation).
		dnet := 0.0
		for _, f := range sc.net[x.to][0] {
			dnet += cur[f] - prev[f]
		}
		for _, f := range sc.net[x.to][1] {
			dnet -= cur[f] - prev[f]
		}
		if dnet == 0 {
			return 0
		}
		return x.flow * math.Abs(dx/dnet)
	}
	// LS(x → z) = |Δx(z)/Δz| · sign(Δx(z)/Δx), Δx(z) = f(x(t), others(t−dt)) − z(t−dt).
	dz := cur[x.to] - prev[x.to]
	if dz == 0 {
		return 0
	}
	scratch[x.from] = cur[x.from]
	part := ev.Eval(x.to, scratch, t) - prev[x.to]
	scratch[x.from] = prev[x.from]
	if part == 0 {
		return 0
	}
	ls := math.Abs(part / dz)
	if (part < 0) != (dx < 0) {
		ls = -ls
	}
	return ls
}

// normalise computes the relative scores from the scores.
func (s *Scores) normalise() {
	for i := 1; i < len(s.Times); i++ {
		sum := make(map[int]float64)
		for j, l := range s.Loops {
			sum[l.Partition] += math.Abs(s.Score[j][i])
		}
		for j, l := range s.Loops {
			if d := sum[l.Partition]; d != 0 {
				s.Relative[j][i] = s.Score[j][i] / d
			}
		}
	}
}

// dominance finds the dominant periods of each partition: at each saved
// time, the fewest loops (the strongest first) whose relative scores add
// up, in absolute value, to at least one half; then the runs of saved
// times with the same set.
func (s *Scores) dominance() {
	var parts []int
	members := make(map[int][]int)
	for j, l := range s.Loops {
		if members[l.Partition] == nil {
			parts = append(parts, l.Partition)
		}
		members[l.Partition] = append(members[l.Partition], j)
	}
	sort.Ints(parts)
	for _, part := range parts {
		var cur *Period
		for i := 1; i < len(s.Times); i++ {
			set := s.dominantAt(members[part], i)
			if cur != nil && equalInts(cur.Loops, set) {
				cur.End = s.Times[i]
				continue
			}
			if cur != nil {
				s.Dominant = append(s.Dominant, *cur)
				cur = nil
			}
			if set != nil {
				cur = &Period{Partition: part, Start: s.Times[i], End: s.Times[i], Loops: set}
			}
		}
		if cur != nil {
			s.Dominant = append(s.Dominant, *cur)
		}
	}
}

// dominantAt returns the dominant loops among members at row i, ascending,
// or nil when no loop of them is active.
func (s *Scores) dominantAt(members []int, i int) []int {
	order := append([]int(nil), members...)
	rel := func(j int) float64 { return math.Abs(s.Relative[j][i]) }
	for _, j := range order {
		if math.IsNaN(rel(j)) {
			return nil
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return rel(order[a]) > rel(order[b]) })
	var set []int
	total := 0.0
	for _, j := range order {
		if total >= 0.5-1e-9 || rel(j) == 0 {
			break
		}
		set = append(set, j)
		total += rel(j)
	}
	if total < 0.5-1e-9 {
		return nil
	}
	sort.Ints(set)
	return set
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
