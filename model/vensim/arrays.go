package vensim

import (
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/expr"
)

// This file reads subscript ranges into the model's dimensions and the
// equations of subscripted variables into arrayed variables.

// dimension makes a subscript range (name: a, b, c -> map) or an
// equivalence (name <-> other).
func (b *builder) dimension(eq *equation) {
	d := &model.Dimension{Name: eq.name, Doc: eq.doc, Pos: b.pos(eq.at)}
	if eq.kind == eqEquiv {
		other := b.dims[canonical(eq.equivTo)]
		if other == nil {
			b.errorf(eq.at, "%q is declared equivalent to %q, which is not a subscript range", eq.name, eq.equivTo)
			return
		}
		d.Elements = append([]string(nil), other.Elements...)
		d.Of = other.Name
		b.addDimension(d)
		return
	}
	seen := make(map[string]bool)
	for _, e := range eq.elems {
		// An element may be another range, standing for its elements.
		for _, n := range b.rangeElements(e.name, 0) {
			if seen[canonical(n)] {
				continue
			}
			seen[canonical(n)] = true
			d.Elements = append(d.Elements, n)
			d.ElementPos = append(d.ElementPos, b.pos(e.at))
		}
	}
	for _, mp := range eq.mapTo {
		m := model.DimensionMap{To: mp.dim, Pos: b.pos(eq.at)}
		for _, e := range mp.elems {
			m.Elements = append(m.Elements, e.name)
		}
		d.Maps = append(d.Maps, m)
	}
	b.addDimension(d)
}

// rangeElements returns the elements a name in a range's list stands for:
// the elements of the range it names (declared anywhere in the file), or
// itself.
func (b *builder) rangeElements(name string, depth int) []string {
	eqs := b.byName[canonical(name)]
	if len(eqs) == 0 || eqs[0].kind != eqDim || depth > 32 {
		return []string{name}
	}
	var out []string
	for _, e := range eqs[0].elems {
		out = append(out, b.rangeElements(e.name, depth+1)...)
	}
	return out
}

func (b *builder) addDimension(d *model.Dimension) {
	b.m.Dimensions = append(b.m.Dimensions, d)
	b.dims[canonical(d.Name)] = d
}

// subranges sets the parent of each dimension whose elements all belong to
// another: the smallest such dimension, the one declared first among
// equals.
func (b *builder) subranges() {
	index := make(map[*model.Dimension]int)
	for i, d := range b.m.Dimensions {
		index[d] = i
	}
	for _, d := range b.m.Dimensions {
		if d.Of != "" {
			continue
		}
		var best *model.Dimension
		for _, p := range b.m.Dimensions {
			if p == d || p.Size() < d.Size() || !contains(p, d) {
				continue
			}
			if p.Size() == d.Size() && (index[p] > index[d] || p.Of != "") {
				continue // equal sets: the later one is the subrange
			}
			if best == nil || p.Size() < best.Size() {
				best = p
			}
		}
		if best != nil {
			d.Of = best.Name
		}
	}
}

// contains reports whether every element of sub is an element of d.
func contains(d, sub *model.Dimension) bool {
	for _, e := range sub.Elements {
		if d.Index(e) < 0 {
			return false
		}
	}
	return true
}

// root returns the dimension at the top of d's chain of parents.
func (b *builder) root(d *model.Dimension) *model.Dimension {
	for n := 0; d.Of != "" && n < 64; n++ {
		p := b.dims[canonical(d.Of)]
		if p == nil {
			break
		}
		d = p
	}
	return d
}

// elementDim returns the first declared dimension that has the element,
// or nil.
func (b *builder) elementDim(elem string) *model.Dimension {
	for _, d := range b.m.Dimensions {
		if d.Index(elem) >= 0 {
			return d
		}
	}
	return nil
}

