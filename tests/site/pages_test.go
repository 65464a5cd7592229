package sitetest

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"github.com/payoke/site/internal/web/webtest"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestBuildPrintsNoWarnings(t *testing.T) {
	ensureBuilt()
	if built.err != nil {
		var lines []string
		seen := map[string]bool{}
		for _, l := range strings.Split(built.err.Error()+"\n"+built.log, "\n") {
			important := strings.Contains(l, "WARN") || strings.Contains(l, "ERROR") || strings.Contains(l, "failed")
			if important && !seen[l] {
				seen[l] = true
				lines = append(lines, l)
			}
		}
		t.Fatalf("go tool hugo must build the site without errors or warnings:\n%s", strings.Join(lines, "\n"))
	}
}

// TestEveryPageHasTheEssentials: lang, dir, title, description, canonical,
// the quick exit, unique ids. Redirect (alias) pages get their own rules.
func TestEveryPageHasTheEssentials(t *testing.T) {
	s := load(t)
	for _, p := range s.pages {
		if p.redirect != "" {
			report(t, p.where(), checkRedirect(s, p))
			continue
		}
		report(t, p.where(), checkEssentials(s, p))
	}
}

func checkEssentials(s *site, p *page) []string {
	var out []string
	if p.lang == "" {
		out = append(out, "is not inside a language folder such as /nl/; every page belongs to one language")
	}
	lang := s.language(p.lang)
	h := elements(p.doc, "html")[0]
	if got := get(h, "lang"); got == "" {
		out = append(out, "<html> has no lang attribute")
	} else if p.lang != "" && !strings.EqualFold(got, lang.Locale) {
		out = append(out, fmt.Sprintf("<html lang=%q>, want %q (locale of %s in config.toml)", got, lang.Locale, p.lang))
	}
	wantDir := cmp.Or(lang.Direction, "ltr")
	if got := get(h, "dir"); got == "" {
		out = append(out, "<html> has no dir attribute")
	} else if got != wantDir {
		out = append(out, fmt.Sprintf("<html dir=%q>, want %q (direction of %s in config.toml)", got, wantDir, p.lang))
	}
	if titles := elements(p.doc, "title"); len(titles) != 1 || webtest.Text(titles[0]) == "" {
		out = append(out, fmt.Sprintf("needs exactly one non-empty <title>, has %d", len(titles)))
	}
	var descriptions []string
	for _, m := range elements(p.doc, "meta") {
		if get(m, "name") == "description" {
			descriptions = append(descriptions, strings.TrimSpace(get(m, "content")))
		}
	}
	switch {
	case len(descriptions) != 1 || descriptions[0] == "":
		out = append(out, fmt.Sprintf("needs exactly one non-empty <meta name=\"description\">, has %q; set description in the front matter", descriptions))
	case utf8.RuneCountInString(descriptions[0]) > 160:
		out = append(out, fmt.Sprintf("description has %d characters, at most 160: %q", utf8.RuneCountInString(descriptions[0]), descriptions[0]))
	}
	var canonicals []string
	for _, l := range elements(p.doc, "link") {
		if hasToken(get(l, "rel"), "canonical") {
			canonicals = append(canonicals, get(l, "href"))
		}
	}
	if len(canonicals) != 1 || canonicals[0] != p.url.String() {
		out = append(out, fmt.Sprintf("canonical links %q, want exactly one: %q", canonicals, p.url))
	}
	ids := map[string]int{}
	var exits []string
	for _, n := range elements(p.doc, "") {
		id, ok := attr(n, "id")
		if !ok {
			continue
		}
		ids[id]++
		if id == "quick-exit" {
			if n.Data != "a" {
				exits = append(exits, "<"+n.Data+">")
			} else {
				exits = append(exits, get(n, "href"))
			}
		}
	}
	switch {
	case len(exits) == 0:
		out = append(out, `has no quick exit <a id="quick-exit" href="…"> (partial quick-exit.html in baseof.html)`)
	case len(exits) > 1 || exits[0] != s.cfg.Params.QuickExit:
		out = append(out, fmt.Sprintf("quick exit must be one <a id=\"quick-exit\"> to %s (params.quickExit), found %q", s.cfg.Params.QuickExit, exits))
	}
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		if ids[id] > 1 {
			out = append(out, fmt.Sprintf("id %q is used %d times; ids must be unique", id, ids[id]))
		}
	}
	return out
}

