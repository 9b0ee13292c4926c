package expr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// ignorePos compares trees without their positions.
var ignorePos = cmp.Options{
	cmpopts.IgnoreFields(Number{}, "At"),
	cmpopts.IgnoreFields(Ident{}, "At"),
	cmpopts.IgnoreFields(Unary{}, "At"),
	cmpopts.IgnoreFields(Binary{}, "At"),
	cmpopts.IgnoreFields(If{}, "At"),
	cmpopts.IgnoreFields(Call{}, "At"),
	cmpopts.IgnoreFields(Index{}, "At"),
	cmpopts.IgnoreFields(Wildcard{}, "At"),
	cmpopts.IgnoreFields(DimPos{}, "At"),
	cmpopts.IgnoreFields(Range{}, "At"),
}

// sexpr prints e fully parenthesised in prefix form, to show its shape.
func sexpr(e Expr) string {
	switch e := e.(type) {
	case *Number:
		return strconv.FormatFloat(e.Value, 'g', -1, 64)
	case *Ident:
		if nameLen(e.Name) == len(e.Name) {
			return e.Name
		}
		return strconv.Quote(e.Name)
	case *Unary:
		name := map[Op]string{Neg: "neg", Plus: "plus", Not: "not", Transpose: "transpose"}[e.Op]
		return "(" + name + " " + sexpr(e.X) + ")"
	case *Binary:
		return "(" + e.Op.String() + " " + sexpr(e.X) + " " + sexpr(e.Y) + ")"
	case *If:
		return "(if " + sexpr(e.Cond) + " " + sexpr(e.Then) + " " + sexpr(e.Else) + ")"
	case *Index:
		s := "(index " + strconv.Quote(e.Name)
		for _, a := range e.Subs {
			s += " " + sexpr(a)
		}
		return s + ")"
	case *Wildcard:
		return "(* " + e.Dim + ")"
	case *DimPos:
		return "@" + strconv.Itoa(e.N)
	case *Range:
		return "(range " + sexpr(e.From) + " " + sexpr(e.To) + ")"
	case *Call:
		s := "(call " + strconv.Quote(e.Func)
		if e.Subs != nil {
			s += " ["
			for i, a := range e.Subs {
				if i > 0 {
					s += " "
				}
				s += sexpr(a)
			}
			s += "]"
		}
		for _, a := range e.Args {
			s += " " + sexpr(a)
		}
		return s + ")"
	}
	return fmt.Sprintf("<%T>", e)
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		// Numbers.
		{"integer", "42", "42"},
		// Subscripts.
		{"element", "customers[smb]", `(index "customers" smb)`},
		{"two subscripts", "x[ a , b ]", `(index "x" a b)`},
		{"wildcard", "SUM(customers[*])", `(call "SUM" (index "customers" (* )))`},
		{"vensim wildcard", "SUM(x[region!, b])", `(call "SUM" (index "x" (* region) b))`},
		{"bang not equal", "x[a] != 1", `(<> (index "x" a) 1)`},
		{"position", "x[2]", `(index "x" 2)`},
		{"position expression", "x[i - 1]", `(index "x" (- i 1))`},
		{"dimension position", "a[DimM, @2, @1]", `(index "a" DimM @2 @1)`},
		{"range", "SUM(a[1:3])", `(call "SUM" (index "a" (range 1 3)))`},
		{"quoted subscript", `x["New York"]`, `(index "x" "New York")`},
		{"transpose", "a'", `(transpose a)`},
		{"transpose subscripted", "a[m, 1]' ^ 2", `(^ (transpose (index "a" m 1)) 2)`},
		{"arrayed lookup call", "tbl[region](x)", `(call "tbl" [region] x)`},
		{"subscripted in sum", "a[s] * b[s] + 1", `(+ (* (index "a" s) (index "b" s)) 1)`},
		{"decimal", "1.5", "1.5"},
		{"leading point", ".5", "0.5"},
		{"trailing point", "1.", "1"},
		{"exponent", "3e-05", "3e-05"},
		{"upper exponent", "1E+3", "1000"},
		{"decimal exponent", "2.5e3", "2500"},
		{"point exponent", "1.e2", "100"},
		{"formatted million", "1e+06", "1e+06"},
		{"smallest subnormal", "5e-324", "5e-324"},
		{"underflow to zero", "1e-400", "0"},
		{"largest float", "1.7976931348623157e308", "1.7976931348623157e+308"},

		// Names.
		{"identifier", "birth_rate", "birth_rate"},
		{"leading underscore", "_x1", "_x1"},
		{"unicode letters", "température_été", "température_été"},
		{"time is a name", "TIME", "TIME"},
		{"keyword prefix", "iffy + notes + android + order + model", "(+ (+ (+ (+ iffy notes) android) order) model)"},
		{"quoted", `"Heat Loss (deg/min)"`, `"Heat Loss (deg/min)"`},
		{"quoted escapes", `"say \"hi\" \\ bye"`, `"say \"hi\" \\ bye"`},
		{"quoted newline escape", `"revenue\ngap"`, `"revenue gap"`},
		{"quoted keyword", `"IF"`, "IF"},
		{"quoted literal newline", "\"a\nb\"", `"a\nb"`},

		// Operators and precedence.
		{"product before sum", "1 + 2 * 3", "(+ 1 (* 2 3))"},
		{"sum left assoc", "a - b - c", "(- (- a b) c)"},
		{"product left assoc", "a / b * c MOD d", "(mod (* (/ a b) c) d)"},
		{"mod lower case", "a mod b", "(mod a b)"},
		{"mod as a name", "mod + 1", "(+ mod 1)"},
		{"mod named after an operator", "a * mod", "(* a mod)"},
		{"mod named both sides", "mod mod mod", "(mod mod mod)"},
		{"mod as a function", "MOD(a, b)", `(call "MOD" a b)`},
		{"power right assoc", "2^3^2", "(^ 2 (^ 3 2))"},
		{"power before minus", "-2^2", "(neg (^ 2 2))"},
		{"power of negative", "2^-1", "(^ 2 (neg 1))"},
		{"power of negative power", "2^-3^2", "(^ 2 (neg (^ 3 2)))"},
		{"grouped power base", "(-2)^2", "(^ (neg 2) 2)"},
		{"unary before product", "-a * b", "(* (neg a) b)"},
		{"double minus", "--a", "(neg (neg a))"},
		{"unary plus", "+a - -b", "(- (plus a) (neg b))"},
		{"comparison before equality", "a < b = c >= d", "(= (< a b) (>= c d))"},
		{"sum before comparison", "a + 1 > b * 2", "(> (+ a 1) (* b 2))"},
		{"not equal", "a <> b", "(<> a b)"},
		{"not equal C style", "a != b", "(<> a b)"},
		{"and before or", "a OR b AND c", "(or a (and b c))"},
		{"equality before and", "a = 1 and b = 2", "(and (= a 1) (= b 2))"},
		{"not binds tightly", "NOT a = b", "(= (not a) b)"},
		{"not of group", "not (a = b)", "(not (= a b))"},
		{"vensim and", "a :AND: b", "(and a b)"},
		{"vensim or not", "a :or: :Not: b", "(or a (not b))"},
		{"parentheses", "(1 + 2) * 3", "(* (+ 1 2) 3)"},
		{"redundant parentheses", "((a))", "a"},

		// IF.
		{"if", "IF a THEN b ELSE c", "(if a b c)"},
		{"if lower case", "if a then b else c", "(if a b c)"},
		{"else extends right", "IF a THEN b ELSE c + 1", "(if a b (+ c 1))"},
		{"if as right operand", "1 + IF a THEN b ELSE c", "(+ 1 (if a b c))"},
		{"if in parentheses", "(IF a THEN b ELSE c) + 1", "(+ (if a b c) 1)"},
		{"if after unary", "-IF a THEN b ELSE c * 2", "(neg (if a b (* c 2)))"},
		{"if as power exponent", "2^IF a THEN b ELSE c", "(^ 2 (if a b c))"},
		{"nested if in then", "IF a THEN IF b THEN c ELSE d ELSE e", "(if a (if b c d) e)"},
		{"nested if in else", "IF a THEN b ELSE IF c THEN d ELSE e", "(if a b (if c d e))"},
		{"if in condition", "IF IF a THEN b ELSE c THEN d ELSE e", "(if (if a b c) d e)"},
		{"if condition", "IF TIME > 5 AND x < 3 THEN 1 ELSE 0", "(if (and (> TIME 5) (< x 3)) 1 0)"},

		// Calls.
		{"call", "MAX(a, b)", `(call "MAX" a b)`},
		{"call no arguments", "PI()", `(call "PI")`},
		{"bare name", "PI", "PI"},
		{"call space before paren", "ABS (x)", `(call "ABS" x)`},
		{"call nested", "MIN(MAX(a, 0), f(b + 1))", `(call "MIN" (call "MAX" a 0) (call "f" (+ b 1)))`},
		{"call quoted name", `"cost f"(2003)`, `(call "cost f" 2003)`},
		{"call in power", "f(x)^2", `(^ (call "f" x) 2)`},
		{"vensim if function", "IF_THEN_ELSE(c, a, b)", `(call "IF_THEN_ELSE" c a b)`},

		// Whitespace and comments.
		{"comment", "a*b { take product of a and b } + c { then add c }", "(+ (* a b) c)"},
		{"comment between name and paren", "f {x} (1)", `(call "f" 1)`},
		{"comment with quote", `a + {"} b`, "(+ a b)"},
		{"newlines and tabs", "a\n\t+\r\nb", "(+ a b)"},
		{"line continuation", "a + \\\n b", "(+ a b)"},
		{"line continuation CRLF", "a + \\  \r\n b", "(+ a b)"},
		{"no-break space", "a\u00a0+\u00a0b", "(+ a b)"},
		{"no spaces", "a+b*-c", "(+ a (* b (neg c)))"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse(tt.src)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.src, err)
			}
			if got := sexpr(e); got != tt.want {
				t.Errorf("Parse(%q) = %s, want %s", tt.src, got, tt.want)
			}
		})
	}
}

