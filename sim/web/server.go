package web

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/expr"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/chart"
	"github.com/stockflow/stockflow/sim/experiment"
)

//go:embed assets/index.html assets/app.js assets/style.css
var assets embed.FS

// MaxQuery is the longest query string the handler reads, in bytes.
const MaxQuery = 8 << 10

// Options are the settings of a Handler. The zero value serves the page
// with its defaults.
type Options struct {
	// Vars are the variables the page charts when its address names none;
	// the default is the model's stocks, four at most.
	Vars []string
	// MaxRuns is the number of requests that may run the model at once
	// (default: one per core). Others wait for a turn until Timeout.
	MaxRuns int
	// Timeout bounds the time one request may take to run the model and
	// draw its charts (default 10 s).
	Timeout time.Duration
}

// Handler serves the what-if page of one compiled model and its API. It is
// safe for concurrent use.
type Handler struct {
	p      *sim.Program
	m      *model.Model
	o      Options
	sem    chan struct{}
	consts []constant
	byName map[string]int // canonical name → index in consts
	vars   []variable
	loops  []*loops.Loop
	graph  *loops.Graph
	noLoop string // why there is no loop dominance chart, if there is none
	info   []byte // the /api/model answer
	mux    *http.ServeMux
}

// constant is a variable a query may set.
type constant struct {
	Name        string       `json:"name"`
	Label       string       `json:"label"`
	Units       string       `json:"units,omitempty"`
	Doc         string       `json:"doc,omitempty"`
	Value       float64      `json:"value"`
	Range       *rangeJSON   `json:"range,omitempty"`
	Uncertainty string       `json:"uncertainty,omitempty"`
	rng         *model.Range // nil when none is declared
}

type rangeJSON struct {
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
	Step float64 `json:"step,omitempty"`
}

// variable is a variable the page may chart.
type variable struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	Kind  string `json:"kind"`
	Units string `json:"units,omitempty"`
	Doc   string `json:"doc,omitempty"`
}

type scenarioJSON struct {
	Name  string             `json:"name"`
	Label string             `json:"label"`
	Doc   string             `json:"doc,omitempty"`
	Set   map[string]float64 `json:"set"`
}

