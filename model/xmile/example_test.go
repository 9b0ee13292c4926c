package xmile_test

import (
	"fmt"
	"log"
	"os"
	"strings"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/xmile"
	"github.com/stockflow/stockflow/sim"
)

func ExampleRead() {
	const src = `<?xml version="1.0" encoding="utf-8"?>
<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
	<header><name>Teacup</name></header>
	<sim_specs method="Euler" time_units="Minutes">
		<start>0</start><stop>30</stop><dt>0.125</dt>
	</sim_specs>
	<model><variables>
		<stock name="Teacup Temperature">
			<eqn>180</eqn>
			<outflow>Heat_Loss_to_Room</outflow>
		</stock>
		<flow name="Heat Loss to Room">
			<eqn>(Teacup_Temperature - Room_Temperature) / Characteristic_Time</eqn>
		</flow>
		<aux name="Room Temperature"><eqn>70</eqn></aux>
		<aux name="Characteristic Time"><eqn>10</eqn></aux>
	</variables></model>
</xmile>`
	m, err := xmile.Read("teacup.xmile", strings.NewReader(src))
	if err != nil {
		log.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	res, err := p.Run(sim.Scenario{})
	if err != nil {
		log.Fatal(err)
	}
	final, err := res.Final("teacup_temperature")
	if err != nil {
		log.Fatal(err)
	}
	// Vensim's and Stella's 75.374 (samples/teacup/output.csv in the
	// SDXorg test-model suite).
	fmt.Printf("%s after %g minutes: %.4g\n", m.Vars[0].Name, res.Times[len(res.Times)-1], final)
	// Output:
	// Teacup Temperature after 30 minutes: 75.37
}

func ExampleWrite() {
	m, err := model.Load("decay.yaml", []byte(`
name: decay
time: {stop: 10}
stocks:
  amount: {initial: 100, outflows: [decay]}
flows:
  decay: amount / lifetime
auxiliaries:
  lifetime: {equation: 5, units: year}
`))
	if err != nil {
		log.Fatal(err)
	}
	if err := xmile.Write(os.Stdout, m); err != nil {
		log.Fatal(err)
	}
	// Output:
	// <?xml version="1.0" encoding="utf-8"?>
	// <xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
	// 	<header>
	// 		<name>decay</name>
	// 		<vendor>stockflow</vendor>
	// 		<product version="devel" lang="en">stockflow</product>
	// 	</header>
	// 	<sim_specs method="euler">
	// 		<start>0</start>
	// 		<stop>10</stop>
	// 		<dt>1</dt>
	// 	</sim_specs>
	// 	<model>
	// 		<variables>
	// 			<stock name="amount">
	// 				<eqn>100</eqn>
	// 				<outflow>decay</outflow>
	// 			</stock>
	// 			<flow name="decay">
	// 				<eqn>amount / lifetime</eqn>
	// 			</flow>
	// 			<aux name="lifetime">
	// 				<eqn>5</eqn>
	// 				<units>year</units>
	// 			</aux>
	// 		</variables>
	// 	</model>
	// </xmile>
}
