package expr

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"spacing", "a+b*c", "a + b * c"},
		{"module variable", "hares.hare_density*2", "hares.hare_density * 2"},
		{"module variable quoted", `"my model"."hare density" + a.b.c`, `"my model"."hare density" + a.b.c`},
		{"needed parentheses kept", "(a + b) * c", "(a + b) * c"},
		{"redundant parentheses dropped", "((a * b)) + (c)", "a * b + c"},
		{"right operand same level", "a - (b - c)", "a - (b - c)"},
		{"left operand same level", "(a - b) - c", "a - b - c"},
		{"division", "a / (b * c)", "a / (b * c)"},
		{"power", "x ^ 2", "x^2"},
		{"power right assoc", "2^(3^2)", "2^3^2"},
		{"power left grouped", "(2^3)^2", "(2^3)^2"},
		{"power of negative", "2 ^ (-1)", "2^-1"},
		{"negative base", "(-2)^2", "(-2)^2"},
		{"minus power", "-(2^2)", "-2^2"},
		{"minus sum", "-(a + b)", "-(a + b)"},
		{"double minus", "- - a", "--a"},
		{"minus minus", "a - -b", "a - -b"},
		{"not", "not not a", "NOT NOT a"},
		{"not comparison", "not (a < b)", "NOT (a < b)"},
		{"minus not", "-(not a)", "-NOT a"},
		{"keywords upper case", "a and b or c mod d", "a AND b OR c MOD d"},
		{"vensim operators", "a :and: :not: b", "a AND NOT b"},
		{"not equal", "a != b", "a <> b"},
		{"comparisons", "(a < b) = (c > d)", "a < b = c > d"},
		{"comparison of equality", "(a = b) < c", "(a = b) < c"},
		{"or inside and", "(a or b) and c", "(a OR b) AND c"},
		{"if", "if a then b else c", "IF a THEN b ELSE c"},
		{"if else sum", "IF a THEN b ELSE (c + 1)", "IF a THEN b ELSE c + 1"},
		{"if right operand", "1 + (IF a THEN b ELSE c)", "1 + IF a THEN b ELSE c"},
		{"if left operand", "(IF a THEN b ELSE c) + 1", "(IF a THEN b ELSE c) + 1"},
		{"if in middle of chain", "1 + (IF a THEN b ELSE c) + 2", "1 + (IF a THEN b ELSE c) + 2"},
		{"if under unary before operator", "-(IF a THEN b ELSE c) * 2", "-(IF a THEN b ELSE c) * 2"},
		{"if as power base", "(IF a THEN b ELSE c)^2", "(IF a THEN b ELSE c)^2"},
		{"if as power exponent", "2^(IF a THEN b ELSE c)", "2^IF a THEN b ELSE c"},
		{"if in grouped left operand", "(1 + IF a THEN b ELSE c) * 2", "(1 + IF a THEN b ELSE c) * 2"},
		{"nested ifs", "IF (IF a THEN b ELSE c) THEN (IF d THEN e ELSE f) ELSE (IF g THEN h ELSE i)",
			"IF IF a THEN b ELSE c THEN IF d THEN e ELSE f ELSE IF g THEN h ELSE i"},
		{"call", "f( a,b )", "f(a, b)"},
		{"subscripts", "x[ a,b ] + y[*]", "x[a, b] + y[*]"},
		{"subscript expression", "x[(i-1)]", "x[i - 1]"},
		{"vensim wildcard", "SUM(x[region !])", "SUM(x[region!])"},
		{"dimension positions and range", "a[@2,@1] + SUM(b[1 : 3])", "a[@2, @1] + SUM(b[1:3])"},
		{"transpose", "(a[m])' ^ 2 + -b'", "a[m]'^2 + -b'"},
		{"transpose of sum", "(a + b)'", "(a + b)'"},
		{"arrayed lookup", "tbl[ r ](x)", "tbl[r](x)"},
		{"quoted subscript", `x["New York", a]`, `x["New York", a]`},
		{"call no arguments", "PI( )", "PI()"},
		{"call argument if", "f((IF a THEN b ELSE c), d)", "f(IF a THEN b ELSE c, d)"},
		{"quoted bare name", `"birth_rate"`, "birth_rate"},
		{"quoted name", `"Heat Loss" / "a\"b\\c"`, `"Heat Loss" / "a\"b\\c"`},
		{"quoted newline escape", `"a\nb"`, `"a b"`},
		{"quoted keyword", `"not" + "Else"`, `"not" + "Else"`},
		{"quoted digit start", `"2x"`, `"2x"`},
		{"quoted call", `"cost f"(x)`, `"cost f"(x)`},
		{"numbers", "1. + .5 + 1E+3 + 0.000030", "1 + 0.5 + 1000 + 3e-05"},
		{"large number", "1000000", "1e+06"},
		{"comments dropped", "a {why} * b", "a * b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse(tt.src)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.src, err)
			}
			got := Format(e)
			if got != tt.want {
				t.Errorf("Format(Parse(%q)) = %q, want %q", tt.src, got, tt.want)
			}
			e2, err := Parse(got)
			if err != nil {
				t.Fatalf("Parse(Format(...)) = Parse(%q): %v", got, err)
			}
			if diff := cmp.Diff(e, e2, ignorePos); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", got, diff)
			}
		})
	}
}

