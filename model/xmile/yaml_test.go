package xmile_test

import (
	"bytes"
	"cmp"
	"path/filepath"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/xmile"
)

// TestWriteYAMLConformance converts every Tier A file to YAML with
// model.WriteYAML and loads it back: the model must be the same, but for
// the order of its variables (the YAML groups them by kind), and so must
// its results.
func TestWriteYAMLConformance(t *testing.T) {
	for _, file := range tierA {
		t.Run(file, func(t *testing.T) {
			m, err := xmile.ReadFile(filepath.Join(conformanceDir, file))
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := model.WriteYAML(&buf, m); err != nil {
				t.Fatalf("WriteYAML() error: %v", err)
			}
			got, err := model.Load(m.File, buf.Bytes())
			if err != nil {
				t.Fatalf("Load() of what WriteYAML wrote: %v\n%s", err, buf.String())
			}
			want := *m
			want.Vars = slices.Clone(m.Vars)
			slices.SortStableFunc(want.Vars, func(a, b *model.Variable) int { return cmp.Compare(a.Kind, b.Kind) })
			if diff := gocmp.Diff(&want, got, sameModel); diff != "" {
				t.Fatalf("Load(WriteYAML()) mismatch (-want +got):\n%s\n%s", diff, buf.String())
			}
			a, b := run(t, m), run(t, got)
			for _, name := range a.Names {
				if diff := gocmp.Diff(must(a.Series(name)), must(b.Series(name)), cmpopts.EquateNaNs()); diff != "" {
					t.Errorf("results of %q mismatch (-want +got):\n%s", name, diff)
				}
			}
		})
	}
}

// TestWriteYAMLRoundTrip writes models to YAML and loads them back.
func TestWriteYAMLRoundTrip(t *testing.T) {
	for _, tt := range roundTripModels {
		t.Run(tt.name, func(t *testing.T) {
			m, err := model.Load("m.yaml", []byte(tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := model.WriteYAML(&buf, m); err != nil {
				t.Fatalf("WriteYAML() error: %v", err)
			}
			got, err := model.Load("m.yaml", buf.Bytes())
			if err != nil {
				t.Fatalf("Load() of what WriteYAML wrote: %v\n%s", err, buf.String())
			}
			want := *m
			want.Vars = slices.Clone(m.Vars)
			slices.SortStableFunc(want.Vars, func(a, b *model.Variable) int { return cmp.Compare(a.Kind, b.Kind) })
			if diff := gocmp.Diff(&want, got, sameModel); diff != "" {
				t.Errorf("Load(WriteYAML()) mismatch (-want +got):\n%s\n%s", diff, buf.String())
			}
		})
	}
}
