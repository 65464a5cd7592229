package web_test

import (
	"strings"
	"testing"
	"testing/fstest"

	site "github.com/payoke/site"
	"github.com/payoke/site/internal/siteconfig"
	"github.com/payoke/site/internal/web"
)

// The embedded pages are those the functions link to, at the addresses
// their front matter gives, in every site language.
func TestSitePages(t *testing.T) {
	cfg, err := siteconfig.Load(site.Files)
	if err != nil {
		t.Fatal(err)
	}
	p := web.SitePages()
	keys := []string{web.PageSupport, web.PageDonateThanks, web.PageManageGiftSent, web.PageContact, web.PageContactThanks}
	if err := p.Require(cfg.SiteLanguages(), keys...); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ lang, key, want string }{
		{"nl", web.PageSupport, "/nl/steun-ons/"},
		{"fr", web.PageDonateThanks, "/fr/soutenez-nous/merci/"},
		{"en", web.PageManageGiftSent, "/en/support-us/check-your-mailbox/"},
		{"en", web.PageContactThanks, "/en/contact/thank-you/"},
	} {
		if got, ok := web.PagePath(c.lang, c.key); !ok || got != c.want {
			t.Errorf("PagePath(%s, %s) = %q, %v; want %q", c.lang, c.key, got, ok, c.want)
		}
	}
	if got, ok := web.PagePath("ar", web.PageSupport); ok {
		t.Errorf("a help-only language has a donate page %q", got)
	}
	if got := p.Home("ar"); got != "/ar/" {
		t.Errorf("Home(ar) = %q", got)
	}
}

// A page a function needs that is missing fails loudly, naming the file.
func TestPagesRequireNamesTheFile(t *testing.T) {
	cfgFile, err := site.Files.ReadFile("config.toml")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"config.toml":           {Data: cfgFile},
		"content/nl/support.md": {Data: []byte("---\ntitle: Steun ons\ntranslationKey: support\nurl: \"/nl/steun/\" # quoted\n---\n\nurl: /not/front/matter/\n")},
		"content/nl/news/x.md":  {Data: []byte("---\ntitle: x\n---\n")},
	}
	cfg, err := siteconfig.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	p, err := web.LoadPages(fsys, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := p.Path("nl", web.PageSupport); !ok || got != "/nl/steun/" {
		t.Errorf("Path(nl, support) = %q, %v", got, ok)
	}
	err = p.Require([]string{"nl", "fr"}, web.PageSupport)
	if err == nil || !strings.Contains(err.Error(), "content/fr/support.md") || strings.Contains(err.Error(), "content/nl/") {
		t.Errorf("Require: %v; want only content/fr/support.md named", err)
	}

	fsys["content/nl/other.md"] = &fstest.MapFile{Data: []byte("---\ntranslationKey: support\nurl: /nl/other/\n---\n")}
	if _, err := web.LoadPages(fsys, cfg); err == nil || !strings.Contains(err.Error(), "content/nl/other.md") {
		t.Errorf("two pages with one translationKey: %v", err)
	}
}
