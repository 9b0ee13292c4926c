package sim

import (
	"math"
	"math/rand/v2"

	"github.com/stockflow/stockflow/model/expr"
	"gonum.org/v1/gonum/stat/distuv"
)

// The functions of the equation language beyond arithmetic: time inputs,
// logic helpers and random numbers. The stateful ones (smooths, delays, ...)
// are in stateful.go. All of them are listed in builtinList, which both the
// compiler and `stockflow functions` read.

// reached reports whether the clock has reached t0, allowing for rounding
// in times computed as start + i·dt.
func (r *run) reached(t0 float64) bool { return r.t+r.dt*1e-6 >= t0 }

func stepFn(a []evalFn) evalFn {
	height, start := a[0], a[1]
	return func(r *run) float64 {
		if r.reached(start(r)) {
			return height(r)
		}
		return 0
	}
}

func rampFn(a []evalFn) evalFn {
	slope, start := a[0], a[1]
	end := func(*run) float64 { return math.Inf(1) }
	if len(a) > 2 {
		end = a[2]
	}
	return func(r *run) float64 {
		t0 := start(r)
		if !r.reached(t0) {
			return 0
		}
		return slope(r) * (math.Min(r.t, end(r)) - t0)
	}
}

// pulseFn is XMILE's PULSE(volume, first[, interval]): volume/DT for the one
// step that starts at first (and every interval after it, when interval >
// 0), so that a flow of it moves exactly volume. It reads the time at the
// start of the step, so every stage of an RK step sees the same pulse.
func pulseFn(a []evalFn) evalFn {
	volume, first := a[0], a[1]
	interval := func(*run) float64 { return 0 }
	if len(a) > 2 {
		interval = a[2]
	}
	return func(r *run) float64 {
		t, t1, eps := r.t0, first(r), r.dt*1e-6
		if t+eps < t1 {
			return 0
		}
		since := t - t1
		if iv := interval(r); iv > 0 {
			since = math.Mod(since, iv)
			if iv-since < eps {
				since = 0
			}
		}
		if since < r.dt-eps {
			return volume(r) / r.dt
		}
		return 0
	}
}

// pulseTrainFn is Vensim's PULSE TRAIN(start, width, interval, end): 1 from
// start for width, repeating every interval, until end; 0 otherwise. Like
// PULSE it reads the time at the start of the step.
func pulseTrainFn(a []evalFn) evalFn {
	start, width, interval, end := a[0], a[1], a[2], a[3]
	return func(r *run) float64 {
		t, t1, eps := r.t0, start(r), r.dt*1e-6
		if t+eps < t1 || t > end(r)+eps {
			return 0
		}
		since := t - t1
		if iv := interval(r); iv > 0 {
			since = math.Mod(since, iv)
			if iv-since < eps {
				since = 0
			}
		}
		if since+eps < width(r) {
			return 1
		}
		return 0
	}
}

// xidz is a/b, or x when b is 0.
func xidz(a []evalFn) evalFn {
	num, den, alt := a[0], a[1], a[2]
	return func(r *run) float64 {
		d := den(r)
		if d == 0 {
			return alt(r)
		}
		return num(r) / d
	}
}

func ifThenElse(a []evalFn) evalFn {
	cond, yes, no := a[0], a[1], a[2]
	return func(r *run) float64 {
		if cond(r) != 0 {
			return yes(r)
		}
		return no(r)
	}
}

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return x // 0, or NaN
}

// The samplers of the random functions. Each gets the call's arguments
// (without the seed) and a generator owned by the run.

func sampleUniform(g *rand.Rand, a []float64) float64 { return a[0] + (a[1]-a[0])*g.Float64() }

func sampleNormal(g *rand.Rand, a []float64) float64 { return a[0] + a[1]*g.NormFloat64() }

// sampleTruncNormal draws from the normal distribution of mean a[2] and
// standard deviation a[3] truncated to [a[0], a[1]] (Vensim's RANDOM
// NORMAL), by drawing again until the number falls inside. When the
// bounds leave almost no chance of that, it gives the nearest bound to the
// mean.
func sampleTruncNormal(g *rand.Rand, a []float64) float64 {
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

// sampleLognormal draws from the log-normal distribution whose own mean and
// standard deviation are a[0] and a[1]: the underlying normal has
// σ² = ln(1 + sd²/mean²) and μ = ln(mean) − σ²/2.
func sampleLognormal(g *rand.Rand, a []float64) float64 {
	mean, sd := a[0], a[1]
	s2 := math.Log1p(sd * sd / (mean * mean))
	return math.Exp(math.Log(mean) - s2/2 + math.Sqrt(s2)*g.NormFloat64())
}

func sampleExp(g *rand.Rand, a []float64) float64 { return a[0] * g.ExpFloat64() }

func samplePoisson(g *rand.Rand, a []float64) float64 {
	if a[0] <= 0 {
		return 0
	}
	return distuv.Poisson{Lambda: a[0], Src: g}.Rand()
}

// sampleTriangular draws from the triangular distribution on [lower, upper]
// with the given mode, by inverting its distribution function.
func sampleTriangular(g *rand.Rand, a []float64) float64 {
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

// randSite is the state of one random call in one run.
type randSite struct {
	drawn bool
	step  int
	value float64
	args  []float64
	g     *rand.Rand // the call's own generator, when it has a seed
}

// random makes the closure of a call of a random function. With replay
// set (when explaining an error) it returns the value already drawn.
func (c *compiler) random(e *expr.Call, b *builtin, args []evalFn, replay bool) evalFn {
	site := c.p.sites[e]
	if replay {
		return func(r *run) float64 { return r.rand[site].value }
	}
	params := args
	var seed evalFn
	if b.seed < len(args) {
		params, seed = args[:b.seed], args[b.seed]
	}
	sample := b.sample
	return func(r *run) float64 {
		s := &r.rand[site]
		if s.drawn && s.step == r.step {
			return s.value
		}
		for i, a := range params {
			s.args[i] = a(r)
		}
		g := r.rng
		if seed != nil {
			if s.g == nil {
				v := uint64(int64(seed(r)))
				s.g = rand.New(rand.NewPCG(v, v^seedMix))
			}
			g = s.g
		}
		s.value = sample(g, s.args[:len(params)])
		s.drawn, s.step = true, r.step
		return s.value
	}
}

// seedMix spreads a seed over PCG's second word.
const seedMix = 0x9e3779b97f4a7c15
