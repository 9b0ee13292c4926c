package sim

// Non-negative stocks limit their outflows, as XMILE 1.0 (§3.1.3, §4.1
// and the non_negative option filter of §3.7, which applies to a stock's
// outflows) and Stella do: at each evaluation of the flows, a stock's
// outflows together take no more than it holds at the start of the step
// over dt plus what flows in during the step, served in the order the
// model lists them (Stella: "the priority 1 outflow gets first crack at
// the contents of the stock"; isee systems, Flow prioritization). The
// stock reaches exactly zero and stops there; the material goes nowhere
// else. A flow that is limited reports what actually moved, and the stock
// it flows into receives that.
//
// Under RK2 and RK4 the limit is taken at every stage against the value
// at the start of the step, so each stage's rate keeps the stock at or
// above zero over a whole dt; the trial states and the weighted average
// of the stages then do too, and every stage conserves material.
//
// A flow running backwards drains the stock it flows into: a negative
// inflow is served after the outflows, in the order listed. A flow listed
// on several stocks on the same side (as some converted files do) is
// limited for each non-negative stock apart, and reports its equation's
// value.

// nnStock is a non-negative stock with the flows it may lose to.
type nnStock struct {
	stock int // index in Program.stocks
	slot  int
	terms []nnTerm // outflows in listed order, then inflows
}

// nnTerm is one flow of a non-negative stock.
type nnTerm struct {
	flow   int  // the flow's slot
	out    bool // an outflow (else an inflow)
	shared bool // the flow is on another stock's same side too
	scr    int  // index into run.nnAmt of the amount this stock moves
	// other is the position in Program.nonNeg of the non-negative stock
	// at the flow's other end, or -1 (a cloud, a stock that may go
	// negative, or a shared flow, whose value no stock changes).
	other int
}

// nnFlow is a flow some non-negative stock may limit.
type nnFlow struct {
	slot   int
	static bool // computed once at the start: restore its value each step
}

// compileNonNeg lists the non-negative stocks in the order their limits
// are worked out: a stock after the stocks that feed it, where a cycle
// allows, and otherwise in model order.
func (c *compiler) compileNonNeg() {
	p := c.p
	outOf := make(map[int][]int) // flow slot → stocks it is an outflow of
	inTo := make(map[int][]int)  // flow slot → stocks it is an inflow of
	for j, s := range p.stocks {
		for _, f := range s.out {
			outOf[f] = append(outOf[f], j)
		}
		for _, f := range s.in {
			inTo[f] = append(inTo[f], j)
		}
	}
	var list []nnStock
	flows := make(map[int]bool)
	scr := 0
	for j, s := range p.stocks {
		if !s.nonNeg {
			continue
		}
		ns := nnStock{stock: j, slot: s.slot}
		for _, f := range s.out {
			ns.terms = append(ns.terms, nnTerm{flow: f, out: true, shared: len(outOf[f]) > 1, scr: scr})
			scr++
			flows[f] = true
		}
		for _, f := range s.in {
			ns.terms = append(ns.terms, nnTerm{flow: f, shared: len(inTo[f]) > 1, scr: scr})
			scr++
			flows[f] = true
		}
		list = append(list, ns)
	}
	// Kahn's order on "stock a's outflow is stock b's inflow".
	pos := make(map[int]int, len(list)) // stock index → index in list
	for i, ns := range list {
		pos[ns.stock] = i
	}
	indeg := make([]int, len(list))
	next := make([][]int, len(list))
	for i, ns := range list {
		for _, t := range ns.terms {
			if !t.out || t.shared || len(inTo[t.flow]) != 1 {
				continue
			}
			if k, ok := pos[inTo[t.flow][0]]; ok && k != i {
				next[i] = append(next[i], k)
				indeg[k]++
			}
		}
	}
	done := make([]bool, len(list))
	for len(p.nonNeg) < len(list) {
		picked := -1
		for i := range list {
			if !done[i] && indeg[i] == 0 {
				picked = i
				break
			}
		}
		if picked < 0 { // a cycle: the first left in model order
			for i := range list {
				if !done[i] {
					picked = i
					break
				}
			}
		}
		done[picked] = true
		p.nonNeg = append(p.nonNeg, list[picked])
		for _, k := range next[picked] {
			indeg[k]--
		}
	}
	p.nnTerms = scr
	at := make(map[int]int, len(p.nonNeg)) // stock index → position in p.nonNeg
	for k, ns := range p.nonNeg {
		at[ns.stock] = k
	}
	for k := range p.nonNeg {
		terms := p.nonNeg[k].terms
		for i, t := range terms {
			terms[i].other = -1
			if t.shared {
				continue
			}
			ends := inTo[t.flow]
			if !t.out {
				ends = outOf[t.flow]
			}
			if len(ends) == 1 {
				if o, ok := at[ends[0]]; ok {
					terms[i].other = o
				}
			}
		}
	}
	for slot := range p.nodes {
		if flows[slot] {
			p.nnFlows = append(p.nnFlows, nnFlow{slot: slot, static: p.nodes[slot].static})
		}
	}
}

