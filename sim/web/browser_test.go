package web_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/stockflow/stockflow/sim/web"
)

var screenshot = flag.String("screenshot", "", "write a screenshot of the flagship's page to this PNG file")

// chromium finds Debian's Chromium. Outside CI a missing browser skips the
// browser test; in CI (CI=true), where .ci/run installs it, it fails it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is not installed, and CI must run the browser test: .ci/run installs it with apt-get install chromium")
	}
	t.Skip("skipping the browser test: Chromium is not installed (apt-get install chromium)")
	return ""
}

// TestBrowser loads the flagship's page in headless Chromium, moves the
// cs_share slider with the keyboard, as a user would, and checks that the
// chart, the final-value table and the address change. It logs how long
// the page took to redraw the chart after the last move.
func TestBrowser(t *testing.T) {
	exe := chromium(t)
	_, srv := flagshipServer(t, web.Options{})
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1500, 1300),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("starting Chromium: %v", err)
	}
	// Generous: CI runs this beside every other package's tests on two
	// cores. The time is logged, never asserted.
	ctx, cancelT := context.WithTimeout(ctx, 5*time.Minute)
	defer cancelT()

	start := time.Now()
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/?compare=baseline,acquisition_heavy"),
		wait(`document.querySelector("#chart").dataset.version >= 1 && document.querySelectorAll("#table tbody tr").length == 4 && !document.querySelector("#chart").classList.contains("busy")`),
	)
	if err != nil {
		t.Fatalf("loading the page: %v", err)
	}
	t.Logf("first chart and table after %v", time.Since(start).Round(time.Millisecond))

	before, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](stateJS))
	if err != nil {
		t.Fatal(err)
	}
	if before.Share != "0.3" || before.Error != "" || before.ChartBytes == 0 {
		t.Fatalf("page before the move: %+v", before)
	}

	// Twenty presses of the right arrow: 0.30 → 0.50 in steps of 0.01,
	// each an input event, as a drag makes them.
	moves := []chromedp.Action[chromedp.Void]{chromedp.Focus(`input[type=range][data-name="cs_share"]`)}
	for range 20 {
		moves = append(moves, chromedp.KeyEvent(kb.ArrowRight))
	}
	moved := time.Now()
	if err := chromedp.Do(ctx, moves...); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx, wait(`location.search.includes("cs_share=0.5") && !document.querySelector("#chart").classList.contains("busy") && !document.querySelector("#table").classList.contains("busy") && document.querySelector("#table").dataset.version > 1`))
	if err != nil {
		t.Fatalf("waiting for the redraw: %v", err)
	}
	settled := time.Since(moved)
	after, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](stateJS))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("20 slider moves: the chart redrew %d times; the last redraw took %s ms after its change; all settled %v after the first key",
		after.Version-before.Version, after.RedrawMs, settled.Round(time.Millisecond))

	if after.Error != "" {
		t.Errorf("the page shows an error: %s", after.Error)
	}
	if after.Share != "0.5" {
		t.Errorf("cs_share shows %q after the move, want 0.5", after.Share)
	}
	if after.Version <= before.Version || after.ChartSrc == before.ChartSrc {
		t.Errorf("the chart did not change: version %d → %d", before.Version, after.Version)
	}
	if after.Table == before.Table || !strings.Contains(after.Table, "what-if") {
		t.Errorf("the final-value table did not change:\n%s", after.Table)
	}
	// The what-if column (the first number of the customers row) is what
	// the API gives for cs_share=0.5.
	if !strings.Contains(after.Table, "vs baseline") {
		t.Errorf("the table shows no change against the baseline:\n%s", after.Table)
	}

	// A link reproduces the view.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"+after.Search),
		wait(`document.querySelector("#chart").dataset.version >= 1 && document.querySelectorAll("#table tbody tr").length == 4 && !document.querySelector("#table").classList.contains("busy")`),
	); err != nil {
		t.Fatal(err)
	}
	again, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](stateJS))
	if err != nil {
		t.Fatal(err)
	}
	if again.Share != "0.5" || again.Table != after.Table {
		t.Errorf("the link %s did not reproduce the view: cs_share %q, table\n%s", after.Search, again.Share, again.Table)
	}

	// Find the best split for cumulative profit: 0.505, on the slider's
	// step 0.50.
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#best-const").value = "cs_share"; document.querySelector("#best-var").value = "cumulative_profit"`),
		chromedp.Click(`#best-go`),
		wait(`document.querySelector("#best-result").textContent.startsWith("Best")`),
	); err != nil {
		t.Fatal(err)
	}
	best, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#best-result").textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(best, "0.505") {
		t.Errorf("Find the best says %q, want 0.505", best)
	}

	if *screenshot != "" {
		if err := chromedp.Do(ctx, wait(`!document.querySelector("#loops").classList.contains("busy") && !document.querySelector("#bands").classList.contains("busy") && document.querySelector("#bands").naturalWidth > 0`)); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(*screenshot, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// pageState is what the test reads of the page.
type pageState struct {
	Share      string `json:"share"`
	Version    int    `json:"version"`
	RedrawMs   string `json:"redrawMs"`
	ChartSrc   string `json:"chartSrc"`
	ChartBytes int    `json:"chartBytes"`
	Table      string `json:"table"`
	Search     string `json:"search"`
	Error      string `json:"error"`
}

const stateJS = `(() => {
	const img = document.querySelector("#chart");
	const err = document.querySelector("#error");
	return {
		share: document.querySelector('.slider[data-name="cs_share"] .value').value,
		version: Number(img.dataset.version || 0),
		redrawMs: img.dataset.redrawMs || "",
		chartSrc: img.src,
		chartBytes: img.naturalWidth * img.naturalHeight,
		table: document.querySelector("#table").innerText,
		search: location.search,
		error: err.hidden ? "" : err.textContent,
	};
})()`

// wait polls the page until cond holds, and fails at once with the page's
// message if it shows an error instead.
func wait(cond string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		const e = `document.querySelector("#error")`
		msg, err := chromedp.Poll[string](`(`+cond+`) ? "ok" : (!`+e+`.hidden && `+e+`.textContent)`,
			chromedp.WithPollingTimeout(3*time.Minute))(ctx, t)
		if err == nil && msg != "ok" {
			err = fmt.Errorf("the page shows an error: %s", msg)
		}
		return chromedp.Void{}, err
	}
}
