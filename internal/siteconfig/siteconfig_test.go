package siteconfig_test

import (
	"strings"
	"testing"
	"testing/fstest"

	site "github.com/payoke/site"
	"github.com/payoke/site/internal/siteconfig"
)

func TestLoadRealConfig(t *testing.T) {
	c, err := siteconfig.Load(site.Files)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.SiteLanguages(); len(got) < 3 || got[0] != "nl" || got[1] != "en" || got[2] != "fr" {
		t.Errorf("site languages = %v, want nl, en, fr first", got)
	}
	for _, l := range c.Languages {
		if l.ContentDir != "content/"+l.Lang {
			t.Errorf("%s: content folder %q, want content/%s", l.Lang, l.ContentDir, l.Lang)
		}
	}
	if c.Params.Organisation.Phone != "+32 3 201 16 90" {
		t.Errorf("phone = %q", c.Params.Organisation.Phone)
	}
	if len(c.Params.Donation.Presets) == 0 {
		t.Error("no donation presets")
	}
}

// configWith is a minimal valid config.toml with the given [params.donation] lines.
func configWith(donation string) fstest.MapFS {
	if !strings.Contains(donation, "manageLinkHours") {
		donation += "\nmanageLinkHours = 4"
	}
	return fstest.MapFS{"config.toml": {Data: []byte(`
baseURL = "https://example.org/"
defaultContentLanguage = "nl"
[params.organisation]
name = "x"
phone = "1"
email = "a@b"
opens = "09:00"
closes = "17:00"
[params.donation]
currency = "EUR"
` + donation + `
[languages.nl]
weight = 1
`)}}
}

func TestLoadRejectsBadDonationRange(t *testing.T) {
	if _, err := siteconfig.Load(configWith("minimum = 5\nmaximum = 10")); err != nil {
		t.Fatalf("a valid range is refused: %v", err)
	}
	if _, err := siteconfig.Load(configWith("minimum = 100\nmaximum = 10")); err == nil {
		t.Fatal("want an error for minimum > maximum")
	}
}

func TestLoadRejectsLinksThatLiveTooLong(t *testing.T) {
	for hours, ok := range map[string]bool{"1": true, "24": true, "0": false, "25": false, "-4": false} {
		_, err := siteconfig.Load(configWith("minimum = 5\nmaximum = 10\nmanageLinkHours = " + hours))
		if (err == nil) != ok {
			t.Errorf("manageLinkHours = %s: error %v", hours, err)
		}
	}
}

func TestEnterpriseNumberProblem(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"0123.456.749", "0123456749", "1000.000.021", "1000000021", "0000.000.097"} {
		if p := siteconfig.EnterpriseNumberProblem(ok); p != "" {
			t.Errorf("%q: %s, want valid", ok, p)
		}
	}
	for number, want := range map[string]string{
		"0123.456.748":    "should be 49",
		"0123456750":      "should be 49",
		"1000.000.012":    "should be 21",
		"123.456.749":     "not written like",
		"01234567490":     "not written like",
		"2123.456.749":    "not written like",
		"BE 0123.456.749": "not written like",
		"0123 456 749":    "not written like",
		"0123.456749":     "not written like",
		"0123-456-749":    "not written like",
		"0123.456.7a9":    "not written like",
	} {
		if p := siteconfig.EnterpriseNumberProblem(number); !strings.Contains(p, want) {
			t.Errorf("%q: %q, want a problem mentioning %q", number, p, want)
		}
	}
}
