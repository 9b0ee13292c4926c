package experiment_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/experiment"
)

// TestUnknownNames checks that the accessors by name refuse a name they do
// not hold with a *model.NameError naming it and the nearest there is.
func TestUnknownNames(t *testing.T) {
	p := compile(t, decay)
	s := experiment.Sensitivity{
		Vary: []experiment.Param{{"k", mustDist(t, "uniform(0.2, 0.8)")}},
		Runs: 20, Seed: 1, Vars: []string{"x", "loss"},
	}
	sum, err := s.Run(context.Background(), p, experiment.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(sim.Scenario{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name      string
		get       func() error
		bad, hint string
	}{
		{"Summary.Series", func() error { _, err := sum.Series("los", 0.5); return err }, "los", "loss"},
		{"Summary.Series, not summarised", func() error { _, err := sum.Series("k", 0.5); return err }, "k", ""},
		{"Payoff.Of", func() error {
			_, err := experiment.Payoff{Var: "xx", At: experiment.Final}.Of(res)
			return err
		}, "xx", ""},
		{"Payoff.Of, a typo", func() error {
			_, err := experiment.Payoff{Var: "losss", At: experiment.Sum}.Of(res)
			return err
		}, "losss", "loss"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.get()
			var ne *model.NameError
			if !errors.As(err, &ne) || ne.Name != tt.bad || ne.Closest != tt.hint {
				t.Errorf("error = %v, want a *model.NameError naming %q with the hint %q", err, tt.bad, tt.hint)
			}
		})
	}
	if xs, err := sum.Series("X", math.Nextafter(0.95, 1)); err != nil || len(xs) != len(sum.Times) { // 0.95 give or take a rounding
		t.Errorf("Series(X, 0.95) = %v, %v", xs, err)
	}
	if _, err := sum.Series("x", 95); err == nil {
		t.Error("Series(x, 95): no error for a quantile the summary does not hold")
	}
}
