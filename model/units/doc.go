// Package units checks the units of measure of a model's equations and
// infers the units of the variables that declare none. Check takes a
// loaded *model.Model and returns a Report of every variable's declared
// and inferred units, and each place where units disagree as a
// model.ErrorList; Parse reads one units expression, and NewSystem the
// units a model defines:
//
//	report, err := units.Check(m)
//	// err: revenue.yaml:13:33: units: revenue: cannot add account and $/(account*month)
//	for _, e := range report.Vars {
//		fmt.Println(e.Name, report.Units(e))
//	}
//
// # The units language
//
// A variable's units are a units expression: unit names combined with
// * (or -, as XMILE allows: person-hour), / and ^ with a number, in
// parentheses as needed: accounts, $/(account*month), 1/month, m^2. The
// number 1, dmnl, dimensionless, unitless and an empty declaration of the
// units language mean dimensionless (in a model, a variable with no units
// at all has undeclared units, which Check infers). A number before a name
// scales it: "3 month". A Vensim range after the units ("Widgets [0,100]")
// is ignored. Parse gives the grammar.
//
// Unit names are compared without regard to case, with spaces and
// underscores alike, and in the singular, so Month, months and MONTHS are
// one unit, and so are People, persons and person. The plural rule, applied
// to the last word of a name: a few irregular plurals (people, men, women,
// children, feet, teeth, mice, geese, oxen, data, criteria) become their
// singular; a word of three letters or more that ends in s loses it, except
// after s, u or i (class, bonus, analysis stay as they are); -ies becomes
// -y (companies: company); -ches, -shes, -sses, -xes and -zes lose -es
// (inches, boxes). Messages spell a unit as the model first wrote it, in
// the singular (Widgets is shown as Widget).
//
// The time units of XMILE 1.0 are known, with their abbreviations: second
// (s, sec), minute (min), hour (hr), day, week (wk), month (mo), quarter
// (qtr), year (yr) and the milli-, micro- and nanoseconds; per_month and
// the like are their reciprocals. They are names only: a model whose time
// unit is months and whose flow is per year is in error, not converted.
//
// A model may define its own units (model.Model.Units): the YAML units
// section and XMILE's <model_units>. A definition gives a name, the
// expression it stands for (none for a unit of its own) and aliases:
//
//	units:
//	  customer: account                 # customer means account
//	  quarter: 3 month                  # a quarter is three months
//	  dollar: {aliases: [$, USD]}       # $, USD and dollar are one unit
//
// A definition used in its own definition, a name defined twice and an
// expression that does not parse are errors at the definition.
//
// # Checking
//
// Check derives the units of every equation from its parts and reports,
// each at its position, every place where two units that must agree do
// not, saying what was expected and what was found:
//
//   - a + b, a - b, a mod b, comparisons and the branches of IF need equal
//     units; a product or quotient has the product or quotient of its
//     operands' units; a comparison, and, or and not are dimensionless;
//   - a ^ b needs b dimensionless, and when a has units, b a number (so
//     that the units of the power are known);
//   - a number takes the units its place needs in a sum, a comparison, an
//     IF branch or an argument (stock - 1 is fine), and is dimensionless in
//     a product (price * 12 does not turn months into years);
//   - each equation gives its variable's declared units, a stock's initial
//     value the stock's, and each flow of a stock is in the stock's units
//     per time unit;
//   - TIME, DT, STARTTIME and STOPTIME have the model's time unit;
//   - a builtin takes and gives what its units rule in the builtin table
//     says (model/builtin: Func.Units, Param.UnitsRule): SMTH1(input, time)
//     and the delays give their input's units and take a time; STEP(height,
//     start) gives height's units, RAMP(slope, start) slope·time, PULSE(
//     volume, first) volume per time; EXP, LN, SIN and the like take and
//     give dimensionless numbers; MIN and MAX take equal units;
//   - a lookup takes its declared input units (input_units in YAML) and
//     gives its declared units; a variable with a graphical function gives
//     the function's units;
//   - an element of an arrayed variable has the variable's units.
//
// A problem is reported once: when a part of an equation is wrong, the
// equation's result is not reported again against its variable.
//
// # Inference
//
// A variable without declared units, a lookup without declared input or
// output units, and the time unit when the model does not say it, get the
// units that the equations fix: a constant growth_rate in births =
// population * growth_rate, with births in animals/year and population in
// animals, is in 1/year. Inference solves the equations' constraints one
// unknown at a time; what nothing fixes stays unknown ("?"), and no
// problem is reported about it. So that a model that declares no units is
// not taken to task, a disagreement is reported only when declared units
// (those of a variable, a lookup or the time unit) take part in it,
// directly or through what was inferred from them.
//
// Check returns a Report of every variable's declared and inferred units
// and the problems as a model.ErrorList of *model.Error values, each
// wrapping an *Error (found with errors.As) and reading
//
//	file:line:col: units: revenue: cannot add account and $/(account*month)
package units
