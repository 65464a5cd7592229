package sitetest

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/payoke/site/internal/web"
	"github.com/payoke/site/internal/web/webtest"
)

// formTargets are the pages only a form post leads to (the functions answer
// with a 303 to them), so no page links to them: the donate thank-you page
// and the contact one, at the addresses their front matter gives (web.Pages).
func formTargets(lang string) []string {
	return []string{webtest.Path(lang, web.PageDonateThanks), webtest.Path(lang, web.PageContactThanks)}
}

// countsAsLink reports whether an <a> leads readers somewhere: it sits in the
// page's <main>, a menu (<nav>, the <header>) or the <footer>, and is not a
// language switch (a link to the same page in another language, marked with
// hreflang), which would make every translation of an orphan look linked.
func countsAsLink(a *html.Node) bool {
	if _, ok := attr(a, "hreflang"); ok {
		return false
	}
	placed := false
	for n := a.Parent; n != nil; n = n.Parent {
		if n.Type != html.ElementNode {
			continue
		}
		if strings.Contains(get(n, "class"), "language") {
			return false
		}
		switch n.Data {
		case "main", "nav", "header", "footer":
			placed = true
		}
	}
	return placed
}

// checkOrphans returns, for each site language, the pages of its sitemap
// that no other page links to from its <main>, a menu or its footer. The
// home page, the 404 page and the thank-you pages are exempt.
func checkOrphans(s *site) []string {
	linked := map[string][]string{} // target file → files linking to it
	for _, src := range s.contentPages() {
		for _, a := range elements(src.doc, "a") {
			href, ok := attr(a, "href")
			if !ok || !countsAsLink(a) {
				continue
			}
			u, err := src.url.Parse(strings.TrimSpace(href))
			if err != nil || !s.internal(u) {
				continue
			}
			file, ok, _ := s.lookup(u)
			if ok && file != src.file {
				linked[file] = append(linked[file], src.file)
			}
		}
	}
	sm, _ := sitemaps(s) // TestSitemaps reports a missing or broken sitemap
	var out []string
	for _, lang := range s.cfg.SiteLanguages() {
		exempt := append([]string{"/" + lang + "/", "/" + lang + "/404.html"}, formTargets(lang)...)
		for _, su := range sm[lang] {
			p := urlPath(su.Loc)
			if slices.Contains(exempt, p) {
				continue
			}
			u, err := s.base.Parse(p)
			if err != nil {
				continue
			}
			file, ok, _ := s.lookup(u)
			if !ok || len(linked[file]) > 0 {
				continue // a missing page is TestSitemaps' business
			}
			hint := "link to it from a related page, or add it to a menu in config.toml"
			if pg := s.byFile[file]; pg != nil && slices.ContainsFunc(elements(pg.doc, ""), func(n *html.Node) bool { return hasToken(get(n, "class"), "empty") }) {
				hint = "it is an empty list (menus leave out a section with nothing in it): keep it out of the sitemap while it is empty, or publish its first page"
			}
			out = append(out, fmt.Sprintf("%s (%s, %q) is an orphan: no other page links to it from its text, a menu or the footer, so readers only find it by search; %s",
				p, file, pageTitle(s, su.Loc), hint))
		}
	}
	slices.Sort(out)
	return out
}

// TestNoOrphanPages: every page of nl, en and fr in the sitemap can be
// reached by following links on the site.
func TestNoOrphanPages(t *testing.T) {
	s := load(t)
	orphans := checkOrphans(s)
	for _, o := range orphans {
		t.Error(o)
	}
	if len(orphans) > 0 {
		t.Logf("%d orphan pages", len(orphans))
	}
}

// latestWord is a heading that calls what follows it the latest or newest.
var latestWord = regexp.MustCompile(`(?i)(^|[^\pL])(latest|laatste|derni[eè]re?s?)([^\pL]|$)`)

// dateLayouts are the forms of <time datetime> the templates write.
var dateLayouts = []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01"}

func parseDate(v string) (time.Time, bool) {
	for _, l := range dateLayouts {
		if d, err := time.Parse(l, strings.TrimSpace(v)); err == nil {
			return d, true
		}
	}
	return time.Time{}, false
}

// checkHome: the home page of each site language shows no empty list
// (class "empty") and calls nothing "latest" unless the newest item under
// that heading is dated within the 12 months before built.
func checkHome(s *site, built time.Time) []string {
	var out []string
	since := built.AddDate(-1, 0, 0)
	for _, lang := range s.cfg.SiteLanguages() {
		p := s.byFile[lang+"/index.html"]
		if p == nil {
			out = append(out, fmt.Sprintf("/%s/ has no home page", lang))
			continue
		}
		for _, n := range elements(p.doc, "") {
			if hasToken(get(n, "class"), "empty") {
				out = append(out, fmt.Sprintf("%s: <%s class=%q> %q: the home page shows an empty list; leave the block out until it has something in it", p.where(), n.Data, get(n, "class"), webtest.Text(n)))
			}
		}
		for _, h := range elements(p.doc, "") {
			if len(h.Data) != 2 || h.Data[0] != 'h' || h.Data[1] < '1' || h.Data[1] > '6' || !latestWord.MatchString(webtest.Text(h)) {
				continue
			}
			// What the heading is about: its section (or article, aside), else its parent.
			block := h.Parent
			for n := h.Parent; n != nil; n = n.Parent {
				if n.Type == html.ElementNode && (n.Data == "section" || n.Data == "article" || n.Data == "aside") {
					block = n
					break
				}
			}
			var newest time.Time
			for _, tm := range elements(block, "time") {
				if d, ok := parseDate(get(tm, "datetime")); ok && d.After(newest) {
					newest = d
				}
			}
			switch {
			case newest.IsZero():
				out = append(out, fmt.Sprintf("%s: the heading %q says \"latest\", but nothing under it has a date (<time datetime>)", p.where(), webtest.Text(h)))
			case newest.Before(since):
				out = append(out, fmt.Sprintf("%s: the heading %q says \"latest\", but its newest item is from %s, more than 12 months before the build (%s); show it under another heading, or not on the home page", p.where(), webtest.Text(h), newest.Format("2006-01-02"), built.Format("2006-01-02")))
			}
		}
	}
	return out
}

