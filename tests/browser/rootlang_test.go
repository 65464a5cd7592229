package browser

import (
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// rootLanguages are browsers' Accept-Language headers and the page that /
// must send each to: a site language to its home page, a help-only
// language to its help page, anything else to Dutch. Netlify and
// `payoke serve` go by the first language listed.
var rootLanguages = []struct{ accept, want string }{
	{"ro-RO,ro;q=0.9,en;q=0.5", "/ro/"},
	{"ar", "/ar/"},
	{"fr-BE,fr;q=0.9", "/fr/"},
	{"en-GB", "/en/"},
	{"nl-BE", "/nl/"},
	{"de-DE,de;q=0.9", "/nl/"},
	{"zh-CN", "/zh/"},
}

// testRootLanguage opens / in a browser set to each language (with
// JavaScript on at a desktop, off on a phone) and expects its page.
func (s *suite) testRootLanguage(t *testing.T) {
	for _, c := range rootLanguages {
		for _, v := range []view{desktop, without(phone390)} {
			t.Run(c.accept+" "+v.String(), func(t *testing.T) {
				t.Parallel()
				tb := s.openTab(t, v)
				if _, err := chromedp.Call(tb.ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
					Headers: network.Headers{"Accept-Language": c.accept},
				}); err != nil {
					t.Fatalf("setting Accept-Language: %v", err)
				}
				tb.open("/")
				loc := tb.waitLocation("after opening /", func(l string) bool { return l != tb.url("/") })
				if loc != tb.url(c.want) {
					t.Errorf("/ with Accept-Language %q (%s) lands on %s, want %s (redirects: %q)", c.accept, v, loc, tb.url(c.want), tb.redirected())
				}
			})
		}
	}
}
