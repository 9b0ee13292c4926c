package units_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/units"
	"github.com/stockflow/stockflow/model/xmile"
)

const withDefinitions = `time: {stop: 12, units: month}
units:
  customer: account
  quarter: 3 month
  dollar: {aliases: [$, USD], doc: Money.}
  seat:
stocks:
  customers: {initial: 10, inflows: [signups], units: customers}
flows:
  signups: {equation: quarterly_signups, units: accounts/month}
auxiliaries:
  quarterly_signups: {equation: 30, units: accounts/quarter}
  price: {equation: 20, units: USD/seat}
  seats: {equation: "customers * effect(price)", units: seats}
lookups:
  effect: {points: [[0, 5], [100, 1]], units: seat/account, input_units: $/seat}
`

var defsWant = []*model.UnitDef{
	{Name: "customer", Equation: "account"},
	{Name: "quarter", Equation: "3 month"},
	{Name: "dollar", Aliases: []string{"$", "USD"}, Doc: "Money."},
	{Name: "seat"},
}

var ignorePos = cmpopts.IgnoreTypes(model.Position{})

// TestDefinitions reads a YAML units section, uses it in checking, and
// writes it back, in YAML and in XMILE.
func TestDefinitions(t *testing.T) {
	m, err := model.Load("m.yaml", []byte(withDefinitions))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(defsWant, m.Units, ignorePos); diff != "" {
		t.Errorf("units section mismatch (-want +got):\n%s", diff)
	}
	if l := m.Lookup("effect"); l.InputUnits != "$/seat" || l.InputUnitsPos.Line != 16 {
		t.Errorf("lookup input units %q at %s", l.InputUnits, l.InputUnitsPos)
	}
	// A flow per quarter into a stock per month: the factor is named.
	_, err = units.Check(m)
	var ue *units.Error
	if !errors.As(err, &ue) || ue.Pos != (model.Position{File: "m.yaml", Line: 10, Col: 23}) ||
		ue.Expected != "account/month" || ue.Found != "0.333333 account/month" || !strings.HasSuffix(ue.Msg, "(they differ by a factor of 0.333333)") {
		t.Fatalf("Check() = %v; want the quarter/month mismatch at 10:23", err)
	}

	var yml bytes.Buffer
	if err := model.WriteYAML(&yml, m); err != nil {
		t.Fatal(err)
	}
	back, err := model.Load("back.yaml", yml.Bytes())
	if err != nil {
		t.Fatalf("reading the written YAML: %v\n%s", err, yml.String())
	}
	if diff := cmp.Diff(m.Units, back.Units, ignorePos); diff != "" {
		t.Errorf("YAML round trip of the units section (-want +got):\n%s", diff)
	}
	if back.Lookup("effect").InputUnits != "$/seat" {
		t.Errorf("YAML round trip lost the lookup's input units")
	}

	var xml bytes.Buffer
	if err := xmile.Write(&xml, m); err != nil {
		t.Fatal(err)
	}
	xm, err := xmile.Read("back.xmile", &xml)
	if err != nil {
		t.Fatalf("reading the written XMILE: %v", err)
	}
	if diff := cmp.Diff(m.Units, xm.Units, ignorePos); diff != "" {
		t.Errorf("XMILE round trip of the units (-want +got):\n%s", diff)
	}
}

func TestXMILEModelUnits(t *testing.T) {
	src := `<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
<sim_specs time_units="Months"><start>0</start><stop>1</stop></sim_specs>
<model_units>
	<unit name="models_per_person_per_year"><eqn>models/person/year</eqn></unit>
	<unit name="Rabbits"><alias>Bunnies</alias></unit>
	<unit name="Joules" disabled="true"><alias>J</alias></unit>
</model_units>
<model><variables>
	<stock name="warren"><eqn>10</eqn><inflow>births</inflow><units>bunny</units></stock>
	<flow name="births"><eqn>warren * rate</eqn><units>Rabbits/Month</units></flow>
	<aux name="rate"><eqn>0.1</eqn><units>J</units></aux>
</variables></model></xmile>`
	m, err := xmile.Read("m.xmile", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []*model.UnitDef{
		{Name: "models_per_person_per_year", Equation: "models/person/year"},
		{Name: "Rabbits", Aliases: []string{"Bunnies"}},
	}
	if diff := cmp.Diff(want, m.Units, ignorePos); diff != "" {
		t.Errorf("model_units mismatch (-want +got):\n%s", diff)
	}
	// J is not an alias (its definition is disabled), so the rate is in
	// an unknown unit J, not 1/month.
	_, err = units.Check(m)
	var ue *units.Error
	if !errors.As(err, &ue) || ue.Var != "births" || ue.Expected != "Rabbit/Month" || ue.Found != "J*Rabbit" {
		t.Fatalf("Check() = %v; want births: declared in Rabbit/Month, found J*Rabbit", err)
	}
	if ue.Pos != (model.Position{File: "m.xmile", Line: 10, Col: 27}) {
		t.Errorf("error at %s; want m.xmile:10:27", ue.Pos)
	}
}
