// Package web serves a what-if page for a compiled model: sliders for its
// constants, its scenarios side by side, charts drawn by sim/chart, a
// table of final values and the loop dominance of the current setting, all
// as an http.Handler that a Go program can mount, and that
// `stockflow serve MODEL` runs. New makes the Handler of a compiled
// *sim.Program; mount it in a server of your own, or let Serve listen on
// the loopback interface:
//
//	h, err := web.New(p, web.Options{})
//	...
//	http.Handle("/model/", http.StripPrefix("/model", h))
//
// # The page and its address
//
// The state of the page lives in its query string, so a link reproduces
// a view:
//
//	/?vars=customers,cumulative_profit&compare=baseline,balanced&cs_share=0.45
//
// vars names the variables to chart, compare the runs drawn beside the
// what-if (baseline is the model as written; the others are the model's
// scenarios), scenario the scenario the what-if starts from, and every
// other key sets a constant of that name. The names vars, compare,
// scenario, at, download, best, maximize and minimize are therefore not
// available as constant names in a query.
//
// # The JSON API
//
//	GET /api/model                    the model: constants, variables, scenarios
//	GET /api/run?vars=a,b&NAME=VALUE  {"time": [...], "series": {"a": [...], "b": [...]}}
//	GET /api/table?...[&at=T]         values of each run of the view at the end (or at T)
//	GET /api/chart.svg?...            the view's chart (also .png)
//	GET /api/loops.svg?...            loop dominance of the what-if (also .png)
//	GET /api/data.csv?...             every run of the view as CSV
//	GET /api/scenario.yaml?...        the what-if as a scenario file (--scenarios)
//	GET /api/bands.svg?vars=VAR&...   the spread of VAR when the constants that
//	                                  declare an uncertainty are drawn (also .png)
//	GET /api/optimize?best=NAME&maximize=VAR&...  the value of NAME in its range that
//	                                  makes VAR's final value largest (or minimize=VAR)
//
// /api/run gives the numbers `stockflow run --set NAME=VALUE --vars a,b`
// prints, and takes an optional scenario=S to start from. A bad query (an
// unknown name, a value that is not a finite number or lies outside the
// constant's declared range, a variable that is not a constant) is a 400
// with {"error": "...", "param": "NAME"}.
//
// # Safety
//
// The handler serves only its own embedded assets and the API; it writes
// no file. It answers GET and HEAD only, refuses queries longer than
// MaxQuery bytes, runs at most Options.MaxRuns requests at once (others
// wait, then get 503), and stops a request's runs after
// Options.Timeout. Every response carries a Content-Security-Policy that
// allows only the page's own scripts, styles and images. Serve listens on
// the loopback interface unless told otherwise and says so when it is not.
package web
