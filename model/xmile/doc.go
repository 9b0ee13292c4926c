// Package xmile reads and writes system-dynamics models in XMILE, the OASIS
// interchange format (version 1.0) that Stella, Vensim, Simlin and PySD
// read and write. Read and ReadFile turn an XMILE file (.xmile, .stmx, .itmx) into a
// *model.Model; Write writes one back out:
//
//	m, err := xmile.ReadFile("teacup.xmile")
//	...
//	p, err := sim.Compile(m)
//
// # What is read
//
//   - <header>: the model's <name>. The rest of the header (vendor,
//     product, options, dates) describes the file and is skipped.
//   - <sim_specs>: <start>, <stop>, <dt> (reciprocal="true" gives 1/dt),
//     the method attribute (Euler, RK2 or RK4), time_units, and a save
//     interval in a savestep or save_step attribute (or element). A
//     <model> may override them with its own <sim_specs>.
//   - <stock>, <flow> and <aux> with their <eqn>, <units> and <doc>; the
//     <init_eqn> of a <flow> or <aux> (how xmutil writes Vensim's ACTIVE
//     INITIAL; XMILE 1.0 does not list it) as its model.Variable.Initial,
//     the value it takes while the initial values are computed; a
//     stock's <inflow> and <outflow> elements, any number of each;
//     <non_negative> on stocks and flows. An <aux> that a stock names as
//     an inflow or outflow becomes a flow, as Vensim's XMILE export
//     declares the rates of its stocks as auxiliaries.
//   - <behavior> at the top of the file and in the <model>: the
//     non-negative default for stocks, flows or both. A variable's own
//     <non_negative> (empty, true or false, in any case) comes first, then
//     the model's <behavior>, then the file's; in each, a setting for
//     stocks or flows comes before one for everything.
//   - Graphical functions: a <gf name="..."> among the variables becomes a
//     model.Lookup, called in equations as name(x); a <gf> inside an
//     <aux> or <flow> becomes its model.Variable.Lookup, applied to the
//     value of its equation, or, written <gf name="..."/>, a copy of the
//     named one. The x values are <xpts>, or else evenly spaced over
//     <xscale min max>; the y values are <ypts>; both are separated by
//     their sep attribute (a comma by default). The type attribute is
//     continuous (the default), extrapolate or discrete; the legacy
//     discrete="true" means discrete. <yscale> only scales a graph.
//   - The model's <doc>, which XMILE does not define but stockflow writes.
//   - Scenarios and named loops, in stockflow's own namespace (see Write).
//
// # Functions
//
// An equation's functions mean what XMILE 1.0 (§3.5) and Stella say:
// INT(x) rounds down (INT(-0.5) = -1); DELAY(input, time[, initial]) is
// the input as it was time ago, interpolated between steps when time is
// not a whole number of steps; DELAYN(input, time, n[, initial]) has n
// stages whatever dt is; a non-negative stock limits its outflows. The
// Vensim spellings (INTEGER, QUANTUM, DELAY_FIXED, DELAY_N, SMOOTH_N,
// ACTIVE_INITIAL, ...) keep Vensim's meanings; model/builtin lists them.
// One exception follows the file's maker: in a file whose header names
// Vensim or Ventana as its product or vendor (Vensim's XMILE export and
// xmutil), INT is read as INTEGER, because those tools write Vensim's
// INTEGER, which truncates toward zero, as INT; the SDXorg case
// tests/rounding, made with Vensim, shows the truncation.
//
// XML comments may hold "--" (a row of dashes): XML forbids it, but
// tools write it, and a comment means nothing to the model.
//
// # Names
//
// A variable keeps its name attribute as its Name, with each \n (a line
// break in a diagram label) turned into a space. Equations refer to
// variables by the XMILE rule, case-insensitive with underscores for
// spaces (Heat_Loss_to_Room), or in double quotes ("Heat Loss to Room");
// model.Canonical compares them so.
//
// # A lenient reader
//
// Files in the wild are not all well-formed, and Read reads what Stella
// and Vensim users expect to load:
//
//   - Elements are matched by local name, in the XMILE 1.0 namespace, the
//     namespace of the drafts (http://www.systemdynamics.org/XMILE) or
//     none. An element in any other namespace, or with a prefix that is
//     not declared (most files use isee: without declaring it), is a
//     vendor's extension and is skipped, but for an oven.
//   - A <stock>, <flow>, <aux>, <module> or <group> that opens inside a
//     variable of the model closes that variable: a file that lost a
//     </flow> reads as its author meant. (encoding/xml's own lenient mode
//     would put the following variables inside the flow.) An end tag closes
//     the nearest open element of its name and any left open inside it.
//   - HTML entities such as &nbsp; are understood, and so are files in
//     ISO-8859-1 or windows-1252 that say so in their XML declaration.
//   - The variables of a draft-era file may sit directly in its <model>.
//
// Display and layout (<views>, <style>, <display>, <interface>), unit
// definitions (<model_units>), groups (<group>, which only list their
// members), a variable's <range>, <scale>, <format> and <event_poster>,
// and vendor extensions are skipped on purpose.
//
// # Errors
//
// The error of Read is a model.ErrorList holding every problem found, each
// at file:line:col, with equations' syntax errors at their place inside
// the equation. Anything that would simulate differently if skipped and
// that stockflow does not support is an error naming it, whose underlying
// error is ErrUnsupported: arrays (<dimensions>, <element>), modules and
// submodels, macros, conveyors, queues, ovens, conveyor leakage, queue
// overflow, data import and export, included files, equations only in
// MathML, and integration methods other than Euler, RK2 and RK4. So is any
// element Read does not know.
package xmile
