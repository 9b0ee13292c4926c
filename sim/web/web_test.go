package web_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/web"
)

const flagship = "../../examples/customersuccess/model.yaml"

// pageVars are the variables the flagship's page charts at first.
var pageVars = []string{"customers", "cumulative_profit", "mrr", "customer_happiness"}

func flagshipProgram(t testing.TB) *sim.Program {
	t.Helper()
	m, err := model.LoadFile(flagship)
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func flagshipServer(t testing.TB, o web.Options) (*sim.Program, *httptest.Server) {
	t.Helper()
	p := flagshipProgram(t)
	if o.Vars == nil {
		o.Vars = pageVars
	}
	h, err := web.New(p, o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return p, srv
}

func get(t *testing.T, srv *httptest.Server, path string) (*http.Response, []byte) {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp, buf.Bytes()
}

// runCSV returns what `stockflow run` prints for a scenario, read back as
// numbers: the command writes a run's rows with sim.CSVWriter.
func runCSV(t *testing.T, p *sim.Program, s sim.Scenario) (times []float64, series map[string][]float64) {
	t.Helper()
	names, err := p.Columns(s)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	cw := sim.NewCSVWriter(&buf, names)
	if err := p.Stream(s, cw.Write); err != nil {
		t.Fatal(err)
	}
	if err := cw.Flush(); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	series = make(map[string][]float64)
	for _, rec := range recs[1:] {
		for j, f := range rec {
			x, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatal(err)
			}
			if j == 0 {
				times = append(times, x)
			} else {
				series[recs[0][j]] = append(series[recs[0][j]], x)
			}
		}
	}
	return times, series
}

// TestRunMatchesCommand checks that /api/run gives the numbers
// `stockflow run --set NAME=VALUE --vars a,b [--scenario S]` prints.
func TestRunMatchesCommand(t *testing.T) {
	p, srv := flagshipServer(t, web.Options{})
	tests := []struct {
		name  string
		query string
		want  sim.Scenario
	}{
		{"the model as written", "vars=customers,cumulative_profit", sim.Scenario{Vars: []string{"customers", "cumulative_profit"}}},
		{"a setting", "vars=customers,mrr&cs_share=0.5", sim.Scenario{Vars: []string{"customers", "mrr"}, Set: map[string]float64{"cs_share": 0.5}}},
		{"two settings, other spellings", "vars=Customer%20Happiness&CS_Share=0.62&base_churn_rate=0.03",
			sim.Scenario{Vars: []string{"customer_happiness"}, Set: map[string]float64{"cs_share": 0.62, "base_churn_rate": 0.03}}},
		{"from a scenario", "vars=cumulative_profit&scenario=success_heavy&referral_rate=0.025",
			sim.Scenario{Vars: []string{"cumulative_profit"}, Set: map[string]float64{"cs_share": 0.5, "referral_rate": 0.025}}},
		{"a range's ends", "vars=customers&cs_share=1&base_churn_rate=0.005",
			sim.Scenario{Vars: []string{"customers"}, Set: map[string]float64{"cs_share": 1, "base_churn_rate": 0.005}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := get(t, srv, "/api/run?"+tc.query)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			var got struct {
				Time   []float64            `json:"time"`
				Series map[string][]float64 `json:"series"`
			}
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			times, series := runCSV(t, p, tc.want)
			approx := cmpopts.EquateApprox(1e-12, 1e-12)
			if diff := cmp.Diff(times, got.Time, approx); diff != "" {
				t.Errorf("time mismatch (-run +api):\n%s", diff)
			}
			if diff := cmp.Diff(series, got.Series, approx); diff != "" {
				t.Errorf("series mismatch (-run +api):\n%s", diff)
			}
		})
	}
	// Without vars, every variable, as run writes them by default.
	_, body := get(t, srv, "/api/run?cs_share=0.4")
	var all struct{ Series map[string][]float64 }
	if err := json.Unmarshal(body, &all); err != nil {
		t.Fatal(err)
	}
	if len(all.Series) != len(p.Names()) {
		t.Errorf("%d series without vars, want every one of %d", len(all.Series), len(p.Names()))
	}
}

// TestBadInput checks that each kind of bad query is a 400 with a JSON
// error naming the parameter at fault.
func TestBadInput(t *testing.T) {
	_, srv := flagshipServer(t, web.Options{})
	tests := []struct {
		name, query, param, says string
	}{
		{"unknown constant", "cs_shar=0.5", "cs_shar", `unknown constant "cs_shar" (did you mean "cs_share"?)`},
		{"outside the range", "cs_share=1.5", "cs_share", "cs_share = 1.5 is outside its range [0, 1, 0.01]"},
		{"below the range", "base_churn_rate=0.001", "base_churn_rate", "outside its range [0.005, 0.06, 0.001]"},
		{"NaN", "cs_share=NaN", "cs_share", `cs_share: expected a finite number but found "NaN"`},
		{"infinite", "base_budget=Inf", "base_budget", `expected a finite number but found "Inf"`},
		{"not a number", "cs_share=half", "cs_share", `expected a finite number but found "half"`},
		{"empty value", "cs_share=", "cs_share", `expected a finite number but found ""`},
		{"a stock", "customers=5", "customers", `"customers" is a stock, not a constant`},
		{"not a constant", "churn_rate=0.1", "churn_rate", `"churn_rate" is not a constant (its value changes during a run)`},
		{"computed", "cs_spend=5", "cs_spend", `"cs_spend" is not a constant`},
		{"given twice", "cs_share=0.1&cs_share=0.2", "cs_share", `"cs_share" is given 2 times`},
		{"two spellings", "cs_share=0.1&CS_Share=0.2", "cs_share", `set the same constant, "cs_share"`},
		{"unknown variable", "vars=custmers", "vars", `undefined variable "custmers" (did you mean "customers"?)`},
		{"no variable", "vars=,", "vars", "vars names no variable"},
		{"unknown scenario", "scenario=lean", "scenario", `no scenario "lean" in the model; its scenarios are acquisition_heavy, balanced`},
		{"a scenario's setting outside the range", "scenario=success_heavy&cs_share=-1", "cs_share", "outside its range"},
	}
	for _, tc := range tests {
		for _, path := range []string{"/api/run", "/api/table", "/api/chart.svg", "/api/data.csv"} {
			t.Run(tc.name+path, func(t *testing.T) {
				resp, body := get(t, srv, path+"?"+tc.query)
				if resp.StatusCode != http.StatusBadRequest {
					t.Fatalf("status %d, want 400: %s", resp.StatusCode, body)
				}
				var e struct{ Error, Param string }
				if err := json.Unmarshal(body, &e); err != nil || resp.Header.Get("Content-Type") != "application/json" {
					t.Fatalf("not a JSON error (%v): %s", err, body)
				}
				if e.Param != tc.param || !strings.Contains(e.Error, tc.says) {
					t.Errorf("error %q naming %q, want one naming %q that says %q", e.Error, e.Param, tc.param, tc.says)
				}
			})
		}
	}
	// compare names runs; an unknown one is named too.
	resp, body := get(t, srv, "/api/table?compare=baseline,lean")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"param":"compare"`) {
		t.Errorf("compare=lean: %d %s", resp.StatusCode, body)
	}
}

// TestSafety checks the limits: GET and HEAD only, a bounded query,
// nothing served but the page's own assets and the API, and a content
// security policy on every answer.
func TestSafety(t *testing.T) {
	_, srv := flagshipServer(t, web.Options{})
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/", 200},
		{"HEAD", "/", 200},
		{"GET", "/app.js", 200},
		{"GET", "/style.css", 200},
		{"GET", "/api/model", 200},
		{"POST", "/api/run", 405},
		{"PUT", "/", 405},
		{"DELETE", "/api/run", 405},
		{"GET", "/index.html", 404},
		{"GET", "/assets/app.js", 404},
		{"GET", "/../go.mod", 404},
		{"GET", "/model.yaml", 404},
		{"GET", "/api/", 404},
		{"GET", "/api/run?" + strings.Repeat("a", web.MaxQuery+1), 414},
	} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s: status %d, want %d", tc.method, tc.path, resp.StatusCode, tc.status)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s %s: Content-Security-Policy %q", tc.method, tc.path, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %s: no nosniff", tc.method, tc.path)
		}
	}
}

// TestViews checks the chart, table, loop and CSV answers of one view.
func TestViews(t *testing.T) {
	p, srv := flagshipServer(t, web.Options{})
	q := "vars=customers,cumulative_profit&compare=baseline,success_heavy&cs_share=0.45"

	resp, body := get(t, srv, "/api/table?"+q)
	if resp.StatusCode != 200 {
		t.Fatalf("table: %d %s", resp.StatusCode, body)
	}
	var table struct {
		Time float64
		Runs []string
		Rows []struct {
			Name   string
			Values []float64
		}
	}
	if err := json.Unmarshal(body, &table); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"what-if", "baseline", "success heavy"}, table.Runs); diff != "" {
		t.Errorf("runs mismatch (-want +got):\n%s", diff)
	}
	heavy, _ := p.Scenario("success_heavy")
	for _, row := range table.Rows {
		var want []float64
		for _, s := range []sim.Scenario{{Set: map[string]float64{"cs_share": 0.45}}, {}, heavy} {
			res, err := p.Run(s)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, must(res.Final(row.Name)))
		}
		if diff := cmp.Diff(want, row.Values, cmpopts.EquateApprox(1e-12, 0)); diff != "" {
			t.Errorf("final %s mismatch (-want +got):\n%s", row.Name, diff)
		}
	}
	if table.Time != 60 || len(table.Rows) != 2 {
		t.Errorf("table at time %g with %d rows", table.Time, len(table.Rows))
	}

	for _, tc := range []struct{ path, ctype, prefix string }{
		{"/api/chart.svg?" + q, "image/svg+xml", "<?xml"},
		{"/api/chart.png?" + q, "image/png", "\x89PNG"},
		{"/api/loops.svg?" + q, "image/svg+xml", "<?xml"},
		{"/api/loops.png?" + q, "image/png", "\x89PNG"},
		{"/api/chart.svg?vars=customers&cs_share=0.2", "image/svg+xml", "<?xml"},
	} {
		resp, body := get(t, srv, tc.path)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != tc.ctype || !bytes.HasPrefix(body, []byte(tc.prefix)) || len(body) < 5000 {
			t.Errorf("%s: %d %s, %d bytes", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
		}
		if resp.Header.Get("Content-Disposition") != "" {
			t.Errorf("%s: an attachment without download=1", tc.path)
		}
	}
	resp, _ = get(t, srv, "/api/chart.png?download=1&"+q)
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="chart.png"` {
		t.Errorf("download: Content-Disposition %q", cd)
	}

	resp, body = get(t, srv, "/api/data.csv?"+q)
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("csv: %d %v", resp.StatusCode, err)
	}
	if diff := cmp.Diff([]string{"scenario", "time", "customers", "cumulative_profit"}, recs[0]); diff != "" {
		t.Errorf("csv header mismatch (-want +got):\n%s", diff)
	}
	if len(recs) != 1+3*61 || recs[1][0] != "what-if" || recs[62][0] != "baseline" || recs[123][0] != "success heavy" {
		t.Errorf("csv: %d rows, first %v", len(recs), recs[1])
	}

	resp, body = get(t, srv, "/api/model")
	var info struct {
		Constants []struct {
			Name  string
			Value float64
			Range *struct{ Min, Max, Step float64 }
		}
		DefaultVars []string
		Scenarios   []struct{ Name string }
		Loops       int
	}
	if err := json.Unmarshal(body, &info); err != nil || resp.StatusCode != 200 {
		t.Fatalf("model: %d %v", resp.StatusCode, err)
	}
	var share *struct{ Min, Max, Step float64 }
	for _, c := range info.Constants {
		if c.Name == "cs_share" {
			share = c.Range
			if c.Value != 0.3 {
				t.Errorf("cs_share = %g, want the model's 0.3", c.Value)
			}
		}
		if c.Name == "customers" || c.Name == "cs_spend" {
			t.Errorf("%s is listed as a constant", c.Name)
		}
	}
	if share == nil || share.Min != 0 || share.Max != 1 || share.Step != 0.01 {
		t.Errorf("cs_share range %+v", share)
	}
	if len(info.Scenarios) != 4 || info.Loops == 0 || !cmp.Equal(info.DefaultVars, pageVars) {
		t.Errorf("model: %d scenarios, %d loops, default vars %v", len(info.Scenarios), info.Loops, info.DefaultVars)
	}
}

func TestLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:80": true, "[::1]:8080": true, "127.1.2.3:9": true,
		":8080": false, "0.0.0.0:8080": false, "192.168.1.10:8080": false, "[::]:80": false, "example.com:80": false, "nonsense": false,
	} {
		if got := web.Loopback(addr); got != want {
			t.Errorf("Loopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

// TestDefaults checks the page of a model with no ranges, no scenarios and
// no loops: it still serves, with its stocks charted.
func TestDefaults(t *testing.T) {
	m, err := model.Load("decay.yaml", []byte("time: {stop: 10}\nstocks:\n  s: {initial: 100, inflows: [in]}\nflows:\n  in: 1 / k\nauxiliaries:\n  k: 0.1\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	h, err := web.New(p, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	_, body := get(t, srv, "/api/model")
	var info struct {
		DefaultVars []string
		Loops       int
		Constants   []struct{ Name string }
	}
	json.Unmarshal(body, &info)
	if !cmp.Equal(info.DefaultVars, []string{"s"}) || len(info.Constants) != 1 || info.Constants[0].Name != "k" {
		t.Errorf("model: %s", body)
	}
	resp, body := get(t, srv, "/api/run?k=2.5&vars=s")
	if resp.StatusCode != 200 {
		t.Errorf("a constant without a range takes any finite value: %d %s", resp.StatusCode, body)
	}
	// A run that fails (k = 0 divides by zero) is not the client's
	// syntax but cannot be answered: 422 with the reason.
	resp, body = get(t, srv, "/api/run?k=0&vars=s")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "error") {
		t.Errorf("a failing run: %d %s", resp.StatusCode, body)
	}
	resp, body = get(t, srv, "/api/loops.svg")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "no feedback loops") {
		t.Errorf("loops of a model without loops: %d %s", resp.StatusCode, body)
	}
	if _, err := web.New(p, web.Options{Vars: []string{"nothing"}}); err == nil {
		t.Error("New with an unknown variable: no error")
	}
}

// TestArrays checks that each element of an arrayed constant with a range
// is a constant of the page, checked against the range.
func TestArrays(t *testing.T) {
	src := `
time: {stop: 10}
dimensions:
  segment: [smb, enterprise]
stocks:
  customers:
    dims: [segment]
    initial: 100
    inflows: [wins]
flows:
  wins:
    dims: [segment]
    equation: customers[segment] * rate[segment]
auxiliaries:
  rate:
    dims: [segment]
    elements: {smb: 0.05, enterprise: 0.02}
    range: [0, 0.2]
`
	m, err := model.Load("arrays.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	h, err := web.New(p, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	_, body := get(t, srv, "/api/model")
	var info struct {
		Constants []struct {
			Name  string
			Range *struct{ Min, Max float64 }
		}
	}
	if err := json.Unmarshal(body, &info); err != nil {
		t.Fatal(err)
	}
	if len(info.Constants) != 2 || info.Constants[0].Name != "rate[smb]" || info.Constants[0].Range == nil || info.Constants[0].Range.Max != 0.2 {
		t.Errorf("constants: %s", body)
	}
	resp, body := get(t, srv, "/api/run?vars=customers%5Bsmb%5D&rate%5Bsmb%5D=0.1")
	var run struct{ Series map[string][]float64 }
	if err := json.Unmarshal(body, &run); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if got := run.Series["customers[smb]"]; len(got) != 11 || math.Abs(got[10]-100*math.Pow(1.1, 10)) > 1e-9 {
		t.Errorf("customers[smb] = %v, want 100·1.1^t", got)
	}
	resp, body = get(t, srv, "/api/run?rate%5Bsmb%5D=0.3")
	if resp.StatusCode != 400 || !strings.Contains(string(body), `"param":"rate[smb]"`) {
		t.Errorf("outside the range: %d %s", resp.StatusCode, body)
	}
}

// TestScenarioFile checks that the what-if saved as a scenario file reads
// back and runs to the same numbers.
func TestScenarioFile(t *testing.T) {
	p, srv := flagshipServer(t, web.Options{})
	resp, body := get(t, srv, "/api/scenario.yaml?scenario=success_heavy&base_churn_rate=0.03&cs_share=0.55")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Disposition") == "" {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	sf, err := model.LoadScenarios("what-if.yaml", body)
	if err != nil {
		t.Fatalf("LoadScenarios: %v\n%s", err, body)
	}
	if err := p.CheckScenarios(sf.Scenarios); err != nil {
		t.Fatal(err)
	}
	got, err := p.Run(sim.ScenarioOf(sf.Scenarios[0]))
	if err != nil {
		t.Fatal(err)
	}
	want, err := p.Run(sim.Scenario{Set: map[string]float64{"cs_share": 0.55, "base_churn_rate": 0.03}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.Values, got.Values, cmpopts.EquateApprox(1e-12, 0)); diff != "" {
		t.Errorf("the saved scenario runs differently (-want +got):\n%s\n%s", diff, body)
	}
	t.Logf("%s", body)
}

// TestOptimize checks that /api/optimize finds the split `stockflow
// optimize --vary cs_share --maximize cumulative_profit` finds (0.50485,
// README), and names the parameter of a bad query.
func TestOptimize(t *testing.T) {
	_, srv := flagshipServer(t, web.Options{})
	resp, body := get(t, srv, "/api/optimize?best=cs_share&maximize=cumulative_profit")
	var best struct {
		Name   string
		Value  float64
		Payoff float64
		Runs   int
	}
	if err := json.Unmarshal(body, &best); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if best.Name != "cs_share" || math.Abs(best.Value-0.50485) > 1e-3 || math.Abs(best.Payoff-25040187.56)/25040187.56 > 1e-6 {
		t.Errorf("optimum %+v, want cs_share ≈ 0.50485 and payoff ≈ 25,040,187.56", best)
	}
	for _, tc := range []struct{ query, param string }{
		{"best=gtm_budget&maximize=cumulative_profit", "best"},
		{"best=nothing&maximize=cumulative_profit", "best"},
		{"best=cs_share", "maximize"},
		{"best=cs_share&maximize=customers&minimize=customers", "maximize"},
		{"best=cs_share&minimize=custmers", "minimize"},
		{"best=cs_share&maximize=customers&cs_share=2", "cs_share"},
	} {
		resp, body := get(t, srv, "/api/optimize?"+tc.query)
		var e struct{ Error, Param string }
		json.Unmarshal(body, &e)
		if resp.StatusCode != 400 || e.Param != tc.param {
			t.Errorf("%s: %d %s, want a 400 naming %q", tc.query, resp.StatusCode, body, tc.param)
		}
	}
}

// TestBands checks the uncertainty bands: a chart when the model declares
// uncertainties, a 400 when the what-if holds every one of them, and a 404
// for a model without any.
func TestBands(t *testing.T) {
	_, srv := flagshipServer(t, web.Options{})
	resp, body := get(t, srv, "/api/bands.svg?vars=cumulative_profit&compare=baseline&cs_share=0.5")
	if resp.StatusCode != 200 || !bytes.HasPrefix(body, []byte("<?xml")) {
		t.Fatalf("%d %.200s", resp.StatusCode, body)
	}
	if got := resp.Header.Get("X-Uncertain"); got != "acquisition cost, referral rate, base churn rate, serve cost per customer" {
		t.Errorf("uncertain constants %q", got)
	}
	resp, _ = get(t, srv, "/api/bands.svg?vars=cumulative_profit&base_churn_rate=0.03")
	if got := resp.Header.Get("X-Uncertain"); resp.StatusCode != 200 || strings.Contains(got, "churn") {
		t.Errorf("a constant the what-if sets is still varied: %d %q", resp.StatusCode, got)
	}
	resp, body = get(t, srv, "/api/bands.svg?acquisition_cost=15000&referral_rate=0.02&base_churn_rate=0.02&serve_cost_per_customer=200")
	if resp.StatusCode != 400 || !strings.Contains(string(body), "nothing is left to vary") {
		t.Errorf("every uncertainty held: %d %s", resp.StatusCode, body)
	}
}

// TestTableAt checks the table at a chosen time: the saved time nearest it.
func TestTableAt(t *testing.T) {
	p, srv := flagshipServer(t, web.Options{})
	res, err := p.Run(sim.Scenario{Set: map[string]float64{"cs_share": 0.4}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		at   string
		time float64
	}{{"12", 12}, {"12.4", 12}, {"12.6", 13}, {"0", 0}, {"60", 60}} {
		_, body := get(t, srv, "/api/table?vars=customers&cs_share=0.4&at="+tc.at)
		var table struct {
			Time float64
			Rows []struct{ Values []float64 }
		}
		if err := json.Unmarshal(body, &table); err != nil {
			t.Fatalf("at=%s: %s", tc.at, body)
		}
		want := must(res.Series("customers"))[int(tc.time)]
		if table.Time != tc.time || math.Abs(table.Rows[0].Values[0]-want) > 1e-9*want {
			t.Errorf("at=%s: time %g value %g, want time %g value %g", tc.at, table.Time, table.Rows[0].Values[0], tc.time, want)
		}
	}
	for _, at := range []string{"61", "-1", "soon", "NaN"} {
		resp, body := get(t, srv, "/api/table?at="+at)
		if resp.StatusCode != 400 || !strings.Contains(string(body), `"param":"at"`) {
			t.Errorf("at=%s: %d %s", at, resp.StatusCode, body)
		}
	}
}
