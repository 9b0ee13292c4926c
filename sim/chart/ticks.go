package chart

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
)

// niceSteps are the mantissas of tick steps, finest first.
var niceSteps = []float64{1, 2, 2.5, 5}

// niceStep returns the finest step m·10^k (m in niceSteps) that divides
// [lo, hi] into at most n intervals, counting the intervals of the range
// widened to multiples of the step when widen is set. It returns 0 when
// the range is not finite or empty.
func niceStep(lo, hi float64, n int, widen bool) float64 {
	span := hi - lo
	if !(span > 0) || math.IsInf(span, 0) || n < 1 {
		return 0
	}
	raw := span / float64(n)
	exp := math.Floor(math.Log10(raw))
	for e := exp - 1; e <= exp+2; e++ {
		p := math.Pow(10, e)
		for _, m := range niceSteps {
			step := m * p
			if step < raw*(1-1e-9) || step == 0 || math.IsInf(step, 0) {
				continue
			}
			if widen {
				k := math.Ceil(hi/step-1e-9) - math.Floor(lo/step+1e-9)
				if k > float64(n) {
					continue
				}
			}
			return step
		}
	}
	return 0
}

// niceRange widens [lo, hi] to multiples of a nice step giving at most n
// intervals. A range that cannot be divided is returned as it is, with
// step 0.
func niceRange(lo, hi float64, n int) (nlo, nhi, step float64) {
	step = niceStep(lo, hi, n, true)
	if step == 0 {
		return lo, hi, 0
	}
	nlo = math.Floor(lo/step+1e-9) * step
	nhi = math.Ceil(hi/step-1e-9) * step
	if math.IsInf(nlo, 0) || math.IsInf(nhi, 0) {
		return lo, hi, 0
	}
	return nlo, nhi, step
}

// tickValues returns the multiples of step in [lo, hi]: at most a few
// hundred, or just the ends if step does not divide the range sensibly.
func tickValues(lo, hi, step float64) []float64 {
	if !(step > 0) || !(hi >= lo) || math.IsInf(hi-lo, 0) {
		return ends(lo, hi)
	}
	first := math.Ceil(lo/step - 1e-9)
	last := math.Floor(hi/step + 1e-9)
	if !(last-first < 500) || last < first {
		return ends(lo, hi)
	}
	var out []float64
	for k := first; k <= last; k++ {
		v := k * step
		if math.Abs(v) < step*1e-9 {
			v = 0 // not -0, nor 1e-17
		}
		out = append(out, v)
	}
	return out
}

func ends(lo, hi float64) []float64 {
	var out []float64
	for _, v := range []float64{lo, hi} {
		if !math.IsNaN(v) && !math.IsInf(v, 0) && (len(out) == 0 || v != out[0]) {
			out = append(out, v)
		}
	}
	return out
}

// ticks is an axis's tick marks: fixed values with their labels.
type ticks []plot.Tick

// Ticks returns the marks in [min, max].
func (t ticks) Ticks(min, max float64) []plot.Tick {
	var out []plot.Tick
	for _, m := range t {
		if m.Value >= min-(max-min)*1e-9 && m.Value <= max+(max-min)*1e-9 {
			out = append(out, m)
		}
	}
	return out
}

// makeTicks labels values that are multiples of step. Should the labels
// not tell the values apart (steps tiny against the values, as in
// 1,000,000,000,000.5), they are written in full.
func makeTicks(values []float64, step float64, percent bool) ticks {
	f := newNumberFormat(values, step, percent)
	out := make(ticks, len(values))
	seen := make(map[string]bool)
	for i, v := range values {
		out[i] = plot.Tick{Value: v, Label: f.format(v)}
		if seen[out[i].Label] {
			for i, v := range values {
				out[i].Label = signed(strconv.FormatFloat(v, 'g', -1, 64))
			}
			break
		}
		seen[out[i].Label] = true
	}
	return out
}

// numberFormat formats the tick labels of one axis alike: the same
// suffix and the same number of decimals.
type numberFormat struct {
	div      float64 // the values are divided by div ...
	suffix   string  // ... and followed by suffix (k, M, G, T or %)
	decimals int
	commas   bool // thousands separators
	sci      bool // scientific notation, for the very large and small
}

// siSuffixes are the suffixes of 10^3, 10^6, 10^9 and 10^12.
var siSuffixes = []string{"k", "M", "G", "T"}

// newNumberFormat chooses the format of tick labels: SI suffixes from
// 10,000 up (12k, 1.5M, 3G, 1T), thousands separators between 1,000 and
// 9,999, and as many decimals as the step needs.
func newNumberFormat(values []float64, step float64, percent bool) numberFormat {
	var f numberFormat
	f.div = 1
	if percent {
		f.div, f.suffix = 0.01, "%"
	}
	maxAbs := 0.0
	for _, v := range values {
		maxAbs = math.Max(maxAbs, math.Abs(v))
	}
	if step <= 0 && len(values) > 1 {
		step = math.Abs(values[len(values)-1] - values[0])
	}
	switch {
	case percent:
	case maxAbs >= 1e15 || (maxAbs > 0 && maxAbs < 1e-4):
		f.sci = true
	case maxAbs >= 1e4:
		k := min(int(math.Floor(math.Log10(maxAbs)/3)), len(siSuffixes))
		f.div, f.suffix = math.Pow(1000, float64(k)), siSuffixes[k-1]
	case maxAbs >= 1000:
		f.commas = true
	}
	if f.sci {
		f.decimals = sciDecimals(values)
		return f
	}
	if step > 0 {
		f.decimals = decimals(step / f.div)
	}
	return f
}

// decimals returns the number of decimals needed to write multiples of x,
// at most 12.
func decimals(x float64) int {
	x = math.Abs(x)
	for d := 0; d < 12; d++ {
		s := x * math.Pow(10, float64(d))
		if s >= 1-1e-6 && math.Abs(s-math.Round(s)) <= 1e-6*s {
			return d
		}
	}
	return 12
}

// sciDecimals returns the decimals of mantissas that tell values apart.
func sciDecimals(values []float64) int {
	for d := 0; d < 12; d++ {
		seen := make(map[string]bool)
		ok := true
		for _, v := range values {
			s := strconv.FormatFloat(v, 'e', d, 64)
			if seen[s] {
				ok = false
				break
			}
			seen[s] = true
		}
		if ok {
			return d
		}
	}
	return 12
}

func (f numberFormat) format(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return minus + "∞"
	case v == 0:
		if f.suffix == "%" {
			return "0%"
		}
		return "0"
	}
	if f.sci {
		return signed(strconv.FormatFloat(v, 'e', f.decimals, 64))
	}
	s := strconv.FormatFloat(v/f.div, 'f', f.decimals, 64)
	if f.commas {
		s = addCommas(s)
	}
	return signed(s) + f.suffix
}

// minus is the minus sign of tick labels: a hyphen is too short to read
// as one, and U+2212 is missing from the PDF fonts' code page.
const minus = "–"

func signed(s string) string {
	if strings.HasPrefix(s, "-") {
		return minus + s[1:]
	}
	return strings.Replace(s, "e-", "e"+minus, 1)
}

// addCommas puts thousands separators into a formatted number.
func addCommas(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := sign + b.String()
	if hasFrac {
		out += "." + frac
	}
	return out
}

// formatValue formats one number on its own, as marks and notes show it.
func formatValue(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return signed(addCommas(strconv.FormatFloat(v, 'f', 0, 64)))
	}
	return signed(strconv.FormatFloat(v, 'g', 4, 64))
}