// New returns the handler of a program's page. It runs the model once, to
// find its constants and their values and to check that it runs.
func New(p *sim.Program, o Options) (*Handler, error) {
	if p == nil {
		panic("web: New of a nil program")
	}
	if o.MaxRuns <= 0 {
		o.MaxRuns = runtime.GOMAXPROCS(0)
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	h := &Handler{p: p, m: p.Model(), o: o, sem: make(chan struct{}, o.MaxRuns), byName: make(map[string]int)}
	base, err := p.Run(sim.Scenario{})
	if err != nil {
		return nil, fmt.Errorf("web: the model does not run: %w", err)
	}
	for j, name := range base.Names {
		v := varOf(h.m, name)
		label := labelOf(h.m, name)
		vr := variable{Name: name, Label: label}
		if v != nil {
			vr.Kind, vr.Units, vr.Doc = v.Kind.String(), v.Units, v.Doc
		}
		h.vars = append(h.vars, vr)
		if v == nil || v.Kind == model.Stock || len(base.Values[j]) == 0 {
			continue
		}
		if _, lit := expr.Constant(v.Equation.Expr, nil); !lit && v.Range == nil {
			continue // computed from others: the page sets what it is computed from
		}
		x := base.Values[j][0]
		if p.Check(sim.Scenario{Set: map[string]float64{name: x}}) != nil {
			continue // not a constant
		}
		c := constant{Name: name, Label: label, Units: v.Units, Doc: v.Doc, Value: x, rng: v.Range}
		if r := v.Range; r != nil {
			c.Range = &rangeJSON{Min: r.Min, Max: r.Max, Step: r.Step}
		}
		if v.Uncertainty != nil {
			c.Uncertainty = v.Uncertainty.String()
		}
		h.byName[model.Canonical(name)] = len(h.consts)
		h.consts = append(h.consts, c)
	}
	if len(o.Vars) == 0 {
		for _, v := range h.m.Vars {
			if v.Kind == model.Stock && len(h.o.Vars) < 4 {
				h.o.Vars = append(h.o.Vars, v.Name)
			}
		}
		if len(h.o.Vars) == 0 && len(base.Names) > 0 {
			h.o.Vars = base.Names[:1]
		}
	} else if _, err := p.Columns(sim.Scenario{Vars: o.Vars}); err != nil {
		return nil, fmt.Errorf("web: Options.Vars: %w", err)
	}
	h.findLoops()
	if h.info, err = h.modelJSON(); err != nil {
		return nil, err
	}
	h.routes()
	return h, nil
}

// varOf returns the model variable of an output column: the variable, or
// for an element of an array (x[smb]) the arrayed variable.
func varOf(m *model.Model, name string) *model.Variable {
	if v := m.Var(name); v != nil {
		return v
	}
	if i := strings.IndexByte(name, '['); i > 0 {
		return m.Var(name[:i])
	}
	return nil
}

// labelOf is how the page and the charts name a variable: its label, or
// its name with spaces for underscores.
func labelOf(m *model.Model, name string) string {
	if v := m.Var(name); v != nil {
		return v.DisplayName()
	}
	if v := varOf(m, name); v != nil {
		return v.DisplayName() + name[strings.IndexByte(name, '['):]
	}
	return strings.ReplaceAll(name, "_", " ")
}

// findLoops finds the feedback loops once: the structure does not change
// with the settings.
func (h *Handler) findLoops() {
	g, err := loops.NewGraph(h.m)
	if err == nil {
		h.graph = g
		h.loops, err = g.Loops(loops.DefaultLimit)
	}
	switch {
	case err != nil:
		h.noLoop = "the loops of this model could not be found: " + err.Error()
	case len(h.loops) == 0:
		h.noLoop = "this model has no feedback loops"
	}
}

func (h *Handler) modelJSON() ([]byte, error) {
	scs := make([]scenarioJSON, 0, len(h.m.Scenarios))
	for _, s := range h.m.Scenarios {
		set := make(map[string]float64, len(s.Set))
		for _, x := range s.Set {
			set[x.Name] = x.Value
		}
		scs = append(scs, scenarioJSON{Name: s.Name, Label: strings.ReplaceAll(s.Name, "_", " "), Doc: s.Doc, Set: set})
	}
	t := h.p.Time()
	return json.Marshal(struct {
		Name      string         `json:"name"`
		Doc       string         `json:"doc,omitempty"`
		Start     float64        `json:"start"`
		Stop      float64        `json:"stop"`
		TimeUnits string         `json:"timeUnits,omitempty"`
		Constants []constant     `json:"constants"`
		Variables []variable     `json:"variables"`
		Scenarios []scenarioJSON `json:"scenarios"`
		Vars      []string       `json:"defaultVars"`
		Loops     int            `json:"loops"`
		NoLoops   string         `json:"noLoops,omitempty"`
		Palette   []string       `json:"palette"`
	}{h.m.Name, h.m.Doc, t.Start, t.Stop, t.Units, h.consts, h.vars, scs, h.o.Vars, len(h.loops), h.noLoop, palette()})
}

// palette is the colours of the charts' series, as CSS.
func palette() []string {
	colours := chart.Palette()
	out := make([]string, len(colours))
	for i, c := range colours {
		r, g, b, _ := c.RGBA()
		out[i] = fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
	}
	return out
}

func (h *Handler) routes() {
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", h.asset("assets/index.html", "text/html; charset=utf-8"))
	mux.HandleFunc("/app.js", h.asset("assets/app.js", "text/javascript; charset=utf-8"))
	mux.HandleFunc("/style.css", h.asset("assets/style.css", "text/css; charset=utf-8"))
	mux.HandleFunc("/api/model", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(h.info)
	})
	mux.HandleFunc("/api/run", h.api(h.serveRun))
	mux.HandleFunc("/api/table", h.api(h.serveTable))
	mux.HandleFunc("/api/chart.svg", h.api(h.serveChart(chart.SVG)))
	mux.HandleFunc("/api/chart.png", h.api(h.serveChart(chart.PNG)))
	mux.HandleFunc("/api/loops.svg", h.api(h.serveLoops(chart.SVG)))
	mux.HandleFunc("/api/loops.png", h.api(h.serveLoops(chart.PNG)))
	mux.HandleFunc("/api/data.csv", h.api(h.serveCSV))
	mux.HandleFunc("/api/scenario.yaml", h.api(h.serveScenario))
	mux.HandleFunc("/api/optimize", h.api(h.serveOptimize))
	mux.HandleFunc("/api/bands.svg", h.api(h.serveBands(chart.SVG)))
	mux.HandleFunc("/api/bands.png", h.api(h.serveBands(chart.PNG)))
	h.mux = mux
}

