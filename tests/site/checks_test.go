package sitetest

// The built site may not (yet) hold every kind of defect, so these tests feed
// each check small pages with known faults and a clean page, to prove the
// checks catch what they promise and nothing more.

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	root "github.com/payoke/site"
	"github.com/payoke/site/internal/siteconfig"
)

// fakeSite builds a site from files (path → content) with the real config.
func fakeSite(t *testing.T, files map[string]string) *site {
	t.Helper()
	cfg, err := siteconfig.Load(root.Files)
	if err != nil {
		t.Fatal(err)
	}
	// The site languages, and one help-only language written right to left.
	cfg.Languages = slices.DeleteFunc(cfg.Languages, func(l siteconfig.Language) bool { return l.Params.HelpOnly })
	xx := siteconfig.Language{Lang: "xx", Locale: "xx", Direction: "rtl", Weight: 99}
	xx.Params.HelpOnly = true
	cfg.Languages = append(cfg.Languages, xx)
	cfg.LanguageMap = map[string]siteconfig.Language{}
	for _, l := range cfg.Languages {
		cfg.LanguageMap[l.Lang] = l
	}
	m := map[string][]byte{}
	for k, v := range files {
		m[k] = []byte(v)
	}
	s, err := newSite(cfg, m)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// doc writes a page that passes every check, with head and body added.
func doc(exit string, lang, locale, path, head, body string) string {
	return fmt.Sprintf(`<!doctype html><html lang=%s dir=ltr><head><title>T</title><meta name=description content="D">`+
		`<link rel=canonical href=https://www.payoke.be%s>%s<link rel=stylesheet href=/main.css></head>`+
		`<body><a id=quick-exit href=%s>Exit</a><main id=main>%s</main><script src=/main.js defer></script></body></html>`,
		locale, path, head, exit, body)
}

func pngFile(t *testing.T, w, h int) string {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestChecksFindFaults(t *testing.T) {
	cfg, err := siteconfig.Load(root.Files)
	if err != nil {
		t.Fatal(err)
	}
	exit := cfg.Params.QuickExit
	// head names the nl, en and fr versions of a page at /<lang>/<rest>.
	head := func(rest string) string {
		var b strings.Builder
		for _, l := range [][2]string{{"nl", "nl-BE"}, {"en", "en"}, {"fr", "fr-BE"}, {"nl", "x-default"}} {
			fmt.Fprintf(&b, `<link rel=alternate hreflang=%s href=https://www.payoke.be/%s/%s>`, l[1], l[0], rest)
		}
		return b.String()
	}
	alts := head("a/")
	sitemap := func(lang string) string {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="utf-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">`)
		for _, rest := range []string{"", "a/"} {
			fmt.Fprintf(&b, `<url><loc>https://www.payoke.be/%s/%s</loc>`, lang, rest)
			for _, l := range [][2]string{{"nl", "nl-BE"}, {"en", "en"}, {"fr", "fr-BE"}} {
				fmt.Fprintf(&b, `<xhtml:link rel="alternate" hreflang="%s" href="https://www.payoke.be/%s/%s"/>`, l[1], l[0], rest)
			}
			b.WriteString(`</url>`)
		}
		return b.String() + `</urlset>`
	}
	index := `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`
	for _, l := range []string{"nl", "en", "fr", "xx"} {
		index += `<sitemap><loc>https://www.payoke.be/` + l + `/sitemap.xml</loc></sitemap>`
	}
	index += `</sitemapindex>`
	picture := `<picture><source srcset=/nl/a/p.webp type=image/webp><img src=/nl/a/p.png alt="A heart" width=20 height=10></picture>`
	noise := make([]byte, 40000)
	for i := range noise {
		noise[i] = byte('a' + rand.IntN(26))
	}
	clean := func(t *testing.T) map[string]string {
		files := map[string]string{
			"main.css":          "body{background:url(/nl/a/p.png)}",
			"main.js":           "console.log(1)",
			"robots.txt":        "User-agent: *\nSitemap: https://www.payoke.be/sitemap.xml\n",
			"sitemap.xml":       index,
			"xx/sitemap.xml":    `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://www.payoke.be/xx/</loc></url></urlset>`,
			"nl/a/p.png":        pngFile(t, 20, 10),
			"nl/a/p.webp":       "RIFF",
			"nl/a/index.html":   doc(exit, "nl", "nl-BE", "/nl/a/", alts, `<a href=#main>top</a><a href=/en/a/>en</a><a href="https://example.org/">elsewhere</a><a href=mailto:x@example.org>mail</a>`+picture+`<form method=post action=/api/contact></form>`),
			"xx/index.html":     strings.Replace(doc(exit, "xx", "xx", "/xx/", "", ""), "dir=ltr", "dir=rtl", 1),
			"nl/old/index.html": `<!doctype html><html lang=nl-BE><head><meta name=robots content=noindex><meta http-equiv=refresh content="0; url=https://www.payoke.be/nl/a/"></head></html>`,
		}
		for _, l := range [][2]string{{"nl", "nl-BE"}, {"en", "en"}, {"fr", "fr-BE"}} {
			lang, locale := l[0], l[1]
			files[lang+"/sitemap.xml"] = sitemap(lang)
			files[lang+"/index.html"] = doc(exit, lang, locale, "/"+lang+"/", head(""), `<a class=help-link href=/`+lang+`/a/>help</a>`)
			files[lang+"/404.html"] = doc(exit, lang, locale, "/"+lang+"/404.html", head("404.html"), "")
			if lang != "nl" {
				files[lang+"/a/index.html"] = doc(exit, lang, locale, "/"+lang+"/a/", alts, "")
			}
		}
		return files
	}
	all := func(s *site) []string {
		var out []string
		for _, p := range s.pages {
			if p.redirect != "" {
				out = append(out, checkRedirect(s, p)...)
				continue
			}
			out = append(out, checkEssentials(s, p)...)
			out = append(out, checkHreflang(s, p)...)
			out = append(out, checkLinks(s, p)...)
			out = append(out, checkOrigins(s, p)...)
			out = append(out, checkInline(p)...)
			out = append(out, checkAlt(p)...)
			out = append(out, checkImages(s, p)...)
		}
		for _, f := range s.sorted(".css") {
			out = append(out, checkCSS(s, f)...)
		}
		limit, reason, problems := s.budgets()
		out = append(out, problems...)
		out = append(out, checkTranslations(s)...)
		problems, _ = checkSitemaps(s)
		out = append(out, problems...)
		out = append(out, checkRobots(s)...)
		for _, p := range s.contentPages() {
			out = append(out, checkWeight(s.measure(p, map[string]int{}, limit[p], reason[p]))...)
			out = append(out, checkBlocking(p)...)
		}
		return out
	}
	t.Run("clean", func(t *testing.T) {
		s := fakeSite(t, clean(t))
		if got := all(s); len(got) != 0 {
			t.Errorf("a clean site got problems:\n%s", strings.Join(got, "\n"))
		}
	})
	cases := []struct {
		name string
		file string
		body string // replaces the file with this content
		want []string
	}{
		{name: "essentials", file: "nl/a/index.html",
			body: `<!doctype html><html><head><title></title></head><body><p id=x></p><p id=x></p></body></html>`,
			want: []string{"no lang", "no dir", "<title>", "description", "canonical", "no quick exit", `id "x" is used 2 times`}},
		{name: "wrong language", file: "nl/a/index.html",
			body: strings.Replace(doc(exit, "nl", "en", "/nl/a/", alts, ""), "dir=ltr", "dir=rtl", 1),
			want: []string{`<html lang="en">, want "nl-BE"`, `<html dir="rtl">, want "ltr"`}},
		{name: "quick exit elsewhere", file: "nl/a/index.html",
			body: doc("https://www.payoke.be/", "nl", "nl-BE", "/nl/a/", alts, ""),
			want: []string{"quick exit must be one"}},
		{name: "long description", file: "nl/a/index.html",
			body: strings.Replace(doc(exit, "nl", "nl-BE", "/nl/a/", alts, ""), `content="D"`, `content="`+strings.Repeat("é", 161)+`"`, 1),
			want: []string{"161 characters"}},
		{name: "hreflang not reciprocal", file: "en/a/index.html",
			body: doc(exit, "en", "en", "/en/a/", `<link rel=alternate hreflang=en href=https://www.payoke.be/en/a/><link rel=alternate hreflang=fr-BE href=https://www.payoke.be/fr/b/><link rel=alternate hreflang=x-default href=https://www.payoke.be/en/a/>`, ""),
			want: []string{"not reciprocal", "hreflang=\"fr-BE\" links to /fr/b/: no such file", "/en/a/ (en/a/index.html) has no nl translation"}},
		{name: "no 404 page", file: "fr/404.html",
			want: []string{"/fr/404.html is missing"}},
		{name: "sitemap index without a language", file: "sitemap.xml",
			body: strings.Replace(index, "https://www.payoke.be/xx/sitemap.xml", "https://www.payoke.be/yy/sitemap.xml", 1),
			want: []string{"/sitemap.xml does not list /xx/sitemap.xml"}},
		{name: "sitemap disagrees with the page", file: "fr/sitemap.xml",
			body: strings.Replace(sitemap("fr"), "https://www.payoke.be/en/a/", "https://www.payoke.be/en/b/", 1),
			want: []string{"/fr/sitemap.xml: /fr/a/ has the alternate en=https://www.payoke.be/en/b/, but its <head> has en=\"https://www.payoke.be/en/a/\""}},
		{name: "sitemap lists a missing page", file: "xx/sitemap.xml",
			body: `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://www.payoke.be/xx/b/</loc></url></urlset>`,
			want: []string{"/xx/sitemap.xml lists /xx/b/: no such file"}},
		{name: "robots shut out", file: "robots.txt", body: "User-agent: *\nDisallow: /\n",
			want: []string{"disallows the whole site", "should name the sitemap index"}},
		{name: "broken links", file: "nl/a/index.html",
			body: doc(exit, "nl", "nl-BE", "/nl/a/", alts, `<a href=/nl/b/>b</a><a href=/nl/a>a</a><a href=/en/a/#nope>x</a><a href="javascript:void(0)">js</a><img src=/nl/a/q.png alt=Q width=1 height=1>`),
			want: []string{"/nl/b/\">: no such file", "add a trailing slash", `no element with id "nope"`, "javascript: URLs are not allowed", `q.png">: no such file`}},
		{name: "other origins", file: "nl/a/index.html",
			body: doc(exit, "nl", "nl-BE", "/nl/a/", alts+`<link rel=stylesheet href=https://fonts.googleapis.com/css><link rel=preconnect href=https://cdn.example>`, `<script src=https://cdn.example/x.js></script><iframe src=https://www.youtube.com/embed/x></iframe><form action=https://forms.example/post></form>`),
			want: []string{"fonts.googleapis.com/css, another origin", "<link href> loads https://cdn.example", "<script src> loads", "<iframe src> loads", "sends the form to https://forms.example"}},
		{name: "css from elsewhere", file: "main.css",
			body: `@font-face{src:url("https://fonts.gstatic.com/a.woff2")}@import 'https://cdn.example/x.css';a{background:url(data:image/png;base64,AAAA)}b{background:url(/missing.png)}`,
			want: []string{"fonts.gstatic.com", "cdn.example", "data: URL", "/missing.png): no such file"}},
		{name: "inline code", file: "nl/a/index.html",
			body: doc(exit, "nl", "nl-BE", "/nl/a/", alts+`<style>p{}</style>`, `<script>alert(1)</script><script type=application/ld+json>{}</script><p style="color:red" onclick="x()">p</p>`),
			want: []string{"inline <script>", "<style> element", "<p style=", "<p onclick="}},
		{name: "alt text", file: "nl/a/index.html",
			body: doc(exit, "nl", "nl-BE", "/nl/a/", alts, `<img src=/nl/a/p.png width=20 height=10><img src=/nl/a/p.png alt="" width=20 height=10 loading=lazy><img src=/nl/a/p.png alt="" aria-hidden=true width=20 height=10 loading=lazy>`),
			want: []string{"has no alt attribute", "has an empty alt"}},
		{name: "heavy images", file: "nl/a/index.html",
			body: doc(exit, "nl", "nl-BE", "/nl/a/", alts, picture+`<img src=/nl/a/p.png alt=B>`+`<picture><source srcset=/nl/a/p.webp type=image/webp><img src=/nl/a/p.png alt=C width=20 height=20 loading=lazy></picture><img src=/nl/a/p.webp alt=D width=20 height=10 loading=lazy>`),
			want: []string{"needs width and height", `is not the first image: give it loading="lazy"`, "must sit in a <picture>", "says 20×20, but the file is 20×10", "p.webp\">: use a JPEG"}},
		{name: "heavy home page", file: "nl/index.html",
			body: doc(exit, "nl", "nl-BE", "/nl/", "", `<a class=help-link href=/nl/a/>help</a><p>`+string(noise)+`</p>`),
			want: []string{"over its budget of 14336 for a home page"}},
		{name: "heavy script", file: "main.js", body: string(noise),
			want: []string{"bytes of JavaScript gzipped [main.js], over the 5120-byte budget"}},
		{name: "blocking script", file: "nl/a/index.html",
			body: doc(exit, "nl", "nl-BE", "/nl/a/", alts+`<script src=/main.js></script>`, ""),
			want: []string{`<script src="/main.js"> blocks the first render`}},
		{name: "heavy help-language page", file: "xx/index.html",
			body: strings.Replace(doc(exit, "xx", "xx", "/xx/", "", "<p>"+string(noise)+"</p>"), "dir=ltr", "dir=rtl", 1),
			want: []string{"over its budget of 14336 for a help language page"}},
		{name: "help-language page left to right", file: "xx/index.html",
			body: doc(exit, "xx", "xx", "/xx/", "", ""),
			want: []string{`<html dir="ltr">, want "rtl"`}},
		{name: "heavy get-help page", file: "nl/a/index.html",
			body: doc(exit, "nl", "nl-BE", "/nl/a/", alts, "<p>"+string(noise)+"</p>"),
			want: []string{"over its budget of 14336 for a get help page"}},
		{name: "no help links", file: "nl/index.html",
			body: doc(exit, "nl", "nl-BE", "/nl/", "", ""),
			want: []string{`/nl/ has no <a class="help-link">`}},
		{name: "broken redirect", file: "nl/old/index.html",
			body: `<!doctype html><html><head><meta http-equiv=refresh content="0; url=/nl/gone/"></head></html>`,
			want: []string{"redirect page has no <html lang>", "noindex", "redirects to /nl/gone/: no such file"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := clean(t)
			files[c.file] = c.body
			if c.body == "" {
				delete(files, c.file)
			}
			s := fakeSite(t, files)
			got := all(s)
			for _, w := range c.want {
				found := false
				for _, g := range got {
					found = found || strings.Contains(g, w)
				}
				if !found {
					t.Errorf("no problem mentions %q; got:\n%s", w, strings.Join(got, "\n"))
				}
			}
		})
	}
}