// varDims works out the dimensions of a variable from the left-hand sides
// of its equations: at each position, the dimension written there when all
// equations write the same one, or else the whole dimension their elements
// and subranges belong to.
func (b *builder) varDims(eqs []*equation) []string {
	n := len(eqs[0].subs)
	for _, eq := range eqs[1:] {
		if len(eq.subs) != n {
			b.fail(eq.at, "%q has %d subscripts here but %d at %s", eq.name, len(eq.subs), n, b.pos(eqs[0].at))
		}
	}
	dims := make([]string, n)
	for i := range dims {
		first := eqs[0].subs[i]
		sameDim := b.dims[canonical(first.name)] != nil
		for _, eq := range eqs[1:] {
			if canonical(eq.subs[i].name) != canonical(first.name) {
				sameDim = false
			}
		}
		if sameDim {
			dims[i] = b.dims[canonical(first.name)].Name
			continue
		}
		// The elements written at this position, and the smallest range
		// that holds them all.
		covered := &model.Dimension{}
		for _, eq := range eqs {
			s := eq.subs[i]
			if d := b.dims[canonical(s.name)]; d != nil {
				covered.Elements = append(covered.Elements, d.Elements...)
			} else if b.elementDim(s.name) != nil {
				covered.Elements = append(covered.Elements, s.name)
			} else {
				b.fail(s.at, "%q is neither a subscript range nor an element of one", s.name)
			}
		}
		var top *model.Dimension
		for _, d := range b.m.Dimensions {
			if contains(d, covered) && (top == nil || d.Size() < top.Size()) {
				top = d
			}
		}
		if top == nil {
			b.fail(eqs[0].subs[i].at, "no subscript range holds all the elements that %q is defined for at position %d", eqs[0].name, i+1)
		}
		dims[i] = top.Name
	}
	return dims
}

// tuples returns the element tuples that subscripts stand for, in
// row-major order (the last subscript fastest), leaving out those of the
// :EXCEPT: lists.
func (b *builder) tuples(dims []string, subs []subRef, except [][]subRef) [][]string {
	sets := make([][]string, len(subs))
	for i, s := range subs {
		sets[i] = b.elementsOf(dims[i], s)
	}
	var excluded []map[int]map[string]bool
	for _, ex := range except {
		if len(ex) != len(subs) {
			b.fail(ex[0].at, ":EXCEPT: gives %d subscripts; the variable has %d", len(ex), len(subs))
		}
		m := make(map[int]map[string]bool)
		for i, s := range ex {
			m[i] = make(map[string]bool)
			for _, e := range b.elementsOf(dims[i], s) {
				m[i][canonical(e)] = true
			}
		}
		excluded = append(excluded, m)
	}
	var out [][]string
	cur := make([]string, len(subs))
	var rec func(k int)
	rec = func(k int) {
		if k == len(subs) {
			for _, m := range excluded {
				all := true
				for i, e := range cur {
					if !m[i][canonical(e)] {
						all = false
						break
					}
				}
				if all {
					return
				}
			}
			out = append(out, append([]string(nil), cur...))
			return
		}
		for _, e := range sets[k] {
			cur[k] = e
			rec(k + 1)
		}
	}
	rec(0)
	return out
}

// elementsOf returns the elements a subscript of dimension dim stands
// for: itself, or the elements of the range or subrange it names.
func (b *builder) elementsOf(dim string, s subRef) []string {
	d := b.dims[canonical(dim)]
	if sub := b.dims[canonical(s.name)]; sub != nil {
		return sub.Elements
	}
	if d != nil && d.Index(s.name) >= 0 {
		return []string{d.Elements[d.Index(s.name)]}
	}
	b.fail(s.at, "%q is not an element of the subscript range %q", s.name, dim)
	return nil
}

// isWhole reports whether the subscripts are exactly the dimensions, in
// order.
func isWhole(subs []subRef, dims []string) bool {
	if len(subs) != len(dims) {
		return false
	}
	for i, s := range subs {
		if canonical(s.name) != canonical(dims[i]) {
			return false
		}
	}
	return true
}

// stockRates holds an arrayed stock's rate, for all elements or per
// element.
type elementRate struct {
	subs []string
	rate node
	at   int
}

