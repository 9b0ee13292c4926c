package xmile_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/expr"
	"github.com/stockflow/stockflow/model/xmile"
)

// wrap puts variables in a file whose first line holds everything before
// them, so that they start at line 2, column 1.
func wrap(vars string) string {
	return `<xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0"><sim_specs><start>0</start><stop>2</stop></sim_specs><model><variables>` +
		"\n" + vars + "\n</variables></model></xmile>"
}

func read(src string) (*model.Model, error) {
	return xmile.Read("m.xmile", strings.NewReader(src))
}

func errorLines(err error) []string {
	var list model.ErrorList
	if !errors.As(err, &list) {
		if err == nil {
			return nil
		}
		return []string{"not an ErrorList: " + err.Error()}
	}
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = e.Error()
	}
	return out
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name        string
		src         string
		want        []string
		unsupported bool // errors.Is(err, xmile.ErrUnsupported)
	}{
		{"undefined dimension", wrap(`<aux name="a"><dimensions><dim name="X"/></dimensions><eqn>1</eqn></aux>`),
			[]string{`m.xmile:2:1: auxiliary "a" has undefined dimension "X"`}, false},
		{"element without dimensions", wrap(`<aux name="a"><element subscript="1"><eqn>1</eqn></element></aux>`),
			[]string{`m.xmile:2:15: auxiliary "a" has equations per element but no dims`}, false},
		{"placeholder equation", wrap(`<aux name="a"><eqn> ??? </eqn></aux>`),
			[]string{`m.xmile:2:15: placeholder equations are not supported ("???": the exporting tool could not translate the equation)`}, true},
		{"module without its model", wrap(`<module name="hares"/>`),
			[]string{`m.xmile:2:1: module "hares": the file has no <model name="hares">`}, false},
		{"module in another file", wrap(`<module name="hares" resource="hares.xmile"/>`),
			[]string{`m.xmile:2:1: modules in other files are not supported (module "hares", resource "hares.xmile")`}, true},
		{"conveyor", wrap(`<stock name="s"><eqn>1</eqn><conveyor><len>1</len></conveyor></stock>`),
			[]string{`m.xmile:2:29: conveyors are not supported (stock "s" has <conveyor>)`}, true},
		{"queue", wrap(`<stock name="s"><eqn>1</eqn><queue/></stock>`),
			[]string{`m.xmile:2:29: queues are not supported (stock "s" has <queue>)`}, true},
		{"oven", wrap(`<stock name="s"><eqn>1</eqn><isee:oven/></stock>`),
			[]string{`m.xmile:2:29: ovens are not supported (stock "s" has <isee:oven>)`}, true},
		{"leak", wrap(`<flow name="f"><eqn>1</eqn><leak/></flow>`),
			[]string{`m.xmile:2:28: conveyor leakage is not supported (flow "f" has <leak>)`}, true},
		{"overflow", wrap(`<flow name="f"><eqn>1</eqn><overflow/></flow>`),
			[]string{`m.xmile:2:28: queue overflows are not supported (flow "f" has <overflow>)`}, true},
		{"mathml", wrap(`<aux name="a"><mathml><ci>x</ci></mathml></aux>`),
			[]string{`m.xmile:2:15: equations in MathML are not supported (auxiliary "a" has <mathml> and no <eqn>)`}, true},
		{"unknown element", wrap(`<aux name="a"><eqn>1</eqn><foo/></aux>`),
			[]string{`m.xmile:2:27: unknown element <foo> in <aux>`}, false},
		{"equation after an entity", wrap(`<aux name="a"><eqn>IF TIME &gt; 1 THEN ) ELSE 0</eqn></aux>`),
			[]string{`m.xmile:2:40: expected an expression but found ")"`}, false},
		{"equation on a later line", wrap("<aux name=\"a\"><eqn>\n  1 +\n  * 2</eqn></aux>"),
			[]string{`m.xmile:4:3: expected an expression but found "*"`}, false},
		{"non_negative", wrap(`<flow name="f"><eqn>1</eqn><non_negative>maybe</non_negative></flow>`),
			[]string{`m.xmile:2:42: expected nothing, true or false in <non_negative> but found "maybe"`}, false},
		{"points", wrap(`<gf name="g"><xpts>0,x,2</xpts><ypts>1,2,3</ypts></gf>`),
			[]string{`m.xmile:2:22: expected a finite number in <xpts> but found "x"`}, false},
		{"points with a gap", wrap(`<gf name="g"><xpts>0,,2</xpts><ypts>1,2,3</ypts></gf>`),
			[]string{`m.xmile:2:22: expected a finite number in <xpts> but found ""`}, false},
		{"gf without a name", wrap(`<gf><ypts>1</ypts></gf>`),
			[]string{`m.xmile:2:1: a graphical function outside a variable needs a name`}, false},
		{"gf without x", wrap(`<gf name="g"><ypts>1,2</ypts></gf>`),
			[]string{`m.xmile:2:1: graphical function has neither <xpts> nor <xscale>`}, false},
		{"gf type", wrap(`<gf name="g" type="smooth"><xpts>1,2</xpts><ypts>1,2</ypts></gf>`),
			[]string{`m.xmile:2:1: unknown graphical function type "smooth" (expected continuous, extrapolate or discrete)`}, false},
		{"undefined gf", wrap(`<aux name="a"><eqn>1</eqn><gf name="nope"/></aux>`),
			[]string{`m.xmile:2:27: undefined graphical function "nope"`}, false},
		{"duplicate eqn", wrap(`<aux name="a"><eqn>1</eqn><eqn>2</eqn></aux>`),
			[]string{`m.xmile:2:27: duplicate <eqn> in auxiliary "a" (the first is at m.xmile:2:15)`}, false},
		{"no name", wrap(`<aux><eqn>1</eqn></aux>`),
			[]string{`m.xmile:2:1: <aux> has no name`}, false},
		{"stray end tag", wrap(`<aux name="a"><eqn>1</eqn></aux></flow>`),
			[]string{`m.xmile:2:33: unexpected end tag </flow> (no open <flow>)`}, false},
		{"undefined flow", wrap(`<stock name="s"><eqn>1</eqn><inflow>nope</inflow></stock>`),
			[]string{`m.xmile:2:1: inflow "nope" of stock "s" is not defined`}, false},
		{"several", wrap("<module name=\"m\" resource=\"m.xmile\"/>\n<aux name=\"a\"><eqn>1</eqn><foo/></aux>"),
			[]string{`m.xmile:2:1: modules in other files are not supported (module "m", resource "m.xmile")`, `m.xmile:3:27: unknown element <foo> in <aux>`}, true},
		{"element in text", wrap(`<aux name="a"><eqn>1 <b>+</b> 2</eqn></aux>`),
			[]string{`m.xmile:2:22: unknown element <b> in <eqn>`, `m.xmile:2:31: unexpected "2" after the end of the expression`}, false},
		{"reading and validation errors", wrap("<aux name=\"a\"><dimensions><dim name=\"X\"/></dimensions></aux>\n<stock name=\"s\"><eqn>1</eqn><inflow>nope</inflow></stock>"),
			[]string{`m.xmile:2:1: auxiliary "a" has no equation`, `m.xmile:2:1: auxiliary "a" has undefined dimension "X"`, `m.xmile:3:1: inflow "nope" of stock "s" is not defined`}, false},
		{"macro without an equation", `<xmile><sim_specs><start>0</start><stop>1</stop></sim_specs>` + "\n" + `<macro name="m"/><model/></xmile>`,
			[]string{`m.xmile:2:1: macro "m" has no <eqn>`}, false},
		{"macro with its own time", `<xmile><sim_specs><start>0</start><stop>1</stop></sim_specs>` + "\n" + `<macro name="m"><eqn>1</eqn><sim_specs/></macro><model/></xmile>`,
			[]string{`m.xmile:2:29: macros with their own simulation specs are not supported (macro "m")`}, true},
		{"module inside itself", `<xmile><sim_specs><start>0</start><stop>1</stop></sim_specs><model><module name="sub"/></model>` + "\n" + `<model name="sub"><variables><module name="sub"/></variables></model></xmile>`,
			[]string{`m.xmile:2:30: module "sub" places the model "sub" inside itself`}, false},
		{"dimension size", `<xmile><sim_specs><start>0</start><stop>1</stop></sim_specs><dimensions>` + "\n" + `<dim name="X" size="two"/></dimensions><model/></xmile>`,
			[]string{`m.xmile:2:1: expected a whole number of elements for the size of dimension "X" but found "two"`}, false},
		{"method", `<xmile><sim_specs method="gear"><start>0</start><stop>1</stop></sim_specs><model/></xmile>`,
			[]string{`m.xmile:1:8: integration method "gear" is not supported (expected Euler, RK2 or RK4)`}, true},
		{"time", "<xmile><sim_specs><start>0</start>\n<stop>soon</stop><dt reciprocal=\"true\">0</dt></sim_specs><model/></xmile>",
			[]string{`m.xmile:2:7: expected a finite number in <stop> but found "soon"`, `m.xmile:2:18: expected a positive reciprocal of dt but found 0`}, false},
		{"no sim_specs", `<xmile><model/></xmile>`,
			[]string{`m.xmile:1:1: the file has no <sim_specs>`}, false},
		{"no stop", `<xmile><sim_specs><start>0</start></sim_specs><model/></xmile>`,
			[]string{`m.xmile:1:8: <sim_specs> has no <stop>`}, false},
		{"no stop in either", `<xmile><sim_specs><start>0</start></sim_specs><model><sim_specs><dt>1</dt></sim_specs></model></xmile>`,
			[]string{`m.xmile:1:8: <sim_specs> has no <stop>`}, false},
		{"two sim_specs", `<xmile><sim_specs><start>0</start><stop>1</stop></sim_specs><sim_specs/><model/></xmile>`,
			[]string{`m.xmile:1:61: duplicate <sim_specs> (the first is at m.xmile:1:8)`}, false},
		{"no model", `<xmile><sim_specs><start>0</start><stop>1</stop></sim_specs></xmile>`,
			[]string{`m.xmile:1:1: the file has no <model>`}, false},
		{"root", `<model/>`,
			[]string{`m.xmile:1:1: expected <xmile> as the root element but found <model>`}, false},
		{"empty", ``,
			[]string{`m.xmile:1:1: no XML element in the file`}, false},
		{"never closed", "<xmile>\n<model>",
			[]string{`m.xmile:1:1: <xmile> is never closed`, `m.xmile:1:1: the file has no <sim_specs>`}, false},
		{"syntax", "<xmile>\n<model><aux name=\"a\"><eqn>1 < 2</eqn></aux></model></xmile>",
			[]string{`m.xmile:2:30: invalid XML: expected element name after <`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := read(tt.src)
			if diff := cmp.Diff(tt.want, errorLines(err)); diff != "" {
				t.Errorf("Read() errors mismatch (-want +got):\n%s", diff)
			}
			if got := errors.Is(err, xmile.ErrUnsupported); got != tt.unsupported {
				t.Errorf("errors.Is(err, ErrUnsupported) = %v, want %v", got, tt.unsupported)
			}
		})
	}
}

