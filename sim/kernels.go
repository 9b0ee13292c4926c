package sim

// The arithmetic kernels of the batched evaluation (eval.go): one loop per
// operator and pair of operand kinds, so that no element pays for a call
// or a switch. An operand is gathered from the run's values by slot (G), is
// one value for the whole chunk (K), or is an array of the chunk's values
// (A). Each loop does one operation and rounds it, as the closures do.

// arith computes out[i] = a[i] op b[i] over a chunk.
func arith(op vop, out, v []float64, a, b view) {
	n := len(out)
	switch a.kind*3 + b.kind {
	case viewG*3 + viewG: // GG
		ai := a.idx[:n]
		bi := b.idx[:n]
		switch op {
		case vAdd:
			for i := range out {
				out[i] = v[ai[i]] + v[bi[i]]
			}
		case vSub:
			for i := range out {
				out[i] = v[ai[i]] - v[bi[i]]
			}
		case vMul:
			for i := range out {
				out[i] = v[ai[i]] * v[bi[i]]
			}
		case vDiv:
			for i := range out {
				out[i] = v[ai[i]] / v[bi[i]]
			}
		case vMin:
			for i := range out {
				out[i] = fmin(v[ai[i]], v[bi[i]])
			}
		case vMax:
			for i := range out {
				out[i] = fmax(v[ai[i]], v[bi[i]])
			}
		}
	case viewG*3 + viewK: // GK
		ai := a.idx[:n]
		y := b.k
		switch op {
		case vAdd:
			for i := range out {
				out[i] = v[ai[i]] + y
			}
		case vSub:
			for i := range out {
				out[i] = v[ai[i]] - y
			}
		case vMul:
			for i := range out {
				out[i] = v[ai[i]] * y
			}
		case vDiv:
			for i := range out {
				out[i] = v[ai[i]] / y
			}
		case vMin:
			for i := range out {
				out[i] = fmin(v[ai[i]], y)
			}
		case vMax:
			for i := range out {
				out[i] = fmax(v[ai[i]], y)
			}
		}
	case viewG*3 + viewA: // GA
		ai := a.idx[:n]
		ba := b.arr[:n]
		switch op {
		case vAdd:
			for i := range out {
				out[i] = v[ai[i]] + ba[i]
			}
		case vSub:
			for i := range out {
				out[i] = v[ai[i]] - ba[i]
			}
		case vMul:
			for i := range out {
				out[i] = v[ai[i]] * ba[i]
			}
		case vDiv:
			for i := range out {
				out[i] = v[ai[i]] / ba[i]
			}
		case vMin:
			for i := range out {
				out[i] = fmin(v[ai[i]], ba[i])
			}
		case vMax:
			for i := range out {
				out[i] = fmax(v[ai[i]], ba[i])
			}
		}
	case viewK*3 + viewG: // KG
		x := a.k
		bi := b.idx[:n]
		switch op {
		case vAdd:
			for i := range out {
				out[i] = x + v[bi[i]]
			}
		case vSub:
			for i := range out {
				out[i] = x - v[bi[i]]
			}
		case vMul:
			for i := range out {
				out[i] = x * v[bi[i]]
			}
		case vDiv:
			for i := range out {
				out[i] = x / v[bi[i]]
			}
		case vMin:
			for i := range out {
				out[i] = fmin(x, v[bi[i]])
			}
		case vMax:
			for i := range out {
				out[i] = fmax(x, v[bi[i]])
			}
		}
	case viewK*3 + viewK: // KK
		x := a.k
		y := b.k
		switch op {
		case vAdd:
			for i := range out {
				out[i] = x + y
			}
		case vSub:
			for i := range out {
				out[i] = x - y
			}
		case vMul:
			for i := range out {
				out[i] = x * y
			}
		case vDiv:
			for i := range out {
				out[i] = x / y
			}
		case vMin:
			for i := range out {
				out[i] = fmin(x, y)
			}
		case vMax:
			for i := range out {
				out[i] = fmax(x, y)
			}
		}
	case viewK*3 + viewA: // KA
		x := a.k
		ba := b.arr[:n]
		switch op {
		case vAdd:
			for i := range out {
				out[i] = x + ba[i]
			}
		case vSub:
			for i := range out {
				out[i] = x - ba[i]
			}
		case vMul:
			for i := range out {
				out[i] = x * ba[i]
			}
		case vDiv:
			for i := range out {
				out[i] = x / ba[i]
			}
		case vMin:
			for i := range out {
				out[i] = fmin(x, ba[i])
			}
		case vMax:
			for i := range out {
				out[i] = fmax(x, ba[i])
			}
		}
	case viewA*3 + viewG: // AG
		aa := a.arr[:n]
		bi := b.idx[:n]
		switch op {
		case vAdd:
			for i := range out {
				out[i] = aa[i] + v[bi[i]]
			}
		case vSub:
			for i := range out {
				out[i] = aa[i] - v[bi[i]]
			}
		case vMul:
			for i := range out {
				out[i] = aa[i] * v[bi[i]]
			}
		case vDiv:
			for i := range out {
				out[i] = aa[i] / v[bi[i]]
			}
		case vMin:
			for i := range out {
				out[i] = fmin(aa[i], v[bi[i]])
			}
		case vMax:
			for i := range out {
				out[i] = fmax(aa[i], v[bi[i]])
			}
		}
	case viewA*3 + viewK: // AK
		aa := a.arr[:n]
		y := b.k
		switch op {
		case vAdd:
			for i := range out {
				out[i] = aa[i] + y
			}
		case vSub:
			for i := range out {
				out[i] = aa[i] - y
			}
		case vMul:
			for i := range out {
				out[i] = aa[i] * y
			}
		case vDiv:
			for i := range out {
				out[i] = aa[i] / y
			}
		case vMin:
			for i := range out {
				out[i] = fmin(aa[i], y)
			}
		case vMax:
			for i := range out {
				out[i] = fmax(aa[i], y)
			}
		}
	case viewA*3 + viewA: // AA
		aa := a.arr[:n]
		ba := b.arr[:n]
		switch op {
		case vAdd:
			for i := range out {
				out[i] = aa[i] + ba[i]
			}
		case vSub:
			for i := range out {
				out[i] = aa[i] - ba[i]
			}
		case vMul:
			for i := range out {
				out[i] = aa[i] * ba[i]
			}
		case vDiv:
			for i := range out {
				out[i] = aa[i] / ba[i]
			}
		case vMin:
			for i := range out {
				out[i] = fmin(aa[i], ba[i])
			}
		case vMax:
			for i := range out {
				out[i] = fmax(aa[i], ba[i])
			}
		}
	}
}

