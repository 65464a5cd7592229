package browser

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// testLanguageSwitcher follows every link of the language switcher on every
// page, with JavaScript on and off: each must land on a page in that
// language that names the first page as its translation.
func (s *suite) testLanguageSwitcher(t *testing.T, pages []string) {
	s.each(t, pages, func(t *testing.T, tb *tab, i int) {
		for _, v := range []view{desktop, {Width: 360, Height: 640, Scale: 2, Mobile: true, NoJS: true}} {
			tb.setView(v)
			s.switchLanguages(t, tb, pages[i])
		}
	})
}

type switchLink struct {
	Href, Hreflang string
}

func (s *suite) switchLanguages(t *testing.T, tb *tab, path string) {
	v := tb.view
	tb.open(path)
	from := eval[string](tb, `document.documentElement.lang`)
	links := eval[[]switchLink](tb, `[...document.querySelectorAll(".language-switcher a[hreflang]")].map((a) => ({Href: a.href, Hreflang: a.hreflang}))`)
	if len(links) < 2 {
		t.Errorf("%s: the language switcher has %d links (%v), want one for each other site language", path, len(links), links)
	}
	for i, l := range links {
		if i > 0 {
			tb.open(path)
		}
		tb.follow("choosing "+l.Hreflang, chromedp.Click(chromedp.CSS(`.language-switcher a[hreflang="`+l.Hreflang+`"]`)))
		loc := tb.waitLocation("after choosing "+l.Hreflang, func(u string) bool { return u != tb.url(path) })
		got := eval[struct {
			Lang string
			Alt  []string
		}](tb, `({Lang: document.documentElement.lang, Alt: [...document.querySelectorAll('link[rel=alternate][hreflang="`+from+`"]')].map((a) => a.href)})`)
		if got.Lang != l.Hreflang {
			t.Errorf("%s → %s (%s): landed on %s in %q", path, l.Hreflang, v, loc, got.Lang)
		}
		back := false
		for _, a := range got.Alt {
			if u, err := url.Parse(a); err == nil && u.Path == path {
				back = true
			}
		}
		if !back {
			t.Errorf("%s → %s (%s): landed on %s, which is not its translation (its %s version is %s)", path, l.Hreflang, v, loc, from, strings.Join(got.Alt, ", "))
		}
	}
	_, failures, console, _ := tb.recorded()
	if len(failures)+len(console) > 0 {
		t.Errorf("%s: %q %q", path, failures, console)
	}
}
