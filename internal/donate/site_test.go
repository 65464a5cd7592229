package donate_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/payoke/site/internal/donation"
	"github.com/payoke/site/internal/hugobuild"
	"github.com/payoke/site/internal/testutil"
	"github.com/payoke/site/internal/web"
	"github.com/payoke/site/internal/web/webtest"
)

// TestSiteHasTheFormAndThePages builds the site with the pinned Hugo (no
// warnings allowed) and checks what the function relies on: the donate
// and thank-you pages at the paths it redirects to, and the same amounts.
func TestSiteHasTheFormAndThePages(t *testing.T) {
	t.Parallel()
	root, err := hugobuild.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	dest := t.TempDir()
	if out, err := hugobuild.Build(context.Background(), root, root, dest); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	cfg, _ := loadSite(t)
	sitemapText := ""
	for _, lang := range cfg.SiteLanguages() {
		if b, err := os.ReadFile(filepath.Join(dest, lang, "sitemap.xml")); err == nil {
			sitemapText += string(b)
		}
		support := read(t, dest, webtest.Path(lang, web.PageSupport))
		testutil.WantIn(t, "support page", support, `<form class="form donate-form" method=post action=/api/donate`,
			`name=lang value=`+lang+`>`, `name=amount_other inputmode=decimal`, `name=frequency value=monthly`,
			"Stripe", "Bancontact", "SEPA", "iDEAL")
		for _, p := range cfg.Params.Donation.Presets {
			testutil.WantIn(t, "support page", support, "value="+strconv.Itoa(p)+"> "+donation.FormatEuro(lang, int64(p)*100)+"</label>")
		}
		thanks := read(t, dest, webtest.Path(lang, web.PageDonateThanks))
		testutil.WantIn(t, "thank-you page", thanks, `class=donate-manage`, cfg.Params.Organisation.Phone)
	}
	// The answer page links the site's stylesheet, and it knows its classes.
	css := webtest.Stylesheet(t, dest)
	h, _ := withMock(t)
	page := post(h, url.Values{"amount_other": {"abc"}, "frequency": {"once"}, "lang": {"en"}}).Body.String()
	if !strings.Contains(page, `<link rel="stylesheet" href="`+web.Stylesheet+`">`) {
		t.Errorf("the answer page does not link %s", web.Stylesheet)
	}
	if missing := webtest.MissingClasses(css, page); len(missing) > 0 {
		t.Errorf("the answer page uses classes the stylesheet lacks: %q", missing)
	}
	if strings.Contains(sitemapText, "bedankt") || strings.Contains(sitemapText, "thank-you") || strings.Contains(sitemapText, "/merci/") {
		t.Error("a thank-you page is in a sitemap")
	}
}

func read(t *testing.T, dest, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dest, path, "index.html"))
	if err != nil {
		t.Fatalf("page %s: %v", path, err)
	}
	return string(b)
}
