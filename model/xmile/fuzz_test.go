package xmile_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stockflow/stockflow/model/xmile"
)

// FuzzRead checks that no input makes Read panic, that a model it accepts
// validates, and that Write and Read give that model back.
func FuzzRead(f *testing.F) {
	for _, file := range tierA {
		if src, err := os.ReadFile(filepath.Join(conformanceDir, file)); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte(wrap(`<stock name="s"><eqn>1</eqn><inflow>f</inflow><non_negative/></stock><flow name="f"><eqn>TIME</eqn><gf><xscale min="0" max="1"/><ypts>0,1</ypts></gf></flow>`)))
	f.Add([]byte(`<xmile><sim_specs><start>0</start><stop>1</stop></sim_specs><model><variables><aux name="a"><eqn>1</eqn><aux name="b"><eqn>a</eqn></aux></variables></model></xmile>`))
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := xmile.Read("f.xmile", bytes.NewReader(src))
		if err != nil {
			return
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("Read accepted a model that does not validate: %v", err)
		}
		var buf bytes.Buffer
		if err := xmile.Write(&buf, m); err != nil {
			t.Fatalf("Write() of a model Read accepted: %v", err)
		}
		got, err := xmile.Read("f.xmile", &buf)
		if err != nil {
			t.Fatalf("Read() of what Write wrote: %v\n%s", err, buf.String())
		}
		if diff := cmp.Diff(m, got, sameModel); diff != "" {
			t.Fatalf("Read(Write()) mismatch (-want +got):\n%s", diff)
		}
	})
}
