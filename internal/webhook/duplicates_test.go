package webhook_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/payoke/site/internal/mail/mailtest"
	"github.com/payoke/site/internal/stripestandin"
)

// standin wires the handler, built from the environment as in production,
// to the stateful Stripe stand-in (STRIPE_API_URL) and a real SMTP server.
type standin struct {
	h      http.Handler
	stripe *stripestandin.Server
	smtp   *mailtest.Server
}

func newStandin(t *testing.T) standin {
	t.Helper()
	s := standin{stripe: stripestandin.New(t), smtp: mailtest.New(t)}
	s.h = fromEnv(t, s.stripe.URL, s.smtp, map[string]string{"CONTACT_TO": "staff@payoke.be"})
	return s
}

// post signs payload now and delivers it, as Stripe does.
func (s standin) post(payload []byte) int {
	sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret})
	r := httptest.NewRequest(http.MethodPost, "/api/stripe-webhook", bytes.NewReader(payload))
	r.Header.Set("Stripe-Signature", sp.Header)
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, r)
	return w.Code
}

// count tells the thank-yous (to the donor) from the staff notices received.
func (s standin) count() (thanks, notices int) {
	for _, m := range s.smtp.Messages() {
		switch strings.Join(m.To, ",") {
		case "donor@example.org":
			thanks++
		case "staff@payoke.be":
			notices++
		}
	}
	return thanks, notices
}

// redeliver plays Stripe's retries: every delivery that did not get a 2xx
// is sent again, until all have one (at most five rounds).
func (s standin) redeliver(t *testing.T, payload []byte, codes []int) {
	t.Helper()
	for round := 0; round < 5; round++ {
		pending := 0
		for i, c := range codes {
			if c < 200 || c > 299 {
				codes[i] = s.post(payload)
				pending++
			}
		}
		if pending == 0 {
			return
		}
	}
	t.Fatalf("still failing after five rounds of retries: %v", codes)
}

// Ten simultaneous deliveries of one event: one thank-you and one staff
// notice. Stripe itself is the point of coordination (idempotency keys on
// metadata updates); the deliveries that lose answer 503 and are retried.
func TestConcurrentDeliveriesSendEachMailOnce(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		mode    string
		object  string
		latency time.Duration
	}{
		{"one-off", "payment", "/v1/payment_intents/pi_cs_dup", 0},
		{"monthly, slow Stripe", "subscription", "/v1/subscriptions/sub_cs_dup", 150 * time.Millisecond},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newStandin(t)
			s.stripe.Add(c.object, nil)
			s.stripe.SetLatency(c.latency)
			payload := event("evt_dup", "checkout.session.completed", session("cs_dup", c.mode, "paid", "en", "once", 2500))
			codes := make([]int, 10)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range codes {
				wg.Go(func() {
					<-start
					codes[i] = s.post(payload)
				})
			}
			close(start)
			wg.Wait()
			for _, code := range codes {
				if code != http.StatusOK && code != http.StatusServiceUnavailable {
					t.Errorf("a delivery got %d, want 200 or 503", code)
				}
			}
			first := fmt.Sprint(codes)
			s.redeliver(t, payload, codes)
			time.Sleep(100 * time.Millisecond) // room for an unwanted extra message
			if thanks, notices := s.count(); thanks != 1 || notices != 1 {
				t.Errorf("%d thank-yous and %d staff notices, want 1 and 1 (first answers %s)", thanks, notices, first)
			}
			// Stripe's idempotency layer did the refusing: one claim per
			// mail executed, the others met 409 (in flight) or 400 (used).
			claims := map[string]int{}
			var inUse, used int
			for _, r := range s.stripe.Requests() {
				if !strings.HasPrefix(r.IdempotencyKey, "payoke-claim-") {
					continue
				}
				switch {
				case r.Status == http.StatusOK && !r.Replayed:
					claims[r.IdempotencyKey]++
				case r.Status == http.StatusConflict:
					inUse++
				case r.Status == http.StatusBadRequest:
					used++
				}
			}
			if len(claims) != 2 {
				t.Errorf("claims executed: %v, want one for each mail", claims)
			}
			if c.latency > 0 && inUse == 0 {
				t.Errorf("no claim met a request in flight (409); %d met a used key", used)
			}
			t.Logf("first answers %s; claims refused: %d in flight (409), %d used (400)", first, inUse, used)
		})
	}
}

