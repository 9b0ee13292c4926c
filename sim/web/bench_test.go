package web_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/web"
)

// BenchmarkAPI times what one slider move asks of the server for the
// flagship (the what-if, the baseline and one scenario), beside the
// baseline cost of running the model directly once.
func BenchmarkAPI(b *testing.B) {
	p := flagshipProgram(b)
	h, err := web.New(p, web.Options{Vars: pageVars})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("direct Run", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.Run(sim.Scenario{Set: map[string]float64{"cs_share": 0.45}, Vars: pageVars}); err != nil {
				b.Fatal(err)
			}
		}
	})
	const view = "vars=customers,cumulative_profit,mrr,customer_happiness&compare=baseline,success_heavy&cs_share=0.45"
	for _, path := range []string{
		"/api/run?vars=customers,cumulative_profit&cs_share=0.45",
		"/api/table?" + view,
		"/api/chart.svg?" + view,
		"/api/chart.png?" + view,
		"/api/loops.svg?" + view,
	} {
		name, _, _ := strings.Cut(path, "?")
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
				if w.Code != 200 {
					b.Fatalf("%s: %d %s", path, w.Code, w.Body)
				}
			}
		})
	}
}
