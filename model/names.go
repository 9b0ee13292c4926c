package model

import (
	"strconv"
	"strings"
	"unicode"
)

// Canonical returns the canonical form of a variable name, under which two
// names are the same variable: letters are lower-cased, and every run of
// spaces, underscores and other white space (including the two characters
// `\n`, which XMILE files use for a line break inside a name) becomes one
// underscore, with none at either end. "Heat Loss", "heat_loss" and
// "HEAT__LOSS" are all "heat_loss".
func Canonical(name string) string {
	name = strings.ReplaceAll(name, `\n`, " ")
	var b strings.Builder
	b.Grow(len(name))
	pendingSep := false
	for _, r := range name {
		if r == '_' || unicode.IsSpace(r) {
			pendingSep = b.Len() > 0
			continue
		}
		if pendingSep {
			b.WriteByte('_')
			pendingSep = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Closest returns the candidate closest to name in edit distance between
// canonical forms, or "" when none is close enough to be a likely typo.
func Closest(name string, candidates []string) string {
	c := Canonical(name)
	best, bestD := "", -1
	for _, cand := range candidates {
		d := editDistance(c, Canonical(cand))
		if bestD < 0 || d < bestD || d == bestD && cand < best {
			best, bestD = cand, d
		}
	}
	limit := len([]rune(c)) / 3 // no guesses for names under three letters
	if limit > 3 {
		limit = 3
	}
	if bestD >= 0 && bestD <= limit {
		return best
	}
	// A name cut short: the only candidate that starts with it.
	prefixed := ""
	for _, cand := range candidates {
		if len(c) >= 4 && strings.HasPrefix(Canonical(cand), c) {
			if prefixed != "" {
				return ""
			}
			prefixed = cand
		}
	}
	return prefixed
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// DidYouMean returns ` (did you mean "x"?)` for the closest candidate, or "".
func DidYouMean(name string, candidates []string) string {
	if c := Closest(name, candidates); c != "" {
		return ` (did you mean "` + c + `"?)`
	}
	return ""
}

// NameError reports a name that matches none of the names there are, where
// a program looks one up: a variable a model or a result does not hold,
// a loop the scores do not, a scenario. The accessors by name of sim,
// sim/experiment, sim/chart and loops return one, wrapped with the
// package's prefix; find it with errors.As. (Model's own lookups, Var,
// Lookup and Scenario, return nil for a name they do not hold.)
type NameError struct {
	Kind    string // what the name should name: "variable", "loop", ...
	Name    string // the name as given
	In      string // where it was looked up, e.g. "the result"; may be ""
	Closest string // the nearest name there is, if close enough to be a likely typo
}

func (e *NameError) Error() string {
	var b strings.Builder
	if e.In != "" {
		b.WriteString("no " + e.Kind + " " + strconv.Quote(e.Name) + " in " + e.In)
	} else {
		b.WriteString("undefined " + e.Kind + " " + strconv.Quote(e.Name))
	}
	if e.Closest != "" {
		b.WriteString(" (did you mean " + strconv.Quote(e.Closest) + "?)")
	}
	return b.String()
}

// FindName returns the index of name among names, compared canonically
// (see Canonical), or -1 and a *NameError of the given kind, naming the
// closest of names as a hint. in says where the names come from, for the
// message ("the result"); it may be "".
func FindName(kind, name, in string, names []string) (int, error) {
	c := Canonical(name)
	for i, n := range names {
		if Canonical(n) == c {
			return i, nil
		}
	}
	return -1, &NameError{Kind: kind, Name: name, In: in, Closest: Closest(name, names)}
}
