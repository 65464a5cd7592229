package web

import (
	"net/http"

	"golang.org/x/text/language"

	"github.com/payoke/site/internal/siteconfig"
)

// Languages picks a site language for an answer given before the form (and
// its lang field) is read.
type Languages struct {
	langs    []string
	fallback string
	matcher  language.Matcher
}

// NewLanguages matches against cfg's site languages; no match gives the default.
func NewLanguages(cfg *siteconfig.Config) *Languages {
	return NewLanguagesFrom(cfg.SiteLanguages(), cfg.DefaultLanguage)
}

// NewLanguagesFrom matches against langs (language codes as in config.toml);
// no match gives fallback.
func NewLanguagesFrom(langs []string, fallback string) *Languages {
	l := &Languages{langs: langs, fallback: fallback}
	tags := make([]language.Tag, len(l.langs))
	for i, s := range l.langs {
		tags[i] = language.Make(s)
	}
	l.matcher = language.NewMatcher(tags)
	return l
}

// FromRequest is the site language that best fits Accept-Language.
func (l *Languages) FromRequest(r *http.Request) string {
	if lang, ok := l.Match(r); ok {
		return lang
	}
	return l.fallback
}

// Match is the language that best fits Accept-Language, if any does.
func (l *Languages) Match(r *http.Request) (string, bool) {
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if len(tags) == 0 {
		return "", false
	}
	_, i, conf := l.matcher.Match(tags...)
	if conf == language.No {
		return "", false
	}
	return l.langs[i], true
}
