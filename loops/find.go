package loops

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/stockflow/stockflow/model"
)

// DefaultLimit is the number of loops Graph.Loops finds at most when asked
// for no particular limit.
const DefaultLimit = 10000

// Loop is an elementary feedback loop: a closed path of links that visits
// no variable twice.
type Loop struct {
	// ID is R1, R2, ... for reinforcing loops, B1, ... for balancing
	// ones, RB1, ... for those a run shows changing polarity and U1, ...
	// for those of undetermined polarity. A loop that passes through
	// one element of an array and has copies through the other elements
	// (the same variables and polarities at another element) has the
	// number of its copies and its element: R1[smb], R1[enterprise]; see
	// Dims.
	ID string
	// Name and Doc are those the model's loops section gives the loop,
	// if it does.
	Name, Doc string
	// Variables are the loop's variables as written in the model, in
	// the direction of causation, starting at the one whose canonical
	// name sorts first.
	Variables []string
	// Links[i] is the polarity of the link from Variables[i] to
	// Variables[i+1] (the last one closes the loop to Variables[0]).
	Links []Polarity
	Kind  Kind
	// Partition numbers, from 1, the loop's cycle partition: the
	// strongly connected part of the causal graph it lies in. Loops of
	// different partitions share no stock and no influence; their
	// scores are normalised apart.
	Partition int
	// Evidence says what decided Kind: the equations alone
	// (FromStructure), or a run (FromRanges, FromRun) of the scenario
	// Scenario ("" for the model as written). For an undetermined loop
	// it says how far the analysis went.
	Evidence Evidence
	Scenario string
	// Changes are the saved times at which the score of a Changing
	// loop changes sign, and Phases the
	// kinds of a Changing loop between them: Phases[0] until
	// Changes[0], Phases[i] from Changes[i-1]. Note says in words when
	// and why a Changing loop changes, or why a loop is undetermined
	// ("" for R and B loops).
	Changes []float64
	Phases  []Kind
	Note    string
	// Dims and Elements, for a loop through one element of one or more
	// arrays' dimensions (every arrayed variable of the loop at that
	// element), name those dimensions and the loop's elements of them,
	// when the loop has a copy through other elements: the same
	// variables, link polarities and kind. Such copies share a number;
	// see Family.
	Dims, Elements []string

	key      []string // canonical names of Variables
	unknown  string   // the links the run leaves unknown, for Groups
	changing []bool   // links of unknown polarity whose score changes sign in the run
	family   string   // the loop with its elements abstracted (see elementFamily), or ""
	graph    *Graph   // the graph it was found in
}

// KindText returns the loop's kind as the list shows it: "R", "B" or
// "U", and for a Changing loop the order of its phases, "R→B" or
// "B→R→B" (the first four and "…" for more).
func (l *Loop) KindText() string {
	if l.Kind != Changing || len(l.Phases) == 0 {
		return l.Kind.String()
	}
	var b strings.Builder
	for i, k := range l.Phases {
		if i == 4 {
			b.WriteString("…")
			break
		}
		if i > 0 {
			b.WriteString("→")
		}
		b.WriteString(k.String())
	}
	return b.String()
}

// LinkSign returns the sign of the loop's i-th link as a diagram shows
// it: "+", "-", "?" for a link whose polarity nothing decided, and "±"
// for one of unknown polarity whose score a run saw change sign.
func (l *Loop) LinkSign(i int) string {
	if l.Links[i] == Unknown && i < len(l.changing) && l.changing[i] {
		return "±"
	}
	return l.Links[i].String()
}

// Label returns the loop's name if it has one, and its ID otherwise.
func (l *Loop) Label() string {
	if l.Name != "" {
		return l.Name
	}
	return l.ID
}

// String returns the loop as "ID: a -> b -> c", with its name if it has
// one.
func (l *Loop) String() string {
	s := l.ID
	if l.Name != "" {
		s += " (" + l.Name + ")"
	}
	return s + ": " + strings.Join(l.Variables, " -> ")
}

// ErrLimit is the error a search that reached its limit wraps.
var ErrLimit = errors.New("loops: too many feedback loops")

// LimitError reports that a model has more feedback loops than the search
// was allowed to find; none are returned.
type LimitError struct {
	Limit int // the limit that was reached
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("loops: the model has more than %d feedback loops (raise the limit to list them all)", e.Limit)
}

// Unwrap returns ErrLimit.
func (e *LimitError) Unwrap() error { return ErrLimit }

