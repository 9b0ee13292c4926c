package model

import (
	"fmt"
	"strconv"
	"strings"
)

// Dimension is a named list of elements along which variables are arrayed:
// segment = smb, mid_market, enterprise. A dimension of N numbered elements
// (cohort: 3) is Indexed and has the elements "1" to "N". A subrange names
// its parent dimension in Of and lists some of the parent's elements, in
// the parent's order or any other.
type Dimension struct {
	Name     string
	Elements []string // element names as declared; "1".."N" when Indexed
	Indexed  bool
	Of       string         // the parent of a subrange, or ""
	Maps     []DimensionMap // Vensim's mappings of this dimension onto others
	Doc      string
	Pos      Position
	// ElementPos holds where each element is declared, when known, in the
	// order of Elements.
	ElementPos []Position
}

// DimensionMap says which element of dimension To each element of its
// dimension stands for, as Vensim's "a: a1, a2 -> b" and
// "a: a1, a2 -> (b: b2, b1)" do. With Elements empty the mapping is by
// position: the i-th element maps to the i-th element of To. Otherwise
// Elements holds, for each element of the mapped dimension in order, the
// element of To it maps to (or a subrange of To, covering several).
type DimensionMap struct {
	To       string
	Elements []string
	Pos      Position
}

// Size returns the number of elements of the dimension.
func (d *Dimension) Size() int { return len(d.Elements) }

// Index returns the 0-based position of the element with the given name
// (compared canonically), or -1.
func (d *Dimension) Index(elem string) int {
	c := Canonical(elem)
	for i, e := range d.Elements {
		if Canonical(e) == c {
			return i
		}
	}
	return -1
}

// NewIndexedDimension returns a dimension of the elements "1" to "n".
func NewIndexedDimension(name string, n int) *Dimension {
	d := &Dimension{Name: name, Indexed: true}
	for i := 1; i <= n; i++ {
		d.Elements = append(d.Elements, strconv.Itoa(i))
	}
	return d
}

// Dimension returns the dimension with the given name (compared
// canonically), or nil.
func (m *Model) Dimension(name string) *Dimension {
	c := Canonical(name)
	for _, d := range m.Dimensions {
		if Canonical(d.Name) == c {
			return d
		}
	}
	return nil
}

// ElementEquation is the equation of some elements of an arrayed variable.
// Subscripts holds one entry per dimension of the variable, in the order
// of Variable.Dims: an element of that dimension, or (as Vensim writes
// "x[region, north] = ...") the name of the dimension itself or of one of
// its subranges, standing for each of its elements. The equations of a
// variable must cover each element once.
type ElementEquation struct {
	Subscripts []string
	Equation   Equation // a stock's initial value
	// Lookup, when set, is this element's graphical function, applied to
	// the value of Equation (XMILE's <element><gf>).
	Lookup *Lookup
	Pos    Position
}

// Key returns the subscripts as written in a model file: "smb" or
// "smb,north".
func (e *ElementEquation) Key() string { return strings.Join(e.Subscripts, ",") }

// ElementName returns the output name of one element of an arrayed
// variable: name[e1] or name[e1,e2], with no spaces after the commas. It is
// the form of output columns and of every name a user types.
func ElementName(name string, elems ...string) string {
	if len(elems) == 0 {
		return name
	}
	return name + "[" + strings.Join(elems, ",") + "]"
}

// SplitElementName splits "name[e1, e2]" into the name and its subscripts,
// trimmed of spaces. A name without brackets has no subscripts. The
// subscript "*" stands for every element of its dimension.
func SplitElementName(s string) (name string, subs []string, err error) {
	open := strings.IndexByte(s, '[')
	if open < 0 {
		if strings.IndexByte(s, ']') >= 0 {
			return "", nil, fmt.Errorf("%q has %q without %q", s, "]", "[")
		}
		return strings.TrimSpace(s), nil, nil
	}
	name = strings.TrimSpace(s[:open])
	rest := s[open+1:]
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return "", nil, fmt.Errorf("%q has %q without %q", s, "[", "]")
	}
	if strings.TrimSpace(rest[end+1:]) != "" {
		return "", nil, fmt.Errorf("unexpected %q after %q in %q", strings.TrimSpace(rest[end+1:]), "]", s)
	}
	if name == "" {
		return "", nil, fmt.Errorf("%q has no name before %q", s, "[")
	}
	for _, p := range strings.Split(rest[:end], ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			return "", nil, fmt.Errorf("empty subscript in %q", s)
		}
		subs = append(subs, p)
	}
	return name, subs, nil
}

