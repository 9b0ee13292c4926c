package units_test

import (
	"errors"
	"fmt"
	"log"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/units"
)

// Check reports each place where units that must agree do not, and
// infers the units of the variables that declare none.
func ExampleCheck() {
	m, err := model.Load("revenue.yaml", []byte(`
time: {stop: 24, units: month}
stocks:
  customers: {initial: 100, inflows: [signups], outflows: [churn], units: accounts}
flows:
  signups: {equation: marketing / acquisition_cost, units: accounts/month}
  churn: {equation: customers * churn_rate, units: accounts/month}
auxiliaries:
  marketing: {equation: 5000, units: $/month}
  acquisition_cost: {equation: 250, units: $/account}
  churn_rate: 0.03
  price: {equation: 40, units: $/(account*month)}
  revenue: {equation: customers + price, units: $/month}
`))
	if err != nil {
		log.Fatal(err)
	}
	report, err := units.Check(m)
	fmt.Println(err)

	// Each problem is a *model.Error wrapping a *units.Error.
	var ue *units.Error
	if errors.As(err, &ue) {
		fmt.Printf("%s: expected %s, found %s\n", ue.Var, ue.Expected, ue.Found)
	}

	for _, e := range report.Vars {
		how := "declared"
		if e.Inferred {
			how = "inferred"
		}
		fmt.Printf("%-16s %-18s %s\n", e.Name, report.Units(e), how)
	}
	// Output:
	// revenue.yaml:13:33: units: revenue: cannot add account and $/(account*month)
	// revenue: expected account, found $/(account*month)
	// customers        account            declared
	// signups          account/month      declared
	// churn            account/month      declared
	// marketing        $/month            declared
	// acquisition_cost $/account          declared
	// churn_rate       1/month            inferred
	// price            $/(account*month)  declared
	// revenue          $/month            declared
}

// Parse reads a units expression and reduces it to primary units, so
// that equal units compare equal however they are written: in any case,
// plural or singular, as a quotient or a product of powers.
func ExampleParse() {
	a, err := units.Parse("$/(account*month)")
	if err != nil {
		log.Fatal(err)
	}
	b, err := units.Parse("$ * Accounts^-1 / months")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a, "=", b, a.Equal(b))

	perYear, _ := units.Parse("1/year")
	people, _ := units.Parse("People")
	fmt.Println(people.Mul(perYear))

	_, err = units.Parse("m^")
	fmt.Println(err)
	// Output:
	// $/(account*month) = $/(account*month) true
	// person/year
	// expected a number as the power but found the end of the units
}

// A System holds a model's own units: aliases, and units defined by
// others (model.Model.Units, the YAML units section).
func ExampleSystem() {
	sys, err := units.NewSystem([]*model.UnitDef{
		{Name: "dollar", Aliases: []string{"$", "USD"}},
		{Name: "quarter", Equation: "3 month"},
	})
	if err != nil {
		log.Fatal(err)
	}
	a, _ := sys.Parse("USD/quarter")
	b, _ := sys.Parse("$/month")
	fmt.Println(sys.Format(a), "and", sys.Format(b))
	fmt.Printf("same dimension: %t, equal: %t, ratio %.4g\n", a.SameDimension(b), a.Equal(b), a.Scale()/b.Scale())
	// Output:
	// 0.333333 dollar/month and dollar/month
	// same dimension: true, equal: false, ratio 0.3333
}