// arrayed makes an arrayed variable from its equations.
func (b *builder) arrayed(eqs []*equation, sc *scope, name string) {
	first := eqs[0]
	v := &model.Variable{Kind: model.Aux, Name: name, Units: first.units, Doc: first.doc, Pos: b.pos(first.at)}
	for _, eq := range eqs[1:] {
		if v.Units == "" {
			v.Units = eq.units
		}
		if v.Doc == "" {
			v.Doc = eq.doc
		}
	}
	var rates []elementRate
	ok := b.catch(func() {
		v.Dims = b.varDims(eqs)
		stocks := 0
		for _, eq := range eqs {
			if c, ok := eq.rhs.(*callNode); ok && c.name == "INTEG" {
				stocks++
			}
		}
		if stocks > 0 && stocks < len(eqs) {
			b.fail(eqs[0].at, "%q is a stock (INTEG) in some of its equations but not in all", name)
		}
		if stocks > 0 {
			v.Kind = model.Stock
		}
		whole := len(eqs) == 1 && eqs[0].except == nil && isWhole(eqs[0].subs, v.Dims)
		for _, eq := range eqs {
			b.elementEquations(v, eq, sc, whole, &rates)
		}
		if !whole {
			b.fillElements(v, &rates)
		}
	})
	if !ok {
		return
	}
	b.m.Vars = append(b.m.Vars, v)
	b.built[canonical(name)] = v
	if v.Kind == model.Stock {
		b.arrayedStocks = append(b.arrayedStocks, arrayedStock{v: v, rates: rates, sc: sc})
	}
}

// elementEquations adds the equations of one entry to an arrayed variable.
func (b *builder) elementEquations(v *model.Variable, eq *equation, sc *scope, whole bool, rates *[]elementRate) {
	pos := b.pos(eq.at)
	if l, ok := eq.rhs.(*listNode); ok {
		if v.Kind == model.Stock {
			b.fail(eq.at, "a stock's equation must be INTEG(...), not a list of numbers")
		}
		var vals []float64
		for _, row := range l.rows {
			vals = append(vals, row...)
		}
		tuples := b.tuples(v.Dims, eq.subs, eq.except)
		if len(vals) != len(tuples) {
			b.fail(l.at, "%d values for the %d elements of %s", len(vals), len(tuples), subsText(eq))
		}
		for i, t := range tuples {
			e, err := model.NewEquation(expr.Format(num(vals[i])), pos, 0)
			if err != nil {
				b.fail(l.at, "%v", err)
			}
			v.Elements = append(v.Elements, model.ElementEquation{Subscripts: t, Equation: e, Pos: pos})
		}
		return
	}
	if g := asGet(eq.rhs, getConstants); g != nil && sc == nil && v.Kind != model.Stock {
		vals := b.constants(g, eq, v.Dims)
		for i, t := range b.tuples(v.Dims, eq.subs, nil) {
			v.Elements = append(v.Elements, model.ElementEquation{Subscripts: t, Equation: b.number(eq.at, vals[i]), Pos: pos})
		}
		return
	}
	if g := asGet(eq.rhs, getData); g != nil && sc == nil && v.Kind != model.Stock {
		if eq.except != nil {
			b.refuse(g.at, "%s in an equation with :EXCEPT: is not supported", g.name)
		}
		b.checkDataMode(eq)
		tuples := b.tuples(v.Dims, eq.subs, nil)
		ser := b.series(g, len(tuples))
		for i, t := range tuples {
			v.Elements = append(v.Elements, model.ElementEquation{Subscripts: t, Equation: b.timeEquation(eq.at), Lookup: b.dataLookup(eq, ser[i], g.at), Pos: pos})
		}
		return
	}
	keys := [][]string{subNames(eq.subs)}
	if eq.except != nil {
		keys = b.tuples(v.Dims, eq.subs, eq.except)
	}
	rhs := eq.rhs
	var lookup *model.Lookup
	if c, ok := rhs.(*callNode); ok {
		switch c.name {
		case "INTEG":
			if len(c.args) != 2 {
				b.fail(c.at, "INTEG takes 2 arguments (rate, initial value); found %d", len(c.args))
			}
			for _, k := range keys {
				*rates = append(*rates, elementRate{subs: k, rate: c.args[0], at: c.at})
			}
			rhs = c.args[1]
		case "WITH LOOKUP":
			if len(c.args) != 2 {
				b.fail(c.at, "WITH LOOKUP takes 2 arguments (input, table); found %d", len(c.args))
			}
			tb, ok := c.args[1].(*tableNode)
			if !ok {
				b.fail(c.args[1].position(), "expected a lookup table ((x1,y1), (x2,y2), ...) as the second argument of WITH LOOKUP")
			}
			lookup = &model.Lookup{X: tb.x, Y: tb.y, Pos: b.pos(tb.at)}
			rhs = c.args[0]
		}
	}
	e := b.equation(rhs, sc, eq.at)
	if whole {
		v.Equation = e
		v.Lookup = lookup
		return
	}
	for _, k := range keys {
		v.Elements = append(v.Elements, model.ElementEquation{Subscripts: k, Equation: e, Lookup: lookup, Pos: pos})
	}
}

