// Package webtest checks, in a site built by Hugo, what the functions' pages
// rely on: the stylesheet at web.Stylesheet and the classes they use.
package webtest

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/payoke/site/internal/hugobuild"
	"github.com/payoke/site/internal/web"
)

// Built returns the folder of the site as the pinned Hugo builds it, once
// for the whole test run (hugobuild.Shared); t ends if it does not build
// cleanly. Read it, never write to it.
func Built(t testing.TB) string {
	t.Helper()
	root, err := hugobuild.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir, _, err := hugobuild.Shared(ctx, root, root)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// Page returns the built page at path (as Path gives it) in the site dest.
func Page(t testing.TB, dest, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(path), "index.html"))
	if err != nil {
		t.Fatalf("page %s: %v", path, err)
	}
	return string(b)
}

// Stylesheet returns the CSS published at web.Stylesheet in the built site
// dest, and fails t unless it is the bundle the site's pages link.
func Stylesheet(t testing.TB, dest string) string {
	t.Helper()
	css, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(web.Stylesheet)))
	if err != nil {
		t.Fatalf("the functions' stylesheet is not in the build: %v", err)
	}
	bundles, _ := filepath.Glob(filepath.Join(dest, "css", "*.css"))
	if len(bundles) != 1 {
		t.Fatalf("want one fingerprinted bundle in css/, found %q", bundles)
	}
	if b, _ := os.ReadFile(bundles[0]); !bytes.Equal(b, css) {
		t.Errorf("%s differs from the site's bundle %s", web.Stylesheet, filepath.Base(bundles[0]))
	}
	if strings.HasPrefix(web.Stylesheet, "/css/") {
		t.Errorf("%s is under /css/, which is cached for a year", web.Stylesheet)
	}
	return string(css)
}

// WantStyled fails t unless the function's answer page links web.Stylesheet
// and uses only classes that css (Stylesheet's answer) names.
func WantStyled(t testing.TB, css, page string) {
	t.Helper()
	if !strings.Contains(page, `<link rel="stylesheet" href="`+web.Stylesheet+`">`) {
		t.Errorf("the answer page does not link %s", web.Stylesheet)
	}
	if missing := MissingClasses(css, page); len(missing) > 0 {
		t.Errorf("the answer page uses classes the stylesheet lacks: %q", missing)
	}
}

// WantUnlisted fails t if lang's sitemap in the site dest lists the page at
// path: pages that answer a form are for those who sent it, not for search.
func WantUnlisted(t testing.TB, dest, lang, path string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dest, lang, "sitemap.xml"))
	if err != nil {
		t.Fatalf("%s sitemap: %v", lang, err)
	}
	if path == "" || strings.Contains(string(b), path+"</loc>") {
		t.Errorf("%s is in the %s sitemap (or has no address)", path, lang)
	}
}

var classAttr = regexp.MustCompile(`class="([^"]*)"`)

// MissingClasses lists the classes used in page that css never names.
func MissingClasses(css, page string) []string {
	var missing []string
	for _, m := range classAttr.FindAllStringSubmatch(page, -1) {
		for _, c := range strings.Fields(m[1]) {
			if !regexp.MustCompile(`\.`+regexp.QuoteMeta(c)+`([^\w-]|$)`).MatchString(css) && !slices.Contains(missing, c) {
				missing = append(missing, c)
			}
		}
	}
	return missing
}

// Path is the address of the embedded site's page of lang with
// translationKey key, as its content front matter sets it ("" if it has
// none): the tests' way to name a page the functions link to.
func Path(lang, key string) string {
	p, _ := web.PagePath(lang, key)
	return p
}

// Text is the text inside n, its spaces collapsed, as a reader sees it
// once the tags are gone.
func Text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// Request is a request to a function at target: a GET, or with form a
// form-encoded POST; header holds name, value pairs to set.
func Request(target string, form url.Values, header ...string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	if form != nil {
		r = httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	return r
}

// Serve answers r with h and returns the answer.
func Serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}
