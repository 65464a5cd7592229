package donate_test

import (
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/payoke/site/internal/donate"
	"github.com/payoke/site/internal/donate/stripemock"
	"github.com/payoke/site/internal/donation"
	"github.com/payoke/site/internal/i18n"
	"github.com/payoke/site/internal/siteconfig"
	"github.com/payoke/site/internal/testutil"
	"github.com/payoke/site/internal/web"
	"github.com/payoke/site/internal/web/webtest"
)

// stripeMock is the one stripe-mock process of this test package.
var stripeMock *stripemock.Process

func TestMain(m *testing.M) { os.Exit(stripemock.Run(m, &stripeMock)) }

type env map[string]string

func (e env) get(k string) string { return e[k] }

// newHandler builds the handler the way production does, from the environment.
func newHandler(t *testing.T, e env) http.Handler {
	t.Helper()
	h, err := donate.NewFromEnv(e.get, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// withMock gives a handler talking to stripe-mock through a recording proxy.
func withMock(t *testing.T) (http.Handler, *stripemock.Proxy) {
	px := stripeMock.NewProxy(t)
	return newHandler(t, env{"STRIPE_SECRET_KEY": "sk_test_123", "STRIPE_API_URL": px.URL, "SITE_URL": "https://example.org"}), px
}

func post(h http.Handler, form url.Values, header ...string) *httptest.ResponseRecorder {
	return webtest.Serve(h, webtest.Request("/api/donate", form, header...))
}

func loadSite(t testing.TB) (*siteconfig.Config, *i18n.Catalog) {
	t.Helper()
	return testutil.LoadSite(t, web.LoadSite)
}

// sessionRequest returns the one Checkout Session request the proxy saw.
func sessionRequest(t *testing.T, px *stripemock.Proxy) stripemock.Request {
	t.Helper()
	var found []stripemock.Request
	for _, r := range px.Requests() {
		if r.Method == http.MethodPost && r.Path == "/v1/checkout/sessions" {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d checkout session requests, want 1: %+v", len(found), px.Requests())
	}
	if found[0].Status != http.StatusOK {
		t.Fatalf("stripe-mock answered %d to the session request", found[0].Status)
	}
	return found[0]
}

func wantForm(t *testing.T, form url.Values, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got := form.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	for k := range form {
		if strings.HasPrefix(k, "payment_method_types") {
			t.Errorf("payment methods are left to the dashboard, but %s was sent", k)
		}
	}
}

func TestOneOffGiftRedirectsToCheckout(t *testing.T) {
	t.Parallel()
	h, px := withMock(t)
	w := post(h, url.Values{"amount": {"other"}, "amount_other": {"25,50"}, "frequency": {"once"}, "lang": {"fr"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("status %d, body %s", w.Code, w.Body)
	}
	if loc := w.Header().Get("Location"); !strings.HasPrefix(loc, "https://checkout.stripe.com/") {
		t.Errorf("Location = %q", loc)
	}
	req := sessionRequest(t, px)
	wantForm(t, req.Form, map[string]string{
		"mode":                                           "payment",
		"submit_type":                                    "donate",
		"line_items[0][quantity]":                        "1",
		"line_items[0][price_data][currency]":            "eur",
		"line_items[0][price_data][unit_amount]":         "2550",
		"line_items[0][price_data][product_data][name]":  "Don à Payoke",
		"line_items[0][price_data][recurring][interval]": "",
		"locale":                              "fr",
		"success_url":                         "https://example.org/fr/soutenez-nous/merci/?session_id={CHECKOUT_SESSION_ID}",
		"cancel_url":                          "https://example.org/fr/soutenez-nous/",
		"metadata[lang]":                      "fr",
		"metadata[frequency]":                 "once",
		"payment_intent_data[metadata][lang]": "fr",
		"payment_intent_data[metadata][frequency]": "once",
		"subscription_data[metadata][lang]":        "",
	})
	if got := req.Header.Get("Authorization"); got != "Bearer sk_test_123" {
		t.Errorf("Authorization = %q", got)
	}
	if req.Header.Get("Idempotency-Key") == "" {
		t.Error("no Idempotency-Key")
	}
}

func TestMonthlyGiftAnswersJSON(t *testing.T) {
	t.Parallel()
	h, px := withMock(t)
	w := post(h, url.Values{"amount": {"50"}, "frequency": {"monthly"}, "lang": {"nl"}}, "Accept", "application/json")
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, type %q, body %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	var got struct{ URL string }
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || !strings.HasPrefix(got.URL, "https://checkout.stripe.com/") {
		t.Fatalf("body %s (%v)", w.Body, err)
	}
	wantForm(t, sessionRequest(t, px).Form, map[string]string{
		"mode":                                   "subscription",
		"submit_type":                            "",
		"line_items[0][price_data][currency]":    "eur",
		"line_items[0][price_data][unit_amount]": "5000",
		"line_items[0][price_data][recurring][interval]": "month",
		"line_items[0][price_data][product_data][name]":  "Maandelijkse gift aan Payoke",
		"locale":                                 "nl",
		"success_url":                            "https://example.org/nl/steun-ons/bedankt/?session_id={CHECKOUT_SESSION_ID}",
		"cancel_url":                             "https://example.org/nl/steun-ons/",
		"metadata[lang]":                         "nl",
		"metadata[frequency]":                    "monthly",
		"subscription_data[metadata][frequency]": "monthly",
		"subscription_data[metadata][lang]":      "nl",
		"payment_intent_data[metadata][lang]":    "",
	})
}

func TestTypedAmountWinsOverPreset(t *testing.T) {
	t.Parallel()
	h, px := withMock(t)
	if w := post(h, url.Values{"amount": {"25"}, "amount_other": {"40"}, "frequency": {"once"}, "lang": {"en"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("status %d", w.Code)
	}
	wantForm(t, sessionRequest(t, px).Form, map[string]string{"line_items[0][price_data][unit_amount]": "4000", "locale": "en"})
}

// The page's token makes a double click one session: same gift, same key.
func TestIdempotencyKeyFollowsTheFormToken(t *testing.T) {
	t.Parallel()
	h, px := withMock(t)
	form := url.Values{"amount": {"25"}, "frequency": {"once"}, "lang": {"en"}, "token": {"0123456789abcdef0123"}}
	post(h, form)
	post(h, form)
	form.Del("token")
	post(h, form)
	post(h, form)
	var keys []string
	for _, r := range px.Requests() {
		keys = append(keys, r.Header.Get("Idempotency-Key"))
	}
	if len(keys) != 4 || keys[0] != keys[1] || keys[1] == keys[2] || keys[2] == keys[3] {
		t.Errorf("idempotency keys %q: want the first two equal, the others distinct", keys)
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	h, px := withMock(t)
	_, cat := loadSite(t)
	for _, c := range []struct {
		name  string
		form  url.Values
		field string
		id    string
	}{
		{"no amount", url.Values{"frequency": {"once"}, "lang": {"en"}}, "amount", "donate_error_amount_missing"},
		{"other without text", url.Values{"amount": {"other"}, "frequency": {"once"}, "lang": {"en"}}, "amount", "donate_error_amount_missing"},
		{"letters", url.Values{"amount_other": {"twenty"}, "frequency": {"once"}, "lang": {"en"}}, "amount", "donate_error_amount_format"},
		{"negative", url.Values{"amount_other": {"-25"}, "frequency": {"once"}, "lang": {"nl"}}, "amount", "donate_error_amount_format"},
		{"exponent", url.Values{"amount": {"1e3"}, "frequency": {"once"}, "lang": {"fr"}}, "amount", "donate_error_amount_format"},
		{"space inside", url.Values{"amount_other": {"2 5"}, "frequency": {"once"}, "lang": {"en"}}, "amount", "donate_error_amount_format"},
		{"three decimals", url.Values{"amount_other": {"25,505"}, "frequency": {"once"}, "lang": {"nl"}}, "amount", "donate_error_amount_format"},
		{"huge", url.Values{"amount_other": {"99999999999999999999"}, "frequency": {"once"}, "lang": {"en"}}, "amount", "donate_error_amount_format"},
		{"below minimum", url.Values{"amount_other": {"4,99"}, "frequency": {"once"}, "lang": {"nl"}}, "amount", "donate_error_amount_min"},
		{"above maximum", url.Values{"amount_other": {"10000.01"}, "frequency": {"monthly"}, "lang": {"fr"}}, "amount", "donate_error_amount_max"},
		{"frequency", url.Values{"amount": {"25"}, "frequency": {"yearly"}, "lang": {"en"}}, "frequency", "donate_error_frequency"},
		{"no frequency", url.Values{"amount": {"25"}, "lang": {"fr"}}, "frequency", "donate_error_frequency"},
		{"language", url.Values{"amount": {"25"}, "frequency": {"once"}, "lang": {"de"}}, "lang", "donate_error_lang"},
	} {
		t.Run(c.name, func(t *testing.T) {
			lang := c.form.Get("lang")
			if lang == "de" {
				lang = "nl" // no Accept-Language: the default language
			}
			cfg, _ := loadSite(t)
			o := cfg.Params.Organisation
			want, err := cat.T(lang, c.id, map[string]any{"Min": donation.FormatEuro(lang, 500), "Max": donation.FormatEuro(lang, 1000000), "Phone": o.Phone, "Email": o.Email})
			if err != nil {
				t.Fatal(err)
			}
			w := post(h, c.form, "Accept", "application/json")
			var got struct {
				Error struct{ Field, Message string }
			}
			if w.Code != http.StatusBadRequest || json.Unmarshal(w.Body.Bytes(), &got) != nil || got.Error.Field != c.field || got.Error.Message != want {
				t.Errorf("JSON: status %d, body %s; want 400 %s %q", w.Code, w.Body, c.field, want)
			}
			w = post(h, c.form)
			page := w.Body.String()
			if w.Code != http.StatusBadRequest || !strings.Contains(html.UnescapeString(page), want) {
				t.Errorf("HTML: status %d, want 400 with %q in\n%s", w.Code, want, page)
			}
			if !strings.Contains(page, `<html lang="`+lang) || !strings.Contains(page, `href="`+webtest.Path(lang, web.PageSupport)+`"`) {
				t.Errorf("HTML page is not in %s or has no way back:\n%s", lang, page)
			}
			if c.field == "amount" && !strings.Contains(page, `aria-describedby="donate-amount-error"`) {
				t.Errorf("error not tied to the amount field:\n%s", page)
			}
			// GOV.UK's error summary: "Error:" in the title, the summary first
			// in main and focused (the only autofocus), its link to the field.
			prefix, _ := cat.T(lang, "form_error_prefix", nil)
			title, _ := cat.T(lang, "donate_error_title", nil)
			summary := "<main id=\"main\" tabindex=\"-1\">\n<div class=\"error-summary\" id=\"error-summary\" tabindex=\"-1\" autofocus"
			if !strings.Contains(page, "<title>"+prefix+" "+title+" – "+cfg.Params.Organisation.LegalName+"</title>") || !strings.Contains(page, summary) || strings.Count(page, "autofocus") != 1 {
				t.Errorf("no error summary first in main, or no %q in the title:\n%s", prefix, page)
			}
			if id, ok := map[string]string{"amount": "donate-amount-other", "frequency": "donate-frequency-once"}[c.field]; ok &&
				(!strings.Contains(page, `<li><a href="#`+id+`">`) || !strings.Contains(page, `id="`+id+`"`)) {
				t.Errorf("the summary does not lead to #%s:\n%s", id, page)
			}
			if v := c.form.Get("amount_other"); v != "" && !strings.Contains(page, `value="`+html.EscapeString(v)+`"`) {
				t.Errorf("typed amount %q not shown back:\n%s", v, page)
			}
		})
	}
	if n := len(px.Requests()); n != 0 {
		t.Errorf("bad input reached Stripe %d times", n)
	}
}

func TestAnswerPageShowsInputSafelyInTheSiteShell(t *testing.T) {
	t.Parallel()
	h, _ := withMock(t)
	w := post(h, url.Values{"amount_other": {`"><script>alert(1)</script>`}, "frequency": {"monthly"}, "lang": {"en"}})
	page := w.Body.String()
	if strings.Contains(page, "<script>") || !strings.Contains(page, "&lt;script&gt;") {
		t.Errorf("input not escaped:\n%s", page)
	}
	if !strings.Contains(page, `value="monthly" checked`) {
		t.Error("monthly choice not kept")
	}
	// The site's stylesheet and quick exit, nothing inline, and the
	// functions' policy from netlify.toml left as it is.
	cfg, _ := loadSite(t)
	for _, want := range []string{`<link rel="stylesheet" href="/styles/site.css">`, `<html lang="en" dir="ltr">`,
		`<a id="quick-exit" class="quick-exit" href="` + cfg.Params.QuickExit + `"`, `<form class="form donate-form" method="post" action="/api/donate" data-locale="en"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "<style") || strings.Contains(page, "style=") {
		t.Error("inline style")
	}
	if csp := w.Header().Get("Content-Security-Policy"); csp != "" {
		t.Errorf("the handler sets its own policy %q", csp)
	}
}

func TestPresetIsShownCheckedAgain(t *testing.T) {
	t.Parallel()
	h, _ := withMock(t)
	page := post(h, url.Values{"amount": {"100"}, "frequency": {"weekly"}, "lang": {"nl"}}).Body.String()
	if !strings.Contains(page, `value="100" checked`) || !strings.Contains(page, "€\u00a0100") {
		t.Errorf("preset not kept:\n%s", page)
	}
}

func TestWrongMethodTooLargeAndWrongType(t *testing.T) {
	t.Parallel()
	h, px := withMock(t)
	r := httptest.NewRequest(http.MethodGet, "/api/donate", nil)
	r.Header.Set("Accept-Language", "fr-BE,fr;q=0.9")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != http.MethodPost || !strings.Contains(w.Body.String(), `lang="fr-BE"`) {
		t.Errorf("GET: %d, Allow %q\n%s", w.Code, w.Header().Get("Allow"), w.Body)
	}
	big := url.Values{"amount": {"25"}, "frequency": {"once"}, "lang": {"en"}, "pad": {strings.Repeat("x", donate.MaxBody)}}
	if w := post(h, big); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("big form: %d", w.Code)
	}
	// Without a Content-Length, the limit still holds while reading.
	r = httptest.NewRequest(http.MethodPost, "/api/donate", io.MultiReader(strings.NewReader(big.Encode())))
	r.ContentLength = -1
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Accept", "application/json")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), `"error"`) {
		t.Errorf("streamed big form: %d %s", w.Code, w.Body)
	}
	// A JSON body is not a form: 400 (the contract's codes) with a localized message.
	_, cat := loadSite(t)
	want, _ := cat.T("fr", "donate_error_form", nil)
	r = httptest.NewRequest(http.MethodPost, "/api/donate", strings.NewReader(`{"amount":"25"}`))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Accept", "application/json")
	r.Header.Set("Accept-Language", "fr")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var got struct{ Error struct{ Message string } }
	if w.Code != http.StatusBadRequest || json.Unmarshal(w.Body.Bytes(), &got) != nil || got.Error.Message != want {
		t.Errorf("JSON body: %d %s, want 400 %q", w.Code, w.Body, want)
	}
	if n := len(px.Requests()); n != 0 {
		t.Errorf("refused requests reached Stripe %d times", n)
	}
}

func TestMultipartFormWorks(t *testing.T) {
	t.Parallel()
	h, px := withMock(t)
	body := "--b\r\nContent-Disposition: form-data; name=\"amount\"\r\n\r\n25\r\n--b\r\nContent-Disposition: form-data; name=\"frequency\"\r\n\r\nonce\r\n--b\r\nContent-Disposition: form-data; name=\"lang\"\r\n\r\nen\r\n--b--\r\n"
	r := httptest.NewRequest(http.MethodPost, "/api/donate", strings.NewReader(body))
	r.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("status %d %s", w.Code, w.Body)
	}
	wantForm(t, sessionRequest(t, px).Form, map[string]string{"line_items[0][price_data][unit_amount]": "2500"})
}

func TestUnavailable(t *testing.T) {
	t.Parallel()
	cfg, cat := loadSite(t)
	phone := cfg.Params.Organisation.Phone
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	px := stripeMock.NewProxy(t)
	gift := url.Values{"amount": {"25"}, "frequency": {"once"}, "lang": {"en"}}
	for _, c := range []struct {
		name   string
		env    env
		status int
		id     string
	}{
		{"no key", env{"SITE_URL": "https://example.org"}, http.StatusServiceUnavailable, "donate_error_not_configured"},
		{"Stripe unreachable", env{"STRIPE_SECRET_KEY": "sk_test_123", "STRIPE_API_URL": closed}, http.StatusServiceUnavailable, "donate_error_unavailable"},
		{"Stripe refuses", env{"STRIPE_SECRET_KEY": "not-a-key", "STRIPE_API_URL": px.URL}, http.StatusBadGateway, "donate_error_stripe"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHandler(t, c.env)
			want := cat.TOrID("en", c.id, map[string]any{"Phone": phone, "Email": cfg.Params.Organisation.Email})
			w := post(h, gift)
			if w.Code != c.status || !strings.Contains(html.UnescapeString(w.Body.String()), want) || !strings.Contains(html.UnescapeString(w.Body.String()), "tel:"+cfg.Params.Organisation.PhoneLink) {
				t.Errorf("status %d, want %d with %q and a phone link:\n%s", w.Code, c.status, want, w.Body)
			}
			if !strings.Contains(want, "Nothing was charged") || !strings.Contains(want, phone) {
				t.Errorf("message %q must say nothing was charged and give the phone number", want)
			}
			w = post(h, gift, "Accept", "application/json")
			if w.Code != c.status || !strings.Contains(w.Body.String(), "Nothing was charged") {
				t.Errorf("JSON: %d %s", w.Code, w.Body)
			}
		})
	}
}

func TestConfigIsCheckedOnce(t *testing.T) {
	t.Parallel()
	for _, e := range []env{
		{"SITE_URL": "example.org"},
		{"SITE_URL": "ftp://example.org"},
		{"STRIPE_SECRET_KEY": "sk_test_123", "STRIPE_API_URL": "localhost:12111"},
	} {
		if _, err := donate.NewFromEnv(e.get, nil); err == nil {
			t.Errorf("%v: want an error", e)
		}
	}
}
