package browser

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"
)

// professionalPages is the page for professionals in each site language.
var professionalPages = map[string]string{
	"nl": "/nl/voor-professionals/",
	"en": "/en/professionals/",
	"fr": "/fr/professionnels/",
}

// fortyFiveDays is how each language writes the 45-day reflection period.
var fortyFiveDays = regexp.MustCompile(`(?i)\b45[\s\x{00a0}\x{202f}-]*(dagen|days?|jours)\b`)

// testProfessional reaches the professionals' page from each home page, by
// the main menu (opened first on a phone) and by a link in main, on a phone
// and a desktop with JavaScript on and off; the page has a title and
// speaks of the 45 days.
func (s *suite) testProfessional(t *testing.T) {
	for _, lang := range []string{"nl", "en", "fr"} {
		for _, v := range []view{phone390, without(phone390), desktop, without(desktop)} {
			t.Run(lang+" "+v.String(), func(t *testing.T) {
				t.Parallel()
				tb := s.openTab(t, v)
				home, want := "/"+lang+"/", professionalPages[lang]
				find := func(scope string) string {
					return fmt.Sprintf(`[...document.querySelectorAll(%q)].find((a) => new URL(a.href).pathname === %q)`, scope, want)
				}
				routes := []struct {
					name, link string
					fold       bool // on a phone, the menu opens first
				}{
					{"the main menu", find("header.site-header nav.main-nav a[href]"), true},
					{"the home page's main", find("main#main a[href]"), false},
				}
				for _, r := range routes {
					tb.open(home)
					if r.fold && v.Mobile {
						tb.do("opening the menu", chromedp.Click(chromedp.CSS("header.site-header details.site-menu > summary.menu-button")))
					}
					link := eval[seen](tb, `(() => {`+visibleJS+`return seen(`+r.link+`, {anywhere: true}); })()`)
					if !link.Found || link.Why != "" {
						t.Errorf("%s at %s: no visible link to %s in %s: %s", home, v, want, r.name, link)
						continue
					}
					tb.follow("following "+r.name+" to "+want, chromedp.Click(chromedp.JSPath(r.link)))
					loc := tb.waitLocation("after following "+r.name, func(l string) bool { return pathOf(l) != home })
					if pathOf(loc) != want {
						t.Errorf("%s at %s: the link to %s in %s led to %s", home, v, want, r.name, loc)
						continue
					}
					got := eval[struct {
						H1     string
						Main   string
						Status int
					}](tb, `({H1: (document.querySelector("main#main h1") || {}).textContent || "", Main: (document.querySelector("main#main") || {}).innerText || "", Status: performance.getEntriesByType("navigation")[0]?.responseStatus || 0})`)
					if got.Status != 200 {
						t.Errorf("%s at %s: answered %d", want, v, got.Status)
					}
					if got.H1 == "" {
						t.Errorf("%s at %s: main has no h1", want, v)
					}
					if !fortyFiveDays.MatchString(got.Main) {
						t.Errorf("%s at %s: the page does not mention the 45 days (%s)", want, v, fortyFiveDays)
					}
				}
			})
		}
	}
}
