package model_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/xmile"
)

// TestLabels reads label: from YAML, writes it back and through XMILE,
// and falls back on the name as written.
func TestLabels(t *testing.T) {
	src := "time: {stop: 1}\nauxiliaries:\n  mrr: {equation: 1, label: MRR}\n  CS_per_customer: 2\n  net_revenue: 3\n"
	path := filepath.Join(t.TempDir(), "m.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := model.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"mrr": "MRR", "CS_per_customer": "CS per customer", "net_revenue": "net revenue"}
	check := func(how string, m *model.Model) {
		t.Helper()
		for name, label := range want {
			v := m.Var(name)
			if v == nil {
				t.Fatalf("%s: no variable %q", how, name)
			}
			if got := v.DisplayName(); got != label {
				t.Errorf("%s: %s.DisplayName() = %q, want %q", how, name, got, label)
			}
		}
	}
	check("YAML", m)
	var y bytes.Buffer
	if err := model.WriteYAML(&y, m); err != nil {
		t.Fatal(err)
	}
	m2, err := model.Load("again.yaml", y.Bytes())
	if err != nil {
		t.Fatalf("%v\n%s", err, y.String())
	}
	check("YAML written and read", m2)
	var x bytes.Buffer
	if err := xmile.Write(&x, m); err != nil {
		t.Fatal(err)
	}
	m3, err := xmile.Read("m.xmile", bytes.NewReader(x.Bytes()))
	if err != nil {
		t.Fatalf("%v\n%s", err, x.String())
	}
	check("XMILE written and read", m3)
	if !bytes.Contains(x.Bytes(), []byte("<stockflow:label>MRR</stockflow:label>")) {
		t.Errorf("XMILE:\n%s", x.String())
	}
}

// TestFlowMappingComma gives one error, with the quoted equation, for an
// equation that YAML cut at a comma in a {...} mapping.
func TestFlowMappingComma(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"two arguments", "time: {stop: 1}\nauxiliaries:\n  x: {equation: STEP(1, 12), units: dimensionless}\n",
			[]string{`m.yaml:3:17: the value of "equation" is cut at a comma, which ends a value in a {...} mapping; quote it: equation: "STEP(1, 12)"`}},
		{"nested calls", "time: {stop: 1}\nstocks:\n  s: {initial: MAX(0, MIN(1, 2)), inflows: [f]}\nflows:\n  f: 1\n",
			[]string{`m.yaml:3:16: the value of "initial" is cut at a comma, which ends a value in a {...} mapping; quote it: initial: "MAX(0, MIN(1, 2))"`}},
		{"and an unknown key", "time: {stop: 1}\nauxiliaries:\n  x: {equation: MAX(1, 2), unit: m}\n",
			[]string{
				`m.yaml:3:17: the value of "equation" is cut at a comma, which ends a value in a {...} mapping; quote it: equation: "MAX(1, 2)"`,
				`m.yaml:3:28: unknown key "unit" in auxiliary "x" (did you mean "units"?) (expected one of dims, doc, elements, equation, initial, label, lookup, range, uncertainty, units)`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := model.Load("m.yaml", []byte(tt.src))
			var list model.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %v, want an ErrorList", err)
			}
			var got []string
			for _, e := range list {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
