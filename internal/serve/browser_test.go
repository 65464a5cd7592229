package serve

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/payoke/site/internal/browsertest"
)

// checkoutURL is a Stripe Checkout address as the donate handler answers it.
const checkoutURL = "https://checkout.stripe.com/c/pay/cs_test_local"

// In Chromium, the support page's donate form may follow the 303 to Stripe
// Checkout under the production policy, and may not under form-action
// 'self' alone (Chromium checks form-action on redirects). Chromium also
// knows every feature our Permissions-Policy denies.
func TestChromiumFormActionAndFeatures(t *testing.T) {
	t.Parallel()
	chromium := browsertest.Chromium(t)
	// Stands in for checkout.stripe.com; Chromium resolves the name to it.
	stripe := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<!doctype html><title>checkout</title><p id=checkout>checkout reached")
	}))
	defer stripe.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(stripe.URL, "https://"))

	site, hdrs := newTestHandler(t)
	redirect := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for name, values := range hdrs.For(r.URL.Path) {
			w.Header()[name] = values
		}
		http.Redirect(w, r, checkoutURL, http.StatusSeeOther)
	})
	production := httptest.NewServer(route(site, redirect, nil))
	defer production.Close()
	selfOnly := httptest.NewServer(route(site, redirect, func(csp string) string {
		return strings.Replace(csp, "form-action 'self' https://checkout.stripe.com", "form-action 'self'", 1)
	}))
	defer selfOnly.Close()

	allocCtx := browsertest.NewAllocator(t, chromium,
		chromedp.Flag("host-resolver-rules", "MAP checkout.stripe.com:443 127.0.0.1:"+port),
		chromedp.IgnoreCertErrors,
	)
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil {
		t.Fatal(err)
	}

	submit := func(base string) string {
		tab, cancel := chromedp.NewContext(browser)
		defer cancel()
		tab, cancelTime := context.WithTimeout(tab, 30*time.Second)
		defer cancelTime()
		if err := chromedp.Do(tab,
			chromedp.Navigate(base+"/en/support-us/"),
			chromedp.Click(chromedp.CSS(`form[action="/api/donate"] button[type=submit]`)),
			chromedp.Sleep(2*time.Second),
		); err != nil {
			t.Fatalf("%s: %v", base, err)
		}
		loc, err := chromedp.Run(tab, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}
	if loc := submit(production.URL); loc != checkoutURL {
		t.Errorf("under the production policy the form ended at %q, want %q", loc, checkoutURL)
	}
	if loc := submit(selfOnly.URL); strings.HasPrefix(loc, "https://checkout.stripe.com") {
		t.Errorf("under form-action 'self' the form still reached %q: the check proves nothing", loc)
	}

	// Features Chromium does not know would only log errors, and deny nothing.
	tab, cancel := chromedp.NewContext(browser)
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate(production.URL+"/en/")); err != nil {
		t.Fatal(err)
	}
	known, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`document.featurePolicy ? document.featurePolicy.features() : []`))
	if err != nil {
		t.Fatal(err)
	}
	if len(known) == 0 {
		t.Skip("this Chromium has no document.featurePolicy")
	}
	allowed, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`document.featurePolicy.allowedFeatures()`))
	if err != nil {
		t.Fatal(err)
	}
	for item := range strings.SplitSeq(hdrs.For("/en/").Get("Permissions-Policy"), ",") {
		feature, _, _ := strings.Cut(strings.TrimSpace(item), "=")
		if !slices.Contains(known, feature) {
			t.Errorf("Chromium does not know the feature %q", feature)
		}
		if slices.Contains(allowed, feature) {
			t.Errorf("the page still allows %q", feature)
		}
	}
}

// route sends POST /api/donate to donate and the rest to the site; policy,
// if set, rewrites the pages' Content-Security-Policy.
func route(site, donate http.Handler, policy func(string) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/donate" {
			donate.ServeHTTP(w, r)
			return
		}
		if policy == nil {
			site.ServeHTTP(w, r)
			return
		}
		site.ServeHTTP(rewriteCSP{w, policy}, r)
	})
}

type rewriteCSP struct {
	http.ResponseWriter
	policy func(string) string
}

func (w rewriteCSP) WriteHeader(status int) {
	if csp := w.Header().Get("Content-Security-Policy"); csp != "" {
		w.Header().Set("Content-Security-Policy", w.policy(csp))
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w rewriteCSP) Write(p []byte) (int, error) {
	return w.ResponseWriter.Write(p)
}