// limit limits the outflows of the non-negative stocks, given each
// stock's value y0 at the start of the step (by index in p.stocks), and
// sets r.nnNet to each one's net flow. It runs after every evaluation of
// the flows.
func (p *Program) limit(r *run, y0 []float64) {
	if len(p.nonNeg) == 0 {
		return
	}
	v := r.v
	for i, f := range p.nnFlows {
		if f.static {
			v[f.slot] = r.nnWant[i]
		}
	}
	p.resetShared(r)
	for k, s := range p.nonNeg {
		p.limitStock(r, s, k, y0[s.stock])
	}
	for k, s := range p.nonNeg {
		net := 0.0
		for _, t := range s.terms {
			x := v[t.flow]
			if t.shared {
				x = r.nnAmt[t.scr]
			}
			if t.out {
				net -= x
			} else {
				net += x
			}
		}
		r.nnNet[k] = net
	}
}

// limitStock serves the drains of the stock at position k of p.nonNeg
// from what it holds over dt plus what it gains. A gain counts only once
// it is final: when the stock it comes from has been served already (or
// is not non-negative, or is a cloud). The stocks are served upstream
// first, so along a chain every gain counts; around a cycle, or for a
// flow running backwards, a gain not yet final counts as nothing, and
// the stock may keep a little more than the least it could.
func (p *Program) limitStock(r *run, s nnStock, k int, y0 float64) {
	v := r.v
	avail := y0 / r.dt
	for _, t := range s.terms {
		x := v[t.flow]
		if t.shared {
			x = r.nnAmt[t.scr]
		}
		if (t.out && x < 0 || !t.out && x > 0) && t.other < k {
			avail += abs(x)
		}
	}
	if !(avail > 0) {
		avail = 0
	}
	for pass := 0; pass < 2; pass++ { // outflows first, then inflows running backwards
		for _, t := range s.terms {
			if t.out != (pass == 0) {
				continue
			}
			x := v[t.flow]
			if t.shared {
				x = r.nnAmt[t.scr]
			}
			drain := x
			if !t.out {
				drain = -x
			}
			if !(drain > 0) {
				continue
			}
			drain = min(drain, avail)
			avail -= drain
			if !t.out {
				drain = -drain
			}
			if t.shared {
				r.nnAmt[t.scr] = drain
			} else {
				v[t.flow] = drain
			}
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// startLimits records the value of each static flow that a non-negative
// stock may limit, and each shared flow's demand, at the start of a run.
func (p *Program) startLimits(r *run) {
	r.nnWant = make([]float64, len(p.nnFlows))
	for i, f := range p.nnFlows {
		r.nnWant[i] = r.v[f.slot]
	}
	r.nnAmt = make([]float64, p.nnTerms)
	r.nnNet = make([]float64, len(p.nonNeg))
}

// resetShared sets each shared flow's amount to its equation's value
// before the stocks limit it.
func (p *Program) resetShared(r *run) {
	for _, s := range p.nonNeg {
		for _, t := range s.terms {
			if t.shared {
				r.nnAmt[t.scr] = r.v[t.flow]
			}
		}
	}
}
