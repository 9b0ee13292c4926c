package gen

// runtimeSrc is the part of every generated file that does not depend on
// the model: the integrator, the limits of non-negative stocks, lookups
// and the time functions, written as package sim computes them.
const runtimeSrc = `
// state is one run.
type state struct {
	v            [nSlots]float64
	t, t0, dt    float64
	step         int
	initialising bool
	nnWant       []float64
	nnAmt        []float64
	nnNet        []float64
	hist         [][]float64 // per fixed delay, its input at each step
	prev         []float64   // per PREVIOUS, its input at the step before
	rng          *rand.Rand  // the run's generator
	draws        [nDraws]drawSite
}

type prevSite struct{ slot, in int }

// drawSite is the state of a call of a random function.
type drawSite struct {
	drawn bool
	step  int
	value float64
	g     *rand.Rand // the call's own generator, when it has a seed
}

// seedMix spreads a seed over PCG's second word.
const seedMix = 0x9e3779b97f4a7c15

// draw returns the value of random call site this step: drawn by sample
// from the call's arguments a on the first evaluation of the step (every
// stage of a Runge-Kutta step sees the same value).
func (r *state) draw(site int, sample func(*rand.Rand, [4]float64) float64, a [4]float64, seed float64) float64 {
	s := &r.draws[site]
	if s.drawn && s.step == r.step {
		return s.value
	}
	g := r.rng
	if seeded[site] {
		if s.g == nil {
			v := uint64(int64(seed))
			s.g = rand.New(rand.NewPCG(v, v^seedMix))
		}
		g = s.g
	}
	s.value = sample(g, a)
	s.drawn, s.step = true, r.step
	return s.value
}

func uniform(g *rand.Rand, a [4]float64) float64 { return a[0] + (a[1]-a[0])*g.Float64() }

func normal(g *rand.Rand, a [4]float64) float64 { return a[0] + a[1]*g.NormFloat64() }

// truncNormal draws from the normal distribution of mean a[2] and
// standard deviation a[3] truncated to [a[0], a[1]], drawing again until
// the number falls inside, and gives the bound nearest the mean when 1000
// draws fail.
func truncNormal(g *rand.Rand, a [4]float64) float64 {
	lo, hi, mean, sd := a[0], a[1], a[2], a[3]
	if !(hi > lo) {
		return lo
	}
	for range 1000 {
		if x := mean + sd*g.NormFloat64(); x >= lo && x <= hi {
			return x
		}
	}
	return math.Min(math.Max(mean, lo), hi)
}

// lognormal draws the log-normal number whose own mean and standard
// deviation are a[0] and a[1].
func lognormal(g *rand.Rand, a [4]float64) float64 {
	mean, sd := a[0], a[1]
	s2 := math.Log1p(sd * sd / (mean * mean))
	return math.Exp(math.Log(mean) - s2/2 + math.Sqrt(s2)*g.NormFloat64())
}

func exponential(g *rand.Rand, a [4]float64) float64 { return a[0] * g.ExpFloat64() }

// triangular inverts the distribution function of the triangular
// distribution on [a[0], a[2]] with mode a[1].
func triangular(g *rand.Rand, a [4]float64) float64 {
	lo, mode, hi := a[0], a[1], a[2]
	if hi <= lo {
		return lo
	}
	u := g.Float64()
	f := (mode - lo) / (hi - lo)
	if u < f {
		return lo + math.Sqrt(u*(hi-lo)*(mode-lo))
	}
	return hi - math.Sqrt((1-u)*(hi-lo)*(hi-mode))
}

// order is the order of an SMTHN or DELAYN computed at the start: the
// order's value, which under Vensim's rule gives each stage at least one
// step.
func (r *state) order(k, tau float64, vensim bool) float64 {
	if vensim && k == math.Trunc(k) {
		if lim := math.Max(1, math.Floor(tau/r.dt+1e-9)); k > lim {
			k = lim
		}
	}
	return k
}

// checkOrder reports an order that is not a whole number of stages the
// code has.
func checkOrder(k float64, max int, pos, name, text string) error {
	if k != math.Trunc(k) || k < 1 || k > float64(max) {
		return fmt.Errorf("%s: the order of %s (%s) is %g at the start; it must be a whole number from 1 to %d (the model's value, which fixed the number of stages)", pos, name, text, k, max)
	}
	return nil
}

// delay is XMILE's DELAY: the input as it was dur ago, interpolated
// between the values recorded at the steps, or first until dur has
// passed since the start.
func (r *state) delay(site int, dur, first float64) float64 {
	past := r.t - dur
	if past+r.dt*1e-6 < startTime {
		return first
	}
	hist := r.hist[site]
	if len(hist) == 0 {
		return first
	}
	pos := (past - startTime) / r.dt
	i := int(math.Floor(pos + 1e-6))
	if i >= len(hist)-1 {
		return hist[len(hist)-1]
	}
	if i < 0 {
		return first
	}
	frac := pos - float64(i)
	if frac <= 1e-6 {
		return hist[i]
	}
	return hist[i] + frac*(hist[i+1]-hist[i])
}

// delayFixed is Vensim's DELAY FIXED: the input as it was k steps ago,
// k being dur/dt rounded (halves up) and at least 1, or first for the
// first k steps.
func (r *state) delayFixed(site int, dur, first float64) float64 {
	k := int(math.Max(1, math.Floor(dur/r.dt+0.5+1e-9)))
	if i := r.step - k; i >= 0 && i < len(r.hist[site]) {
		return r.hist[site][i]
	}
	return first
}

// RuntimeError reports a value that became NaN or infinite.
type RuntimeError struct {
	Var   string
	Time  float64
	Value float64
}

func (e *RuntimeError) Error() string {
	return fmt.Sprintf("%q is %v at time %g", e.Var, e.Value, e.Time)
}

func (r *state) fail(slot int) error {
	return &RuntimeError{Var: owner(slot), Time: r.t, Value: r.v[slot]}
}

func owner(slot int) string {
	if names[slot] != "" {
		return names[slot]
	}
	return "a hidden variable"
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return x
}

func quantum(x, q float64) float64 {
	if q <= 0 {
		return x
	}
	return q * math.Trunc(x/q)
}

func stddev(xs ...float64) float64 {
	m := 0.0
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	s := 0.0
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return math.Sqrt(s / float64(len(xs)))
}

func (r *state) reached(t0 float64) bool { return r.t+r.dt*1e-6 >= t0 }

func (r *state) stepFn(height, start float64) float64 {
	if r.reached(start) {
		return height
	}
	return 0
}

func (r *state) rampFn(slope, start, end float64) float64 {
	if !r.reached(start) {
		return 0
	}
	return slope * (math.Min(r.t, end) - start)
}

func (r *state) pulseFn(volume, first, interval float64) float64 {
	t, eps := r.t0, r.dt*1e-6
	if t+eps < first {
		return 0
	}
	since := t - first
	if interval > 0 {
		since = math.Mod(since, interval)
		if interval-since < eps {
			since = 0
		}
	}
	if since < r.dt-eps {
		return volume / r.dt
	}
	return 0
}

func (r *state) pulseTrainFn(start, width, interval, end float64) float64 {
	t, eps := r.t0, r.dt*1e-6
	if t+eps < start || t > end+eps {
		return 0
	}
	since := t - start
	if interval > 0 {
		since = math.Mod(since, interval)
		if interval-since < eps {
			since = 0
		}
	}
	if since+eps < width {
		return 1
	}
	return 0
}

// table is a lookup: mode 0 interpolates, 1 is discrete, 2 extrapolates.
type table struct {
	x, y []float64
	mode int
}

func (t *table) at(x float64) float64 {
	xs, ys := t.x, t.y
	n := len(xs)
	if x != x {
		return x
	}
	if n == 1 {
		return ys[0]
	}
	if x <= xs[0] {
		if t.mode == 2 && x < xs[0] {
			return ys[0] + (x-xs[0])*(ys[1]-ys[0])/(xs[1]-xs[0])
		}
		return ys[0]
	}
	if x >= xs[n-1] {
		if t.mode == 2 && x > xs[n-1] {
			return ys[n-1] + (x-xs[n-1])*(ys[n-1]-ys[n-2])/(xs[n-1]-xs[n-2])
		}
		return ys[n-1]
	}
	i := sort.SearchFloat64s(xs, x)
	if xs[i] == x {
		return ys[i]
	}
	if t.mode == 1 {
		return ys[i-1]
	}
	return ys[i-1] + (x-xs[i-1])*(ys[i]-ys[i-1])/(xs[i]-xs[i-1])
}

type nnStock struct {
	stock, slot int
	terms       []nnTerm
}

type nnTerm struct {
	flow        int
	out, shared bool
	scr, other  int
}

type nnFlow struct {
	slot   int
	static bool
}

// limit limits the outflows of the non-negative stocks given their values
// y0 at the start of the step, and sets each one's net flow.
func (r *state) limit(y0 *[nStocks]float64) {
	if len(nonNeg) == 0 {
		return
	}
	v := &r.v
	for i, f := range nnFlows {
		if f.static {
			v[f.slot] = r.nnWant[i]
		}
	}
	for _, s := range nonNeg {
		for _, t := range s.terms {
			if t.shared {
				r.nnAmt[t.scr] = v[t.flow]
			}
		}
	}
	for k, s := range nonNeg {
		r.limitStock(s, k, y0[s.stock])
	}
	for k, s := range nonNeg {
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

func (r *state) limitStock(s nnStock, k int, y0 float64) {
	v := &r.v
	avail := y0 / r.dt
	for _, t := range s.terms {
		x := v[t.flow]
		if t.shared {
			x = r.nnAmt[t.scr]
		}
		if (t.out && x < 0 || !t.out && x > 0) && t.other < k {
			avail += math.Abs(x)
		}
	}
	if !(avail > 0) {
		avail = 0
	}
	for pass := 0; pass < 2; pass++ {
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

func (r *state) save(y *[nStocks]float64) { copy(y[:], r.v[:nStocks]) }

func (r *state) restore(y *[nStocks]float64) { copy(r.v[:nStocks], y[:]) }

func (r *state) advance(d *[nStocks]float64, h float64) {
	v := (*[nStocks]float64)(r.v[:nStocks])
	for j := range d {
		v[j] += h * d[j]
	}
}

// finite reports whether the values are all finite. It adds them up, in
// four sums to keep the processor busy: a NaN or an infinity makes a sum
// NaN or infinite. A sum of finite values that overflows says no too, so
// a caller looks for the value itself and finds none.
func finite(xs []float64) bool {
	var a0, a1, a2, a3 float64
	for len(xs) >= 4 {
		a0 += xs[0]
		a1 += xs[1]
		a2 += xs[2]
		a3 += xs[3]
		xs = xs[4:]
	}
	for _, x := range xs {
		a0 += x
	}
	a0 += a1 + a2 + a3
	return a0-a0 == 0
}

func (r *state) endStep() error {
	r.clamp()
	if finite(r.v[:nStocks]) {
		return nil
	}
	for j, x := range r.v[:nStocks] {
		if x-x != 0 {
			return &RuntimeError{Var: owner(j), Time: r.t0 + r.dt, Value: x}
		}
	}
	return nil
}

// valueRange is a range a model declares: [min, max] as text says.
type valueRange struct {
	slot     int
	min, max float64
	text     string
}

// saveStride is the number of steps between saved rows: save_every
// over dt, rounded to the nearest whole number (at least 1); exact says
// whether no rounding was needed.
func saveStride(dt float64) (stride int, exact bool) {
	if !(saveEvery > 0) {
		return 1, true
	}
	q := saveEvery / dt
	exact = q >= 1-1e-9 && math.Abs(q-math.Round(q)) <= 1e-6*q
	return max(1, int(math.Round(q))), exact
}

// simulate runs the model with the constants in set (where has is true),
// calling emit with the values of cols at each saved step.
func simulate(set *[nSlots]float64, has *[nSlots]bool, method string, dt float64, seed uint64, cols []int, emit func(t float64, row []float64) error) error {
	if !(dt > 0) || math.IsInf(dt, 0) {
		return fmt.Errorf("dt must be positive, not %g", dt)
	}
	switch method {
	case "euler", "rk2", "rk4":
	default:
		return fmt.Errorf("unknown method %q (expected euler, rk2 or rk4)", method)
	}
	steps := int(math.Floor((stopTime-startTime)/dt + 1e-9))
	for _, r := range ranges {
		if slot := r.slot; has[slot] && !(set[slot] >= r.min && set[slot] <= r.max) {
			return fmt.Errorf("%s = %g is outside the range of %q, %s", names[slot], set[slot], names[slot], r.text)
		}
	}
	stride, _ := saveStride(dt)
	r := &state{t: startTime, dt: dt, rng: rand.New(rand.NewPCG(seed, seed^seedMix))}
	r.hist = make([][]float64, len(delayIn))
	for i := range r.hist {
		r.hist[i] = make([]float64, 0, steps+1)
	}
	r.prev = make([]float64, len(prevs))
	if err := r.initialise(set, has); err != nil {
		return err
	}
	r.nnWant = make([]float64, len(nnFlows))
	for i, f := range nnFlows {
		r.nnWant[i] = r.v[f.slot]
	}
	r.nnAmt = make([]float64, nnTerms)
	r.nnNet = make([]float64, len(nonNeg))
	k := new([4][nStocks]float64)
	y0 := new([nStocks]float64)
	row := make([]float64, len(cols))
	for i := 0; ; i++ {
		r.t = startTime + float64(i)*dt
		r.t0, r.step = r.t, i
		if i > 0 {
			for k, ps := range prevs {
				r.v[ps.slot] = r.prev[k]
			}
		}
		if err := r.eval(); err != nil {
			return err
		}
		r.save(y0)
		r.limit(y0)
		for k, in := range delayIn {
			r.hist[k] = append(r.hist[k], r.v[in])
		}
		for k, ps := range prevs {
			r.prev[k] = r.v[ps.in]
		}
		if i%stride == 0 {
			for j, s := range cols {
				row[j] = r.v[s]
			}
			if err := emit(r.t, row); err != nil {
				return err
			}
		}
		if i == steps {
			return nil
		}
		switch method {
		case "euler":
			r.derivs(&k[0])
			r.advance(&k[0], dt)
		case "rk2":
			r.derivs(&k[0])
			r.advance(&k[0], dt)
			r.t += dt
			if err := r.eval(); err != nil {
				return err
			}
			r.limit(y0)
			r.derivs(&k[1])
			for j := range k[0] {
				k[0][j] = (k[0][j] + k[1][j]) / 2
			}
			r.restore(y0)
			r.advance(&k[0], dt)
		case "rk4":
			t := r.t
			r.derivs(&k[0])
			r.advance(&k[0], dt/2)
			r.t = t + dt/2
			if err := r.eval(); err != nil {
				return err
			}
			r.limit(y0)
			r.derivs(&k[1])
			r.restore(y0)
			r.advance(&k[1], dt/2)
			if err := r.eval(); err != nil {
				return err
			}
			r.limit(y0)
			r.derivs(&k[2])
			r.restore(y0)
			r.advance(&k[2], dt)
			r.t = t + dt
			if err := r.eval(); err != nil {
				return err
			}
			r.limit(y0)
			r.derivs(&k[3])
			for j := range k[0] {
				k[0][j] = (k[0][j] + 2*k[1][j] + 2*k[2][j] + k[3][j]) / 6
			}
			r.restore(y0)
			r.advance(&k[0], dt)
		}
		if err := r.endStep(); err != nil {
			return err
		}
	}
}
`
