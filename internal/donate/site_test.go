package donate_test

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/payoke/site/internal/donation"
	"github.com/payoke/site/internal/testutil"
	"github.com/payoke/site/internal/web"
	"github.com/payoke/site/internal/web/webtest"
)

// TestSiteHasTheFormAndThePages reads the site as the pinned Hugo builds it
// (no warnings allowed) and checks what the function relies on: the donate
// and thank-you pages at the paths it redirects to, and the same amounts.
func TestSiteHasTheFormAndThePages(t *testing.T) {
	t.Parallel()
	dest := webtest.Built(t)
	cfg, _ := loadSite(t)
	for _, lang := range cfg.SiteLanguages() {
		support := webtest.Page(t, dest, webtest.Path(lang, web.PageSupport))
		testutil.WantIn(t, "support page", support, `<form class="form donate-form" method=post action=/api/donate`,
			`name=lang value=`+lang+`>`, `name=amount_other inputmode=decimal`, `name=frequency value=monthly`,
			"Stripe", "Bancontact", "SEPA", "iDEAL")
		for _, p := range cfg.Params.Donation.Presets {
			testutil.WantIn(t, "support page", support, "value="+strconv.Itoa(p)+"> "+donation.FormatEuro(lang, int64(p)*100)+"</label>")
		}
		thanks := webtest.Page(t, dest, webtest.Path(lang, web.PageDonateThanks))
		testutil.WantIn(t, "thank-you page", thanks, `class=donate-manage`, cfg.Params.Organisation.Phone)
		webtest.WantUnlisted(t, dest, lang, webtest.Path(lang, web.PageDonateThanks))
	}
	// The answer page links the site's stylesheet, and it knows its classes.
	css := webtest.Stylesheet(t, dest)
	h, _ := withMock(t)
	page := post(h, url.Values{"amount_other": {"abc"}, "frequency": {"once"}, "lang": {"en"}}).Body.String()
	webtest.WantStyled(t, css, page)
}