// The mail server fails after the thank-you, before the staff notice: the
// event fails (500), and Stripe's retry sends the notice, each mail once.
func TestMailFailureBetweenTheTwoMails(t *testing.T) {
	t.Parallel()
	s := newStandin(t)
	s.stripe.Add("/v1/payment_intents/pi_cs_mid", nil)
	payload := event("evt_mid", "checkout.session.completed", session("cs_mid", "payment", "paid", "nl", "once", 2500))
	s.smtp.FailAfter(1, errors.New("mailbox busy"))
	if code := s.post(payload); code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", code)
	}
	if thanks, notices := s.count(); thanks != 1 || notices != 0 {
		t.Fatalf("after the failure: %d thank-yous, %d notices", thanks, notices)
	}
	for i := range 3 { // Stripe's retry, then two more duplicates
		if code := s.post(payload); code != http.StatusOK {
			t.Fatalf("delivery %d: status %d", i+2, code)
		}
	}
	time.Sleep(100 * time.Millisecond)
	if thanks, notices := s.count(); thanks != 1 || notices != 1 {
		t.Errorf("%d thank-yous and %d staff notices, want 1 and 1", thanks, notices)
	}
}

// A claim left by a delivery that died (no mail marked sent, claimed long
// ago) does not block the mail for ever; a fresh claim by a delivery still
// at work makes the others wait (503) and send nothing.
func TestClaimsOfDeadAndLiveDeliveries(t *testing.T) {
	t.Parallel()
	s := newStandin(t)
	old := fmt.Sprintf("cs_dead:0:%d:gone", time.Now().Add(-time.Hour).Unix())
	s.stripe.Add("/v1/payment_intents/pi_cs_dead", map[string]any{"metadata": map[string]string{"payoke_mail_thanks_donor": old}})
	dead := event("evt_dead", "checkout.session.completed", session("cs_dead", "payment", "paid", "en", "once", 2500))
	if code := s.post(dead); code != http.StatusOK {
		t.Fatalf("dead claim: status %d, want 200", code)
	}
	if thanks, notices := s.count(); thanks != 1 || notices != 1 {
		t.Errorf("dead claim: %d thank-yous, %d notices, want 1 and 1", thanks, notices)
	}

	live := fmt.Sprintf("cs_live:0:%d:busy", time.Now().Unix())
	s.stripe.Add("/v1/payment_intents/pi_cs_live", map[string]any{"metadata": map[string]string{"payoke_mail_thanks_donor": live}})
	if code := s.post(event("evt_live", "checkout.session.completed", session("cs_live", "payment", "paid", "en", "once", 2500))); code != http.StatusServiceUnavailable {
		t.Errorf("live claim: status %d, want 503", code)
	}
	if thanks, notices := s.count(); thanks != 1 || notices != 1 {
		t.Errorf("live claim: %d thank-yous, %d notices, want none more", thanks, notices)
	}
}

// Objects marked by the earlier marker ("<session>:donor,staff" under
// payoke_mail_thanks) are not thanked again.
func TestEarlierMarkersStillCount(t *testing.T) {
	t.Parallel()
	s := newStandin(t)
	s.stripe.Add("/v1/payment_intents/pi_cs_legacy", map[string]any{"metadata": map[string]string{"payoke_mail_thanks": "cs_legacy:donor,staff"}})
	if code := s.post(event("evt_legacy", "checkout.session.completed", session("cs_legacy", "payment", "paid", "en", "once", 2500))); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	time.Sleep(100 * time.Millisecond)
	if n := len(s.smtp.Messages()); n != 0 {
		t.Errorf("%d mails for an object already marked", n)
	}
}
