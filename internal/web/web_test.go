package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestSiteURL(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string][2]string{
		"":                              {"https://www.payoke.be", "https://www.payoke.be"},
		"http://127.0.0.1:1313/":        {"http://127.0.0.1:1313", "http://127.0.0.1:1313"},
		"https://preview.example/site/": {"https://preview.example/site", "https://preview.example"},
	} {
		base, origin, err := SiteURL(raw, "https://www.payoke.be/")
		if err != nil || base != want[0] || origin != want[1] {
			t.Errorf("%q: %q %q %v, want %q", raw, base, origin, err, want)
		}
	}
	for _, bad := range []string{"example.org", "ftp://example.org", "https://", "https://x.org/?a=1", "%zz"} {
		if _, _, err := SiteURL(bad, "https://www.payoke.be/"); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestLanguagesFromRequest(t *testing.T) {
	t.Parallel()
	cfg, _, err := LoadSite()
	if err != nil {
		t.Fatal(err)
	}
	l := NewLanguages(cfg)
	for accept, want := range map[string]string{
		"": cfg.DefaultLanguage, "fr-BE,fr;q=0.9": "fr", "en-GB": "en", "de, en;q=0.5": "en",
		"ja": cfg.DefaultLanguage, "not a header;;": cfg.DefaultLanguage,
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept-Language", accept)
		if got := l.FromRequest(r); got != want {
			t.Errorf("%q: %q, want %q", accept, got, want)
		}
	}
}

func TestWriteJSON(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	if WantsJSON(r) {
		t.Error("no Accept: JSON wanted")
	}
	r.Header.Set("Accept", "application/json, text/plain")
	if !WantsJSON(r) {
		t.Error("Accept application/json: JSON not wanted")
	}
	w := httptest.NewRecorder()
	WriteJSON(w, http.StatusTeapot, map[string]string{"a": "b"})
	if w.Code != http.StatusTeapot || w.Body.String() != "{\"a\":\"b\"}\n" ||
		w.Header().Get("Cache-Control") != "no-store" || w.Header().Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("%d %q %v", w.Code, w.Body, w.Header())
	}
}

func TestLanguagesFromIncludesHelpLanguages(t *testing.T) {
	t.Parallel()
	cfg, cat, err := LoadSiteAllLanguages()
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, l := range cfg.Languages {
		all = append(all, l.Lang)
		if _, err := cat.T(l.Lang, "quick_exit", nil); err != nil {
			t.Errorf("%s: %v", l.Lang, err)
		}
	}
	l := NewLanguagesFrom(all, "en")
	for accept, want := range map[string]string{
		"ro-RO,ro;q=0.9": "ro", "ar-MA": "ar", "zh-CN": "zh", "fr": "fr", "ja": "en", "": "en",
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept-Language", accept)
		if got := l.FromRequest(r); got != want {
			t.Errorf("%q: %q, want %q", accept, got, want)
		}
	}
}

func TestNewPageDirection(t *testing.T) {
	t.Parallel()
	cfg, cat, err := LoadSiteAllLanguages()
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string][2]string{"ar": {"ar", "rtl"}, "ro": {"ro", "ltr"}, "nl": {"nl-BE", "ltr"}} {
		p := NewPage(cfg, cat, lang, "x")
		if p.Locale != want[0] || p.Dir != want[1] {
			t.Errorf("%s: locale %q dir %q, want %q", lang, p.Locale, p.Dir, want)
		}
	}
}