// ElementNames returns the output names of every element of v in row-major
// order (the last dimension varies fastest), or v's name alone for a
// scalar. Dimensions that m does not define give no names.
func (m *Model) ElementNames(v *Variable) []string {
	if len(v.Dims) == 0 {
		return []string{v.Name}
	}
	dims := make([]*Dimension, len(v.Dims))
	for i, n := range v.Dims {
		if dims[i] = m.Dimension(n); dims[i] == nil || dims[i].Size() == 0 {
			return nil
		}
	}
	var out []string
	idx := make([]string, len(dims))
	var rec func(k int)
	rec = func(k int) {
		if k == len(dims) {
			out = append(out, ElementName(v.Name, idx...))
			return
		}
		for _, e := range dims[k].Elements {
			idx[k] = e
			rec(k + 1)
		}
	}
	rec(0)
	return out
}

// Elements resolves a name a user types, such as a column to plot or a
// constant to set: "x" (for an arrayed variable, every element), "x[smb]",
// "x[smb,north]", "x[*]" or "x[*,north]". It returns the variable and the
// output names of the elements meant, in row-major order. The error says
// which subscript is wrong.
func (m *Model) Elements(name string) (*Variable, []string, error) {
	base, subs, err := SplitElementName(name)
	if err != nil {
		return nil, nil, err
	}
	v := m.Var(base)
	if v == nil {
		return nil, nil, fmt.Errorf("undefined variable %q%s", base, DidYouMean(base, m.names(0)))
	}
	if subs == nil {
		return v, m.ElementNames(v), nil
	}
	if len(v.Dims) == 0 {
		return nil, nil, fmt.Errorf("%q is not arrayed, so it takes no subscripts in %q", v.Name, name)
	}
	if len(subs) != len(v.Dims) {
		return nil, nil, fmt.Errorf("%q has %d dimensions (%s) but %q gives %d subscripts", v.Name, len(v.Dims), strings.Join(v.Dims, ", "), name, len(subs))
	}
	choices := make([][]string, len(subs))
	for i, s := range subs {
		dim := m.Dimension(v.Dims[i])
		if dim == nil {
			return nil, nil, fmt.Errorf("undefined dimension %q of %q", v.Dims[i], v.Name)
		}
		switch {
		case s == "*" || Canonical(s) == Canonical(dim.Name):
			choices[i] = dim.Elements
		case dim.Index(s) >= 0:
			choices[i] = []string{dim.Elements[dim.Index(s)]}
		default:
			if sub := m.Dimension(s); sub != nil && m.within(sub, dim) {
				choices[i] = sub.Elements
				break
			}
			return nil, nil, fmt.Errorf("%q is not an element of dimension %q of %q%s", s, dim.Name, v.Name, DidYouMean(s, dim.Elements))
		}
	}
	var out []string
	idx := make([]string, len(subs))
	var rec func(k int)
	rec = func(k int) {
		if k == len(subs) {
			out = append(out, ElementName(v.Name, idx...))
			return
		}
		for _, e := range choices[k] {
			idx[k] = e
			rec(k + 1)
		}
	}
	rec(0)
	return v, out, nil
}

// within reports whether every element of sub is an element of dim: sub
// is dim, or a subrange of it (or of a subrange of it).
func (m *Model) within(sub, dim *Dimension) bool {
	for d, n := sub, 0; d != nil && n < 32; n++ {
		if Canonical(d.Name) == Canonical(dim.Name) {
			return true
		}
		if d.Of == "" {
			break
		}
		d = m.Dimension(d.Of)
	}
	return false
}

