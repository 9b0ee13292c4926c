package main

import (
	"testing"

	"github.com/stockflow/stockflow/model"
)

func loadStudy(t *testing.T) *study {
	t.Helper()
	m, err := model.Load("model.yaml", embedded)
	if err != nil {
		t.Fatal(err)
	}
	st, err := newStudy(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.compare(); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestTradeOff pins the qualitative result the example exists to show, so
// that a change to the model that breaks it is noticed: spending mostly on
// acquisition wins customers sooner but earns less over five years.
func TestTradeOff(t *testing.T) {
	st := loadStudy(t)
	byName := make(map[string]row)
	for _, r := range st.rows {
		byName[r.name] = r
	}
	heavy := byName["acquisition_heavy"]
	for _, other := range []string{"balanced", "success_heavy"} {
		o := byName[other]
		if !(heavy.figures["customers_m6"] > o.figures["customers_m6"]) {
			t.Errorf("at month 6 acquisition_heavy has %.0f customers, %s %.0f: want acquisition_heavy ahead",
				heavy.figures["customers_m6"], other, o.figures["customers_m6"])
		}
		if !(heavy.figures["cumulative_profit_m60"] < o.figures["cumulative_profit_m60"]) {
			t.Errorf("at month 60 acquisition_heavy has cumulative profit %.0f, %s %.0f: want acquisition_heavy behind",
				heavy.figures["cumulative_profit_m60"], other, o.figures["cumulative_profit_m60"])
		}
	}
}