// csp allows the page its own script, styles and images (and the charts it
// fetches as blobs), and nothing else.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// ServeHTTP serves the page, its assets and the API.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", csp)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Frame-Options", "DENY")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hd.Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "", "only GET and HEAD are served")
		return
	}
	if len(r.URL.RawQuery) > MaxQuery {
		writeError(w, http.StatusRequestURITooLong, "", fmt.Sprintf("the query is %d bytes; the limit is %d", len(r.URL.RawQuery), MaxQuery))
		return
	}
	h.mux.ServeHTTP(w, r)
}

func (h *Handler) asset(name, ctype string) http.HandlerFunc {
	b, err := assets.ReadFile(name)
	if err != nil {
		panic(err) // the assets are embedded
	}
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(b)
	}
}

// apiError is an answer other than 200: its status, the query parameter
// at fault (if one is), and the message.
type apiError struct {
	status int
	param  string
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func badParam(param, format string, args ...any) *apiError {
	return &apiError{http.StatusBadRequest, param, fmt.Sprintf(format, args...)}
}

func writeError(w http.ResponseWriter, status int, param, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(struct {
		Error string `json:"error"`
		Param string `json:"param,omitempty"`
	}{msg, param})
}

// api wraps an endpoint that runs the model: it parses the view, waits
// for a turn, bounds the time and turns errors into JSON.
func (h *Handler) api(serve func(ctx context.Context, v *view, w io.Writer, hd http.Header) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, aerr := h.parse(r.URL.Query())
		if aerr != nil {
			writeError(w, aerr.status, aerr.param, aerr.msg)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), h.o.Timeout)
		defer cancel()
		select {
		case h.sem <- struct{}{}:
			defer func() { <-h.sem }()
		case <-ctx.Done():
			writeError(w, http.StatusServiceUnavailable, "", "the server is busy; try again")
			return
		}
		var buf bytes.Buffer
		hd := make(http.Header)
		if err := serve(ctx, v, &buf, hd); err != nil {
			var ae *apiError
			var re *sim.RangeError
			switch {
			case errors.As(err, &ae):
				writeError(w, ae.status, ae.param, ae.msg)
			case errors.As(err, &re):
				writeError(w, http.StatusBadRequest, re.Name, strings.TrimPrefix(err.Error(), "sim: "))
			case ctx.Err() != nil && r.Context().Err() == nil:
				writeError(w, http.StatusServiceUnavailable, "", fmt.Sprintf("the runs took longer than %v", h.o.Timeout))
			case ctx.Err() != nil:
				// The client went away: nobody to answer.
			default:
				writeError(w, http.StatusUnprocessableEntity, "", strings.TrimPrefix(err.Error(), "sim: "))
			}
			return
		}
		for k, vs := range hd {
			w.Header()[k] = vs
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Write(buf.Bytes())
	}
}

