package expr

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fuzzSeeds are equations of the kind found in real models: those of
// testdata/models, the examples of the XMILE 1.0 specification, built-in
// calls in XMILE and Vensim spellings, and some syntax errors.
var fuzzSeeds = []string{
	// testdata/models.
	"adoption_from_advertising + adoption_from_word_of_mouth",
	"advertising_effectiveness * potential_adopters",
	"contact_rate * adoption_fraction * potential_adopters * adopters / total_population",
	"growth_rate * population * (1 - population / carrying_capacity)",
	"(teacup_temperature - room_temperature) / characteristic_time",
	"1000000",
	"0.011",

	// XMILE 1.0, section 3.
	"a*b",
	"(x < 5) and (y >= 3)",
	"(-3)^x",
	"a*b { take product of a and b } + c { then add c }",
	"IF condition THEN expression ELSE expression",
	"if_then_else(condition, then_expression, else_expression)",
	"cost_f(2003)",
	`"wom multiplier" * "revenue\ngap"`,
	"0 -1 .375 14. 6E5 +8.123e-10", // the sample numbers, as one (bad) equation

	// Builtins and Vensim spellings.
	"MAX(0, MIN(capacity - stock, demand)) * DT",
	"IF TIME >= 5 :AND: TIME < 10 THEN 1 ELSE 0",
	"STEP(10, 5) + RAMP(2, 0, 10) + PULSE(5, 1)",
	"DELAY_FIXED(orders, delivery_delay, orders)",
	"SMOOTH3(x, 4)",
	"7.5 MOD 2 + MODULO(-7, 3)",
	"NOT (a <> b) OR a != c",
	"PI() * radius^2",
	"-2^-2^2",
	"IF a THEN b ELSE c + 1",
	"1 + IF a THEN b ELSE c",
	"(IF a THEN b ELSE c) * 2",
	"\"Heat Loss (deg/min)\" * \\\n 2",
	"température_été ^ 0.5",
	"1e+06 * 5e-324 / 1.7976931348623157e+308",
	"XIDZ(a, b, 1) + ZIDZ(a, b)",

	// Arrays.
	"acquisition_spend[segment] / cac",
	"SUM(customers[*]) + MAX(x[region!, b])",
	"a[DimM, @2, @1] + a' + SUM(b[1:3])",
	"tbl[region](x) * y[i - 1]",

	// Errors.
	"",
	"(1 + 2",
	"a[1]",
	"std.abs(x)",
	"\"unterminated",
	"{unterminated",
	"1e999",
	"a \\ b",
}

// FuzzParse checks that Parse never panics and that whatever it accepts,
// Format prints as text that parses to the same tree and prints the same.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Parse(%q) error %T is not an *Error", src, err)
			}
			return
		}
		text := Format(e)
		e2, err := Parse(text)
		if err != nil {
			t.Fatalf("Parse(%q) = %s; reparsing it: %v", src, text, err)
		}
		if diff := cmp.Diff(e, e2, ignorePos); diff != "" {
			t.Fatalf("Parse(%q) = %s, which reparses differently (-first +second):\n%s", src, text, diff)
		}
		if text2 := Format(e2); text2 != text {
			t.Fatalf("Parse(%q) formats as %q, then as %q", src, text, text2)
		}
	})
}
