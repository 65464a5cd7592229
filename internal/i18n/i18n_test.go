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

func TestWithFallback(t *testing.T) {
	c, err := i18n.Load(site.Files, "nl")
	if err != nil {
		t.Fatal(err)
	}
	// A key a help language does not translate: strict says so, the fallback
	// catalog answers in English, not in the default Dutch.
	const id = "donate_button"
	if c.Has("ro", id) {
		t.Skipf("ro translates %s now; pick another key", id)
	}
	if _, err := c.T("ro", id, nil); err == nil {
		t.Error("strict catalog: want an error for a key ro lacks")
	}
	en, _ := c.T("en", id, nil)
	f := c.WithFallback("en")
	if got, err := f.T("ro", id, nil); err != nil || got != en {
		t.Errorf("fallback: %q %v, want the English %q", got, err, en)
	}
	// Its own strings still win, and an unknown language is still an error.
	own, _ := c.T("ro", "quick_exit", nil)
	if got, _ := f.T("ro", "quick_exit", nil); got != own {
		t.Errorf("ro quick_exit = %q, want its own %q", got, own)
	}
	if _, err := f.T("xx", "quick_exit", nil); err == nil {
		t.Error("unknown language: want an error")
	}
	if _, err := f.T("ro", "no_such_key", nil); err == nil {
		t.Error("a key no language has: want an error")
	}
}

// TOrID answers a reader in any case: the string when it exists, its id when
// the key or the whole language is missing, never a panic or an empty text.
func TestTOrID(t *testing.T) {
	c, err := i18n.Load(site.Files, "nl", "nl", "en")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.TOrID("en", "emergency", map[string]any{"Number": "112"}), "In danger? Call 112 now."; got != want {
		t.Errorf("a string that exists: got %q, want %q", got, want)
	}
	for _, lang := range []string{"nl", "xx"} {
		if got := c.TOrID(lang, "no_such_key", nil); got != "no_such_key" {
			t.Errorf("%s, a missing key: got %q, want the id", lang, got)
		}
	}
}

// WithData fills every string with the catalog's data, under what a call
// passes: the functions give it the organisation's name ({{ .Name }}).
func TestWithData(t *testing.T) {
	c, err := i18n.Load(site.Files, "nl", "nl", "en")
	if err != nil {
		t.Fatal(err)
	}
	named := c.WithData(map[string]any{"Name": "Centrum Voorbeeld", "Number": "999"})
	if got, want := named.TOrID("en", "help_call_payoke", nil), "Call Centrum Voorbeeld"; got != want {
		t.Errorf("the catalog's Name: got %q, want %q", got, want)
	}
	if got, want := named.TOrID("en", "emergency", map[string]any{"Number": "112"}), "In danger? Call 112 now."; got != want {
		t.Errorf("a call's own data wins: got %q, want %q", got, want)
	}
	if got := c.TOrID("en", "help_call_payoke", nil); got == named.TOrID("en", "help_call_payoke", nil) {
		t.Errorf("WithData changed the catalog it was made from: %q", got)
	}
	if got, want := named.WithFallback("en").TOrID("nl", "help_call_payoke", nil), "Bel Centrum Voorbeeld"; got != want {
		t.Errorf("WithFallback keeps the data: got %q, want %q", got, want)
	}
}
