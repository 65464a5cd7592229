package donate_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/payoke/site/internal/donate"
	"github.com/payoke/site/internal/hugobuild"
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
	cfg, _ := strings_(t)
	sitemapText := ""
	for _, lang := range cfg.SiteLanguages() {
		if b, err := os.ReadFile(filepath.Join(dest, lang, "sitemap.xml")); err == nil {
			sitemapText += string(b)
		}
		support := read(t, dest, donate.SupportPath(lang))
		wantIn(t, support, `<form class="form donate-form" method=post action=/api/donate`,
			`name=lang value=`+lang+`>`, `name=amount_other inputmode=decimal`, `name=frequency value=monthly`,
			"Stripe", "Bancontact", "SEPA", "iDEAL")
		for _, p := range cfg.Params.Donation.Presets {
			wantIn(t, support, "value="+strconv.Itoa(p)+"> "+donate.FormatEuro(lang, int64(p)*100)+"</label>")
		}
		thanks := read(t, dest, donate.ThanksPath(lang))
		wantIn(t, thanks, `class=donate-manage`, cfg.Params.Organisation.Phone)
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

func wantIn(t *testing.T, page string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q", s)
		}
	}
}
