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

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/experiment"
)

// decision is the constant the study varies: the share of the budget that
// goes to customer success.
const decision = "cs_share"

// The split scenarios of the model file, in the order they are shown.
var splits = []string{"acquisition_heavy", "balanced", "success_heavy", "success_first"}

// study holds the compiled model and the runs compared.
type study struct {
	m       *model.Model
	p       *sim.Program
	rows    []row
	optimum *experiment.Optimum // the split that maximises five-year profit
	// uncertain are the constants the model declares uncertain, as the
	// robustness section draws them.
	uncertain []experiment.Param
	// policies are the best constant and time-varying splits, for profit
	// and for NPV.
	policies []policy
}

// row is one scenario's run and the figures the summary reports.
type row struct {
	name    string
	share   float64
	res     *sim.Result
	figures map[string]float64
}

// columns are the summary's columns after scenario and cs_share: a variable
// and the month at which it is read.
var columns = []struct {
	name  string
	v     string
	month float64
}{
	{"customers_m6", "customers", 6},
	{"customers_m60", "customers", 60},
	{"mrr_m60", "mrr", 60},
	{"happiness_m60", "customer_happiness", 60},
	{"cumulative_profit_m12", "cumulative_profit", 12},
	{"cumulative_profit_m60", "cumulative_profit", 60},
	{"customer_lifetime_value", "customer_lifetime_value", 60},
}

func newStudy(m *model.Model) (*study, error) {
	p, err := sim.Compile(m)
	if err != nil {
		return nil, err
	}
	ps, err := uncertainParams(m)
	if err != nil {
		return nil, err
	}
	return &study{m: m, p: p, uncertain: ps}, nil
}

// runShare runs the model with the given share to customer success.
func (st *study) runShare(name string, share float64) (row, error) {
	res, err := st.p.Run(sim.Scenario{Name: name, Set: map[string]float64{decision: share}})
	if err != nil {
		return row{}, fmt.Errorf("scenario %s: %w", name, err)
	}
	r := row{name: name, share: share, res: res, figures: make(map[string]float64)}
	for _, c := range columns {
		v, err := res.At(c.v, c.month)
		if err != nil {
			return row{}, err
		}
		r.figures[c.name] = v
	}
	return r, nil
}

// compare runs the split scenarios of the model file, then finds the split
// that maximises cumulative profit at the final month and runs it as the
// row "optimal".
func (st *study) compare() error {
	for _, name := range splits {
		sc, err := st.p.Scenario(name)
		if err != nil {
			return err
		}
		share, ok := sc.Set[decision]
		if !ok {
			return fmt.Errorf("scenario %s does not set %s", name, decision)
		}
		r, err := st.runShare(name, share)
		if err != nil {
			return err
		}
		st.rows = append(st.rows, r)
	}
	op := experiment.Optimization{
		Vary:   []experiment.Bound{{Name: decision, Low: 0, High: 1}},
		Payoff: experiment.Payoff{Var: "cumulative_profit", At: experiment.Final, Maximize: true},
	}
	best, err := op.Run(context.Background(), st.p, experiment.Options{})
	if err != nil {
		return fmt.Errorf("optimising %s: %w", decision, err)
	}
	st.optimum = best
	r, err := st.runShare("optimal", best.Values[0])
	if err != nil {
		return err
	}
	st.rows = append(st.rows, r)
	return nil
}

// final returns a variable's final value. The names are the embedded
// models', so a name a result does not hold is a mistake in this program.
func final(res *sim.Result, name string) float64 {
	x, err := res.Final(name)
	if err != nil {
		panic(err)
	}
	return x
}

func (st *study) printTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tCS share\tcustomers m6\tcustomers m60\tMRR m60\thappiness m60\tprofit m12\tprofit m60\tlifetime value\t")
	for _, r := range st.rows {
		f := r.figures
		fmt.Fprintf(tw, "%s\t%s%%\t%.0f\t%.0f\t%s\t%.2f\t%s\t%s\t%s\t\n", r.name, strconv.FormatFloat(100*r.share, 'g', 3, 64),
			f["customers_m6"], f["customers_m60"], money(f["mrr_m60"]), f["happiness_m60"],
			money(f["cumulative_profit_m12"]), money(f["cumulative_profit_m60"]), money(f["customer_lifetime_value"]))
	}
	tw.Flush()
}

// money prints dollars with a k or M suffix: $1.2M, −$518k.
func money(x float64) string {
	sign := ""
	if x < 0 {
		sign, x = "−", -x
	}
	switch {
	case x >= 999.5e3: // what would print as $1000k prints as $1.0M
		if x < 1e6 {
			x = 1e6
		}
		fallthrough
	case x >= 1e6:
		return sign + "$" + strconv.FormatFloat(x/1e6, 'f', 1, 64) + "M"
	case x >= 1e3:
		return sign + "$" + strconv.FormatFloat(x/1e3, 'f', 0, 64) + "k"
	}
	return sign + "$" + strconv.FormatFloat(x, 'f', 0, 64)
}

// writeSummary writes summary.csv.
func (st *study) writeSummary(dir string) error {
	f, err := os.Create(filepath.Join(dir, "summary.csv"))
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	header := []string{"scenario", "cs_share"}
	for _, c := range columns {
		header = append(header, c.name)
	}
	w.Write(header)
	for _, r := range st.rows {
		rec := []string{r.name, strconv.FormatFloat(r.share, 'g', 6, 64)}
		for _, c := range columns {
			rec = append(rec, strconv.FormatFloat(r.figures[c.name], 'g', 8, 64))
		}
		w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