// checkRedirect: an alias page must say its language, stay out of search
// results and point to a page that exists.
func checkRedirect(s *site, p *page) []string {
	var out []string
	if get(elements(p.doc, "html")[0], "lang") == "" {
		out = append(out, "redirect page has no <html lang>")
	}
	noindex := false
	for _, m := range elements(p.doc, "meta") {
		if get(m, "name") == "robots" && strings.Contains(get(m, "content"), "noindex") {
			noindex = true
		}
	}
	if !noindex {
		out = append(out, `redirect page lacks <meta name="robots" content="noindex">`)
	}
	u, err := p.url.Parse(p.redirect)
	if err != nil || !s.internal(u) {
		return append(out, fmt.Sprintf("redirects to %q, which is not a page of this site", p.redirect))
	}
	if _, ok, hint := s.lookup(u); !ok {
		out = append(out, fmt.Sprintf("redirects to %s: %s", u.Path, hint))
	}
	return out
}

// TestHreflangIsReciprocal: each translation lists the same set of
// translations (itself included), each one exists and has the language it claims.
func TestHreflangIsReciprocal(t *testing.T) {
	s := load(t)
	for _, p := range s.contentPages() {
		report(t, p.where(), checkHreflang(s, p))
	}
}

func checkHreflang(s *site, p *page) []string {
	alts := alternates(p.doc)
	if len(alts) == 0 {
		return nil // untranslated: TestEveryPageInEveryLanguage says so where it matters
	}
	var out []string
	if self := s.language(p.lang).Locale; alts[self] != p.url.String() {
		out = append(out, fmt.Sprintf("hreflang=%q must point to the page itself (%s), points to %q", self, p.url, alts[self]))
	}
	if xd, ok := alts["x-default"]; !ok {
		out = append(out, `has hreflang alternates but no hreflang="x-default"`)
	} else if countValue(alts, xd) < 2 {
		out = append(out, fmt.Sprintf("x-default %s is not one of the translations", xd))
	}
	for _, hl := range slices.Sorted(maps.Keys(alts)) {
		if hl == "x-default" {
			continue
		}
		href := alts[hl]
		lang, ok := s.langOfLocale(hl)
		if !ok {
			out = append(out, fmt.Sprintf("hreflang=%q is not the locale of any language in config.toml", hl))
			continue
		}
		u, err := url.Parse(href)
		if err != nil || !u.IsAbs() || !s.internal(u) {
			out = append(out, fmt.Sprintf("hreflang=%q href %q must be an absolute URL on %s", hl, href, s.base.Host))
			continue
		}
		file, ok, hint := s.lookup(u)
		if !ok {
			out = append(out, fmt.Sprintf("hreflang=%q links to %s: %s", hl, u.Path, hint))
			continue
		}
		target := s.byFile[file]
		if target == nil || target.redirect != "" {
			out = append(out, fmt.Sprintf("hreflang=%q links to %s, which is not a page (a redirect or not HTML)", hl, u.Path))
			continue
		}
		if target.lang != lang {
			out = append(out, fmt.Sprintf("hreflang=%q links to %s, which is in the %q folder", hl, u.Path, target.lang))
		}
		if got := get(elements(target.doc, "html")[0], "lang"); !strings.EqualFold(got, hl) {
			out = append(out, fmt.Sprintf("hreflang=%q links to %s, whose <html lang> is %q", hl, u.Path, got))
		}
		if back := alternates(target.doc); !maps.Equal(back, alts) {
			out = append(out, fmt.Sprintf("not reciprocal: this page lists %v, its %s translation %s lists %v", sortedPairs(alts), hl, u.Path, sortedPairs(back)))
		}
	}
	return out
}

func countValue(m map[string]string, v string) int {
	n := 0
	for _, x := range m {
		if x == v {
			n++
		}
	}
	return n
}

func sortedPairs(m map[string]string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, k+"="+m[k])
	}
	return out
}

// Sitemaps as Hugo writes them: an index at the root, one urlset per language.
type sitemapIndex struct {
	XMLName  xml.Name `xml:"sitemapindex"`
	Sitemaps []struct {
		Loc string `xml:"loc"`
	} `xml:"sitemap"`
}

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc   string `xml:"loc"`
	Links []struct {
		Rel      string `xml:"rel,attr"`
		Hreflang string `xml:"hreflang,attr"`
		Href     string `xml:"href,attr"`
	} `xml:"http://www.w3.org/1999/xhtml link"`
}

func (u sitemapURL) alternates() map[string]string {
	out := map[string]string{}
	for _, l := range u.Links {
		if l.Rel == "alternate" {
			out[l.Hreflang] = l.Href
		}
	}
	return out
}

