package units

import (
	"math"
	"sort"
	"strconv"
	"strings"
)

// Unit is a unit of measure reduced to primary units: a scale factor times
// a product of primary units raised to powers, such as $/(account*month).
// The zero Unit is dimensionless. Units are values: the operations return
// new ones.
type Unit struct {
	scale float64 // 0 stands for 1, so that the zero Unit is dimensionless
	terms []term  // sorted by name; no zero powers
}

// term is one primary unit and its power.
type term struct {
	name string
	pow  float64
}

// Dimensionless is the unit of a pure number (written 1, dmnl or nothing).
var Dimensionless = Unit{}

// Primary returns the primary unit with the given canonical name.
func Primary(name string) Unit { return Unit{terms: []term{{name, 1}}} }

// Scale returns the unit's scale factor: 3 for a quarter defined as 3 month.
func (u Unit) Scale() float64 {
	if u.scale == 0 {
		return 1
	}
	return u.scale
}

// IsDimensionless reports whether the unit has no primary units (its scale
// may differ from 1, as for a percent defined as 0.01).
func (u Unit) IsDimensionless() bool { return len(u.terms) == 0 }

// Mul returns the product u·v.
func (u Unit) Mul(v Unit) Unit { return combine(u, v, 1) }

// Div returns the quotient u/v.
func (u Unit) Div(v Unit) Unit { return combine(u, v, -1) }

// Pow returns u raised to the power p.
func (u Unit) Pow(p float64) Unit {
	if p == 0 {
		return Unit{}
	}
	out := Unit{scale: math.Pow(u.Scale(), p)}
	for _, t := range u.terms {
		out.terms = append(out.terms, term{t.name, roundPow(t.pow * p)})
	}
	return out.norm()
}

// combine returns u·v^sign.
func combine(u, v Unit, sign float64) Unit {
	out := Unit{scale: u.Scale() * math.Pow(v.Scale(), sign)}
	out.terms = make([]term, 0, len(u.terms)+len(v.terms))
	i, j := 0, 0
	for i < len(u.terms) || j < len(v.terms) {
		switch {
		case j == len(v.terms) || i < len(u.terms) && u.terms[i].name < v.terms[j].name:
			out.terms = append(out.terms, u.terms[i])
			i++
		case i == len(u.terms) || v.terms[j].name < u.terms[i].name:
			out.terms = append(out.terms, term{v.terms[j].name, sign * v.terms[j].pow})
			j++
		default:
			out.terms = append(out.terms, term{u.terms[i].name, roundPow(u.terms[i].pow + sign*v.terms[j].pow)})
			i++
			j++
		}
	}
	return out.norm()
}

// roundPow snaps a power to a nearby multiple of 1/1000, so that powers
// computed through square roots and back compare equal.
func roundPow(p float64) float64 {
	r := math.Round(p*1000) / 1000
	if math.Abs(r-p) < 1e-9 {
		return r
	}
	return p
}

// norm drops zero powers and a scale of 1.
func (u Unit) norm() Unit {
	k := 0
	for _, t := range u.terms {
		if t.pow != 0 {
			u.terms[k] = t
			k++
		}
	}
	u.terms = u.terms[:k]
	if len(u.terms) == 0 {
		u.terms = nil
	}
	if math.Abs(u.scale-1) < 1e-12 {
		u.scale = 0
	}
	return u
}

// SameDimension reports whether u and v have the same primary units with
// the same powers, whatever their scales.
func (u Unit) SameDimension(v Unit) bool {
	if len(u.terms) != len(v.terms) {
		return false
	}
	for i := range u.terms {
		if u.terms[i] != v.terms[i] {
			return false
		}
	}
	return true
}

// Equal reports whether u and v are the same unit: the same primary units
// with the same powers and the same scale (to a relative 1e-9).
func (u Unit) Equal(v Unit) bool {
	if !u.SameDimension(v) {
		return false
	}
	a, b := u.Scale(), v.Scale()
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

// String returns the unit in the units language: "1" for dimensionless,
// else the primary units with positive powers, then "/" and those with
// negative powers, in parentheses when there are several, such as
// "$/(account*month)", "1/month" or "m^2". A scale other than 1 comes
// first: "3 month". The text parses back to the same unit.
func (u Unit) String() string { return u.format(nil, -1) }

// format prints u, spelling each primary unit as name gives it (nil: its
// canonical name) and the scale with prec significant digits (-1: as
// many as it takes to read back the same number).
func (u Unit) format(name func(string) string, prec int) string {
	var num, den []string
	for _, t := range u.terms {
		n := t.name
		if name != nil {
			n = name(n)
		}
		if t.pow > 0 {
			num = append(num, powString(n, t.pow))
		} else {
			den = append(den, powString(n, -t.pow))
		}
	}
	var b strings.Builder
	if u.scale != 0 {
		b.WriteString(strconv.FormatFloat(u.scale, 'g', prec, 64))
		if len(num) > 0 {
			b.WriteByte(' ')
		}
	}
	switch {
	case len(num) > 0:
		b.WriteString(strings.Join(num, "*"))
	case u.scale == 0:
		b.WriteString("1")
	}
	switch len(den) {
	case 0:
	case 1:
		b.WriteString("/" + den[0])
	default:
		b.WriteString("/(" + strings.Join(den, "*") + ")")
	}
	return b.String()
}

func powString(name string, p float64) string {
	if p == 1 {
		return name
	}
	s := strconv.FormatFloat(p, 'g', -1, 64)
	if p < 0 || p != math.Trunc(p) {
		s = "(" + s + ")"
	}
	return name + "^" + s
}

// with returns a unit of the given terms, sorting them and merging
// repeated names.
func with(scale float64, terms []term) Unit {
	sort.SliceStable(terms, func(i, j int) bool { return terms[i].name < terms[j].name })
	out := Unit{scale: scale}
	for _, t := range terms {
		if n := len(out.terms); n > 0 && out.terms[n-1].name == t.name {
			out.terms[n-1].pow = roundPow(out.terms[n-1].pow + t.pow)
			continue
		}
		out.terms = append(out.terms, t)
	}
	return out.norm()
}
