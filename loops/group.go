package loops

import (
	"slices"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model"
)

// Group is a set of feedback loops a modeller tells as one story: loops
// that pass through the same stocks in the same order with the same
// polarity, which differ only in a short stretch of the path from one
// stock to the next (a parallel path, such as paid or referral
// acquisitions into the same customers) or in the array element they pass
// through (R1[smb], R1[enterprise], shown as R1[segment]); or loops a run
// leaves undetermined or sees changing polarity for the same reason.
type Group struct {
	// Loops are the group's loops in the order they were given; the
	// first is the group's representative: its named loop, or else its
	// shortest.
	Loops []*Loop
	// Stocks are the stocks every loop of the group passes through, in
	// the direction of causation, starting at the one whose canonical
	// name sorts first (elements of an array written without their
	// subscripts). A loop through no stock (one closed by a stateful
	// function) is a group of its own, with its variables here.
	Stocks []string
}

// Loop returns the group's representative.
func (gr *Group) Loop() *Loop { return gr.Loops[0] }

// Label returns how the group is named: its representative's name, or
// its identifier, written with the dimensions of an array instead of its
// elements when the group holds the representative's copies through
// other elements (R1[segment]; see Loop.Family).
func (gr *Group) Label() string {
	l := gr.Loop()
	if l.Name != "" {
		return l.Name
	}
	id, _ := l.Family(gr.Loops)
	return id
}

// Variables returns the representative's variables, written with the
// dimensions of an array instead of its elements when the group holds
// its copies through other elements (customers[segment]).
func (gr *Group) Variables() []string {
	_, vars := gr.Loop().Family(gr.Loops)
	return vars
}

// Groups sorts loops of the graph into groups. Two loops of the same
// polarity go together when they pass through the same two or more stocks
// in the same order, and one is the other with one stretch between two of
// their variables replaced by a parallel path (each stretch passing
// through one or two variables of its own); loops through one stock are
// each a story of their own. The copies of a loop through other elements
// of an array (Loop.Dims) go together. Loops a run leaves undetermined,
// or sees change polarity, go together when the same links make them so
// and their scores change sign alike.
// A loop joins the first group whose first loop it goes with. Each named
// loop leads a group of its own, which unnamed loops may join; named loops
// are never grouped together. Groups are in the order of their
// representatives in loops.
func (g *Graph) Groups(loops []*Loop) []*Group {
	type class struct{ kind, changes string }
	type member struct {
		l      *Loop
		key    []string // canonical variables
		stocks string   // canonical stocks in order
	}
	info := func(l *Loop) (member, []string) {
		var stocks []string
		for _, v := range l.Variables {
			if x := g.vars[model.Canonical(v)]; x != nil && x.Kind == model.Stock {
				stocks = append(stocks, baseName(v))
			}
		}
		if len(stocks) == 0 {
			stocks = append(stocks, l.Variables...)
		}
		stocks = rotateLeast(stocks)
		canon := make([]string, len(stocks))
		for i, s := range stocks {
			canon[i] = model.Canonical(baseName(s))
		}
		key := make([]string, len(l.Variables))
		for i, v := range l.Variables {
			key[i] = model.Canonical(baseName(v))
		}
		return member{l: l, key: key, stocks: strings.Join(canon, "\x00")}, stocks
	}
	classOf := func(l *Loop) class {
		var ch []string
		for i, t := range l.Changes {
			ch = append(ch, formatFloat(t))
			if i < len(l.Phases) {
				ch = append(ch, l.Phases[i].String())
			}
		}
		note := l.Note
		if l.Kind == Changing {
			// The same changes through the same links, whenever the
			// loops first score.
			note = ""
		}
		return class{l.Kind.String(), strings.Join(ch, ",") + "\x00" + l.unknown + "\x00" + note}
	}
	type group struct {
		*Group
		class   class
		members []member
	}
	var groups []*group
	// The copies of a loop through other elements go where the first
	// of them went.
	family := make(map[string]*group)
	for _, l := range loops {
		if l.Name != "" {
			m, stocks := info(l)
			gr := &group{Group: &Group{Loops: []*Loop{l}, Stocks: stocks}, class: classOf(l), members: []member{m}}
			groups = append(groups, gr)
			if l.family != "" && family[l.family] == nil {
				family[l.family] = gr
			}
		}
	}
	for _, l := range loops {
		if l.Name != "" {
			continue
		}
		m, stocks := info(l)
		c := classOf(l)
		join := family[l.family]
		if l.family == "" {
			join = nil
		}
	search:
		for _, gr := range groups {
			if join != nil {
				break
			}
			if gr.class != c || len(gr.members) > maxGroupCompare {
				continue
			}
			o := gr.members[0]
			if (l.Kind == Undetermined || l.Kind == Changing) && l.unknown != "" || o.stocks == m.stocks && strings.Contains(m.stocks, "\x00") && parallel(o.key, m.key) {
				join = gr
				break search
			}
		}
		if join == nil {
			join = &group{Group: &Group{Stocks: stocks}, class: c}
			groups = append(groups, join)
		}
		if l.family != "" && family[l.family] == nil {
			family[l.family] = join
		}
		join.Loops = append(join.Loops, l)
		join.members = append(join.members, m)
	}
	pos := make(map[*Loop]int, len(loops))
	for i, l := range loops {
		pos[l] = i
	}
	out := make([]*Group, len(groups))
	for i, gr := range groups {
		rep := gr.Loops[0]
		if rep.Name == "" {
			for _, l := range gr.Loops {
				if len(l.Variables) < len(rep.Variables) {
					rep = l
				}
			}
		}
		var stocks []string
		for _, v := range rep.Variables {
			if x := g.vars[model.Canonical(v)]; x != nil && x.Kind == model.Stock {
				stocks = append(stocks, baseName(v))
			}
		}
		if len(stocks) > 0 {
			gr.Stocks = rotateLeast(stocks)
		}
		rest := slices.DeleteFunc(slices.Clone(gr.Loops), func(l *Loop) bool { return l == rep })
		slices.SortFunc(rest, func(a, b *Loop) int { return pos[a] - pos[b] })
		gr.Loops = append([]*Loop{rep}, rest...)
		out[i] = gr.Group
	}
	slices.SortStableFunc(out, func(a, b *Group) int { return pos[a.Loop()] - pos[b.Loop()] })
	return out
}

