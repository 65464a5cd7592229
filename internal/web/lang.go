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
	l := &Languages{langs: cfg.SiteLanguages(), fallback: cfg.DefaultLanguage}
	tags := make([]language.Tag, len(l.langs))
	for i, s := range l.langs {
		tags[i] = language.Make(s)
	}
	l.matcher = language.NewMatcher(tags)
	return l
}

// FromRequest is the site language that best fits Accept-Language.
func (l *Languages) FromRequest(r *http.Request) string {
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if len(tags) == 0 {
		return l.fallback
	}
	_, i, conf := l.matcher.Match(tags...)
	if conf == language.No {
		return l.fallback
	}
	return l.langs[i]
}
