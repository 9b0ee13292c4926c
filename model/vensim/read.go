package vensim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stockflow/stockflow/model"
	"github.com/stockflow/stockflow/model/expr"
)

// ErrUnsupported is the underlying error of every *model.Error that reports
// a Vensim construct stockflow cannot simulate: a function it does not
// have, data read from outside the model file (GET XLS DATA, GET DIRECT
// ..., a .vdf), a FINAL TIME that changes during the run, ... Test for it
// with errors.Is.
var ErrUnsupported = errors.New("vensim: unsupported construct")

// ReadFile reads a Vensim model file (.mdl).
func ReadFile(path string) (*model.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(path, f)
}

// Read reads a Vensim model from r. file names the source in error
// positions and, without its directory and extension, names the model. The
// error, if any, is a model.ErrorList holding every independent problem
// found, each at file:line:col; problems of reading r itself are returned
// as they are.
func Read(file string, r io.Reader) (*model.Model, error) {
	src, err := model.ReadSource(file, r)
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(src) {
		if bytes.HasPrefix(bytes.TrimLeft(src, " \t\r\n\ufeff"), []byte("{UTF-8}")) {
			rd := newReader(file, src)
			off := firstInvalid(src)
			return nil, model.ErrorList{{Pos: rd.pos(off), Msg: fmt.Sprintf("the file says {UTF-8} but byte 0x%02x is not UTF-8", src[off])}}
		}
		// Without {UTF-8}, Vensim wrote the file in the computer's code
		// page: read it as Latin-1.
		runes := make([]rune, len(src))
		for i, c := range src {
			runes[i] = rune(c)
		}
		src = []byte(string(runes))
	}
	rd := newReader(file, src)
	m := rd.read()
	if err := rd.errs.Err(); err != nil {
		return nil, err
	}
	var verrs model.ErrorList
	verrs.Append(m.Validate())
	if err := verrs.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

// firstInvalid returns the offset of the first byte of src that is not
// part of a UTF-8 character.
func firstInvalid(src []byte) int {
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return 0
}

// reader turns the entries of a file into a model.
type reader struct {
	file  string
	src   []byte
	lines []int // the offset of the start of each line
	errs  model.ErrorList
	m     *model.Model

	eqs    []*equation            // the model's equations, in file order
	byName map[string][]*equation // by canonical name
	macros map[string]*macro      // by canonical name
	// lookups holds the canonical names of the standalone lookups.
	lookups map[string]bool
	// control holds the values of the control variables, by canonical
	// name, once known.
	control map[string]float64
	// built holds each variable made, by canonical name.
	built map[string]*model.Variable
	// evaluating guards the constant evaluation of the control section
	// against cycles; consts and starts remember what was worked out, so
	// that chains of variables that each use the next twice take linear
	// time.
	evaluating map[string]bool
	consts     map[string]memo
	starts     map[string]memo
}

// memo is a value worked out once.
type memo struct {
	x  float64
	ok bool
}

func newReader(file string, src []byte) *reader {
	rd := &reader{file: file, src: src, lines: []int{0}}
	for i, c := range src {
		if c == '\n' {
			rd.lines = append(rd.lines, i+1)
		}
	}
	return rd
}

// pos returns the position of the byte at offset off.
func (rd *reader) pos(off int) model.Position {
	line := sort.Search(len(rd.lines), func(i int) bool { return rd.lines[i] > off }) - 1
	if line < 0 {
		line = 0
	}
	return model.Position{File: rd.file, Line: line + 1, Col: off - rd.lines[line] + 1}
}

func (rd *reader) errorf(off int, format string, args ...any) {
	rd.errs.Add(rd.pos(off), format, args...)
}

// unsupported reports a construct stockflow cannot simulate.
func (rd *reader) unsupported(off int, format string, args ...any) {
	rd.errs = append(rd.errs, &model.Error{Pos: rd.pos(off), Msg: fmt.Sprintf(format, args...), Err: ErrUnsupported})
}

// macro is a :MACRO: definition.
type macro struct {
	name   string
	at     int
	params []string
	outs   []string // further outputs, after a colon in the header
	eqs    []*equation
	byName map[string]*equation
}

// Control variables: their canonical names.
const (
	ctlInitial = "initial_time"
	ctlFinal   = "final_time"
	ctlStep    = "time_step"
	ctlSave    = "saveper"
)

func isControl(c string) bool {
	return c == ctlInitial || c == ctlFinal || c == ctlStep || c == ctlSave
}

func (rd *reader) read() *model.Model {
	name := filepath.Base(rd.file)
	name = strings.TrimSuffix(name, filepath.Ext(name))
	rd.m = &model.Model{Name: name, File: rd.file}
	rd.byName = make(map[string][]*equation)
	rd.macros = make(map[string]*macro)
	rd.lookups = make(map[string]bool)
	rd.control = make(map[string]float64)
	rd.built = make(map[string]*model.Variable)
	rd.evaluating = make(map[string]bool)

	rd.parse()
	if len(rd.errs) > 0 {
		return rd.m
	}
	rd.readControl()
	rd.build()
	return rd.m
}

// parse reads the entries of the equation section into rd.eqs and
// rd.macros.
func (rd *reader) parse() {
	var cur *macro
	for _, e := range splitEntries(rd.src) {
		switch e.kind {
		case entryMacroStart:
			if cur != nil {
				rd.errorf(e.eq.start, "a :MACRO: inside the macro %q opened at %s", cur.name, rd.pos(cur.at))
				continue
			}
			cur = rd.macroHeader(e.eq)
			continue
		case entryMacroEnd:
			if cur == nil {
				rd.errorf(e.eq.start, ":END OF MACRO: without a :MACRO:")
				continue
			}
			c := canonical(cur.name)
			if _, dup := rd.macros[c]; dup {
				rd.errorf(cur.at, "macro %q is defined twice", cur.name)
			}
			rd.macros[c] = cur
			cur = nil
			continue
		}
		start := skipSpaceAndComments(rd.src, e.eq.start)
		if start < e.eq.end && rd.src[start] == '*' {
			continue // a group: ******** .Name ******** ~ doc |
		}
		if start >= e.eq.end && !e.hasUnits {
			if !e.done {
				continue // blank space before the end
			}
			rd.errorf(e.eq.start, "expected an equation before |")
			continue
		}
		if !e.done {
			rd.errorf(e.eq.start, "expected | ending the equation, found the end of the equation section")
		}
		eq, err := parseEntry(tokenize(rd.src, span{start, e.eq.end}))
		if err != nil {
			pe := err.(*parseError)
			if pe.unsupported {
				rd.unsupported(pe.at, "%s", pe.msg)
			} else {
				rd.errorf(pe.at, "%s", pe.msg)
			}
			continue
		}
		rd.comments(eq, e)
		if cur != nil {
			cur.eqs = append(cur.eqs, eq)
			continue
		}
		rd.eqs = append(rd.eqs, eq)
		c := canonical(eq.name)
		rd.byName[c] = append(rd.byName[c], eq)
	}
	if cur != nil {
		rd.errorf(cur.at, "macro %q has no :END OF MACRO:", cur.name)
	}
}

// macroHeader parses NAME(param, ... [: out, ...]).
func (rd *reader) macroHeader(sp span) *macro {
	toks := tokenize(rd.src, sp)
	p := &parser{toks: toks}
	m := &macro{at: sp.start, byName: make(map[string]*equation)}
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				pe, ok := r.(*parseError)
				if !ok {
					panic(r)
				}
				err = pe
			}
		}()
		t := p.name()
		m.name, m.at = t.val, t.pos
		p.expect("(", "( after the macro's name")
		outs := false
		for !p.accept(")") {
			if p.accept(":") {
				outs = true
				continue
			}
			t := p.name()
			if outs {
				m.outs = append(m.outs, t.val)
			} else {
				m.params = append(m.params, t.val)
			}
			if !p.is(")") && !p.is(":") {
				p.expect(",", ", or ) in the macro's parameters")
			}
		}
		return nil
	}()
	if err != nil {
		pe := err.(*parseError)
		rd.errorf(pe.at, "%s", pe.msg)
	}
	return m
}

