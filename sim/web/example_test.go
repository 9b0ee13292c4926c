package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/web"
)

// New makes the what-if page of a program, an http.Handler to mount in
// any server. Beside the page, its JSON API runs the model with the
// settings of the query: here a warmer room, then a setting outside the
// range the model declares.
func ExampleNew() {
	m, err := model.Load("teacup.yaml", []byte(`
time: {stop: 30, dt: 0.125, save_every: 10, units: minute}
stocks:
  teacup_temperature: {initial: 180, outflows: [heat_loss_to_room]}
flows:
  heat_loss_to_room: (teacup_temperature - room_temperature) / 10
auxiliaries:
  room_temperature: {equation: 70, range: [32, 100]}
`))
	if err != nil {
		log.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	h, err := web.New(p, web.Options{})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/teacup/", http.StripPrefix("/teacup", h))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	// The page itself.
	resp, err := http.Get(srv.URL + "/teacup/")
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status, resp.Header.Get("Content-Type"))

	// A run with the room at 80 °F.
	resp, err = http.Get(srv.URL + "/teacup/api/run?vars=teacup_temperature&room_temperature=80")
	if err != nil {
		log.Fatal(err)
	}
	var run struct {
		Time   []float64
		Series map[string][]float64
	}
	err = json.NewDecoder(resp.Body).Decode(&run)
	resp.Body.Close()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(resp.Status, ":")
	for i, t := range run.Time {
		fmt.Printf(" t=%g %.4g", t, run.Series["teacup_temperature"][i])
	}
	fmt.Println()

	// A room warmer than the model allows.
	resp, err = http.Get(srv.URL + "/teacup/api/run?vars=teacup_temperature&room_temperature=120")
	if err != nil {
		log.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %s", resp.Status, body)
	// Output:
	// 200 OK text/html; charset=utf-8
	// 200 OK: t=0 180 t=10 116.6 t=20 93.36 t=30 84.89
	// 400 Bad Request: {"error":"room_temperature = 120 is outside its range [32, 100]","param":"room_temperature"}
}
