// Package handlers benchmarks the donate and contact handlers with their real
// dependencies on loopback (the pinned stripe-mock, an in-process SMTP
// server) against a bare net/http handler that parses the same form and
// answers 303. There are only benchmarks here, so `go test ./...` runs
// nothing; run them with
//
//	go test ./bench/handlers -run '^$' -bench . -benchmem -count 5 | go run ./bench/benchmedian
package handlers

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	site "github.com/payoke/site"
	"github.com/payoke/site/internal/contact"
	"github.com/payoke/site/internal/donate"
	"github.com/payoke/site/internal/donate/stripemock"
	"github.com/payoke/site/internal/i18n"
	"github.com/payoke/site/internal/mail"
	"github.com/payoke/site/internal/mail/mailtest"
	"github.com/payoke/site/internal/siteconfig"
	"github.com/payoke/site/internal/webhook"
)

const siteURL = "https://www.payoke.be"

// stripeMock is started by the first benchmark that needs it.
var stripeMock struct {
	once sync.Once
	p    *stripemock.Process
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if stripeMock.p != nil {
		stripeMock.p.Close()
	}
	os.Exit(code)
}

func stripeURL(b *testing.B) string {
	b.Helper()
	stripeMock.once.Do(func() { stripeMock.p, stripeMock.err = stripemock.Start() })
	if stripeMock.err != nil {
		b.Fatal(stripeMock.err)
	}
	return stripeMock.p.URL
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// bare is the baseline: parse the same form, read its fields, answer 303.
func bare(required string, fields ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 128<<10)
		if err := r.ParseForm(); err != nil || r.PostForm.Get(required) == "" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		for _, f := range fields {
			_ = r.PostForm.Get(f)
		}
		http.Redirect(w, r, "/nl/bedankt/", http.StatusSeeOther)
	})
}

// serve posts form to h through ServeHTTP, as the Lambda adapter does, and
// fails the benchmark on any other status than want.
func serve(b *testing.B, h http.Handler, form url.Values, want int) {
	body := form.Encode()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "/api/x", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Origin", siteURL)
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		r.Header.Set("Accept-Language", "nl-BE,nl;q=0.9")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != want {
			b.Fatalf("status %d, want %d\n%.500s", w.Code, want, w.Body.String())
		}
	}
}

var donateForm = url.Values{"amount": {"25"}, "frequency": {"once"}, "lang": {"nl"}, "token": {"0123456789abcdef0123"}}

func BenchmarkDonate(b *testing.B) {
	b.Run("bare", func(b *testing.B) {
		serve(b, bare("amount", "amount_other", "frequency", "lang", "token"), donateForm, http.StatusSeeOther)
	})
	newDonate := func(b *testing.B) http.Handler {
		h, err := donate.NewFromEnv(env(map[string]string{
			"STRIPE_SECRET_KEY": "sk_test_123", "STRIPE_API_URL": stripeURL(b), "SITE_URL": siteURL,
		}), slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		return h
	}
	// The whole path: validation, a Checkout Session created on stripe-mock, 303.
	b.Run("stripe-mock", func(b *testing.B) { serve(b, newDonate(b), donateForm, http.StatusSeeOther) })
	// Refused below the minimum: the localized form page, no network.
	b.Run("invalid", func(b *testing.B) {
		f := url.Values{"amount": {"1"}, "frequency": {"once"}, "lang": {"nl"}}
		serve(b, newDonate(b), f, http.StatusBadRequest)
	})
}

var contactForm = url.Values{
	"message": {"Mijn werkgever houdt mijn paspoort. Kan ik met iemand praten?"},
	"name":    {"Anoniem"}, "email": {"iemand@example.org"}, "phone": {"+32 470 12 34 56"},
	"topic": {"help"}, "safe_contact": {"Alleen na 18 uur."},
	"lang": {"nl"}, "website": {""}, "elapsed": {"12000"},
}

func BenchmarkContact(b *testing.B) {
	b.Run("bare", func(b *testing.B) {
		serve(b, bare("message", "name", "email", "phone", "topic", "safe_contact", "lang", "website", "elapsed"),
			contactForm, http.StatusSeeOther)
	})
	newContact := func(b *testing.B) http.Handler {
		srv := mailtest.New(b)
		sender, err := mail.NewSMTP(srv.URL(), "Payoke website <website@payoke.be>")
		if err != nil {
			b.Fatal(err)
		}
		cfg, cat := load(b)
		// A one-nanosecond window: the limiter does all its work on every
		// request (HMAC of the address, table lookup) but never refuses.
		h, err := contact.New(contact.Options{Sender: sender, To: []string{"staff@payoke.be"}, Site: cfg, Strings: cat,
			SiteURL: siteURL, Logger: slog.New(slog.DiscardHandler), RateWindow: time.Nanosecond})
		if err != nil {
			b.Fatal(err)
		}
		return h
	}
	// The whole path: validation, rate limit, one message over SMTP, 303.
	b.Run("smtp", func(b *testing.B) { serve(b, newContact(b), contactForm, http.StatusSeeOther) })
	// Refused without a message: the localized form page with the input shown back.
	b.Run("invalid", func(b *testing.B) {
		f := url.Values{}
		for k, v := range contactForm {
			f[k] = v
		}
		f.Set("message", "")
		serve(b, newContact(b), f, http.StatusBadRequest)
	})
}

func load(b *testing.B) (*siteconfig.Config, *i18n.Catalog) {
	b.Helper()
	cfg, err := siteconfig.Load(site.Files)
	if err != nil {
		b.Fatal(err)
	}
	cat, err := i18n.Load(site.Files, cfg.DefaultLanguage)
	if err != nil {
		b.Fatal(err)
	}
	return cfg, cat
}

// BenchmarkNewFromEnv is the in-process part of a cold start: what each
// function does before it can answer (read config.toml and the i18n files,
// check every string it needs), against a trivial constructor.
func BenchmarkNewFromEnv(b *testing.B) {
	e := env(map[string]string{
		"STRIPE_SECRET_KEY": "sk_test_123", "STRIPE_API_URL": "http://127.0.0.1:9", "STRIPE_WEBHOOK_SECRET": "whsec_bench",
		"SMTP_URL": "smtp://user:pass@127.0.0.1:9", "MAIL_FROM": "website@payoke.be", "CONTACT_TO": "staff@payoke.be",
		"SITE_URL": siteURL,
	})
	log := slog.New(slog.DiscardHandler)
	constructors := []struct {
		name string
		new  func(func(string) string, *slog.Logger) (http.Handler, error)
	}{
		{"trivial", func(func(string) string, *slog.Logger) (http.Handler, error) { return bare("amount"), nil }},
		{"donate", donate.NewFromEnv},
		{"contact", contact.NewFromEnv},
		{"webhook", webhook.NewFromEnv},
	}
	for _, c := range constructors {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				h, err := c.new(e, log)
				if err != nil || h == nil {
					b.Fatal(fmt.Errorf("%s: %w", c.name, err))
				}
			}
		})
	}
}