// arithStore computes a[i] op b[i] over a chunk into v at the slots out,
// reporting whether a value is not finite: the last instruction of a batch
// and its store in one loop.
func arithStore(op vop, out []int, v []float64, a, b view) (bad bool) {
	n := len(out)
	switch a.kind*3 + b.kind {
	case viewG*3 + viewG: // GG
		ai := a.idx[:n]
		bi := b.idx[:n]
		switch op {
		case vAdd:
			for i, o := range out {
				z := v[ai[i]] + v[bi[i]]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vSub:
			for i, o := range out {
				z := v[ai[i]] - v[bi[i]]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMul:
			for i, o := range out {
				z := v[ai[i]] * v[bi[i]]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vDiv:
			for i, o := range out {
				z := v[ai[i]] / v[bi[i]]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMin:
			for i, o := range out {
				z := fmin(v[ai[i]], v[bi[i]])
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMax:
			for i, o := range out {
				z := fmax(v[ai[i]], v[bi[i]])
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		}
	case viewG*3 + viewK: // GK
		ai := a.idx[:n]
		y := b.k
		switch op {
		case vAdd:
			for i, o := range out {
				z := v[ai[i]] + y
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vSub:
			for i, o := range out {
				z := v[ai[i]] - y
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMul:
			for i, o := range out {
				z := v[ai[i]] * y
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vDiv:
			for i, o := range out {
				z := v[ai[i]] / y
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMin:
			for i, o := range out {
				z := fmin(v[ai[i]], y)
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMax:
			for i, o := range out {
				z := fmax(v[ai[i]], y)
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		}
	case viewG*3 + viewA: // GA
		ai := a.idx[:n]
		ba := b.arr[:n]
		switch op {
		case vAdd:
			for i, o := range out {
				z := v[ai[i]] + ba[i]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vSub:
			for i, o := range out {
				z := v[ai[i]] - ba[i]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMul:
			for i, o := range out {
				z := v[ai[i]] * ba[i]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vDiv:
			for i, o := range out {
				z := v[ai[i]] / ba[i]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMin:
			for i, o := range out {
				z := fmin(v[ai[i]], ba[i])
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMax:
			for i, o := range out {
				z := fmax(v[ai[i]], ba[i])
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		}
	case viewK*3 + viewG: // KG
		x := a.k
		bi := b.idx[:n]
		switch op {
		case vAdd:
			for i, o := range out {
				z := x + v[bi[i]]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vSub:
			for i, o := range out {
				z := x - v[bi[i]]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMul:
			for i, o := range out {
				z := x * v[bi[i]]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vDiv:
			for i, o := range out {
				z := x / v[bi[i]]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMin:
			for i, o := range out {
				z := fmin(x, v[bi[i]])
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMax:
			for i, o := range out {
				z := fmax(x, v[bi[i]])
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		}
	case viewK*3 + viewK: // KK
		x := a.k
		y := b.k
		switch op {
		case vAdd:
			for _, o := range out {
				z := x + y
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vSub:
			for _, o := range out {
				z := x - y
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMul:
			for _, o := range out {
				z := x * y
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vDiv:
			for _, o := range out {
				z := x / y
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMin:
			for _, o := range out {
				z := fmin(x, y)
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMax:
			for _, o := range out {
				z := fmax(x, y)
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		}
	case viewK*3 + viewA: // KA
		x := a.k
		ba := b.arr[:n]
		switch op {
		case vAdd:
			for i, o := range out {
				z := x + ba[i]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vSub:
			for i, o := range out {
				z := x - ba[i]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMul:
			for i, o := range out {
				z := x * ba[i]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vDiv:
			for i, o := range out {
				z := x / ba[i]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMin:
			for i, o := range out {
				z := fmin(x, ba[i])
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMax:
			for i, o := range out {
				z := fmax(x, ba[i])
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		}
	case viewA*3 + viewG: // AG
		aa := a.arr[:n]
		bi := b.idx[:n]
		switch op {
		case vAdd:
			for i, o := range out {
				z := aa[i] + v[bi[i]]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vSub:
			for i, o := range out {
				z := aa[i] - v[bi[i]]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMul:
			for i, o := range out {
				z := aa[i] * v[bi[i]]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vDiv:
			for i, o := range out {
				z := aa[i] / v[bi[i]]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMin:
			for i, o := range out {
				z := fmin(aa[i], v[bi[i]])
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMax:
			for i, o := range out {
				z := fmax(aa[i], v[bi[i]])
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		}
	case viewA*3 + viewK: // AK
		aa := a.arr[:n]
		y := b.k
		switch op {
		case vAdd:
			for i, o := range out {
				z := aa[i] + y
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vSub:
			for i, o := range out {
				z := aa[i] - y
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMul:
			for i, o := range out {
				z := aa[i] * y
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vDiv:
			for i, o := range out {
				z := aa[i] / y
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMin:
			for i, o := range out {
				z := fmin(aa[i], y)
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMax:
			for i, o := range out {
				z := fmax(aa[i], y)
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		}
	case viewA*3 + viewA: // AA
		aa := a.arr[:n]
		ba := b.arr[:n]
		switch op {
		case vAdd:
			for i, o := range out {
				z := aa[i] + ba[i]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vSub:
			for i, o := range out {
				z := aa[i] - ba[i]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMul:
			for i, o := range out {
				z := aa[i] * ba[i]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vDiv:
			for i, o := range out {
				z := aa[i] / ba[i]
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMin:
			for i, o := range out {
				z := fmin(aa[i], ba[i])
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		case vMax:
			for i, o := range out {
				z := fmax(aa[i], ba[i])
				if z-z != 0 {
					bad = true
				}
				v[o] = z
			}
		}
	}
	return bad
}
