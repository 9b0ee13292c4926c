package gen_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/sim"
	"github.com/stockflow/stockflow/sim/gen"
)

// Package writes a model as a Go package of the standard library alone:
// Params holds one field per constant, Defaults gives the model's values,
// and Run returns the series. Here the generated source is parsed to list
// what it declares.
func ExamplePackage() {
	m, err := model.Load("teacup.yaml", []byte(`
time: {stop: 30, dt: 0.125}
stocks:
  teacup_temperature: {initial: 180, outflows: [heat_loss_to_room]}
flows:
  heat_loss_to_room: (teacup_temperature - room_temperature) / characteristic_time
auxiliaries:
  room_temperature: 70
  characteristic_time: 10
`))
	if err != nil {
		log.Fatal(err)
	}
	p, err := sim.Compile(m)
	if err != nil {
		log.Fatal(err)
	}
	src, err := gen.Package(p, "teacup", "teacup.yaml")
	if err != nil {
		log.Fatal(err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "teacup.go", src, 0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("package", f.Name)
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Name.IsExported() && d.Recv == nil {
				fmt.Println("func", d.Name)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				ts, ok := s.(*ast.TypeSpec)
				if !ok || !ts.Name.IsExported() {
					continue
				}
				fmt.Println("type", ts.Name)
				if st, ok := ts.Type.(*ast.StructType); ok && ts.Name.Name == "Params" {
					for _, field := range st.Fields.List {
						fmt.Printf("\t%s %s\n", field.Names[0], field.Type)
					}
				}
			}
		}
	}
	// Output:
	// package teacup
	// type RuntimeError
	// type Params
	// 	RoomTemperature float64
	// 	CharacteristicTime float64
	// func Defaults
	// type Options
	// type Result
	// func Run
}
