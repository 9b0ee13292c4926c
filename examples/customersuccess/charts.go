package main

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/chart"
	"github.com/stockflow/stockflow/sim/experiment"
)

// The charts the study writes, by file name.
const (
	chartCompare   = "compare.png"
	chartQuadrant  = "quadrant.png"
	chartLoops     = "loop_dominance.png"
	chartBands     = "profit_bands.png"
	chartCLD       = "loops.png"
	shownLoops     = 8 // the loops the dominance chart names (as many as have colours); the rest are summed
	baselineSplit  = "balanced"
	uncertainRuns  = 400
	uncertainSeed  = 2026
	quadrantMargin = 650 // $/account/month: list price less cost to serve and adequate service
)

func (st *study) runs() []chart.Run {
	out := make([]chart.Run, len(st.rows))
	for i, r := range st.rows {
		out[i] = chart.Run{Name: display(r), Result: r.res}
	}
	return out
}

// display names a row on charts: "balanced (30%)".
func display(r row) string {
	if r.name == "optimal" {
		return fmt.Sprintf("optimal (%.1f%%)", 100*r.share)
	}
	return fmt.Sprintf("%s (%.0f%%)", strings.ReplaceAll(r.name, "_", " "), 100*r.share)
}

// writeCharts writes every chart into dir and returns the files written.
func (st *study) writeCharts(dir string) ([]string, error) {
	var files []string
	save := func(c *chart.Chart, err error, name string) error {
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		path := filepath.Join(dir, name)
		if err := c.Save(path); err != nil {
			return err
		}
		files = append(files, path)
		return nil
	}
	tu := st.m.Time.Units
	runs := st.runs()

	vars := chart.Vars(st.m, "customers", "mrr", "customer_happiness", "cumulative_profit")
	vars[1].Label = "MRR"
	c, err := chart.SmallMultiples(runs, vars,
		chart.Options{Title: "The same budget, split five ways", Subtitle: "Share of the budget on customer success; the optimal line covers the 50% one", TimeUnits: tu, Height: 6})
	if err := save(c, err, chartCompare); err != nil {
		return nil, err
	}

	marks := []float64{0, 12, 24, 36, 48, 60}
	c, err = chart.Phase(runs, chart.Var{Name: "customer_happiness", Label: "customer happiness"}, chart.Var{Name: "profit_per_customer", Label: "profit per customer", Units: "$/account/month"},
		chart.Options{
			Title:    "Customer happiness and company happiness",
			Subtitle: "Each split's path over five years; dots every 12 months",
			Marks:    marks,
			Quadrants: &chart.Quadrants{X0: 0.5, Y0: quadrantMargin,
				TopRight: "customer success", TopLeft: "work to keep", BottomRight: "work to keep", BottomLeft: "let go"},
		})
	if err := save(c, err, chartQuadrant); err != nil {
		return nil, err
	}

	ls, cld, err := st.loopScores(baselineSplit)
	if err == nil {
		c, err = chart.LoopDominance(ls, chart.Options{Title: "Which loops drive the business, and when",
			Subtitle: "Relative loop scores (Loops That Matter), " + strings.ReplaceAll(baselineSplit, "_", " ") + " split", TimeUnits: tu, Height: 6})
	}
	if err := save(c, err, chartLoops); err != nil {
		return nil, err
	}
	c, err = chart.LoopDiagram(cld, chart.Options{Title: "The feedback loops of the business",
		Subtitle: "The model's named loops; polarities from the equations, or from the run of the " + strings.ReplaceAll(baselineSplit, "_", " ") + " split"})
	if err := save(c, err, chartCLD); err != nil {
		return nil, err
	}

	c, err = st.splitChart()
	if err := save(c, err, chartSplit); err != nil {
		return nil, err
	}

	if len(st.uncertain) > 0 {
		bands, err := st.profitBands()
		if err == nil {
			c, err = chart.Bands(bands, chart.Var{Name: "cumulative_profit", Label: "cumulative profit", Units: "$"},
				chart.Options{Title: "Cumulative profit when the declared uncertainties are drawn",
					Subtitle: fmt.Sprintf("%d runs per split, Latin hypercube sample of %s", uncertainRuns, st.uncertainNames()), TimeUnits: tu})
		}
		if err := save(c, err, chartBands); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// loopScores scores every feedback loop over a run of the named split
// and keeps the shownLoops that explain most at their peak, summing the
// others by sign; and returns the causal loop diagram of the model's named
// loops, with the polarities the run decides.
func (st *study) loopScores(split string) (chart.LoopScores, chart.CLD, error) {
	var out chart.LoopScores
	g, err := loops.NewGraph(st.m)
	if err != nil {
		return out, chart.CLD{}, err
	}
	found, err := g.Loops(loops.DefaultLimit)
	if err != nil {
		return out, chart.CLD{}, err
	}
	sc, err := st.p.Scenario(split)
	if err != nil {
		return out, chart.CLD{}, err
	}
	found, scores, err := g.Decide(st.p, sc, found)
	if err != nil {
		return out, chart.CLD{}, err
	}
	var named []*loops.Loop
	for _, l := range found {
		if l.Name != "" {
			named = append(named, l)
		}
	}
	return chart.LoopScoresOf(scores, shownLoops+2), chart.CLDOf(g, named), nil
}

// uncertainParams returns the constants of the model that declare an
// uncertainty (`uncertainty:` in the model file), in the order of the
// file, as a study varies them: the robustness section draws from these
// and nothing else, so an edit to the model is an edit to the study.
func uncertainParams(m *model.Model) ([]experiment.Param, error) {
	var ps []experiment.Param
	for _, v := range m.Vars {
		if v.Uncertainty == nil {
			continue
		}
		d, err := experiment.DistOf(*v.Uncertainty)
		if err != nil {
			return nil, fmt.Errorf("%s: uncertainty of %s: %w", v.Pos, v.Name, err)
		}
		ps = append(ps, experiment.Param{Name: v.Name, Dist: d})
	}
	return ps, nil
}

// uncertainNames lists the uncertain constants as a sentence names them:
// "base churn rate, referral rate and acquisition cost".
func (st *study) uncertainNames() string {
	var names []string
	for _, p := range st.uncertain {
		names = append(names, st.m.Var(p.Name).DisplayName())
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// profitBands runs the sensitivity study of cumulative profit for the best
// and the worst split of the table.
func (st *study) profitBands() ([]chart.Band, error) {
	ps := st.uncertain
	best, worst := st.rows[0], st.rows[0]
	for _, r := range st.rows {
		if r.figures["cumulative_profit_m60"] > best.figures["cumulative_profit_m60"] {
			best = r
		}
		if r.figures["cumulative_profit_m60"] < worst.figures["cumulative_profit_m60"] {
			worst = r
		}
	}
	var bands []chart.Band
	for _, r := range []row{best, worst} {
		s := experiment.Sensitivity{
			Base: sim.Scenario{Set: map[string]float64{decision: r.share}},
			Vary: ps, Runs: uncertainRuns, LHS: true, Seed: uncertainSeed,
			Vars: []string{"cumulative_profit"},
		}
		sum, err := s.Run(context.Background(), st.p, experiment.Options{})
		if err != nil {
			return nil, err
		}
		bands = append(bands, chart.Band{Name: display(r), Times: sum.Times, Quantiles: sum.Quantiles, Values: sum.Values[0]}) // Vars holds cumulative_profit alone
	}
	return bands, nil
}

// robustness runs both splits under the same draws of the uncertain
// parameters and returns the share of draws in which a earns more
// five-year profit than b.
func (st *study) robustness(a, b float64) (float64, error) {
	ps := st.uncertain
	draws := experiment.Samples(ps, uncertainRuns, true, uncertainSeed)
	var scs []sim.Scenario
	for _, d := range draws {
		for _, share := range []float64{a, b} {
			set := map[string]float64{decision: share}
			for j, p := range ps {
				set[p.Name] = d[j]
			}
			scs = append(scs, sim.Scenario{Set: set, Vars: []string{"cumulative_profit"}})
		}
	}
	res, err := experiment.Ensemble(context.Background(), st.p, scs, experiment.Options{})
	if err != nil {
		return 0, err
	}
	wins := 0
	for i := 0; i < len(res); i += 2 {
		if final(res[i], "cumulative_profit") > final(res[i+1], "cumulative_profit") {
			wins++
		}
	}
	return float64(wins) / float64(len(draws)), nil
}

// optimumSpread finds the best split again under each of n draws of the
// uncertain parameters and returns the optimal shares, sorted: how much
// the answer depends on what is not known.
func (st *study) optimumSpread(n int) ([]float64, error) {
	ps := st.uncertain
	draws := experiment.Samples(ps, n, true, uncertainSeed+1)
	shares := make([]float64, n)
	errs := make(chan error, n)
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, d := range draws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			set := make(map[string]float64)
			for j, p := range ps {
				set[p.Name] = d[j]
			}
			op := experiment.Optimization{
				Base:   sim.Scenario{Set: set},
				Vary:   []experiment.Bound{{Name: decision, Low: 0, High: 1}},
				Payoff: experiment.Payoff{Var: "cumulative_profit", At: experiment.Final, Maximize: true},
				Starts: 1,
			}
			best, err := op.Run(context.Background(), st.p, experiment.Options{Workers: 1})
			if err != nil {
				errs <- err
				return
			}
			shares[i] = best.Values[0]
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	slices.Sort(shares)
	return shares, nil
}
