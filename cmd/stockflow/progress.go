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
	drawn bool // something is on the line
	stale bool // the last count is not drawn

	lastDone, lastTotal int
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
	if done < b.lastDone {
		return // counts from several goroutines may arrive out of order
	}
	b.lastDone, b.lastTotal = done, total
	if now := time.Now(); done != total && now.Sub(b.last) < 100*time.Millisecond {
		b.stale = true
		return
	} else {
		b.last = now
	}
	b.draw()
}

func (b *progressBar) draw() {
	b.drawn, b.stale = true, false
	done, total := b.lastDone, b.lastTotal
	runs := "runs"
	if done == 1 && total <= 1 {
		runs = "run"
	}
	if total <= 0 {
		fmt.Fprintf(b.w, "\r%s: %d %s", b.label, done, runs)
		return
	}
	const width = 30
	n := width * done / total
	fmt.Fprintf(b.w, "\r%s [%s%s] %3d%% %d/%d %s", b.label, strings.Repeat("=", n), strings.Repeat(" ", width-n), 100*done/total, done, total, runs)
}

// done draws the last count if it was not drawn and ends the bar's line.
func (b *progressBar) done() {
	if b == nil {
		return
	}
	if b.stale {
		b.draw()
	}
	if b.drawn {
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
