package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// readText reads a delimited text file into one sheet named "": each line
// a row, each field separated by sep a cell. Fields that read as numbers
// are numbers, others text; empty fields are empty cells.
func (w *Workbook) readText(data []byte, sep rune) error {
	if sep == 0 || sep == '"' || sep == '\r' || sep == '\n' || !utf8.ValidRune(sep) {
		return formatErr("%q cannot separate the cells of a text file", sep)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sep
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	sh := &Sheet{}
	for row := 0; ; row++ {
		rec, err := r.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return formatErr("%v", err)
		}
		if row >= maxRows {
			return formatErr("more than %d lines", maxRows)
		}
		for col, f := range rec {
			if col >= maxCols {
				return formatErr("line %d has more than %d fields", row+1, maxCols)
			}
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			if x, err := strconv.ParseFloat(f, 64); err == nil {
				sh.set(Ref{row, col}, Cell{Kind: Number, Num: x})
			} else {
				sh.set(Ref{row, col}, Cell{Kind: Text, Str: f})
			}
		}
	}
	w.Sheets = []*Sheet{sh}
	return nil
}
