package model

import (
	"strings"

	"github.com/stockflow/stockflow/model/expr"
)

// This file flattens the Vensim functions that work on whole vectors and
// matrices of an array at once: ALLOCATE BY PRIORITY, ALLOCATE AVAILABLE,
// INVERT MATRIX, VECTOR RANK and VECTOR REORDER.

// The internal functions that Flatten makes of them (see RankFunc).
const (
	// AllocPriorityFunc(p, width, supply, r1..rk, q1..qk) is the
	// allocation of requester p (from 0) of the supply among requests r
	// with priorities q, each a rectangular profile of the width (Vensim's
	// ALLOCATE BY PRIORITY).
	AllocPriorityFunc = "\x00alloc_priority"
	// AllocAvailableFunc(p, supply, r1..rk, pp1..ppk) is the allocation of
	// requester p (from 0) of the supply among requests r, each pp four
	// numbers: the type of priority profile (1 rectangular, 2 triangular,
	// 3 normal, 4 exponential), its priority, width and an extra parameter
	// (Vensim's ALLOCATE AVAILABLE).
	AllocAvailableFunc = "\x00alloc_available"
	// InvertFunc(i, j, n, a11..ann) is the element (i, j), from 0, of the
	// inverse of the n×n matrix a given by rows (Vensim's INVERT MATRIX).
	InvertFunc = "\x00invert"
	// VectorRankFunc(p, direction, a1..ak) is the rank (from 1) of the
	// element p (from 0) among a1..ak, the smallest first for direction
	// 1 and the largest first otherwise; ties keep their order (Vensim's
	// VECTOR RANK).
	VectorRankFunc = "\x00vector_rank"
)

// vectorCall flattens the functions of this file; ok is false for other
// functions.
func (f *flattener) vectorCall(e *expr.Call, c *context, agg bool) (value, bool) {
	num := func(x int) expr.Expr { return &expr.Number{At: e.At, Value: float64(x)} }
	switch Canonical(e.Func) {
	case "allocate_by_priority":
		if len(e.Args) != 5 {
			f.fail(c, e, "ALLOCATE BY PRIORITY takes 5 arguments (request, priority, size, width, supply), not %d", len(e.Args))
		}
		req, _, pos := f.block(e.Args[0], c, 1, "ALLOCATE BY PRIORITY")
		pri, _, _ := f.block(e.Args[1], c, 1, "ALLOCATE BY PRIORITY")
		if len(pri) != len(req) {
			f.fail(c, e.Args[1], "ALLOCATE BY PRIORITY has %d requests but %d priorities", len(req), len(pri))
		}
		f.checkSize(e.Args[2], c, len(req), "ALLOCATE BY PRIORITY")
		p := f.computed(e.Args[0], c, pos[0], "ALLOCATE BY PRIORITY")
		args := []expr.Expr{num(p), f.scalar(e.Args[3], c, agg), f.scalar(e.Args[4], c, agg)}
		args = append(append(args, req...), pri...)
		return one(&expr.Call{At: e.At, Func: AllocPriorityFunc, Args: args}), true
	case "allocate_available":
		if len(e.Args) != 3 {
			f.fail(c, e, "ALLOCATE AVAILABLE takes 3 arguments (request, priority profiles, available), not %d", len(e.Args))
		}
		req, _, pos := f.block(e.Args[0], c, 1, "ALLOCATE AVAILABLE")
		pp, dims, _ := f.block(e.Args[1], c, 2, "ALLOCATE AVAILABLE")
		rows, cols := dims[0].Size(), dims[1].Size()
		if rows != len(req) {
			f.fail(c, e.Args[1], "ALLOCATE AVAILABLE has %d requests but %d priority profiles", len(req), rows)
		}
		// The profile starts at the element the reference names in its
		// last dimension (ptype), and takes four numbers from there.
		start := 0
		if idx, ok := e.Args[1].(*expr.Index); ok {
			if id, ok := idx.Subs[len(idx.Subs)-1].(*expr.Ident); ok && f.m.Dimension(id.Name) == nil {
				start = dims[1].Index(id.Name)
			}
		}
		if start < 0 || start+4 > cols {
			f.fail(c, e.Args[1], "ALLOCATE AVAILABLE's priority profiles need 4 elements (ptype, ppriority, pwidth, pextra) of %q from the one named", dims[1].Name)
		}
		p := f.computed(e.Args[0], c, pos[0], "ALLOCATE AVAILABLE")
		args := []expr.Expr{num(p), f.scalar(e.Args[2], c, agg)}
		args = append(args, req...)
		for r := 0; r < rows; r++ {
			args = append(args, pp[r*cols+start:r*cols+start+4]...)
		}
		return one(&expr.Call{At: e.At, Func: AllocAvailableFunc, Args: args}), true
	case "vector_rank":
		if len(e.Args) != 2 {
			f.fail(c, e, "VECTOR RANK takes 2 arguments (vector, direction), not %d", len(e.Args))
		}
		p, elems := f.vector(e.Args[0], c, true)
		args := append([]expr.Expr{num(p), f.scalar(e.Args[1], c, agg)}, elems...)
		return one(&expr.Call{At: e.At, Func: VectorRankFunc, Args: args}), true
	case "vector_reorder":
		// VECTOR REORDER(vector, order): the element order[i] (from 0) of
		// the vector, along its last dimension, as element i.
		if len(e.Args) != 2 {
			f.fail(c, e, "VECTOR REORDER takes 2 arguments (vector, order), not %d", len(e.Args))
		}
		_, elems := f.vector(e.Args[0], c, true)
		order := f.lower(e.Args[1], c, agg)
		return f.broadcast(c, e, []value{order}, func(a []expr.Expr) expr.Expr {
			args := append([]expr.Expr{a[0], &expr.Number{At: e.At, Value: 0}}, cloneAll(elems)...)
			return &expr.Call{At: e.At, Func: ElmMapFunc, Args: args}
		}), true
	case "invert_matrix":
		if len(e.Args) != 2 {
			f.fail(c, e, "INVERT MATRIX takes 2 arguments (matrix, size), not %d", len(e.Args))
		}
		a, dims, pos := f.block(e.Args[0], c, 2, "INVERT MATRIX")
		n := dims[0].Size()
		if dims[1].Size() != n {
			f.fail(c, e.Args[0], "INVERT MATRIX needs a square matrix; %q has %d rows and %d columns", expr.Format(e.Args[0]), n, dims[1].Size())
		}
		f.checkSize(e.Args[1], c, n, "INVERT MATRIX")
		i := f.computed(e.Args[0], c, pos[0], "INVERT MATRIX")
		j := f.computed(e.Args[0], c, pos[1], "INVERT MATRIX")
		args := append([]expr.Expr{num(i), num(j), num(n)}, a...)
		return one(&expr.Call{At: e.At, Func: InvertFunc, Args: args}), true
	}
	return value{}, false
}

