// Package csvw is the one CSV writer of the sim packages and loops (through
// sim.CSVWriter): results, streamed runs, sensitivity summaries and loop
// scores are all written by it, so that they quote and spell numbers alike.
//
// A field is quoted (RFC 4180) when it holds a comma, a double quote, a
// carriage return or a line feed, or when it starts with a space, which
// some readers would drop; a double quote inside is doubled. A number is
// written in the shortest form that reads back to the same float64
// (strconv's 'g' with precision -1), the infinities as +Inf and -Inf, and
// NaN, a value that is not there (as the first row of loop scores, which
// describes no step), as an empty cell, which spreadsheets read as
// missing. Rows end with a line feed.
package csvw

import (
	"bufio"
	"io"
	"strconv"
)

// Writer writes rows of fields, buffered.
type Writer struct {
	w *bufio.Writer
	b []byte // the row being built
	n int    // its fields so far
}

// New returns a writer to w.
func New(w io.Writer) *Writer {
	return &Writer{w: bufio.NewWriterSize(w, 64<<10)}
}

// sep starts a field: a comma unless it is the row's first.
func (c *Writer) sep() {
	if c.n > 0 {
		c.b = append(c.b, ',')
	}
	c.n++
}

// Text adds a text field to the row, quoted if it must be. The row's first
// field must not be empty text: the row would read as a blank line.
func (c *Writer) Text(s string) {
	c.sep()
	c.b = appendText(c.b, s)
}

// Float adds a number to the row; NaN leaves the cell empty.
func (c *Writer) Float(x float64) {
	c.sep()
	if x == x {
		c.b = strconv.AppendFloat(c.b, x, 'g', -1, 64)
	}
}

// Floats adds numbers to the row.
func (c *Writer) Floats(xs []float64) {
	for _, x := range xs {
		c.Float(x)
	}
}

// End ends the row and writes it.
func (c *Writer) End() error {
	c.b = append(c.b, '\n')
	_, err := c.w.Write(c.b)
	c.b, c.n = c.b[:0], 0
	return err
}

// Flush writes what is buffered.
func (c *Writer) Flush() error { return c.w.Flush() }

// appendText appends s to b as a CSV field, quoted if it must be.
func appendText(b []byte, s string) []byte {
	needs := len(s) > 0 && s[0] == ' '
	for i := 0; i < len(s) && !needs; i++ {
		switch s[i] {
		case ',', '"', '\n', '\r':
			needs = true
		}
	}
	if !needs {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}
