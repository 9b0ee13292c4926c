package experiment_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/experiment"
)

// compileModel loads and compiles a model held in a string.
func compileModel(src string) *sim.Program {
	m, err := model.Load("model.yaml", []byte(src))
	if err != nil {
		log.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	return p
}

// Ensemble runs scenarios side by side, on every core, and returns their
// results in the order given: here two ways to spend one budget, mostly
// on winning customers or mostly on keeping them.
func ExampleEnsemble() {
	p := compileModel(`
time: {stop: 36, dt: 0.25, save_every: 1, units: month}
stocks:
  customers: {initial: 200, inflows: [signups], outflows: [churn]}
flows:
  signups: budget * (1 - retention_share) / acquisition_cost
  churn: customers * 0.1 * (1 - retention_share)^2
auxiliaries:
  budget: 40000
  acquisition_cost: 400
  retention_share: 0.2
`)
	scenarios := []sim.Scenario{
		{Name: "acquisition", Set: map[string]float64{"retention_share": 0.1}},
		{Name: "retention", Set: map[string]float64{"retention_share": 0.5}},
	}
	results, err := experiment.Ensemble(context.Background(), p, scenarios, experiment.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for i, res := range results {
		half, err := res.At("customers", 6)
		if err != nil {
			log.Fatal(err)
		}
		final, err := res.Final("customers")
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-11s after 6 months %4.0f, after 3 years %4.0f\n", scenarios[i].Name, half, final)
	}
	// Output:
	// acquisition after 6 months  553, after 3 years 1063
	// retention   after 6 months  451, after 3 years 1270
}

// A Sensitivity study draws uncertain constants from distributions and
// gives percentiles of the variables at each saved time: the seed makes
// it reproducible, whatever the number of cores.
func ExampleSensitivity() {
	p := compileModel(`
time: {stop: 30, dt: 0.125, save_every: 10, units: minute}
stocks:
  teacup_temperature: {initial: 180, outflows: [heat_loss_to_room]}
flows:
  heat_loss_to_room: (teacup_temperature - room_temperature) / characteristic_time
auxiliaries:
  room_temperature: 70
  characteristic_time: 10
`)
	ct, err := experiment.Uniform(5, 15)
	if err != nil {
		log.Fatal(err)
	}
	room, err := experiment.ParseDist("triangular(60, 70, 80)")
	if err != nil {
		log.Fatal(err)
	}
	study := experiment.Sensitivity{
		Vary: []experiment.Param{
			{Name: "characteristic_time", Dist: ct},
			{Name: "room_temperature", Dist: room},
		},
		Runs:      200,
		LHS:       true,
		Seed:      1,
		Vars:      []string{"teacup_temperature"},
		Quantiles: []float64{0.05, 0.5, 0.95},
	}
	sum, err := study.Run(context.Background(), p, experiment.Options{})
	if err != nil {
		log.Fatal(err)
	}
	var temp [3][]float64
	for k, q := range sum.Quantiles {
		if temp[k], err = sum.Series("teacup_temperature", q); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("%d runs\n", sum.Runs)
	for i, t := range sum.Times {
		fmt.Printf("t=%2g: 5%% %5.1f  median %5.1f  95%% %5.1f\n", t, temp[0][i], temp[1][i], temp[2][i])
	}
	// Output:
	// 200 runs
	// t= 0: 5% 180.0  median 180.0  95% 180.0
	// t=10: 5%  87.6  median 110.3  95% 125.2
	// t=20: 5%  71.2  median  85.1  95%  98.3
	// t=30: 5%  67.7  median  75.7  95%  85.6
}

// An Optimization chooses constants within bounds to make a payoff as
// large (or as small) as it can: here the price that earns the most
// when demand falls as the price rises. The answer is known in closed
// form: profit (price − 20)·(1000 − 10·price) is largest at a price of 60.
func ExampleOptimization() {
	p := compileModel(`
time: {stop: 12, units: month}
stocks:
  cumulative_profit: {initial: 0, inflows: [profit]}
flows:
  profit: (price - unit_cost) * demand
auxiliaries:
  demand: MAX(0, 1000 - 10 * price)
  price: 30
  unit_cost: 20
`)
	study := experiment.Optimization{
		Vary:   []experiment.Bound{{Name: "price", Low: 20, High: 100}},
		Payoff: experiment.Payoff{Var: "cumulative_profit", At: experiment.Final, Maximize: true},
		Seed:   1,
	}
	best, err := study.Run(context.Background(), p, experiment.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("price %.2f earns %.0f a year\n", best.Values[0], best.Payoff)
	// Output:
	// price 60.00 earns 192000 a year
}

// A Calibration fits constants so that the model follows observed data:
// here the lifetime of a decaying stock, from observations made every
// other year (100·0.8^t, which Euler's method gives for a lifetime of 5).
func ExampleCalibration() {
	p := compileModel(`
time: {stop: 10, dt: 1}
stocks:
  amount: {initial: 100, outflows: [decay]}
flows:
  decay: amount / lifetime
auxiliaries:
  lifetime: 2
`)
	data, err := experiment.ReadData("observed.csv", strings.NewReader(`time,amount
0,100
2,64
4,40.96
6,26.2144
8,16.777216
10,10.73741824
`))
	if err != nil {
		log.Fatal(err)
	}
	study := experiment.Calibration{
		Vary: []experiment.Bound{{Name: "lifetime", Low: 1, High: 20}},
		Data: data,
		Seed: 1,
	}
	fit, err := study.Run(context.Background(), p, experiment.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("lifetime %.3f\n", fit.Values[0])
	for _, v := range fit.Vars {
		fmt.Printf("%s: %d points, R² %.4f\n", v.Name, v.Points, v.R2)
	}
	// Output:
	// lifetime 5.000
	// amount: 6 points, R² 1.0000
}

// A study too big for one machine runs in shards, anywhere: each process
// makes its share of the runs (RunShard) and writes a Part (WritePart);
// Merge joins the parts, in any order, into the study's answer. Up to
// Exact runs, the merged percentiles are exactly those of one process.
func ExampleMerge() {
	p := compileModel(`
time: {stop: 30, dt: 0.125, save_every: 30, units: minute}
stocks:
  teacup_temperature: {initial: 180, outflows: [heat_loss_to_room]}
flows:
  heat_loss_to_room: (teacup_temperature - 70) / characteristic_time
auxiliaries:
  characteristic_time: 10
`)
	ct, err := experiment.Uniform(5, 15)
	if err != nil {
		log.Fatal(err)
	}
	study := experiment.Sensitivity{
		Vary:      []experiment.Param{{Name: "characteristic_time", Dist: ct}},
		Runs:      300,
		Seed:      7,
		Vars:      []string{"teacup_temperature"},
		Quantiles: []float64{0.1, 0.5, 0.9},
		ModelID:   "teacup v1",
	}
	ctx := context.Background()
	var files []*bytes.Buffer // the parts, as files a cluster's jobs would write
	for i := 2; i >= 0; i-- {
		part, err := study.RunShard(ctx, p, experiment.Shard{Index: i, Count: 3}, experiment.Options{})
		if err != nil {
			log.Fatal(err)
		}
		var f bytes.Buffer
		if err := experiment.WritePart(&f, part); err != nil {
			log.Fatal(err)
		}
		files = append(files, &f)
	}
	var parts []*experiment.Part
	for i, f := range files {
		part, err := experiment.ReadPart(fmt.Sprintf("part-%d.summary", i), f.Bytes())
		if err != nil {
			log.Fatal(err)
		}
		parts = append(parts, part)
	}
	merged, err := experiment.Merge(parts...)
	if err != nil {
		log.Fatal(err)
	}
	sum, err := merged.Summary()
	if err != nil {
		log.Fatal(err)
	}
	whole, err := study.Run(ctx, p, experiment.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for k, q := range sum.Quantiles {
		fmt.Printf("quantile %.1f at 30 minutes: shards %.2f, one process %.2f\n",
			q, sum.Values[0][k][1], whole.Values[0][k][1])
	}
	// Output:
	// quantile 0.1 at 30 minutes: shards 70.78, one process 70.78
	// quantile 0.5 at 30 minutes: shards 75.64, one process 75.64
	// quantile 0.9 at 30 minutes: shards 82.82, one process 82.82
}
