// Package vensim reads system-dynamics models written in Vensim's text
// format (.mdl) into a *model.Model. ReadFile reads a file, and Read a
// model from any reader; the model runs with sim.Compile, and converts
// with xmile.Write or model.WriteYAML, like one read from YAML:
//
//	m, err := vensim.ReadFile("population.mdl")
//	...
//	p, err := sim.Compile(m)
//
// # The file
//
// An .mdl file is an encoding line ({UTF-8}), the equations, and after the
// marker \\\---/// the sketch (the diagram), which Read skips. Each entry
// of the equations is
//
//	name = equation ~ units [min, max, step] ~ comment |
//
// Comments in braces may stand anywhere; a backslash at the end of a line
// continues it. Groups (a line of stars, .Name, a line of stars) only
// order the listing and are skipped, and so are reality checks
// (:THE CONDITION:, :TEST INPUT:), which take no part in a run.
//
// Names are words of letters, digits, _, $, ' and the like separated by
// single spaces (Teacup Temperature), or anything in double quotes, with
// \" for a quotation mark ("Aux with $peC!@| characters"). A variable
// keeps its name as the file writes it, so output columns and --vars name
// variables as Vensim does; names are matched canonically (any case, a
// space the same as _), as everywhere in stockflow.
//
// # What is read
//
//   - name = equation: an auxiliary (also name := data equation and
//     name == equation, which Vensim does not let a user change).
//   - name = INTEG(rate, initial): a stock. Its flows are found in the
//     rate, as Vensim's own XMILE export does: when the rate is a sum and
//     difference of variables (births - deaths - "emigration (net)"),
//     those variables become its inflows and outflows; any other rate
//     becomes one flow of its own, named after the stock
//     ("Population net flow"), with the rate as its equation.
//   - name(table) and name([(xmin,ymin)-(xmax,ymax)], (x1,y1), ...): a
//     lookup, called as name(x). The range in brackets only scales the
//     graph. The older form name(x1, ..., xn, y1, ..., yn) is read too, and
//     points written out of order are sorted.
//   - name = WITH LOOKUP(input, table): an auxiliary with its own lookup.
//   - The units after the first ~ become the variable's Units (for the
//     units checker); [min, max] or [min, max, step] after them, when
//     both bounds are numbers (? leaves one open) and a constant lies
//     inside, becomes its Range. The comment after the second ~ becomes
//     its Doc.
//   - The control section: INITIAL TIME, FINAL TIME, TIME STEP (1 when
//     missing) and SAVEPER, which may be equations of numbers and of one
//     another (SAVEPER = TIME STEP). A reference to them elsewhere is
//     STARTTIME, STOPTIME, DT or the save interval. Time is TIME. Vensim
//     integrates with Euler's method, and so does the model read.
//   - Subscripts: a range (region: north, south, east; numbered (p1-p5);
//     a range listing other ranges) becomes a model.Dimension; a range
//     whose elements all belong to another is a subrange of the smallest
//     such (the one declared first among ranges of equal elements);
//     mappings (a: a1, a2 -> b, -> (b: b2, b1)) and equivalences (a <-> b)
//     are kept. A subscripted variable is arrayed over the ranges its
//     equations use: one equation over whole ranges applies to all
//     elements; equations per element or per subrange, :EXCEPT: lists and
//     lists of numbers (1, 2, 3; 4, 5, 6; and TABBED ARRAY) become
//     equations per element. Elements that no equation defines are 0, as
//     in Vensim. range! in a reference marks the range an array function
//     (SUM, PROD, VMIN, VMAX) runs over (terms that mark different ranges
//     combine over every combination of their elements); ELMCOUNT(range) is the number of
//     its elements. An element's name compared with a range (dimA = B) is
//     the element's position in it.
//   - Macros (:MACRO: NAME(input, ... [: output, ...]) ... :END OF
//     MACRO:), defined before or after their use, are read as
//     model.Macro values and expanded at each call by model.ExpandMacros,
//     as XMILE's macros are: every call makes its own copies of the
//     macro's variables, stocks included, named after the macro and the
//     call's number ("EXPRESSION MACRO 1.intermediate"), with a variable
//     for each input holding the call's argument; macros may call macros
//     (a macro that calls itself is refused). A call's further outputs
//     (x = MACRO(a, b : out), the whole of an equation) define variables
//     of the caller that take those outputs. Macros take no subscripts.
//
// # Data from files
//
// GET XLS CONSTANTS, DATA, LOOKUPS and SUBSCRIPT, and GET DIRECT ... the
// same, read the file they name, relative to the model file's directory,
// when the model is read, and write what they read into the model: a
// constant becomes its number, a data variable a lookup of TIME with the
// series' points, a lookup its points, a subscript range its elements
// (prefix and cell text). Excel workbooks (.xlsx; .xls of Excel 97-2003)
// are read by sheet (the second argument); a .csv or tab-separated text
// file takes the character between cells as the second argument (',' or
// '	'). The GET must be the whole of its equation (or of a lookup's
// definition, name(GET XLS LOOKUPS(...))).
//
//   - Cells: 'B2', or a name the workbook defines (for its sheet first,
//     then for the workbook). CONSTANTS lay the values of one subscript
//     range of the equation's left-hand side along a row from the cell, of
//     two the first down the rows and the second along the columns; with
//     a * after the cell ('B2*') transposed. Elements named singly on the
//     left-hand side take no room.
//   - DATA and LOOKUPS: the third argument is the row ('4') or column
//     ('A') of the times (the x of a lookup), or a defined name; the
//     series runs from the first cell (fourth argument) to the last
//     filled cell of that row or column, each further element of the
//     left-hand side in the next row (column). A point whose time or value
//     is empty or not a number is left out, as Vensim does; times must
//     increase.
//   - Data equations: :INTERPOLATE: (the default) joins the points with
//     straight lines, :HOLD BACKWARD: keeps each point's value until the
//     next, :LOOK FORWARD: takes the next point's value just after each
//     point; before the first point and after the last the value is that
//     point's. :RAW: data are read when every time step of the run is one
//     of their times, and refused otherwise.
//   - A file, sheet or name that is missing, a cell that is not a number,
//     times out of order: an error at the equation naming the file and
//     the cell.
//
// # Functions
//
// Vensim's functions become stockflow's builtins (model/builtin) with
// their arguments in Vensim's order: ABS, EXP, LN, LOG (as a ratio of
// LN), SQRT, POWER (as ^), SIN, COS, TAN, ARCSIN, ARCCOS, ARCTAN, SINH,
// COSH, TANH, MIN, MAX, MODULO, INTEGER (truncation), QUANTUM, XIDZ, ZIDZ,
// IF THEN ELSE, STEP, RAMP, PULSE (1 from start for a width of at least one
// time step), PULSE TRAIN, SMOOTH, SMOOTHI, SMOOTH3, SMOOTH3I, SMOOTH N
// (whose order is taken at the start), DELAY1, DELAY1I, DELAY3, DELAY3I,
// DELAY N, DELAY FIXED, TREND, FORECAST, NPV, INITIAL, ACTIVE INITIAL,
// SAMPLE IF TRUE (as the whole of an equation), GAME (its input), RANDOM
// UNIFORM, RANDOM NORMAL (truncated to its bounds), LOOKUP EXTRAPOLATE,
// LOOKUP BACKWARD and LOOKUP FORWARD (a copy of the table that
// extrapolates, steps, or takes the next point's value), SUM,
// PROD, VMIN, VMAX, ELMCOUNT, VECTOR SELECT, VECTOR ELM MAP, VECTOR SORT
// ORDER, VECTOR RANK, VECTOR REORDER, ALLOCATE BY PRIORITY, ALLOCATE AVAILABLE (priority profiles 1
// rectangular, 2 triangular, 3 normal, 4 exponential), INVERT MATRIX, and
// GET TIME VALUE of the time itself (measure 0, relative to the
// simulation's time or its initial time). :AND:, :OR:, :NOT: and :NA: (-1.298074214633707e33, Vensim's
// value) are read too. Operators bind as in Vensim: ^ tightest and to the
// right (2^3^2 is 2^9, -2^2 is -4), then * /, + -, comparisons, :NOT:,
// :AND:, :OR:.
//
// # What is refused
//
// Whatever would run differently if skipped is an error at its file:line:col
// that names it, whose underlying error is ErrUnsupported:
//
//   - data stockflow cannot read: a .vdf file (GET VDF ..., or GET
//     DIRECT naming one), GET 123 ..., GET DATA AT TIME and the like, a
//     data variable with no equation (its values come from a .vdf or
//     another model), data equations (:INTERPOLATE:, ...) without a GET,
//     :RAW: data between their times, a file named through an alias
//     (?name), a GET inside a larger expression. Such a model is never
//     run with zeros in their place;
//   - functions stockflow does not have (LOOKUP INVERT, GET TIME VALUE
//     of calendar measures or of the computer's clock, RANDOM POISSON,
//     VECTOR LOOKUP, ...), named as the file writes them;
//   - control variables that change during the run (a FINAL TIME that
//     depends on Time).
//
// # Errors
//
// The error of Read is a model.ErrorList holding every problem found, each
// at file:line:col: syntax errors where the unexpected text starts, with
// what was expected and what was found. Equations are translated into
// stockflow's equation language (their Text is the translation), so an
// error found later, by sim.Compile, points at the start of the equation
// in the .mdl file and at the place in the translated text.
package vensim
