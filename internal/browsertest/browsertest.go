// Package browsertest finds and starts Debian's Chromium for the tests that
// need a real browser, with one rule for a missing browser everywhere.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"testing"

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
	if err == nil {
		return
	}
	msg := "browser tests need " + err.Error() + "; install with: " + Install
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

// NewAllocator starts headless Chromium with a fresh profile and the flags
// this machine needs (root, so no sandbox; no background networking, so
// nothing leaves loopback), plus extra. It stops when the test ends.
func NewAllocator(t testing.TB, chromium string, extra ...chromedp.ExecAllocatorOption) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancel := chromedp.NewExecAllocator(context.Background(), append(opts, extra...)...)
	t.Cleanup(cancel)
	return ctx
}
