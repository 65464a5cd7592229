package browser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/payoke/site/internal/web"
	"github.com/payoke/site/internal/web/webtest"
)

// checkout is where stripe-mock's sessions send the donor; the tab answers
// it with a blank page, so the test sees the navigation and nothing leaves.
const checkout = "https://checkout.stripe.com/"

// testDonate gives once and monthly, a preset and a typed amount, with
// JavaScript on and off, in turn in each site language, up to the 303 to
// Checkout; then a bad amount in each language.
func (s *suite) testDonate(t *testing.T) {
	langs := []string{"nl", "en", "fr"}
	i := 0
	for _, noJS := range []bool{false, true} {
		for _, frequency := range []string{"once", "monthly"} {
			for _, typed := range []string{"", "37,50"} {
				lang := langs[i%len(langs)]
				i++
				v := desktop
				v.NoJS = noJS
				amount := "preset"
				if typed != "" {
					amount = typed
				}
				t.Run(fmt.Sprintf("%s %s %s %s", lang, frequency, amount, v), func(t *testing.T) {
					t.Parallel()
					s.giveOnce(t, v, lang, frequency, typed)
				})
			}
		}
	}
	for _, noJS := range []bool{false, true} {
		v := desktop
		v.NoJS = noJS
		t.Run("bad amount "+v.String(), func(t *testing.T) {
			t.Parallel()
			s.badAmount(t, v, langs)
		})
	}
}

// giveOnce fills the donation form and sends it; typed "" picks the first preset.
func (s *suite) giveOnce(t *testing.T, v view, lang, frequency, typed string) {
	tb := s.openTab(t, v)
	page := webtest.Path(lang, web.PageSupport)
	tb.open(page)
	form := "form.donate-form "
	if typed == "" {
		tb.do("choosing a preset", chromedp.Click(chromedp.CSS(form+`input[name=amount]:not([value=other])`)))
	} else {
		tb.do("typing an amount",
			chromedp.Click(chromedp.CSS(form+`input[name=amount][value=other]`)),
			chromedp.SendKeys(chromedp.CSS(form+`input[name=amount_other]`), typed))
	}
	tb.do("choosing "+frequency, chromedp.Click(chromedp.CSS(form+`input[name=frequency][value=`+frequency+`]`)))
	if !v.NoJS {
		// donate.js names the gift on the button.
		label := eval[string](tb, `document.querySelector("form.donate-form button[type=submit]").textContent`)
		want, _, _ := strings.Cut(typed, ",")
		if typed == "" {
			want = eval[string](tb, `document.querySelector("form.donate-form input[name=amount]:checked").value`)
		}
		if !strings.Contains(label, want) {
			t.Errorf("%s: the button says %q, want the amount %s in it", page, label, want)
		}
	}
	tb.reset()
	tb.follow("sending the form", chromedp.Click(chromedp.CSS(form+`button[type=submit]`)))
	loc := tb.waitLocation("after sending the donation form", func(l string) bool { return strings.HasPrefix(l, checkout) })
	found := false
	for _, r := range tb.redirected() {
		if strings.HasPrefix(r, "303 "+tb.url("/api/donate")+" → "+checkout) {
			found = true
		}
	}
	if !found {
		t.Errorf("%s: no 303 from /api/donate to Checkout; redirects: %q", page, tb.redirected())
	}
	_, failures, console, _ := tb.recorded()
	if len(failures)+len(console) > 0 {
		t.Errorf("%s: on the way to %s: %q %q", page, loc, failures, console)
	}
}

// badAmount sends an amount that is not one, in each language, and expects
// the localized error beside the field with the text still in it.
func (s *suite) badAmount(t *testing.T, v view, langs []string) {
	messages := map[string]string{}
	for _, lang := range langs {
		tb := s.openTab(t, v)
		page := webtest.Path(lang, web.PageSupport)
		tb.open(page)
		tb.do("typing a bad amount",
			chromedp.Click(chromedp.CSS(`form.donate-form input[name=amount][value=other]`)),
			chromedp.SendKeys(chromedp.CSS(`form.donate-form input[name=amount_other]`), "abc"))
		tb.follow("sending a bad amount", chromedp.Click(chromedp.CSS(`form.donate-form button[type=submit]`)))
		tb.waitLocation("after sending a bad amount", func(l string) bool { return strings.HasSuffix(l, "/api/donate") })
		got := eval[struct {
			Lang, Error, Value, DescribedBy string
		}](tb, `(() => {
			const input = document.querySelector("input[name=amount_other]");
			const ids = (input.getAttribute("aria-describedby") || "").split(/\s+/);
			const err = ids.map((id) => document.getElementById(id)).find((el) => el && el.textContent.trim() && /error/.test(el.id + el.className));
			return { Lang: document.documentElement.lang, Error: err ? err.textContent.trim() : "", Value: input.value, DescribedBy: ids.join(" ") };
		})()`)
		if !strings.HasPrefix(got.Lang, lang) {
			t.Errorf("%s: the error page is in %q", lang, got.Lang)
		}
		if got.Error == "" {
			t.Errorf("%s: no error message tied to the amount field (aria-describedby %q)", lang, got.DescribedBy)
		}
		if got.Value != "abc" {
			t.Errorf("%s: the amount field holds %q, want what was typed, %q", lang, got.Value, "abc")
		}
		for other, msg := range messages {
			if msg == got.Error {
				t.Errorf("%s and %s show the same message %q: not localized", lang, other, msg)
			}
		}
		messages[lang] = got.Error
		for _, v := range s.axeViolations(tb) {
			for _, n := range v.Nodes {
				t.Errorf("%s error page: axe %s at %s: %s", lang, v.ID, n.Target, v.Help)
			}
		}
		tb.close()
	}
}