// comments fills in an equation's units, range and documentation.
func (rd *reader) comments(eq *equation, e rawEntry) {
	eq.min, eq.max, eq.step = math.NaN(), math.NaN(), math.NaN()
	if !e.hasUnits {
		return
	}
	units := string(rd.src[e.units.start:e.units.end])
	if i := strings.IndexByte(units, '['); i >= 0 {
		if j := strings.IndexByte(units[i:], ']'); j > 0 {
			rd.unitRange(eq, units[i+1:i+j])
			units = units[:i] + units[i+j+1:]
		}
	}
	eq.units = cleanText(units)
	if e.doc.end > e.doc.start {
		eq.doc = cleanText(string(rd.src[e.doc.start:e.doc.end]))
	}
}

// unitRange reads [min, max] or [min, max, step]; ? leaves a bound open.
func (rd *reader) unitRange(eq *equation, s string) {
	parts := strings.Split(s, ",")
	vals := []*float64{&eq.min, &eq.max, &eq.step}
	for i, part := range parts {
		if i >= len(vals) {
			break
		}
		part = strings.TrimSpace(part)
		if part == "?" || part == "" {
			continue
		}
		x, err := strconv.ParseFloat(part, 64)
		if err != nil {
			continue // units such as [0,inf] or [nan,nan]: no bound
		}
		*vals[i] = x
		eq.hasRange = true
	}
}

