package browser

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/payoke/site/internal/browsertest"
	"github.com/payoke/site/internal/siteconfig"
)

// suite is what every browser test shares: one browser, the running site,
// and a limit on the tabs open at once.
type suite struct {
	browser context.Context
	tabs    chan struct{}
	axe     string
	site    site
	cfg     *siteconfig.Config // config.toml, as the site was built from it
}

// view is how a tab shows pages: its viewport and whether JavaScript runs.
type view struct {
	Width, Height int64
	Scale         float64 // device pixels per CSS pixel; 2 at 200 % zoom
	Mobile        bool
	NoJS          bool
}

var (
	phone   = view{Width: 360, Height: 640, Scale: 2, Mobile: true}
	desktop = view{Width: 1280, Height: 800, Scale: 1}
)

func (v view) String() string {
	s := fmt.Sprintf("%dx%d", v.Width, v.Height)
	if v.NoJS {
		s += " without JS"
	}
	return s
}

// tab is one browser tab in a fresh browser context (no cookies, cache or
// history shared with other tabs), recording what its pages do.
type tab struct {
	t    *testing.T
	ctx  context.Context
	site *url.URL
	view view
	// close closes the tab and frees its place; a test that opens tabs one
	// after the other closes each when done. Otherwise the test's end does.
	close func()

	mu        sync.Mutex
	requests  []string // every URL requested, in order
	failures  []string // requests that failed or answered an error status
	console   []string // console errors, exceptions and error log entries
	elsewhere []string // https URLs answered with the blank page
	redirects []string // "303 from → to" for every redirect followed
}

// openTab opens a tab with view v; it closes when the test ends.
func (s *suite) openTab(t *testing.T, v view) *tab {
	t.Helper()
	s.tabs <- struct{}{}
	ctx, cancel := chromedp.NewContext(s.browser, chromedp.WithNewBrowserContext())
	base, _ := url.Parse(s.site.URL)
	tb := &tab{t: t, ctx: ctx, site: base, view: v}
	tb.close = sync.OnceFunc(func() {
		cancel()
		<-s.tabs
	})
	t.Cleanup(tb.close)
	paused := make(chan *fetch.EventRequestPaused, 16)
	if err := chromedp.Listen(ctx, func(ev any) { tb.record(ev, paused) }); err != nil {
		t.Fatal(err)
	}
	err := browsertest.StayLocal(ctx, paused, func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: storageSpy})
		return err
	})
	if err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	tb.setView(v)
	return tb
}

// setView changes the viewport and switches JavaScript on or off, for the
// page shown now and the next ones.
func (tb *tab) setView(v view) {
	tb.t.Helper()
	err := chromedp.Do(tb.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: v.NoJS}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: v.Width, Height: v.Height, DeviceScaleFactor: v.Scale, Mobile: v.Mobile,
		})
		return err
	}))
	if err != nil {
		tb.t.Fatalf("showing pages at %s: %v", v, err)
	}
	tb.view = v
}

// each runs one subtest per name from `tabs` goroutines, each with a tab of
// its own that it reuses from one subtest to the next (opening a tab costs
// as much as loading a page). job sets the view it needs.
func (s *suite) each(t *testing.T, names []string, job func(t *testing.T, tb *tab, i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(tabs, len(names)) {
		wg.Go(func() {
			tb := s.openTab(t, desktop)
			for i := range next {
				t.Run(names[i], func(t *testing.T) {
					tb.t = t
					tb.reset()
					job(t, tb, i)
				})
			}
		})
	}
	for i := range names {
		next <- i
	}
	close(next)
	wg.Wait()
}

// record keeps what the page does. It runs in the tab's event loop, so it
// only stores; paused requests are answered by browsertest.StayLocal.
func (tb *tab) record(ev any, paused chan<- *fetch.EventRequestPaused) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		tb.requests = append(tb.requests, ev.Request.URL)
		if r := ev.RedirectResponse; r != nil {
			tb.redirects = append(tb.redirects, fmt.Sprintf("%d %s → %s", r.Status, r.URL, ev.Request.URL))
		}
	case *network.EventLoadingFailed:
		if !ev.Canceled {
			tb.failures = append(tb.failures, fmt.Sprintf("%s request %s: %s %s", ev.Type, ev.RequestID, ev.ErrorText, ev.BlockedReason))
		}
	case *network.EventResponseReceived:
		if ev.Response.Status >= 400 {
			tb.failures = append(tb.failures, fmt.Sprintf("%s %s: HTTP %d", ev.Type, ev.Response.URL, ev.Response.Status))
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				args = append(args, strings.Trim(string(a.Value), `"`)+a.Description)
			}
			tb.console = append(tb.console, "console."+string(ev.Type)+": "+strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil {
			text += " " + d.Exception.Description
		}
		tb.console = append(tb.console, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber+1, text))
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			tb.console = append(tb.console, fmt.Sprintf("%s error: %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
		}
	case *fetch.EventRequestPaused:
		tb.elsewhere = append(tb.elsewhere, ev.Request.URL)
		paused <- ev
	}
}

