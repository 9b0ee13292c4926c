package xmile_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/xmile"
	"github.com/stockflow/stockflow/sim"
)

// macros defines macros as the standard's section 4.8 does: one without
// variables, one with a stock and a parameter with a default, one that
// calls another.
const macros = `
<macro name="LOG"><parm>x</parm><parm>base</parm><eqn>LN(x)/LN(base)</eqn><format>LOG(value, base)</format></macro>
<macro name="SMOOTH1">
 <parm>input</parm><parm>averaging_time</parm><parm default="input">initial</parm>
 <eqn>Smooth_of_Input</eqn>
 <variables>
  <stock name="Smooth_of_Input"><eqn>initial</eqn><inflow>change_in_smooth</inflow></stock>
  <flow name="change_in_smooth"><eqn>(input - Smooth_of_Input)/averaging_time</eqn></flow>
 </variables>
</macro>
<macro name="DOUBLE"><parm>x</parm><eqn>2 * x</eqn></macro>
<macro name="TWICE"><parm>x</parm><eqn>SMOOTH1(x, 2, 0) + SMOOTH1(x, 2, 0)</eqn></macro>
<macro name="LOOPY"><parm>x</parm><eqn>LOOPY(x)</eqn></macro>`

func macroModel(vars string) string {
	return `<xmile version="1.0"><sim_specs method="Euler"><start>0</start><stop>2</stop><dt>1</dt></sim_specs>` +
		macros + "\n<model><variables>" + vars + "</variables></model></xmile>"
}

// TestMacros runs calls of macros: each call owns its stock, defaults
// fill left-out parameters, macros call macros in arguments and bodies.
func TestMacros(t *testing.T) {
	m, err := xmile.Read("macros.xmile", strings.NewReader(macroModel(`
<aux name="input"><eqn>10</eqn></aux>
<aux name="s1"><eqn>SMOOTH1(input, 2, 0)</eqn></aux>
<aux name="s2"><eqn>SMOOTH1(2 * input, 1)</eqn></aux>
<aux name="l"><eqn>LOG(256, 2) + 1</eqn></aux>
<aux name="d"><eqn>DOUBLE(SMOOTH1(input, 2, 0))</eqn></aux>
<aux name="w"><eqn>TWICE(input)</eqn></aux>`)))
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(sim.Scenario{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]float64{
		"s1":                        {0, 5, 7.5},
		"s2":                        {20, 20, 20},
		"l":                         {9, 9, 9},
		"d":                         {0, 10, 15},
		"w":                         {0, 10, 15},
		"SMOOTH1 1.Smooth of Input": {0, 5, 7.5},
	}
	for name, w := range want {
		got, err := res.Series(name)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(w, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
		}
	}
}

// TestMacroErrors checks the mistakes in calling macros, each at the call.
func TestMacroErrors(t *testing.T) {
	tests := []struct {
		name, eqn, want string
	}{
		{"too many arguments", "DOUBLE(1, 2)", `macros.xmile:3:20: the macro DOUBLE takes 1 argument; found 2`},
		{"too few arguments", "SMOOTH1(1)", `macros.xmile:3:20: the macro SMOOTH1 takes 3 arguments (1 optional); found 1`},
		{"calls itself", "LOOPY(1)", `macros.xmile:3:20: the macro LOOPY (defined at macros.xmile:1:719) calls itself, directly or through other macros; recursive macros are not supported`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(macroModel("\n<aux name=\"a\"><eqn>"+tt.eqn+"</eqn></aux>"), macros, strings.ReplaceAll(macros, "\n", " "), 1)
			_, err := xmile.Read("macros.xmile", strings.NewReader(src))
			var me *model.Error
			if !errors.As(err, &me) {
				t.Fatalf("Read() error = %v, want a *model.Error", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Read() error = %v, want %s", err, tt.want)
			}
		})
	}
}
