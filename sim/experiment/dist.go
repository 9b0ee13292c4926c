package experiment

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/stockflow/stockflow/model"
)

// A Dist is a probability distribution of an uncertain constant. Studies
// draw from it through its quantile function, so that Monte Carlo and Latin
// hypercube sampling differ only in where the probabilities come from.
type Dist interface {
	// Quantile returns the value below which a fraction p of the
	// distribution lies, for p in (0, 1).
	Quantile(p float64) float64
	// String returns the distribution as ParseDist reads it.
	String() string
}

type dist struct {
	text string
	q    func(p float64) float64
}

func (d dist) Quantile(p float64) float64 { return d.q(p) }
func (d dist) String() string             { return d.text }

func text(name string, args ...float64) string {
	s := make([]string, len(args))
	for i, a := range args {
		s[i] = strconv.FormatFloat(a, 'g', -1, 64)
	}
	return name + "(" + strings.Join(s, ", ") + ")"
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// Uniform is the uniform distribution on [min, max].
func Uniform(min, max float64) (Dist, error) {
	if !finite(min, max) || min >= max {
		return nil, fmt.Errorf("experiment: uniform(%g, %g): expected min < max", min, max)
	}
	u := distuv.Uniform{Min: min, Max: max}
	return dist{text("uniform", min, max), u.Quantile}, nil
}

// Normal is the normal distribution of the given mean and standard
// deviation.
func Normal(mean, sd float64) (Dist, error) {
	if !finite(mean, sd) || sd <= 0 {
		return nil, fmt.Errorf("experiment: normal(%g, %g): expected a positive standard deviation", mean, sd)
	}
	n := distuv.Normal{Mu: mean, Sigma: sd}
	return dist{text("normal", mean, sd), n.Quantile}, nil
}

// TruncNormal is the normal distribution of the given mean and standard
// deviation restricted to [min, max].
func TruncNormal(mean, sd, min, max float64) (Dist, error) {
	if !finite(mean, sd, min, max) || sd <= 0 || min >= max {
		return nil, fmt.Errorf("experiment: truncnormal(%g, %g, %g, %g): expected a positive standard deviation and min < max", mean, sd, min, max)
	}
	// Work in the lower tail, where the CDF keeps its precision: a range
	// above the mean is mirrored below it.
	mirror := min > mean
	m, a, b := mean, min, max
	if mirror {
		m, a, b = -mean, -max, -min
	}
	n := distuv.Normal{Mu: m, Sigma: sd}
	lo, hi := n.CDF(a), n.CDF(b)
	if !(hi > lo) || hi-lo < 1e-300 {
		return nil, fmt.Errorf("experiment: truncnormal(%g, %g, %g, %g): [min, max] lies too far in the tail to sample", mean, sd, min, max)
	}
	return dist{text("truncnormal", mean, sd, min, max), func(p float64) float64 {
		if mirror {
			p = 1 - p
		}
		x := math.Min(b, math.Max(a, n.Quantile(lo+p*(hi-lo))))
		if mirror {
			x = -x
		}
		return x
	}}, nil
}

// Triangular is the triangular distribution on [min, max] with its peak at
// mode.
func Triangular(min, mode, max float64) (Dist, error) {
	if !finite(min, mode, max) || min >= max || mode < min || mode > max {
		return nil, fmt.Errorf("experiment: triangular(%g, %g, %g): expected min <= mode <= max and min < max", min, mode, max)
	}
	t := distuv.NewTriangle(min, max, mode, nil)
	return dist{text("triangular", min, mode, max), t.Quantile}, nil
}

// LogNormal is the lognormal distribution whose values have the given mean
// and standard deviation (not those of their logarithm), as the LOGNORMAL
// function of models takes them.
func LogNormal(mean, sd float64) (Dist, error) {
	if !finite(mean, sd) || mean <= 0 || sd <= 0 {
		return nil, fmt.Errorf("experiment: lognormal(%g, %g): expected a positive mean and standard deviation", mean, sd)
	}
	s2 := math.Log1p(sd * sd / (mean * mean))
	l := distuv.LogNormal{Mu: math.Log(mean) - s2/2, Sigma: math.Sqrt(s2)}
	return dist{text("lognormal", mean, sd), l.Quantile}, nil
}

// Fixed is a constant: every draw is x. It lets a study pin a value that
// another study varies.
func Fixed(x float64) (Dist, error) {
	if !finite(x) {
		return nil, fmt.Errorf("experiment: fixed(%g): expected a finite number", x)
	}
	return dist{text("fixed", x), func(float64) float64 { return x }}, nil
}

// dists makes each distribution model.ParseDistribution reads, from its
// checked arguments.
var dists = map[string]func(a []float64) (Dist, error){
	"uniform":     func(a []float64) (Dist, error) { return Uniform(a[0], a[1]) },
	"normal":      func(a []float64) (Dist, error) { return Normal(a[0], a[1]) },
	"truncnormal": func(a []float64) (Dist, error) { return TruncNormal(a[0], a[1], a[2], a[3]) },
	"triangular":  func(a []float64) (Dist, error) { return Triangular(a[0], a[1], a[2]) },
	"lognormal":   func(a []float64) (Dist, error) { return LogNormal(a[0], a[1]) },
	"fixed":       func(a []float64) (Dist, error) { return Fixed(a[0]) },
}

// DistNames lists the distributions ParseDist reads, with their arguments.
func DistNames() []string { return model.DistributionNames() }

// ParseDist reads a distribution written as a call: "uniform(0.1, 0.3)",
// "normal(1, 0.2)", "truncnormal(1, 0.2, 0.5, 1.5)",
// "triangular(0, 0.5, 2)", "lognormal(1, 0.5)" or "fixed(2)". Names are
// case-insensitive. The syntax is model.ParseDistribution's, which a
// model's uncertainty: also uses.
func ParseDist(s string) (Dist, error) {
	d, err := model.ParseDistribution(s)
	if err != nil {
		var de *model.DistributionError
		if errors.As(err, &de) {
			return nil, fmt.Errorf("experiment: %s: %s", strings.TrimSpace(de.Text), de.Msg)
		}
		return nil, err
	}
	return DistOf(d)
}

// DistOf returns the distribution a model declares (a variable's
// Uncertainty).
func DistOf(d model.Distribution) (Dist, error) {
	mk, ok := dists[d.Name]
	if !ok {
		return nil, fmt.Errorf("experiment: unknown distribution %q", d.Name)
	}
	if _, err := model.ParseDistribution(d.String()); err != nil {
		return nil, fmt.Errorf("experiment: %v", err)
	}
	return mk(d.Args)
}
