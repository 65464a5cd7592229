package main

import (
	"context"
	"net/http"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/payoke/site/internal/headers"
)

// An API Gateway event, as Netlify sends it after the /api/* rewrite, reaches
// the handler, and the answer carries the functions' headers.
func TestEventReachesHandler(t *testing.T) {
	env := map[string]string{
		"SITE_URL":              "https://www.payoke.be",
		"STRIPE_SECRET_KEY":     "sk_test_123",
		"STRIPE_WEBHOOK_SECRET": "whsec_test",
		"OUTBOX_DIR":            t.TempDir(),
	}
	proxy, err := newProxy(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	resp, err := proxy(context.Background(), events.APIGatewayProxyRequest{
		HTTPMethod: http.MethodPost,
		Path:       "/api/stripe-webhook",
		Headers:    map[string]string{"Content-Type": "application/json", "Stripe-Signature": "t=1,v1=00"},
		Body:       `{"id":"evt_test","type":"checkout.session.completed"}`,
	})
	if err != nil {
		t.Fatal(err)
	}
	// A bad signature: the handler's own refusal, not the adapter's 502/504.
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("status %d, body %.200s", resp.StatusCode, resp.Body)
	}
	hdrs, err := headers.Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := hdrs.Verify(headers.APIPath, http.Header(resp.MultiValueHeaders)); err != nil {
		t.Error(err)
	}
}
