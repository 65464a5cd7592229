package contact

import (
	_ "embed"

	"github.com/payoke/site/internal/web"
)

// The function's pages sit in the site's page shell (internal/web) and show
// the site's own form (layouts/_partials/forms/contact.html) again, so the
// site's stylesheet dresses them and an error lands beside the field typed in.
//
//go:embed page.html
var pageHTML string

var pageTemplate = web.MustParsePage("contact", pageHTML, "contact")

// pageStrings are the fixed strings of every page, in its language.
type pageStrings struct{ PhoneLabel, Emergency, Back string }

type pageView struct {
	web.Page
	Notice           string
	S                pageStrings
	ShowPhone        bool
	Phone, PhoneLink string
	Form             *formArgs // nil: no form on the page
	Back             string
}

// formArgs is the form partial's argument, as the contact-form shortcode
// gives it: Topics and Fields from config.toml, and here what was typed
// (Values) and the localized errors (Errors) by field name.
type formArgs struct {
	Lang, Name     string
	Topics         []string
	Fields         []map[string]any
	Values, Errors map[string]string
}

// formArgs shows f again in lang, with errs beside their fields. The topic
// chosen is kept, "other" when none came.
func (h *handler) formArgs(lang string, f form, errs map[string]string) *formArgs {
	values := map[string]string{fieldTopic: f.topic()}
	for k, v := range f.Values {
		values[k] = v
	}
	if errs == nil {
		errs = map[string]string{}
	}
	return &formArgs{
		Lang: lang, Name: h.Site.Params.Organisation.LegalName,
		Topics: h.form.Topics, Fields: h.form.FieldsAsWritten,
		Values: values, Errors: errs,
	}
}

// newPage fills what every page shares.
func (h *handler) newPage(lang, titleID, noticeID string) pageView {
	t := func(id string) string { return h.Strings.TOrID(lang, id, nil) }
	o := h.Site.Params.Organisation
	p := pageView{
		Page:  web.NewPage(h.Site, h.Strings, lang, t(titleID)),
		Phone: o.Phone, PhoneLink: o.PhoneLink, ShowPhone: true,
		S: pageStrings{
			PhoneLabel: t("phone"),
			Emergency:  h.Strings.TOrID(lang, "emergency", map[string]any{"Number": o.Emergency}),
			Back:       t("contact_back"),
		},
	}
	if noticeID != "" {
		p.Notice = t(noticeID)
	}
	return p
}
