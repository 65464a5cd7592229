package managegift

import (
	_ "embed"
	"net/http"

	"github.com/payoke/site/internal/web"
)

// messageIDs are the strings this package needs; New checks every language has them.
var messageIDs = []string{
	"manage_gift_title", "manage_gift_intro", "manage_gift_email", "manage_gift_button",
	"manage_gift_renew_button", "manage_gift_or_email", "manage_gift_back",
	"manage_gift_error_title", "manage_gift_unavailable_title", "manage_gift_link_forged_title", "manage_gift_link_expired_title",
	"manage_gift_error_method", "manage_gift_error_form", "manage_gift_error_forbidden", "manage_gift_error_email",
	"manage_gift_error_not_configured", "manage_gift_error_busy", "manage_gift_error_busy_site", "manage_gift_error_unavailable",
	"manage_gift_link_forged", "manage_gift_link_expired", "manage_gift_link_gone", "manage_gift_portal_busy", "manage_gift_portal_unavailable",
	"manage_gift_mail_subject", "manage_gift_mail_intro", "manage_gift_mail_link", "manage_gift_mail_links", "manage_gift_mail_item", "manage_gift_mail_ignore",
	"donate_mail_greeting", "donate_mail_signoff", "donate_call_us",
}

// titles gives each answer its page title; the others take
// manage_gift_unavailable_title.
var titles = map[string]string{
	"manage_gift_error_email":  "manage_gift_error_title",
	"manage_gift_error_form":   "manage_gift_error_title",
	"manage_gift_link_forged":  "manage_gift_link_forged_title",
	"manage_gift_link_expired": "manage_gift_link_expired_title",
}

// The answer page sits in the site's page shell (internal/web) and shows
// the support page's form (layouts/_partials/forms/manage-gift.html) again,
// so the site's stylesheet dresses it.
//
//go:embed page.html
var pageHTML string

var pageTemplate = web.MustParsePage("manage-gift", pageHTML, "manage-gift")

type pageData struct {
	web.Page
	h                *handler
	Alert            string
	Token            string
	Phone, PhoneLink string
	Back             string
	Form             formArgs
}

// formArgs is the form partial's argument, as the shortcode gives it.
type formArgs struct {
	Lang           string
	Hours          int
	Values, Errors map[string]string
}

func (d pageData) T(id string) string { return d.h.t(d.Lang, id, nil) }

// refuse answers a with a localized message: JSON for scripts, otherwise a
// page with the form again, holding what was typed.
func (h *handler) refuse(w http.ResponseWriter, r *http.Request, lang string, in input, a answer) {
	msg := h.t(lang, a.ID, nil)
	if web.WantsJSON(r) {
		web.WriteJSON(w, a.Status, map[string]map[string]string{"error": {"field": a.Field, "message": msg}})
		return
	}
	o := h.Site.Params.Organisation
	title := cmpOr(titles[a.ID], "manage_gift_unavailable_title")
	d := pageData{
		Page: web.NewPage(h.Site, h.Strings, lang, h.t(lang, title, nil)), h: h,
		Phone: o.Phone, PhoneLink: o.PhoneLink, Back: h.path(lang, web.PageSupport),
		Form: formArgs{Lang: lang, Hours: h.Site.Params.Donation.ManageLinkHours, Values: map[string]string{"email": in.Email}, Errors: map[string]string{}},
	}
	if a.Renew {
		d.Token = in.Token
	}
	if a.Status == http.StatusBadRequest && a.Field == "email" {
		// Something to correct: the shell's error summary, linked to the field.
		d.Problems = []web.Problem{{Href: "#manage-gift-email", Text: msg}}
		d.Form.Errors["email"] = msg
	} else {
		d.Alert = msg
	}
	if err := web.Render(w, a.Status, pageTemplate, d); err != nil {
		h.Logger.Error("manage-gift: answer page", "error", err.Error())
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
