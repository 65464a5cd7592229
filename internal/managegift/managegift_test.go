package managegift_test

import (
	"encoding/json"
	"html"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/payoke/site/internal/donate/stripemock"
	"github.com/payoke/site/internal/donation"
	"github.com/payoke/site/internal/mail"
	"github.com/payoke/site/internal/mail/mailtest"
	"github.com/payoke/site/internal/managegift"
	"github.com/payoke/site/internal/managegift/giftlink"
	"github.com/payoke/site/internal/stripestandin"
	"github.com/payoke/site/internal/testutil"
	"github.com/payoke/site/internal/web"
	"github.com/payoke/site/internal/web/webtest"
)

// lifetime is how long the links work, as config.toml says.
var lifetime = testutil.Site().Params.Donation.ManageLinkLifetime()

// stripeMock is the one stripe-mock process of this test package.
var stripeMock *stripemock.Process

func TestMain(m *testing.M) { os.Exit(stripemock.Run(m, &stripeMock)) }

const (
	secret  = "test-manage-gift-secret-0123456789abcdef"
	siteURL = "https://example.org"
)

// clock is a test's time, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	h     http.Handler
	smtp  *mailtest.Server
	logs  *testutil.SyncBuffer
	clock *clock
}

// setup wires the real handler to the Stripe at stripeURL and to a real
// SMTP server; change adjusts the options first.
func setup(t *testing.T, stripeURL string, change ...func(*managegift.Options)) fixture {
	t.Helper()
	srv := mailtest.New(t)
	sender, err := mail.FromEnv(func(k string) string {
		return map[string]string{"SMTP_URL": srv.URL(), "MAIL_FROM": "Payoke <website@payoke.be>"}[k]
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg, cat, err := web.LoadSite()
	if err != nil {
		t.Fatal(err)
	}
	api, err := donation.NewStripeClient("sk_test_123", stripeURL)
	if err != nil {
		t.Fatal(err)
	}
	links, err := giftlink.New(secret, lifetime)
	if err != nil {
		t.Fatal(err)
	}
	f := fixture{smtp: srv, logs: &testutil.SyncBuffer{}, clock: &clock{t: time.Now()}}
	o := managegift.Options{Site: cfg, Strings: cat, Stripe: api, Links: links, Mail: sender, SiteURL: siteURL,
		Logger: slog.New(slog.NewTextHandler(f.logs, nil)), Now: f.clock.Now, MinAnswer: -1,
		// Tests name their client in a header, as Netlify does.
		ClientIP: func(r *http.Request) string { return r.Header.Get("X-Test-Client") + web.RemoteIP(r) }}
	for _, c := range change {
		c(&o)
	}
	if f.h, err = managegift.New(o); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f fixture) post(form url.Values, header ...string) *httptest.ResponseRecorder {
	return webtest.Serve(f.h, webtest.Request("/api/manage-gift", form, header...))
}

func (f fixture) get(target string, header ...string) *httptest.ResponseRecorder {
	return webtest.Serve(f.h, webtest.Request(target, nil, header...))
}

type got = mailtest.Decoded

// mails reads what the SMTP server received, decoded; it fails unless
// there are exactly n.
func (f fixture) mails(t *testing.T, n int) []got {
	t.Helper()
	return f.smtp.Exactly(t, n)
}

var linkPattern = regexp.MustCompile(regexp.QuoteMeta(siteURL) + `/api/manage-gift\?t=[A-Za-z0-9._-]+`)

// links are the manage links in a mail body, as paths to GET.
func links(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	for _, l := range linkPattern.FindAllString(body, -1) {
		out = append(out, strings.TrimPrefix(l, siteURL))
	}
	return out
}

// wantSent checks the one answer every link request gets.
func wantSent(t *testing.T, w *httptest.ResponseRecorder, lang string) {
	t.Helper()
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != webtest.Path(lang, web.PageManageGiftSent) || w.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("answer %d Location %q Cache-Control %q, want 303 to %s, no-store; body %s",
			w.Code, w.Header().Get("Location"), w.Header().Get("Cache-Control"), webtest.Path(lang, web.PageManageGiftSent), w.Body)
	}
}

// page is the text of an HTML answer, unescaped.
func page(w *httptest.ResponseRecorder) string { return html.UnescapeString(w.Body.String()) }

// A monthly gift as the donate function makes it: Checkout copies
// subscription_data.metadata onto the Subscription.
func addDonor(b *stripestandin.Billing, customer, email string, created int64, gifts ...map[string]any) {
	b.Add("/v1/customers/"+customer, map[string]any{"email": email, "created": created})
	for _, g := range gifts {
		g["customer"] = customer
		b.Add("/v1/subscriptions/"+g["id"].(string), g)
	}
}

func gift(id, lang string, cents int64) map[string]any {
	return map[string]any{"id": id, "object": "subscription", "status": "active",
		"metadata": map[string]string{"lang": lang, "frequency": "monthly"},
		"items": map[string]any{"object": "list", "data": []map[string]any{{"id": "si_" + id, "object": "subscription_item", "quantity": 1,
			"price": map[string]any{"id": "price_" + id, "object": "price", "unit_amount": cents, "currency": "eur"}}}}}
}

func portalRequests(b *stripestandin.Billing) []stripestandin.Request {
	var out []stripestandin.Request
	for _, r := range b.Requests() {
		if r.Path == "/v1/billing_portal/sessions" {
			out = append(out, r)
		}
	}
	return out
}

// The whole journey: the form, the mail, the link, the portal.
func TestKnownAddressGetsALinkThatOpensThePortal(t *testing.T) {
	t.Parallel()
	b := stripestandin.NewBilling(t)
	addDonor(b, "cus_A", "donor@example.org", 100, gift("sub_A", "nl", 2500))
	f := setup(t, b.URL)

	w := f.post(url.Values{"email": {" donor@example.org "}, "lang": {"en"}})
	wantSent(t, w, "en")
	m := f.mails(t, 1)[0]
	if m.To != "donor@example.org" || !strings.Contains(m.ReplyTo, "admin@payoke.be") {
		t.Errorf("mail To %q Reply-To %q", m.To, m.ReplyTo)
	}
	testutil.WantIn(t, "subject", m.Subject, "Your link to manage your monthly gift to Payoke")
	testutil.WantIn(t, "body", m.Body, "Hello,", "€25 a month:", "It works for 4 hours", "ignore this e-mail", "+32 3 201 16 90")
	ls := links(t, m.Body)
	if len(ls) != 1 {
		t.Fatalf("%d links in the mail, want 1:\n%s", len(ls), m.Body)
	}

	// The link opens a portal session for that customer, in that language,
	// returning to the support page.
	w = f.get(ls[0])
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "https://billing.stripe.com/p/session/") {
		t.Fatalf("link: %d Location %q %s", w.Code, w.Header().Get("Location"), w.Body)
	}
	if w.Header().Get("Cache-Control") != "no-store" {
		t.Error("the portal redirect may be cached")
	}
	ps := portalRequests(b)
	if len(ps) != 1 || ps[0].Status != http.StatusOK {
		t.Fatalf("portal requests %+v", ps)
	}
	for k, v := range map[string]string{"customer": "cus_A", "return_url": siteURL + "/en/support-us/", "locale": "en"} {
		if got := ps[0].Form.Get(k); got != v {
			t.Errorf("portal session %s = %q, want %q", k, got, v)
		}
	}

	// Replayed within its lifetime (a mail scanner went first, the donor
	// clicks twice): it opens the same donor's portal again.
	f.clock.Add(lifetime - time.Minute)
	if w := f.get(ls[0]); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "https://billing.stripe.com/") {
		t.Errorf("replayed link: %d %s", w.Code, w.Body)
	}
	if ps := portalRequests(b); len(ps) != 2 || ps[1].Form.Get("customer") != "cus_A" {
		t.Errorf("replay: portal requests %+v", ps)
	}
	testutil.WantNotIn(t, "log", f.logs.String(), "donor@example.org", "cus_A", "t=v1")
}

