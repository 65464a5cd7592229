package donate

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/payoke/site/internal/donation"
	"github.com/payoke/site/internal/web"
)

// messageIDs are the strings this package needs; New checks every language has them.
var messageIDs = []string{
	"donate_amount_legend", "donate_amount_other", "donate_amount_other_label", "donate_amount_hint",
	"donate_frequency_legend", "donate_once", "donate_monthly", "donate_button", "donate_back",
	"donate_error_title", "donate_error_unavailable_title", "donate_call_us",
	"donate_error_method", "donate_error_form", "donate_error_too_large", "donate_error_amount_missing",
	"donate_error_amount_format", "donate_error_amount_min", "donate_error_amount_max",
	"donate_error_frequency", "donate_error_lang", "donate_error_not_configured",
	"donate_error_stripe", "donate_error_unavailable", "donate_product_once", "donate_product_monthly",
	"donate_error_forbidden", "donate_error_busy", "donate_error_busy_site",
}

// The answer page sits in the site's page shell (internal/web), with the
// class names of layouts/_shortcodes/donate-form.html, so the site's
// stylesheet dresses it. Ids match the shortcode's.
const pageHTML = `{{define "main"}}
<h1>{{.Title}}</h1>
{{with .Alert}}<div class="error-summary" role="alert"><p>{{.}}</p></div>{{end}}
<form class="form donate-form" method="post" action="/api/donate">
<fieldset class="field{{if eq .Field "amount"}} field-error{{end}}"{{if eq .Field "amount"}} aria-describedby="donate-amount-error"{{end}}>
<legend>{{.T "donate_amount_legend"}}</legend>
{{if eq .Field "amount"}}<p class="error-message" id="donate-amount-error">{{.FieldMessage}}</p>{{end}}
<div class="choices">
{{range .Presets}}<label class="choice"><input type="radio" name="amount" value="{{.Value}}"{{if .Checked}} checked{{end}}> {{.Label}}</label>
{{end}}<label class="choice"><input type="radio" name="amount" value="other" id="donate-amount-other-choice"{{if .OtherChecked}} checked{{end}}> {{.T "donate_amount_other"}}</label>
</div>
<div class="field donate-other">
<label for="donate-amount-other">{{.T "donate_amount_other_label"}}</label>
<input type="text" id="donate-amount-other" name="amount_other" inputmode="decimal" autocomplete="off" value="{{.Other}}" aria-describedby="donate-amount-hint{{if eq .Field "amount"}} donate-amount-error{{end}}"{{if eq .Field "amount"}} aria-invalid="true"{{end}}>
<p class="hint" id="donate-amount-hint">{{.Hint}}</p>
</div>
</fieldset>
<fieldset class="field{{if eq .Field "frequency"}} field-error{{end}}"{{if eq .Field "frequency"}} aria-describedby="donate-frequency-error"{{end}}>
<legend>{{.T "donate_frequency_legend"}}</legend>
{{if eq .Field "frequency"}}<p class="error-message" id="donate-frequency-error">{{.FieldMessage}}</p>{{end}}
<div class="choices">
<label class="choice"><input type="radio" name="frequency" value="once" id="donate-frequency-once"{{if ne .Frequency "monthly"}} checked{{end}}> {{.T "donate_once"}}</label>
<label class="choice"><input type="radio" name="frequency" value="monthly"{{if eq .Frequency "monthly"}} checked{{end}}> {{.T "donate_monthly"}}</label>
</div>
</fieldset>
<input type="hidden" name="lang" value="{{.Lang}}">
<button class="button donate-button" type="submit">{{.T "donate_button"}}</button>
</form>
<p>{{.CallUs}} <a href="tel:{{.PhoneLink}}">{{.Phone}}</a></p>
<p><a href="{{.Back}}">{{.T "donate_back"}}</a></p>
{{end}}`

type page struct{ tmpl *template.Template }

func newPage() (*page, error) {
	t, err := web.ParsePage("donate", pageHTML)
	if err != nil {
		return nil, err
	}
	return &page{tmpl: t}, nil
}

// fieldHref is where an error summary item about a field leads.
var fieldHref = map[string]string{"amount": "#donate-amount-other", "frequency": "#donate-frequency-once"}

type preset struct {
	Value, Label string
	Checked      bool
}

// pageData is what the answer page shows; T looks strings up in its language.
type pageData struct {
	web.Page
	h                        *handler
	Alert                    string
	Field, FieldMessage      string
	Presets                  []preset
	OtherChecked             bool
	Other, Frequency, Hint   string
	CallUs, Phone, PhoneLink string
	Back                     string
}

func (d pageData) T(id string) string { return d.h.message(d.Lang, id) }

func (h *handler) pageData(lang string, in input, a answer, msg string) pageData {
	o := h.Site.Params.Organisation
	title := h.message(lang, "donate_error_title")
	if a.Status >= 500 || a.Status == http.StatusForbidden || a.Status == http.StatusTooManyRequests {
		title = h.message(lang, "donate_error_unavailable_title")
	}
	d := pageData{
		Page: web.NewPage(h.Site, h.Strings, lang, title), h: h,
		Other: in.Other, Frequency: in.Frequency,
		Hint:   h.message(lang, "donate_amount_hint"),
		CallUs: h.message(lang, "donate_call_us"), Phone: o.Phone, PhoneLink: o.PhoneLink,
		Back: h.path(lang, web.PageSupport),
	}
	if a.Field == "amount" || a.Field == "frequency" { // the fields the page shows
		d.Field, d.FieldMessage = a.Field, msg
	}
	if a.Status == http.StatusBadRequest {
		// Something to correct: the shell's error summary, linked to the field.
		d.Problems = []web.Problem{{Href: fieldHref[d.Field], Text: msg}}
	} else {
		d.Alert = msg
	}
	matched := false
	for _, p := range h.Site.Params.Donation.Presets {
		v := strconv.Itoa(p)
		c := in.Amount == v && in.Other == ""
		matched = matched || c
		d.Presets = append(d.Presets, preset{Value: v, Label: donation.FormatEuro(lang, int64(p)*100), Checked: c})
	}
	if !matched && (in.Other != "" || in.Amount != "") {
		d.OtherChecked = true
		if d.Other == "" && in.Amount != "other" {
			d.Other = in.Amount // an amount sent straight in the amount field
		}
	}
	return d
}

func (p *page) render(w http.ResponseWriter, status int, d pageData) {
	if err := web.Render(w, status, p.tmpl, d); err != nil {
		d.h.Logger.Error("donate: answer page", "error", err.Error())
	}
}