// Loops returns every elementary feedback loop of the graph, with its
// polarity, in a fixed order: reinforcing loops, then balancing ones, then
// those of undetermined polarity; within each, shorter loops first, then
// by the canonical names of their variables. They are numbered R1, R2, ...,
// B1, ..., U1, ... in that order, and named as the model's loops section
// says.
//
// The search (Johnson's algorithm) stops when it finds more than limit
// loops, and returns a *LimitError; limit <= 0 means DefaultLimit. A named
// loop of the model that is not a loop of the graph is an error, a
// model.ErrorList positioned at the name.
func (g *Graph) Loops(limit int) ([]*Loop, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	cycles, err := circuits(g.adjacency(), limit)
	if err != nil {
		return nil, err
	}
	loops := make([]*Loop, len(cycles))
	for i, c := range cycles {
		l := &Loop{Variables: make([]string, len(c)), Links: make([]Polarity, len(c)), key: make([]string, len(c))}
		for j, v := range c {
			l.Variables[j] = g.names[v]
			l.key[j] = g.canon[v]
			l.Links[j] = g.polarity(v, c[(j+1)%len(c)])
		}
		l.Kind = kindOf(l.Links)
		l.Partition = g.part[c[0]]
		l.graph = g
		loops[i] = l
	}
	sorted := number(loops)
	parts := make(map[int]int)
	for _, l := range sorted {
		if parts[l.Partition] == 0 {
			parts[l.Partition] = len(parts) + 1
		}
		l.Partition = parts[l.Partition]
	}
	if err := g.nameLoops(sorted); err != nil {
		return nil, err
	}
	return sorted, nil
}

// number sorts loops (reinforcing, then balancing, then changing, then
// undetermined; shorter first; then by the canonical names of their
// variables, with the copies of a loop through other elements of an array
// together) and numbers them R1, R2, ..., B1, ..., RB1, ..., U1, ... in
// that order, copies sharing a number (R1[smb], R1[enterprise]). It
// returns the sorted loops.
func number(loops []*Loop) []*Loop {
	keys, order := families(loops)
	idx := make(map[*Loop]int, len(loops))
	for i, l := range loops {
		idx[l] = i
	}
	// One sort key a loop: its variables, with the elements of a family
	// written as their dimensions so that copies sort together.
	sortKey := make([]string, len(loops))
	for i, l := range loops {
		full := strings.Join(l.key, "\x00") + "\x00"
		if keys[i] != "" {
			sortKey[i] = order[i] + "\x03" + keys[i] + "\x03" + full
		} else {
			sortKey[i] = full
		}
	}
	sorted := append([]*Loop(nil), loops...)
	sort.SliceStable(sorted, func(a, b int) bool {
		la, lb := sorted[a], sorted[b]
		if la.Kind != lb.Kind {
			return la.Kind.rank() < lb.Kind.rank()
		}
		if len(la.Variables) != len(lb.Variables) {
			return len(la.Variables) < len(lb.Variables)
		}
		return sortKey[idx[la]] < sortKey[idx[lb]]
	})
	count := make(map[Kind]int)
	numbered := make(map[string]int)
	for _, l := range sorted {
		k := keys[idx[l]]
		n, ok := numbered[k]
		if k == "" || !ok {
			count[l.Kind]++
			n = count[l.Kind]
			if k != "" {
				numbered[k] = n
			}
		}
		l.ID = familyID(l.Kind, n, l.Elements)
	}
	return sorted
}

func (g *Graph) adjacency() [][]int {
	adj := make([][]int, len(g.out))
	for v, es := range g.out {
		for _, e := range es {
			adj[v] = append(adj[v], e.to)
		}
	}
	return adj
}

func (g *Graph) polarity(from, to int) Polarity {
	for _, e := range g.out[from] {
		if e.to == to {
			return e.pol
		}
	}
	return Unknown
}

// nameLoops gives loops the names of the model's loops section. A named
// loop matches the found loop with the same variables in the same cyclic
// order, starting anywhere; failing that, the one found loop with the same
// set of variables.
func (g *Graph) nameLoops(loops []*Loop) error {
	var errs model.ErrorList
	byName := make(map[*Loop]*model.Loop)
	for _, nl := range g.m.Loops {
		want := make([]string, len(nl.Variables))
		for i, v := range nl.Variables {
			want[i] = model.Canonical(v)
		}
		var match *Loop
		var bySet []*Loop
		for _, l := range loops {
			have := make([]string, len(l.Variables))
			for i, v := range l.Variables {
				have[i] = model.Canonical(v)
			}
			if sameCycle(want, have) {
				match = l
				break
			}
			if sameSet(want, have) {
				bySet = append(bySet, l)
			}
		}
		if match == nil && len(bySet) == 1 {
			match = bySet[0]
		}
		switch {
		case match == nil && len(bySet) > 1:
			var alts []string
			for _, l := range bySet {
				alts = append(alts, strings.Join(l.Variables, " -> "))
			}
			errs.Add(nl.Pos, "loop %q (%s) is not a feedback loop of the model; its variables make %d loops: %s",
				nl.Name, strings.Join(nl.Variables, " -> "), len(bySet), strings.Join(alts, "; "))
		case match == nil:
			errs.Add(nl.Pos, "loop %q (%s) is not a feedback loop of the model", nl.Name, strings.Join(nl.Variables, " -> "))
		case byName[match] != nil:
			errs.Add(nl.Pos, "loop %q is the same loop as %q (%s)", nl.Name, byName[match].Name, strings.Join(match.Variables, " -> "))
		default:
			byName[match] = nl
			match.Name, match.Doc = nl.Name, nl.Doc
		}
	}
	return errs.Err()
}

