package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressBar draws the progress of long work on one line of a terminal,
// at most ten times a second.
type progressBar struct {
	w     io.Writer
	label string
	last  time.Time
	drawn bool
}

// newProgress returns a progress bar on w, or nil when w is not a
// terminal: output piped to a file or another program stays clean.
func newProgress(w io.Writer, label string) *progressBar {
	if !isTerminal(w) {
		return nil
	}
	return &progressBar{w: w, label: label}
}

// update is an experiment.Options.Progress function; total 0 means the
// number of runs is not known in advance.
func (b *progressBar) update(done, total int) {
	if now := time.Now(); done != total && now.Sub(b.last) < 100*time.Millisecond {
		return
	} else {
		b.last = now
	}
	b.drawn = true
	if total <= 0 {
		fmt.Fprintf(b.w, "\r%s: %d runs", b.label, done)
		return
	}
	const width = 30
	n := width * done / total
	fmt.Fprintf(b.w, "\r%s [%s%s] %3d%% %d/%d runs", b.label, strings.Repeat("=", n), strings.Repeat(" ", width-n), 100*done/total, done, total)
}

// done ends the bar's line.
func (b *progressBar) done() {
	if b != nil && b.drawn {
		fmt.Fprintln(b.w)
	}
}

// progressFunc returns the bar's update function, or nil for no bar.
func (b *progressBar) progressFunc() func(done, total int) {
	if b == nil {
		return nil
	}
	return b.update
}
