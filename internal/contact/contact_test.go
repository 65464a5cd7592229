package contact

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/payoke/site/internal/i18n"
	"github.com/payoke/site/internal/mail"
	"github.com/payoke/site/internal/mail/mailtest"
	"github.com/payoke/site/internal/siteconfig"
	"github.com/payoke/site/internal/testutil"
	"github.com/payoke/site/internal/web"
	"github.com/payoke/site/internal/web/webtest"
)

const (
	staff   = "staff@payoke.be"
	from    = "website@payoke.be"
	siteURL = "http://127.0.0.1:1313"
)

type fixture struct {
	smtp *mailtest.Server
	h    http.Handler
	logs *testutil.SyncBuffer
}

// loadSite gives the strings of every language: the contact form is on the
// help-only languages' pages too.
func loadSite(t testing.TB) (*siteconfig.Config, *i18n.Catalog) {
	t.Helper()
	return testutil.LoadSite(t, web.LoadSiteAllLanguages)
}

// newFixture runs the handler against a real SMTP server on 127.0.0.1.
func newFixture(t *testing.T, edit func(*Options)) *fixture {
	t.Helper()
	srv := mailtest.New(t)
	sender, err := mail.NewSMTP(srv.URL(), "Payoke website <"+from+">")
	if err != nil {
		t.Fatal(err)
	}
	cfg, cat := loadSite(t)
	logs := &testutil.SyncBuffer{}
	o := Options{Sender: sender, To: []string{staff}, Site: cfg, Strings: cat, SiteURL: siteURL,
		Logger: slog.New(slog.NewTextHandler(logs, nil))}
	if edit != nil {
		edit(&o)
	}
	h, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{smtp: srv, h: h, logs: logs}
}

// maxLength is config.toml's limit for the contact form's field name.
func maxLength(t testing.TB, name string) int {
	t.Helper()
	cfg, _ := loadSite(t)
	f, ok := cfg.Params.Forms.Contact.Field(name)
	if !ok {
		t.Fatalf("config.toml: params.forms.contact has no field %q", name)
	}
	return f.MaxLength
}

func valid(lang string) url.Values {
	return url.Values{
		"message": {"Ik word uitgebuit.\r\nMijn baas houdt mijn paspoort — Ёлка 你好 ✓"},
		"name":    {"Zoë Janssens"}, "email": {"zoe@example.org"}, "phone": {"+32 470 12 34 56"},
		"topic": {"help"}, "safe_contact": {"Alleen na 18 uur.\nGeen voicemail."},
		"lang": {lang}, "website": {""}, "elapsed": {"12000"},
	}
}

func (fx *fixture) post(v url.Values, edit func(*http.Request)) *httptest.ResponseRecorder {
	r := webtest.Request("/api/contact", v, "Sec-Fetch-Site", "same-origin", "Origin", siteURL)
	if edit != nil {
		edit(r)
	}
	return webtest.Serve(fx.h, r)
}

func asJSON(r *http.Request) { r.Header.Set("Accept", "application/json") }

func (fx *fixture) assertNothingSent(t *testing.T) {
	t.Helper()
	time.Sleep(20 * time.Millisecond)
	if n := len(fx.smtp.Messages()); n != 0 {
		t.Errorf("SMTP server received %d messages, want none", n)
	}
}

func assertNoStore(t *testing.T, w *httptest.ResponseRecorder, contentType string) {
	t.Helper()
	if got := w.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q", got)
	}
	if got := w.Header().Get("Content-Type"); !strings.HasPrefix(got, contentType) {
		t.Errorf("Content-Type = %q, want %s", got, contentType)
	}
}

func decodeQP(t *testing.T, b []byte) string {
	t.Helper()
	out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(b)))
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(out), "\r\n", "\n")
}

