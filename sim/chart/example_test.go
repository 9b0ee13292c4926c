package chart_test

import (
	"fmt"
	"image/png"
	"log"
	"os"
	"path/filepath"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/chart"
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
