package headers_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/payoke/site/internal/headers"
	"github.com/payoke/site/internal/headers/headerstest"
)

// pagePolicy is what the issue asks of every page's Content-Security-Policy.
var pagePolicy = map[string]string{
	"default-src":     "'none'",
	"script-src":      "'self'",
	"style-src":       "'self'",
	"img-src":         "'self'",
	"font-src":        "'self'",
	"form-action":     "'self' https://checkout.stripe.com",
	"frame-ancestors": "'none'",
	"base-uri":        "'none'",
}

// directives splits a policy into directive → sources.
func directives(t *testing.T, policy string) map[string]string {
	t.Helper()
	if strings.Contains(policy, ",") {
		t.Fatalf("a comma makes two policies: %q", policy)
	}
	out := map[string]string{}
	for part := range strings.SplitSeq(policy, ";") {
		fields := strings.Fields(part)
		if len(fields) == 0 {
			continue
		}
		name := strings.ToLower(fields[0])
		if _, dup := out[name]; dup {
			t.Errorf("directive %s twice in %q", name, policy)
		}
		out[name] = strings.Join(fields[1:], " ")
	}
	return out
}

func mustDefault(t *testing.T) *headers.Set {
	t.Helper()
	s, err := headers.Default()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Every page path and the functions get the strict policy and the other
// security headers; nothing unsafe anywhere outside the CMS.
func TestPagesMeetTheRules(t *testing.T) {
	t.Parallel()
	s := mustDefault(t)
	for _, path := range []string{"/", "/nl/", "/en/about/", "/fr/a-propos/histoire/", "/nl/404.html", headers.APIPath, "/api/donate"} {
		h := s.For(path)
		csp := directives(t, h.Get("Content-Security-Policy"))
		for name, want := range pagePolicy {
			if csp[name] != want {
				t.Errorf("%s: CSP %s = %q, want %q", path, name, csp[name], want)
			}
		}
		if err := headerstest.CheckPolicy(h.Get("Content-Security-Policy")); err != nil {
			t.Errorf("%s: %v", path, err)
		}
		checkCommon(t, path, h)
	}
}

func checkCommon(t *testing.T, path string, h http.Header) {
	t.Helper()
	m := regexp.MustCompile(`^max-age=(\d+)`).FindStringSubmatch(h.Get("Strict-Transport-Security"))
	if m == nil {
		t.Errorf("%s: no HSTS max-age: %q", path, h.Get("Strict-Transport-Security"))
	} else if age, _ := strconv.Atoi(m[1]); age < 31536000 {
		t.Errorf("%s: HSTS max-age %d is under a year", path, age)
	}
	for name, want := range map[string]string{
		"X-Content-Type-Options":       "nosniff",
		"Referrer-Policy":              "no-referrer",
		"Cross-Origin-Opener-Policy":   "same-origin-allow-popups",
		"Cross-Origin-Resource-Policy": "same-origin",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("%s: %s = %q, want %q", path, name, got, want)
		}
	}
	pp := h.Get("Permissions-Policy")
	for _, feature := range []string{"camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"} {
		if !strings.Contains(pp, feature+"=()") {
			t.Errorf("%s: Permissions-Policy does not deny %s: %q", path, feature, pp)
		}
	}
	for item := range strings.SplitSeq(pp, ",") {
		if !strings.HasSuffix(strings.TrimSpace(item), "=()") {
			t.Errorf("%s: Permissions-Policy allows %q", path, item)
		}
	}
}

func TestCaching(t *testing.T) {
	t.Parallel()
	s := mustDefault(t)
	for path, want := range map[string]string{
		"/css/main.3a7e.css": "public, max-age=31536000, immutable",
		"/js/main.c95f.js":   "public, max-age=31536000, immutable",
		"/nl/":               "", // Netlify's default, DefaultCacheControl
		"/en/news/":          "",
		"/ar/":               "",
		"/api/contact":       "no-store",
	} {
		if got := s.For(path).Get("Cache-Control"); got != want {
			t.Errorf("%s: Cache-Control = %q, want %q", path, got, want)
		}
	}
	// Assets carry the common headers too.
	checkCommon(t, "/css/x.css", s.For("/css/x.css"))
}

// The CMS has its own block, never the pages' policy merged into it.
func TestAdminHasItsOwnPolicy(t *testing.T) {
	t.Parallel()
	s := mustDefault(t)
	var own int
	for _, r := range s.Rules() {
		if r.For == "/admin/*" {
			own++
		}
	}
	if own != 1 {
		t.Fatalf("want one [[headers]] block for /admin/*, have %d", own)
	}
	h := s.For("/admin/index.html")
	csp := directives(t, h.Get("Content-Security-Policy"))
	if csp["frame-ancestors"] != "'none'" || strings.Contains(h.Get("Content-Security-Policy"), "unsafe-eval") {
		t.Errorf("admin CSP %q: want frame-ancestors 'none' and no unsafe-eval", h.Get("Content-Security-Policy"))
	}
	if len(h.Values("Content-Security-Policy")) != 1 {
		t.Errorf("admin gets %d policies", len(h.Values("Content-Security-Policy")))
	}
	checkCommon(t, "/admin/", h)
}

// One policy for all pages: the copies in netlify.toml must not drift apart.
func TestOnePagePolicy(t *testing.T) {
	t.Parallel()
	s := mustDefault(t)
	first := s.For("/nl/").Get("Content-Security-Policy")
	for _, r := range s.Rules() {
		if csp, ok := r.Values["Content-Security-Policy"]; ok && r.For != "/admin/*" && csp != first {
			t.Errorf("%s has another page policy:\n%s\nwant\n%s", r.For, csp, first)
		}
	}
}

// The functions' wrapper sets the /api/* headers whatever path Netlify
// hands the function, and lets the handler answer.
func TestAPIWrapper(t *testing.T) {
	t.Parallel()
	h, err := headers.API(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := mustDefault(t).For(headers.APIPath)
	for _, path := range []string{"/api/donate", "/.netlify/functions/donate", "/"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, path, nil))
		if rec.Code != http.StatusTeapot {
			t.Errorf("%s: status %d, the handler was not reached", path, rec.Code)
		}
		for name := range want {
			if rec.Header().Get(name) != want.Get(name) {
				t.Errorf("%s: %s = %q, want %q", path, name, rec.Header().Get(name), want.Get(name))
			}
		}
	}
}
