package sim

import (
	"github.com/stockflow/stockflow/model/expr"
	"github.com/stockflow/stockflow/sim/internal/compiled"
)

func init() { compiled.Export = func(p any) *compiled.Program { return p.(*Program).export() } }

// export describes the program's structure for the Go code generator.
func (p *Program) export() *compiled.Program {
	out := &compiled.Program{
		Model: p.model, Index: p.index, Init: p.init, Public: p.public,
		Named: p.named, NNTerms: p.nnTerms, Time: p.time,
		Delays: p.delays, Draws: p.sites, Seeded: p.seeded,
	}
	for _, ps := range p.prevs {
		out.Prevs = append(out.Prevs, compiled.Prev{Slot: ps.slot, In: ps.in})
	}
	for _, n := range p.nodes {
		cn := compiled.Node{Name: n.name, Owner: n.owner, Kind: n.kind, Hidden: n.hidden, Static: n.static,
			NonNeg: n.nonNeg, Eq: n.eq, Expr: n.x, Table: n.table, Op: n.op, Args: n.opArgs, Origin: n.origin, Range: n.rng}
		if n.custom != nil && n.op == "" || n.state && n.op != "previous" {
			cn.Unsupported = n.origin
			if cn.Unsupported == nil {
				cn.Unsupported = &expr.Call{Func: "?"}
			}
		}
		if cn.Op != "" && cn.Op != "previous" || cn.Unsupported != nil {
			cn.Expr = nil
		}
		out.Nodes = append(out.Nodes, cn)
	}
	for _, it := range p.step {
		out.Step = append(out.Step, it.slot)
	}
	for _, s := range p.stocks {
		out.Stocks = append(out.Stocks, compiled.Stock{Slot: s.slot, In: s.in, Out: s.out, NonNeg: s.nonNeg})
	}
	for _, t := range p.tables {
		out.Tables = append(out.Tables, compiled.Table{X: t.x, Y: t.y, Mode: t.mode})
	}
	for _, s := range p.nonNeg {
		ns := compiled.NonNegStock{Stock: s.stock, Slot: s.slot}
		for _, t := range s.terms {
			ns.Terms = append(ns.Terms, compiled.NNTerm{Flow: t.flow, Out: t.out, Shared: t.shared, Scr: t.scr, Other: t.other})
		}
		out.NonNeg = append(out.NonNeg, ns)
	}
	for _, f := range p.nnFlows {
		out.NNFlows = append(out.NNFlows, compiled.NNFlow{Slot: f.slot, Static: f.static})
	}
	return out
}
