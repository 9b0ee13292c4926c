package xmile_test

// must returns v, and panics on err: in tests, where a name a result does
// not hold is the test's own mistake.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
