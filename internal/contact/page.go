package contact

import (
	_ "embed"
	"html/template"
	"strings"

	"github.com/payoke/site/internal/web"
)

// The function's pages sit in the site's page shell (internal/web), with the
// class names of the shortcode's form, so the site's stylesheet dresses them.
//
//go:embed page.html
var pageHTML string

var pageTemplate = template.Must(web.ParsePage("contact", pageHTML))

// pageStrings are the fixed strings of every page, in its language.
type pageStrings struct {
	PhoneLabel, Emergency, Anonymous, Website, Confidential, Send, Back string
}

type option struct {
	Value, Label string
	Selected     bool
}

type fieldView struct {
	Name, Label, Hint, Error, Value, Type string
	Rows, Max                             int
	Required                              bool
	Options                               []option
}

// Describedby ties the hint and the error to the field.
func (f fieldView) Describedby() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, "contact-"+f.Name+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, "contact-"+f.Name+"-error")
	}
	return strings.Join(ids, " ")
}

type formView struct{ Fields []fieldView }

type pageView struct {
	web.Page
	Notice           string
	S                pageStrings
	ShowPhone        bool
	Phone, PhoneLink string
	Form             *formView
	Back             string
}

// formFields lays out the form as the shortcode does, with f's values and
// the localized errors by field.
func (h *handler) formFields(lang string, f form, errs map[string]string) *formView {
	t := func(id string) string { return h.strings.MustT(lang, id, nil) }
	var topics []option
	for _, v := range Topics {
		topics = append(topics, option{Value: v, Label: t("contact_topic_" + v), Selected: v == f.topic()})
	}
	return &formView{Fields: []fieldView{
		{Name: fieldTopic, Label: t("contact_topic"), Error: errs[fieldTopic], Options: topics},
		{Name: fieldMessage, Label: t("contact_message"), Hint: t("contact_message_prompt"), Error: errs[fieldMessage], Value: f.Message, Rows: 10, Max: MaxMessage, Required: true},
		{Name: fieldName, Label: t("contact_name"), Hint: t("contact_name_hint"), Error: errs[fieldName], Value: f.Name, Type: "text", Max: MaxName},
		{Name: fieldEmail, Label: t("contact_email"), Hint: t("contact_email_hint"), Error: errs[fieldEmail], Value: f.Email, Type: "email", Max: MaxEmail},
		{Name: fieldPhone, Label: t("contact_phone"), Hint: t("contact_phone_hint"), Error: errs[fieldPhone], Value: f.Phone, Type: "tel", Max: MaxPhone},
		{Name: fieldSafe, Label: t("contact_safe"), Hint: t("contact_safe_hint"), Error: errs[fieldSafe], Value: f.Safe, Rows: 3, Max: MaxSafe},
	}}
}

// newPage fills what every page shares.
func (h *handler) newPage(lang, titleID, noticeID string) pageView {
	t := func(id string) string { return h.strings.MustT(lang, id, nil) }
	o := h.site.Params.Organisation
	p := pageView{
		Page:  web.NewPage(h.site, h.strings, lang, t(titleID)),
		Phone: o.Phone, PhoneLink: o.PhoneLink, ShowPhone: true,
		S: pageStrings{
			PhoneLabel: t("phone"),
			Emergency:  h.strings.MustT(lang, "emergency", map[string]any{"Number": o.Emergency}),
			Anonymous:  t("contact_anonymous"), Website: t("contact_website"),
			Confidential: t("contact_confidential"), Send: t("contact_send"), Back: t("contact_back"),
		},
	}
	if noticeID != "" {
		p.Notice = t(noticeID)
	}
	return p
}
