package main

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var regenGallery = flag.Bool("regen", false, "rewrite the README's chart gallery in testdata/gallery")

// gallery are the commands whose charts the README shows, each writing
// one image of testdata/gallery: one of every chart kind, from the
// repository's own flagship model.
var gallery = []struct {
	file string
	args string // as the README writes them, after "go run ./cmd/stockflow"
}{
	{"customers.png", "plot $M --vars customers --all-scenarios -o customers.png"},
	{"compare.png", "plot $M --vars customers,mrr,customer_happiness,cs_per_customer,churn,cumulative_profit --all-scenarios -o compare.png"},
	{"bands.png", "sensitivity $M --scenario success_heavy --uncertain --runs 400 --lhs --seed 1 --vars cumulative_profit --plot bands.png -o bands.csv"},
	{"dominance.png", "loops $M --scenario balanced --plot dominance.png"},
	{"quadrant.png", "plot $M --all-scenarios --phase customer_happiness,profit_per_customer --quadrants 0.5,650 -o quadrant.png"},
}

// TestGallery makes the charts of the README's gallery with the commands
// the README shows beside them, and checks the images in
// testdata/gallery have their size (-regen rewrites them: the gallery is
// the command's real output, not drawn by hand).
func TestGallery(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, g := range gallery {
		if !strings.Contains(string(readme), "go run ./cmd/stockflow "+g.args+"\n") {
			t.Errorf("the README does not show the command of %s: go run ./cmd/stockflow %s", g.file, g.args)
		}
		var args []string
		for _, a := range strings.Fields(g.args) {
			switch {
			case a == "$M":
				a = customerSuccess
			case strings.HasSuffix(a, ".png") || strings.HasSuffix(a, ".csv"):
				a = filepath.Join(dir, a)
			}
			args = append(args, a)
		}
		if _, errs, status := stockflow(args...); status != 0 {
			t.Fatalf("%s: status %d: %s", g.args, status, errs)
		}
		got, err := os.ReadFile(filepath.Join(dir, g.file))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("../../testdata/gallery", g.file)
		if *regenGallery {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (go test ./cmd/stockflow -run Gallery -regen writes it)", err)
		}
		gi, err1 := png.DecodeConfig(bytes.NewReader(got))
		wi, err2 := png.DecodeConfig(bytes.NewReader(want))
		if err1 != nil || err2 != nil || gi.Width != wi.Width || gi.Height != wi.Height {
			t.Errorf("%s is %dx%d, the gallery's %dx%d (%v, %v); go test ./cmd/stockflow -run Gallery -regen rewrites it",
				g.file, gi.Width, gi.Height, wi.Width, wi.Height, err1, err2)
		}
	}
}