// An unknown address gets exactly the answer a known one gets, and no mail.
func TestUnknownAddressGetsTheSameAnswer(t *testing.T) {
	t.Parallel()
	b := stripestandin.NewBilling(t)
	addDonor(b, "cus_A", "donor@example.org", 100, gift("sub_A", "fr", 1000))
	// Known to Stripe, but not as a monthly donor: a one-off gift's
	// customer, a gift ended, another product's subscription.
	addDonor(b, "cus_B", "once@example.org", 100)
	addDonor(b, "cus_C", "ended@example.org", 100, func() map[string]any { g := gift("sub_C", "fr", 1000); g["status"] = "canceled"; return g }())
	addDonor(b, "cus_D", "shop@example.org", 100, func() map[string]any {
		g := gift("sub_D", "fr", 1000)
		g["metadata"] = map[string]string{"plan": "newsletter"}
		return g
	}())
	f := setup(t, b.URL, func(o *managegift.Options) { o.RateLimit = 10 })
	known := f.post(url.Values{"email": {"donor@example.org"}, "lang": {"fr"}})
	f.mails(t, 1)
	for _, addr := range []string{"nobody@example.org", "once@example.org", "ended@example.org", "shop@example.org", "DONOR@example.org.invalid"} {
		w := f.post(url.Values{"email": {addr}, "lang": {"fr"}})
		wantSent(t, w, "fr")
		if w.Body.String() != known.Body.String() || len(w.Header()) != len(known.Header()) {
			t.Errorf("%s: answer differs from a known address's: %v %q / %v %q", addr, w.Header(), w.Body, known.Header(), known.Body)
		}
		for k := range known.Header() {
			if w.Header().Get(k) != known.Header().Get(k) {
				t.Errorf("%s: header %s %q, known address %q", addr, k, w.Header().Get(k), known.Header().Get(k))
			}
		}
	}
	f.mails(t, 1)
	testutil.WantNotIn(t, "log", f.logs.String(), "@example.org", "cus_")
}