// sameCycle reports whether b is a rotation of a.
func sameCycle(a, b []string) bool {
	if len(a) != len(b) || len(a) == 0 {
		return false
	}
	for shift := range b {
		if b[shift] != a[0] {
			continue
		}
		ok := true
		for i := range a {
			if a[i] != b[(i+shift)%len(b)] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// sameSet reports whether a and b hold the same names (b has no repeats).
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	in := make(map[string]bool, len(b))
	for _, s := range b {
		in[s] = true
	}
	for _, s := range a {
		if !in[s] {
			return false
		}
		delete(in, s)
	}
	return len(in) == 0
}

// circuits returns the elementary cycles of a directed graph given by its
// sorted adjacency lists, each starting at its least vertex, by Johnson's
// algorithm ("Finding all the elementary circuits of a directed graph",
// SIAM J. Comput. 4(1), 1975). It stops with a *LimitError when it finds
// more than limit.
func circuits(adj [][]int, limit int) ([][]int, error) {
	n := len(adj)
	radj := make([][]int, n)
	for v, ws := range adj {
		for _, w := range ws {
			radj[w] = append(radj[w], v)
		}
	}
	seen := make([]int8, n)
	j := &johnson{adj: adj, limit: limit, blocked: make([]bool, n), b: make([][]int, n), in: make([]bool, n)}
	for s := 0; s < n; s++ {
		comp := sccOf(adj, radj, s, seen)
		if comp == nil {
			continue
		}
		j.s = s
		for v := range j.in {
			j.in[v] = false
		}
		for _, v := range comp {
			j.in[v] = true
			j.blocked[v] = false
			j.b[v] = j.b[v][:0]
		}
		j.circuit(s)
		if j.over {
			return nil, &LimitError{Limit: limit}
		}
	}
	return j.cycles, nil
}

type johnson struct {
	adj     [][]int
	limit   int
	s       int
	in      []bool // in the component being searched
	blocked []bool
	b       [][]int
	stack   []int
	cycles  [][]int
	over    bool
}

// circuit is CIRCUIT(v) of Johnson's paper.
func (j *johnson) circuit(v int) bool {
	found := false
	j.stack = append(j.stack, v)
	j.blocked[v] = true
	for _, w := range j.adj[v] {
		if j.over {
			break
		}
		if !j.in[w] {
			continue
		}
		if w == j.s {
			if len(j.cycles) == j.limit {
				j.over = true
				break
			}
			j.cycles = append(j.cycles, append([]int(nil), j.stack...))
			found = true
		} else if !j.blocked[w] && j.circuit(w) {
			found = true
		}
	}
	if found {
		j.unblock(v)
	} else {
		for _, w := range j.adj[v] {
			if j.in[w] && !slices.Contains(j.b[w], v) {
				j.b[w] = append(j.b[w], v)
			}
		}
	}
	j.stack = j.stack[:len(j.stack)-1]
	return found
}

func (j *johnson) unblock(u int) {
	j.blocked[u] = false
	for len(j.b[u]) > 0 {
		w := j.b[u][len(j.b[u])-1]
		j.b[u] = j.b[u][:len(j.b[u])-1]
		if j.blocked[w] {
			j.unblock(w)
		}
	}
}

// sccOf returns the vertices of the strongly connected component of s in
// the subgraph of the vertices from s on, or nil when s is on no cycle
// there. radj is the graph reversed.
func sccOf(adj, radj [][]int, s int, seen []int8) []int {
	for v := s; v < len(seen); v++ {
		seen[v] = 0
	}
	// Bit 1: reached from s; bit 2: reaches s.
	mark := func(next [][]int, bit int8) {
		seen[s] |= bit
		queue := []int{s}
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			for _, w := range next[v] {
				if w >= s && seen[w]&bit == 0 {
					seen[w] |= bit
					queue = append(queue, w)
				}
			}
		}
	}
	mark(adj, 1)
	mark(radj, 2)
	var comp []int
	for v := s; v < len(seen); v++ {
		if seen[v] == 3 {
			comp = append(comp, v)
		}
	}
	if len(comp) == 1 && !slices.Contains(adj[s], s) {
		return nil
	}
	return comp
}
