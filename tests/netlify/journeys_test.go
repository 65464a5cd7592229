package netlify

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/payoke/site/internal/browsertest"
	"github.com/payoke/site/internal/donate/stripemock"
	"github.com/payoke/site/internal/mail/mailtest"
	"github.com/payoke/site/internal/web"
	"github.com/payoke/site/internal/web/webtest"
)

// checkoutURL is where stripe-mock's Checkout Sessions send the donor. The
// tab answers every https request with a blank page: nothing leaves.
const checkoutURL = "https://checkout.stripe.com/"

// TestJourneysOnNetlifyDev runs the donate and contact journeys of
// tests/browser once in Chromium against netlify dev (Netlify's router,
// netlify.toml's headers, the Go functions as Lambda), with JavaScript on
// and off: a gift once ends in the 303 from /api/donate to the Checkout URL
// stripe-mock gives (so the page's form-action allows that redirect); a
// message ends on the thank-you page and reaches the SMTP server; a message
// with a bad address comes back 400 with what was typed still in the form.
func TestJourneysOnNetlifyDev(t *testing.T) {
	tl := needTools(t)
	chromium := browsertest.Chromium(t)
	b := sharedBuild(t, tl)

	proc, err := stripemock.Start()
	if err != nil {
		t.Fatalf("stripe-mock: %v", err)
	}
	t.Cleanup(proc.Close)
	smtp := mailtest.New(t)
	devURL := startNetlifyDev(t, tl, b.dir, []string{
		"STRIPE_SECRET_KEY=sk_test_123",
		"STRIPE_API_URL=" + proc.NewProxy(t).URL,
		"STRIPE_WEBHOOK_SECRET=" + webhookSecret,
		"SMTP_URL=" + smtp.URL(),
		"MAIL_FROM=Payoke <website@payoke.be>",
		"CONTACT_TO=staff@payoke.be",
		"MANAGE_GIFT_SECRET=journeys-test-manage-gift-secret-0123456789",
	})
	browser, cancel := chromedp.NewContext(browsertest.NewAllocator(t, chromium))
	t.Cleanup(cancel)
	if err := chromedp.Do(browser); err != nil { // starts Chromium
		t.Fatalf("starting Chromium: %v", err)
	}

	sent := 0
	for _, noJS := range []bool{false, true} {
		js := "JS on"
		if noJS {
			js = "JS off"
		}
		t.Run("donate once, "+js, func(t *testing.T) {
			tb := newTab(t, browser, devURL, noJS)
			const form = "form.donate-form "
			tb.open(webtest.Path("en", web.PageSupport))
			tb.do("choosing a preset and once",
				chromedp.Click(chromedp.CSS(form+`input[name=amount]:not([value=other])`)),
				chromedp.Click(chromedp.CSS(form+`input[name=frequency][value=once]`)))
			// donate.js names the gift on the button: a sign the script ran
			// (under the page policy netlify dev sends), or, JS off, did not.
			amount := tb.eval(`document.querySelector("form.donate-form input[name=amount]:checked").value`)
			label := tb.eval(`document.querySelector("form.donate-form button[type=submit]").textContent`)
			if strings.Contains(label, amount) == noJS {
				t.Errorf("%s: the button says %q (amount %s)", js, label, amount)
			}
			tb.follow("sending the donation form", chromedp.Click(chromedp.CSS(form+`button[type=submit]`)))
			tb.waitLocation("after sending the donation form", func(l string) bool { return strings.HasPrefix(l, checkoutURL) })
			want := "303 " + devURL + "/api/donate → " + checkoutURL
			if r := tb.redirected(); !slicesHasPrefix(r, want) {
				t.Errorf("no %s…; redirects: %q", want, r)
			}
		})

		t.Run("contact, "+js, func(t *testing.T) {
			tb := newTab(t, browser, devURL, noJS)
			text := fmt.Sprintf("Netlify Dev journey (%s): please call me back.", js)
			tb.writeMessage(text, "")
			tb.follow("sending the message", chromedp.Click(chromedp.CSS(`form[action="/api/contact"] button[type=submit]`)))
			tb.waitLocation("after sending a message", func(l string) bool { return l == devURL+"/en/contact/thank-you/" })
			if want := "303 " + devURL + "/api/contact → " + devURL + "/en/contact/thank-you/"; !slicesHasPrefix(tb.redirected(), want) {
				t.Errorf("no %s; redirects: %q", want, tb.redirected())
			}
			sent++
			if m := smtp.Wait(t, sent); !strings.Contains(string(m.Data), "Netlify Dev journey") {
				t.Errorf("the mail does not hold the message:\n%s", m.Data)
			}
		})

		t.Run("contact with a bad address, "+js, func(t *testing.T) {
			tb := newTab(t, browser, devURL, noJS)
			text := fmt.Sprintf("Netlify Dev journey (%s): my address is wrong.", js)
			tb.writeMessage(text, "not-an-address")
			tb.follow("sending the message", chromedp.Click(chromedp.CSS(`form[action="/api/contact"] button[type=submit]`)))
			tb.waitLocation("after sending a bad address", func(l string) bool { return l == devURL+"/api/contact" })
			if st := tb.status(devURL + "/api/contact"); st != 400 {
				t.Errorf("/api/contact answered %d, want 400", st)
			}
			got := tb.eval(`[(document.querySelector("textarea[name=message]") || {}).value, (document.querySelector("input[name=email]") || {}).value, document.documentElement.lang].join("\n")`)
			if want := text + "\nnot-an-address\nen"; got != want {
				t.Errorf("the 400 page holds %q, want the text, the address typed and lang en: %q", got, want)
			}
		})
	}
	if n := len(smtp.Messages()); n != sent {
		t.Errorf("the SMTP server got %d messages, want %d (the 400s send none)", n, sent)
	}
}

func slicesHasPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// jtab is one tab in a fresh browser context with JavaScript on or off; it
// answers every https request with a blank page and records the redirects
// and document statuses it sees.
type jtab struct {
	t    *testing.T
	ctx  context.Context
	base string
	noJS bool

	mu        sync.Mutex
	redirects []string       // "303 from → to"
	statuses  map[string]int // document URL → status
}

func newTab(t *testing.T, browser context.Context, base string, noJS bool) *jtab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tb := &jtab{t: t, ctx: ctx, base: base, noJS: noJS, statuses: map[string]int{}}
	paused := make(chan *fetch.EventRequestPaused, 16)
	if err := chromedp.Listen(ctx, func(ev any) {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			if r := ev.RedirectResponse; r != nil {
				tb.redirects = append(tb.redirects, fmt.Sprintf("%d %s → %s", r.Status, r.URL, ev.Request.URL))
			}
		case *network.EventResponseReceived:
			if ev.Type == network.ResourceTypeDocument {
				tb.statuses[ev.Response.URL] = int(ev.Response.Status)
			}
		case *fetch.EventRequestPaused:
			paused <- ev
		}
	}); err != nil {
		t.Fatal(err)
	}
	err := browsertest.StayLocal(ctx, paused, func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: noJS})
		return err
	})
	if err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return tb
}

// do runs actions with a time limit, failing the test on error.
func (tb *jtab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

func (tb *jtab) open(p string) {
	tb.t.Helper()
	tb.do("opening "+p, chromedp.Navigate(tb.base+p))
}

// follow runs an action that leaves the page and waits for the next load.
func (tb *jtab) follow(what string, a chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 60*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, a)); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

func (tb *jtab) eval(expr string) string {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		tb.t.Fatalf("evaluating %.60q: %v", expr, err)
	}
	return v
}

// waitLocation waits until the page's address satisfies ok and it has loaded.
func (tb *jtab) waitLocation(what string, ok func(string) bool) {
	tb.t.Helper()
	var loc string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
		l, err := chromedp.Run(ctx, chromedp.Location())
		state, err2 := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState`))
		cancel()
		if err == nil {
			loc = l
		}
		if err == nil && err2 == nil && ok(l) && state == "complete" {
			return
		}
	}
	tb.t.Fatalf("%s: still at %s", what, loc)
}

// writeMessage opens the English contact page and fills in the message
// and, if not "", the e-mail address. With JavaScript on it waits out the
// function's 3 seconds for a person to fill in a form.
func (tb *jtab) writeMessage(text, email string) {
	tb.t.Helper()
	const form = `form[action="/api/contact"] `
	tb.open("/en/contact/")
	start := time.Now()
	tb.do("writing a message", chromedp.SendKeys(chromedp.CSS(form+`textarea[name=message]`), text))
	if email != "" {
		tb.do("writing an address", chromedp.SendKeys(chromedp.CSS(form+`input[name=email]`), email))
	}
	if !tb.noJS {
		time.Sleep(3500*time.Millisecond - time.Since(start))
	}
}

func (tb *jtab) redirected() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.redirects...)
}

func (tb *jtab) status(u string) int {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return tb.statuses[u]
}
