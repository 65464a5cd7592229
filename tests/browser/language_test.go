package browser

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"
)

type switchLink struct {
	Hreflang string
	Seen     seen
}

// switchLinksJS lists the switcher's links, each scrolled into view and
// then measured as a reader would find it.
const switchLinksJS = `(() => {` + visibleJS + `
  return [...document.querySelectorAll(".language-switcher a[hreflang]")].map((a) => {
    a.scrollIntoView({block: "nearest", inline: "nearest"});
    return {Hreflang: a.hreflang, Seen: seen(a)};
  });
})()`

// checkSwitcher checks the language switcher of the page shown (path) in
// the tab's view: each link shows and can be pressed, and leads to a page in
// its language that names path as its translation. The pages the links lead
// to are fetched and read, which proves that and costs no page load; with
// follow, link number pick (modulo their number) is also followed in the
// browser, leaving the tab on its page: a press on a link that shows and
// is hit where pressed does navigate, and the pages' scripts do not stop it.
func (s *suite) checkSwitcher(t *testing.T, tb *tab, path string, pick int, follow bool) {
	t.Helper()
	v := tb.view
	from := eval[string](tb, `document.documentElement.lang`)
	links := eval[[]switchLink](tb, switchLinksJS)
	if len(links) < 2 {
		t.Errorf("%s: the language switcher has %d links (%v), want one for each other site language", path, len(links), links)
		return
	}
	for _, l := range links {
		if l.Seen.Why != "" {
			t.Errorf("%s (%s): the switcher's link to %s cannot be pressed: %s", path, v, l.Hreflang, l.Seen.Why)
		}
		lang, alts := tb.readPage(l.Seen.Href, from)
		checkTranslation(t, path, v, l, l.Seen.Href, lang, alts)
	}
	if !follow {
		return
	}
	l := links[pick%len(links)]
	tb.follow("choosing "+l.Hreflang, chromedp.Click(chromedp.CSS(`.language-switcher a[hreflang="`+l.Hreflang+`"]`)))
	loc := tb.waitLocation("after choosing "+l.Hreflang, func(u string) bool { return u != tb.url(path) })
	got := eval[struct {
		Lang string
		Alt  []string
	}](tb, `({Lang: document.documentElement.lang, Alt: [...document.querySelectorAll('link[rel=alternate][hreflang="`+from+`"]')].map((a) => a.href)})`)
	checkTranslation(t, path, v, l, loc, got.Lang, got.Alt)
}

// checkTranslation: the page at loc, reached from path by link l, is in
// l's language and names path among its alternates (alts) in path's.
func checkTranslation(t *testing.T, path string, v view, l switchLink, loc, lang string, alts []string) {
	t.Helper()
	if lang != l.Hreflang {
		t.Errorf("%s → %s (%s): landed on %s in %q", path, l.Hreflang, v, loc, lang)
	}
	for _, a := range alts {
		if u, err := url.Parse(a); err == nil && u.Path == path {
			return
		}
	}
	t.Errorf("%s → %s (%s): landed on %s, which is not its translation (its alternates: %s)", path, l.Hreflang, v, loc, strings.Join(alts, ", "))
}

// readPage fetches the site's page at u as the browser would find it and
// returns its language and its rel=alternate links in language from.
func (tb *tab) readPage(u, from string) (lang string, alts []string) {
	tb.t.Helper()
	if !tb.sameOrigin(u) {
		tb.t.Errorf("the switcher links to another origin: %s", u)
		return "", nil
	}
	resp, err := http.Get(u)
	if err != nil {
		tb.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || err != nil {
		tb.t.Errorf("GET %s: %d %v", u, resp.StatusCode, err)
		return "", nil
	}
	doc, err := html.Parse(strings.NewReader(string(body)))
	if err != nil {
		tb.t.Fatalf("%s: %v", u, err)
	}
	attr := func(n *html.Node, k string) string {
		for _, a := range n.Attr {
			if a.Key == k {
				return a.Val
			}
		}
		return ""
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch {
			case n.Data == "html":
				lang = attr(n, "lang")
			case n.Data == "link" && attr(n, "rel") == "alternate" && attr(n, "hreflang") == from:
				if ref, err := url.Parse(attr(n, "href")); err == nil {
					alts = append(alts, resp.Request.URL.ResolveReference(ref).String())
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return lang, alts
}