// TestHomeShowsNothingEmptyOrStale: the home pages promise nothing they do not have.
func TestHomeShowsNothingEmptyOrStale(t *testing.T) {
	s := load(t)
	for _, pr := range checkHome(s, built.at) {
		t.Error(pr)
	}
}

// The two checks above on small sites with known faults.
func TestOrphanAndHomeChecksFindFaults(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	page := func(lang, path, header, main, footer string) string {
		return `<!doctype html><html lang=` + lang + `><head><title>T ` + path + `</title></head><body><header>` + header +
			`</header><main>` + main + `</main><footer>` + footer + `</footer></body></html>`
	}
	sitemap := func(lang string, paths ...string) string {
		b := `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`
		for _, p := range paths {
			b += `<url><loc>https://www.payoke.be` + p + `</loc></url>`
		}
		return b + `</urlset>`
	}
	switcher := func(to string) string {
		return `<nav class=language-switcher><a href=` + to + ` hreflang=x>other language</a></nav>`
	}
	recent := `<section><h2>Laatste nieuws</h2><ul><li><time datetime=2025-12-24>24 december 2025</time></li><li><time datetime=2019-01-01>2019</time></li></ul></section>`
	files := map[string]string{
		"nl/sitemap.xml": sitemap("nl", "/nl/", "/nl/a/", "/nl/b/", "/nl/c/", "/nl/d/", "/nl/e/", webtest.Path("nl", web.PageDonateThanks), "/nl/404.html"),
		"en/sitemap.xml": sitemap("en", "/en/", "/en/b/"),
		"nl/index.html": page("nl", "/nl/", `<nav><a href=/nl/a/>a, in the menu</a></nav>`,
			`<a href=/nl/c/#x>c, in the text</a>`+recent+`<h2>Projecten</h2><time datetime=2001-01-01>2001</time>`, `<a href=/nl/d/?q=1>d, in the footer</a>`),
		"nl/a/index.html": page("nl", "/nl/a/", switcher("/en/b/"), `<a href=/nl/a/>itself</a>`, ""),
		// b is linked only from itself, from a language switcher and from outside <main>, menus and footer.
		"nl/b/index.html": page("nl", "/nl/b/", switcher("/en/b/"), `<a href=/nl/b/>itself</a>`, ""),
		"en/b/index.html": page("en", "/en/b/", switcher("/nl/b/"), "", "") + `<a href=/nl/b/>after the body</a>`,
		"nl/c/index.html": page("nl", "/nl/c/", "", "", ""),
		"nl/d/index.html": page("nl", "/nl/d/", "", "", ""),
		"nl/e/index.html": page("nl", "/nl/e/", "", "<p class=empty>Nothing yet.</p>", ""),
		// Only a form post leads here, and nothing to the 404 page.
		strings.TrimPrefix(webtest.Path("nl", web.PageDonateThanks), "/") + "index.html": page("nl", webtest.Path("nl", web.PageDonateThanks), "", "", ""),
		"nl/404.html":    page("nl", "/nl/404.html", "", "", ""),
		"en/index.html":  page("en", "/en/", "", `<section><h2>Latest news</h2><p class="list empty">Nothing yet.</p></section>`, ""),
		"fr/index.html":  page("fr", "/fr/", "", `<section><h2>Dernières actualités</h2><time datetime=2024-06-30>30 juin 2024</time></section><h2>Nos projets</h2>`, ""),
		"fr/sitemap.xml": sitemap("fr", "/fr/"),
	}
	s := fakeSite(t, files)
	want := []string{
		`/en/b/ (en/b/index.html, "T /en/b/") is an orphan`,
		`/nl/b/ (nl/b/index.html, "T /nl/b/") is an orphan`,
		`/nl/e/ (nl/e/index.html, "T /nl/e/") is an orphan`,
	}
	got := checkOrphans(s)
	if len(got) != 3 || !strings.Contains(got[2], "it is an empty list") || strings.Contains(got[1], "empty list") {
		t.Errorf("an empty section should get its own hint, the others not:\n%s", strings.Join(got, "\n"))
	}
	for i := range got {
		got[i], _, _ = strings.Cut(got[i], ": no other page")
	}
	if !slices.Equal(got, want) {
		t.Errorf("orphans:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	home := checkHome(s, at)
	for _, w := range []string{
		`/en/ (en/index.html): <p class="list empty"> "Nothing yet."`,
		`/en/ (en/index.html): the heading "Latest news" says "latest", but nothing under it has a date`,
		`/fr/ (fr/index.html): the heading "Dernières actualités" says "latest", but its newest item is from 2024-06-30`,
	} {
		if !slices.ContainsFunc(home, func(g string) bool { return strings.HasPrefix(g, w) }) {
			t.Errorf("no problem starts with %q; got:\n%s", w, strings.Join(home, "\n"))
		}
	}
	if len(home) != 3 {
		t.Errorf("want 3 problems on the home pages (nl is fine: its latest news is recent), got %d:\n%s", len(home), strings.Join(home, "\n"))
	}
}