// cleanText joins continued lines and runs of white space.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\\\r\n", "")
	s = strings.ReplaceAll(s, "\\\n", "")
	return strings.Join(strings.Fields(s), " ")
}

func canonical(name string) string { return model.Canonical(name) }

// readControl finds the time settings in the control variables.
func (rd *reader) readControl() {
	t := &rd.m.Time
	t.Method = model.Euler
	get := func(c string, required bool) (float64, int, bool) {
		eqs := rd.byName[c]
		if len(eqs) == 0 {
			if required {
				rd.errs.Add(model.Position{File: rd.file}, "the model has no %s", strings.ToUpper(strings.ReplaceAll(c, "_", " ")))
			}
			return 0, 0, false
		}
		eq := eqs[0]
		if eq.kind != eqNormal || eq.subs != nil {
			rd.errorf(eq.at, "expected %s = a number", strings.ToUpper(eq.name))
			return 0, eq.at, false
		}
		x, ok := rd.constant(c)
		if !ok {
			rd.unsupported(eq.at, "%s must be a constant; its equation changes during the run or depends on what does", strings.ToUpper(eq.name))
			return 0, eq.at, false
		}
		return x, eq.at, true
	}
	start, at, okStart := get(ctlInitial, true)
	if okStart {
		t.Start = start
		t.Pos = rd.pos(at)
	}
	stop, at, ok := get(ctlFinal, true)
	if ok {
		t.Stop = stop
		if okStart && stop < start {
			rd.errorf(at, "FINAL TIME %g is before INITIAL TIME %g", stop, start)
		}
	}
	dt, at, ok := get(ctlStep, false)
	switch {
	case !ok && at == 0:
		t.DT = 1 // Vensim's default
	case ok && !(dt > 0):
		rd.errorf(at, "TIME STEP must be positive; found %g", dt)
	case ok:
		t.DT = dt
	}
	save, at, ok := get(ctlSave, false)
	switch {
	case ok && !(save > 0):
		rd.errorf(at, "SAVEPER must be positive; found %g", save)
	case ok:
		t.SaveEvery = save
	}
	rd.control[ctlInitial], rd.control[ctlFinal], rd.control[ctlStep] = t.Start, t.Stop, t.DT
	if t.SaveEvery > 0 {
		rd.control[ctlSave] = t.SaveEvery
	} else {
		rd.control[ctlSave] = t.DT
	}
	if eqs := rd.byName[ctlStep]; len(eqs) > 0 && eqs[0].units != "" {
		t.Units = eqs[0].units
	} else if eqs := rd.byName[ctlFinal]; len(eqs) > 0 {
		t.Units = eqs[0].units
	}
}

// constant evaluates the top-level variable with canonical name c when its
// equation is made of numbers and other such variables.
func (rd *reader) constant(c string) (float64, bool) {
	if v, ok := rd.control[c]; ok {
		return v, true
	}
	eqs := rd.byName[c]
	if len(eqs) != 1 || eqs[0].kind != eqNormal || eqs[0].subs != nil || rd.evaluating[c] {
		return 0, false
	}
	if m, done := rd.consts[c]; done {
		return m.x, m.ok
	}
	rd.evaluating[c] = true
	defer delete(rd.evaluating, c)
	x, ok := rd.constNode(eqs[0].rhs)
	if rd.consts == nil {
		rd.consts = make(map[string]memo)
	}
	rd.consts[c] = memo{x, ok}
	return x, ok
}

