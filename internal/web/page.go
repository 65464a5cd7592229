package web

import (
	"bytes"
	_ "embed"
	"html/template"
	"net/http"

	"github.com/payoke/site/internal/i18n"
	"github.com/payoke/site/internal/siteconfig"
)

// Stylesheet is the site's bundled CSS under a stable name: Hugo publishes it
// there (layouts/_partials/css.html) for these pages, which cannot know the
// fingerprinted name. It is outside /css/, which is cached for a year.
const Stylesheet = "/styles/site.css"

// shell.html is a page of the site in miniature: the same stylesheet, the
// quick exit bar of layouts/_partials/quick-exit.html, a main landmark. Each
// package fills its "main" block.
//
//go:embed shell.html
var shellHTML string

// Page is what the shell shows; a package's view embeds it.
type Page struct {
	Lang, Locale, Dir string
	Title             string
	// Problems are what the person must correct (a 400): the shell shows
	// them first in main, focused, each linked to its field (GOV.UK's
	// error summary), and the title starts with "Error:".
	Problems []Problem
	Shell    Shell

	strings *i18n.Catalog // for T in the page's forms (Render)
}

// Problem is one thing to correct; Href ("#field-id") is empty for the form
// as a whole.
type Problem struct{ Href, Text string }

// Shell holds the fixed strings and links of every page, in its language,
// and the organisation's name (params.organisation.legalName) that ends the title.
type Shell struct {
	Stylesheet, Skip, Exit, ExitHint, ExitURL, ErrorPrefix, ErrorSummary, Name string
}

// NewPage fills the shell for lang, with lang's locale and direction.
func NewPage(cfg *siteconfig.Config, cat *i18n.Catalog, lang, title string) Page {
	t := func(id string) string { return cat.TOrID(lang, id, nil) }
	p := Page{Lang: lang, Locale: lang, Dir: "ltr", Title: title, strings: cat, Shell: Shell{
		Stylesheet: Stylesheet, Skip: t("skip_to_content"), Exit: t("quick_exit"),
		ExitHint: t("quick_exit_hint"), ExitURL: cfg.Params.QuickExit,
		ErrorPrefix: t("form_error_prefix"), ErrorSummary: t("form_error_summary"),
		Name: cfg.Params.Organisation.LegalName,
	}}
	for _, l := range cfg.Languages {
		if l.Lang == lang {
			p.Locale = l.Locale
			if l.Direction != "" {
				p.Dir = l.Direction
			}
		}
	}
	return p
}

func (p Page) catalog() (*i18n.Catalog, string) { return p.strings, p.Lang }

// ParsePage returns the shell with main, a template that defines "main",
// and the named forms (form.go), which main may show with
// {{ template "form-<name>" … }}.
func ParsePage(name, main string, forms ...string) (*template.Template, error) {
	t, err := template.New(name).Funcs(formFuncs(nil, "")).Parse(shellHTML)
	if err != nil {
		return nil, err
	}
	if t, err = t.Parse(main); err != nil {
		return nil, err
	}
	return t, parseForms(t, forms)
}

// MustParsePage is ParsePage for a package's template, made from files
// embedded at build time: an error there is a bug a test finds.
func MustParsePage(name, main string, forms ...string) *template.Template {
	return template.Must(ParsePage(name, main, forms...))
}

// Render writes the page with status, never cached; a template error (a
// bug) is returned before anything is written, for the caller to log.
// When data embeds a Page, T in the templates says its language's strings.
func Render(w http.ResponseWriter, status int, t *template.Template, data any) error {
	if p, ok := data.(interface {
		catalog() (*i18n.Catalog, string)
	}); ok {
		cat, lang := p.catalog()
		var err error
		if t, err = t.Clone(); err != nil {
			return err
		}
		t.Funcs(formFuncs(cat, lang))
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		http.Error(w, http.StatusText(status), status)
		return err
	}
	NoStore(w, "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}