// reset forgets what was recorded, before the next step of a journey.
func (tb *tab) reset() {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.requests, tb.failures, tb.console, tb.elsewhere, tb.redirects = nil, nil, nil, nil, nil
}

// recorded returns copies of what the tab recorded.
func (tb *tab) recorded() (requests, failures, console, elsewhere []string) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	c := func(s []string) []string { return append([]string(nil), s...) }
	return c(tb.requests), c(tb.failures), c(tb.console), c(tb.elsewhere)
}

// redirected returns the redirects followed since the last reset.
func (tb *tab) redirected() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.redirects...)
}

// do runs actions with a time limit, failing the test on error.
func (tb *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// follow runs an action that leaves the page (a click on a link, a key)
// and waits until the next page has loaded.
func (tb *tab) follow(what string, a chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, a)); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// back goes one step back in the history, as the Back button does; the
// page may come from the back-forward cache, without a load event.
func (tb *tab) back() {
	tb.t.Helper()
	before := tb.location()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	h, err := chromedp.Run(ctx, chromedp.NavigationEntries())
	if err != nil || h.CurrentIndex < 1 {
		tb.t.Fatalf("going back: %v (history %+v)", err, h)
	}
	if _, err := chromedp.Call(ctx, page.NavigateToHistoryEntry, page.NavigateToHistoryEntryParams{EntryID: h.Entries[h.CurrentIndex-1].ID}); err != nil {
		tb.t.Fatalf("going back: %v", err)
	}
	tb.waitLocation("going back", func(l string) bool { return l != before })
}

// eval evaluates a JavaScript expression in the page and decodes its value.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("evaluating %.80q: %v", expr, err)
	}
	return v
}

// open loads a path of the site and waits for the load event.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do("opening "+path, chromedp.Navigate(tb.url(path)))
}

// url is the absolute URL of a path of the site.
func (tb *tab) url(path string) string {
	return tb.site.ResolveReference(&url.URL{Path: path}).String()
}

// location is the address of the page shown now.
func (tb *tab) location() string {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatal(err)
	}
	return loc
}

// waitLocation waits until the page's address satisfies ok.
func (tb *tab) waitLocation(what string, ok func(string) bool) string {
	tb.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var loc string
	for time.Now().Before(deadline) {
		loc = tb.location()
		if ok(loc) && tb.loaded() {
			return loc
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.t.Fatalf("%s: still at %s", what, loc)
	return loc
}

// loaded reports whether the page shown has finished loading; false while
// it is being replaced.
func (tb *tab) loaded() bool {
	ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
	defer cancel()
	state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState`))
	return err == nil && state == "complete"
}

// sameOrigin reports whether u is on the site's own origin.
func (tb *tab) sameOrigin(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	switch p.Scheme {
	case "data", "blob", "about":
		return true // not a request to any origin
	}
	return p.Scheme == tb.site.Scheme && p.Host == tb.site.Host
}

// storageSpy runs before the page's own scripts and records any use of
// localStorage or sessionStorage.
const storageSpy = `(() => {
  const used = [];
  Object.defineProperty(window, "__storageUse", { value: used });
  for (const name of ["getItem", "setItem", "removeItem", "clear", "key"]) {
    const orig = Storage.prototype[name];
    Storage.prototype[name] = function (...args) {
      used.push(name);
      return orig.apply(this, args);
    };
  }
})();`