// validateDimensions checks the dimensions section and the arrayed parts
// of variables and lookups.
func (m *Model) validateDimensions(errs *ErrorList, define func(string, Position)) {
	dimNames := make([]string, len(m.Dimensions))
	for i, d := range m.Dimensions {
		dimNames[i] = d.Name
		define(d.Name, d.Pos)
	}
	for _, d := range m.Dimensions {
		elemPos := func(i int) Position {
			if i < len(d.ElementPos) {
				return d.ElementPos[i]
			}
			return d.Pos
		}
		if len(d.Elements) == 0 {
			errs.Add(d.Pos, "dimension %q has no elements", d.Name)
		}
		seen := make(map[string]int)
		for i, e := range d.Elements {
			c := Canonical(e)
			if c == "" {
				errs.Add(elemPos(i), "dimension %q has an empty element name", d.Name)
				continue
			}
			if j, dup := seen[c]; dup {
				errs.Add(elemPos(i), "element %q is listed twice in dimension %q (first at %s)", e, d.Name, elemPos(j))
				continue
			}
			seen[c] = i
		}
		if d.Of != "" {
			parent := m.Dimension(d.Of)
			switch {
			case parent == nil:
				errs.Add(d.Pos, "subrange %q is of undefined dimension %q%s", d.Name, d.Of, DidYouMean(d.Of, dimNames))
			case m.within(parent, d):
				errs.Add(d.Pos, "subrange %q is of %q, which is a subrange of %q in turn", d.Name, d.Of, d.Name)
			default:
				for i, e := range d.Elements {
					if parent.Index(e) < 0 {
						errs.Add(elemPos(i), "element %q of subrange %q is not an element of its parent %q%s", e, d.Name, parent.Name, DidYouMean(e, parent.Elements))
					}
				}
			}
		}
		for _, mp := range d.Maps {
			to := m.Dimension(mp.To)
			if to == nil {
				errs.Add(mp.Pos, "dimension %q maps to undefined dimension %q%s", d.Name, mp.To, DidYouMean(mp.To, dimNames))
				continue
			}
			if len(mp.Elements) == 0 {
				if to.Size() != d.Size() {
					errs.Add(mp.Pos, "dimension %q (%d elements) maps by position to %q, which has %d", d.Name, d.Size(), to.Name, to.Size())
				}
				continue
			}
			if len(mp.Elements) != d.Size() {
				errs.Add(mp.Pos, "the mapping of dimension %q to %q lists %d elements, not %d", d.Name, to.Name, len(mp.Elements), d.Size())
			}
			for _, e := range mp.Elements {
				if to.Index(e) < 0 {
					if sub := m.Dimension(e); sub == nil || !m.within(sub, to) {
						errs.Add(mp.Pos, "%q in the mapping of dimension %q is not an element of %q%s", e, d.Name, to.Name, DidYouMean(e, to.Elements))
					}
				}
			}
		}
	}
	for _, v := range m.Vars {
		what := fmt.Sprintf("%s %q", v.Kind, v.Name)
		dims, ok := m.checkDims(errs, v.Dims, v.Pos, what, dimNames)
		if ok && len(dims) > 0 {
			size := 1
			for _, d := range dims {
				size *= d.Size()
				if size > maxElements {
					errs.Add(v.Pos, "%s has more than %d elements; the limit is %d", what, maxElements, maxElements)
					ok = false
					break
				}
			}
		}
		if len(v.Elements) > 0 && v.Equation.Text != "" {
			// An equation for all elements goes with graphical
			// functions per element (XMILE), not with equations.
			for _, el := range v.Elements {
				if el.Equation.Text != "" || el.Lookup == nil {
					errs.Add(el.Pos, "%s has both one equation for all elements and equations per element", what)
					break
				}
			}
		}
		if len(v.Elements) > 0 && len(v.Dims) == 0 {
			errs.Add(v.Elements[0].Pos, "%s has equations per element but no dims", what)
			continue
		}
		if ok && len(v.Elements) > 0 {
			m.checkCoverage(errs, v.Elements, dims, v.Pos, what)
		}
		for _, el := range v.Elements {
			if el.Equation.Text == "" && el.Lookup == nil && v.Equation.Text == "" {
				errs.Add(el.Pos, "element %q of %s has no equation", el.Key(), what)
			}
			if el.Lookup != nil {
				el.Lookup.Validate(errs, fmt.Sprintf("the lookup of element %q of %s", el.Key(), what))
			}
		}
	}
	for _, l := range m.Lookups {
		what := fmt.Sprintf("lookup %q", l.Name)
		dims, ok := m.checkDims(errs, l.Dims, l.Pos, what, dimNames)
		if len(l.Elements) > 0 && len(l.Dims) == 0 {
			errs.Add(l.Elements[0].Pos, "%s has tables per element but no dims", what)
			continue
		}
		if len(l.Dims) > 0 && len(l.Elements) == 0 && len(l.X) == 0 {
			errs.Add(l.Pos, "arrayed %s has no elements", what)
		}
		if ok && len(l.Elements) > 0 {
			m.checkCoverage(errs, l.Elements, dims, l.Pos, what)
		}
		for _, el := range l.Elements {
			if el.Lookup != nil {
				el.Lookup.Validate(errs, fmt.Sprintf("element %q of %s", el.Key(), what))
			}
		}
	}
}

