package loops_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stockflow/stockflow/loops"
	"github.com/stockflow/stockflow/model"
)

// polaritySrc is the model the polarity cases complete with one auxiliary
// z: x and y have unknown signs, k is a positive constant, m a negative
// one, s a stock declared non_negative, g a stock that provably stays
// positive (a positive start and one non-negative inflow), and the lookups
// rise, fall, or both.
const polaritySrc = `
time: {start: 0, stop: 10, dt: 0.5}
stocks:
  s: {initial: 1, inflows: [fs], non_negative: true}
  g: {initial: 1, inflows: [fg]}
  u: {initial: 1, outflows: [fu]}
flows:
  fs: x
  fg: k * g
  fu: x
auxiliaries:
  x: SIN(TIME)
  y: COS(TIME)
  k: 3
  m: -2
  varied: 2
  half: k / 2
  share: {equation: 0.3, range: [0, 1]}
  early: {equation: 0.1, range: [0, 1]}
  wide: {equation: 0.3, range: [0, 2]}
  wide_half: wide / 2
lookups:
  up: {points: [[0, 0], [1, 2], [2, 2], [3, 5]]}
  down: {points: [[0, 5], [1, 1]]}
  bumpy: {points: [[0, 0], [1, 2], [2, 1]]}
  replaced: {points: [[0, 0], [1, 1]]}
scenarios:
  flip: {set: {varied: -2}, lookups: {replaced: {points: [[0, 1], [1, 0]]}}}
`

func TestPolarity(t *testing.T) {
	tests := []struct {
		name, eq, from string
		want           loops.Polarity
	}{
		{"sum", "x + y", "x", loops.Positive},
		{"difference", "y - x", "x", loops.Negative},
		{"negation", "-(x + y)", "x", loops.Negative},
		{"positive constant factor", "k * x", "x", loops.Positive},
		{"negative constant factor", "m * x", "x", loops.Negative},
		{"literal factor", "-3 * x", "x", loops.Negative},
		{"factor of unknown sign", "x * y", "x", loops.Unknown},
		{"constant a scenario makes negative", "varied * x", "x", loops.Unknown},
		{"difference of constants, positive in every scenario", "(3 - varied) * x", "x", loops.Positive},
		{"difference of constants, negative in a scenario", "(1 - varied) * x", "x", loops.Unknown},
		{"difference of constants through a chain", "(k - half) * x", "x", loops.Positive},
		{"non_negative stock factor", "s * x", "x", loops.Positive},
		{"proved positive stock factor", "g * x", "x", loops.Positive},
		{"stock with an outflow", "u * x", "x", loops.Unknown},
		{"the stock itself in a product", "s * k", "s", loops.Positive},
		{"square of a stock that stays positive", "g ^ 2", "g", loops.Positive},
		{"square of unknown sign", "x ^ 2", "x", loops.Unknown},
		{"fractional power", "x ^ 0.5", "x", loops.Positive},
		{"dividend", "x / k", "x", loops.Positive},
		{"divisor of known sign", "k / s", "s", loops.Negative},
		{"divisor of unknown sign", "k / x", "x", loops.Unknown},
		{"ratio of stocks", "g / (s + k)", "s", loops.Negative},
		{"EXP", "EXP(x)", "x", loops.Positive},
		{"EXP of negation", "EXP(-x)", "x", loops.Negative},
		{"LN SQRT", "LN(SQRT(s + 1))", "s", loops.Positive},
		{"ARCCOS", "ARCCOS(x)", "x", loops.Negative},
		{"SIN", "SIN(x)", "x", loops.Unknown},
		{"ABS of unknown sign", "ABS(x)", "x", loops.Unknown},
		{"ABS of a non-negative", "ABS(s)", "s", loops.Positive},
		{"MIN", "MIN(x, y, 3)", "x", loops.Positive},
		{"MAX falling", "MAX(y, -x)", "x", loops.Negative},
		{"rising lookup", "up(x)", "x", loops.Positive},
		{"falling lookup of negation", "down(-x)", "x", loops.Positive},
		{"LOOKUP", "LOOKUP(down, x)", "x", loops.Negative},
		{"bumpy lookup", "bumpy(x)", "x", loops.Unknown},
		{"lookup a scenario reverses", "replaced(x)", "x", loops.Unknown},
		{"IF with agreeing branches", "IF y > 0 THEN x ELSE 2 * x", "x", loops.Positive},
		{"IF with disagreeing branches", "IF y > 0 THEN x ELSE -x", "x", loops.Unknown},
		{"IF switching on x", "IF x > 0 THEN 1 ELSE 0", "x", loops.Unknown},
		{"IF_THEN_ELSE", "IF_THEN_ELSE(y, x, k * x)", "x", loops.Positive},
		{"comparison", "x < y", "x", loops.Negative},
		{"mod", "x mod 3", "x", loops.Unknown},
		{"ZIDZ", "ZIDZ(x, k)", "x", loops.Positive},
		{"XIDZ divisor", "XIDZ(k, s, 1)", "s", loops.Unknown},
		{"SMTH1 input", "SMTH1(x, 3)", "x", loops.Positive},
		{"DELAY3 input", "DELAY3(-x, 2)", "x", loops.Negative},
		{"SMTH1 time", "SMTH1(y, x)", "x", loops.Unknown},
		{"smoothed factor of known sign", "x * SMTH1(s, 2)", "x", loops.Positive},
		{"smoothed factor too fast for dt", "x * SMTH3(s, 1)", "x", loops.Unknown},
		{"PREVIOUS", "PREVIOUS(x, 0)", "x", loops.Positive},
		{"TREND", "TREND(x, 3)", "x", loops.Unknown},
		{"STEP height", "STEP(x, 3)", "x", loops.Positive},
		{"NOT", "NOT x", "x", loops.Unknown},
		{"one less shares declared within 0 to 1, switched in time", "(1 - IF TIME < 5 THEN early ELSE share) * x", "x", loops.Positive},
		{"one less a share declared up to 2", "(1 - wide) * x", "x", loops.Unknown},
		{"one less a constant computed from a share declared up to 2", "(1 - wide_half * 4) * x", "x", loops.Unknown},
		{"one less a switch to a share declared up to 2", "(1 - IF TIME < 5 THEN early ELSE wide) * x", "x", loops.Unknown},
		{"a share declared from 0", "wide * x", "x", loops.Positive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := model.Load("p.yaml", []byte(strings.Replace(polaritySrc, "  x: SIN(TIME)", "  z: "+tt.eq+"\n  x: SIN(TIME)", 1)))
			if err != nil {
				t.Fatal(err)
			}
			g, err := loops.NewGraph(m)
			if err != nil {
				t.Fatal(err)
			}
			l, err := g.Link(tt.from, "z")
			if err != nil {
				t.Fatal(err)
			}
			if l.Polarity != tt.want {
				t.Errorf("polarity of %s -> z in z = %s: %v, want %v", tt.from, tt.eq, l.Polarity, tt.want)
			}
		})
	}
}

