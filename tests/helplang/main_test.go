// Package helplang checks the built site for help in many languages: one short
// help page per help-only language with the right lang and dir, the list of
// those pages (each named in its own language), and a link to that list on
// every page. The site is built once, by the pinned Hugo, for all the tests.
package helplang

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
	"golang.org/x/net/html"

	root "github.com/payoke/site"
	"github.com/payoke/site/internal/hugobuild"
	"github.com/payoke/site/internal/i18n"
	"github.com/payoke/site/internal/siteconfig"
	"github.com/payoke/site/internal/web"
)

// out is the built site, filled once by the first test and then only read.
var out struct {
	once    sync.Once
	err     error
	dir     string                // module root, for content files
	cfg     *siteconfig.Config    //
	strings *i18n.Catalog         //
	files   map[string][]byte     // output path ("ar/index.html") → bytes, without admin/
	pages   map[string]*html.Node // every HTML output file, parsed
}

func build() error {
	dir, err := hugobuild.Root(".")
	if err != nil {
		return err
	}
	out.dir = dir
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// The build of this run, shared with the other packages. It prints i18n
	// warnings and fails on any WARN, so a missing string in a help language
	// fails it. It runs inside a test (built), so the inputs it opens enter
	// go test's cache key: an edit to a page reruns these tests.
	dest, _, err := hugobuild.Shared(ctx, dir, dir)
	if err != nil {
		return err
	}
	if out.cfg, err = siteconfig.Load(root.Files); err != nil {
		return err
	}
	if out.strings, err = i18n.Load(root.Files, out.cfg.DefaultLanguage); err != nil {
		return err
	}
	// The strings name the organisation from config.toml, as Hugo's T is told to.
	out.strings = web.Strings(out.cfg, out.strings)
	out.files, out.pages = map[string][]byte{}, map[string]*html.Node{}
	return filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(rel, "admin/") {
			return nil // the staff's content editor, not a page for readers
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out.files[rel] = b
		if path.Ext(rel) == ".html" {
			doc, err := html.Parse(bytes.NewReader(b))
			if err != nil {
				return fmt.Errorf("%s: %w", rel, err)
			}
			out.pages[rel] = doc
		}
		return nil
	})
}

// built builds the site on the first call and stops the test if that failed.
func built(t *testing.T) {
	t.Helper()
	out.once.Do(func() { out.err = build() })
	if out.err != nil {
		t.Fatalf("the site did not build cleanly (an i18n warning in a help language fails it too):\n%v", out.err)
	}
}

// helpLanguages are the help-only languages of config.toml, in weight order.
func helpLanguages() []siteconfig.Language {
	var ls []siteconfig.Language
	for _, l := range out.cfg.Languages {
		if l.Params.HelpOnly {
			ls = append(ls, l)
		}
	}
	return ls
}

// siteLanguages are the full languages (nl, en, fr).
func siteLanguages() []siteconfig.Language {
	var ls []siteconfig.Language
	for _, l := range out.cfg.Languages {
		if !l.Params.HelpOnly {
			ls = append(ls, l)
		}
	}
	return ls
}

// frontMatter reads the YAML front matter of a content file below the module root.
func frontMatter(t *testing.T, file string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out.dir, file))
	if err != nil {
		t.Fatal(err)
	}
	rest, ok := bytes.CutPrefix(b, []byte("---\n"))
	head, _, found := bytes.Cut(rest, []byte("\n---"))
	if !ok || !found {
		t.Fatalf("%s: no YAML front matter between --- lines", file)
	}
	fm := map[string]any{}
	if err := yaml.Unmarshal(head, &fm); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return fm
}

// pageURL is the url front matter of content/<lang>/<file>, e.g. "/nl/hulp/".
func pageURL(t *testing.T, lang, file string) string {
	t.Helper()
	u, _ := frontMatter(t, path.Join("content", lang, file))["url"].(string)
	if u == "" {
		t.Fatalf("content/%s/%s has no url in its front matter", lang, file)
	}
	return u
}

// fileOf is the output file that serves the site path p ("/ar/" → "ar/index.html").
func fileOf(p string) string {
	p = strings.TrimPrefix(p, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	return p
}

// find returns the elements of doc for which match is true, in document order.
func find(doc *html.Node, match func(*html.Node) bool) []*html.Node {
	var found []*html.Node
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && match(n) {
			found = append(found, n)
		}
	}
	return found
}

// tag matches elements by name.
func tag(name string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == name }
}

// has matches elements whose attribute key is val.
func has(key, val string) func(*html.Node) bool {
	return func(n *html.Node) bool { return attrOf(n, key) == val }
}

// attrOf returns the attribute key of n, or "".
func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// textOf returns the text inside n with spaces collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data + " ")
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// isRedirect reports whether doc is an alias page (meta refresh).
func isRedirect(doc *html.Node) bool {
	return len(find(doc, has("http-equiv", "refresh"))) > 0
}

// ltrText reports whether the text shown (a phone number, an address) sits in
// n or below it inside an element marked dir="ltr".
func ltrText(n *html.Node, shown string) bool {
	if attrOf(n, "dir") == "ltr" && strings.Contains(textOf(n), shown) {
		return true
	}
	for _, d := range find(n, has("dir", "ltr")) {
		if strings.Contains(textOf(d), shown) {
			return true
		}
	}
	return false
}