func (rd *reader) constNode(n node) (float64, bool) {
	switch n := n.(type) {
	case *numNode:
		return n.v, true
	case *refNode:
		if n.subs != nil {
			return 0, false
		}
		return rd.constant(canonical(n.name))
	case *unaryNode:
		x, ok := rd.constNode(n.x)
		switch n.op {
		case expr.Neg:
			return -x, ok
		case expr.Plus:
			return x, ok
		}
	case *binNode:
		x, okx := rd.constNode(n.x)
		y, oky := rd.constNode(n.y)
		if !okx || !oky {
			return 0, false
		}
		return arith(n.op, x, y)
	}
	return 0, false
}

// arith applies the arithmetic operator op (+, -, *, /, ^) to x and y;
// it is false for any other operator.
func arith(op expr.Op, x, y float64) (float64, bool) {
	switch op {
	case expr.Add:
		return x + y, true
	case expr.Sub:
		return x - y, true
	case expr.Mul:
		return x * y, true
	case expr.Div:
		return x / y, true
	case expr.Pow:
		return math.Pow(x, y), true
	}
	return 0, false
}

// atStart evaluates n at the initial time, as Vensim evaluates the order
// of SMOOTH N once at the start: numbers, Time, variables
// given by such equations, arithmetic, comparisons, IF THEN ELSE, MIN,
// MAX, INTEGER, STEP and RAMP.
func (rd *reader) atStart(n node, depth int) (float64, bool) {
	if depth > 64 {
		return 0, false
	}
	switch n := n.(type) {
	case *numNode:
		return n.v, true
	case *refNode:
		c := canonical(n.name)
		if n.subs != nil {
			return 0, false
		}
		if c == "time" {
			return rd.m.Time.Start, true
		}
		if v, ok := rd.control[c]; ok {
			return v, true
		}
		eqs := rd.byName[c]
		if len(eqs) != 1 || eqs[0].kind != eqNormal || eqs[0].subs != nil {
			return 0, false
		}
		if m, done := rd.starts[c]; done {
			return m.x, m.ok
		}
		x, ok := rd.atStart(eqs[0].rhs, depth+1)
		if rd.starts == nil {
			rd.starts = make(map[string]memo)
		}
		rd.starts[c] = memo{x, ok}
		return x, ok
	case *unaryNode:
		x, ok := rd.atStart(n.x, depth+1)
		switch n.op {
		case expr.Neg:
			return -x, ok
		case expr.Plus:
			return x, ok
		case expr.Not:
			return truth(x == 0), ok
		}
	case *binNode:
		x, okx := rd.atStart(n.x, depth+1)
		y, oky := rd.atStart(n.y, depth+1)
		if !okx || !oky {
			return 0, false
		}
		if v, ok := arith(n.op, x, y); ok {
			return v, true
		}
		switch n.op {
		case expr.Eq:
			return truth(x == y), true
		case expr.Ne:
			return truth(x != y), true
		case expr.Lt:
			return truth(x < y), true
		case expr.Gt:
			return truth(x > y), true
		case expr.Le:
			return truth(x <= y), true
		case expr.Ge:
			return truth(x >= y), true
		case expr.And:
			return truth(x != 0 && y != 0), true
		case expr.Or:
			return truth(x != 0 || y != 0), true
		}
	case *callNode:
		args := make([]float64, len(n.args))
		for i, a := range n.args {
			x, ok := rd.atStart(a, depth+1)
			if !ok {
				return 0, false
			}
			args[i] = x
		}
		t := rd.m.Time.Start
		switch {
		case n.name == "IF THEN ELSE" && len(args) == 3:
			if args[0] != 0 {
				return args[1], true
			}
			return args[2], true
		case n.name == "MIN" && len(args) == 2:
			return math.Min(args[0], args[1]), true
		case n.name == "MAX" && len(args) == 2:
			return math.Max(args[0], args[1]), true
		case n.name == "INTEGER" && len(args) == 1:
			return math.Trunc(args[0]), true
		case n.name == "STEP" && len(args) == 2:
			if t >= args[1] {
				return args[0], true
			}
			return 0, true
		case n.name == "RAMP" && (len(args) == 2 || len(args) == 3):
			if t <= args[1] {
				return 0, true
			}
			end := t
			if len(args) == 3 {
				end = math.Min(t, args[2])
			}
			return args[0] * (end - args[1]), true
		}
	}
	return 0, false
}

func truth(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