// sitemaps reads each language's sitemap.xml: language → its URLs.
func sitemaps(s *site) (map[string][]sitemapURL, []string) {
	var problems []string
	out := map[string][]sitemapURL{}
	for _, l := range s.cfg.Languages {
		file := l.Lang + "/sitemap.xml"
		b, ok := s.files[file]
		if !ok {
			problems = append(problems, fmt.Sprintf("/%s is missing: every language needs its sitemap", file))
			continue
		}
		var set urlset
		if err := xml.Unmarshal(b, &set); err != nil {
			problems = append(problems, fmt.Sprintf("/%s: %v", file, err))
			continue
		}
		out[l.Lang] = set.URLs
	}
	return out, problems
}

// TestEveryPageInEveryLanguage: each page of a site language (nl, en, fr),
// whether in a sitemap or not (thank-you pages, 404), names a translation in
// every site language with <link rel="alternate" hreflang>; TestHreflangIsReciprocal
// then proves those translations exist and link back. Each site language has
// its 404 page. Help-only languages are not asked to have every page.
func TestEveryPageInEveryLanguage(t *testing.T) {
	for _, pr := range checkTranslations(load(t)) {
		t.Error(pr)
	}
}

func checkTranslations(s *site) []string {
	var out []string
	langs := s.cfg.SiteLanguages()
	for _, p := range s.contentPages() {
		if !s.cfg.IsSiteLanguage(p.lang) || pagerPath.MatchString(p.url.Path) {
			continue
		}
		alts := alternates(p.doc)
		for _, other := range langs {
			if _, ok := alts[s.language(other).Locale]; !ok && other != p.lang {
				out = append(out, fmt.Sprintf("%s has no %s translation: write it in content/%s/ with the same file path or translationKey as the %s page", p.where(), other, other, p.lang))
			}
		}
	}
	for _, lang := range langs {
		file := lang + "/404.html"
		if p := s.byFile[file]; p == nil || p.redirect != "" {
			out = append(out, fmt.Sprintf("/%s is missing: each language needs its own 404 page", file))
		}
	}
	return out
}

func urlPath(loc string) string {
	if u, err := url.Parse(loc); err == nil {
		return u.Path
	}
	return loc
}

// Hugo's pager pages (/nieuws/page/2/) are not listed in sitemaps.
var pagerPath = regexp.MustCompile(`/page/[0-9]+/$`)

// TestSitemaps: the index lists every language's sitemap, every listed page
// exists in its language, and its alternates agree with its <head>.
func TestSitemaps(t *testing.T) {
	problems, outside := checkSitemaps(load(t))
	for _, pr := range problems {
		t.Error(pr)
	}
	t.Logf("%d pages are in no sitemap: %s", len(outside), strings.Join(outside, " "))
}

// checkSitemaps returns the problems and the pages in no sitemap.
func checkSitemaps(s *site) ([]string, []string) {
	var index sitemapIndex
	if err := xml.Unmarshal(s.files["sitemap.xml"], &index); err != nil {
		return []string{fmt.Sprintf("/sitemap.xml must be a sitemap index: %v", err)}, nil
	}
	var out, listed []string
	for _, sm := range index.Sitemaps {
		listed = append(listed, urlPath(sm.Loc))
	}
	for _, l := range s.cfg.Languages {
		if want := "/" + l.Lang + "/sitemap.xml"; !slices.Contains(listed, want) {
			out = append(out, fmt.Sprintf("/sitemap.xml does not list %s (has %v)", want, listed))
		}
	}
	sm, problems := sitemaps(s)
	out = append(out, problems...)
	inSitemap := map[string]bool{}
	for lang, urls := range sm {
		where := "/" + lang + "/sitemap.xml"
		for _, su := range urls {
			u, err := url.Parse(su.Loc)
			if err != nil || !s.internal(u) {
				out = append(out, fmt.Sprintf("%s: <loc>%s</loc> is not an absolute URL on %s", where, su.Loc, s.base.Host))
				continue
			}
			if inSitemap[u.Path] {
				out = append(out, fmt.Sprintf("%s lists %s twice", where, u.Path))
			}
			inSitemap[u.Path] = true
			file, ok, hint := s.lookup(u)
			if !ok {
				out = append(out, fmt.Sprintf("%s lists %s: %s", where, u.Path, hint))
				continue
			}
			p := s.byFile[file]
			if p == nil || p.redirect != "" || p.lang != lang {
				out = append(out, fmt.Sprintf("%s lists %s, which is not a %s page (a redirect, not HTML, or another language)", where, u.Path, lang))
				continue
			}
			// The <head> may name more alternates (the help-only languages'
			// help pages); the sitemap must not name others or other URLs.
			head := alternates(p.doc)
			for hl, href := range su.alternates() {
				if head[hl] != href {
					out = append(out, fmt.Sprintf("%s: %s has the alternate %s=%s, but its <head> has %s=%q", where, u.Path, hl, href, hl, head[hl]))
				}
			}
			if len(head) > 0 && len(su.alternates()) == 0 {
				out = append(out, fmt.Sprintf("%s: %s has translations but no <xhtml:link rel=\"alternate\"> in the sitemap", where, u.Path))
			}
		}
	}
	// Pages kept out of the sitemaps on purpose (thank-you pages, 404): listed for review.
	var outside []string
	for _, p := range s.contentPages() {
		if !inSitemap[p.url.Path] && !pagerPath.MatchString(p.url.Path) {
			outside = append(outside, p.url.Path)
		}
	}
	return out, outside
}