// run runs a scenario, stopping when ctx is done.
func (h *Handler) run(ctx context.Context, s sim.Scenario) (*sim.Result, error) {
	names, err := h.p.Columns(s)
	if err != nil {
		return nil, err
	}
	res := &sim.Result{Names: names, Values: make([][]float64, len(names))}
	err = h.p.Stream(s, func(t float64, row []float64) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		res.Times = append(res.Times, t)
		for j, x := range row {
			res.Values[j] = append(res.Values[j], x)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// runs runs the what-if and the runs it is compared with.
func (h *Handler) runs(ctx context.Context, v *view) ([]chart.Run, error) {
	var out []chart.Run
	for _, r := range v.runs() {
		s := r.scenario
		s.Vars = v.vars
		res, err := h.run(ctx, s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.label, err)
		}
		out = append(out, chart.Run{Name: r.label, Result: res})
	}
	return out, nil
}

func (h *Handler) serveRun(ctx context.Context, v *view, w io.Writer, hd http.Header) error {
	s := v.whatIf
	s.Vars = v.vars
	if !v.varsGiven {
		s.Vars = nil // every variable, as run prints them
	}
	res, err := h.run(ctx, s)
	if err != nil {
		return err
	}
	series := make(map[string][]float64, len(res.Names))
	for j, n := range res.Names {
		series[n] = res.Values[j]
	}
	for _, vs := range res.Values {
		for _, x := range vs {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("the run gave a value that is not a finite number")
			}
		}
	}
	hd.Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(struct {
		Time   []float64            `json:"time"`
		Series map[string][]float64 `json:"series"`
	}{res.Times, series})
}

func (h *Handler) serveTable(ctx context.Context, v *view, w io.Writer, hd http.Header) error {
	runs, err := h.runs(ctx, v)
	if err != nil {
		return err
	}
	type row struct {
		Name   string    `json:"name"`
		Label  string    `json:"label"`
		Units  string    `json:"units,omitempty"`
		Values []float64 `json:"values"`
	}
	out := struct {
		Time float64  `json:"time"`
		Runs []string `json:"runs"`
		Rows []row    `json:"rows"`
	}{Time: h.p.Time().Stop}
	// The row of the saved time nearest v.at (the last row without it).
	i := -1
	for _, r := range runs {
		out.Runs = append(out.Runs, r.Name)
		if i < 0 && len(r.Result.Times) > 0 {
			ts := r.Result.Times
			i = len(ts) - 1
			if v.hasAt {
				i = sort.SearchFloat64s(ts, v.at)
				if i == len(ts) || (i > 0 && v.at-ts[i-1] < ts[i]-v.at) {
					i--
				}
			}
			out.Time = ts[i]
		}
	}
	for _, name := range v.vars {
		rw := row{Name: name, Label: labelOf(h.m, name)}
		if mv := varOf(h.m, name); mv != nil {
			rw.Units = mv.Units
		}
		for _, r := range runs {
			xs, err := r.Result.Series(name)
			if err != nil {
				return err
			}
			x := xs[i]
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("%s: %s is not a finite number at time %g", r.Name, name, out.Time)
			}
			rw.Values = append(rw.Values, x)
		}
		out.Rows = append(out.Rows, rw)
	}
	hd.Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(out)
}

// chartOptions are the options of the view's charts: a title and the
// settings as subtitle when the chart is downloaded, none on the page.
func (h *Handler) chartOptions(v *view, title string) chart.Options {
	// On the page the chart spans a wide column, and its text should read
	// as the page's does; a download has the default deck size.
	o := chart.Options{TimeUnits: h.p.Time().Units, Width: 11, Height: 6}
	if v.download {
		o.Width, o.Height = 0, 0
		o.Title = title
		o.Subtitle = v.describe()
	}
	return o
}

func (h *Handler) serveChart(f chart.Format) func(context.Context, *view, io.Writer, http.Header) error {
	return func(ctx context.Context, v *view, w io.Writer, hd http.Header) error {
		runs, err := h.runs(ctx, v)
		if err != nil {
			return err
		}
		vars := chart.Vars(h.m, v.vars...)
		title := h.m.Name
		if title == "" {
			title = "What if"
		}
		o := h.chartOptions(v, title)
		var c *chart.Chart
		if len(vars) == 1 {
			c, err = chart.TimeSeries(runs, vars, o)
		} else {
			if len(vars) > 4 && !v.download {
				o.Height = 3 * math.Ceil(float64(len(vars))/3)
			}
			c, err = chart.SmallMultiples(runs, vars, o)
		}
		if err != nil {
			return err
		}
		return writeChart(ctx, c, f, v, "chart", w, hd)
	}
}

func (h *Handler) serveLoops(f chart.Format) func(context.Context, *view, io.Writer, http.Header) error {
	return func(ctx context.Context, v *view, w io.Writer, hd http.Header) error {
		if h.noLoop != "" {
			return &apiError{http.StatusNotFound, "", h.noLoop}
		}
		s := v.whatIf
		s.Vars = nil
		// The loops named and given the polarities the what-if's run
		// decides (R→B for one that changes), as stockflow loops does.
		found, err := h.graph.Loops(loops.DefaultLimit)
		if err != nil {
			return err
		}
		_, sc, err := h.graph.Decide(h.p, s, found)
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		o := h.chartOptions(v, "Which feedback loops drive the what-if")
		if !v.download {
			// Tall enough for the stacked areas above a legend of up
			// to ten loops, two a row at this width.
			o.Width, o.Height = 7, 6.5
		}
		c, err := chart.LoopDominance(chart.LoopScoresOf(sc, 10), o)
		if err != nil {
			return err
		}
		return writeChart(ctx, c, f, v, "loops", w, hd)
	}
}