func TestRead(t *testing.T) {
	eq := model.MustEquation
	tests := []struct {
		name string
		src  string
		want *model.Model
	}{
		{"missing end tag", `<xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">
<sim_specs><start>0</start><stop>5</stop><dt>1.00</dt></sim_specs>
<model name="default"><variables>
	<flow name="in"><eqn>IF Time &gt; 1 THEN Time ELSE -Time</eqn><non_negative>FALSE  </non_negative>
	<stock name="s"><inflow>in</inflow><eqn>10</eqn></stock>
</variables></model></xmile>`, &model.Model{
			Time: model.Time{Stop: 5, DT: 1, Method: model.Euler},
			Vars: []*model.Variable{
				{Kind: model.Flow, Name: "in", Equation: eq("IF Time > 1 THEN Time ELSE -Time")},
				{Kind: model.Stock, Name: "s", Equation: eq("10"), Inflows: []string{"in"}},
			},
		}},
		{"namespaces and vendor elements", `<?xml version="1.0" encoding="utf-8"?>
<xmile version="1.0" xmlns="http://www.systemdynamics.org/XMILE">
<isee:prefs show_module_prefix="true"/>
<header><name> SIR </name><vendor>x</vendor><options><uses_arrays/></options></header>
<sim_specs isee:simulation_delay="0" method="RK4" time_units="Days" savestep="0.5"><start>1</start><stop>3</stop><dt reciprocal="true">4</dt></sim_specs>
<equation_prefs xmlns="isee" order_by="module"><whatever/></equation_prefs>
<default_format/>
<model_units><unit name="People"><eqn/></unit></model_units>
<dimensions/>
<style><model font-family="Arial"/></style>
<model><doc>The model.</doc><variables>
	<aux name="Contact\nRate"><doc>	Per day. </doc><eqn><![CDATA[0.3]]></eqn><units>1/day</units><isee:thing/></aux>
	<isee:dependencies><var name="x"/></isee:dependencies>
	<group name="sector"><entity name="Contact Rate"/></group>
</variables><views><view><aux name="x"/></view></views></model></xmile>`, &model.Model{
			Name: "SIR", Doc: "The model.",
			Time:  model.Time{Start: 1, Stop: 3, DT: 0.25, SaveEvery: 0.5, Method: model.RK4, Units: "Days"},
			Vars:  []*model.Variable{{Kind: model.Aux, Name: "Contact Rate", Equation: eq("0.3"), Units: "1/day", Doc: "Per day."}},
			Units: []*model.UnitDef{{Name: "People"}},
		}},
		{"non-negative defaults", `<xmile>
<sim_specs><start>0</start><stop>1</stop></sim_specs>
<behavior><non_negative/></behavior>
<model>
<behavior><stock><non_negative>false</non_negative></stock></behavior>
<variables>
	<stock name="s1"><eqn>1</eqn><inflow>f1</inflow></stock>
	<stock name="s2"><eqn>1</eqn><non_negative/><outflow>f2</outflow></stock>
	<flow name="f1"><eqn>1</eqn></flow>
	<flow name="f2"><eqn>1</eqn><non_negative> False </non_negative></flow>
	<aux name="a"><eqn>1</eqn></aux>
</variables></model></xmile>`, &model.Model{
			Time: model.Time{Stop: 1, DT: 1, Method: model.Euler},
			Vars: []*model.Variable{
				{Kind: model.Stock, Name: "s1", Equation: eq("1"), Inflows: []string{"f1"}},
				{Kind: model.Stock, Name: "s2", Equation: eq("1"), Outflows: []string{"f2"}, NonNegative: true},
				{Kind: model.Flow, Name: "f1", Equation: eq("1"), NonNegative: true},
				{Kind: model.Flow, Name: "f2", Equation: eq("1")},
				{Kind: model.Aux, Name: "a", Equation: eq("1")},
			},
		}},
		{"names and flows", wrap(`<stock name="Stock with \n Newline"><eqn>1</eqn><inflow>"Flow w/ division"</inflow><outflow>rate_out</outflow></stock>
<flow name="Flow w/ division"><eqn>"Stock_with_\n_Newline" / 2</eqn></flow>
<aux name="Rate Out"><eqn>2</eqn></aux>`), &model.Model{
			Time: model.Time{Stop: 2, DT: 1, Method: model.Euler},
			Vars: []*model.Variable{
				{Kind: model.Stock, Name: "Stock with   Newline", Equation: eq("1"), Inflows: []string{"Flow w/ division"}, Outflows: []string{"Rate Out"}},
				{Kind: model.Flow, Name: "Flow w/ division", Equation: eq(`"Stock_with_\n_Newline" / 2`)},
				// Vensim's export declares the flows of stocks as <aux>.
				{Kind: model.Flow, Name: "Rate Out", Equation: eq("2")},
			},
		}},
		{"graphical functions", wrap(`<gf name="by scale" type="extrapolate"><xscale min="0" max="1"/><yscale min="0" max="5"/><ypts sep=";">0;1;4</ypts><units>u</units><doc>D</doc></gf>
<gf name="steps" discrete="true"><xpts sep=" ">0 1 2</xpts><ypts>1,2,2,</ypts></gf>
<aux name="inline"><eqn>TIME</eqn><gf type="Discrete"><xpts>0,1</xpts><ypts>5,6</ypts></gf></aux>
<flow name="ref"><eqn>TIME</eqn><gf name="by_scale"/></flow>
<aux name="overspecified"><eqn>TIME</eqn><gf><xscale min="0" max="9"/><xpts>0,2</xpts><ypts>5,6</ypts></gf></aux>`), &model.Model{
			Time: model.Time{Stop: 2, DT: 1, Method: model.Euler},
			Vars: []*model.Variable{
				{Kind: model.Aux, Name: "inline", Equation: eq("TIME"), Lookup: &model.Lookup{X: []float64{0, 1}, Y: []float64{5, 6}, Mode: model.Discrete}},
				{Kind: model.Flow, Name: "ref", Equation: eq("TIME"), Lookup: &model.Lookup{X: []float64{0, 0.5, 1}, Y: []float64{0, 1, 4}, Mode: model.Extrapolate, Units: "u", Doc: "D"}},
				{Kind: model.Aux, Name: "overspecified", Equation: eq("TIME"), Lookup: &model.Lookup{X: []float64{0, 2}, Y: []float64{5, 6}}},
			},
			Lookups: []*model.Lookup{
				{Name: "by scale", X: []float64{0, 0.5, 1}, Y: []float64{0, 1, 4}, Mode: model.Extrapolate, Units: "u", Doc: "D"},
				{Name: "steps", X: []float64{0, 1, 2}, Y: []float64{1, 2, 2}, Mode: model.Discrete},
			},
		}},
		{"sim_specs in the model", `<xmile><sim_specs method="RK4"><start>0</start><stop>9</stop><dt>0.5</dt></sim_specs>
<model><sim_specs method="Euler"><stop>4</stop></sim_specs><variables><aux name="a"><eqn>1</eqn></aux></variables></model>
</xmile>`, &model.Model{
			Time: model.Time{Stop: 4, DT: 0.5, Method: model.Euler},
			Vars: []*model.Variable{{Kind: model.Aux, Name: "a", Equation: eq("1")}},
		}},
		{"sim_specs only in the model", `<xmile><model><sim_specs><start>1</start><stop>3</stop></sim_specs><variables><aux name="a"><eqn>1</eqn></aux></variables></model></xmile>`, &model.Model{
			Time: model.Time{Start: 1, Stop: 3, DT: 1, Method: model.Euler},
			Vars: []*model.Variable{{Kind: model.Aux, Name: "a", Equation: eq("1")}},
		}},
		{"variables in the model", `<xmile version="1.0" level="3" xmlns="http://www.systemdynamics.org/XMILE" xmlns:isee="http://iseesystems.com/XMILE">
<sim_specs method="Euler" time_units="Time"><start>0</start><stop>30</stop><dt>0.125</dt></sim_specs>
<model>
	<stock name="teacup_temperature"><eqn>180</eqn><outflow>heat_loss</outflow><non_negative /><display x="1" y="2"/></stock>
	<flow name="heat_loss"><eqn>teacup_temperature / 10</eqn><display x="3" y="4"><pts><pt x="1" y="2"/></pts></display></flow>
	<display page_width="0"><connector uid="0"><from>a</from><to>b</to></connector></display>
</model></xmile>`, &model.Model{
			Time: model.Time{Stop: 30, DT: 0.125, Method: model.Euler, Units: "Time"},
			Vars: []*model.Variable{
				{Kind: model.Stock, Name: "teacup_temperature", Equation: eq("180"), Outflows: []string{"heat_loss"}, NonNegative: true},
				{Kind: model.Flow, Name: "heat_loss", Equation: eq("teacup_temperature / 10")},
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := read(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.File = "m.xmile"
			if diff := cmp.Diff(tt.want, got, sameModel); diff != "" {
				t.Errorf("Read() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadPositions checks positions in files with each kind of line end,
// and of a variable and of a fault inside its equation.
func TestReadPositions(t *testing.T) {
	for _, nl := range []string{"\n", "\r\n", "\r"} {
		src := strings.Join([]string{
			`<xmile><sim_specs><start>0</start><stop>1</stop></sim_specs><model><variables>`,
			`  <aux name="a">`,
			`    <eqn>1 +`,
			`       b c</eqn>`,
			`  </aux>`,
			`  <aux name="b"><eqn>1</eqn></aux>`,
			`</variables></model></xmile>`,
		}, nl)
		_, err := read(src)
		want := []string{`m.xmile:4:10: unexpected "c" after the end of the expression`}
		if diff := cmp.Diff(want, errorLines(err)); diff != "" {
			t.Errorf("line ends %q: Read() errors mismatch (-want +got):\n%s", nl, diff)
		}
		m, err := read(strings.Replace(src, " c<", "<", 1))
		if err != nil {
			t.Fatalf("line ends %q: %v", nl, err)
		}
		v := m.Vars[1]
		if got, want := v.Pos.String(), "m.xmile:6:3"; got != want {
			t.Errorf("line ends %q: position of b = %s, want %s", nl, got, want)
		}
		a := m.Vars[0].Equation
		if got, want := a.PosAt(a.Expr.(*expr.Binary).Y.Pos()).String(), "m.xmile:4:8"; got != want {
			t.Errorf("line ends %q: position of b in a's equation = %s, want %s", nl, got, want)
		}
	}
}

// TestReadFile reads a file from disk and reports a missing one as the
// operating system does.
func TestReadFile(t *testing.T) {
	m, err := xmile.ReadFile(conformanceDir + "/samples/teacup/teacup.xmile")
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "Teacup" || len(m.Vars) != 4 || m.Time.DT != 0.125 {
		t.Errorf("ReadFile() = %+v", m)
	}
	if _, err := xmile.ReadFile("no such file.xmile"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadFile() of a missing file: error = %v, want os.ErrNotExist", err)
	}
}

// BenchmarkRead reads the SIR sample, a typical Stella file.
func BenchmarkRead(b *testing.B) {
	src, err := os.ReadFile(conformanceDir + "/samples/SIR/SIR.stmx")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := xmile.Read("SIR.stmx", bytes.NewReader(src)); err != nil {
			b.Fatal(err)
		}
	}
}

// TestReadEncodings reads files in the single-byte encodings of older tools.
func TestReadEncodings(t *testing.T) {
	body := "<xmile><sim_specs><start>0</start><stop>1</stop></sim_specs><model><variables><aux name=\"caf\xe9 \x80\"><eqn>1</eqn></aux></variables></model></xmile>"
	tests := []struct {
		decl, want string
	}{
		{`<?xml version="1.0" encoding="ISO-8859-1"?>`, "café \u0080"},
		{`<?xml version='1.0' encoding='windows-1252'?>`, "café €"},
	}
	for _, tt := range tests {
		m, err := read(tt.decl + "\n" + body)
		if err != nil {
			t.Errorf("%s: %v", tt.decl, err)
			continue
		}
		if got := m.Vars[0].Name; got != tt.want {
			t.Errorf("%s: name = %q, want %q", tt.decl, got, tt.want)
		}
	}
	_, err := read(`<?xml version="1.0" encoding="UTF-16"?>` + "\n" + body)
	want := []string{`m.xmile:1:21: unsupported encoding "UTF-16" (expected UTF-8, US-ASCII, ISO-8859-1 or windows-1252)`}
	if diff := cmp.Diff(want, errorLines(err)); diff != "" {
		t.Errorf("UTF-16: Read() errors mismatch (-want +got):\n%s", diff)
	}
}
