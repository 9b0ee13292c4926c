package loops

import (
	"fmt"
	"strconv"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/expr"
)

// Implicit is a factor of an equation that the causal graph shows as a
// variable of its own: an equation such as r·P·(1 − P/K) reads P through
// two factors, one that rises with P and one that falls, and so closes
// two feedback loops through P, one reinforcing and one balancing, where
// the variables alone show one loop of no fixed polarity.
type Implicit struct {
	Name   string // the variable the graph shows: "net_births_factor_3"
	Of     string // the variable whose equation holds the factor
	Factor string // the factor as an equation: "1 - population / carrying_capacity"
	// Dims, for a factor of an element of an arrayed variable whose
	// equation is the same for every element, are the variable's
	// dimensions; Factor is then written as that equation has it
	// ("SUM(weighted_accounts[*])"), the same for every element.
	Dims []string
}

// factor is one factor of a product: e, or 1/e when inverse.
type factor struct {
	e       expr.Expr
	inverse bool
}

// factors flattens a product and quotient into its factors.
func factors(e expr.Expr, inverse bool, out []factor) []factor {
	if b, ok := e.(*expr.Binary); ok {
		switch b.Op {
		case expr.Mul:
			return factors(b.Y, inverse, factors(b.X, inverse, out))
		case expr.Div:
			return factors(b.Y, !inverse, factors(b.X, inverse, out))
		}
	}
	return append(out, factor{e: e, inverse: inverse})
}

// implicitFactors returns a copy of the parsed model in which the factors
// of products that read a variable in opposite directions (one factor
// rising with it, another falling, each on its own) are auxiliaries of
// their own, and those auxiliaries; or m itself and nil when there are
// none. Only scalar flows and auxiliaries without a lookup are split,
// and only where the variable's link would otherwise have no polarity.
func implicitFactors(m *model.Model, vars map[string]*model.Variable, arrayed *model.Model) (*model.Model, []Implicit) {
	a := newAnalysis(m, vars, nil)
	taken := make(map[string]bool, len(vars))
	for c := range vars {
		taken[c] = true
	}
	var out []*model.Variable
	var added []Implicit
	for _, z := range m.Vars {
		if z.Kind == model.Stock || z.Lookup != nil || z.Dims != nil || z.Equation.Expr == nil || z.Initial.Text != "" {
			out = append(out, z)
			continue
		}
		fs := factors(z.Equation.Expr, false, nil)
		split := make([]bool, len(fs))
		for _, x := range a.references(z) {
			if a.link(x, z) != Unknown {
				continue
			}
			var with []int
			dirs := sNone
			for i, f := range fs {
				if !a.mentions(f.e, x, z) {
					continue
				}
				d := a.dep(f.e, x, z)
				if f.inverse {
					d = d.neg()
				}
				if d.polarity() == Unknown {
					with = nil
					break
				}
				with = append(with, i)
				dirs |= d
			}
			if len(with) < 2 || dirs&sPos == 0 || dirs&sNeg == 0 {
				continue
			}
			for _, i := range with {
				if _, bare := fs[i].e.(*expr.Ident); !bare {
					split[i] = true
				}
			}
		}
		any := false
		for _, s := range split {
			any = any || s
		}
		if !any {
			out = append(out, z)
			continue
		}
		// An element of an apply-to-all equation: its factors as the
		// equation writes them.
		var written []factor
		var dims []string
		if base, subs, err := model.SplitElementName(z.Name); err == nil && len(subs) > 0 && arrayed != nil {
			if ov := arrayed.Var(base); ov != nil && len(ov.Dims) > 0 && len(ov.Elements) == 0 {
				e := ov.Equation.Expr
				if e == nil {
					if eq, err := model.NewEquation(ov.Equation.Text, ov.Equation.Pos, 0); err == nil {
						e = eq.Expr
					}
				}
				if e != nil {
					if written = factors(e, false, nil); len(written) == len(fs) {
						dims = ov.Dims
					} else {
						written = nil
					}
				}
			}
		}
		// z = f1 · f2 / f3 ..., with each split factor read from its
		// auxiliary.
		var eq expr.Expr
		for i, f := range fs {
			e := f.e
			if split[i] {
				// The factor of an element's equation is named as an
				// element: cs_allocation_factor_2[smb].
				base, subs, err := model.SplitElementName(z.Name)
				if err != nil {
					base, subs = z.Name, nil
				}
				name := model.ElementName(base+"_factor_"+strconv.Itoa(i+1), subs...)
				for k := 2; taken[model.Canonical(name)]; k++ {
					name = model.ElementName(fmt.Sprintf("%s_factor_%d_%d", base, i+1, k), subs...)
				}
				taken[model.Canonical(name)] = true
				text := expr.Format(f.e)
				out = append(out, &model.Variable{Kind: model.Aux, Name: name, Pos: z.Pos,
					Equation: model.Equation{Text: text, Expr: f.e, Pos: z.Equation.Pos}})
				im := Implicit{Name: name, Of: z.Name, Factor: text}
				if written != nil {
					im.Factor, im.Dims = expr.Format(written[i].e), dims
				}
				added = append(added, im)
				e = &expr.Ident{At: f.e.Pos(), Name: name}
			}
			switch {
			case eq == nil && f.inverse:
				eq = &expr.Binary{At: e.Pos(), Op: expr.Div, X: &expr.Number{At: e.Pos(), Value: 1}, Y: e}
			case eq == nil:
				eq = e
			case f.inverse:
				eq = &expr.Binary{At: e.Pos(), Op: expr.Div, X: eq, Y: e}
			default:
				eq = &expr.Binary{At: e.Pos(), Op: expr.Mul, X: eq, Y: e}
			}
		}
		cp := *z
		cp.Equation = model.Equation{Text: expr.Format(eq), Expr: eq, Pos: z.Equation.Pos}
		out = append(out, &cp)
	}
	if len(added) == 0 {
		return m, nil
	}
	split := *m
	split.Vars = out
	return &split, added
}