// maxElements is the most elements an arrayed variable may have.
const maxElements = 1_000_000

// checkDims checks that every name in names is a dimension.
func (m *Model) checkDims(errs *ErrorList, names []string, pos Position, what string, dimNames []string) ([]*Dimension, bool) {
	dims := make([]*Dimension, len(names))
	ok := true
	for i, n := range names {
		if dims[i] = m.Dimension(n); dims[i] == nil {
			errs.Add(pos, "%s has undefined dimension %q%s", what, n, DidYouMean(n, dimNames))
			ok = false
		} else if dims[i].Size() == 0 {
			ok = false
		}
	}
	return dims, ok
}

// checkCoverage checks that the element equations name elements of the
// dimensions and give each element exactly one equation.
func (m *Model) checkCoverage(errs *ErrorList, els []ElementEquation, dims []*Dimension, pos Position, what string) {
	size := 1
	for _, d := range dims {
		size *= d.Size()
	}
	if size > maxElements {
		return // reported with the dims
	}
	owner := make([]int, size) // 1 + the index of the equation, or 0
	for k, el := range els {
		if len(el.Subscripts) != len(dims) {
			names := make([]string, len(dims))
			for i, d := range dims {
				names[i] = d.Name
			}
			errs.Add(el.Pos, "element %q of %s has %d subscripts but it has %d dimensions (%s)", el.Key(), what, len(el.Subscripts), len(dims), strings.Join(names, ", "))
			continue
		}
		sets := make([][]int, len(dims))
		bad := false
		for i, s := range el.Subscripts {
			sets[i] = m.SubscriptElements(dims[i], s)
			if sets[i] == nil {
				errs.Add(el.Pos, "%q is not an element of dimension %q (in element %q of %s)%s", s, dims[i].Name, el.Key(), what, DidYouMean(s, dims[i].Elements))
				bad = true
			}
		}
		if bad {
			continue
		}
		forEach(sets, func(flat int) {
			flat = flatIndex(dims, sets, flat)
			if prev := owner[flat]; prev != 0 && prev != k+1 {
				errs.Add(el.Pos, "element %q of %s is also given by %q at %s", elementKey(dims, flat), what, els[prev-1].Key(), els[prev-1].Pos)
				return
			}
			owner[flat] = k + 1
		})
	}
	var missing []string
	for flat, o := range owner {
		if o == 0 {
			missing = append(missing, elementKey(dims, flat))
		}
	}
	if len(missing) > 0 {
		more := ""
		if len(missing) > 5 {
			more = fmt.Sprintf(" and %d more", len(missing)-5)
			missing = missing[:5]
		}
		errs.Add(pos, "%s has no equation for element %s%s", what, strings.Join(missing, "; "), more)
	}
}

// SubscriptElements returns the positions in dim of the elements that the
// subscript s stands for in an element equation's key: one element, or
// every element of dim itself or of one of its subranges. It returns nil
// when s is none of these.
func (m *Model) SubscriptElements(dim *Dimension, s string) []int {
	if i := dim.Index(s); i >= 0 {
		return []int{i}
	}
	sub := m.Dimension(s)
	if sub == nil || !m.within(sub, dim) {
		return nil
	}
	out := make([]int, 0, sub.Size())
	for _, e := range sub.Elements {
		if i := dim.Index(e); i >= 0 {
			out = append(out, i)
		}
	}
	return out
}

// forEach calls fn with 0, 1, ... for each combination of the sets.
func forEach(sets [][]int, fn func(int)) {
	n := 1
	for _, s := range sets {
		n *= len(s)
	}
	for i := 0; i < n; i++ {
		fn(i)
	}
}

// flatIndex maps the k-th combination of sets (last set fastest) to the
// row-major index of that element in dims.
func flatIndex(dims []*Dimension, sets [][]int, k int) int {
	flat, stride := 0, 1
	for i := len(dims) - 1; i >= 0; i-- {
		s := sets[i]
		flat += s[k%len(s)] * stride
		k /= len(s)
		stride *= dims[i].Size()
	}
	return flat
}

// elementKey returns "a,b" for the row-major index flat in dims.
func elementKey(dims []*Dimension, flat int) string {
	parts := make([]string, len(dims))
	for i := len(dims) - 1; i >= 0; i-- {
		n := dims[i].Size()
		parts[i] = dims[i].Elements[flat%n]
		flat /= n
	}
	return strings.Join(parts, ",")
}
