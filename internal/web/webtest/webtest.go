// Package webtest checks, in a site built by Hugo, what the functions' pages
// rely on: the stylesheet at web.Stylesheet and the classes they use.
package webtest

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/payoke/site/internal/web"
)

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