func TestDeliversEachLanguage(t *testing.T) {
	t.Parallel()
	cfg, cat := loadSite(t)
	for _, lang := range cfg.SiteLanguages() {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			fx := newFixture(t, nil)
			v := valid(lang)
			v.Set("topic", "report")
			w := fx.post(v, nil)
			if w.Code != http.StatusSeeOther || w.Header().Get("Location") != siteThanks(lang) {
				t.Fatalf("got %d to %q, want 303 to %s", w.Code, w.Header().Get("Location"), siteThanks(lang))
			}
			assertNoStore(t, w, "text/html")
			got := fx.smtp.Wait(t, 1)
			if got.From != from || len(got.To) != 1 || got.To[0] != staff {
				t.Errorf("envelope %q → %q", got.From, got.To)
			}
			dec := new(mime.WordDecoder)
			subject, _ := dec.DecodeHeader(got.Header.Get("Subject"))
			wantSubject := cat.TOrID("nl", "contact_mail_subject", map[string]any{"Topic": cat.TOrID("nl", "contact_topic_report", nil)})
			if subject != wantSubject {
				t.Errorf("Subject = %q, want %q", subject, wantSubject)
			}
			if rt := got.Header.Get("Reply-To"); rt != "<zoe@example.org>" {
				t.Errorf("Reply-To = %q, want the bare address", rt)
			}
			if f := got.Header.Get("From"); !strings.Contains(f, "<"+from+">") {
				t.Errorf("From = %q", f)
			}
			if to := got.Header.Get("To"); to != "<"+staff+">" {
				t.Errorf("To = %q", to)
			}
			// No visitor text in any header.
			for k, vs := range got.Header {
				for _, hv := range vs {
					for _, s := range []string{"Zo", "Janssens", "470", "paspoort", "voicemail"} {
						if strings.Contains(hv, s) && k != "Reply-To" {
							t.Errorf("header %s holds visitor text %q", k, hv)
						}
					}
				}
			}
			body := decodeQP(t, got.Body)
			label := map[string]string{"nl": "Nederlands (nl)", "en": "English (en)", "fr": "Français (fr)"}[lang]
			for _, want := range []string{
				"Taal van het formulier: " + label, "Onderwerp: Ik wil een situatie melden",
				"Naam: Zoë Janssens", "E-mail: zoe@example.org", "Telefoon: +32 470 12 34 56",
				"Alleen na 18 uur.\nGeen voicemail.", "Ik word uitgebuit.\nMijn baas houdt mijn paspoort — Ёлка 你好 ✓",
			} {
				if !strings.Contains(body, want) {
					t.Errorf("body lacks %q:\n%s", want, body)
				}
			}
			for _, leak := range []string{"Zoë", "zoe@", "470", "paspoort"} {
				if strings.Contains(fx.logs.String(), leak) {
					t.Errorf("log holds %q", leak)
				}
			}
		})
	}
}

func TestAnonymousMessage(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, nil)
	w := fx.post(url.Values{"message": {"Help"}}, asJSON)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var res map[string]string
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || res["url"] != siteThanks("nl") {
		t.Errorf("JSON = %s (%v)", w.Body, err)
	}
	got := fx.smtp.Wait(t, 1)
	if got.Header.Get("Reply-To") != "" {
		t.Errorf("Reply-To = %q without an address", got.Header.Get("Reply-To"))
	}
	body := decodeQP(t, got.Body)
	if !strings.Contains(body, "Naam: (niet opgegeven)") || !strings.Contains(body, "Onderwerp: Iets anders") {
		t.Errorf("body:\n%s", body)
	}
}

func TestHeaderInjection(t *testing.T) {
	t.Parallel()
	for field, value := range map[string]string{
		"name":  "Anna\r\nBcc: evil@example.net",
		"email": "anna@example.org\r\nBcc: evil@example.net",
		"topic": "help\r\nBcc: evil@example.net",
		"phone": "0470\nBcc: evil@example.net",
	} {
		t.Run(field, func(t *testing.T) {
			t.Parallel()
			fx := newFixture(t, nil)
			v := valid("en")
			v.Set(field, value)
			w := fx.post(v, nil)
			if w.Code != http.StatusBadRequest {
				t.Errorf("status %d, want 400", w.Code)
			}
			if !strings.Contains(w.Body.String(), `id="contact-`+field+`-error"`) {
				t.Errorf("no error beside %s", field)
			}
			fx.assertNothingSent(t)
		})
	}
	// Fields the form does not have, and line breaks inside the message,
	// reach no header either.
	fx := newFixture(t, nil)
	v := valid("en")
	v.Set("subject", "Hi\r\nBcc: evil@example.net")
	v.Set("message", "Hello\r\nBcc: evil@example.net\r\n\r\nSubject: spam")
	if w := fx.post(v, nil); w.Code != http.StatusSeeOther {
		t.Fatalf("status %d", w.Code)
	}
	got := fx.smtp.Wait(t, 1)
	if len(got.To) != 1 || got.Header.Get("Bcc") != "" || got.Header.Get("Cc") != "" || strings.Contains(got.Header.Get("Subject"), "spam") {
		t.Errorf("injected: rcpt %q, headers %v", got.To, got.Header)
	}
}

