package lambdafn_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/payoke/site/internal/contact"
	"github.com/payoke/site/internal/donate"
	"github.com/payoke/site/internal/headers"
	"github.com/payoke/site/internal/headers/headerstest"
	"github.com/payoke/site/internal/lambdafn"
	"github.com/payoke/site/internal/webhook"
)

// An API Gateway event, as Netlify sends it after the /api/* rewrite, reaches
// each function's handler (its own answer, not the adapter's 502), and the
// response carries the functions' headers.
func TestEventReachesHandler(t *testing.T) {
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Host": "www.payoke.be"}
	for _, tc := range []struct {
		name       string
		newHandler lambdafn.NewHandler
		env        map[string]string
		req        events.APIGatewayProxyRequest
		wantStatus int
		wantBody   string
	}{{
		name:       "donate: bad amount",
		newHandler: donate.NewFromEnv,
		env:        map[string]string{"STRIPE_SECRET_KEY": "sk_test_123"},
		req:        events.APIGatewayProxyRequest{HTTPMethod: http.MethodPost, Path: "/api/donate", Headers: form, Body: "amount=abc&frequency=once&lang=en"},
		wantStatus: http.StatusBadRequest,
		wantBody:   `value="abc"`,
	}, {
		name:       "contact: no message",
		newHandler: contact.NewFromEnv,
		req:        events.APIGatewayProxyRequest{HTTPMethod: http.MethodPost, Path: "/api/contact", Headers: form, Body: "message=&name=Ana+Test&lang=en"},
		wantStatus: http.StatusBadRequest,
		wantBody:   "Ana Test",
	}, {
		name:       "stripe-webhook: bad signature",
		newHandler: webhook.NewFromEnv,
		env:        map[string]string{"STRIPE_SECRET_KEY": "sk_test_123", "STRIPE_WEBHOOK_SECRET": "whsec_test"},
		req: events.APIGatewayProxyRequest{HTTPMethod: http.MethodPost, Path: "/api/stripe-webhook",
			Headers: map[string]string{"Content-Type": "application/json", "Stripe-Signature": "t=1,v1=00"},
			Body:    `{"id":"evt_test","type":"checkout.session.completed"}`},
		wantStatus: http.StatusBadRequest,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{"SITE_URL": "https://www.payoke.be", "OUTBOX_DIR": t.TempDir()}
			for k, v := range tc.env {
				env[k] = v
			}
			logger := slog.New(slog.NewTextHandler(io.Discard, nil))
			proxy, err := lambdafn.NewProxy(func(k string) string { return env[k] }, logger, tc.newHandler)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := proxy(context.Background(), tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status %d, want %d; body %.200s", resp.StatusCode, tc.wantStatus, resp.Body)
			}
			if !strings.Contains(resp.Body, tc.wantBody) {
				t.Errorf("body lacks %q: %.300s", tc.wantBody, resp.Body)
			}
			hdrs, err := headers.Default()
			if err != nil {
				t.Fatal(err)
			}
			if err := headerstest.Verify(hdrs, headers.APIPath, http.Header(resp.MultiValueHeaders)); err != nil {
				t.Error("multiValueHeaders:", err)
			}
			// Deployed Netlify reads `headers` (see the package comment).
			single := http.Header{}
			for k, v := range resp.Headers {
				single.Set(k, v)
			}
			if err := headerstest.Verify(hdrs, headers.APIPath, single); err != nil {
				t.Error("headers:", err)
			}
		})
	}
}
