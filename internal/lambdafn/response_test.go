package lambdafn_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/payoke/site/internal/contact"
	"github.com/payoke/site/internal/headers"
	"github.com/payoke/site/internal/lambdafn"
)

// The functions' security headers, as netlify.toml gives them to /api/*:
// the "/*" block and the "/api/*" block. Their values are read from the
// embedded netlify.toml, their names are written here, so a block that
// lost a header fails this test too.
var apiHeaderNames = []string{
	"Cache-Control",
	"Content-Security-Policy",
	"Cross-Origin-Opener-Policy",
	"Cross-Origin-Resource-Policy",
	"Permissions-Policy",
	"Referrer-Policy",
	"Strict-Transport-Security",
	"X-Content-Type-Options",
}

func apiHeaders(t *testing.T) http.Header {
	t.Helper()
	set, err := headers.Default()
	if err != nil {
		t.Fatal(err)
	}
	h := set.For(headers.APIPath)
	var names []string
	for name := range h {
		names = append(names, name)
	}
	slices.Sort(names)
	if !slices.Equal(names, apiHeaderNames) {
		t.Fatalf("netlify.toml gives /api/* the headers %q, want %q", names, apiHeaderNames)
	}
	return h
}

// lambdaResponse is the JSON a Go function prints back to Netlify, the
// exact fields of an API Gateway (v1) proxy response.
func lambdaJSON(t *testing.T, r events.APIGatewayProxyResponse) map[string]any {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// The exact Lambda response of the contact function for a 303 and for a
// 400 page: every header in `headers` (what deployed Netlify reads) and in
// `multiValueHeaders` (what the adapter writes, and netlify dev reads), with
// the same values; the body as the handler wrote it, not base64.
func TestExactLambdaResponse(t *testing.T) {
	env := map[string]string{"SITE_URL": "https://www.payoke.be", "OUTBOX_DIR": t.TempDir()}
	getenv := func(k string) string { return env[k] }
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	proxy, err := lambdafn.NewProxy(getenv, logger, contact.NewFromEnv)
	if err != nil {
		t.Fatal(err)
	}
	api := apiHeaders(t)

	// The same handler under net/http, for the 400 page's body.
	plain, err := contact.NewFromEnv(getenv, logger)
	if err != nil {
		t.Fatal(err)
	}
	if plain, err = headers.API(plain); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, body string
		status     int
		extra      map[string]string // headers beyond the API ones
		wantInBody []string          // what the reader typed, kept on the page
	}{{
		name:   "303 to the thank-you page",
		body:   "message=Please+call+me+back&name=Ana+Test&lang=en",
		status: http.StatusSeeOther,
		extra:  map[string]string{"Content-Type": "text/html; charset=utf-8", "Location": "/en/contact/thank-you/"},
	}, {
		name:       "400 page that keeps the text",
		body:       "message=Please+call+me+back&name=Ana+Test&email=not-an-address&lang=en",
		status:     http.StatusBadRequest,
		extra:      map[string]string{"Content-Type": "text/html; charset=utf-8"},
		wantInBody: []string{"Please call me back", "Ana Test", "not-an-address"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			form := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Host": "www.payoke.be"}
			ev := events.APIGatewayProxyRequest{HTTPMethod: http.MethodPost, Path: "/api/contact", Headers: form, Body: tc.body}
			resp, err := proxy(context.Background(), ev)
			if err != nil {
				t.Fatal(err)
			}

			want := events.APIGatewayProxyResponse{
				StatusCode:        tc.status,
				Headers:           map[string]string{},
				MultiValueHeaders: map[string][]string{},
			}
			for name, values := range api {
				want.Headers[name] = values[0]
				want.MultiValueHeaders[name] = []string{values[0]}
			}
			for name, v := range tc.extra {
				want.Headers[name] = v
				want.MultiValueHeaders[name] = []string{v}
			}
			if tc.status == http.StatusSeeOther {
				want.Body = "" // a redirect without a body
			} else {
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(http.MethodPost, "https://www.payoke.be/api/contact", strings.NewReader(tc.body))
				req.Header.Set("Content-Type", form["Content-Type"])
				plain.ServeHTTP(rec, req)
				if rec.Code != tc.status {
					t.Fatalf("the plain handler answers %d, want %d", rec.Code, tc.status)
				}
				want.Body = rec.Body.String()
			}
			want.IsBase64Encoded = false

			if !reflect.DeepEqual(lambdaJSON(t, resp), lambdaJSON(t, want)) {
				got, _ := json.MarshalIndent(resp, "", "  ")
				exp, _ := json.MarshalIndent(want, "", "  ")
				t.Errorf("Lambda response:\n%.3000s\nwant:\n%.3000s", got, exp)
			}
			for _, s := range tc.wantInBody {
				if !strings.Contains(html.UnescapeString(resp.Body), s) {
					t.Errorf("the 400 page lost %q", s)
				}
			}
			if resp.Headers["Location"] == "" && tc.status == http.StatusSeeOther {
				t.Error("a 303 without Location in headers: deployed Netlify would send no redirect target")
			}
		})
	}
}

// A header with several values goes into `headers` joined by ", " (RFC
// 9110 section 5.3); Set-Cookie, which cannot be joined, keeps its values in
// multiValueHeaders and only its first in `headers`.
func TestMultiValuedHeaders(t *testing.T) {
	newHandler := func(func(string) string, *slog.Logger) (http.Handler, error) {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Add("Vary", "Accept")
			w.Header().Add("Vary", "Accept-Language")
			w.Header().Add("Set-Cookie", "a=1")
			w.Header().Add("Set-Cookie", "b=2")
			w.WriteHeader(http.StatusNoContent)
		}), nil
	}
	proxy, err := lambdafn.NewProxy(func(string) string { return "" }, nil, newHandler)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := proxy(context.Background(), events.APIGatewayProxyRequest{HTTPMethod: http.MethodGet, Path: "/api/x"})
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Headers["Vary"]; got != "Accept, Accept-Language" {
		t.Errorf(`headers["Vary"] = %q, want "Accept, Accept-Language"`, got)
	}
	if got := resp.MultiValueHeaders["Vary"]; !slices.Equal(got, []string{"Accept", "Accept-Language"}) {
		t.Errorf(`multiValueHeaders["Vary"] = %q`, got)
	}
	if got := resp.Headers["Set-Cookie"]; got != "a=1" {
		t.Errorf(`headers["Set-Cookie"] = %q, want "a=1"`, got)
	}
	if got := resp.MultiValueHeaders["Set-Cookie"]; !slices.Equal(got, []string{"a=1", "b=2"}) {
		t.Errorf(`multiValueHeaders["Set-Cookie"] = %q`, got)
	}
	if resp.Headers["Cache-Control"] != "no-store" {
		t.Errorf("the functions' headers are missing from headers: %v", resp.Headers)
	}
}