func TestHoneypotLooksLikeSuccess(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, nil)
	real := fx.post(valid("fr"), nil)
	fx.smtp.Wait(t, 1)
	trap := valid("fr")
	trap.Set("website", "http://spam.example")
	bot := fx.post(trap, nil)
	if bot.Code != real.Code || bot.Header().Get("Location") != real.Header().Get("Location") || bot.Body.String() != real.Body.String() {
		t.Errorf("honeypot answer %d %q differs from success %d %q", bot.Code, bot.Header().Get("Location"), real.Code, real.Header().Get("Location"))
	}
	time.Sleep(20 * time.Millisecond)
	if n := len(fx.smtp.Messages()); n != 1 {
		t.Errorf("server has %d messages, want only the real one", n)
	}
}

func TestCrossSite(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, nil)
	for name, edit := range map[string]func(*http.Request){
		"cross-site": func(r *http.Request) {
			r.Header.Set("Sec-Fetch-Site", "cross-site")
			r.Header.Set("Origin", "https://evil.example")
		},
		"same-site": func(r *http.Request) {
			r.Header.Set("Sec-Fetch-Site", "same-site")
			r.Header.Set("Origin", "http://other.127.0.0.1:1313")
		},
		"old browser, foreign origin": func(r *http.Request) {
			r.Header.Del("Sec-Fetch-Site")
			r.Header.Set("Origin", "https://evil.example")
		},
		"new browser, Origin null": func(r *http.Request) {
			r.Header.Set("Sec-Fetch-Site", "cross-site")
			r.Header.Set("Origin", "null")
		},
	} {
		w := fx.post(valid("en"), edit)
		if w.Code != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", name, w.Code)
		}
		assertNoStore(t, w, "text/html")
		// Refused, yet nothing is lost: the text is shown back, ready to send from our page.
		if body := w.Body.String(); !strings.Contains(body, "This message was not sent") ||
			!strings.Contains(body, "Mijn baas houdt mijn paspoort") || !strings.Contains(body, `value="Zoë Janssens"`) {
			t.Errorf("%s: page: %s", name, w.Body)
		}
	}
	big := valid("en")
	big.Set("message", strings.Repeat("x", 200<<10))
	if w := fx.post(big, func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") }); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized cross-site post: status %d, want 413", w.Code)
	}
	fx.assertNothingSent(t)
	accepted := 0
	for name, edit := range map[string]func(*http.Request){
		"SITE_URL origin": func(r *http.Request) {
			r.Header.Set("Sec-Fetch-Site", "cross-site")
			r.Header.Set("Origin", siteURL)
		},
		"no browser headers": func(r *http.Request) {
			r.Header.Del("Sec-Fetch-Site")
			r.Header.Del("Origin")
		},
		// Too old for Sec-Fetch-Site, and Referrer-Policy: no-referrer makes the origin "null".
		"old browser, Origin null": func(r *http.Request) {
			r.Header.Del("Sec-Fetch-Site")
			r.Header.Set("Origin", "null")
		},
	} {
		accepted++
		if w := fx.post(valid("en"), edit); w.Code != http.StatusSeeOther {
			t.Errorf("%s: status %d, want 303", name, w.Code)
		}
	}
	fx.smtp.Wait(t, accepted)
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	fx := newFixture(t, func(o *Options) {
		o.RateLimit, o.RateWindow = 2, 10*time.Minute
		o.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	})
	from := func(ip string) func(*http.Request) { return func(r *http.Request) { r.RemoteAddr = ip + ":40000" } }
	for i := range 2 {
		if w := fx.post(valid("nl"), from("192.0.2.7")); w.Code != http.StatusSeeOther {
			t.Fatalf("message %d: status %d", i+1, w.Code)
		}
	}
	v := valid("nl")
	v.Set("message", "Derde bericht <b>niet verloren</b>")
	w := fx.post(v, from("192.0.2.7"))
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("third message: status %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	if !strings.Contains(w.Body.String(), "Derde bericht &lt;b&gt;niet verloren&lt;/b&gt;</textarea>") {
		t.Errorf("429 page does not keep the message:\n%s", w.Body)
	}
	if w := fx.post(valid("nl"), from("198.51.100.1")); w.Code != http.StatusSeeOther {
		t.Errorf("another client: status %d", w.Code)
	}
	mu.Lock()
	now = now.Add(11 * time.Minute)
	mu.Unlock()
	if w := fx.post(valid("nl"), from("192.0.2.7")); w.Code != http.StatusSeeOther {
		t.Errorf("after the window: status %d", w.Code)
	}
	fx.smtp.Wait(t, 4)
	if strings.Contains(fx.logs.String(), "192.0.2.7") || strings.Contains(fx.logs.String(), "198.51.100.1") {
		t.Errorf("log holds an IP address:\n%s", fx.logs)
	}
}

