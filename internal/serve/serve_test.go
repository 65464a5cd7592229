package serve

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	site "github.com/payoke/site"
	"github.com/payoke/site/internal/headers"
	"github.com/payoke/site/internal/hugobuild"
)

// built is the site built once by the pinned Hugo for this package's tests.
var built, root string

func TestMain(m *testing.M) {
	os.Exit(func() int {
		var err error
		if root, err = hugobuild.Root("."); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		// The run's one build (shared with the other packages), read only.
		if built, _, err = hugobuild.Shared(ctx, root, root); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return m.Run()
	}())
}

// siteRules are the routes and headers of the real netlify.toml.
func siteRules(t *testing.T) ([]Route, *headers.Set) {
	t.Helper()
	hdrs, err := headers.Default()
	if err != nil {
		t.Fatal(err)
	}
	routes, err := LoadRoutes(site.Files)
	if err != nil {
		t.Fatal(err)
	}
	return routes, hdrs
}

// newTestHandler serves the built site with the real routes and headers;
// each function answers with its name, to show where a request went.
func newTestHandler(t *testing.T) (http.Handler, *headers.Set) {
	t.Helper()
	routes, hdrs := siteRules(t)
	api := map[string]http.Handler{}
	for _, name := range []string{"donate", "contact", "stripe-webhook"} {
		api[name] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprintf(w, "function %s got %s %s", name, r.Method, r.URL.Path)
		})
	}
	return NewHandler(built, routes, hdrs, api, slog.New(slog.DiscardHandler)), hdrs
}

func get(t *testing.T, h http.Handler, path string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

// urlPath is the address of a built file, as a browser asks for it.
func urlPath(name string) string {
	p := "/" + filepath.ToSlash(name)
	if strings.HasSuffix(p, "/index.html") {
		p = strings.TrimSuffix(p, "index.html")
	}
	return p
}

// Every file of the built site is served, with the headers netlify.toml
// gives its path; every page in a language carries the page policy.
func TestEveryFileWithItsHeaders(t *testing.T) {
	t.Parallel()
	h, hdrs := newTestHandler(t)
	pagePolicy := hdrs.For("/nl/").Get("Content-Security-Policy")
	var pages int
	err := filepath.WalkDir(built, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name, _ := filepath.Rel(built, path)
		p := urlPath(name)
		if p == "/" {
			// The home is the language redirect, tested below; Hugo's redirect
			// page behind it, asked for by name, still gets the page policy.
			if got := get(t, h, "/index.html").Header.Get("Content-Security-Policy"); got != pagePolicy {
				t.Errorf("/index.html: CSP %q, want the page policy", got)
			}
			return nil
		}
		resp := get(t, h, p)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", p, resp.StatusCode)
			return nil
		}
		want, _ := os.ReadFile(path)
		if string(body) != string(want) {
			t.Errorf("%s: body differs from %s", p, name)
		}
		for header, values := range hdrs.For(p) {
			if got := resp.Header.Values(header); strings.Join(got, "|") != strings.Join(values, "|") {
				t.Errorf("%s: %s = %q, want %q", p, header, got, values)
			}
		}
		if strings.HasPrefix(p, "/css/") || strings.HasPrefix(p, "/js/") {
			if got := resp.Header.Get("Cache-Control"); !strings.Contains(got, "immutable") {
				t.Errorf("%s: fingerprinted asset served with Cache-Control %q", p, got)
			}
		}
		if (strings.HasSuffix(p, "/") || strings.HasSuffix(p, ".html")) && !strings.HasPrefix(p, "/admin/") {
			pages++
			if got := resp.Header.Get("Cache-Control"); got != headers.DefaultCacheControl {
				t.Errorf("%s: page served with Cache-Control %q", p, got)
			}
			if got := resp.Header.Get("Content-Security-Policy"); got != pagePolicy {
				t.Errorf("%s: page served with CSP %q; does netlify.toml have a [[headers]] block for its folder?", p, got)
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				t.Errorf("%s: Content-Type %q", p, resp.Header.Get("Content-Type"))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages < 60 {
		t.Errorf("only %d pages served; is the site built?", pages)
	}
}

func TestNotFoundPerLanguage(t *testing.T) {
	t.Parallel()
	h, hdrs := newTestHandler(t)
	for path, lang := range map[string]string{
		"/en/no-such-page/": "en",
		"/fr/nulle-part":    "fr-BE",
		"/nl/nergens/":      "nl-BE",
		"/nowhere.html":     "nl-BE",
	} {
		resp := get(t, h, path)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, resp.StatusCode)
		}
		if !strings.Contains(string(body), `<html lang=`+lang) {
			t.Errorf("%s: not the %s 404 page: %.120s", path, lang, body)
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: Content-Type %q", path, resp.Header.Get("Content-Type"))
		}
		if resp.Header.Get("X-Content-Type-Options") != hdrs.For(path).Get("X-Content-Type-Options") {
			t.Errorf("%s: 404 without the headers", path)
		}
	}
}

func TestPrettyURLsAndTraversal(t *testing.T) {
	t.Parallel()
	h, _ := newTestHandler(t)
	resp := get(t, h, "/en/about?x=1")
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/en/about/?x=1" {
		t.Errorf("/en/about: %d to %q, want 301 to /en/about/?x=1", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, p := range []string{"/../go.mod", "/nl/../../go.mod", "/%2e%2e/go.mod"} {
		resp := get(t, h, p)
		body, _ := io.ReadAll(resp.Body)
		if strings.Contains(string(body), "module github.com/payoke/site") {
			t.Errorf("%s served a file outside the site", p)
		}
	}
}

// /api/<name> reaches the function of that name, with the functions' headers.
func TestFunctionsMounted(t *testing.T) {
	t.Parallel()
	h, hdrs := newTestHandler(t)
	for _, name := range []string{"donate", "contact", "stripe-webhook"} {
		req := httptest.NewRequest(http.MethodPost, "/api/"+name, strings.NewReader("a=b"))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if want := "function " + name + " got POST /api/" + name; rec.Body.String() != want {
			t.Errorf("/api/%s: %q, want %q", name, rec.Body.String(), want)
		}
		for header := range hdrs.For(headers.APIPath) {
			if rec.Header().Get(header) != hdrs.For(headers.APIPath).Get(header) {
				t.Errorf("/api/%s: %s = %q", name, header, rec.Header().Get(header))
			}
		}
	}
	if resp := get(t, h, "/api/nothing"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("/api/nothing: status %d", resp.StatusCode)
	}
}
