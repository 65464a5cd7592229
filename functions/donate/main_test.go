package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/payoke/site/internal/headers"
)

// An API Gateway event, as Netlify sends it after the /api/* rewrite, reaches
// the handler, and the answer carries the functions' headers.
func TestEventReachesHandler(t *testing.T) {
	env := map[string]string{"SITE_URL": "https://www.payoke.be"}
	proxy, err := newProxy(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	resp, err := proxy(context.Background(), events.APIGatewayProxyRequest{
		HTTPMethod: http.MethodPost,
		Path:       "/api/donate",
		Headers: map[string]string{
			"Content-Type": "application/x-www-form-urlencoded",
			"Host":         "www.payoke.be",
		},
		Body: "amount=abc&frequency=once&lang=en",
	})
	if err != nil {
		t.Fatal(err)
	}
	// Without a Stripe key the handler refuses with 503, with a bad amount 400:
	// either is the handler's own answer, in HTML, not the adapter's 502/504.
	if resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("status %d, body %.200s", resp.StatusCode, resp.Body)
	}
	if !strings.Contains(resp.Body, "<html") || !strings.Contains(resp.Body, "amount") {
		t.Errorf("not the donate handler's page: %.300s", resp.Body)
	}
	checkHeaders(t, resp)
}

func checkHeaders(t *testing.T, resp events.APIGatewayProxyResponse) {
	t.Helper()
	hdrs, err := headers.Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := hdrs.Verify(headers.APIPath, http.Header(resp.MultiValueHeaders)); err != nil {
		t.Error(err)
	}
}
