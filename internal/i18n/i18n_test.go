package i18n_test

import (
	"testing"

	site "github.com/payoke/site"
	"github.com/payoke/site/internal/i18n"
)

func TestCatalogReadsHugoFiles(t *testing.T) {
	c, err := i18n.Load(site.Files, "nl")
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{
		"nl": "In gevaar? Bel meteen 112.",
		"en": "In danger? Call 112 now.",
		"fr": "En danger ? Appelez tout de suite le 112.",
	} {
		got, err := c.T(lang, "emergency", map[string]any{"Number": "112"})
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		if got != want {
			t.Errorf("%s: got %q, want %q", lang, got, want)
		}
	}
	if _, err := c.T("nl", "no_such_key", nil); err == nil {
		t.Error("want an error for a missing key")
	}
}

func TestLoadOnlySomeLanguages(t *testing.T) {
	c, err := i18n.Load(site.Files, "nl", "nl", "en")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.T("en", "emergency", map[string]any{"Number": "112"}); err != nil {
		t.Errorf("en was asked for: %v", err)
	}
	if _, err := c.T("fr", "emergency", map[string]any{"Number": "112"}); err == nil {
		t.Error("fr was not asked for, yet it has strings")
	}
	if _, err := i18n.Load(site.Files, "nl", "xx"); err == nil {
		t.Error("want an error for a language without a file")
	}
}
