package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/payoke/site/internal/headers"
	"github.com/payoke/site/internal/mail/mailtest"
	"github.com/payoke/site/internal/stripestandin"
	pwebhook "github.com/payoke/site/internal/webhook"
)

const webhookSecret = "whsec_bench_load"

// dupResult is one burst of simultaneous deliveries of one event.
type dupResult struct {
	latency         time.Duration // the stand-in's time to execute a POST
	deliveries      int
	first           map[int]int // status of the first, simultaneous, deliveries
	retries, rounds int         // redeliveries of non-2xx answers, and rounds of them
	thanks, notices int         // counted at the SMTP server
	inUse, used     int         // claims refused by Stripe's idempotency layer: 409 in flight, 400 used
	problems        []string
}

// runDuplicates delivers one signed checkout.session.completed k times at
// once to the webhook (built from the environment, over real HTTP) in front
// of the Stripe stand-in and a real SMTP server, then plays Stripe's retries
// of every answer that was not 2xx, and counts the mails.
func runDuplicates(ctx context.Context, k int, latency time.Duration, seq int, h *harness) (dupResult, error) {
	res := dupResult{latency: latency, deliveries: k, first: map[int]int{}}
	st := stripestandin.New(h)
	smtp := mailtest.New(h)
	env := map[string]string{
		"STRIPE_SECRET_KEY": "sk_test_bench", "STRIPE_WEBHOOK_SECRET": webhookSecret, "STRIPE_API_URL": st.URL,
		"SMTP_URL": smtp.URL(), "MAIL_FROM": "Payoke <website@payoke.be>", "SITE_URL": siteURL,
		"CONTACT_TO": "staff@payoke.be",
	}
	fn, err := pwebhook.NewFromEnv(func(k string) string { return env[k] }, nil)
	if err != nil {
		return res, err
	}
	if fn, err = headers.API(fn); err != nil {
		return res, err
	}
	srv := httptest.NewServer(fn)
	defer srv.Close()

	cs := fmt.Sprintf("cs_bench_%d_%d", seq, time.Now().UnixNano())
	st.Add("/v1/payment_intents/pi_"+cs, nil)
	st.SetLatency(latency)
	payload := checkoutCompleted("evt_"+cs, cs)
	client := &http.Client{Timeout: 30 * time.Second}
	post := func() int {
		sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: webhookSecret})
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/api/stripe-webhook", bytes.NewReader(payload))
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
		req.Header.Set("Stripe-Signature", sp.Header)
		resp, err := client.Do(req)
		if err != nil {
			return 0
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}

	codes := make([]int, k)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range codes {
		wg.Go(func() {
			<-start
			codes[i] = post()
		})
	}
	close(start)
	wg.Wait()
	for _, c := range codes {
		res.first[c]++
	}
	// Stripe retries every delivery without a 2xx (for hours; here at once,
	// a few rounds apart).
	for res.rounds = 0; res.rounds < 5; res.rounds++ {
		pending := 0
		for i, c := range codes {
			if c < 200 || c > 299 {
				codes[i] = post()
				pending++
				res.retries++
			}
		}
		if pending == 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // room for an unwanted extra mail to arrive
	for _, m := range smtp.Messages() {
		switch strings.Join(m.To, ",") {
		case "donor@example.org":
			res.thanks++
		case "staff@payoke.be":
			res.notices++
		}
	}
	for _, r := range st.Requests() {
		if !strings.HasPrefix(r.IdempotencyKey, "payoke-claim-") {
			continue
		}
		switch r.Status {
		case http.StatusConflict:
			res.inUse++
		case http.StatusBadRequest:
			res.used++
		}
	}
	for _, c := range codes {
		if c < 200 || c > 299 {
			res.problems = append(res.problems, fmt.Sprintf("deliveries still failing after Stripe's retries: %v", codes))
			break
		}
	}
	for c := range res.first {
		if c != http.StatusOK && c != http.StatusServiceUnavailable {
			res.problems = append(res.problems, fmt.Sprintf("a first delivery got %d, want 200 or 503", c))
		}
	}
	if res.thanks != 1 || res.notices != 1 {
		res.problems = append(res.problems, fmt.Sprintf("%d thank-yous and %d staff notices for one gift, want exactly 1 and 1", res.thanks, res.notices))
	}
	return res, nil
}

// checkoutCompleted is a paid one-off gift, as Stripe (API 2023-10-16) sends it.
func checkoutCompleted(evt, cs string) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": evt, "object": "event", "type": "checkout.session.completed", "api_version": stripe.APIVersion,
		"livemode": false, "created": time.Now().Unix(),
		"data": map[string]any{"object": map[string]any{
			"id": cs, "object": "checkout.session", "mode": "payment", "payment_status": "paid",
			"amount_total": 2500, "currency": "eur", "livemode": false, "payment_intent": "pi_" + cs,
			"metadata":         map[string]string{"lang": "en", "frequency": "once"},
			"customer_details": map[string]any{"email": "donor@example.org"},
		}},
	})
	return b
}

func codesString(m map[int]int) string {
	var parts []string
	for _, c := range []int{200, 503, 500, 400, 0} {
		if m[c] > 0 {
			name := strconv.Itoa(c)
			if c == 0 {
				name = "no answer"
			}
			parts = append(parts, fmt.Sprintf("%d× %s", m[c], name))
		}
	}
	for c, v := range m {
		if c != 200 && c != 503 && c != 500 && c != 400 && c != 0 {
			parts = append(parts, fmt.Sprintf("%d× %d", v, c))
		}
	}
	return strings.Join(parts, ", ")
}
