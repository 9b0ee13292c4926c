package expr

// Constant evaluates an expression of numbers joined by +, − (unary and
// binary), * and /, taking the value of each name from ident (with a nil
// ident, or when it reports false, a name makes the expression not a
// constant). Anything else (functions, IF, comparisons, ^, MOD) is not a
// constant. The result may be infinite or NaN (1/0): callers that need a
// finite value check.
func Constant(e Expr, ident func(name string) (float64, bool)) (float64, bool) {
	switch e := e.(type) {
	case *Number:
		return e.Value, true
	case *Ident:
		if ident == nil {
			return 0, false
		}
		return ident(e.Name)
	case *Unary:
		if e.Op != Neg && e.Op != Plus {
			return 0, false
		}
		x, ok := Constant(e.X, ident)
		if e.Op == Neg {
			x = -x
		}
		return x, ok
	case *Binary:
		switch e.Op {
		case Add, Sub, Mul, Div:
		default:
			return 0, false
		}
		x, ok := Constant(e.X, ident)
		if !ok {
			return 0, false
		}
		y, ok := Constant(e.Y, ident)
		if !ok {
			return 0, false
		}
		switch e.Op {
		case Add:
			return x + y, true
		case Sub:
			return x - y, true
		case Mul:
			return x * y, true
		}
		return x / y, true
	}
	return 0, false
}