// Checkout makes a customer per gift: one address, two monthly gifts, one
// mail listing both, each link opening its own customer's portal.
func TestTwoCustomersWithOneAddress(t *testing.T) {
	t.Parallel()
	b := stripestandin.NewBilling(t)
	addDonor(b, "cus_Old", "two@example.org", 100, gift("sub_Old", "nl", 1000))
	addDonor(b, "cus_New", "two@example.org", 200, gift("sub_New", "fr", 5000), gift("sub_New2", "nl", 2000))
	f := setup(t, b.URL)
	wantSent(t, f.post(url.Values{"email": {"two@example.org"}, "lang": {"nl"}}), "nl")
	m := f.mails(t, 1)[0]
	testutil.WantIn(t, "subject", m.Subject, "Je link om je maandelijkse gift aan Payoke te beheren")
	testutil.WantIn(t, "body", m.Body, "meer dan één maandelijkse gift", "€\u00a020 + €\u00a050 per maand:", "€\u00a010 per maand:", "4 uur")
	ls := links(t, m.Body)
	if len(ls) != 2 {
		t.Fatalf("%d links, want 2:\n%s", len(ls), m.Body)
	}
	for i, want := range []string{"cus_New", "cus_Old"} { // newest first, as Stripe lists
		if w := f.get(ls[i]); w.Code != http.StatusSeeOther {
			t.Fatalf("link %d: %d %s", i, w.Code, w.Body)
		}
		if ps := portalRequests(b); ps[len(ps)-1].Form.Get("customer") != want || ps[len(ps)-1].Form.Get("locale") != "nl" {
			t.Errorf("link %d opened %+v, want %s in nl", i, ps[len(ps)-1].Form, want)
		}
	}
}

// Stripe's e-mail filter is case-sensitive; the form also looks the
// address up in lower case.
func TestAddressInAnotherCase(t *testing.T) {
	t.Parallel()
	b := stripestandin.NewBilling(t)
	addDonor(b, "cus_A", "donor@example.org", 100, gift("sub_A", "en", 1500))
	f := setup(t, b.URL)
	wantSent(t, f.post(url.Values{"email": {"Donor@Example.ORG"}, "lang": {"en"}}), "en")
	if m := f.mails(t, 1)[0]; m.To != "donor@example.org" {
		t.Errorf("mail to %q, want the address Stripe holds", m.To)
	}
	var filters []string
	for _, r := range b.Requests() {
		if r.Path == "/v1/customers" {
			filters = append(filters, r.Form.Get("email"))
		}
	}
	if strings.Join(filters, " ") != "Donor@Example.ORG donor@example.org" {
		t.Errorf("customer lookups %q", filters)
	}
}