// TestParsePositions pins the At of every node.
func TestParsePositions(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want Expr
	}{
		{
			name: "binary at operator",
			src:  "a + f(b, -2) * 3",
			want: &Binary{At: 2, Op: Add,
				X: &Ident{At: 0, Name: "a"},
				Y: &Binary{At: 13, Op: Mul,
					X: &Call{At: 4, Func: "f", Args: []Expr{
						&Ident{At: 6, Name: "b"},
						&Unary{At: 9, Op: Neg, X: &Number{At: 10, Value: 2}},
					}},
					Y: &Number{At: 15, Value: 3},
				},
			},
		},
		{
			name: "if and quoted names",
			src:  "IF \"x y\" THEN (\"a\\\"b\") ELSE NOT c",
			want: &If{At: 0,
				Cond: &Ident{At: 3, Name: "x y"},
				Then: &Ident{At: 15, Name: `a"b`},
				Else: &Unary{At: 28, Op: Not, X: &Ident{At: 32, Name: "c"}},
			},
		},
		{
			name: "power across lines",
			src:  "{k}\n  x ^\n  2",
			want: &Binary{At: 8, Op: Pow, X: &Ident{At: 6, Name: "x"}, Y: &Number{At: 12, Value: 2}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.src)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.src, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.src, diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		pos       Pos
		want      string // err.Error()
	}{
		{"empty", "", 0, "1:1: expected an expression but found end of equation"},
		{"only space", "  { nothing }\n", 14, "2:1: expected an expression but found end of equation"},
		{"missing operand", "1 +", 3, "1:4: expected an expression but found end of equation"},
		{"leading operator", "*2", 0, `1:1: expected an expression but found "*"`},
		{"double operator", "a * / b", 4, `1:5: expected an expression but found "/"`},
		{"double equals", "a == b", 3, `1:4: expected an expression but found "="`},
		{"missing paren", "(1 + 2", 6, `1:7: expected ")" but found end of equation`},
		{"extra paren", "(1 + 2))", 7, `1:8: unexpected ")" with no matching "("`},
		{"empty parens", "()", 1, `1:2: expected an expression but found ")"`},
		{"trailing name", "a b", 2, `1:3: unexpected "b" after the end of the expression`},
		{"trailing number", "x\n  2", 4, `2:3: unexpected "2" after the end of the expression`},
		{"trailing quoted", `a "b c"`, 2, `1:3: unexpected "b c" after the end of the expression`},
		{"number then name", "2x", 1, `1:2: unexpected "x" after the end of the expression`},
		{"long trailing name", "a " + strings.Repeat("é", 20), 2, `1:3: unexpected "éééééééééééé..." after the end of the expression`},
		{"long trailing quoted", `a "` + strings.Repeat("x", 30) + `"`, 2, `1:3: unexpected "xxxxxxxxxxxxxxxxxxxxxxx..." after the end of the expression`},
		{"stray then", "a THEN b", 2, `1:3: unexpected "THEN" after the end of the expression`},
		{"missing then", "IF a b ELSE c", 5, `1:6: expected THEN but found "b"`},
		{"missing else", "IF a THEN b", 11, "1:12: expected ELSE but found end of equation"},
		{"missing condition", "IF THEN 1 ELSE 2", 3, `1:4: expected an expression but found "THEN"`},
		{"keyword as operand", "a + then", 4, `1:5: expected an expression but found "then"`},
		{"unclosed call", "f(1, 2", 6, `1:7: expected "," or ")" but found end of equation`},
		{"call missing comma", "f(1 2)", 4, `1:5: expected "," or ")" but found "2"`},
		{"call trailing comma", "f(1,)", 4, `1:5: expected an expression but found ")"`},
		{"call leading comma", "f(,1)", 2, `1:3: expected an expression but found ","`},
		{"unexpected character", "a # b", 2, `1:3: unexpected character "#"`},
		{"unexpected control", "a\x00", 1, `1:2: unexpected character "\x00"`},
		{"unexpected unicode", "a + \u2003b", 4, `1:5: unexpected character "\u2003"`},
		{"lone bang", "!a", 0, `1:1: expected an expression but found "!"`},
		{"empty subscripts", "x[]", 2, `1:3: expected a subscript but found "]"`},
		{"unclosed subscripts", "x[a", 1, `1:2: "[" has no matching "]"`},
		{"subscripts missing comma", "x[a b]", 4, `1:5: expected "," or "]" but found "b"`},
		{"at without number", "x[@a]", 3, `1:4: expected a dimension position (1, 2, ...) after "@" but found "a"`},
		{"at zero", "x[@0]", 3, `1:4: expected a dimension position (1, 2, ...) after "@" but found "0"`},
		{"stray bracket", "a ]", 2, `1:3: unexpected "]" after the end of the expression`},
		{"lone colon", "a :XOR: b", 2, `1:3: unexpected ":" after the end of the expression`},
		{"stray close brace", "a }", 2, `1:3: unexpected character "}"`},
		{"lone dot", "1 + .", 4, `1:5: unexpected character "."`},
		{"backslash not at end of line", `a \ b`, 2, `1:3: unexpected character "\\"`},
		{"backslash at end", `a \`, 2, `1:3: unexpected character "\\"`},
		{"invalid UTF-8", "a + \xff", 4, "1:5: invalid UTF-8 encoding"},
		{"dot after a name", "a. + 1", 1, `1:2: unexpected ".": a name inside a module is written module.name`},
		{"dot before a number", "hares.5", 5, `1:6: unexpected ".": a name inside a module is written module.name`},
		{"unterminated quote", "a + \"b c", 4, "1:5: unterminated quoted name"},
		{"unterminated quote after escape", `"b\`, 0, "1:1: unterminated quoted name"},
		{"bad escape", `"a\tb"`, 2, `1:3: invalid escape sequence "\\t" in quoted name (want \", \\ or \n)`},
		{"empty quote", `""`, 0, "1:1: empty quoted name"},
		{"quoted invalid UTF-8", "\"a\xffb\"", 0, "1:1: invalid UTF-8 encoding in quoted name"},
		{"unterminated comment", "a { b", 2, "1:3: unterminated comment"},
		{"exponent without digits", "1e", 0, `1:1: invalid number "1e": exponent has no digits`},
		{"exponent sign without digits", "2.5E-x", 0, `1:1: invalid number "2.5E-": exponent has no digits`},
		{"number out of range", "1e999", 0, `1:1: number "1e999" is out of range`},
		{"first error wins", "(1 + ) #", 5, `1:6: expected an expression but found ")"`},
		{"third line", "a +\nb *\n\t* c", 9, `3:2: expected an expression but found "*"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Parse(tt.src)
			if err == nil {
				t.Fatalf("Parse(%q) = %s, want error %q", tt.src, Format(e), tt.want)
			}
			if e != nil {
				t.Errorf("Parse(%q) returned %s with its error", tt.src, Format(e))
			}
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("Parse(%q) error %T is not an *Error", tt.src, err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("Parse(%q) error = %q, want %q", tt.src, got, tt.want)
			}
			if perr.Pos != tt.pos {
				t.Errorf("Parse(%q) error Pos = %d, want %d", tt.src, perr.Pos, tt.pos)
			}
			if line, col := LineCol(tt.src, perr.Pos); line != perr.Line || col != perr.Col {
				t.Errorf("Parse(%q) error at %d:%d, but LineCol(%d) = %d:%d", tt.src, perr.Line, perr.Col, perr.Pos, line, col)
			}
		})
	}
}

func TestMaxDepth(t *testing.T) {
	nest := func(n int, open, atom, close string) string {
		return strings.Repeat(open, n) + atom + strings.Repeat(close, n)
	}
	kinds := []struct {
		name string
		src  func(n int) string
	}{
		{"parentheses", func(n int) string { return nest(n, "(", "1", ")") }},
		{"minus", func(n int) string { return nest(n, "-", "1", "") }},
		{"not", func(n int) string { return nest(n, "NOT ", "1", "") }},
		{"calls", func(n int) string { return nest(n, "f(", "1", ")") }},
		{"if conditions", func(n int) string { return nest(n, "IF ", "1", " THEN 2 ELSE 3") }},
		{"if else branches", func(n int) string { return nest(n, "IF 1 THEN 2 ELSE ", "3", "") }},
		{"powers", func(n int) string { return nest(n, "2^", "2", "") }},
	}
	const msg = "expression nested too deeply (limit 200)"
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			if _, err := Parse(k.src(MaxDepth)); err != nil {
				t.Errorf("Parse at depth %d: %v", MaxDepth, err)
			}
			for _, n := range []int{MaxDepth + 1, 100000} {
				_, err := Parse(k.src(n))
				var perr *Error
				if !errors.As(err, &perr) || perr.Msg != msg {
					t.Errorf("Parse at depth %d: error %v, want %q", n, err, msg)
				}
			}
		})
	}
}

func TestMaxDepthPosition(t *testing.T) {
	src := strings.Repeat("(", 100000)
	_, err := Parse(src)
	const want = "1:201: expression nested too deeply (limit 200)"
	if err == nil || err.Error() != want {
		t.Errorf("Parse(100000 parentheses) error = %v, want %q", err, want)
	}
}

// TestLongChain checks that a long chain of left-associative operators,
// which does not nest in the grammar, is not limited by MaxDepth.
func TestLongChain(t *testing.T) {
	src := "1" + strings.Repeat(" + 1", 100000)
	e, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(1 + 1 + ... + 1): %v", err)
	}
	if got := Format(e); got != src {
		t.Errorf("Format(Parse(1 + 1 + ... + 1)) differs from the source")
	}
}

func TestLineCol(t *testing.T) {
	const src = "ab\ncd\n\nx"
	tests := []struct {
		pos             Pos
		wantLine, wantC int
	}{
		{0, 1, 1},
		{1, 1, 2},
		{2, 1, 3}, // the newline itself
		{3, 2, 1},
		{6, 3, 1},
		{7, 4, 1},
		{8, 4, 2}, // end of input
		{99, 4, 2},
		{-1, 1, 1},
	}
	for _, tt := range tests {
		line, col := LineCol(src, tt.pos)
		if line != tt.wantLine || col != tt.wantC {
			t.Errorf("LineCol(%q, %d) = %d:%d, want %d:%d", src, tt.pos, line, col, tt.wantLine, tt.wantC)
		}
	}
}
