package loops

import (
	"slices"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model"
)

// An element is one element of an arrayed variable, as the causal graph
// of an arrayed model has it: customers[smb] is element smb of customers,
// along dimension segment.
type element struct {
	base string   // the arrayed variable's name as written: "customers"
	subs []string // its subscripts: ["smb"]
	dims []string // the dimension of each subscript, a subrange's parent: ["segment"]
}

// arrayElements maps the canonical name of each element of each arrayed
// variable of m to what it is an element of.
func arrayElements(m *model.Model) map[string]element {
	out := make(map[string]element)
	root := func(name string) *model.Dimension {
		d := m.Dimension(name)
		for n := 0; d != nil && d.Of != "" && n < 32; n++ {
			p := m.Dimension(d.Of)
			if p == nil {
				break
			}
			d = p
		}
		return d
	}
	for _, v := range m.Vars {
		if len(v.Dims) == 0 {
			continue
		}
		dims := make([]string, len(v.Dims))
		ok := true
		for i, n := range v.Dims {
			d := root(n)
			if d == nil {
				ok = false
				break
			}
			dims[i] = d.Name
		}
		if !ok {
			continue
		}
		for _, name := range m.ElementNames(v) {
			base, subs, err := model.SplitElementName(name)
			if err != nil || len(subs) != len(dims) {
				continue
			}
			out[model.Canonical(name)] = element{base: base, subs: subs, dims: dims}
		}
	}
	return out
}

// elementFamily abstracts a loop of the graph from its elements: for each
// dimension along which the loop passes through one element only (every
// arrayed variable of the loop at that element), the element is replaced
// by a mark of the dimension. It returns the abstracted loop (its
// variables, kind, link polarities and sign changes) as a key that the
// loop's copies through other elements share, the loop's variables in
// that form as a sort key, and the dimensions and elements abstracted;
// "" when the loop passes through no such dimension.
func (g *Graph) elementFamily(l *Loop) (key, order string, dims, elems []string) {
	if g == nil || len(g.elems) == 0 {
		return "", "", nil, nil
	}
	used := make(map[string]string) // dimension → its one element, or "\x00" for several
	for _, v := range l.Variables {
		el, ok := g.elems[model.Canonical(v)]
		if !ok {
			continue
		}
		for i, d := range el.dims {
			e, seen := used[d]
			switch {
			case !seen:
				used[d] = el.subs[i]
				dims = append(dims, d)
			case model.Canonical(e) != model.Canonical(el.subs[i]):
				used[d] = "\x00"
			}
		}
	}
	dims = slices.DeleteFunc(dims, func(d string) bool { return used[d] == "\x00" })
	if len(dims) == 0 {
		return "", "", nil, nil
	}
	for _, d := range dims {
		elems = append(elems, used[d])
	}
	var b strings.Builder
	for _, v := range l.Variables {
		el, ok := g.elems[model.Canonical(v)]
		if !ok {
			b.WriteString(model.Canonical(v))
			b.WriteByte(0)
			continue
		}
		b.WriteString(model.Canonical(el.base))
		b.WriteByte('[')
		for i, d := range el.dims {
			if i > 0 {
				b.WriteByte(',')
			}
			if used[d] != "\x00" {
				b.WriteString("\x01" + model.Canonical(d))
			} else {
				b.WriteString(model.Canonical(el.subs[i]))
			}
		}
		b.WriteString("]\x00")
	}
	order = b.String()
	b.WriteString("\x02" + l.Kind.String())
	for _, p := range l.Links {
		b.WriteString(p.String())
	}
	for _, t := range l.Changes {
		b.WriteString("\x02" + formatFloat(t))
	}
	for _, k := range l.Phases {
		b.WriteString("\x02" + k.String())
	}
	return b.String(), order, dims, elems
}

// families sets the Dims and Elements of the loops that have copies
// through other elements among loops, and returns each loop's family key
// ("" for a loop without copies) and sort key.
func families(loops []*Loop) (keys, order []string) {
	keys, order = make([]string, len(loops)), make([]string, len(loops))
	count := make(map[string]int)
	dims := make([][]string, len(loops))
	elems := make([][]string, len(loops))
	for i, l := range loops {
		keys[i], order[i], dims[i], elems[i] = l.graph.elementFamily(l)
		if keys[i] != "" {
			count[keys[i]]++
		}
	}
	for i, l := range loops {
		l.Dims, l.Elements, l.family = nil, nil, ""
		if keys[i] == "" || count[keys[i]] < 2 {
			keys[i] = ""
			continue
		}
		l.Dims, l.Elements, l.family = dims[i], elems[i], keys[i]
	}
	return keys, order
}

// Family returns how the loop and its copies through the other elements
// of its Dims are shown as one: an identifier that names the dimensions
// instead of the elements (R1[segment] for R1[smb], R1[mid_market] and
// R1[enterprise]), and the variables written the same way
// (customers[segment]). of lists the loop and its copies, among which it
// counts which elements of each dimension they cover: a dimension of
// which some elements have no copy is written as the subrange of the
// model that has exactly the elements covered, or else as those elements
// separated by "|". A loop without copies is returned as it is.
func (l *Loop) Family(of []*Loop) (id string, vars []string) {
	if l.family == "" {
		return l.ID, l.Variables
	}
	covered := make([]map[string]bool, len(l.Dims))
	for i := range covered {
		covered[i] = make(map[string]bool)
	}
	for _, o := range of {
		if o.family != l.family {
			continue
		}
		for i, e := range o.Elements {
			covered[i][model.Canonical(e)] = true
		}
	}
	g := l.graph
	names := make([]string, len(l.Dims))
	for i, d := range l.Dims {
		names[i] = g.dimLabel(d, covered[i])
	}
	byDim := make(map[string]string, len(l.Dims))
	for i, d := range l.Dims {
		byDim[d] = names[i]
	}
	id = l.ID
	if k := strings.IndexByte(id, '['); k > 0 {
		id = id[:k]
	}
	id += "[" + strings.Join(names, ",") + "]"
	vars = make([]string, len(l.Variables))
	for j, v := range l.Variables {
		el, ok := g.elems[model.Canonical(v)]
		if !ok {
			vars[j] = v
			continue
		}
		subs := slices.Clone(el.subs)
		for i, d := range el.dims {
			if n, ok := byDim[d]; ok {
				subs[i] = n
			}
		}
		vars[j] = model.ElementName(el.base, subs...)
	}
	return id, vars
}

// dimLabel names the elements of a dimension that a family of loops
// covers: the dimension when they are all of its elements, a subrange with
// exactly those elements, or the elements separated by "|".
func (g *Graph) dimLabel(dim string, covered map[string]bool) string {
	same := func(d *model.Dimension) bool {
		if len(d.Elements) != len(covered) {
			return false
		}
		for _, e := range d.Elements {
			if !covered[model.Canonical(e)] {
				return false
			}
		}
		return true
	}
	d := g.dims.Dimension(dim)
	if d == nil {
		return dim
	}
	if same(d) {
		return d.Name
	}
	for _, s := range g.dims.Dimensions {
		if s.Of != "" && same(s) {
			return s.Name
		}
	}
	var out []string
	for _, e := range d.Elements {
		if covered[model.Canonical(e)] {
			out = append(out, e)
		}
	}
	return strings.Join(out, "|")
}

// familyID is the identifier of a loop numbered n in a family: the kind's
// prefix, the number, and the loop's elements.
func familyID(k Kind, n int, elems []string) string {
	id := k.prefix() + strconv.Itoa(n)
	if len(elems) > 0 {
		id += "[" + strings.Join(elems, ",") + "]"
	}
	return id
}