func TestOversizedBody(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, func(o *Options) { o.MaxBody = 4 << 10 })
	v := valid("fr")
	v.Set("message", strings.Repeat("x", 5<<10))
	for name, edit := range map[string]func(*http.Request){
		"with length": func(r *http.Request) { r.Header.Set("Accept-Language", "fr") },
		"chunked": func(r *http.Request) {
			r.Header.Set("Accept-Language", "fr")
			r.ContentLength = -1
		},
	} {
		w := fx.post(v, edit)
		if w.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: status %d, want 413", name, w.Code)
		}
		if !strings.Contains(w.Body.String(), "Votre message est trop long") {
			t.Errorf("%s: page not in French: %s", name, w.Body)
		}
	}
	// Default limit: a full message in a non-Latin script still fits.
	fx = newFixture(t, nil)
	v.Set("message", strings.Repeat("你", maxLength(t, "message")))
	if w := fx.post(v, nil); w.Code != http.StatusSeeOther {
		t.Errorf("5,000 CJK characters: status %d", w.Code)
	}
	fx.smtp.Wait(t, 1)
}

func TestMethodNotAllowed(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, nil)
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
		r := httptest.NewRequest(m, "/api/contact", nil)
		r.Header.Set("Accept-Language", "fr-BE,fr;q=0.9")
		w := httptest.NewRecorder()
		fx.h.ServeHTTP(w, r)
		if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "POST" {
			t.Errorf("%s: %d, Allow %q", m, w.Code, w.Header().Get("Allow"))
		}
		if !strings.Contains(w.Body.String(), `lang="fr-BE"`) || !strings.Contains(w.Body.String(), `href="/fr/contact/"`) {
			t.Errorf("%s: page: %s", m, w.Body)
		}
	}
}

func TestSMTPDownKeepsTheText(t *testing.T) {
	t.Parallel()
	for name, breakIt := range map[string]func(*mailtest.Server){
		"refused": func(s *mailtest.Server) { s.FailWith(mailtest.ErrRefused) },
		"down":    func(s *mailtest.Server) { s.Close() },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fx := newFixture(t, nil)
			breakIt(fx.smtp)
			v := valid("en")
			v.Set("message", "Line one & <two>\nLine \"three\"")
			w := fx.post(v, nil)
			if w.Code != http.StatusServiceUnavailable {
				t.Fatalf("status %d, want 503", w.Code)
			}
			assertNoStore(t, w, "text/html")
			body := w.Body.String()
			for _, want := range []string{
				"Line one &amp; &lt;two&gt;\nLine &#34;three&#34;</textarea>",
				`value="Zoë Janssens"`, `href="tel:&#43;3232011690"`, "&#43;32 3 201 16 90",
				"Your message could not be sent", `<html lang="en" dir="ltr">`, `id="quick-exit" class="quick-exit" href="https://www.meteo.be/"`, `<link rel="stylesheet" href="/styles/site.css">`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("503 page lacks %q", want)
				}
			}
			jw := fx.post(v, asJSON)
			var res struct{ Error jsonProblem }
			if jw.Code != http.StatusServiceUnavailable || json.Unmarshal(jw.Body.Bytes(), &res) != nil || res.Error.Message == "" {
				t.Errorf("JSON: %d %s", jw.Code, jw.Body)
			}
			if strings.Contains(fx.logs.String(), "Line one") || !strings.Contains(fx.logs.String(), "delivery failed") {
				t.Errorf("log:\n%s", fx.logs)
			}
		})
	}
}

