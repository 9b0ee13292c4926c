package web

import (
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// The query keys that are not constants.
var reserved = map[string]bool{"vars": true, "compare": true, "scenario": true, "download": true,
	"best": true, "maximize": true, "minimize": true, "at": true}

// maxCompare bounds the runs a view compares with its what-if.
const maxCompare = 12

// baseline is the name by which a view compares with the model as written.
const baseline = "baseline"

// view is a parsed query: what to run and what to show.
type view struct {
	vars      []string // as the model writes them
	varsGiven bool
	whatIf    sim.Scenario
	from      string   // the scenario the what-if starts from, or ""
	set       []string // NAME=VALUE of the settings, in query order, for titles
	compare   []string // baseline or scenario names, as the model writes them
	scenarios map[string]sim.Scenario
	download  bool
	// best, maximize and minimize ask /api/optimize for the value of the
	// constant best that makes a variable's final value largest or
	// smallest.
	best, maximize, minimize string
	// at is the time of the table's values (hasAt false: the end).
	at    float64
	hasAt bool
}

// namedRun is one run of a view.
type namedRun struct {
	label    string
	scenario sim.Scenario
}

// runs lists the view's runs: the what-if first, then those compared.
func (v *view) runs() []namedRun {
	out := []namedRun{{"what-if", v.whatIf}}
	for _, c := range v.compare {
		if c == baseline {
			out = append(out, namedRun{baseline, sim.Scenario{Name: baseline}})
			continue
		}
		out = append(out, namedRun{strings.ReplaceAll(c, "_", " "), v.scenarios[c]})
	}
	return out
}

// describe says how the what-if differs from the model as written.
func (v *view) describe() string {
	var parts []string
	if v.from != "" {
		parts = append(parts, "from "+strings.ReplaceAll(v.from, "_", " "))
	}
	parts = append(parts, v.set...)
	if len(parts) == 0 {
		return "what-if: the model as written"
	}
	return "what-if: " + strings.Join(parts, ", ")
}

// list splits a comma-separated query value.
func list(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// parse reads a query into a view, or says what is wrong with it.
func (h *Handler) parse(q url.Values) (*view, *apiError) {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if len(q[k]) > 1 {
			return nil, badParam(k, "%q is given %d times", k, len(q[k]))
		}
	}
	v := &view{scenarios: make(map[string]sim.Scenario)}
	v.download = q.Get("download") != ""
	v.best, v.maximize, v.minimize = q.Get("best"), q.Get("maximize"), q.Get("minimize")
	if s, ok := q["at"]; ok && strings.TrimSpace(s[0]) != "" {
		t := h.p.Time()
		x, err := strconv.ParseFloat(strings.TrimSpace(s[0]), 64)
		if err != nil || !(x >= t.Start && x <= t.Stop) {
			return nil, badParam("at", "at: expected a time from %g to %g but found %q", t.Start, t.Stop, s[0])
		}
		v.at, v.hasAt = x, true
	}

	if s, ok := q["vars"]; ok {
		v.vars, v.varsGiven = list(s[0]), true
		if len(v.vars) == 0 {
			return nil, badParam("vars", "vars names no variable")
		}
	} else {
		v.vars = h.o.Vars
	}
	names, err := h.p.Columns(sim.Scenario{Vars: v.vars})
	if err != nil {
		return nil, badParam("vars", "%s", strings.TrimPrefix(err.Error(), "sim: "))
	}
	v.vars = names

	if s := q.Get("scenario"); s != "" {
		sc, err := h.p.Scenario(s)
		if err != nil {
			return nil, badParam("scenario", "%s", strings.TrimPrefix(err.Error(), "sim: "))
		}
		v.whatIf, v.from = sc, h.m.Scenario(s).Name
	}
	for _, c := range list(q.Get("compare")) {
		if model.Canonical(c) == baseline {
			v.compare = append(v.compare, baseline)
			continue
		}
		sc, err := h.p.Scenario(c)
		if err != nil {
			return nil, badParam("compare", "%s", strings.TrimPrefix(err.Error(), "sim: "))
		}
		name := h.m.Scenario(c).Name
		v.compare = append(v.compare, name)
		v.scenarios[name] = sc
	}
	if len(v.compare) > maxCompare {
		return nil, badParam("compare", "compare names %d runs; the limit is %d", len(v.compare), maxCompare)
	}

	set := make(map[string]float64)
	seen := make(map[string]string)
	for _, k := range keys {
		if reserved[k] {
			continue
		}
		i, ok := h.byName[model.Canonical(k)]
		if !ok {
			if mv := varOf(h.m, k); mv != nil {
				if mv.Kind == model.Stock {
					return nil, badParam(k, "%q is a stock, not a constant", k)
				}
				if h.p.Check(sim.Scenario{Set: map[string]float64{k: 0}}) == nil {
					return nil, badParam(k, "%q is computed from other constants; set those instead", k)
				}
				return nil, badParam(k, "%q is not a constant (its value changes during a run)", k)
			}
			names := make([]string, len(h.consts))
			for j, c := range h.consts {
				names[j] = c.Name
			}
			return nil, badParam(k, "unknown constant %q%s", k, model.DidYouMean(k, names))
		}
		c := h.consts[i]
		if prev, dup := seen[c.Name]; dup {
			return nil, badParam(k, "%q and %q set the same constant, %q", prev, k, c.Name)
		}
		seen[c.Name] = k
		text := strings.TrimSpace(q[k][0])
		x, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, badParam(k, "%s: expected a finite number but found %q", c.Name, q[k][0])
		}
		if c.rng != nil && !c.rng.Contains(x) {
			return nil, badParam(k, "%s = %s is outside its range %s", c.Name, text, c.rng)
		}
		set[c.Name] = x
		v.set = append(v.set, c.Label+" = "+strconv.FormatFloat(x, 'g', 6, 64))
	}
	v.whatIf = v.whatIf.WithSet(set)
	v.whatIf.Name = "what-if"
	return v, nil
}