func subNames(subs []subRef) []string {
	out := make([]string, len(subs))
	for i, s := range subs {
		out[i] = s.name
	}
	return out
}

func subsText(eq *equation) string {
	return eq.name + "[" + strings.Join(subNames(eq.subs), ",") + "]"
}

// arrayedLookup makes a lookup defined per element: table[a](...).
func (b *builder) arrayedLookup(eqs []*equation) {
	l := &model.Lookup{Name: eqs[0].name, Units: eqs[0].units, Doc: eqs[0].doc, Pos: b.pos(eqs[0].at)}
	b.catch(func() {
		l.Dims = b.varDims(eqs)
		for _, eq := range eqs {
			if g := asGet(eq.rhs, getLookups); g != nil {
				if eq.except != nil {
					b.refuse(g.at, "%s in an equation with :EXCEPT: is not supported", g.name)
				}
				tuples := b.tuples(l.Dims, eq.subs, nil)
				ser := b.series(g, len(tuples))
				for i, t := range tuples {
					l.Elements = append(l.Elements, model.ElementEquation{
						Subscripts: t, Lookup: &model.Lookup{X: ser[i].x, Y: ser[i].y, Pos: b.pos(g.at)}, Pos: b.pos(eq.at),
					})
				}
				continue
			}
			tb, ok := eq.rhs.(*tableNode)
			if !ok {
				b.lower(eq.rhs, nil) // refuses GET ... LOOKUPS
				b.fail(eq.at, "expected a lookup table")
			}
			if len(eqs) == 1 && eq.except == nil && isWhole(eq.subs, l.Dims) {
				l.X, l.Y = tb.x, tb.y
				continue
			}
			keys := [][]string{subNames(eq.subs)}
			if eq.except != nil {
				keys = b.tuples(l.Dims, eq.subs, eq.except)
			}
			for _, k := range keys {
				l.Elements = append(l.Elements, model.ElementEquation{
					Subscripts: k, Lookup: &model.Lookup{X: tb.x, Y: tb.y, Pos: b.pos(tb.at)}, Pos: b.pos(eq.at),
				})
			}
		}
		if len(l.Elements) > 0 {
			b.fillLookups(l)
		}
		b.m.Lookups = append(b.m.Lookups, l)
	})
}

// fillLookups gives the elements of an arrayed lookup that no equation
// defines a table that is 0 everywhere, as Vensim takes what is not
// defined to be 0.
func (b *builder) fillLookups(l *model.Lookup) {
	covered := make(map[string]bool)
	for _, el := range l.Elements {
		for _, t := range b.tuples(l.Dims, refs(el.Subscripts), nil) {
			covered[canonical(strings.Join(t, ","))] = true
		}
	}
	subs := make([]subRef, len(l.Dims))
	for i, d := range l.Dims {
		subs[i] = subRef{name: d}
	}
	for _, t := range b.tuples(l.Dims, subs, nil) {
		if !covered[canonical(strings.Join(t, ","))] {
			l.Elements = append(l.Elements, model.ElementEquation{Subscripts: t, Lookup: &model.Lookup{X: []float64{0}, Y: []float64{0}, Pos: l.Pos}, Pos: l.Pos})
		}
	}
}

// arrayedStock is an arrayed stock whose flows are found once every
// variable is known.
type arrayedStock struct {
	v     *model.Variable
	rates []elementRate
	sc    *scope
}

