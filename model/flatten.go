package model

import (
	"fmt"
	"math"
	"strings"

	"github.com/stockflow/stockflow/model/expr"
)

// Flatten returns a model without arrays that computes what m computes:
// each element of an arrayed variable becomes a variable of its own, named
// as output names it (customers[smb]), whose equation has every subscript,
// implicit dimension, wildcard and array function resolved to references
// to single elements. A model without dimensions is returned as it is.
//
// The array functions become calls that take the elements as arguments:
// SUM, PROD, MEAN, MIN, MAX and STDDEV of all their arguments; SIZE and
// ELMCOUNT become numbers; RANK, VECTOR ELM MAP, VECTOR SORT ORDER and
// VECTOR SELECT become calls of the internal functions named by the
// constants RankFunc, ElmMapFunc, SortOrderFunc and SelectFunc, whose
// arguments are described there.
//
// The error is an ErrorList of every equation that cannot be resolved,
// positioned inside the equation and naming the dimension or element at
// fault. m must be valid (Validate).
func Flatten(m *Model) (*Model, error) {
	if !hasArrays(m) {
		return m, nil
	}
	f := &flattener{m: m}
	out := &Model{Name: m.Name, Doc: m.Doc, File: m.File, Time: m.Time, Loops: m.Loops}
	for _, l := range m.Lookups {
		if len(l.Dims) == 0 {
			out.Lookups = append(out.Lookups, l)
			continue
		}
		dims := f.dimsOf(l.Dims)
		if dims == nil {
			continue
		}
		owner := f.owners(dims, l.Elements)
		f.each(dims, func(pos []int, flat int) {
			el := *l
			el.Dims, el.Elements = nil, nil
			el.Name = f.elementName(l.Name, dims, pos)
			if o := owner[flat]; o >= 0 && l.Elements[o].Lookup != nil {
				t := l.Elements[o].Lookup
				el.X, el.Y, el.Mode = t.X, t.Y, t.Mode
			}
			out.Lookups = append(out.Lookups, &el)
		})
	}
	for _, v := range m.Vars {
		if len(v.Dims) == 0 {
			nv := *v
			nv.Equation = f.lowerEquation(v.Equation, &context{}, v)
			if v.Initial.Text != "" {
				nv.Initial = f.lowerEquation(v.Initial, &context{}, v)
			}
			out.Vars = append(out.Vars, &nv)
			continue
		}
		dims := f.dimsOf(v.Dims)
		if dims == nil {
			continue
		}
		owner := f.owners(dims, v.Elements)
		f.each(dims, func(pos []int, flat int) {
			nv := *v
			nv.Dims, nv.Elements = nil, nil
			nv.Name = f.elementName(v.Name, dims, pos)
			c := &context{dims: dims, pos: pos}
			eq := v.Equation
			if o := owner[flat]; o >= 0 {
				el := v.Elements[o]
				if el.Equation.Text != "" || el.Equation.Expr != nil {
					eq = el.Equation
				}
				if el.Lookup != nil {
					nv.Lookup = el.Lookup
				}
				if eq.Text == "" && eq.Expr == nil && el.Lookup != nil {
					// A graphical function of time alone.
					eq = Equation{Text: "TIME", Expr: &expr.Ident{Name: "TIME"}, Pos: el.Pos}
				}
			}
			nv.Equation = f.lowerEquation(eq, c, v)
			if v.Initial.Text != "" {
				nv.Initial = f.lowerEquation(v.Initial, c, v)
			}
			nv.Inflows = f.elementNames(v.Inflows, dims, pos)
			nv.Outflows = f.elementNames(v.Outflows, dims, pos)
			out.Vars = append(out.Vars, &nv)
		})
	}
	for _, s := range m.Scenarios {
		ns := *s
		ns.Set = nil
		for _, set := range s.Set {
			_, names, err := m.Elements(set.Name)
			if err != nil {
				ns.Set = append(ns.Set, set) // Validate reported it
				continue
			}
			for _, n := range names {
				ns.Set = append(ns.Set, Setting{Name: n, Value: set.Value, Pos: set.Pos})
			}
		}
		out.Scenarios = append(out.Scenarios, &ns)
	}
	if err := f.errs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// The internal functions that Flatten's equations call.
const (
	// RankFunc(n, a1, ..., ak) is the position (from 1) of the element
	// of rank n (1 the smallest) among a1..ak; ties keep their order.
	RankFunc = "\x00rank"
	// ElmMapFunc(offset, base, a1, ..., ak) is a(base+offset+1), the
	// element offset places after the one at base (from 0), or NaN past
	// either end (Vensim's VECTOR ELM MAP).
	ElmMapFunc = "\x00elm_map"
	// SortOrderFunc(p, direction, a1, ..., ak) is the position (from 0)
	// of the element that comes p-th (from 0) when a1..ak are sorted,
	// ascending for direction > 0 and descending otherwise (Vensim's
	// VECTOR SORT ORDER).
	SortOrderFunc = "\x00sort_order"
	// SelectFunc(missing, action, s1, ..., sk, x1, ..., xk) combines the
	// x whose s is not zero: their sum (action 0), product (1), minimum
	// (2) or maximum (3); missing when no s is non-zero (Vensim's VECTOR
	// SELECT).
	SelectFunc = "\x00select"
)

// hasArrays reports whether m uses arrays anywhere.
func hasArrays(m *Model) bool {
	if len(m.Dimensions) > 0 {
		return true
	}
	for _, l := range m.Lookups {
		if len(l.Dims) > 0 {
			return true
		}
	}
	found := false
	for _, v := range m.Vars {
		if len(v.Dims) > 0 || len(v.Elements) > 0 {
			return true
		}
		expr.Walk(v.Equation.Expr, func(e expr.Expr) bool {
			switch e := e.(type) {
			case *expr.Index, *expr.Wildcard, *expr.DimPos, *expr.Range:
				found = true
			case *expr.Call:
				c := Canonical(e.Func)
				found = found || e.Subs != nil || c == "size" || c == "rank" || c == "elmcount" ||
					strings.HasPrefix(c, "vector_") || strings.HasPrefix(c, "allocate")
			case *expr.Unary:
				found = found || e.Op == expr.Transpose
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

type flattener struct {
	m    *Model
	errs ErrorList
}

// context is the element whose equation is being resolved: its position
// along each dimension of its variable.
type context struct {
	dims []*Dimension
	pos  []int
	eq   Equation
	v    *Variable
}

func (f *flattener) dimsOf(names []string) []*Dimension {
	dims := make([]*Dimension, len(names))
	for i, n := range names {
		if dims[i] = f.m.Dimension(n); dims[i] == nil || dims[i].Size() == 0 {
			return nil
		}
	}
	return dims
}

// owners returns, for each element in row-major order, the index of the
// element equation that gives it, or -1.
func (f *flattener) owners(dims []*Dimension, els []ElementEquation) []int {
	size := 1
	for _, d := range dims {
		size *= d.Size()
	}
	owner := make([]int, size)
	for i := range owner {
		owner[i] = -1
	}
	for k, el := range els {
		if len(el.Subscripts) != len(dims) {
			continue
		}
		sets := make([][]int, len(dims))
		ok := true
		for i, s := range el.Subscripts {
			if sets[i] = f.m.SubscriptElements(dims[i], s); sets[i] == nil {
				ok = false
			}
		}
		if ok {
			forEach(sets, func(j int) {
				if flat := flatIndex(dims, sets, j); owner[flat] < 0 {
					owner[flat] = k
				}
			})
		}
	}
	return owner
}

// each calls fn for every element of dims in row-major order.
func (f *flattener) each(dims []*Dimension, fn func(pos []int, flat int)) {
	pos := make([]int, len(dims))
	flat := 0
	var rec func(k int)
	rec = func(k int) {
		if k == len(dims) {
			fn(append([]int(nil), pos...), flat)
			flat++
			return
		}
		for i := range dims[k].Elements {
			pos[k] = i
			rec(k + 1)
		}
	}
	rec(0)
}

func (f *flattener) elementName(name string, dims []*Dimension, pos []int) string {
	elems := make([]string, len(dims))
	for i, d := range dims {
		elems[i] = d.Elements[pos[i]]
	}
	return ElementName(name, elems...)
}

// elementNames names the same element of each of the (flow) variables.
func (f *flattener) elementNames(names []string, dims []*Dimension, pos []int) []string {
	if names == nil {
		return nil
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = f.elementName(n, dims, pos)
	}
	return out
}

// value is an equation resolved for one element: one expression, or a
// slice of several (an array that an array function takes whole).
type value struct {
	xs    []expr.Expr
	slice bool
	// over, when known, lists the dimensions a slice spans, in the order
	// its elements run (the last fastest), so that slices over different
	// dimensions can be combined (see broadcast).
	over []axis
}

// axis is a dimension a slice spans: the name it was marked with (the
// dimension, or the subrange of d! or sub!) and its number of elements.
type axis struct {
	name string
	size int
}

func one(e expr.Expr) value { return value{xs: []expr.Expr{e}} }

// flatError abandons the resolution of one equation.
type flatError struct{ err *Error }

func (f *flattener) lowerEquation(eq Equation, c *context, v *Variable) (out Equation) {
	out = eq
	if eq.Expr == nil && strings.TrimSpace(eq.Text) != "" {
		// A model built by a program may hold equation text only.
		parsed, err := NewEquation(eq.Text, eq.Pos, eq.indent)
		if err != nil {
			f.errs.Append(err)
			return out
		}
		eq, out = parsed, parsed
	}
	if eq.Expr == nil {
		return out
	}
	c.eq, c.v = eq, v
	defer func() {
		if r := recover(); r != nil {
			fe, ok := r.(flatError)
			if !ok {
				panic(r)
			}
			// One report per equation, not one per element.
			for _, e := range f.errs {
				if e.Pos == fe.err.Pos && e.Msg == fe.err.Msg {
					out.Expr = nil
					return
				}
			}
			f.errs = append(f.errs, fe.err)
			out.Expr = nil
		}
	}()
	val := f.lower(eq.Expr, c, false)
	if len(val.xs) != 1 || val.slice {
		f.fail(c, eq.Expr, "the equation of %s gives %d values where one is needed (name one element, or take SUM, MEAN, MAX, ... of the array)", c.what(), len(val.xs))
	}
	out.Expr = val.xs[0]
	return out
}

func (c *context) what() string {
	if len(c.dims) == 0 {
		return fmt.Sprintf("%q", c.v.Name)
	}
	elems := make([]string, len(c.dims))
	for i, d := range c.dims {
		elems[i] = d.Elements[c.pos[i]]
	}
	return fmt.Sprintf("%q", ElementName(c.v.Name, elems...))
}

func (f *flattener) fail(c *context, at expr.Expr, format string, args ...any) {
	panic(flatError{&Error{Pos: c.eq.PosAt(at.Pos()), Msg: fmt.Sprintf(format, args...)}})
}

// arrayFuncs are the functions that take every element of their array
// arguments.
var arrayFuncs = map[string]bool{"sum": true, "prod": true, "product": true, "mean": true, "min": true, "max": true, "stddev": true}

func (f *flattener) lower(e expr.Expr, c *context, agg bool) value {
	switch e := e.(type) {
	case *expr.Number:
		return one(e)
	case *expr.Ident:
		if v := f.m.Var(e.Name); v != nil && len(v.Dims) > 0 {
			return f.reference(e, v.Name, v.Dims, nil, c, agg, false)
		}
		if d := f.m.Dimension(e.Name); d != nil {
			// A dimension's name as a value: the position of the
			// element being computed along it, counted (as Vensim
			// counts) in the dimension a subrange is part of.
			root := d
			for n := 0; root.Of != "" && n < 32; n++ {
				if up := f.m.Dimension(root.Of); up != nil {
					root = up
				} else {
					break
				}
			}
			for pass := 0; pass < 2; pass++ {
				for i, cd := range c.dims {
					same := Canonical(cd.Name) == Canonical(d.Name)
					if pass == 0 && same || pass == 1 && (f.m.within(cd, d) || f.m.within(d, cd)) {
						if p := root.Index(cd.Elements[c.pos[i]]); p >= 0 {
							return one(&expr.Number{At: e.At, Value: float64(p + 1)})
						}
					}
				}
			}
			f.fail(c, e, "dimension %q is not a dimension of %s, so it has no value here", d.Name, c.what())
		}
		return one(e)
	case *expr.Index:
		v := f.m.Var(e.Name)
		if v == nil {
			if l := f.m.Lookup(e.Name); l != nil && len(l.Dims) > 0 {
				return f.reference(e, l.Name, l.Dims, e.Subs, c, agg, false)
			}
			f.fail(c, e, "undefined variable %q%s", e.Name, DidYouMean(e.Name, f.m.names(0)))
		}
		if len(v.Dims) == 0 {
			f.fail(c, e, "%q is not arrayed, so it takes no subscripts", v.Name)
		}
		return f.reference(e, v.Name, v.Dims, e.Subs, c, agg, false)
	case *expr.Wildcard, *expr.DimPos, *expr.Range:
		f.fail(c, e, "%s may appear only inside the brackets of a subscript", expr.Format(e))
	case *expr.Unary:
		if e.Op == expr.Transpose {
			id, ok := e.X.(*expr.Ident)
			v := f.m.Var(identOr(id))
			if !ok || v == nil || len(v.Dims) == 0 {
				f.fail(c, e, "transposition (') applies to the name of an arrayed variable, not %s", expr.Format(e.X))
			}
			return f.reference(id, v.Name, v.Dims, nil, c, agg, true)
		}
		x := f.lower(e.X, c, agg)
		out := value{slice: x.slice, over: x.over}
		for _, a := range x.xs {
			out.xs = append(out.xs, &expr.Unary{At: e.At, Op: e.Op, X: a})
		}
		return out
	case *expr.Binary:
		x, y := f.lower(e.X, c, agg), f.lower(e.Y, c, agg)
		return f.broadcast(c, e, []value{x, y}, func(a []expr.Expr) expr.Expr {
			return &expr.Binary{At: e.At, Op: e.Op, X: a[0], Y: a[1]}
		})
	case *expr.If:
		vals := []value{f.lower(e.Cond, c, agg), f.lower(e.Then, c, agg), f.lower(e.Else, c, agg)}
		return f.broadcast(c, e, vals, func(a []expr.Expr) expr.Expr {
			return &expr.If{At: e.At, Cond: a[0], Then: a[1], Else: a[2]}
		})
	case *expr.Call:
		return f.call(e, c, agg)
	}
	return one(e)
}

func identOr(id *expr.Ident) string {
	if id == nil {
		return ""
	}
	return id.Name
}

// broadcast applies build element by element to values of equal length
// (or of one element, repeated).
func (f *flattener) broadcast(c *context, at expr.Expr, vals []value, build func([]expr.Expr) expr.Expr) value {
	n, slice := 1, false
	var over []axis
	for _, v := range vals {
		slice = slice || v.slice
		if len(v.xs) != 1 {
			if n != 1 && len(v.xs) != n {
				if u, ok := unionAxes(vals); ok {
					return f.broadcastAxes(vals, u, build)
				}
				f.fail(c, at, "arrays of %d and %d elements cannot be combined element by element", n, len(v.xs))
			}
			if n == 1 {
				over = v.over
			} else if !sameAxes(over, v.over) {
				over = nil
			}
			n = len(v.xs)
		}
	}
	out := value{slice: slice, over: over}
	args := make([]expr.Expr, len(vals))
	for i := 0; i < n; i++ {
		for j, v := range vals {
			if len(v.xs) == 1 {
				args[j] = v.xs[0]
				if i > 0 {
					args[j] = cloneExpr(v.xs[0])
				}
			} else {
				args[j] = v.xs[i]
			}
		}
		out.xs = append(out.xs, build(append([]expr.Expr(nil), args...)))
	}
	return out
}

func (f *flattener) call(e *expr.Call, c *context, agg bool) value {
	name := Canonical(e.Func)
	num := func(v float64) value { return one(&expr.Number{At: e.At, Value: v}) }
	all := func(args []expr.Expr) []expr.Expr {
		var out []expr.Expr
		for _, a := range args {
			out = append(out, f.lower(a, c, true).xs...)
		}
		return out
	}
	if v, ok := f.vectorCall(e, c, agg); ok {
		return v
	}
	switch {
	case arrayFuncs[name] && e.Subs == nil && f.m.Lookup(e.Func) == nil:
		args := all(e.Args)
		if len(args) == 0 {
			f.fail(c, e, "%s needs at least one value", strings.ToUpper(e.Func))
		}
		return one(&expr.Call{At: e.At, Func: e.Func, Args: args})
	case name == "size":
		return num(float64(len(all(e.Args))))
	case name == "elmcount":
		if len(e.Args) != 1 {
			f.fail(c, e, "ELMCOUNT takes 1 argument, the name of a dimension")
		}
		if id, ok := e.Args[0].(*expr.Ident); ok {
			if d := f.m.Dimension(id.Name); d != nil {
				return num(float64(d.Size()))
			}
		}
		f.fail(c, e.Args[0], "the argument of ELMCOUNT must name a dimension, not %s", expr.Format(e.Args[0]))
	case name == "rank":
		if len(e.Args) < 2 || len(e.Args) > 3 {
			f.fail(c, e, "RANK takes 2 arguments (RANK(array, n)), not %d", len(e.Args))
		}
		if len(e.Args) == 3 {
			f.fail(c, e.Args[2], "the tie-breaking array of RANK is not supported")
		}
		n := f.scalar(e.Args[1], c, agg)
		return one(&expr.Call{At: e.At, Func: RankFunc, Args: append([]expr.Expr{n}, all(e.Args[:1])...)})
	case name == "vector_elm_map":
		if len(e.Args) != 2 {
			f.fail(c, e, "VECTOR ELM MAP takes 2 arguments (VECTOR ELM MAP(vector[start], offset)), not %d", len(e.Args))
		}
		base, elems := f.vector(e.Args[0], c, false)
		off := f.lower(e.Args[1], c, agg)
		return f.broadcast(c, e, []value{off}, func(a []expr.Expr) expr.Expr {
			args := append([]expr.Expr{a[0], &expr.Number{At: e.At, Value: float64(base)}}, cloneAll(elems)...)
			return &expr.Call{At: e.At, Func: ElmMapFunc, Args: args}
		})
	case name == "vector_sort_order":
		if len(e.Args) != 2 {
			f.fail(c, e, "VECTOR SORT ORDER takes 2 arguments (VECTOR SORT ORDER(vector, direction)), not %d", len(e.Args))
		}
		p, elems := f.vector(e.Args[0], c, true)
		dir := f.scalar(e.Args[1], c, agg)
		args := append([]expr.Expr{&expr.Number{At: e.At, Value: float64(p)}, dir}, elems...)
		return one(&expr.Call{At: e.At, Func: SortOrderFunc, Args: args})
	case name == "vector_select":
		if len(e.Args) != 5 {
			f.fail(c, e, "VECTOR SELECT takes 5 arguments (selection, values, missing, action, error action), not %d", len(e.Args))
		}
		sel, xs := f.lower(e.Args[0], c, true), f.lower(e.Args[1], c, true)
		if len(sel.xs) != len(xs.xs) {
			f.fail(c, e, "VECTOR SELECT's selection has %d elements but its values have %d", len(sel.xs), len(xs.xs))
		}
		args := []expr.Expr{f.scalar(e.Args[2], c, agg), f.scalar(e.Args[3], c, agg)}
		args = append(append(args, sel.xs...), xs.xs...)
		return one(&expr.Call{At: e.At, Func: SelectFunc, Args: args})
	case strings.HasPrefix(name, "allocate") || name == "alloc_p" || name == "find_market_price" ||
		strings.HasPrefix(name, "vector_") || name == "vector_reorder" || name == "vector_lookup":
		f.fail(c, e, "%s is not supported", strings.ToUpper(strings.ReplaceAll(e.Func, "_", " ")))
	}
	// A lookup: arrayed ones take the element of the context.
	if l := f.m.Lookup(e.Func); l != nil && len(l.Dims) > 0 {
		ref := f.reference(&expr.Ident{At: e.At, Name: e.Func}, l.Name, l.Dims, e.Subs, c, agg, false)
		vals := []value{ref}
		for _, a := range e.Args {
			vals = append(vals, f.lower(a, c, agg))
		}
		return f.broadcast(c, e, vals, func(a []expr.Expr) expr.Expr {
			return &expr.Call{At: e.At, Func: a[0].(*expr.Ident).Name, Args: a[1:]}
		})
	}
	if e.Subs != nil {
		f.fail(c, e, "%q is not an arrayed lookup, so it takes no subscripts", e.Func)
	}
	if v := f.m.Var(e.Func); v != nil && len(v.Dims) > 0 {
		// An arrayed variable with a graphical function, called as one.
		ref := f.reference(&expr.Ident{At: e.At, Name: e.Func}, v.Name, v.Dims, nil, c, agg, false)
		vals := []value{ref}
		for _, a := range e.Args {
			vals = append(vals, f.lower(a, c, agg))
		}
		return f.broadcast(c, e, vals, func(a []expr.Expr) expr.Expr {
			return &expr.Call{At: e.At, Func: a[0].(*expr.Ident).Name, Args: a[1:]}
		})
	}
	vals := make([]value, len(e.Args))
	for i, a := range e.Args {
		if i == 0 && name == "lookup" {
			if idx, ok := a.(*expr.Index); ok {
				vals[i] = f.lower(idx, c, agg)
				continue
			}
			if id, ok := a.(*expr.Ident); ok {
				if l := f.m.Lookup(id.Name); l != nil && len(l.Dims) > 0 {
					vals[i] = f.reference(id, l.Name, l.Dims, nil, c, agg, false)
					continue
				}
			}
			vals[i] = one(a)
			continue
		}
		vals[i] = f.lower(a, c, agg)
	}
	if len(vals) == 0 {
		return one(e)
	}
	return f.broadcast(c, e, vals, func(a []expr.Expr) expr.Expr {
		return &expr.Call{At: e.At, Func: e.Func, Args: a}
	})
}

// scalar resolves an argument that must be one value.
func (f *flattener) scalar(e expr.Expr, c *context, agg bool) expr.Expr {
	v := f.lower(e, c, agg)
	if len(v.xs) != 1 {
		f.fail(c, e, "expected one value but found an array of %d", len(v.xs))
	}
	return v.xs[0]
}

// vector resolves the first argument of VECTOR ELM MAP or VECTOR SORT
// ORDER: a reference to an arrayed variable. It returns the elements of
// the variable along its last dimension with the other dimensions fixed by
// the reference, and with whole, the position of the element being
// computed along that dimension; otherwise the position (within the whole
// variable, row-major) of the element the reference names, and all the
// variable's elements.
func (f *flattener) vector(e expr.Expr, c *context, whole bool) (int, []expr.Expr) {
	var name string
	var subs []expr.Expr
	switch x := e.(type) {
	case *expr.Ident:
		name = x.Name
	case *expr.Index:
		name, subs = x.Name, x.Subs
	default:
		f.fail(c, e, "expected a reference to an arrayed variable but found %s", expr.Format(e))
	}
	v := f.m.Var(name)
	if v == nil || len(v.Dims) == 0 {
		f.fail(c, e, "expected a reference to an arrayed variable but found %s", expr.Format(e))
	}
	dims := f.dimsOf(v.Dims)
	if dims == nil {
		f.fail(c, e, "%q has an undefined dimension", v.Name)
	}
	if !whole {
		ref := f.reference(e, v.Name, v.Dims, subs, c, false, false)
		if len(ref.xs) != 1 {
			f.fail(c, e, "the first argument of VECTOR ELM MAP must name one element")
		}
		id, ok := ref.xs[0].(*expr.Ident)
		if !ok {
			f.fail(c, e, "the first argument of VECTOR ELM MAP names an element outside its array")
		}
		names := f.m.ElementNames(v)
		base := -1
		for i, n := range names {
			if Canonical(n) == Canonical(id.Name) {
				base = i
			}
		}
		var all []expr.Expr
		for _, n := range names {
			all = append(all, &expr.Ident{At: e.Pos(), Name: n})
		}
		return base, all
	}
	// The vector along the last dimension, the others fixed.
	last := len(dims) - 1
	var fixed []expr.Expr
	for i := 0; i < last; i++ {
		var s expr.Expr
		if subs != nil {
			s = subs[i]
		} else {
			s = &expr.Ident{At: e.Pos(), Name: dims[i].Name}
		}
		fixed = append(fixed, s)
	}
	ref := f.reference(e, v.Name, v.Dims, append(fixed, &expr.Wildcard{At: e.Pos()}), c, true, false)
	p := 0
	ld := dims[last]
	if subs != nil {
		if id, ok := subs[last].(*expr.Ident); ok {
			if d := f.m.Dimension(id.Name); d != nil {
				ld = d
			}
		}
	}
	found := false
	for i, cd := range c.dims {
		if f.m.within(cd, ld) || f.m.within(ld, cd) {
			p, found = c.pos[i], true
		}
	}
	// Else a dimension of the context that maps onto the vector's
	// (scompany -> company): the element at the mapped position.
	for i, cd := range c.dims {
		if found {
			break
		}
		p, found = f.mapped(cd, c.pos[i], ld)
	}
	return p, ref.xs
}

// reference resolves a reference to the arrayed variable or lookup name of
// the given dimensions: with subs nil, the implicit one (each dimension
// taken from the element being computed; with transpose, matched in
// reverse order), else the subscripts written. Dimensions that are not
// the context's are whole slices when agg allows, else an error.
func (f *flattener) reference(at expr.Expr, name string, dimNames []string, subs []expr.Expr, c *context, agg, transpose bool) value {
	dims := f.dimsOf(dimNames)
	if dims == nil {
		f.fail(c, at, "%q has an undefined dimension", name)
	}
	if subs != nil && len(subs) != len(dims) {
		f.fail(c, at, "%q has %d dimensions (%s) but %d subscripts are given", name, len(dims), strings.Join(dimNames, ", "), len(subs))
	}
	sets := make([][]int, len(dims))
	slice := false
	for i, d := range dims {
		if subs == nil {
			j := i
			if transpose {
				j = len(dims) - 1 - i
			}
			p, ok := f.match(d, c, at, j, transpose)
			if !ok {
				if !agg {
					f.fail(c, at, "%q is arrayed over %q, which is not a dimension of %s (name an element, as %s[%s], or take SUM, MEAN, ... of it)", name, d.Name, c.what(), name, d.Elements[0])
				}
				sets[i] = seq(d.Size())
				slice = true
				continue
			}
			sets[i] = []int{p}
			continue
		}
		s, isSlice, outside := f.subscript(subs[i], d, i, c, agg)
		if outside {
			return one(&expr.Number{At: at.Pos(), Value: 0}) // XMILE: an index out of range is 0
		}
		sets[i], slice = s, slice || isSlice
	}
	out := value{slice: slice}
	for i, s := range sets {
		if len(s) < 2 {
			continue
		}
		name := dims[i].Name
		if subs != nil {
			if w, ok := subs[i].(*expr.Wildcard); ok && w.Dim != "" {
				name = w.Dim
			} else if id, ok := subs[i].(*expr.Ident); ok && f.m.Dimension(id.Name) != nil {
				name = id.Name
			}
		}
		out.over = append(out.over, axis{name: Canonical(name), size: len(s)})
	}
	forEach(sets, func(k int) {
		elems := make([]string, len(dims))
		for i := len(dims) - 1; i >= 0; i-- {
			s := sets[i]
			elems[i] = dims[i].Elements[s[k%len(s)]]
			k /= len(s)
		}
		out.xs = append(out.xs, &expr.Ident{At: at.Pos(), Name: ElementName(name, elems...)})
	})
	return out
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// match finds the element of dimension d that the element being computed
// stands for: along the context's dimension that is d, a subrange of it
// or one that d is a subrange of, or that maps to it; failing those, and
// for a transposition, the context's dimension at position j when the
// sizes agree.
func (f *flattener) match(d *Dimension, c *context, at expr.Expr, j int, byPosition bool) (int, bool) {
	if !byPosition {
		for i, cd := range c.dims {
			if Canonical(cd.Name) == Canonical(d.Name) {
				return c.pos[i], true
			}
		}
		for i, cd := range c.dims {
			if f.m.within(cd, d) || f.m.within(d, cd) {
				elem := cd.Elements[c.pos[i]]
				if p := d.Index(elem); p >= 0 {
					return p, true
				}
				f.fail(c, at, "element %q of %q is not in %q", elem, cd.Name, d.Name)
			}
		}
		for i, cd := range c.dims {
			if p, ok := f.mapped(cd, c.pos[i], d); ok {
				return p, true
			}
		}
		return 0, false
	}
	if j < len(c.dims) && c.dims[j].Size() == d.Size() {
		return c.pos[j], true
	}
	return 0, false
}

// mapped returns the element of to that element p of from maps to, by a
// mapping of either dimension onto the other.
func (f *flattener) mapped(from *Dimension, p int, to *Dimension) (int, bool) {
	for _, mp := range from.Maps {
		if Canonical(mp.To) != Canonical(to.Name) {
			continue
		}
		if len(mp.Elements) == 0 {
			return p, p < to.Size()
		}
		if p < len(mp.Elements) {
			if q := to.Index(mp.Elements[p]); q >= 0 {
				return q, true
			}
		}
	}
	for _, mp := range to.Maps {
		if Canonical(mp.To) != Canonical(from.Name) {
			continue
		}
		if len(mp.Elements) == 0 {
			return p, p < to.Size()
		}
		for q, e := range mp.Elements {
			if from.Index(e) == p {
				return q, true
			}
		}
	}
	return 0, false
}

// preimage returns the position in from of the element that a mapping of
// from onto to (or of to onto from) pairs with element p of to.
func (f *flattener) preimage(from, to *Dimension, p int) (int, bool) {
	if Canonical(from.Name) == Canonical(to.Name) {
		return 0, false
	}
	for _, mp := range from.Maps {
		// The mapping may be onto to, or onto a subrange of it (or a
		// dimension it is a subrange of): the element being computed
		// is found there by name.
		t := f.m.Dimension(mp.To)
		if t == nil || !(f.m.within(t, to) || f.m.within(to, t)) {
			continue
		}
		pt := t.Index(to.Elements[p])
		if pt < 0 {
			continue
		}
		if len(mp.Elements) == 0 {
			return pt, pt < from.Size()
		}
		for q, e := range mp.Elements {
			if t.Index(e) == pt {
				return q, true
			}
			if sub := f.m.Dimension(e); sub != nil && sub.Index(t.Elements[pt]) >= 0 {
				return q, true
			}
		}
	}
	if q, ok := f.mapped(to, p, from); ok {
		return q, true
	}
	return 0, false
}

// subscript resolves the i-th subscript s of a reference into dimension
// d: the positions it names, whether it is a slice, and whether it is a
// position outside d.
func (f *flattener) subscript(s expr.Expr, d *Dimension, i int, c *context, agg bool) (pos []int, slice, outside bool) {
	whole := func(sub *Dimension) ([]int, bool, bool) {
		if !agg {
			f.fail(c, s, "%s stands for every element of %q, which only an array function (SUM, MEAN, MAX, ...) takes", expr.Format(s), sub.Name)
		}
		var out []int
		for k, e := range sub.Elements {
			p := d.Index(e)
			if p < 0 && sub.Size() == d.Size() {
				p = k
			}
			if p < 0 {
				f.fail(c, s, "element %q of %q is not an element of %q", e, sub.Name, d.Name)
			}
			out = append(out, p)
		}
		return out, true, false
	}
	switch s := s.(type) {
	case *expr.Wildcard:
		if s.Dim == "" {
			return whole(d)
		}
		sub := f.m.Dimension(s.Dim)
		if sub == nil {
			f.fail(c, s, "undefined dimension %q", s.Dim)
		}
		return whole(sub)
	case *expr.DimPos:
		if s.N > len(c.dims) {
			f.fail(c, s, "@%d names dimension %d, but %s has %d", s.N, s.N, c.what(), len(c.dims))
		}
		cd := c.dims[s.N-1]
		elem := cd.Elements[c.pos[s.N-1]]
		if p := d.Index(elem); p >= 0 {
			return []int{p}, false, false
		}
		if c.pos[s.N-1] < d.Size() {
			return []int{c.pos[s.N-1]}, false, false
		}
		return nil, false, true
	case *expr.Range:
		from, to := f.position(s.From, d, c), f.position(s.To, d, c)
		if from < 0 || to >= d.Size() || from > to {
			f.fail(c, s, "range %s is outside dimension %q (1 to %d)", expr.Format(s), d.Name, d.Size())
		}
		var out []int
		for p := from; p <= to; p++ {
			out = append(out, p)
		}
		return out, true, false
	case *expr.Ident:
		if sub := f.m.Dimension(s.Name); sub != nil {
			for k, cd := range c.dims {
				if Canonical(cd.Name) == Canonical(sub.Name) || f.m.within(cd, sub) {
					elem := cd.Elements[c.pos[k]]
					if p := d.Index(elem); p >= 0 {
						return []int{p}, false, false
					}
					if p, ok := f.mapped(cd, c.pos[k], d); ok {
						return []int{p}, false, false
					}
					if Canonical(sub.Name) == Canonical(d.Name) || sub.Size() == d.Size() {
						return []int{c.pos[k]}, false, false
					}
					f.fail(c, s, "element %q of %q is not an element of %q", elem, cd.Name, d.Name)
				}
			}
			for k, cd := range c.dims {
				// sub maps onto the context's dimension: the element
				// of sub that maps to the one being computed.
				if q, ok := f.preimage(sub, cd, c.pos[k]); ok {
					if p := d.Index(sub.Elements[q]); p >= 0 {
						return []int{p}, false, false
					}
					if Canonical(sub.Name) == Canonical(d.Name) || sub.Size() == d.Size() {
						return []int{q}, false, false
					}
				}
			}
			for k, cd := range c.dims {
				if f.m.within(sub, cd) {
					elem := cd.Elements[c.pos[k]]
					if p := d.Index(elem); p >= 0 && sub.Index(elem) >= 0 {
						return []int{p}, false, false
					}
				}
				if p, ok := f.mapped(cd, c.pos[k], d); ok && Canonical(sub.Name) == Canonical(d.Name) {
					return []int{p}, false, false
				}
			}
			if !f.m.within(sub, d) && !f.m.within(d, sub) && sub.Size() != d.Size() {
				f.fail(c, s, "dimension %q is not dimension %q of the reference, nor a subrange of it", sub.Name, d.Name)
			}
			return whole(sub)
		}
		if p := d.Index(s.Name); p >= 0 {
			return []int{p}, false, false
		}
		if f.m.Var(s.Name) == nil {
			names := append([]string{d.Name}, d.Elements...)
			for _, sub := range f.m.Dimensions {
				if f.m.within(sub, d) && sub != d {
					names = append(names, sub.Name)
				}
			}
			f.fail(c, s, "%q is not an element of dimension %q%s", s.Name, d.Name, DidYouMean(s.Name, names))
		}
	}
	p := f.position(s, d, c)
	if p < 0 || p >= d.Size() {
		return nil, false, true
	}
	return []int{p}, false, false
}

// position evaluates a subscript written as a number or an expression of
// numbers and dimension names (each the position, from 1, of the element
// being computed along it), returning the 0-based position.
func (f *flattener) position(s expr.Expr, d *Dimension, c *context) int {
	if id, ok := s.(*expr.Ident); ok {
		if p := d.Index(id.Name); p >= 0 {
			return p
		}
	}
	v, ok := expr.Constant(s, func(name string) (float64, bool) {
		dim := f.m.Dimension(name)
		if dim == nil {
			return 0, false
		}
		for k, cd := range c.dims {
			if f.m.within(cd, dim) || f.m.within(dim, cd) {
				if p := dim.Index(cd.Elements[c.pos[k]]); p >= 0 {
					return float64(p + 1), true
				}
			}
		}
		return 0, false
	})
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		f.fail(c, s, "expected an element of %q, a position or an expression of positions in a subscript, but found %s", d.Name, expr.Format(s))
	}
	return int(math.Round(v)) - 1
}

// cloneAll copies expressions, so that no two equations share a node.
func cloneAll(xs []expr.Expr) []expr.Expr {
	out := make([]expr.Expr, len(xs))
	for i, x := range xs {
		out[i] = cloneExpr(x)
	}
	return out
}

// cloneExpr returns a deep copy of e.
func cloneExpr(e expr.Expr) expr.Expr {
	switch e := e.(type) {
	case *expr.Number:
		c := *e
		return &c
	case *expr.Ident:
		c := *e
		return &c
	case *expr.Unary:
		c := *e
		c.X = cloneExpr(e.X)
		return &c
	case *expr.Binary:
		c := *e
		c.X, c.Y = cloneExpr(e.X), cloneExpr(e.Y)
		return &c
	case *expr.If:
		c := *e
		c.Cond, c.Then, c.Else = cloneExpr(e.Cond), cloneExpr(e.Then), cloneExpr(e.Else)
		return &c
	case *expr.Call:
		c := *e
		c.Args = cloneAll(e.Args)
		if e.Subs != nil {
			c.Subs = cloneAll(e.Subs)
		}
		return &c
	case *expr.Index:
		c := *e
		c.Subs = cloneAll(e.Subs)
		return &c
	case *expr.Range:
		c := *e
		c.From, c.To = cloneExpr(e.From), cloneExpr(e.To)
		return &c
	case *expr.Wildcard:
		c := *e
		return &c
	case *expr.DimPos:
		c := *e
		return &c
	}
	return e
}

// sameAxes reports whether two slices span the same dimensions in the same
// order.
func sameAxes(a, b []axis) bool {
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

// unionAxes returns the dimensions that slices of different dimensions
// span together (each once, in the order met), when every slice among vals
// knows its dimensions and those of the same name agree in size.
func unionAxes(vals []value) ([]axis, bool) {
	var u []axis
	for _, v := range vals {
		if len(v.xs) == 1 {
			continue
		}
		size := 1
		for _, a := range v.over {
			size *= a.size
		}
		if len(v.over) == 0 || size != len(v.xs) {
			return nil, false
		}
	next:
		for _, a := range v.over {
			for _, b := range u {
				if b.name == a.name {
					if b.size != a.size {
						return nil, false
					}
					continue next
				}
			}
			u = append(u, a)
		}
	}
	return u, true
}

// broadcastAxes combines slices over different dimensions (Vensim's
// PROD(a[d!, e!] - b[d!])): one result for each element of the union u of
// their dimensions, each slice taking its element at the same positions
// along the dimensions it spans.
func (f *flattener) broadcastAxes(vals []value, u []axis, build func([]expr.Expr) expr.Expr) value {
	n := 1
	for _, a := range u {
		n *= a.size
	}
	out := value{slice: true, over: u}
	pos := make(map[string]int, len(u))
	args := make([]expr.Expr, len(vals))
	for k := 0; k < n; k++ {
		for i, r := len(u)-1, k; i >= 0; i-- {
			pos[u[i].name] = r % u[i].size
			r /= u[i].size
		}
		for j, v := range vals {
			idx := 0
			if len(v.xs) != 1 {
				for _, a := range v.over {
					idx = idx*a.size + pos[a.name]
				}
			}
			args[j] = cloneExpr(v.xs[idx])
		}
		out.xs = append(out.xs, build(append([]expr.Expr(nil), args...)))
	}
	return out
}
