package contact

import (
	"slices"
	"sync"
	"time"

	"github.com/payoke/site/internal/mail"
	"github.com/payoke/site/internal/mail/mailtest"

	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// postRaw sends body as is, with contentType ("" sends no Content-Type).
func (fx *fixture) postRaw(body, contentType string, edit func(*http.Request)) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/api/contact", strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	r.Header.Set("Origin", siteURL)
	if edit != nil {
		edit(r)
	}
	w := httptest.NewRecorder()
	fx.h.ServeHTTP(w, r)
	return w
}

// Issue 13, defect 2, with the attack's own body: a lang that forges a
// second "Bericht:" block holding NUL, ESC, invalid UTF-8 and 20 KB of
// text. The message is delivered with the real text only.
func TestForgedLangBlockNeverReachesTheMail(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, nil)
	body := "message=hi&lang=xx%0D%0A%0D%0ABericht:%0D%0AFAKE%00%1B%FF" + strings.Repeat("A", 20<<10)
	w := fx.postRaw(body, "application/x-www-form-urlencoded", nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("status %d, want 303", w.Code)
	}
	got := fx.smtp.Wait(t, 1)
	mail := decodeQP(t, got.Body)
	if strings.Count(mail, "Bericht:") != 1 || strings.Contains(mail, "FAKE") ||
		strings.Contains(mail, "AAAA") || bytes.ContainsAny(got.Body, "\x00\x1b\xff") {
		t.Errorf("the staff mail holds the forged block:\n%.600s", mail)
	}
	if !strings.Contains(mail, "Bericht:\nhi\n") {
		t.Errorf("the staff mail lost the real message:\n%s", mail)
	}
	if len(got.Body) > 4<<10 {
		t.Errorf("the staff mail is %d bytes: the 20 KB lang got in", len(got.Body))
	}
}

// CONTACT_TO is read by mail.Recipients, the one parser the webhook uses too:
// a display name holding a comma is one address, not two broken ones.
func TestContactToIsReadByTheSharedParser(t *testing.T) {
	t.Parallel()
	const list = `"Payoke, staff" <staff@payoke.be>, other@payoke.be`
	want, err := mail.Recipients(list)
	if err != nil {
		t.Fatal(err)
	}
	srv := mailtest.New(t)
	h, err := NewFromEnv(func(k string) string {
		return map[string]string{"SMTP_URL": srv.URL(), "MAIL_FROM": from, "SITE_URL": siteURL, "CONTACT_TO": list}[k]
	}, nil)
	if err != nil {
		t.Fatalf("CONTACT_TO %s: %v", list, err)
	}
	fx := &fixture{h: h}
	if w := fx.post(valid("en"), nil); w.Code != http.StatusSeeOther {
		t.Fatalf("status %d", w.Code)
	}
	if got := srv.Wait(t, 1).To; !slices.Equal(got, want) {
		t.Errorf("sent to %q, want %q (as mail.Recipients reads it)", got, want)
	}
}

// Issue 13, defect 3: a message that could not be delivered does not count
// against the sender's limit. Five 503s while SMTP is down, then SMTP is back
// and the sixth is delivered.
func TestFailedDeliveriesDoNotCount(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, nil) // the default limit: 5 an hour
	fx.smtp.FailWith(mailtest.ErrRefused)
	for i := range 5 {
		if w := fx.post(valid("en"), nil); w.Code != http.StatusServiceUnavailable {
			t.Fatalf("post %d with SMTP down: status %d, want 503", i+1, w.Code)
		}
	}
	fx.smtp.FailWith(nil)
	w := fx.post(valid("en"), nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("sixth post, SMTP back: status %d (Retry-After %q), want 303", w.Code, w.Header().Get("Retry-After"))
	}
	fx.smtp.Wait(t, 1)
	// Delivered messages still count: four more, then the limit.
	for i := range 4 {
		if w := fx.post(valid("en"), nil); w.Code != http.StatusSeeOther {
			t.Fatalf("delivered message %d: status %d", i+2, w.Code)
		}
	}
	if w := fx.post(valid("en"), nil); w.Code != http.StatusTooManyRequests {
		t.Errorf("sixth delivered message: status %d, want 429", w.Code)
	}
}

// Twenty posts at once from one client, limit five: a place is taken before
// the mail is sent, so exactly five go out, never more.
func TestConcurrentPostsStayWithinTheLimit(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, nil)
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Go(func() { codes[i] = fx.post(valid("en"), nil).Code })
	}
	wg.Wait()
	sent, busy := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusSeeOther:
			sent++
		case http.StatusTooManyRequests:
			busy++
		}
	}
	if sent != 5 || busy != 15 {
		t.Errorf("%d sent and %d refused, want 5 and 15: %v", sent, busy, codes)
	}
	fx.smtp.Wait(t, 5)
	time.Sleep(50 * time.Millisecond)
	if n := len(fx.smtp.Messages()); n != 5 {
		t.Errorf("%d messages delivered, want 5", n)
	}
}

// Issue 13: rotating IPv6 addresses got around the limit. Five addresses of
// one /64 share one budget; the sixth post gets 429 with its text kept.
func TestIPv6ClientsAreLimitedByTheirSlash64(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, nil)
	from := func(i int) func(*http.Request) {
		return func(r *http.Request) { r.RemoteAddr = fmt.Sprintf("[2001:db8:77:1:%x::%x]:40000", i, i*3) }
	}
	for i := range 5 {
		if w := fx.post(valid("en"), from(i)); w.Code != http.StatusSeeOther {
			t.Fatalf("post %d: status %d", i+1, w.Code)
		}
	}
	w := fx.post(valid("en"), from(99))
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" ||
		!strings.Contains(w.Body.String(), "Mijn baas houdt mijn paspoort") {
		t.Errorf("sixth post from the same /64: %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	if w := fx.post(valid("en"), func(r *http.Request) { r.RemoteAddr = "[2001:db8:77:2::1]:40000" }); w.Code != http.StatusSeeOther {
		t.Errorf("another /64: status %d", w.Code)
	}
	fx.smtp.Wait(t, 6)
}
