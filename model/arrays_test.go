package model_test

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stockflow/stockflow/model"
)

func TestLoadArrays(t *testing.T) {
	m, err := model.LoadFile("../testdata/arrays/segments.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ignore := cmpopts.IgnoreFields(model.Dimension{}, "Pos", "ElementPos")
	want := []*model.Dimension{
		{Name: "segment", Elements: []string{"smb", "mid_market", "enterprise"}},
		{Name: "cohort", Elements: []string{"1", "2", "3"}, Indexed: true},
		{Name: "large", Of: "segment", Elements: []string{"mid_market", "enterprise"}},
	}
	if diff := cmp.Diff(want, m.Dimensions, ignore); diff != "" {
		t.Errorf("Dimensions mismatch (-want +got):\n%s", diff)
	}
	churn := m.Var("churn_rate")
	if diff := cmp.Diff([]string{"segment"}, churn.Dims); diff != "" {
		t.Errorf("churn_rate dims mismatch (-want +got):\n%s", diff)
	}
	var keys, eqs []string
	for _, el := range churn.Elements {
		keys = append(keys, el.Key())
		eqs = append(eqs, el.Equation.Text)
	}
	if diff := cmp.Diff([]string{"smb", "mid_market", "enterprise"}, keys); diff != "" {
		t.Errorf("element keys mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"0.04", "0.02", "0.01"}, eqs); diff != "" {
		t.Errorf("element equations mismatch (-want +got):\n%s", diff)
	}
	if got, want := churn.Elements[1].Equation.Pos, (model.Position{File: "../testdata/arrays/segments.yaml", Line: 24, Col: 39}); got != want {
		t.Errorf("element equation position = %v, want %v", got, want)
	}
	if diff := cmp.Diff([]string{"customers[smb]", "customers[mid_market]", "customers[enterprise]"}, m.ElementNames(m.Var("customers"))); diff != "" {
		t.Errorf("ElementNames mismatch (-want +got):\n%s", diff)
	}

	// Written and read back, the model is the same.
	var buf bytes.Buffer
	if err := model.WriteYAML(&buf, m); err != nil {
		t.Fatal(err)
	}
	m2, err := model.Load("again.yaml", buf.Bytes())
	if err != nil {
		t.Fatalf("reading the written model: %v\n%s", err, buf.String())
	}
	if diff := cmp.Diff(m.Dimensions, m2.Dimensions, ignore); diff != "" {
		t.Errorf("Dimensions after WriteYAML mismatch (-first +second):\n%s", diff)
	}
	for _, v := range m.Vars {
		v2 := m2.Var(v.Name)
		if diff := cmp.Diff(v.Dims, v2.Dims); diff != "" {
			t.Errorf("%s: dims after WriteYAML mismatch (-first +second):\n%s", v.Name, diff)
		}
		if len(v.Elements) != len(v2.Elements) {
			t.Errorf("%s: %d elements after WriteYAML, want %d", v.Name, len(v2.Elements), len(v.Elements))
		}
	}
}

func TestElements(t *testing.T) {
	m, err := model.LoadFile("../testdata/arrays/segments.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		want []string
	}{
		{"customers[smb]", []string{"customers[smb]"}},
		{"Customers[ SMB ]", []string{"customers[smb]"}},
		{"customers[*]", []string{"customers[smb]", "customers[mid_market]", "customers[enterprise]"}},
		{"customers", []string{"customers[smb]", "customers[mid_market]", "customers[enterprise]"}},
		{"customers[large]", []string{"customers[mid_market]", "customers[enterprise]"}},
		{"cac", []string{"cac"}},
	}
	for _, tt := range tests {
		_, got, err := m.Elements(tt.name)
		if err != nil {
			t.Errorf("Elements(%q): %v", tt.name, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Elements(%q) mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
	for _, bad := range []string{"customers[smbb]", "cac[smb]", "customers[smb,1]", "customers[smb", "custmers[smb]"} {
		if _, _, err := m.Elements(bad); err == nil {
			t.Errorf("Elements(%q) = nil error, want one", bad)
		}
	}
}

func TestLoadArrayErrors(t *testing.T) {
	base, err := os.ReadFile("../testdata/arrays/segments.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, old, new string
		want           []model.Position // line, col of each error
		msg            string           // the first error's message
	}{
		{"element not in parent", "elements: [mid_market, enterprise]", "elements: [mid_market, enterprize]",
			[]model.Position{{Line: 7, Col: 47}}, `element "enterprize" of subrange "large" is not an element of its parent "segment" (did you mean "enterprise"?)`},
		{"undefined parent", "{of: segment,", "{of: segmnt,",
			[]model.Position{{Line: 7, Col: 3}}, `subrange "large" is of undefined dimension "segmnt" (did you mean "segment"?)`},
		{"duplicate element", "[smb, mid_market, enterprise]", "[smb, mid_market, smb]",
			[]model.Position{{Line: 5, Col: 30}, {Line: 7, Col: 47}, {Line: 18, Col: 3}, {Line: 20, Col: 45}, {Line: 22, Col: 3}, {Line: 24, Col: 45}}, `element "smb" is listed twice in dimension "segment" (first at m.yaml:5:13)`},
		{"undefined dimension", "  wins:   {dims: [segment]", "  wins:   {dims: [segmen]",
			[]model.Position{{Line: 9, Col: 3}, {Line: 15, Col: 3}}, `inflow "wins" of stock "customers" has dims [segmen] but the stock has [segment]`},
		{"element typo", "{smb: 0.04,", "{smbb: 0.04,",
			[]model.Position{{Line: 22, Col: 3}, {Line: 24, Col: 16}}, `auxiliary "churn_rate" has no equation for element smb`},
		{"count", "cohort: 3 ", "cohort: 0 ",
			[]model.Position{{Line: 6, Col: 11}}, `expected a whole number of elements from 1 to 1000000 for dimension "cohort" but found "0"`},
		{"both", "    elements: {smb: 0.04", "    equation: 1\n    elements: {smb: 0.04",
			[]model.Position{{Line: 25, Col: 16}}, `auxiliary "churn_rate" has both one equation for all elements and equations per element`},
		{"scenario element", `"acquisition_spend[smb]"`, `"acquisition_spend[smbb]"`,
			[]model.Position{{Line: 32, Col: 11}}, `scenario "cheaper_smb" sets "acquisition_spend[smbb]": "smbb" is not an element of dimension "segment" of "acquisition_spend" (did you mean "smb"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := bytes.Replace(base, []byte(tt.old), []byte(tt.new), 1)
			if bytes.Equal(src, base) {
				t.Fatalf("%q not found in the model", tt.old)
			}
			_, err := model.Load("m.yaml", src)
			var list model.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Load error = %v, want an ErrorList", err)
			}
			var got []model.Position
			for _, e := range list {
				got = append(got, model.Position{Line: e.Pos.Line, Col: e.Pos.Col})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("error positions mismatch (-want +got):\n%s\n%v", diff, err)
			}
			if list[0].Msg != tt.msg {
				t.Errorf("first error = %q, want %q", list[0].Msg, tt.msg)
			}
		})
	}
}