// stripe-mock checks every request against Stripe's OpenAPI spec: the
// customer list by e-mail, the subscription list and the portal session
// are requests the real API accepts. (Its fixtures are not our gifts, so
// no mail goes out; the stand-in tests above cover that.)
func TestRequestsAgainstStripeMock(t *testing.T) {
	t.Parallel()
	px := stripeMock.NewProxy(t)
	f := setup(t, px.URL)
	wantSent(t, f.post(url.Values{"email": {"Donor@example.org"}, "lang": {"fr"}}), "fr")
	f.mails(t, 0)
	var seen []string
	for _, r := range px.Requests() {
		if r.Status != http.StatusOK {
			t.Errorf("stripe-mock answered %d to %s %s %v", r.Status, r.Method, r.Path, r.Form)
		}
		seen = append(seen, r.Method+" "+r.Path+"?"+r.Form.Encode())
	}
	// stripe-mock's fixture customer has no e-mail, so it is not mailed.
	want := []string{
		"GET /v1/customers?email=Donor%40example.org&limit=10",
		"GET /v1/customers?email=donor%40example.org&limit=10",
	}
	if strings.Join(seen, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(seen, "\n"), strings.Join(want, "\n"))
	}

	// "Send me a new link" reads the customer and lists its subscriptions
	// (stripe-mock's fixture subscription is not one of our gifts).
	links, _ := giftlink.New(secret, lifetime)
	tok, _ := links.Token("cus_PmockCustomer1", "fr", f.clock.Now())
	px.Set("/v1/customers/cus_PmockCustomer1", "email", "donor@example.org")
	wantSent(t, f.post(url.Values{"t": {tok}, "lang": {"fr"}}), "fr")
	f.mails(t, 0)
	rs := px.Requests()[len(want):]
	if len(rs) != 2 || rs[0].Path != "/v1/customers/cus_PmockCustomer1" || rs[0].Status != http.StatusOK ||
		rs[1].Path != "/v1/subscriptions" || rs[1].Form.Get("customer") != "cus_PmockCustomer1" || rs[1].Status != http.StatusOK {
		t.Errorf("renewal requests %+v", rs)
	}

	u, _ := links.URL(siteURL, "cus_PmockCustomer1", "fr", f.clock.Now())
	w := f.get(strings.TrimPrefix(u, siteURL))
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") == "" {
		t.Fatalf("link: %d %s", w.Code, w.Body)
	}
	last := px.Requests()[len(px.Requests())-1]
	if last.Path != "/v1/billing_portal/sessions" || last.Status != http.StatusOK ||
		last.Form.Get("customer") != "cus_PmockCustomer1" || last.Form.Get("return_url") != siteURL+"/fr/soutenez-nous/" || last.Form.Get("locale") != "fr" {
		t.Errorf("portal session request %+v", last)
	}
}

func TestForgedLinks(t *testing.T) {
	t.Parallel()
	b := stripestandin.NewBilling(t)
	addDonor(b, "cus_A", "donor@example.org", 100, gift("sub_A", "en", 1500))
	f := setup(t, b.URL)
	links, _ := giftlink.New(secret, lifetime)
	other, _ := giftlink.New(secret+"-rotated", lifetime)
	tok, _ := links.Token("cus_A", "en", f.clock.Now())
	fromOther, _ := other.Token("cus_A", "en", f.clock.Now())
	for name, target := range map[string]string{
		"another customer": "/api/manage-gift?t=" + strings.Replace(tok, "cus_A", "cus_B", 1),
		"a later expiry":   "/api/manage-gift?t=" + strings.Replace(tok, ".en.", ".en.9", 1),
		"another secret":   "/api/manage-gift?t=" + fromOther,
		"cut short":        "/api/manage-gift?t=" + tok[:len(tok)-5],
		"no token":         "/api/manage-gift",
		"garbage":          "/api/manage-gift?t=%00%ff<script>",
	} {
		w := f.get(target, "Accept-Language", "fr-BE,fr;q=0.9")
		p := page(w)
		if w.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", name, w.Code)
		}
		testutil.WantIn(t, name, p, "Ce lien ne fonctionne pas", `action="/api/manage-gift"`, `name="email"`, `name="lang" value="fr"`, "+32 3 201 16 90")
		testutil.WantNotIn(t, name, p, `name="t"`, "<script>")
	}
	if n := len(b.Requests()); n != 0 {
		t.Errorf("forged links reached Stripe %d times", n)
	}
	// A forged token in "send me a new link" sends nothing either.
	w := f.post(url.Values{"t": {strings.Replace(tok, "cus_A", "cus_B", 1)}, "lang": {"en"}})
	if w.Code != http.StatusBadRequest || !strings.Contains(page(w), "This link does not work") {
		t.Errorf("forged renewal: %d %s", w.Code, w.Body)
	}
	f.mails(t, 0)
}

