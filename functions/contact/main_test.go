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
	env := map[string]string{"SITE_URL": "https://www.payoke.be", "OUTBOX_DIR": t.TempDir()}
	proxy, err := newProxy(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	resp, err := proxy(context.Background(), events.APIGatewayProxyRequest{
		HTTPMethod: http.MethodPost,
		Path:       "/api/contact",
		Headers: map[string]string{
			"Content-Type": "application/x-www-form-urlencoded",
			"Host":         "www.payoke.be",
		},
		Body: "message=&name=Ana+Test&lang=en",
	})
	if err != nil {
		t.Fatal(err)
	}
	// No message: the handler's own answer, the form again with what was typed.
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("status %d, body %.200s", resp.StatusCode, resp.Body)
	}
	if !strings.Contains(resp.Body, "Ana Test") || !strings.Contains(resp.Body, `name="message"`) && !strings.Contains(resp.Body, `name=message`) {
		t.Errorf("not the contact form shown back: %.300s", resp.Body)
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
