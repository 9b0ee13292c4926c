package main

import (
	"strings"
	"testing"
)

// TestRunWarnings checks that warnings go to standard error and leave
// the exit status and the output alone.
func TestRunWarnings(t *testing.T) {
	out, errs, status := stockflow("run", teacup, "--dt", "20", "--save-every", "20")
	if status != 0 {
		t.Fatalf("status %d, stderr:\n%s", status, errs)
	}
	want := []string{
		"warning: " + teacup + ":3:7: dt (20) does not divide the run from 0 to 30: the last step ends at 20",
		"warning: " + teacup + `:12:57: dt (20) is larger than the time constant characteristic_time = 10 in "heat_loss_to_room"`,
	}
	for _, w := range want {
		if !strings.Contains(errs, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errs)
		}
	}
	// The classic Euler overshoot the warning is about: 180 − 20·11.
	if !strings.Contains(out, "\n20,-40,") {
		t.Errorf("stdout:\n%s", out)
	}
	if _, errs, status := stockflow("run", teacup); status != 0 || errs != "" {
		t.Errorf("the teacup as written: status %d, stderr %q", status, errs)
	}
}
