package browser

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/payoke/site/internal/web"
	"github.com/payoke/site/internal/web/webtest"
)

// manageForm finds the form "Manage my monthly gift" on the support page or
// on the function's answer page.
const manageForm = `form#manage-gift `

// testManageGift asks for a link to manage a monthly gift from the support
// page in each site language, with JavaScript on and off, and lands on that
// language's "check your mailbox" page (stripe-mock knows no donor, and the
// answer is the same either way); then a bad address comes back with the
// error tied to the field and the text kept, and a forged link gets a page
// that offers the form. axe checks the support pages and the answer pages. Three requests stay
// within the function's limit (5 an hour from one client).
func (s *suite) testManageGift(t *testing.T) {
	for i, lang := range []string{"nl", "en", "fr"} {
		v := desktop
		v.NoJS = i%2 == 1
		t.Run(lang+" "+v.String(), func(t *testing.T) {
			t.Parallel()
			tb := s.openTab(t, v)
			tb.open(webtest.Path(lang, web.PageSupport))
			s.noAxeViolations(t, tb, lang+" support page")
			tb.do("typing an address", chromedp.SendKeys(chromedp.CSS(manageForm+`input[name=email]`), "donor@example.org"))
			tb.reset()
			tb.follow("asking for a link", chromedp.Click(chromedp.CSS(manageForm+`button[type=submit]`)))
			want := tb.url(webtest.Path(lang, web.PageManageGiftSent))
			tb.waitLocation("after asking for a link", func(l string) bool { return l == want })
			found := false
			for _, r := range tb.redirected() {
				found = found || r == "303 "+tb.url("/api/manage-gift")+" → "+want
			}
			if !found {
				t.Errorf("%s: no 303 from /api/manage-gift to %s; redirects %q", lang, want, tb.redirected())
			}
			if _, failures, console, _ := tb.recorded(); len(failures)+len(console) > 0 {
				t.Errorf("%s: %q %q", lang, failures, console)
			}
			tb.close()
		})
	}
	t.Run("bad address and forged link", func(t *testing.T) {
		t.Parallel()
		tb := s.openTab(t, phone)
		tb.open(webtest.Path("fr", web.PageSupport))
		tb.do("typing a bad address", chromedp.SendKeys(chromedp.CSS(manageForm+`input[name=email]`), "donor@"))
		tb.follow("sending a bad address", chromedp.Click(chromedp.CSS(manageForm+`button[type=submit]`)))
		tb.waitLocation("after sending a bad address", func(l string) bool { return strings.HasSuffix(l, "/api/manage-gift") })
		got := eval[struct{ Lang, Value, Error string }](tb, `(() => {
			const input = document.querySelector("#manage-gift input[name=email]");
			const err = document.getElementById((input.getAttribute("aria-describedby") || "").trim());
			return { Lang: document.documentElement.lang, Value: input.value, Error: err ? err.textContent.trim() : "" };
		})()`)
		if !strings.HasPrefix(got.Lang, "fr") || got.Value != "donor@" || !strings.Contains(got.Error, "nom@exemple.be") {
			t.Errorf("bad address page: %+v", got)
		}
		s.noAxeViolations(t, tb, "bad address page")
		tb.do("opening a forged link", chromedp.Navigate(tb.url("/api/manage-gift")+"?t=v1.cus_forged.nl.9999999999.AAAA"))
		if h1 := eval[string](tb, `document.querySelector("h1").textContent`); h1 == "" || eval[int](tb, `document.querySelectorAll("#manage-gift input[name=email]").length`) != 1 {
			t.Errorf("forged link page: h1 %q, no e-mail field", h1)
		}
		s.noAxeViolations(t, tb, "forged link page")
		tb.close()
	})
}

func (s *suite) noAxeViolations(t *testing.T, tb *tab, where string) {
	t.Helper()
	for _, v := range s.axeViolations(tb) {
		for _, n := range v.Nodes {
			t.Errorf("%s: axe %s at %s: %s", where, v.ID, n.Target, v.Help)
		}
	}
}