func TestPolarityText(t *testing.T) {
	for _, p := range []loops.Polarity{loops.Unknown, loops.Positive, loops.Negative} {
		b, err := p.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var q loops.Polarity
		if err := q.UnmarshalText(b); err != nil || q != p {
			t.Errorf("%v round-trips to %v (%v)", p, q, err)
		}
	}
	for _, k := range []loops.Kind{loops.Reinforcing, loops.Balancing, loops.Undetermined, loops.Changing} {
		b, err := k.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var q loops.Kind
		if err := q.UnmarshalText(b); err != nil || q != k {
			t.Errorf("%v round-trips to %v (%v)", k, q, err)
		}
	}
	var k loops.Kind
	if err := k.UnmarshalText([]byte("X")); err == nil {
		t.Error("UnmarshalText(X) succeeded")
	}
	if _, err := loops.Kind(0).MarshalText(); err == nil {
		t.Error("MarshalText of the zero Kind succeeded")
	}
}

// TestPolarityLongConstantChain gives a flow a factor at the end of a
// chain of 60 constants, each the sum of the one before with itself: the
// sign analysis must follow it once per constant (a naive recursion takes
// 2^60 steps) and find the loop reinforcing.
func TestPolarityLongConstantChain(t *testing.T) {
	var b strings.Builder
	b.WriteString("time: {start: 0, stop: 1}\nstocks:\n  s: {initial: 1, inflows: [f]}\nflows:\n  f: {equation: c60 * s}\nauxiliaries:\n  c0: {equation: 1}\n")
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&b, "  c%d: {equation: c%d + c%d}\n", i, i-1, i-1)
	}
	m, err := model.Load("chain.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	g, err := loops.NewGraph(m)
	if err != nil {
		t.Fatal(err)
	}
	found, err := g.Loops(10)
	if err != nil || len(found) != 1 || found[0].Kind != loops.Reinforcing {
		t.Fatalf("loops %v, %v; want one reinforcing loop", found, err)
	}
}
