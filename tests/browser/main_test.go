// Package browser proves the site in a real browser: Debian's Chromium,
// driven by chromedp, against the site served by `payoke serve` (the
// README's run command) with stripe-mock behind donations and a real SMTP
// server behind the contact form.
//
// TestBrowser checks every page of every language's sitemap at a phone and
// a desktop viewport (axe-core, console, failed requests, cookies, storage,
// other origins) and walks the readers' journeys with JavaScript on and off.
// TestLighthouse is a benchmark, run only with -lighthouse (see BENCHMARKS.md).
package browser

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/payoke/site/internal/browsertest"
)

// tools finds Chromium and axe-core, or says what is missing.
type tools struct {
	chromium string // path of the browser
	axe      string // axe.min.js, the source injected into each page
}

func findTools() (tools, error) {
	var tl tools
	var missing []string
	if p, err := browsertest.LookChromium(); err == nil {
		tl.chromium = p
	} else {
		missing = append(missing, err.Error())
	}
	axe, err := os.ReadFile(filepath.Join("node_modules", "axe-core", "axe.min.js"))
	if err == nil {
		tl.axe = string(axe)
	} else {
		missing = append(missing, "axe-core (tests/browser/node_modules/axe-core/axe.min.js)")
	}
	if len(missing) > 0 {
		return tl, errors.New(strings.Join(missing, " and "))
	}
	return tl, nil
}

// needTools returns the tools, or ends the test: loudly in CI, where a
// missing browser must never pass unnoticed, with a skip elsewhere.
func needTools(t *testing.T) tools {
	t.Helper()
	tl, err := findTools()
	browsertest.Require(t, err)
	return tl
}

// tabs is how many pages the browser works on at once (the suite must
// fit on two cores).
const tabs = 3

// newBrowser starts one headless Chromium for the test, with a fresh
// profile, and returns a context whose children are tabs.
func newBrowser(t *testing.T, chromium string) context.Context {
	t.Helper()
	allocCtx := browsertest.NewAllocator(t, chromium)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	start, stop := context.WithTimeout(context.Background(), time.Minute)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }() // starts the browser, bound to ctx, not to start
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("starting %s: %v", chromium, err)
		}
	case <-start.Done():
		t.Fatalf("starting %s: no answer within a minute", chromium)
	}
	return ctx
}
