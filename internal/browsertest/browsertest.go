// Package browsertest finds and starts Debian's Chromium for the tests that
// need a real browser, with one rule for a missing browser everywhere, and
// keeps their tabs on this machine (StayLocal).
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
)

// Install says how to get what the browser tests need.
const Install = "apt-get install -y chromium && npm ci --prefix tests/browser"

// LookChromium returns the path of $CHROMIUM, or of chromium on PATH.
func LookChromium() (string, error) {
	name := os.Getenv("CHROMIUM")
	if name == "" {
		name = "chromium"
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", errors.New("Chromium (" + name + " is not on PATH; set CHROMIUM to another binary)")
	}
	return p, nil
}

// Require ends the test if err reports a missing tool: loudly in CI, where
// a missing browser must never pass unnoticed, with a skip elsewhere.
func Require(t testing.TB, err error) {
	t.Helper()
	RequireTool(t, "browser tests", Install, err)
}

// RequireTool is Require's rule for any suite that needs installed tools:
// which suite needs them, and how to install them.
func RequireTool(t testing.TB, suite, install string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	msg := suite + " need " + err.Error() + "; install with: " + install
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	fmt.Fprintln(os.Stderr, "SKIP:", msg) // seen without -v too
	t.Skip(msg)
}

// Chromium returns Chromium's path, or ends the test as Require does.
func Chromium(t testing.TB) string {
	t.Helper()
	p, err := LookChromium()
	Require(t, err)
	return p
}

// Flags are the switches, without their leading "--", every browser of the
// tests runs with: headless; root, so no sandbox; no GPU; no background
// networking, component updates or sync, so nothing leaves loopback; no
// first-run dialogs.
var Flags = []string{
	"headless", "no-sandbox", "disable-gpu",
	"disable-background-networking", "disable-component-update", "disable-sync",
	"no-first-run",
}

// CommandLine returns Flags as Chromium's command line takes them, for tools
// that start Chromium themselves (Lighthouse's --chrome-flags).
func CommandLine() string {
	return "--" + strings.Join(Flags, " --")
}

// NewAllocator starts headless Chromium with a fresh profile, chromedp's
// defaults and Flags (chromedp.DisableGPU adds SwiftShader for WebGL), plus
// extra. It stops when the test ends.
func NewAllocator(t testing.TB, chromium string, extra ...chromedp.ExecAllocatorOption) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
	)
	for _, f := range Flags {
		opts = append(opts, chromedp.Flag(f, true))
	}
	ctx, cancel := chromedp.NewExecAllocator(context.Background(), append(opts, extra...)...)
	t.Cleanup(cancel)
	return ctx
}

// Elsewhere is the page a test's tab gets for any https:// address (the
// quick exit's target, Stripe Checkout, a link out): nothing leaves this
// machine.
const Elsewhere = `<!doctype html><html lang="en"><title>elsewhere</title><p>elsewhere</p></html>`

// StayLocal opens the tab (its context): it pauses every https:// request
// and answers each with Elsewhere, then runs setup on the tab. The tab's
// chromedp.Listen callback must pass each fetch.EventRequestPaused on to
// paused. Call it before the tab's first page.
func StayLocal(tab context.Context, paused <-chan *fetch.EventRequestPaused, setup func(context.Context, *chromedp.Target) error) error {
	go answerElsewhere(tab, paused)
	return chromedp.Do(tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, fetch.Enable, fetch.EnableParams{
			Patterns: []*fetch.RequestPattern{{URLPattern: "https://*"}},
		}); err != nil {
			return err
		}
		return setup(ctx, tg)
	}))
}

// answerElsewhere answers each paused request with Elsewhere until tab ends.
func answerElsewhere(tab context.Context, paused <-chan *fetch.EventRequestPaused) {
	for {
		select {
		case <-tab.Done():
			return
		case ev := <-paused:
			chromedp.Call(tab, fetch.FulfillRequest, fetch.FulfillRequestParams{
				RequestID:       ev.RequestID,
				ResponseCode:    200,
				ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/html; charset=utf-8"}},
				Body:            []byte(Elsewhere),
			})
		}
	}
}
