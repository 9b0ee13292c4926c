package model

import (
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
