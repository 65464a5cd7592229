// Package i18n gives the Go functions the interface strings of i18n/*.toml,
// the same files Hugo's T function reads, through go-i18n v2.
package i18n

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"
)

// Catalog holds every language's strings; it is safe for concurrent use.
type Catalog struct {
	bundle     *goi18n.Bundle
	localizers map[string]*goi18n.Localizer
	// fallback, when set, answers for a string a language lacks (see WithFallback).
	fallback string
	// data fills every string's template under the caller's own data (see WithData).
	data map[string]any
}

// Load parses the i18n/*.toml files in fsys once: those of langs, or every
// file when langs is empty. The functions answer in the site languages only,
// and parsing the help languages' files too would slow their cold start.
func Load(fsys fs.FS, defaultLang string, langs ...string) (*Catalog, error) {
	bundle := goi18n.NewBundle(language.Make(defaultLang))
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	files, err := fs.Glob(fsys, "i18n/*.toml")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no i18n/*.toml files")
	}
	if len(langs) > 0 {
		files = files[:0]
		for _, lang := range langs {
			files = append(files, "i18n/"+lang+".toml")
		}
	}
	c := &Catalog{bundle: bundle, localizers: map[string]*goi18n.Localizer{}}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		if _, err := bundle.ParseMessageFileBytes(b, f); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		lang := strings.TrimSuffix(path.Base(f), ".toml")
		c.localizers[lang] = goi18n.NewLocalizer(bundle, lang)
	}
	return c, nil
}

// T returns the string id in lang, filled with data (keys as in the TOML
// templates, e.g. {{ .Number }}) over the catalog's own data (WithData). A
// missing string is an error, so tests catch it before readers do; a catalog
// made by WithFallback first tries its fallback language.
func (c *Catalog) T(lang, id string, data map[string]any) (string, error) {
	s, err := c.t(lang, id, data)
	if err != nil && c.fallback != "" && c.fallback != lang {
		if _, ok := c.localizers[lang]; ok {
			if fs, ferr := c.t(c.fallback, id, data); ferr == nil {
				return fs, nil
			}
		}
	}
	return s, err
}

func (c *Catalog) t(lang, id string, data map[string]any) (string, error) {
	l, ok := c.localizers[lang]
	if !ok {
		return "", fmt.Errorf("no strings for language %q", lang)
	}
	if len(c.data) > 0 {
		merged := make(map[string]any, len(c.data)+len(data))
		for k, v := range c.data {
			merged[k] = v
		}
		for k, v := range data {
			merged[k] = v
		}
		data = merged
	}
	return l.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
}

// WithData returns the same strings, where every string's template is
// filled with data under what each call passes (a call's own key wins). The
// functions give it the organisation's name, {{ .Name }} in i18n/*.toml, as
// Hugo's templates pass it to T: a string never types the name itself.
func (c *Catalog) WithData(data map[string]any) *Catalog {
	cp := *c
	cp.data = make(map[string]any, len(c.data)+len(data))
	for k, v := range c.data {
		cp.data[k] = v
	}
	for k, v := range data {
		cp.data[k] = v
	}
	return &cp
}

// Has reports whether lang's own file holds the string id (no fallback).
func (c *Catalog) Has(lang, id string) bool {
	_, err := c.t(lang, id, nil)
	return err == nil
}

// WithFallback returns the same strings, where a string that a loaded
// language lacks comes from fallback instead (a help language translates
// only part of the keys: the rest is shown in English, never in the
// default language by accident). A language without any file still fails.
func (c *Catalog) WithFallback(fallback string) *Catalog {
	cp := *c
	cp.fallback = fallback
	return &cp
}

// TOrID is T for a reader's request: a missing string gives its id instead
// of an error, so a gap in a translation shows a key rather than failing the
// page or the mail. Tests (and Hugo's build, which warns on a missing key)
// keep those gaps out; code that must know uses T.
func (c *Catalog) TOrID(lang, id string, data map[string]any) string {
	s, err := c.T(lang, id, data)
	if err != nil {
		return id
	}
	return s
}
