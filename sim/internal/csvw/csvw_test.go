package csvw

import (
	"bytes"
	"encoding/csv"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWriter(t *testing.T) {
	tests := []struct {
		name  string
		text  []string
		nums  []float64
		want  string
		cells []string // as encoding/csv reads the row back
	}{
		{"plain", []string{"time", "heat_loss"}, nil, "time,heat_loss\n", []string{"time", "heat_loss"}},
		{"comma", []string{"x[a,b]"}, nil, "\"x[a,b]\"\n", []string{"x[a,b]"}},
		{"quote", []string{`say "hi"`}, nil, "\"say \"\"hi\"\"\"\n", []string{`say "hi"`}},
		{"line break", []string{"a\nb"}, nil, "\"a\nb\"\n", []string{"a\nb"}},
		{"leading space", []string{" x", "y "}, nil, "\" x\",y \n", []string{" x", "y "}},
		{"numbers", []string{"t"}, []float64{0.1, 1e21, -3, math.Inf(1), math.Inf(-1)}, "t,0.1,1e+21,-3,+Inf,-Inf\n",
			[]string{"t", "0.1", "1e+21", "-3", "+Inf", "-Inf"}},
		{"NaN is an empty cell", []string{"t"}, []float64{math.NaN(), 2, math.NaN()}, "t,,2,\n", []string{"t", "", "2", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := New(&buf)
			for _, s := range tt.text {
				w.Text(s)
			}
			w.Floats(tt.nums)
			if err := w.End(); err != nil {
				t.Fatal(err)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != tt.want {
				t.Errorf("wrote %q, want %q", got, tt.want)
			}
			r := csv.NewReader(&buf)
			r.FieldsPerRecord = -1
			rec, err := r.Read()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.cells, rec); diff != "" {
				t.Errorf("read back mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