// arrayedFlows gives each arrayed stock its flows: the variables of its
// rate when it has one rate for all elements made of references to
// variables of the same dimensions, subscripted by them in order; or
// else one arrayed flow of its own, with the rate of each element.
func (b *builder) arrayedFlows() {
	for _, as := range b.arrayedStocks {
		as := as
		b.catch(func() {
			v := as.v
			if len(v.Elements) == 0 && len(as.rates) == 1 {
				var in, out []string
				if b.arrayTerms(as.rates[0].rate, as.sc, v.Dims, +1, &in, &out) && distinct(in, out) {
					for _, n := range append(append([]string{}, in...), out...) {
						b.built[canonical(n)].Kind = model.Flow
					}
					v.Inflows, v.Outflows = in, out
					return
				}
			}
			name := v.Name + " net flow"
			for b.built[canonical(name)] != nil {
				name += "_"
			}
			f := &model.Variable{Kind: model.Flow, Name: name, Dims: v.Dims, Units: perTime(v.Units, b.m.Time.Units), Pos: v.Pos}
			if len(v.Elements) == 0 && len(as.rates) == 1 {
				f.Equation = b.equation(as.rates[0].rate, as.sc, as.rates[0].at)
			} else {
				for _, r := range as.rates {
					f.Elements = append(f.Elements, model.ElementEquation{
						Subscripts: r.subs, Equation: b.equation(r.rate, as.sc, r.at), Pos: b.pos(r.at),
					})
				}
			}
			b.insertAfter(v, f)
			b.built[canonical(name)] = f
			v.Inflows = []string{name}
		})
	}
}

// arrayTerms is terms for an arrayed stock: each term must be
// name[d1, d2, ...] with the stock's dimensions in order, of a variable
// with those dimensions.
func (b *builder) arrayTerms(n node, sc *scope, dims []string, sign int, in, out *[]string) bool {
	switch n := n.(type) {
	case *binNode:
		switch n.op {
		case expr.Add:
			return b.arrayTerms(n.x, sc, dims, sign, in, out) && b.arrayTerms(n.y, sc, dims, sign, in, out)
		case expr.Sub:
			return b.arrayTerms(n.x, sc, dims, sign, in, out) && b.arrayTerms(n.y, sc, dims, -sign, in, out)
		}
	case *unaryNode:
		switch n.op {
		case expr.Neg:
			return b.arrayTerms(n.x, sc, dims, -sign, in, out)
		case expr.Plus:
			return b.arrayTerms(n.x, sc, dims, sign, in, out)
		}
	case *refNode:
		if len(n.subs) != len(dims) {
			return false
		}
		for i, s := range n.subs {
			if s.bang || canonical(s.name) != canonical(dims[i]) {
				return false
			}
		}
		v := b.built[canonical(b.localName(n.name, sc))]
		if v == nil || v.Kind == model.Stock || len(v.Dims) != len(dims) {
			return false
		}
		for i, d := range v.Dims {
			if canonical(d) != canonical(dims[i]) {
				return false
			}
		}
		if sign > 0 {
			*in = append(*in, v.Name)
		} else {
			*out = append(*out, v.Name)
		}
		return true
	}
	return false
}

// localName resolves a name in a macro's instance.
func (b *builder) localName(name string, sc *scope) string {
	if sc != nil {
		if l, ok := sc.locals[canonical(name)]; ok {
			return l
		}
	}
	return name
}

// fillElements gives the elements that no equation defines the value 0,
// as Vensim does for a variable defined on part of its range.
func (b *builder) fillElements(v *model.Variable, rates *[]elementRate) {
	subs := make([]subRef, len(v.Dims))
	for i, d := range v.Dims {
		subs[i] = subRef{name: d}
	}
	covered := make(map[string]bool)
	for _, el := range v.Elements {
		for _, t := range b.tuples(v.Dims, refs(el.Subscripts), nil) {
			covered[canonical(strings.Join(t, ","))] = true
		}
	}
	zero, _ := model.NewEquation("0", v.Pos, 0)
	for _, t := range b.tuples(v.Dims, subs, nil) {
		if covered[canonical(strings.Join(t, ","))] {
			continue
		}
		v.Elements = append(v.Elements, model.ElementEquation{Subscripts: t, Equation: zero, Pos: v.Pos})
		if v.Kind == model.Stock {
			*rates = append(*rates, elementRate{subs: t, rate: &numNode{v: 0}})
		}
	}
}

func refs(names []string) []subRef {
	out := make([]subRef, len(names))
	for i, n := range names {
		out[i] = subRef{name: n}
	}
	return out
}