func writeChart(ctx context.Context, c *chart.Chart, f chart.Format, v *view, name string, w io.Writer, hd http.Header) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ext := "svg"
	hd.Set("Content-Type", "image/svg+xml")
	if f == chart.PNG {
		ext = "png"
		hd.Set("Content-Type", "image/png")
	}
	if v.download {
		hd.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+"."+ext))
	}
	return c.Write(w, f)
}

func (h *Handler) serveCSV(ctx context.Context, v *view, w io.Writer, hd http.Header) error {
	runs, err := h.runs(ctx, v)
	if err != nil {
		return err
	}
	cw := sim.NewScenarioCSVWriter(w, v.vars)
	row := make([]float64, len(v.vars))
	for _, r := range runs {
		cw.SetScenario(r.Name)
		for i, t := range r.Result.Times {
			for j := range row {
				row[j] = r.Result.Values[j][i]
			}
			if err := cw.Write(t, row); err != nil {
				return err
			}
		}
	}
	hd.Set("Content-Type", "text/csv; charset=utf-8")
	hd.Set("Content-Disposition", `attachment; filename="runs.csv"`)
	return cw.Flush()
}

// serveScenario writes the what-if as a scenario file, to keep it and use
// it with --scenarios or model.LoadScenarios.
func (h *Handler) serveScenario(ctx context.Context, v *view, w io.Writer, hd http.Header) error {
	s := &model.Scenario{Name: "what_if", Doc: strings.TrimPrefix(v.describe(), "what-if: ")}
	for _, mv := range h.m.Vars { // in model order
		for _, c := range h.consts {
			if varOf(h.m, c.Name) != mv {
				continue
			}
			for k, x := range v.whatIf.Set {
				if model.Canonical(k) == model.Canonical(c.Name) {
					s.Set = append(s.Set, model.Setting{Name: c.Name, Value: x})
				}
			}
		}
	}
	names := make([]string, 0, len(v.whatIf.Lookups))
	for name := range v.whatIf.Lookups {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		l := *v.whatIf.Lookups[name]
		l.Name = name
		s.Lookups = append(s.Lookups, &l)
	}
	hd.Set("Content-Type", "application/yaml; charset=utf-8")
	hd.Set("Content-Disposition", `attachment; filename="what-if.yaml"`)
	doc := "A what-if of " + h.m.Name + ", saved from its what-if page."
	if h.m.Name == "" {
		doc = "A what-if saved from the what-if page."
	}
	return model.WriteScenarios(w, doc, []*model.Scenario{s})
}

// serveOptimize finds the value of one constant, within its range, that
// makes a variable's final value largest (or smallest), the what-if's other
// settings kept: a bounded Nelder–Mead search from three starts.
func (h *Handler) serveOptimize(ctx context.Context, v *view, w io.Writer, hd http.Header) error {
	i, ok := h.byName[model.Canonical(v.best)]
	if !ok || h.consts[i].rng == nil {
		return badParam("best", "best names no constant with a range: %q", v.best)
	}
	c := h.consts[i]
	if (v.maximize == "") == (v.minimize == "") {
		return badParam("maximize", "give one of maximize=VAR and minimize=VAR")
	}
	payoff := experiment.Payoff{Var: v.maximize, At: experiment.Final, Maximize: true}
	param := "maximize"
	if v.minimize != "" {
		payoff, param = experiment.Payoff{Var: v.minimize, At: experiment.Final}, "minimize"
	}
	names, err := h.p.Columns(sim.Scenario{Vars: []string{payoff.Var}})
	if err != nil {
		return badParam(param, "%s", strings.TrimPrefix(err.Error(), "sim: "))
	}
	payoff.Var = names[0]
	op := experiment.Optimization{
		Base:    v.whatIf,
		Vary:    []experiment.Bound{{Name: c.Name, Low: c.rng.Min, High: c.rng.Max}},
		Payoff:  payoff,
		Starts:  3,
		MaxRuns: 200,
	}
	best, err := op.Run(ctx, h.p, experiment.Options{Workers: 1})
	if err != nil {
		return err
	}
	hd.Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(struct {
		Name   string  `json:"name"`
		Value  float64 `json:"value"`
		Var    string  `json:"var"`
		Payoff float64 `json:"payoff"`
		Runs   int     `json:"runs"`
		Flat   bool    `json:"flat"`
	}{c.Name, best.Values[0], payoff.Var, best.Payoff, best.Runs, best.Flat})
}