// computed returns p, the position of the element being computed along a
// dimension of the function's array, or fails when the element being
// computed has no such dimension.
func (f *flattener) computed(at expr.Expr, c *context, p int, fn string) int {
	if p < 0 {
		f.fail(c, at, "%s gives one value per element of the dimensions of %s, which %s does not have", fn, expr.Format(at), c.what())
	}
	return p
}

// checkSize checks a size argument, when it is a number, against the size
// of the array.
func (f *flattener) checkSize(e expr.Expr, c *context, n int, fn string) {
	if x, ok := e.(*expr.Number); ok && x.Value != float64(n) {
		f.fail(c, e, "%s's size is %g but its array has %d elements along the dimension", fn, x.Value, n)
	}
}

// block resolves an argument that names an arrayed variable whose last n
// dimensions the function works on, the others fixed by the reference's
// subscripts or by the element being computed. It returns the block's
// elements (row-major), its last n dimensions, and for each of them the
// position of the element being computed along it (-1 when the element
// being computed has no such dimension); a dimension of the context with
// the same name is matched first, then one related as a subrange, then one
// mapped onto it.
func (f *flattener) block(e expr.Expr, c *context, n int, fn string) ([]expr.Expr, []*Dimension, []int) {
	var name string
	var subs []expr.Expr
	switch x := e.(type) {
	case *expr.Ident:
		name = x.Name
	case *expr.Index:
		name, subs = x.Name, x.Subs
	}
	v := f.m.Var(name)
	if v == nil || len(v.Dims) < n {
		what := "a vector"
		if n == 2 {
			what = "a matrix"
		}
		f.fail(c, e, "%s expects %s: a variable arrayed over at least %d dimensions, not %s", fn, what, n, expr.Format(e))
	}
	all := f.dimsOf(v.Dims)
	if all == nil {
		f.fail(c, e, "%q has an undefined dimension", v.Name)
	}
	if subs != nil && len(subs) != len(all) {
		f.fail(c, e, "%q has %d dimensions (%s) but %d subscripts are given", v.Name, len(all), strings.Join(v.Dims, ", "), len(subs))
	}
	k := len(all) - n
	ss := make([]expr.Expr, len(all))
	for i := range all {
		switch {
		case i >= k:
			ss[i] = &expr.Wildcard{At: e.Pos()}
		case subs != nil:
			ss[i] = subs[i]
		default:
			ss[i] = &expr.Ident{At: e.Pos(), Name: all[i].Name}
		}
	}
	ref := f.reference(e, v.Name, v.Dims, ss, c, true, false)
	size := 1
	for _, d := range all[k:] {
		size *= d.Size()
	}
	if len(ref.xs) != size {
		f.fail(c, e, "%s needs %s to name one block of %q's last %d dimensions, found %d elements", fn, expr.Format(e), v.Name, n, len(ref.xs))
	}
	used := make([]bool, len(c.dims))
	pos := make([]int, n)
	for i := k; i < len(all); i++ {
		ld := all[i]
		if subs != nil {
			if id, ok := subs[i].(*expr.Ident); ok {
				if d := f.m.Dimension(id.Name); d != nil {
					ld = d
				}
			}
		}
		pos[i-k] = -1
		for pass := 0; pass < 3 && pos[i-k] < 0; pass++ {
			for ci, cd := range c.dims {
				if used[ci] {
					continue
				}
				p, ok := c.pos[ci], false
				switch pass {
				case 0:
					ok = Canonical(cd.Name) == Canonical(ld.Name)
				case 1:
					ok = f.m.within(cd, ld) || f.m.within(ld, cd)
				case 2:
					p, ok = f.mapped(cd, c.pos[ci], ld)
				}
				if ok {
					pos[i-k] = p
					used[ci] = true
					break
				}
			}
		}
	}
	return ref.xs, all[k:], pos
}
