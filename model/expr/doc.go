// Package expr parses the equation language of stockflow models: the
// expression syntax of XMILE 1.0 (section 3.3), with Vensim's spellings
// accepted where they differ. Parse turns one equation into a tree of the node types in this package;
// Format prints a tree back as equation text; Walk visits a tree. Names are
// not resolved here: TIME, DT and the built-in functions are plain Idents
// and Calls that the compiler gives meaning to.
//
// # Syntax
//
// The grammar, in the EBNF of the Go specification:
//
//	Expr    = Binary .
//	Binary  = Unary { BinOp Unary } .  // per the precedence table
//	Unary   = ( "-" | "+" | "NOT" ) Unary | Power .
//	Power   = Postfix [ "^" Unary ] .
//	Postfix = Primary { "'" } .             // transposition
//	Primary = number | Name [ Subs ] | Call | "(" Expr ")" | If .
//	Call    = Name [ Subs ] "(" [ Expr { "," Expr } ] ")" .
//	Subs    = "[" Sub { "," Sub } "]" .
//	Sub     = "*" | Name "!" | "@" digits | Expr [ ":" Expr ] .
//	If      = "IF" Expr "THEN" Expr "ELSE" Expr .
//	Name    = identifier | quoted_name .
//
// A number is digits with an optional decimal point and an optional
// exponent: 1, 1.5, .5, 1., 3e-05, 1E+3. It has no sign; -1 is the unary
// minus applied to 1.
//
// An identifier is a letter or underscore followed by letters, digits and
// underscores, where a letter is any Unicode letter: birth_rate, TIME.
// Any other name is written in double quotes, in which \" stands for a
// quotation mark, \\ for a backslash and \n for a space:
// "Heat Loss (deg/min)". Ident.Name and Call.Func hold the name without
// quotes or escapes.
//
// The keywords IF, THEN, ELSE, AND, OR, NOT and MOD are matched without
// regard to case and cannot be bare identifiers. Vensim's :AND:, :OR: and
// :NOT: are the same operators, and != is the same as <>.
//
// A name followed by "(" is a call, so PI() calls PI with no arguments
// while PI alone is an Ident.
//
// Spaces, tabs, newlines, comments in braces ({like this}) and a backslash
// ending a line (Vensim's line continuation) separate tokens and are
// otherwise ignored.
//
// A name followed by brackets is a subscripted reference to an arrayed
// variable (an *Index): customers[smb], x[a, b]. Each subscript is an
// element or dimension name, a position counted from 1 (or an expression
// giving one), * for every element (a *Wildcard), Vensim's dim! for every
// element of the dimension dim (a *Wildcard with Dim set), @N for the
// element of the N-th dimension of the variable being defined (a *DimPos),
// or From:To for a range of positions (a *Range). A subscripted name
// followed by "(" calls an arrayed lookup: table[region](x). A postfix '
// transposes an array (reverses its dimensions): a', a[m, 1]'. It binds
// more tightly than ^.
//
// Qualified names (std.abs) are not supported and are reported as such.
//
// # Precedence
//
// Operators bind from tightest to loosest as follows; all binary operators
// but ^ are left-associative.
//
//	Precedence  Operators          Associativity
//	7           ^                  right
//	6           -  +  NOT          prefix (unary)
//	5           *  /  MOD          left
//	4           +  -               left
//	3           <  >  <=  >=       left
//	2           =  <>  !=          left
//	1           AND  :AND:         left
//	0           OR  :OR:           left
//
// So -2^2 is -(2^2), while the right operand of ^ may start with a unary
// operator: 2^-1 is 2^(-1) and 2^3^2 is 2^(3^2). NOT a = b is (NOT a) = b.
//
// IF ... THEN ... ELSE may appear wherever an operand may, and its ELSE
// branch extends as far to the right as it can: IF a THEN b ELSE c + 1
// means IF a THEN b ELSE (c + 1), and 1 + IF a THEN b ELSE c is allowed.
//
// # Errors
//
// A syntax error is an *Error giving the position of the offending text
// and a message saying what was expected and what was found. Nesting
// deeper than MaxDepth is an error too, so no input can exhaust the stack.
package expr