// An expired link says so, and sends a new one with one click, to the
// address Stripe has for the customer now.
func TestExpiredLinkSendsANewOne(t *testing.T) {
	t.Parallel()
	b := stripestandin.NewBilling(t)
	addDonor(b, "cus_A", "donor@example.org", 100, gift("sub_A", "fr", 1500))
	f := setup(t, b.URL)
	links, _ := giftlink.New(secret, lifetime)
	tok, _ := links.Token("cus_A", "fr", f.clock.Now())
	f.clock.Add(lifetime)
	w := f.get("/api/manage-gift?t="+tok, "Accept-Language", "en")
	p := page(w)
	if w.Code != http.StatusGone {
		t.Fatalf("expired link: %d, want 410", w.Code)
	}
	// In the link's language, whatever the browser says.
	testutil.WantIn(t, "page", p, `lang="fr-BE"`, "Ce lien a expiré", "valable que 4 heures", "M'envoyer un nouveau lien",
		`name="t" value="`+tok+`"`, `name="email"`)
	if len(portalRequests(b)) != 0 {
		t.Error("an expired link opened a portal")
	}
	// The donor changed their address in the portal meanwhile.
	b.Add("/v1/customers/cus_A", map[string]any{"email": "new@example.org", "created": 100})
	wantSent(t, f.post(url.Values{"t": {tok}, "lang": {"fr"}}), "fr")
	m := f.mails(t, 1)[0]
	if m.To != "new@example.org" {
		t.Errorf("new link sent to %q", m.To)
	}
	testutil.WantIn(t, "body", m.Body, "Bonjour,", "15\u00a0€ par mois :")
	if w := f.get(links_(t, m.Body)); w.Code != http.StatusSeeOther {
		t.Errorf("new link: %d %s", w.Code, w.Body)
	}
}

func links_(t *testing.T, body string) string {
	t.Helper()
	ls := links(t, body)
	if len(ls) != 1 {
		t.Fatalf("%d links in\n%s", len(ls), body)
	}
	return ls[0]
}

// A customer deleted since the link was sent: a page that says so.
func TestLinkOfADeletedCustomer(t *testing.T) {
	t.Parallel()
	b := stripestandin.NewBilling(t)
	f := setup(t, b.URL)
	links, _ := giftlink.New(secret, lifetime)
	u, _ := links.URL(siteURL, "cus_Gone", "nl", f.clock.Now())
	w := f.get(strings.TrimPrefix(u, siteURL))
	if w.Code != http.StatusGone || !strings.Contains(page(w), "geen maandelijkse gift meer") {
		t.Errorf("%d %s", w.Code, w.Body)
	}
}

