package loops

import (
	"fmt"
	"math"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
)

// Evidence is what decided a loop's polarity.
type Evidence int

// The kinds of evidence, from the strongest: what holds for every run to
// what was seen in one.
const (
	// FromStructure: the equations alone, whatever the run.
	FromStructure Evidence = iota
	// FromRanges: the equations over the ranges of values the
	// variables take in a run.
	FromRanges
	// FromRun: the sign of the loop's score at every step of a run.
	FromRun
)

var evidenceText = [...]string{FromStructure: "structure", FromRanges: "ranges", FromRun: "run"}

// String returns "structure", "ranges" or "run".
func (e Evidence) String() string {
	if e >= 0 && int(e) < len(evidenceText) {
		return evidenceText[e]
	}
	return fmt.Sprintf("Evidence(%d)", int(e))
}

// MarshalText implements encoding.TextMarshaler.
func (e Evidence) MarshalText() ([]byte, error) {
	if e < 0 || int(e) >= len(evidenceText) {
		return nil, fmt.Errorf("loops: invalid evidence %d", int(e))
	}
	return []byte(e.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (e *Evidence) UnmarshalText(b []byte) error {
	for q, s := range evidenceText {
		if string(b) == s {
			*e = Evidence(q)
			return nil
		}
	}
	return fmt.Errorf("loops: unknown evidence %q (expected structure, ranges or run)", b)
}

// quiet is the relative score below which a loop's score counts as zero
// when its sign over a run is read: smaller shares are rounding noise.
const quiet = 1e-9

// Decide runs the program under a scenario and settles the polarity of the
// loops that the structure leaves undetermined (found as Graph.Loops gives
// them, for the program's model), in two steps:
//
//   - ranges: each unknown link is analysed again with every variable
//     known to stay within the range of values it takes in the run
//     (interval arithmetic over the equation); a loop whose links all
//     get a polarity is FromRanges;
//   - the run: a loop still undetermined whose score is positive at every
//     step of the run where it is not zero is reinforcing, one whose score
//     is negative there is balancing (FromRun); one whose score changes
//     sign is Changing, with the times of the changes, its phases and a
//     Note saying when and through which link; one that never scores
//     stays Undetermined, with a Note saying so.
//
// Loops decided by the structure keep their polarity. Decide returns the
// loops renumbered in the order Graph.Loops uses (the model's names kept),
// and their scores over the run, computed once for both.
func (g *Graph) Decide(p *sim.Program, s sim.Scenario, found []*Loop) ([]*Loop, *Scores, error) {
	if _, err := p.Columns(s); err != nil {
		return nil, nil, err
	}
	p, err := g.program(p)
	if err != nil {
		return nil, nil, err
	}
	tr, err := p.Trace(s)
	if err != nil {
		return nil, nil, err
	}
	ranges := traceRanges(p, tr)
	a := newAnalysis(g.parsed, g.vars, ranges)
	for _, l := range found {
		if l.key == nil {
			for _, v := range l.Variables {
				l.key = append(l.key, model.Canonical(v))
			}
		}
		if l.Kind != Undetermined {
			continue
		}
		l.Scenario = s.Name
		l.Evidence = FromRanges
		for j, pol := range l.Links {
			if pol != Unknown {
				continue
			}
			z := g.vars[l.key[(j+1)%len(l.key)]]
			if z == nil || z.Kind == model.Stock {
				continue
			}
			a.reset()
			l.Links[j] = a.link(l.key[j], z)
		}
		l.Kind = kindOf(l.Links)
	}
	sc, lsc, err := scoreTrace(p, s, tr, found)
	if err != nil {
		return nil, nil, err
	}
	for j, l := range found {
		if l.Kind != Undetermined {
			continue
		}
		l.Evidence = FromRun
		l.Kind, l.Changes, l.Phases, l.Note = fromRun(sc.Times, sc.Relative[j])
		if l.Kind != Undetermined && l.Kind != Changing {
			continue
		}
		// Say which links leave the loop undetermined, and how their
		// signs go in the run.
		var why []string
		l.unknown = ""
		l.changing = make([]bool, len(l.Links))
		for n, pol := range l.Links {
			if pol != Unknown {
				continue
			}
			link := l.Variables[n] + " -> " + l.Variables[(n+1)%len(l.Variables)]
			l.unknown += link + "\x00"
			changes, spans := signSpans(sc.Times, lsc.Score[lsc.Links[j][n]], 0, "+", "-")
			l.changing[n] = len(changes) > 0
			if len(spans) == 0 {
				why = append(why, link+" never scores")
				continue
			}
			why = append(why, link+" is "+joinSpans(spans))
		}
		l.Note += "; the link " + strings.Join(why, "; the link ")
	}
	sorted := number(found)
	at := make(map[*Loop]int, len(found))
	for j, l := range found {
		at[l] = j
	}
	out := &Scores{Times: sc.Times, Loops: sorted}
	for _, l := range sorted {
		out.Score = append(out.Score, sc.Score[at[l]])
		out.Relative = append(out.Relative, sc.Relative[at[l]])
	}
	out.dominance()
	return sorted, out, nil
}

// traceRanges is the range of values each variable of the model (by
// canonical name) takes at the steps of a trace.
func traceRanges(p *sim.Program, tr *sim.Trace) map[string]Range {
	out := make(map[string]Range)
	for i, n := range p.Nodes() {
		if n.Hidden {
			continue
		}
		r := Range{math.Inf(1), math.Inf(-1)}
		for _, x := range tr.Series(i) {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				r = Range{math.Inf(1), math.Inf(-1)}
				break
			}
			r.Lo, r.Hi = math.Min(r.Lo, x), math.Max(r.Hi, x)
		}
		if r.Lo <= r.Hi {
			out[model.Canonical(n.Name)] = r
		}
	}
	return out
}

// fromRun is the kind of a loop from the signs of its relative scores
// over a run: R or B when they keep one sign, Changing when they change
// sign, with the saved times at which they do and the kinds in between,
// and Undetermined when they are all zero; with a note for a loop that is
// Changing or Undetermined.
func fromRun(times, rel []float64) (Kind, []float64, []Kind, string) {
	changes, spans := signSpans(times, rel, quiet, "R", "B")
	switch {
	case len(spans) == 0:
		return Undetermined, nil, nil, "inactive: its score is 0 throughout the run"
	case len(changes) == 0 && strings.HasPrefix(spans[0], "R"):
		return Reinforcing, nil, nil, ""
	case len(changes) == 0:
		return Balancing, nil, nil, ""
	}
	phases := make([]Kind, len(changes)+1)
	phases[0] = Balancing
	if strings.HasPrefix(spans[0], "R") {
		phases[0] = Reinforcing
	}
	for i := 1; i < len(phases); i++ {
		phases[i] = Reinforcing + Balancing - phases[i-1]
	}
	return Changing, changes, phases, "changes sign: " + joinSpans(spans)
}

// signSpans describes the stretches of a run over which a series keeps
// one sign, ignoring values within tol of zero, as "pos from t=1 to 5" and
// "neg from t=5": and the times at which the sign changes.
func signSpans(times, xs []float64, tol float64, pos, neg string) (changes []float64, spans []string) {
	sign := 0
	start := 0.0
	name := func(sg int) string {
		if sg > 0 {
			return pos
		}
		return neg
	}
	for i := 1; i < len(times); i++ {
		x := xs[i]
		if math.IsNaN(x) || math.Abs(x) <= tol {
			continue
		}
		sg := 1
		if x < 0 {
			sg = -1
		}
		switch {
		case sign == 0:
			sign, start = sg, times[i]
		case sg != sign:
			spans = append(spans, fmt.Sprintf("%s from t=%g to %g", name(sign), start, times[i]))
			changes = append(changes, times[i])
			sign, start = sg, times[i]
		}
	}
	if sign != 0 {
		spans = append(spans, fmt.Sprintf("%s from t=%g", name(sign), start))
	}
	return changes, spans
}

// joinSpans lists sign spans, the first three of a long list.
func joinSpans(spans []string) string {
	if len(spans) > 4 {
		return fmt.Sprintf("%s, ... (%d changes of sign)", strings.Join(spans[:3], ", "), len(spans)-1)
	}
	return strings.Join(spans, ", ")
}