// maxGroupCompare bounds the loops of a group a new loop is compared with,
// path by path; larger groups take only loops through the same stocks.
const maxGroupCompare = 2000

// maxDetour is the most variables a parallel path passes through between
// the two variables where it leaves and rejoins a loop.
const maxDetour = 2

// parallel reports whether two loops (their canonical variables, in the
// direction of causation) are the same but for one stretch: both follow
// the same path from some variable u to some variable v, and each returns
// from v to u its own way, through variables the other does not visit.
func parallel(a, b []string) bool {
	inB := make(map[string]int, len(b))
	for i, v := range b {
		inB[v] = i
	}
	for i, u := range a {
		j, ok := inB[u]
		if !ok {
			continue
		}
		// Only start where the loops come to u by different ways, so
		// that the common path from u is the whole shared stretch.
		if a[(i+len(a)-1)%len(a)] == b[(j+len(b)-1)%len(b)] {
			continue
		}
		k := 1
		for k < len(a) && k < len(b) && a[(i+k)%len(a)] == b[(j+k)%len(b)] {
			k++
		}
		// The common path is a[i .. i+k-1]; the rest of each loop
		// returns from its end to u.
		// The stretches that differ are short detours: each passes
		// through at most maxDetour variables of its own.
		if k < 2 || len(a)-k > maxDetour || len(b)-k > maxDetour || len(a)-k < 1 || len(b)-k < 1 {
			continue
		}
		restA := make(map[string]bool)
		for x := k; x < len(a); x++ {
			restA[a[(i+x)%len(a)]] = true
		}
		ok = true
		for x := k; x < len(b); x++ {
			if restA[b[(j+x)%len(b)]] {
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

// baseName is a variable's name without an array subscript.
func baseName(name string) string {
	if i := strings.IndexByte(name, '['); i > 0 {
		return strings.TrimSpace(name[:i])
	}
	return name
}

// rotateLeast rotates a cycle of names to start at the one whose
// canonical form sorts first (the first of them when it repeats).
func rotateLeast(names []string) []string {
	best := 0
	for i, s := range names {
		if model.Canonical(s) < model.Canonical(names[best]) {
			best = i
		}
	}
	return append(append([]string(nil), names[best:]...), names[:best]...)
}

func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
