package managegift_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/payoke/site/internal/managegift/giftlink"
	"github.com/payoke/site/internal/stripestandin"
	"github.com/payoke/site/internal/testutil"
	"github.com/payoke/site/internal/web"
	"github.com/payoke/site/internal/web/webtest"
)

// TestSiteHasTheFormAndThePages reads the site as the pinned Hugo builds it
// and checks what the function relies on: the form on each support page (as
// the answer page shows it again), the "check your mailbox" page at
// its front matter's url (web.PageManageGiftSent), the link to the form from the donate form and the thank-you
// page, and the link's lifetime as params.donation.manageLinkHours says it.
func TestSiteHasTheFormAndThePages(t *testing.T) {
	t.Parallel()
	dest := webtest.Built(t)
	cfg, cat, err := web.LoadSite()
	if err != nil {
		t.Fatal(err)
	}
	hours := map[string]any{"Hours": cfg.Params.Donation.ManageLinkHours}
	for _, lang := range cfg.SiteLanguages() {
		intro, _ := cat.T(lang, "manage_gift_intro", hours)
		support := webtest.Page(t, dest, webtest.Path(lang, web.PageSupport))
		testutil.WantIn(t, lang+" support page", support, `<form class=form id=manage-gift method=post action=/api/manage-gift novalidate>`,
			`<input type=email id=manage-gift-email name=email maxlength=254 autocomplete=email spellcheck=false>`,
			`<input type=hidden name=lang value=`+lang+`>`, intro, `href=`+(webtest.Path(lang, web.PageSupport)+"#manage-gift"))
		thanks := webtest.Page(t, dest, webtest.Path(lang, web.PageDonateThanks))
		testutil.WantIn(t, lang+" thank-you page", thanks, `href=`+(webtest.Path(lang, web.PageSupport)+"#manage-gift"))
		sent := webtest.Page(t, dest, webtest.Path(lang, web.PageManageGiftSent))
		testutil.WantIn(t, lang+" sent page", sent, cfg.Params.Organisation.Phone, `href=`+(webtest.Path(lang, web.PageSupport)+"#manage-gift"), "4")
		webtest.WantUnlisted(t, dest, lang, webtest.Path(lang, web.PageManageGiftSent))
	}
	// The answer page links the site's stylesheet, and it knows its classes.
	css := webtest.Stylesheet(t, dest)
	f := setup(t, stripestandin.NewBilling(t).URL)
	w := f.post(url.Values{"email": {"not an address"}, "lang": {"en"}})
	tok, _ := giftlink.New(secret, lifetime)
	expired, _ := tok.URL(siteURL, "cus_A", "en", time.Now().Add(-lifetime))
	for _, p := range []string{w.Body.String(), f.get(strings.TrimPrefix(expired, siteURL)).Body.String()} {
		webtest.WantStyled(t, css, p)
	}
}
