package builtin

import (
	"strconv"

	"github.com/stockflow/stockflow/model/expr"
)

// Clock is one of the names every equation may use for the run's clock.
type Clock int

const (
	Time      Clock = iota + 1 // TIME: the time of the value being computed
	DT                         // DT: the integration step
	StartTime                  // STARTTIME: when the run starts
	StopTime                   // STOPTIME: when the run stops
)

var clockNames = map[string]Clock{"time": Time, "dt": DT, "starttime": StartTime, "stoptime": StopTime}

func (c Clock) String() string {
	switch c {
	case Time:
		return "TIME"
	case DT:
		return "DT"
	case StartTime:
		return "STARTTIME"
	case StopTime:
		return "STOPTIME"
	}
	return "Clock(" + strconv.Itoa(int(c)) + ")"
}

// ClockOf returns the clock name a canonical name spells, if it is one.
func ClockOf(canonical string) (Clock, bool) {
	c, ok := clockNames[canonical]
	return c, ok
}

// Self is the canonical form of SELF, which stands, in an argument that
// allows it (Func.SelfArg), for the variable whose equation holds the
// call.
const Self = "self"

// Reserved reports whether a canonical name may not name a variable or a
// lookup, and why: the clock names, SELF, and the words of the equation
// language (IF, THEN, ELSE, AND, OR, NOT). MOD is an operator but may
// still name a variable: the parser reads it as a name where an operand
// is expected.
func Reserved(canonical string) (why string, ok bool) {
	switch {
	case canonical == Self:
		return "SELF stands for the variable itself in PREVIOUS(SELF)", true
	case clockNames[canonical] != 0:
		return "it names the clock", true
	case expr.Reserved(canonical):
		return "it is a word of the equation language", true
	}
	return "", false
}

// Resolve says what a name in an equation refers to when no variable
// has that name: a clock name, a function that may be written bare (PI),
// or nothing.
func Resolve(canonical string) (Clock, *Func) {
	if c, ok := clockNames[canonical]; ok {
		return c, nil
	}
	if f := index[canonical]; f != nil && f.Bare {
		return 0, f
	}
	return 0, nil
}