// TestFormatTrees formats trees built by hand, including ones that Parse
// cannot produce.
func TestFormatTrees(t *testing.T) {
	var (
		a = &Ident{Name: "a"}
		b = &Ident{Name: "b"}
		c = &Ident{Name: "c"}
	)
	bin := func(op Op, x, y Expr) Expr { return &Binary{Op: op, X: x, Y: y} }
	num := func(v float64) Expr { return &Number{Value: v} }
	tests := []struct {
		name      string
		e         Expr
		want      string
		roundTrip bool // whether Parse(want) gives e back
	}{
		{"right nested sub", bin(Sub, a, bin(Sub, b, c)), "a - (b - c)", true},
		{"right nested add", bin(Add, a, bin(Add, b, c)), "a + (b + c)", true},
		{"left nested pow", bin(Pow, bin(Pow, a, b), c), "(a^b)^c", true},
		{"if in left-nested chain", bin(Add, bin(Add, a, &If{Cond: a, Then: b, Else: c}), b),
			"a + (IF a THEN b ELSE c) + b", true},
		{"if in comparison in condition", &If{Cond: bin(Gt, &If{Cond: a, Then: b, Else: c}, num(0)), Then: a, Else: b},
			"IF (IF a THEN b ELSE c) > 0 THEN a ELSE b", true},
		{"unary if in chain", bin(Mul, &Unary{Op: Neg, X: &If{Cond: a, Then: b, Else: c}}, a),
			"-(IF a THEN b ELSE c) * a", true},
		{"keyword name", &Ident{Name: "If"}, `"If"`, true},
		{"escaped name", &Ident{Name: `a"b\c`}, `"a\"b\\c"`, true},
		{"name with newline", &Ident{Name: "a\nb"}, "\"a\nb\"", true},
		{"name with brace", &Ident{Name: "a{b}"}, `"a{b}"`, true},
		{"name with NUL", &Ident{Name: "\x00tmp"}, "\"\x00tmp\"", true},
		{"call with keyword name", &Call{Func: "mod", Args: []Expr{a, b}}, `"mod"(a, b)`, true},
		{"zero", num(0), "0", true},
		{"million", num(1e6), "1e+06", true},
		{"tiny", num(5e-324), "5e-324", true},
		{"max float", num(1.7976931348623157e308), "1.7976931348623157e+308", true},
		{"negative number", num(-3), "(-3)", false},
		{"negative number power", bin(Pow, num(-3), num(2)), "(-3)^2", false},
		{"negative zero", num(math.Copysign(0, -1)), "(-0)", false},
		{"infinity", num(math.Inf(1)), "1e999", false},
		{"minus infinity", num(math.Inf(-1)), "(-1e999)", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Format(tt.e)
			if got != tt.want {
				t.Errorf("Format() = %q, want %q", got, tt.want)
			}
			if !tt.roundTrip {
				return
			}
			e, err := Parse(got)
			if err != nil {
				t.Fatalf("Parse(%q): %v", got, err)
			}
			if diff := cmp.Diff(tt.e, e, ignorePos); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", got, diff)
			}
		})
	}
}

// TestFormatRandom formats random trees and checks that each parses back
// to the same tree and that every pair of grouping parentheses in the
// text is needed: dropping it changes the tree or breaks the parse.
func TestFormatRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		e := randomExpr(r, 4)
		text := Format(e)
		got, err := Parse(text)
		if err != nil {
			t.Fatalf("Parse(Format(e)) = Parse(%q): %v", text, err)
		}
		if diff := cmp.Diff(e, got, ignorePos); diff != "" {
			t.Fatalf("Parse(%q) mismatch (-want +got):\n%s", text, diff)
		}
		for _, pair := range groupingParens(text) {
			open, close := pair[0], pair[1]
			fewer := text[:open] + " " + text[open+1:close] + " " + text[close+1:]
			if got, err := Parse(fewer); err == nil && cmp.Equal(e, got, ignorePos) {
				t.Errorf("Format() = %q, but %q means the same", text, fewer)
			}
		}
	}
}

// randomExpr returns a random tree of at most the given depth of the kind
// Parse builds.
func randomExpr(r *rand.Rand, depth int) Expr {
	n := r.IntN(10)
	if depth == 0 {
		n = r.IntN(2)
	}
	switch n {
	case 0:
		return &Number{Value: []float64{0, 1, 2.5, 1e6, 3e-05}[r.IntN(5)]}
	case 1:
		return &Ident{Name: []string{"a", "b", "TIME", "heat loss", "if"}[r.IntN(5)]}
	case 2:
		return &Unary{Op: []Op{Neg, Plus, Not}[r.IntN(3)], X: randomExpr(r, depth-1)}
	case 3:
		return &If{Cond: randomExpr(r, depth-1), Then: randomExpr(r, depth-1), Else: randomExpr(r, depth-1)}
	case 4:
		c := &Call{Func: "f"}
		for range r.IntN(3) {
			c.Args = append(c.Args, randomExpr(r, depth-1))
		}
		return c
	}
	return &Binary{Op: Op(1 + r.IntN(int(Or))), X: randomExpr(r, depth-1), Y: randomExpr(r, depth-1)}
}

// groupingParens returns the offsets of each matching pair of grouping
// parentheses in text, leaving out those of calls, which follow a name.
func groupingParens(text string) [][2]int {
	var pairs [][2]int
	var stack []int // offsets of open parentheses, -1 for a call's
	inQuote := false
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case inQuote:
			if c == '\\' {
				i++
			} else if c == '"' {
				inQuote = false
			}
		case c == '"':
			inQuote = true
		case c == '(':
			if i > 0 && (text[i-1] == '"' || isNamePart(rune(text[i-1]))) {
				stack = append(stack, -1)
			} else {
				stack = append(stack, i)
			}
		case c == ')':
			if open := stack[len(stack)-1]; open >= 0 {
				pairs = append(pairs, [2]int{open, i})
			}
			stack = stack[:len(stack)-1]
		}
	}
	return pairs
}
