package units

import "github.com/stockflow/stockflow/model"

// Error is a units problem at a place in a model file: an equation whose
// units do not agree, or a units declaration or definition that does not
// parse. Check returns each one inside a *model.Error (whose message is the
// same text), so callers find it with errors.As.
type Error struct {
	Pos model.Position
	// Var names the variable (or unit definition) whose equation or
	// declaration has the problem.
	Var string
	// Expected and Found are the units that should agree and do not, as
	// text; both are empty for a problem of another kind.
	Expected, Found string
	Msg             string // the problem, without the position and the name
}

// Error returns "file:line:col: units: var: message".
func (e *Error) Error() string {
	s := "units: "
	if e.Var != "" {
		s += e.Var + ": "
	}
	s += e.Msg
	if e.Pos.File != "" || e.Pos.IsValid() {
		s = e.Pos.String() + ": " + s
	}
	return s
}

// wrap returns the *model.Error that carries e.
func (e *Error) wrap() *model.Error {
	msg := "units: "
	if e.Var != "" {
		msg += e.Var + ": "
	}
	return &model.Error{Pos: e.Pos, Msg: msg + e.Msg, Err: e}
}

func newError(pos model.Position, v, msg string) *model.Error {
	return (&Error{Pos: pos, Var: v, Msg: msg}).wrap()
}
