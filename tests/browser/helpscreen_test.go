package browser

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/payoke/site/internal/siteconfig"
)

// helpScreen is what testHelpFirstScreen measures on a help page.
type helpScreen struct {
	Phone, Emergency seen // the first tel: links to Payoke and to 112 in main
	Form             struct {
		Found        bool
		Method, Path string
		Lang         string // the value of its lang field
	}
	Safe []string // links in main to a browse-safely page (their paths), in order
}

// helpScreenJS measures the help page shown; %q are the two tel: hrefs and
// the JSON list of browse-safely paths.
const helpScreenJS = `(() => {` + visibleJS + `
  scrollTo(0, 0);
  const main = document.querySelector("main#main");
  const first = (href) => main && main.querySelector('a[href="' + href + '"]');
  const form = document.querySelector('form.contact-form');
  const safe = new Set(%s);
  return {
    Phone: seen(first(%q), {details: true}),
    Emergency: seen(first(%q), {details: true}),
    Form: form ? {Found: true, Method: form.method, Path: new URL(form.action).pathname, Lang: (form.elements.lang || {}).value || ""} : {Found: false},
    Safe: main ? [...main.querySelectorAll("a[href]")].map((a) => new URL(a.href)).filter((u) => u.origin === location.origin && safe.has(u.pathname)).map((u) => u.pathname) : [],
  };
})()`

// testHelpFirstScreen opens each of the 17 help pages on a 390×844 phone,
// with JavaScript on and off: the first links in main that call Payoke and
// 112 show on the first screen; a help-only page has the contact form in
// its language; every help page links to a page on browsing safely, which
// opens (followed with JavaScript on).
func (s *suite) testHelpFirstScreen(t *testing.T) {
	cfg := siteConfig(t)
	pages, helpOnly := s.helpPages(t, cfg)
	safe := s.browseSafelyPages(t, cfg)
	phoneHref := "tel:" + cfg.Params.Organisation.PhoneLink
	emergencyHref := "tel:" + cfg.Params.Organisation.Emergency
	js := fmt.Sprintf(helpScreenJS, jsonList(safe), phoneHref, emergencyHref)
	var mu sync.Mutex
	tops := map[string][2]float64{} // page → top of the first Payoke tel: link, JS on and off (-1: none)
	s.each(t, pages, func(t *testing.T, tb *tab, i int) {
		path := pages[i]
		for j, v := range []view{phone390, without(phone390)} {
			tb.setView(v)
			tb.open(path)
			got := eval[helpScreen](tb, js)
			mu.Lock()
			top := tops[path]
			top[j] = -1
			if got.Phone.Found {
				top[j] = got.Phone.Top
			}
			tops[path] = top
			mu.Unlock()
			for _, l := range []struct {
				name string
				href string
				seen seen
			}{{"Payoke's number", phoneHref, got.Phone}, {"the emergency number", emergencyHref, got.Emergency}} {
				switch {
				case !l.seen.Found:
					t.Errorf("%s at %s: no link to %s (a[href=%q]) in main", path, v, l.name, l.href)
				case l.seen.Bottom > float64(v.Height)+0.5:
					t.Errorf("%s at %s: the first link to %s (%s) ends %.0f px down the page, below the first screen (%d px)", path, v, l.name, l.href, l.seen.Bottom, v.Height)
				case l.seen.Why != "":
					t.Errorf("%s at %s: the first link to %s (%s) is not visible: %s", path, v, l.name, l.href, l.seen.Why)
				}
			}
			if helpOnly[path] {
				lang := langOf(path)
				f := got.Form
				if !f.Found || f.Method != "post" || f.Path != "/api/contact" || f.Lang != lang {
					t.Errorf("%s at %s: want form.contact-form posting lang=%s to /api/contact; found %+v", path, v, lang, f)
				}
			}
			if len(got.Safe) == 0 {
				t.Errorf("%s at %s: main has no link to a page on browsing safely (%s)", path, v, strings.Join(safe, ", "))
				continue
			}
			if v.NoJS {
				continue // a plain link: the JS-on press shows it leads there
			}
			want := got.Safe[0]
			tb.follow("following the link to "+want, chromedp.Click(chromedp.JSPath(fmt.Sprintf(`[...document.querySelectorAll("main#main a[href]")].find((a) => new URL(a.href).pathname === %q)`, want))))
			loc := tb.waitLocation("after following the link to "+want, func(l string) bool { return pathOf(l) != path })
			status := eval[int](tb, `performance.getEntriesByType("navigation")[0]?.responseStatus || 0`)
			if pathOf(loc) != want || status != 200 {
				t.Errorf("%s at %s: the link to %s led to %s, status %d; want %s with 200", path, v, want, loc, status, want)
			}
		}
	})
	var b strings.Builder
	fmt.Fprintf(&b, "top of the first a[href=%q] in main at %dx%d, at scroll 0 (px; the screen is %d px high):\n", phoneHref, phone390.Width, phone390.Height, phone390.Height)
	fmt.Fprintf(&b, "\t%-28s %8s %8s\n", "help page", "JS on", "JS off")
	for _, p := range pages {
		top, ok := tops[p]
		cell := func(v float64) string {
			if !ok || v < 0 {
				return "none"
			}
			return fmt.Sprintf("%.0f", v)
		}
		fmt.Fprintf(&b, "\t%-28s %8s %8s\n", p, cell(top[0]), cell(top[1]))
	}
	t.Log(b.String())
}

// browseSafelyPages are /nl/veilig-surfen/ and its translations in the
// other site languages (its rel=alternate links).
func (s *suite) browseSafelyPages(t *testing.T, cfg *siteconfig.Config) []string {
	t.Helper()
	tb := s.openTab(t, desktop)
	defer tb.close()
	const nl = "/nl/veilig-surfen/"
	tb.open(nl)
	alts := eval[[]string](tb, `[...document.querySelectorAll("link[rel=alternate][hreflang]")].map((l) => new URL(l.href).pathname)`)
	out := []string{nl}
	for _, a := range alts {
		if cfg.IsSiteLanguage(langOf(a)) && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	if len(out) < 2 {
		t.Errorf("%s names no translation (rel=alternate: %q)", nl, alts)
	}
	return out
}

// jsonList writes strings as a JavaScript array literal.
func jsonList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
