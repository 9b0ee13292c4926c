package units_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestInfer checks the units worked out for variables that declare none.
func TestInfer(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want map[string]string // variable: units ("?" when not fixed), "TIME" the time unit
	}{
		{"constants from their uses", `time: {stop: 10, units: year}
stocks:
  population: {initial: 100, inflows: [births], outflows: [deaths], units: animals}
flows:
  births: population * birth_rate
  deaths: population / lifetime
auxiliaries:
  birth_rate: 0.1
  lifetime: 8
`, map[string]string{"TIME": "year", "population": "animal", "births": "animal/year", "deaths": "animal/year",
			"birth_rate": "1/year", "lifetime": "year"}},
		{"the time unit from a stock and its flow", `time: {stop: 10}
stocks:
  tea: {initial: 180, outflows: [cooling], units: degF}
flows:
  cooling: {equation: (tea - room) / delay, units: degF/minute}
auxiliaries:
  room: 70
  delay: 10
`, map[string]string{"TIME": "minute", "tea": "degF", "cooling": "degF/minute", "room": "degF", "delay": "minute"}},
		{"through builtins", `time: {stop: 10, units: week}
stocks:
  inventory: {initial: 100, inflows: [production], outflows: [shipments], units: widgets}
flows:
  production: "DELAY3(orders, lead_time)"
  shipments: {equation: "MIN(demand, inventory / min_time)", units: widgets/week}
auxiliaries:
  orders: "SMTH1(demand, 4) + correction"
  correction: (target - inventory) / adjustment
  adjustment: 2
  demand: 10 + STEP(5, 10)
  target: "inventory * 1 + STEP(0, 0)"
  lead_time: 6
  min_time: 0.5
`, map[string]string{"TIME": "week", "inventory": "widget", "production": "widget/week", "shipments": "widget/week",
			"orders": "widget/week", "correction": "widget/week", "demand": "widget/week", "target": "widget", "adjustment": "week",
			"lead_time": "week", "min_time": "week"}},
		{"lookups take and give", `time: {stop: 10, units: month}
auxiliaries:
  ratio: {equation: happy / 0.5, units: dmnl}
  happy: 0.7
  churn: {equation: base * effect(ratio), units: 1/month}
  base: 0.02
lookups:
  effect: {points: [[0, 2], [1, 0.5]], units: dmnl}
`, map[string]string{"TIME": "month", "ratio": "1", "happy": "1", "churn": "1/month", "base": "1/month", "effect": "1", "effect input": "1"}},
		{"what nothing fixes stays unknown", `time: {stop: 10}
auxiliaries:
  a: 1
  b: a * 2
`, map[string]string{"TIME": "?", "a": "?", "b": "?"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := check(t, tt.src)
			if err != nil {
				t.Fatalf("Check() = %v", err)
			}
			got := map[string]string{"TIME": r.Units(r.Time)}
			for _, v := range r.Vars {
				got[v.Name] = r.Units(v)
				if v.Inferred != (v.Declared == "" && v.Known) {
					t.Errorf("%s: Inferred = %v with declared %q", v.Name, v.Inferred, v.Declared)
				}
			}
			for _, l := range r.Lookups {
				got[l.Name] = r.Units(l)
				got[l.Name+" input"] = r.Input(l)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("inferred units mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
