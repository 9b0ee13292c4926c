// Package vector holds the functions of whole arrays that model.Flatten
// turns RANK, the vector functions, ALLOCATE BY PRIORITY, ALLOCATE
// AVAILABLE and INVERT MATRIX into. Each takes its arguments and the
// elements of its arrays as one slice and returns one element of the
// result.
package vector

import _ "embed" // for Source

// Source is the text of funcs.go, which the code generator copies into
// the programs it writes so that they compute these functions as package
// sim does.
//
//go:embed funcs.go
var Source string
