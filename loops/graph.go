package loops

import (
	"errors"
	"fmt"
	"sort"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// Link is an arrow of the causal graph.
type Link struct {
	From, To string // variable names as written in the model
	Polarity Polarity
	// Flow is true for the link from a flow to a stock it fills
	// (Positive) or drains (Negative).
	Flow bool
}

// Graph is the causal graph of a model: a link x → z for each variable x
// that z's equation names, and one from each flow to each stock it fills
// or drains. A stock's initial value is not a causal link: it acts once,
// before the run. A stateful function (SMTH1, DELAY3, ...) is one link
// from each variable its arguments name to the variable whose equation
// calls it.
type Graph struct {
	m        *model.Model
	parsed   *model.Model // m with every equation parsed, and its implicit factors split out
	implicit []Implicit
	vars     map[string]*model.Variable // by canonical name
	names    []string                   // node → name as written; nodes sorted by canonical name
	canon    []string                   // node → canonical name
	index    map[string]int             // canonical name → node
	out      [][]edge                   // node → its links, by target node
	part     []int                      // node → strongly connected component
	dims     *model.Model               // the model as given, with its dimensions
	elems    map[string]element         // canonical name → the array element it is
}

type edge struct {
	to   int
	pol  Polarity
	flow bool
}

// NewGraph builds the causal graph of a model and decides the polarity of
// each link. The error is a model.ErrorList when the model is not valid or
// an equation does not parse.
func NewGraph(m *model.Model) (*Graph, error) {
	if m == nil {
		panic("loops: NewGraph of a nil model")
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	// The graph of an arrayed model is over its elements: a loop through
	// customers[smb] is not the loop through customers[enterprise].
	arrayed := m
	m, err := model.Flatten(m)
	if err != nil {
		return nil, err
	}
	// Parse equations a program gave as text only, without changing the
	// caller's model.
	var errs model.ErrorList
	vars := make([]*model.Variable, len(m.Vars))
	for i, v := range m.Vars {
		vars[i] = v
		if v.Equation.Expr == nil {
			eq, err := model.NewEquation(v.Equation.Text, v.Equation.Pos, 0)
			if err != nil {
				errs.Append(err)
				continue
			}
			cp := *v
			cp.Equation = eq
			vars[i] = &cp
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	parsed := *m
	parsed.Vars = vars
	byName := make(map[string]*model.Variable, len(vars))
	for _, v := range vars {
		byName[model.Canonical(v.Name)] = v
	}
	split, implicit := implicitFactors(&parsed, byName, arrayed)
	vars = split.Vars

	g := &Graph{m: m, implicit: implicit, vars: make(map[string]*model.Variable, len(vars)), index: make(map[string]int, len(vars)), dims: arrayed}
	g.elems = arrayElements(arrayed)
	for _, im := range implicit {
		// A factor of an element's equation is an element too:
		// cs_allocation_factor_2[smb].
		if el, ok := g.elems[model.Canonical(im.Of)]; ok {
			if base, _, err := model.SplitElementName(im.Name); err == nil {
				g.elems[model.Canonical(im.Name)] = element{base: base, subs: el.subs, dims: el.dims}
			}
		}
	}
	for _, v := range vars {
		g.vars[model.Canonical(v.Name)] = v
	}
	order := append([]*model.Variable(nil), vars...)
	sort.Slice(order, func(i, j int) bool { return model.Canonical(order[i].Name) < model.Canonical(order[j].Name) })
	for i, v := range order {
		c := model.Canonical(v.Name)
		g.names = append(g.names, v.Name)
		g.canon = append(g.canon, c)
		g.index[c] = i
	}
	g.out = make([][]edge, len(order))

	g.parsed = split
	a := newAnalysis(split, g.vars, nil)
	for _, z := range order {
		zi := g.index[model.Canonical(z.Name)]
		if z.Kind == model.Stock {
			for _, f := range z.Inflows {
				fi := g.index[model.Canonical(f)]
				g.out[fi] = append(g.out[fi], edge{to: zi, pol: Positive, flow: true})
			}
			for _, f := range z.Outflows {
				fi := g.index[model.Canonical(f)]
				g.out[fi] = append(g.out[fi], edge{to: zi, pol: Negative, flow: true})
			}
			continue
		}
		for _, x := range a.references(z) {
			xi := g.index[x]
			g.out[xi] = append(g.out[xi], edge{to: zi, pol: a.link(x, z)})
		}
	}
	for _, es := range g.out {
		sort.Slice(es, func(i, j int) bool { return es[i].to < es[j].to })
	}
	g.part = g.components()
	return g, nil
}

// link is the polarity of the link from the variable with canonical name
// x to z, which reads it.
func (a *analysis) link(x string, z *model.Variable) Polarity {
	d := a.dep(z.Equation.Expr, x, z)
	if z.Lookup != nil {
		dir := tableDirection(z.Lookup)
		if r, ok := a.interval(z.Equation.Expr, z); ok {
			dir = tableDirectionOver(z.Lookup, r)
		}
		d = times(dir, d)
	}
	if z.NonNegative && z.Kind == model.Flow {
		d |= sZero // max(0, f) follows f or stays at 0
	}
	return d.polarity()
}

// references returns the canonical names of the variables z's equation
// names, sorted, each once.
func (a *analysis) references(z *model.Variable) []string {
	seen := make(map[string]bool)
	var out []string
	a.refs(z.Equation.Expr, z, func(c string) bool {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
		return true
	})
	sort.Strings(out)
	return out
}

// Links returns every link of the graph, sorted by the canonical names of
// their causes, then of their effects.
func (g *Graph) Links() []Link {
	var out []Link
	for from, es := range g.out {
		for _, e := range es {
			out = append(out, Link{From: g.names[from], To: g.names[e.to], Polarity: e.pol, Flow: e.flow})
		}
	}
	return out
}

// ErrNoLink is the error Graph.Link wraps when neither of two variables
// acts directly on the other in that direction.
var ErrNoLink = errors.New("loops: no link")

// Link returns the link from one variable to another (names compared
// canonically). A name the graph does not hold is a *model.NameError;
// two variables without a link between them give an error wrapping
// ErrNoLink.
func (g *Graph) Link(from, to string) (Link, error) {
	fi, ok := g.index[model.Canonical(from)]
	if !ok {
		return Link{}, g.nameError(from)
	}
	ti, ok := g.index[model.Canonical(to)]
	if !ok {
		return Link{}, g.nameError(to)
	}
	for _, e := range g.out[fi] {
		if e.to == ti {
			return Link{From: g.names[fi], To: g.names[ti], Polarity: e.pol, Flow: e.flow}, nil
		}
	}
	return Link{}, fmt.Errorf("%w from %q to %q", ErrNoLink, g.names[fi], g.names[ti])
}

// nameError reports a name that is none of the graph's variables.
func (g *Graph) nameError(name string) error {
	return fmt.Errorf("loops: %w", &model.NameError{Kind: "variable", Name: name, In: "the causal graph", Closest: model.Closest(name, g.names)})
}

// Implicit returns the factors of equations the graph shows as variables
// of their own (see Implicit), in the order of the model's variables.
func (g *Graph) Implicit() []Implicit { return g.implicit }

// program returns the program whose variables are the graph's: p, or p's
// model with the implicit factors split out, compiled.
func (g *Graph) program(p *sim.Program) (*sim.Program, error) {
	if len(g.implicit) == 0 {
		return p, nil
	}
	return sim.Compile(g.parsed)
}

// Model returns the model the graph was built from.
func (g *Graph) Model() *model.Model { return g.m }

// components numbers the strongly connected components of the graph
// (Tarjan's algorithm, iteratively so that no model is too deep for the
// stack).
func (g *Graph) components() []int {
	n := len(g.out)
	index, low, comp := make([]int, n), make([]int, n), make([]int, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	next, ncomp := 0, 0
	type frame struct{ v, e int }
	for root := 0; root < n; root++ {
		if index[root] >= 0 {
			continue
		}
		call := []frame{{root, 0}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			if f.e < len(g.out[f.v]) {
				w := g.out[f.v][f.e].to
				f.e++
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					call = append(call, frame{w, 0})
				} else if onStack[w] {
					low[f.v] = min(low[f.v], index[w])
				}
				continue
			}
			v := f.v
			call = call[:len(call)-1]
			if len(call) > 0 {
				u := call[len(call)-1].v
				low[u] = min(low[u], low[v])
			}
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = ncomp
					if w == v {
						break
					}
				}
				ncomp++
			}
		}
	}
	return comp
}
