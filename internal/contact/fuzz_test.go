package contact

import (
	"context"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/payoke/site/internal/mail"
)

// recorder keeps the last message in memory: the fuzz target is the form
// handling, and a network per input would make fuzzing crawl.
type recorder struct {
	mu   sync.Mutex
	last *mail.Message
}

func (r *recorder) Send(_ context.Context, m mail.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.last = &m
	return nil
}

func FuzzForm(f *testing.F) {
	cfg, cat := loadSite(f)
	d := cfg.Params.Forms.Contact
	maxMessage := maxLength(f, "message")
	for _, seed := range []string{
		valid("nl").Encode(),
		"message=hi",
		"message=&name=&email=",
		"message=x&name=A%0D%0ABcc:+e@x.y&email=a@b.c",
		"message=x&email=a@b.c%0D%0ABcc:+e@x.y",
		"message=x&email=%22a+b%22@c.d",
		"message=x&email=Anna+<a@b.c>",
		"message=x&topic=help%0ABcc:",
		"message=%ff%fe&name=%c0%80",
		"message=a%e2%80%a8b&name=a%e2%80%a8b",
		"message=x&phone=%2B32+(0)3+201.16.90",
		"message=x&website=spam",
		"message=x&elapsed=1&lang=fr",
		"message=x&lang=../../etc",
		"message=" + strings.Repeat("%E4%BD%A0", maxMessage+1),
		"message=a&message=b&topic=press&topic=x",
		"%zz=1&message=x",
	} {
		f.Add(seed)
	}
	rec := &recorder{}
	h, err := New(Options{Sender: rec, To: []string{staff}, Site: cfg, Strings: cat, SiteURL: siteURL, RateLimit: 1 << 30})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		rec.mu.Lock()
		rec.last = nil
		rec.mu.Unlock()
		r := httptest.NewRequest(http.MethodPost, "/api/contact", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		switch w.Code {
		case http.StatusSeeOther, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("status %d for %q", w.Code, body)
		}
		if page := w.Body.String(); w.Code == http.StatusBadRequest {
			// The form again, with what to correct, or (nothing of the form
			// could be read) why, the text that came kept in it.
			if !strings.Contains(page, `action="/api/contact"`) {
				t.Fatalf("400 without the form for %q", body)
			}
			if !strings.Contains(page, `id="error-summary"`) && !strings.Contains(page, `id="contact-notice"`) {
				t.Fatalf("400 that says neither what to correct nor why, for %q", body)
			}
		}
		v, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		fm := parseForm(d, v)
		ok := len(fm.validate(d)) == 0
		if ok != (w.Code == http.StatusSeeOther) && fm.Website == "" && !fm.tooFast(3e9) {
			t.Fatalf("validate says %v, handler answered %d, for %q", ok, w.Code, body)
		}
		rec.mu.Lock()
		m := rec.last
		rec.mu.Unlock()
		if m == nil {
			if ok && fm.Website == "" && !fm.tooFast(3e9) {
				t.Fatalf("valid form not sent: %q", body)
			}
			return
		}
		// What was sent obeys every rule.
		if fm.Website != "" || !ok {
			t.Fatalf("sent a message that should not go: %q", body)
		}
		msg := fm.Values["message"]
		if msg == "" || utf8.RuneCountInString(msg) > maxMessage || badChars(msg, true) {
			t.Fatalf("bad message accepted: %q", msg)
		}
		for _, s := range []string{fm.Values["name"], fm.Values["email"], fm.Values["phone"], fm.Topic} {
			if strings.ContainsAny(s, "\r\n") || badChars(s, false) {
				t.Fatalf("line break or control character accepted in %q", s)
			}
		}
		if fm.Topic != "" && !slices.Contains(d.Topics, fm.Topic) {
			t.Fatalf("topic %q accepted", fm.Topic)
		}
		if strings.ContainsAny(m.Subject, "\r\n") || !slices.Equal(m.To, []string{staff}) {
			t.Fatalf("headers: subject %q, to %q", m.Subject, m.To)
		}
		email := fm.Values["email"]
		if email == "" && m.ReplyTo != "" {
			t.Fatalf("Reply-To %q without an e-mail", m.ReplyTo)
		}
		if email != "" {
			a, err := netmail.ParseAddress(m.ReplyTo)
			if err != nil || a.Name != "" || a.Address != email {
				t.Fatalf("Reply-To %q from %q (%v)", m.ReplyTo, email, err)
			}
		}
		if !strings.Contains(m.Body, msg) {
			t.Fatalf("message missing from the body")
		}
	})
}
