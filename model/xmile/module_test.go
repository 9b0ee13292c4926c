package xmile_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stockflow/stockflow/model/xmile"
	"github.com/stockflow/stockflow/sim"
)

// twoTanks places one submodel twice (model attribute), with a module
// nested in it, inputs from the root and an output read back at the root.
const twoTanks = `<xmile version="1.0">
<sim_specs method="Euler"><start>0</start><stop>2</stop><dt>1</dt></sim_specs>
<model>
 <variables>
  <module name="a" model="tank"><connect to="rate" from=".r1"/><connect to=".got" from="a.drain"/></module>
  <module name="b" model="tank"><connect to="b.rate" from=".r2"/></module>
  <aux name="r1"><eqn>1</eqn></aux>
  <aux name="r2"><eqn>3</eqn></aux>
  <aux name="got"><eqn>{not connected}</eqn></aux>
  <aux name="total"><eqn>a.level + b.level</eqn></aux>
  <aux name="shown"><eqn>a.meter.reading</eqn></aux>
 </variables>
</model>
<model name="tank">
 <variables>
  <stock name="level"><eqn>0</eqn><inflow>fill</inflow><outflow>drain</outflow></stock>
  <flow name="fill"><eqn>rate</eqn></flow>
  <flow name="drain"><eqn>level * k</eqn></flow>
  <aux name="k"><eqn>0.5</eqn></aux>
  <aux name="rate" access="input"><eqn>{input}</eqn></aux>
  <module name="meter"><connect to="x" from=".level"/></module>
 </variables>
</model>
<model name="meter">
 <variables>
  <stock name="x" access="input"><eqn>{input}</eqn></stock>
  <aux name="reading" access="output"><eqn>2 * x</eqn></aux>
 </variables>
</model>
</xmile>`

// TestModules runs a submodel placed twice: each module owns its stock,
// the nested module reads its own module's stock, and the names inside
// are module.variable in results and in scenarios.
func TestModules(t *testing.T) {
	m, err := xmile.Read("tanks.xmile", strings.NewReader(twoTanks))
	if err != nil {
		t.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		set  map[string]float64
		want map[string][]float64
	}{
		{"as written", nil, map[string][]float64{
			"a.level":         {0, 1, 1.5},
			"b.level":         {0, 3, 4.5},
			"total":           {0, 4, 6},
			"shown":           {0, 2, 3},
			"a.meter.reading": {0, 2, 3},
			"b.meter.reading": {0, 6, 9},
			"got":             {0, 0.5, 0.75},
		}},
		{"one module's constant set", map[string]float64{"b.k": 0}, map[string][]float64{
			"a.level": {0, 1, 1.5},
			"b.level": {0, 3, 6},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := p.Run(sim.Scenario{Set: tt.set})
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range tt.want {
				got, err := res.Series(name)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
					t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
				}
			}
		})
	}
}

// TestModuleErrors checks the mistakes of wiring, each at its <connect>.
func TestModuleErrors(t *testing.T) {
	tests := []struct {
		name, connect, want string
	}{
		{"input not in the module", `<connect to="nope" from=".r1"/>`, `m.xmile:4:32: module "a": the connection's to names "nope", which is not a variable of the module`},
		{"source not in the model", `<connect to="rate" from=".r9"/>`, `m.xmile:4:32: module "a": the connection's from names ".r9", which is not a variable of the model around the module`},
		{"no from", `<connect to="rate"/>`, `m.xmile:4:32: <connect> in module "a" needs both to and from`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := `<xmile><sim_specs><start>0</start><stop>1</stop></sim_specs>
<model><variables><aux name="r1"><eqn>1</eqn></aux>
<module name="a" model="tank">
<connect to="rate" from=".r1"/>` + tt.connect + `</module></variables></model>
<model name="tank"><variables><aux name="rate"><eqn>0</eqn></aux></variables></model></xmile>`
			_, err := xmile.Read("m.xmile", strings.NewReader(src))
			if err == nil {
				t.Fatal("Read() succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Read() error = %v, want %s", err, tt.want)
			}
		})
	}
}
