// Package web holds what the site's functions (contact, donate, webhook)
// share: reading the embedded site settings, the site's origin, the answer's
// language, JSON answers and the page shell their HTML answers live in.
package web

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"strings"

	site "github.com/payoke/site"
	"github.com/payoke/site/internal/i18n"
	"github.com/payoke/site/internal/siteconfig"
)

// LoadSite reads the config.toml and i18n strings embedded in the binary;
// the embedded pages' addresses are SitePages.
func LoadSite() (*siteconfig.Config, *i18n.Catalog, error) {
	cfg, cat, _, err := LoadSiteFS(site.Files, false)
	return cfg, cat, err
}

// LoadSiteAllLanguages is LoadSite with the strings of every language in
// config.toml, the help-only ones too: the contact form is on their pages.
func LoadSiteAllLanguages() (*siteconfig.Config, *i18n.Catalog, error) {
	cfg, cat, _, err := LoadSiteFS(site.Files, true)
	return cfg, cat, err
}

// LoadSiteFS reads config.toml, i18n/<lang>.toml and the front matter of
// the content pages (LoadPages) from the root of fsys: the embedded
// site.Files for LoadSite and LoadSiteAllLanguages, another organisation's
// site in tests (tests/otherorg). The strings are those of the site
// languages, or of every language in config.toml with allLanguages; they
// are filled with the organisation's facts (Strings).
func LoadSiteFS(fsys fs.FS, allLanguages bool) (*siteconfig.Config, *i18n.Catalog, *Pages, error) {
	cfg, err := siteconfig.Load(fsys)
	if err != nil {
		return nil, nil, nil, err
	}
	pages, err := LoadPages(fsys, cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	langs := cfg.SiteLanguages()
	if allLanguages {
		langs = make([]string, len(cfg.Languages))
		for i, l := range cfg.Languages {
			langs[i] = l.Lang
		}
	}
	cat, err := i18n.Load(fsys, cfg.DefaultLanguage, langs...)
	if err != nil {
		return nil, nil, nil, err
	}
	return cfg, Strings(cfg, cat), pages, nil
}

// Strings returns cat with the organisation's name from cfg
// (params.organisation.legalName) at hand to every string, as {{ .Name }}:
// the strings never type it, and Hugo's templates pass the same value to T.
func Strings(cfg *siteconfig.Config, cat *i18n.Catalog) *i18n.Catalog {
	return cat.WithData(map[string]any{"Name": cfg.Params.Organisation.LegalName})
}

// WantsJSON reports a script asking for JSON instead of a page.
func WantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// NoStore sets the content type of an answer that no cache may keep: it may
// hold what a person typed.
func NoStore(w http.ResponseWriter, contentType string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "no-store")
}

// WriteJSON answers v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	NoStore(w, "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