// TestRobots: robots.txt lets crawlers in and names the sitemap.
func TestRobots(t *testing.T) {
	for _, pr := range checkRobots(load(t)) {
		t.Error(pr)
	}
}

func checkRobots(s *site) []string {
	b, ok := s.files["robots.txt"]
	if !ok {
		return []string{"/robots.txt is missing (enableRobotsTXT in config.toml)"}
	}
	var out []string
	var sitemaps []string
	for _, line := range strings.Split(string(b), "\n") {
		key, val, _ := strings.Cut(strings.TrimSpace(line), ":")
		val = strings.TrimSpace(val)
		switch strings.ToLower(key) {
		case "disallow":
			if val == "/" {
				out = append(out, "/robots.txt disallows the whole site (Disallow: /)")
			}
		case "sitemap":
			sitemaps = append(sitemaps, val)
		}
	}
	if want := s.base.JoinPath("sitemap.xml").String(); !slices.Contains(sitemaps, want) {
		out = append(out, fmt.Sprintf("/robots.txt should name the sitemap index with %q, names %q\n%s", "Sitemap: "+want, sitemaps, b))
	}
	return out
}

// TestContentURLs prints every page with its URL in each site language (go test -v).
func TestContentURLs(t *testing.T) {
	s := load(t)
	sm, _ := sitemaps(s) // TestSitemaps reports problems
	langs := s.cfg.SiteLanguages()
	var b strings.Builder
	fmt.Fprintf(&b, "| page | %s | other languages |\n|---|%s---|\n", strings.Join(langs, " | "), strings.Repeat("---|", len(langs)))
	seen := map[string]bool{}
	rows := 0
	for _, lang := range append(langs, s.helpOnly()...) {
		for _, u := range sm[lang] {
			if seen[urlPath(u.Loc)] {
				continue
			}
			alts := u.alternates()
			if len(alts) == 0 {
				alts = map[string]string{s.language(lang).Locale: u.Loc}
			}
			title := ""
			var cells, others []string
			for _, l := range s.cfg.Languages {
				href, ok := alts[l.Locale]
				if !ok {
					if !l.Params.HelpOnly {
						cells = append(cells, "—")
					}
					continue
				}
				seen[urlPath(href)] = true
				if l.Params.HelpOnly {
					others = append(others, urlPath(href))
					continue
				}
				cells = append(cells, urlPath(href))
				if title == "" {
					title = pageTitle(s, href)
				}
			}
			if title == "" {
				title = pageTitle(s, u.Loc)
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", title, strings.Join(cells, " | "), strings.Join(others, " "))
			rows++
		}
	}
	var notFound []string
	for _, lang := range langs {
		notFound = append(notFound, "/"+lang+"/404.html")
	}
	fmt.Fprintf(&b, "| (page not found) | %s | |\n", strings.Join(notFound, " | "))
	t.Logf("%d pages in %d site languages, %d HTML files in all:\n%s", rows+1, len(langs), len(s.pages), b.String())
}

// pageTitle is the page's <h1>, or its <title>.
func pageTitle(s *site, href string) string {
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	file, ok, _ := s.lookup(u)
	if !ok || s.byFile[file] == nil {
		return ""
	}
	doc := s.byFile[file].doc
	for _, tag := range []string{"h1", "title"} {
		if n := elements(doc, tag); len(n) > 0 && webtest.Text(n[0]) != "" {
			return webtest.Text(n[0])
		}
	}
	return ""
}
