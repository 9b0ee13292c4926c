package main

import (
	"context"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/chart"
	"github.com/stockflow/stockflow/sim/experiment"
)

//go:embed segments.yaml
var embeddedSegments []byte

// The decisions of the segment model: customer-success dollars per
// mid-market and per enterprise account, as multiples of those per
// small-business account.
var segmentWeights = []string{"mid_market_cs_weight", "enterprise_cs_weight"}

const (
	segmentDim       = "segment"
	chartSegments    = "segments.png"
	maxSegmentWeight = 100
)

// segmentStudy compares ways of allocating the customer-success spend
// across the segments of the segment model.
type segmentStudy struct {
	m           *model.Model
	p           *sim.Program
	segments    []string
	allocations []allocation
}

// allocation is one way of spreading the customer-success spend: its
// weights (mid-market, enterprise; small business is 1) and its run.
type allocation struct {
	name    string
	weights []float64
	res     *sim.Result
}

// loadSegments reads the segment model file, or the embedded one when it
// is "".
func loadSegments(file string) (*model.Model, error) {
	if file == "" {
		return model.Load("segments.yaml", embeddedSegments)
	}
	return model.LoadFile(file)
}

func newSegmentStudy(m *model.Model) (*segmentStudy, error) {
	p, err := sim.Compile(m)
	if err != nil {
		return nil, err
	}
	d := m.Dimension(segmentDim)
	if d == nil || len(d.Elements) != 3 {
		return nil, fmt.Errorf("%s: the segment model needs a dimension %q of three elements (small business, mid-market, enterprise)", m.File, segmentDim)
	}
	return &segmentStudy{m: m, p: p, segments: d.Elements}, nil
}

func (ss *segmentStudy) set(w []float64) map[string]float64 {
	set := make(map[string]float64)
	for i, n := range segmentWeights {
		set[n] = w[i]
	}
	return set
}

// compare runs the spend spread by head-count, spread in proportion to
// each segment's list price (the dollars each account pays), and spread
// by the weights that maximise five-year cumulative profit.
func (ss *segmentStudy) compare() error {
	base, err := ss.p.Run(sim.Scenario{})
	if err != nil {
		return err
	}
	price := func(i int) float64 {
		return final(base, model.ElementName("list_price", ss.segments[i])) // a constant
	}
	op := experiment.Optimization{
		Vary: []experiment.Bound{{Name: segmentWeights[0], Low: 0, High: maxSegmentWeight},
			{Name: segmentWeights[1], Low: 0, High: maxSegmentWeight}},
		Payoff: experiment.Payoff{Var: "cumulative_profit", At: experiment.Final, Maximize: true},
		Starts: 3,
	}
	best, err := op.Run(context.Background(), ss.p, experiment.Options{})
	if err != nil {
		return fmt.Errorf("optimising the customer-success weights: %w", err)
	}
	ss.allocations = []allocation{
		{name: "by_headcount", weights: []float64{1, 1}},
		{name: "by_revenue", weights: []float64{price(1) / price(0), price(2) / price(0)}},
		{name: "optimal", weights: best.Values},
	}
	for i, a := range ss.allocations {
		res, err := ss.p.Run(sim.Scenario{Name: a.name, Set: ss.set(a.weights)})
		if err != nil {
			return fmt.Errorf("allocation %s: %w", a.name, err)
		}
		ss.allocations[i].res = res
	}
	return nil
}

// figure returns an element's final value: name[segment] at month 60.
func (a allocation) figure(name, segment string) float64 {
	return final(a.res, model.ElementName(name, segment))
}

// weight returns the allocation's weight of a segment (small business 1).
func (a allocation) weight(i int) float64 {
	if i == 0 {
		return 1
	}
	return a.weights[i-1]
}

func (a allocation) display() string {
	switch a.name {
	case "by_headcount":
		return "by head-count"
	case "by_revenue":
		return fmt.Sprintf("by revenue (1 : %.0f : %.0f)", a.weights[0], a.weights[1])
	}
	return fmt.Sprintf("by the optimal weights (1 : %.1f : %.0f)", a.weights[0], a.weights[1])
}

