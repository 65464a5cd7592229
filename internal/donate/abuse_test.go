package donate_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/payoke/site/internal/donate"
	"github.com/payoke/site/internal/donate/stripemock"
	"github.com/payoke/site/internal/donation"
	"github.com/payoke/site/internal/web/webtest"
)

// limited builds a handler on stripe-mock with small limits and a clock.
func limited(t *testing.T, perClient, ceiling int) (http.Handler, *stripemock.Proxy, func(time.Duration)) {
	t.Helper()
	px := stripeMock.NewProxy(t)
	cfg, cat := loadSite(t)
	sc, err := donation.NewStripeClient("sk_test_123", px.URL)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	h, err := donate.New(donate.Options{
		Site: cfg, Strings: cat, Stripe: sc, SiteURL: "https://example.org",
		RateLimit: perClient, RateWindow: 10 * time.Minute, Ceiling: ceiling,
		Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	return h, px, func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
}

func sessions(px *stripemock.Proxy) int {
	n := 0
	for _, r := range px.Requests() {
		if r.Method == http.MethodPost && r.Path == "/v1/checkout/sessions" {
			n++
		}
	}
	return n
}

func from(ip string) func(*http.Request) {
	return func(r *http.Request) { r.RemoteAddr = ip + ":40000" }
}

func postFrom(h http.Handler, form url.Values, edit func(*http.Request), header ...string) *httptest.ResponseRecorder {
	r := webtest.Request("/api/donate", form, header...)
	if edit != nil {
		edit(r)
	}
	w := webtest.Serve(h, r)
	return w
}

// keepsTheGift checks a refusal page shows the donor's amount and frequency.
func keepsTheGift(t *testing.T, page string) {
	t.Helper()
	if !strings.Contains(page, `id="donate-amount-other" name="amount_other" inputmode="decimal" autocomplete="off" value="42"`) ||
		!strings.Contains(page, `value="other" id="donate-amount-other-choice" checked`) ||
		!strings.Contains(page, `value="monthly" checked`) {
		t.Errorf("the page lost the amount or the frequency:\n%s", page)
	}
}

var gift42 = url.Values{"amount": {"other"}, "amount_other": {"42"}, "frequency": {"monthly"}, "lang": {"fr"}}

// Issue 13: donate had no cross-site check. The contact form's rule now
// applies: a cross-site post gets 403 and no Checkout Session; an old
// browser's "Origin: null" and a client without browser headers pass.
func TestCrossSiteGiftIsRefused(t *testing.T) {
	t.Parallel()
	h, px := withMock(t)
	_, cat := loadSite(t)
	for name, hdr := range map[string][]string{
		"cross-site":                  {"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"},
		"old browser, foreign origin": {"Origin", "https://evil.example"},
		"new browser, Origin null":    {"Sec-Fetch-Site", "cross-site", "Origin", "null"},
	} {
		w := post(h, gift42, hdr...)
		page := html.UnescapeString(w.Body.String())
		if w.Code != http.StatusForbidden || !strings.Contains(page, cat.TOrID("fr", "donate_error_forbidden", map[string]any{"Phone": "+32 3 201 16 90"})) {
			t.Errorf("%s: status %d, want 403 in French:\n%s", name, w.Code, page)
		}
		keepsTheGift(t, w.Body.String())
		jw := post(h, gift42, append(hdr, "Accept", "application/json")...)
		var res struct {
			Error struct{ Field, Message string }
		}
		if jw.Code != http.StatusForbidden || json.Unmarshal(jw.Body.Bytes(), &res) != nil || res.Error.Message == "" {
			t.Errorf("%s JSON: %d %s", name, jw.Code, jw.Body)
		}
	}
	if n := sessions(px); n != 0 {
		t.Fatalf("%d Checkout Sessions for cross-site posts", n)
	}
	for name, hdr := range map[string][]string{
		"same-origin":              {"Sec-Fetch-Site", "same-origin", "Origin", "https://example.org"},
		"SITE_URL origin":          {"Sec-Fetch-Site", "cross-site", "Origin", "https://example.org"},
		"old browser, Origin null": {"Origin", "null"},
		"no browser headers":       nil,
	} {
		if w := post(h, gift42, hdr...); w.Code != http.StatusSeeOther {
			t.Errorf("%s: status %d, want 303", name, w.Code)
		}
	}
}

// Issue 13: 1,000 posts from one address made 1,000 Checkout Sessions. Now
// one client gets a few; the next gets 429 with Retry-After, in its
// language, the gift kept; another client is not affected.
func TestGiftsPerClientAreLimited(t *testing.T) {
	t.Parallel()
	h, px, advance := limited(t, 3, 1000)
	_, cat := loadSite(t)
	codes := map[int]int{}
	for range 1000 {
		codes[postFrom(h, gift42, from("192.0.2.7")).Code]++
	}
	if codes[http.StatusSeeOther] != 3 || codes[http.StatusTooManyRequests] != 997 {
		t.Errorf("1,000 posts from one address: %v, want 3 × 303 and 997 × 429", codes)
	}
	if n := sessions(px); n != 3 {
		t.Errorf("%d Checkout Sessions, want 3", n)
	}
	w := postFrom(h, gift42, from("192.0.2.7"))
	page := html.UnescapeString(w.Body.String())
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "600" ||
		!strings.Contains(page, cat.TOrID("fr", "donate_error_busy", map[string]any{"Phone": "+32 3 201 16 90"})) {
		t.Errorf("429: Retry-After %q\n%s", w.Header().Get("Retry-After"), page)
	}
	keepsTheGift(t, w.Body.String())
	jw := postFrom(h, gift42, from("192.0.2.7"), "Accept", "application/json")
	var res struct {
		Error struct{ Field, Message string }
	}
	if jw.Code != http.StatusTooManyRequests || jw.Header().Get("Retry-After") == "" || json.Unmarshal(jw.Body.Bytes(), &res) != nil || res.Error.Message == "" {
		t.Errorf("JSON 429: %d %s", jw.Code, jw.Body)
	}
	// Rotating through one IPv6 /64 does not help.
	for i := range 10 {
		postFrom(h, gift42, func(r *http.Request) { r.RemoteAddr = fmt.Sprintf("[2001:db8:5:6::%x]:1", i+1) })
	}
	if n := sessions(px); n != 6 {
		t.Errorf("%d Checkout Sessions after ten posts from one /64, want 6", n)
	}
	if w := postFrom(h, gift42, from("198.51.100.1")); w.Code != http.StatusSeeOther {
		t.Errorf("another client: %d", w.Code)
	}
	// A form to correct does not count.
	for range 5 {
		postFrom(h, url.Values{"amount": {"1"}, "frequency": {"once"}, "lang": {"en"}}, from("203.0.113.9"))
	}
	if w := postFrom(h, gift42, from("203.0.113.9")); w.Code != http.StatusSeeOther {
		t.Errorf("after five refused forms: %d", w.Code)
	}
	advance(10 * time.Minute)
	if w := postFrom(h, gift42, from("192.0.2.7")); w.Code != http.StatusSeeOther {
		t.Errorf("after the window: %d", w.Code)
	}
}

// The whole instance asks Stripe for at most a fixed number of Checkout
// Sessions a minute, whoever asks: the Stripe account's API rate limit stays
// out of reach.
func TestGlobalCeilingOnCheckoutSessions(t *testing.T) {
	t.Parallel()
	h, px, advance := limited(t, 3, 5)
	_, cat := loadSite(t)
	codes := map[int]int{}
	for i := range 50 {
		codes[postFrom(h, gift42, from(fmt.Sprintf("10.0.%d.%d", i/200, i%200))).Code]++
	}
	if codes[http.StatusSeeOther] != 5 || codes[http.StatusTooManyRequests] != 45 || sessions(px) != 5 {
		t.Errorf("50 clients: %v and %d sessions, want 5 × 303, 45 × 429, 5 sessions", codes, sessions(px))
	}
	w := postFrom(h, gift42, from("192.0.2.200"))
	page := html.UnescapeString(w.Body.String())
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "60" ||
		!strings.Contains(page, cat.TOrID("fr", "donate_error_busy_site", map[string]any{"Phone": "+32 3 201 16 90"})) {
		t.Errorf("ceiling: %d Retry-After %q\n%s", w.Code, w.Header().Get("Retry-After"), page)
	}
	keepsTheGift(t, w.Body.String())
	advance(time.Minute)
	// The client refused by the ceiling was not charged a place of its own.
	for i := range 3 {
		if w := postFrom(h, gift42, from("192.0.2.200")); w.Code != http.StatusSeeOther {
			t.Errorf("gift %d after the minute: %d", i+1, w.Code)
		}
	}
}