func TestCrossSitePostIsRefused(t *testing.T) {
	t.Parallel()
	b := stripestandin.NewBilling(t)
	addDonor(b, "cus_A", "donor@example.org", 100, gift("sub_A", "en", 1500))
	f := setup(t, b.URL)
	w := f.post(url.Values{"email": {"donor@example.org"}, "lang": {"nl"}}, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	p := page(w)
	if w.Code != http.StatusForbidden {
		t.Fatalf("status %d, want 403", w.Code)
	}
	testutil.WantIn(t, "page", p, "kwam niet van het formulier op onze website", `value="donor@example.org"`)
	if len(b.Requests()) != 0 {
		t.Error("a cross-site post reached Stripe")
	}
	f.mails(t, 0)
	// From the site itself (Sec-Fetch-Site: same-origin) it goes through.
	wantSent(t, f.post(url.Values{"email": {"donor@example.org"}, "lang": {"nl"}}, "Sec-Fetch-Site", "same-origin"), "nl")
}

func TestRateLimits(t *testing.T) {
	t.Parallel()
	b := stripestandin.NewBilling(t)
	addDonor(b, "cus_A", "donor@example.org", 100, gift("sub_A", "en", 1500))
	f := setup(t, b.URL, func(o *managegift.Options) { o.RateLimit, o.AddressLimit = 3, 2 })
	// One client: three requests, then 429 with the address kept.
	for i := range 3 {
		wantSent(t, f.post(url.Values{"email": {"someone" + string(rune('a'+i)) + "@example.org"}, "lang": {"en"}}, "X-Test-Client", "one"), "en")
	}
	w := f.post(url.Values{"email": {"donor@example.org"}, "lang": {"en"}}, "X-Test-Client", "one")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("fourth request: %d Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	testutil.WantIn(t, "429 page", page(w), "Several links were asked for", `value="donor@example.org"`)
	// A bad address does not use up a place.
	f2 := setup(t, b.URL, func(o *managegift.Options) { o.RateLimit = 1 })
	f2.post(url.Values{"email": {"not an address"}, "lang": {"en"}}, "X-Test-Client", "two")
	wantSent(t, f2.post(url.Values{"email": {"donor@example.org"}, "lang": {"en"}}, "X-Test-Client", "two"), "en")

	// One address, from many clients: two mails, then the same 303 and
	// nothing sent, so nobody can fill a donor's mailbox.
	for _, c := range []string{"a", "b", "c", "d"} {
		wantSent(t, f.post(url.Values{"email": {"donor@example.org"}, "lang": {"en"}}, "X-Test-Client", c), "en")
	}
	f.mails(t, 2)
}

// Stripe down before anything about the address is known: 503, the address
// kept. Down later (the subscriptions): the same 303 as ever, no mail.
func TestStripeDown(t *testing.T) {
	t.Parallel()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "http://" + ln.Addr().String()
	ln.Close()
	f := setup(t, dead, func(o *managegift.Options) { o.RateLimit = 1 })
	w := f.post(url.Values{"email": {"donor@example.org"}, "lang": {"fr"}})
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503: %s", w.Code, w.Body)
	}
	testutil.WantIn(t, "page", page(w), "Nous n'avons pas pu joindre Stripe", `value="donor@example.org"`, "+32 3 201 16 90", "admin@payoke.be")
	// Not the visitor's doing: the rate limit gave the place back.
	if w := f.post(url.Values{"email": {"donor@example.org"}, "lang": {"fr"}}); w.Code != http.StatusServiceUnavailable {
		t.Errorf("second try: %d, want 503 again (not 429)", w.Code)
	}
	// A link while Stripe is down: the page says to try again.
	links, _ := giftlink.New(secret, lifetime)
	u, _ := links.URL(siteURL, "cus_A", "fr", f.clock.Now())
	if w := f.get(strings.TrimPrefix(u, siteURL)); w.Code != http.StatusServiceUnavailable || !strings.Contains(page(w), "Ouvrez le lien à nouveau") {
		t.Errorf("link with Stripe down: %d %s", w.Code, w.Body)
	}
	f.mails(t, 0)

	b := stripestandin.NewBilling(t)
	addDonor(b, "cus_A", "donor@example.org", 100, gift("sub_A", "en", 1500))
	b.Fail("GET", "/v1/subscriptions", true)
	f = setup(t, b.URL)
	wantSent(t, f.post(url.Values{"email": {"donor@example.org"}, "lang": {"en"}}), "en")
	f.mails(t, 0)
	testutil.WantIn(t, "log", f.logs.String(), "stripe refused the subscription lookup", "failures=1")
	testutil.WantNotIn(t, "log", f.logs.String(), "donor@example.org", "cus_A")
}

// SMTP down: the same 303 (a 503 would tell the address is known), the
// failure logged without the address.
func TestMailServerDown(t *testing.T) {
	t.Parallel()
	b := stripestandin.NewBilling(t)
	addDonor(b, "cus_A", "donor@example.org", 100, gift("sub_A", "en", 1500))
	f := setup(t, b.URL)
	f.smtp.Close()
	unknown := f.post(url.Values{"email": {"nobody@example.org"}, "lang": {"en"}})
	known := f.post(url.Values{"email": {"donor@example.org"}, "lang": {"en"}})
	wantSent(t, known, "en")
	if known.Body.String() != unknown.Body.String() {
		t.Error("answers differ")
	}
	testutil.WantIn(t, "log", f.logs.String(), "link mail not sent", "mails=0 failures=1")
	testutil.WantNotIn(t, "log", f.logs.String(), "donor@example.org", "cus_A")
}

func TestBadAddressKeepsWhatWasTyped(t *testing.T) {
	t.Parallel()
	f := setup(t, stripestandin.NewBilling(t).URL)
	for _, typed := range []string{"", "donor@", "donor@localhost", "Donor <donor@example.org>", "dönor@example.org", "a@b.c\r\nBcc: x@y.z", strings.Repeat("a", 250) + "@example.org"} {
		w := f.post(url.Values{"email": {typed}, "lang": {"nl"}})
		p := page(w)
		if w.Code != http.StatusBadRequest {
			t.Errorf("%q: status %d, want 400", typed, w.Code)
			continue
		}
		testutil.WantIn(t, typed, p, "Kijk je e-mailadres na", "Vul een e-mailadres in zoals naam@voorbeeld.be.", `href="#manage-gift-email"`,
			`aria-invalid="true"`)
		if typed != "" {
			testutil.WantIn(t, typed, p, `value="`+typed+`"`)
		}
	}
	f.mails(t, 0)
	// A script asking for JSON gets the contract's error.
	w := f.post(url.Values{"email": {"nope"}, "lang": {"en"}}, "Accept", "application/json")
	var body struct {
		Error struct{ Field, Message string }
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || w.Code != http.StatusBadRequest || body.Error.Field != "email" || !strings.Contains(body.Error.Message, "name@example.org") {
		t.Errorf("JSON: %d %s", w.Code, w.Body)
	}
	// Other methods: 405 with Allow.
	r := httptest.NewRequest(http.MethodPut, "/api/manage-gift", nil)
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, r)
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD, POST" {
		t.Errorf("PUT: %d Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
}

// Without MANAGE_GIFT_SECRET (or the Stripe key) the function answers 503
// with "call or write", keeping the address, and says so at start.
func TestNotConfigured(t *testing.T) {
	t.Parallel()
	for name, env := range map[string]map[string]string{
		"no secret":                {"STRIPE_SECRET_KEY": "sk_test_123", "STRIPE_API_URL": "http://127.0.0.1:9"},
		"short secret":             {"STRIPE_SECRET_KEY": "sk_test_123", "MANAGE_GIFT_SECRET": "short"},
		"no stripe key":            {"MANAGE_GIFT_SECRET": secret},
		"no SMTP_URL (on Netlify)": {"STRIPE_SECRET_KEY": "sk_test_123", "MANAGE_GIFT_SECRET": secret, "AWS_LAMBDA_FUNCTION_NAME": "manage-gift"},
	} {
		logs := &testutil.SyncBuffer{}
		env["SITE_URL"] = siteURL
		env["OUTBOX_DIR"] = t.TempDir()
		h, err := managegift.NewFromEnv(func(k string) string { return env[k] }, slog.New(slog.NewTextHandler(logs, nil)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f := fixture{h: h}
		w := f.post(url.Values{"email": {"donor@example.org"}, "lang": {"en"}})
		if w.Code != http.StatusServiceUnavailable {
			t.Errorf("%s: POST %d, want 503", name, w.Code)
		}
		testutil.WantIn(t, name, page(w), "call us on +32 3 201 16 90 or write to admin@payoke.be", `value="donor@example.org"`)
		if w := f.get("/api/manage-gift?t=x", "Accept-Language", "nl"); w.Code != http.StatusServiceUnavailable || !strings.Contains(page(w), "Bel ons op") {
			t.Errorf("%s: GET %d", name, w.Code)
		}
		testutil.WantIn(t, name+" log", logs.String(), "level=WARN", "/api/manage-gift answers 503")
	}
}

// A known address costs lookups and a mail: every answer takes at least
// MinAnswer, so timing tells little.
func TestAnswersTakeAtLeastMinAnswer(t *testing.T) {
	t.Parallel()
	b := stripestandin.NewBilling(t)
	f := setup(t, b.URL, func(o *managegift.Options) { o.MinAnswer = 300 * time.Millisecond })
	start := time.Now()
	wantSent(t, f.post(url.Values{"email": {"nobody@example.org"}, "lang": {"en"}}), "en")
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("answered in %v", d)
	}
}
