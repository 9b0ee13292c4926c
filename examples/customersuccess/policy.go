package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"

	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/chart"
	"github.com/stockflow/stockflow/sim/experiment"
)

// The constants of a time-varying split: the share of the budget on
// customer success before the shift month, and the month itself (cs_share
// is the share after it).
const (
	earlyShare = "early_cs_share"
	shiftMonth = "shift_month"
	chartSplit = "policy.png"
)

// payoffs are what the policies are optimised for: five-year cumulative
// profit, and its net present value at the model's discount rate.
var payoffs = []struct{ name, v string }{
	{"profit", "cumulative_profit"},
	{"npv", "npv"},
}

// policy is one split over time: a constant share (early == late, month
// 0), or a first-phase share, a later share and the switch month.
type policy struct {
	payoff, kind string // "profit" or "npv"; "constant" or "shifted"
	early, late  float64
	month        float64
	runs         int
	res          *sim.Result
	profit, npv  float64
	customers    float64
}

func (pl policy) scenario() sim.Scenario {
	return sim.Scenario{Name: pl.payoff + "_" + pl.kind,
		Set: map[string]float64{earlyShare: pl.early, decision: pl.late, shiftMonth: pl.month}}
}

// name is how a chart's legend names the policy.
func (pl policy) name() string {
	what := "profit"
	if pl.payoff == "npv" {
		what = "NPV"
	}
	if pl.kind == "constant" {
		return fmt.Sprintf("best constant for %s (%.0f%%)", what, 100*pl.late)
	}
	return fmt.Sprintf("best shift for %s (%.0f%% → %.0f%% at month %.0f)", what, 100*pl.early, 100*pl.late, pl.month)
}

// comparePolicies finds, for each payoff, the best constant split and the
// best time-varying one (first-phase share, later share, shift month) and
// runs them.
func (st *study) comparePolicies() error {
	for _, pf := range payoffs {
		payoff := experiment.Payoff{Var: pf.v, At: experiment.Final, Maximize: true}
		constant := experiment.Optimization{
			Vary:   []experiment.Bound{{Name: decision, Low: 0, High: 1}},
			Payoff: payoff,
		}
		shifted := experiment.Optimization{
			Vary: []experiment.Bound{{Name: earlyShare, Low: 0, High: 1}, {Name: decision, Low: 0, High: 1},
				{Name: shiftMonth, Low: 0, High: st.p.Time().Stop}},
			Payoff: payoff,
			Starts: 3,
		}
		var best *experiment.Optimum
		var err error
		if pf.name == "profit" && st.optimum != nil {
			best = st.optimum // found already for the table
		} else if best, err = constant.Run(context.Background(), st.p, experiment.Options{}); err != nil {
			return fmt.Errorf("optimising a constant split for %s: %w", pf.v, err)
		}
		c := policy{payoff: pf.name, kind: "constant", early: best.Values[0], late: best.Values[0], runs: best.Runs}
		best, err = shifted.Run(context.Background(), st.p, experiment.Options{})
		if err != nil {
			return fmt.Errorf("optimising a shifted split for %s: %w", pf.v, err)
		}
		s := policy{payoff: pf.name, kind: "shifted", early: best.Values[0], late: best.Values[1], month: best.Values[2], runs: best.Runs}
		for _, pl := range []policy{c, s} {
			res, err := st.p.Run(pl.scenario())
			if err != nil {
				return err
			}
			pl.res = res
			pl.profit, pl.npv, pl.customers = final(res, "cumulative_profit"), final(res, "npv"), final(res, "customers")
			st.policies = append(st.policies, pl)
		}
	}
	return nil
}

// policy returns the policy optimised for payoff of the kind given.
func (st *study) policy(payoff, kind string) policy {
	for _, pl := range st.policies {
		if pl.payoff == payoff && pl.kind == kind {
			return pl
		}
	}
	return policy{}
}

func (st *study) printPolicies(w io.Writer) {
	rate := 0.0
	if r, err := st.p.Run(sim.Scenario{Vars: []string{"annual_discount_rate"}}); err == nil {
		rate = final(r, "annual_discount_rate")
	}
	fmt.Fprintf(w, "\nWhen to shift: the best constant split against the best split that changes once\n(five-year cumulative profit, and its NPV at %.0f%% a year):\n\n", 100*rate)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "optimised for\tpolicy\tCS share first\tshift month\tCS share after\tcustomers m60\tprofit m60\tNPV m60\t")
	for _, pl := range st.policies {
		first, month := "—", "—"
		if pl.kind == "shifted" {
			first, month = fmt.Sprintf("%.0f%%", 100*pl.early), fmt.Sprintf("%.1f", pl.month)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.0f%%\t%.0f\t%s\t%s\t\n", pl.payoff, pl.kind, first, month, 100*pl.late,
			pl.customers, money(pl.profit), money(pl.npv))
	}
	tw.Flush()
	for _, pf := range payoffs {
		c, s := st.policy(pf.name, "constant"), st.policy(pf.name, "shifted")
		cv, sv := c.profit, s.profit
		if pf.name == "npv" {
			cv, sv = c.npv, s.npv
		}
		fmt.Fprintf(w, "For %s: %.0f%% to customer success until month %.0f, then %.0f%%, earns %s (%+.1f%%) more than a constant %.0f%%.\n",
			map[string]string{"profit": "profit", "npv": "NPV"}[pf.name], 100*s.early, s.month, 100*s.late, money(sv-cv), 100*(sv-cv)/cv, 100*c.late)
	}
}

// writePolicies writes policy.csv.
func (st *study) writePolicies(dir string) error {
	f, err := os.Create(filepath.Join(dir, "policy.csv"))
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"optimised_for", "policy", "early_cs_share", "shift_month", "cs_share", "customers_m60", "cumulative_profit_m60", "npv_m60", "runs"})
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 8, 64) }
	for _, pl := range st.policies {
		w.Write([]string{pl.payoff, pl.kind, g(pl.early), g(pl.month), g(pl.late), g(pl.customers), g(pl.profit), g(pl.npv), strconv.Itoa(pl.runs)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// splitChart charts the share of the budget on customer success over time
// under each policy, with the customers and the money it makes.
func (st *study) splitChart() (*chart.Chart, error) {
	var runs []chart.Run
	for _, pl := range st.policies {
		runs = append(runs, chart.Run{Name: pl.name(), Result: pl.res})
	}
	vars := chart.Vars(st.m, "current_cs_share", "customers", "cumulative_profit", "npv")
	return chart.SmallMultiples(runs, vars, chart.Options{Title: "When to shift the budget to customer success",
		Subtitle: "The best constant split against the best split that changes once, for profit and for NPV", TimeUnits: st.m.Time.Units, Height: 6.5})
}