// segmentColumns are the figures segments.csv and the table report per
// segment, read at month 60.
var segmentColumns = []struct{ name, v string }{
	{"cs_dollar_share_m60", "cs_allocation"},
	{"cs_per_customer_m60", "cs_per_customer"},
	{"customers_m60", "customers"},
	{"happiness_m60", "customer_happiness"},
	{"mrr_m60", "mrr"},
	{"cumulative_profit_m60", "segment_cumulative_profit"},
}

func (ss *segmentStudy) print(w io.Writer) {
	fmt.Fprintf(w, "\nWhere the dollars go (segments.yaml, %.0f%% of the budget on customer success), at month 60:\n\n",
		100*final(ss.allocations[0].res, "cs_share"))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "allocation\tsegment\tCS weight\tshare of CS $\tCS per account\tcustomers\thappiness\tMRR\tprofit m60\t")
	for _, a := range ss.allocations {
		for i, s := range ss.segments {
			fmt.Fprintf(tw, "%s\t%s\t%.1f\t%.0f%%\t%s\t%.0f\t%.2f\t%s\t%s\t\n", a.name, s, a.weight(i),
				100*a.figure("cs_allocation", s), money(a.figure("cs_per_customer", s)), a.figure("customers", s),
				a.figure("customer_happiness", s), money(a.figure("mrr", s)), money(a.figure("segment_cumulative_profit", s)))
		}
	}
	tw.Flush()
	hc := final(ss.allocations[0].res, "cumulative_profit")
	for _, a := range ss.allocations {
		p := final(a.res, "cumulative_profit")
		fmt.Fprintf(w, "Spread %s the business earns %s in five years", a.display(), money(p))
		if a.name != "by_headcount" {
			fmt.Fprintf(w, " (%s more than by head-count)", money(p-hc))
		}
		fmt.Fprintln(w, ".")
	}
}

// write writes segments.csv: one row per allocation and segment.
func (ss *segmentStudy) write(dir string) error {
	f, err := os.Create(filepath.Join(dir, "segments.csv"))
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	header := []string{"allocation", "segment", "cs_weight"}
	for _, c := range segmentColumns {
		header = append(header, c.name)
	}
	w.Write(header)
	for _, a := range ss.allocations {
		for i, s := range ss.segments {
			rec := []string{a.name, s, strconv.FormatFloat(a.weight(i), 'g', 6, 64)}
			for _, c := range segmentColumns {
				rec = append(rec, strconv.FormatFloat(a.figure(c.v, s), 'g', 8, 64))
			}
			w.Write(rec)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// chart charts customers and cumulative profit of each segment under each
// allocation.
func (ss *segmentStudy) chart() (*chart.Chart, error) {
	var runs []chart.Run
	for _, a := range ss.allocations {
		runs = append(runs, chart.Run{Name: a.display(), Result: a.res})
	}
	var vars []chart.Var
	for _, v := range []struct{ name, label, units string }{{"customers", "Customers", "accounts"}, {"segment_cumulative_profit", "Profit", "$"}} {
		for _, s := range ss.segments {
			label := map[string]string{"smb": "small business", "mid_market": "mid-market"}[s]
			if label == "" {
				label = strings.ReplaceAll(s, "_", " ")
			}
			vars = append(vars, chart.Var{Name: model.ElementName(v.name, s), Label: v.label + ", " + label, Units: v.units})
		}
	}
	return chart.SmallMultiples(runs, vars, chart.Options{
		Title:     "Where the customer-success dollars go",
		Subtitle:  "Customers and cumulative profit by segment, as the CS spend is spread; weights are CS dollars per account, small business : mid-market : enterprise",
		TimeUnits: ss.m.Time.Units, Columns: 3, Width: 10, Height: 6.5})
}
