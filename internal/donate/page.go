package donate

import (
	_ "embed"
	"net/http"
	"strconv"

	"github.com/payoke/site/internal/donation"
	"github.com/payoke/site/internal/web"
)

// messageIDs are the strings this package needs; New checks every language has them.
var messageIDs = []string{
	"donate_amount_legend", "donate_amount_other", "donate_amount_other_label", "donate_amount_hint",
	"donate_frequency_legend", "donate_once", "donate_monthly", "donate_button", "donate_back",
	"donate_button_once", "donate_button_monthly",
	"donate_error_title", "donate_error_unavailable_title", "donate_call_us",
	"donate_error_method", "donate_error_form", "donate_error_too_large", "donate_error_amount_missing",
	"donate_error_amount_format", "donate_error_amount_min", "donate_error_amount_max",
	"donate_error_frequency", "donate_error_lang", "donate_error_not_configured",
	"donate_error_stripe", "donate_error_unavailable", "donate_product_once", "donate_product_monthly",
	"donate_error_forbidden", "donate_error_busy", "donate_error_busy_site",
}

// The answer page sits in the site's page shell (internal/web) and shows
// the support page's form (layouts/_partials/forms/donate.html) again, with
// the gift as sent, so the site's stylesheet dresses it.
//
//go:embed page.html
var pageHTML string

var pageTemplate = web.MustParsePage("donate", pageHTML, "donate")

// fieldHref is where an error summary item about a field leads: the ids
// the form gives them.
var fieldHref = map[string]string{"amount": "#donate-amount-other", "frequency": "#donate-frequency-once"}

// pageData is what the answer page shows; T looks strings up in its language.
type pageData struct {
	web.Page
	h                        *handler
	Alert                    string
	CallUs, Phone, PhoneLink string
	Back                     string
	Form                     formArgs
}

// formArgs is the form partial's argument, as the shortcode gives it.
type formArgs struct {
	Lang, Locale, Currency string
	Presets                []preset
	Min, Max               string
	Values, Errors         map[string]string
}

// preset is one amount to pick, its label formatted in the page's language.
type preset struct{ Value, Label string }

func (d pageData) T(id string) string { return d.h.message(d.Lang, id) }

func (h *handler) pageData(lang string, in input, a answer, msg string) pageData {
	o, don := h.Site.Params.Organisation, h.Site.Params.Donation
	title := h.message(lang, "donate_error_title")
	if a.Status >= 500 || a.Status == http.StatusForbidden || a.Status == http.StatusTooManyRequests {
		title = h.message(lang, "donate_error_unavailable_title")
	}
	d := pageData{
		Page: web.NewPage(h.Site, h.Strings, lang, title), h: h,
		CallUs: h.message(lang, "donate_call_us"), Phone: o.Phone, PhoneLink: o.PhoneLink,
		Back: h.path(lang, web.PageSupport),
	}
	d.Form = formArgs{
		Lang: lang, Locale: d.Locale, Currency: don.Currency,
		Min: donation.FormatEuro(lang, int64(don.Minimum)*100), Max: donation.FormatEuro(lang, int64(don.Maximum)*100),
		Values: map[string]string{"amount_other": in.Other, "frequency": in.Frequency},
		Errors: map[string]string{},
	}
	if a.Field == "amount" || a.Field == "frequency" { // the fields the form shows
		d.Form.Errors[a.Field] = msg
	}
	if a.Status == http.StatusBadRequest {
		// Something to correct: the shell's error summary, linked to the field.
		d.Problems = []web.Problem{{Href: fieldHref[a.Field], Text: msg}}
	} else {
		d.Alert = msg
	}
	// The preset chosen stays chosen; a typed amount, or one that is no
	// preset, is "other", shown in its field.
	for _, p := range don.Presets {
		v := strconv.Itoa(p)
		if in.Amount == v && in.Other == "" {
			d.Form.Values["amount"] = v
		}
		d.Form.Presets = append(d.Form.Presets, preset{Value: v, Label: donation.FormatEuro(lang, int64(p)*100)})
	}
	if d.Form.Values["amount"] == "" && (in.Other != "" || in.Amount != "") {
		d.Form.Values["amount"] = "other"
		if in.Other == "" && in.Amount != "other" {
			d.Form.Values["amount_other"] = in.Amount // an amount sent straight in the amount field
		}
	}
	return d
}

func (h *handler) render(w http.ResponseWriter, status int, d pageData) {
	if err := web.Render(w, status, pageTemplate, d); err != nil {
		h.Logger.Error("donate: answer page", "error", err.Error())
	}
}
