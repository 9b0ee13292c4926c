package xmile_test

import (
	"bytes"
	"testing"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/internal/conformance"
	"github.com/stockflow/stockflow/model/xmile"
	"github.com/stockflow/stockflow/sim"
)

// TestInitEqn reads the SDXorg case tests/active_initial with the
// <init_eqn> its XMILE export dropped put back (and a comment holding
// "--", which XML forbids and tools write), and compares the run with the
// output Vensim made from the .mdl, where Value A = ACTIVE INITIAL(Time,
// 45): Stock A starts at 45, Value A is Time from the first step.
func TestInitEqn(t *testing.T) {
	m, err := xmile.ReadFile("../../testdata/xmile/active_initial.xmile")
	if err != nil {
		t.Fatal(err)
	}
	if v := m.Var("Value A"); v == nil || v.Initial.Text != "45" {
		t.Fatalf("Value A's initial equation = %+v, want 45", v)
	}
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(sim.Scenario{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := conformance.ReadExpected(conformanceDir + "/tests/active_initial")
	if err != nil {
		t.Fatal(err)
	}
	if err := conformance.Compare(want, conformance.Result{Times: res.Times, Series: res.Series}, nil); err != nil {
		t.Error(err)
	}
	// Written back, the initial equation survives.
	var buf bytes.Buffer
	if err := xmile.Write(&buf, m); err != nil {
		t.Fatal(err)
	}
	back, err := xmile.Read("back.xmile", &buf)
	if err != nil {
		t.Fatal(err)
	}
	if v := back.Var("Value A"); v == nil || v.Initial.Text != "45" {
		t.Errorf("after Write and Read, Value A's initial equation = %+v, want 45", v)
	}
}

// TestVensimDelays runs YAML translations of the SDXorg cases
// tests/delay_fixed and tests/delay_pipeline, which call Vensim's DELAY
// FIXED and DELAY N, and compares them with the outputs Vensim made. The
// Vensim reader turns the .mdl files into the same calls; these check
// the builtins alone.
func TestVensimDelays(t *testing.T) {
	tests := []struct{ name, dir, src string }{
		{"delay_fixed", "tests/delay_fixed", `
time: {start: 0, stop: 50, dt: 1}
auxiliaries:
  time_squared: TIME^2
  DF05: DELAY_FIXED(time_squared, 0.5, -10)
  DF1: DELAY_FIXED(time_squared, 1, 10)
  DF12: DELAY_FIXED(time_squared, 1.2, -4)
  DF15: DELAY_FIXED(time_squared, 1.5, 20)
  DF2: DELAY_FIXED(time_squared, 2, -3)
  DF37: DELAY_FIXED(time_squared, 3.7, 4)
  DST: DELAY_FIXED(time_squared, 2 + 2*SIN(TIME), 7)
  DT2: DELAY_FIXED(time_squared, TIME/2, 4)
`},
		{"delay_pipeline", "tests/delay_pipeline", `
time: {start: 0, stop: 100, dt: 0.5}
auxiliaries:
  Output_Second_Order_Delay: DELAY_N(Input, Fractional_Delay_Time, Initial_Value, 2)
  Output_Second_Order_Delay_with_Modified_Delay_Time: DELAY_N(Input, 1, Initial_Value, 2)
  Output_Third_order_Delay: DELAY_N(Input, Fractional_Delay_Time, Initial_Value, 3)
  Output_Third_order_Delay_with_Modified_Delay_Time: DELAY_N(Input, 1.5, Initial_Value, 3)
  Changing_Delay_Time: 4 + STEP(2, 15)
  Fractional_Delay_Time: Fractional_Multiple * DT
  Fractional_Multiple: 2.5
  Output_Fractional_Pipeline_Delay: DELAY_FIXED(Input, Fractional_Delay_Time, Initial_Value)
  Integer_Multiple: 5
  Integer_Delay_Time: DT * Integer_Multiple
  Output_Changing_Delay_Time: DELAY_FIXED(Input, Changing_Delay_Time, Initial_Value)
  Output_Integer_Pipeline_Delay: DELAY_FIXED(Input, Integer_Delay_Time, Initial_Value)
  Initial_Value: 6
  Input: -1 + STEP(5, 5)
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := model.Load(tt.name+".yaml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			p, err := sim.Compile(m)
			if err != nil {
				t.Fatal(err)
			}
			for _, method := range []model.Method{model.Euler, model.RK4} {
				res, err := p.Run(sim.Scenario{Method: method})
				if err != nil {
					t.Fatal(err)
				}
				want, err := conformance.ReadExpected(conformanceDir + "/" + tt.dir)
				if err != nil {
					t.Fatal(err)
				}
				err = conformance.Compare(want, conformance.Result{Times: res.Times, Series: res.Series}, nil)
				if method == model.Euler && err != nil {
					t.Error(err)
				}
				if method == model.RK4 && tt.name == "delay_fixed" && err != nil {
					// A pipeline reads whole steps: the method does not matter.
					t.Errorf("RK4: %v", err)
				}
			}
		})
	}
}
