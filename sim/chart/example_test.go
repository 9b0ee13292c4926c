package chart_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"log"
	"os"
	"path/filepath"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/chart"
	"github.com/stockflow/stockflow/sim/experiment"
)

// TimeSeries draws variables over time for one or more runs; Save writes
// the chart as PNG, SVG or PDF, by the file's extension.
func ExampleTimeSeries() {
	m, err := model.Load("teacup.yaml", []byte(`
time: {stop: 30, dt: 0.125, units: minute}
stocks:
  teacup_temperature: {initial: 180, outflows: [heat_loss_to_room], units: degF, label: Tea}
flows:
  heat_loss_to_room: {equation: (teacup_temperature - room_temperature) / 10, units: degF/minute}
auxiliaries:
  room_temperature: {equation: 70, units: degF}
`))
	if err != nil {
		log.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	var runs []chart.Run
	for _, room := range []float64{70, 50} {
		res, err := p.Run(sim.Scenario{Set: map[string]float64{"room_temperature": room}})
		if err != nil {
			log.Fatal(err)
		}
		runs = append(runs, chart.Run{Name: fmt.Sprintf("room at %g °F", room), Result: res})
	}
	c, err := chart.TimeSeries(runs, chart.Vars(m, "teacup_temperature"), chart.Options{
		Title:     "The tea cools toward the room",
		TimeUnits: m.Time.Units,
	})
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "chart")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "teacup.png")
	if err := c.Save(path); err != nil {
		log.Fatal(err)
	}

	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	img, err := png.DecodeConfig(f)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("a PNG image of %d×%d pixels\n", img.Width, img.Height)
	// Output:
	// a PNG image of 1200×750 pixels
}

// Bands draws how uncertain constants spread a variable: the median and
// the bands between quantiles, from a sensitivity study. Write writes a
// chart to any writer, here as SVG.
func ExampleBands() {
	m, err := model.Load("teacup.yaml", []byte(`
time: {stop: 30, dt: 0.125, units: minute}
stocks:
  teacup_temperature: {initial: 180, outflows: [heat_loss_to_room], units: degF}
flows:
  heat_loss_to_room: {equation: (teacup_temperature - 70) / characteristic_time, units: degF/minute}
auxiliaries:
  characteristic_time:
    equation: 10
    units: minute
    uncertainty: uniform(5, 15)
`))
	if err != nil {
		log.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	ct, err := experiment.DistOf(*m.Var("characteristic_time").Uncertainty)
	if err != nil {
		log.Fatal(err)
	}
	sum, err := experiment.Sensitivity{
		Vary:      []experiment.Param{{Name: "characteristic_time", Dist: ct}},
		Runs:      100,
		LHS:       true,
		Seed:      1,
		Vars:      []string{"teacup_temperature"},
		Quantiles: []float64{0.05, 0.25, 0.5, 0.75, 0.95},
	}.Run(context.Background(), p, experiment.Options{})
	if err != nil {
		log.Fatal(err)
	}
	band := chart.Band{Name: "baseline", Times: sum.Times, Quantiles: sum.Quantiles, Values: sum.Values[0]}
	c, err := chart.Bands([]chart.Band{band}, chart.Vars(m, "teacup_temperature")[0], chart.Options{TimeUnits: m.Time.Units})
	if err != nil {
		log.Fatal(err)
	}
	var svg bytes.Buffer
	if err := c.Write(&svg, chart.SVG); err != nil {
		log.Fatal(err)
	}
	last := len(sum.Times) - 1
	fmt.Printf("at %g minutes: median %.1f °F, 90%% between %.1f and %.1f\n",
		sum.Times[last], band.Values[2][last], band.Values[0][last], band.Values[4][last])
	fmt.Println("an SVG image:", bytes.Contains(svg.Bytes(), []byte("<svg")))
	// Output:
	// at 30 minutes: median 75.3 °F, 90% between 70.5 and 83.6
	// an SVG image: true
}

// LoopDominance draws which feedback loops drive a run, from the scores
// of package loops: in logistic growth, growth first and crowding after.
func ExampleLoopDominance() {
	m, err := model.LoadFile("../../testdata/loops/logistic.yaml")
	if err != nil {
		log.Fatal(err)
	}
	g, err := loops.NewGraph(m)
	if err != nil {
		log.Fatal(err)
	}
	found, err := g.Loops(0)
	if err != nil {
		log.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	sc, err := loops.Score(p, sim.Scenario{}, found)
	if err != nil {
		log.Fatal(err)
	}
	scores := chart.LoopScoresOf(sc, 8)
	c, err := chart.LoopDominance(scores, chart.Options{TimeUnits: m.Time.Units})
	if err != nil {
		log.Fatal(err)
	}
	var svg bytes.Buffer
	if err := c.Write(&svg, chart.SVG); err != nil {
		log.Fatal(err)
	}
	for _, d := range sc.Dominant {
		fmt.Printf("%g to %g: %s\n", d.Start, d.End, sc.Loops[d.Loops[0]].Label())
	}
	fmt.Println("an SVG image:", bytes.Contains(svg.Bytes(), []byte("<svg")))
	// Output:
	// 1 to 23: growth
	// 24 to 50: crowding
	// an SVG image: true
}

// Phase draws a run's path in the plane of two variables, with marks
// at chosen times: the hares and lynxes of Lotka and Volterra circle
// their equilibrium (4 hares and 2.75 lynxes), which the
// quadrants mark.
func ExamplePhase() {
	m, err := model.LoadFile("../../testdata/models/predator_prey.yaml")
	if err != nil {
		log.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	res, err := p.Run(sim.Scenario{SaveEvery: 0.1}) // a smooth path
	if err != nil {
		log.Fatal(err)
	}
	vars := chart.Vars(m, "hares", "lynxes")
	c, err := chart.Phase([]chart.Run{{Name: "baseline", Result: res}}, vars[0], vars[1], chart.Options{
		Marks: []float64{0, 3, 6, 9},
		Quadrants: &chart.Quadrants{X0: 4, Y0: 2.75,
			TopLeft: "lynxes starve", TopRight: "hares eaten",
			BottomLeft: "hares recover", BottomRight: "lynxes feast"},
	})
	if err != nil {
		log.Fatal(err)
	}
	var svg bytes.Buffer
	if err := c.Write(&svg, chart.SVG); err != nil {
		log.Fatal(err)
	}
	for _, t := range []float64{0, 3, 6, 9} {
		h, err := res.At("hares", t)
		if err != nil {
			log.Fatal(err)
		}
		l, err := res.At("lynxes", t)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("t=%g: %.1f hares, %.1f lynxes\n", t, h, l)
	}
	fmt.Println("an SVG image:", bytes.Contains(svg.Bytes(), []byte("<svg")))
	// Output:
	// t=0: 10.0 hares, 5.0 lynxes
	// t=3: 0.6 hares, 3.5 lynxes
	// t=6: 1.1 hares, 1.3 lynxes
	// t=9: 9.0 hares, 1.2 lynxes
	// an SVG image: true
}