// bandRuns is the number of Latin hypercube runs behind the page's
// uncertainty bands.
const bandRuns = 200

// serveBands charts the spread of the first variable of the view when the
// constants that declare an uncertainty are drawn from it (those the
// what-if sets itself are held at its values): the what-if, and the
// baseline when the view compares with it.
func (h *Handler) serveBands(f chart.Format) func(context.Context, *view, io.Writer, http.Header) error {
	return func(ctx context.Context, v *view, w io.Writer, hd http.Header) error {
		set := make(map[string]bool)
		for k := range v.whatIf.Set {
			set[model.Canonical(k)] = true
		}
		var vary, all []experiment.Param
		for _, c := range h.consts {
			mv := varOf(h.m, c.Name)
			if mv == nil || mv.Uncertainty == nil {
				continue
			}
			d, err := experiment.DistOf(*mv.Uncertainty)
			if err != nil {
				return err
			}
			all = append(all, experiment.Param{Name: c.Name, Dist: d})
			if !set[model.Canonical(c.Name)] {
				vary = append(vary, experiment.Param{Name: c.Name, Dist: d})
			}
		}
		if len(all) == 0 {
			return &apiError{http.StatusNotFound, "", "no constant of this model declares an uncertainty"}
		}
		if len(vary) == 0 {
			return badParam("", "the what-if sets every constant that declares an uncertainty: nothing is left to vary")
		}
		name := v.vars[0]
		runs := []struct {
			label string
			base  sim.Scenario
			vary  []experiment.Param
		}{{"what-if", v.whatIf, vary}}
		for _, c := range v.compare {
			if c == baseline {
				runs = append(runs, struct {
					label string
					base  sim.Scenario
					vary  []experiment.Param
				}{baseline, sim.Scenario{}, all})
			}
		}
		var bands []chart.Band
		for _, r := range runs {
			st := experiment.Sensitivity{Base: r.base, Vary: r.vary, Runs: bandRuns, LHS: true, Seed: 1, Vars: []string{name}}
			sum, err := st.Run(ctx, h.p, experiment.Options{Workers: 1})
			if err != nil {
				return err
			}
			bands = append(bands, chart.Band{Name: r.label, Times: sum.Times, Quantiles: sum.Quantiles, Values: sum.Values[0]})
		}
		names := make([]string, len(vary))
		for i, p := range vary {
			names[i] = labelOf(h.m, p.Name)
		}
		o := h.chartOptions(v, "How sure is this?")
		if !v.download {
			o.Width, o.Height = 7, 4.5
		} else {
			o.Subtitle = fmt.Sprintf("%d runs, uncertain: %s; %s", bandRuns, strings.Join(names, ", "), v.describe())
		}
		c, err := chart.Bands(bands, chart.Vars(h.m, name)[0], o)
		if err != nil {
			return err
		}
		hd.Set("X-Uncertain", strings.Join(names, ", "))
		return writeChart(ctx, c, f, v, "bands", w, hd)
	}
}

// Serve listens on addr and serves h until ctx is done, saying on log
// where, and warning when addr is not on the loopback interface.
func Serve(ctx context.Context, addr string, h http.Handler, log io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("web: %w", err)
	}
	if !Loopback(addr) {
		fmt.Fprintf(log, "warning: %s is not a loopback address: anyone who can reach this machine on it can use the page\n", addr)
	}
	fmt.Fprintf(log, "serving the what-if page on http://%s/ (Ctrl-C stops)\n", ln.Addr())
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			srv.Shutdown(sctx)
		case <-done:
		}
	}()
	err = srv.Serve(ln)
	close(done)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Loopback reports whether a listening address (host:port) is on the
// loopback interface only: localhost or an address in 127.0.0.0/8 or
// ::1. An empty host listens on every interface.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
