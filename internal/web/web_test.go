package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"

	site "github.com/payoke/site"
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

// The organisation's name has one source, params.organisation.legalName: no
// string in i18n/ types it, and every string that names the organisation
// ({{ .Name }}) says it, in every language, through LoadSite's catalog.
func TestStringsTakeTheNameFromConfig(t *testing.T) {
	t.Parallel()
	cfg, cat, err := LoadSiteAllLanguages()
	if err != nil {
		t.Fatal(err)
	}
	name := cfg.Params.Organisation.LegalName
	if name == "" {
		t.Fatal("config.toml has no params.organisation.legalName")
	}
	files, err := fs.Glob(site.Files, "i18n/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("i18n files: %v %v", files, err)
	}
	var named int
	for _, f := range files {
		b, err := fs.ReadFile(site.Files, f)
		if err != nil {
			t.Fatal(err)
		}
		var strs map[string]map[string]string
		if err := toml.Unmarshal(b, &strs); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		lang := strings.TrimSuffix(path.Base(f), ".toml")
		for id, forms := range strs {
			for form, s := range forms {
				if strings.Contains(s, name) {
					t.Errorf("%s: %s.%s types %q; write {{ .Name }} instead: %q", f, id, form, name, s)
				}
			}
			if !strings.Contains(forms["other"], "{{ .Name }}") {
				continue
			}
			named++
			// The string's other fields, as its callers pass them.
			data := map[string]any{}
			for _, m := range templateField.FindAllStringSubmatch(forms["other"], -1) {
				if m[1] != "Name" {
					data[m[1]] = "x"
				}
			}
			got, err := cat.T(lang, id, data)
			if err != nil || !strings.Contains(got, name) || strings.Contains(got, "<no value>") {
				t.Errorf("%s %s = %q, %v; want it to name %q", lang, id, got, err, name)
			}
		}
	}
	if named == 0 {
		t.Error("no string names the organisation with {{ .Name }}")
	}
}

var templateField = regexp.MustCompile(`{{ *\.(\w+) *}}`)

// The functions' pages end their title with the organisation's name.
func TestShellTitleNamesTheOrganisation(t *testing.T) {
	t.Parallel()
	cfg, cat, err := LoadSite()
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := ParsePage("t", `{{ define "main" }}{{ end }}`)
	if err != nil {
		t.Fatal(err)
	}
	for _, org := range []string{cfg.Params.Organisation.LegalName, "Centrum Voorbeeld"} {
		c := *cfg
		c.Params.Organisation.LegalName = org
		w := httptest.NewRecorder()
		if err := Render(w, http.StatusOK, tmpl, NewPage(&c, cat, "en", "Sent")); err != nil {
			t.Fatal(err)
		}
		if want := "<title>Sent – " + org + "</title>"; !strings.Contains(w.Body.String(), want) {
			t.Errorf("no %q in\n%s", want, w.Body)
		}
	}
}