// A mail server that accepts and never answers: the page that keeps the text
// arrives well before the platform's 10 s limit.
func TestStuckSMTPKeepsTheTextInTime(t *testing.T) {
	t.Parallel()
	sender, err := mail.NewSMTP(mailtest.Silent(t), from)
	if err != nil {
		t.Fatal(err)
	}
	fx := newFixture(t, func(o *Options) { o.Sender = sender })
	start := time.Now()
	w := fx.post(valid("fr"), nil)
	if took := time.Since(start); took > 7*time.Second {
		t.Errorf("the answer took %v", took)
	}
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "Mijn baas houdt mijn paspoort") {
		t.Errorf("status %d, want 503 with the text:\n%s", w.Code, w.Body)
	}
}

// A refused recipient: the mail server's reply and go-mail's error both name
// the address; the log gets neither.
func TestRefusedRecipientStaysOutOfTheLog(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, nil)
	fx.smtp.RefuseRecipient(staff)
	if w := fx.post(valid("en"), nil); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", w.Code)
	}
	if logs := fx.logs.String(); !strings.Contains(logs, "code 550") || strings.Contains(logs, "@") {
		t.Errorf("log:\n%s", logs)
	}
}

func TestBadInputShowsTheFormAgain(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, nil)
	v := valid("fr")
	v.Set("message", "  ")
	v.Set("email", "pas une adresse")
	v.Set("phone", "appelez-moi")
	v.Set("name", strings.Repeat("n", maxLength(t, "name")+1))
	v.Set("topic", "press")
	w := fx.post(v, nil)
	if w.Code != http.StatusBadRequest {
		t.Fatalf("status %d", w.Code)
	}
	assertNoStore(t, w, "text/html")
	body := w.Body.String()
	cfg, _ := loadSite(t)
	for _, want := range []string{
		`<html lang="fr-BE"`, "<title>Erreur : Vérifiez votre message – " + cfg.Params.Organisation.LegalName + "</title>",
		// GOV.UK's error summary: first in main, focused, each item leading to its field.
		"<main id=\"main\" tabindex=\"-1\">\n<div class=\"error-summary\" id=\"error-summary\" tabindex=\"-1\" autofocus",
		`<a href="#contact-message">Écrivez un message.</a>`, `<a href="#contact-email">Indiquez une adresse`,
		`<p class="error-message" id="contact-email-error">Indiquez une adresse de courriel`,
		`aria-describedby="contact-email-hint contact-email-error" aria-invalid="true"`,
		`value="pas une adresse"`, `value="appelez-moi"`, `<option value="press" selected>`,
		`id="contact-name-error">Utilisez au maximum 100 caractères ici.`,
		`<textarea id="contact-safe_contact" name="safe_contact" rows="3" maxlength="500" aria-describedby="contact-safe_contact-hint">Alleen na 18 uur.`,
		`<input type="hidden" name="lang" value="fr">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("400 page lacks %q", want)
		}
	}
	if strings.Count(body, "autofocus") != 1 {
		t.Errorf("want one autofocus, on the error summary")
	}
	if strings.Contains(body, `id="contact-phone-error"`) == false || strings.Contains(body, `id="contact-safe_contact-error"`) {
		t.Errorf("errors beside the wrong fields")
	}
	jw := fx.post(v, asJSON)
	var res struct {
		Error  jsonProblem
		Errors []jsonProblem
	}
	if err := json.Unmarshal(jw.Body.Bytes(), &res); err != nil || jw.Code != 400 || res.Error.Field != "message" || len(res.Errors) != 4 {
		t.Errorf("JSON %d: %s (%v)", jw.Code, jw.Body, err)
	}
	fx.assertNothingSent(t)
}

func TestTimeTrap(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, nil)
	for _, elapsed := range []string{"400", "-5", "soon"} {
		v := valid("nl")
		v.Set("elapsed", elapsed)
		w := fx.post(v, nil)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "heel snel verstuurd") {
			t.Errorf("elapsed %s: status %d", elapsed, w.Code)
		}
		// The form shown again (the site's) carries no time: no script runs
		// on the function's page to fill it, so sending again works (below).
		page := w.Body.String()
		if strings.Contains(page, "<script") || !strings.Contains(page, `<input type="hidden" name="elapsed" value="">`) || !strings.Contains(page, "Mijn baas houdt mijn paspoort") {
			t.Errorf("elapsed %s: the form shown again is not ready to send", elapsed)
		}
	}
	fx.assertNothingSent(t)
	v := valid("nl")
	v.Del("elapsed")
	if w := fx.post(v, nil); w.Code != http.StatusSeeOther {
		t.Errorf("without JavaScript: status %d", w.Code)
	}
	v.Set("elapsed", "")
	if w := fx.post(v, nil); w.Code != http.StatusSeeOther {
		t.Errorf("sent again from the form shown again: status %d", w.Code)
	}
	fx.smtp.Wait(t, 2)
}

func TestOutboxMode(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "outbox")
	var logs testutil.SyncBuffer
	h, err := NewFromEnv(func(k string) string {
		return map[string]string{"OUTBOX_DIR": dir, "SITE_URL": siteURL}[k]
	}, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	fx := &fixture{h: h}
	if w := fx.post(valid("en"), nil); w.Code != http.StatusSeeOther {
		t.Fatalf("status %d", w.Code)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != 1 {
		t.Fatalf("%d .eml files", len(files))
	}
	b, _ := os.ReadFile(files[0])
	if !bytes.Contains(b, []byte("To: <admin@payoke.be>")) || !bytes.Contains(b, []byte("Reply-To: <zoe@example.org>")) {
		t.Errorf(".eml:\n%s", b)
	}
	abs, _ := filepath.Abs(dir)
	if !strings.Contains(logs.String(), abs) || strings.Contains(logs.String(), "zoe") {
		t.Errorf("log:\n%s", logs.String())
	}
}

func TestNewFromEnvChecksSettings(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	for name, e := range map[string]map[string]string{
		"bad CONTACT_TO":         {"CONTACT_TO": "staff", "OUTBOX_DIR": tmp},
		"bad SITE_URL":           {"SITE_URL": "ftp://x", "OUTBOX_DIR": tmp},
		"SMTP without MAIL_FROM": {"SMTP_URL": "smtp://mail.example.org", "CONTACT_TO": staff},
	} {
		if _, err := NewFromEnv(func(k string) string { return e[k] }, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	h, err := NewFromEnv(func(k string) string {
		return map[string]string{"SMTP_URL": "smtps://u:p@mail.example.org", "MAIL_FROM": from, "CONTACT_TO": staff + ", other@payoke.be"}[k]
	}, nil)
	if err != nil || h == nil {
		t.Errorf("valid settings: %v", err)
	}
}

// Without CONTACT_TO, messages go to the organisation's address in config.toml.
func TestContactToDefaultsToTheOrganisation(t *testing.T) {
	t.Parallel()
	srv := mailtest.New(t)
	h, err := NewFromEnv(func(k string) string {
		return map[string]string{"SMTP_URL": srv.URL(), "MAIL_FROM": from, "SITE_URL": siteURL}[k]
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	fx := &fixture{h: h}
	if w := fx.post(valid("en"), nil); w.Code != http.StatusSeeOther {
		t.Fatalf("status %d", w.Code)
	}
	cfg, _ := loadSite(t)
	if got := srv.Wait(t, 1).To; len(got) != 1 || got[0] != cfg.Params.Organisation.Email {
		t.Errorf("sent to %q, want %s", got, cfg.Params.Organisation.Email)
	}
}

func TestProductionWithoutMailKeepsTheText(t *testing.T) {
	t.Parallel()
	var logs testutil.SyncBuffer
	h, err := NewFromEnv(func(k string) string {
		return map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "contact", "MAIL_FROM": from}[k]
	}, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	fx := &fixture{h: h}
	v := valid("en")
	w := fx.post(v, nil)
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "Mijn baas houdt mijn paspoort") {
		t.Errorf("status %d:\n%s", w.Code, w.Body)
	}
	if !strings.Contains(logs.String(), "SMTP_URL is not set") {
		t.Errorf("log does not say what to set:\n%s", logs.String())
	}
}
