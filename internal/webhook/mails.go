package webhook

import (
	"strings"
	"time"

	"github.com/payoke/site/internal/donation"
	"github.com/payoke/site/internal/mail"
	"github.com/payoke/site/internal/web"
)

// mailIDs are the strings the mails need; New checks every language has them.
var mailIDs = []string{
	"donate_mail_greeting", "donate_mail_thanks_subject", "donate_mail_thanks_once", "donate_mail_thanks_monthly",
	"donate_mail_thanks_use", "donate_mail_manage_link", "donate_mail_manage_contact", "donate_mail_failed_subject",
	"donate_mail_failed_body", "donate_mail_ended_subject", "donate_mail_ended_body", "donate_mail_signoff",
	"donate_staff_gift_subject", "donate_staff_failed_subject", "donate_staff_invoice_failed_subject",
	"donate_staff_ended_subject", "donate_staff_body", "donate_once", "donate_monthly",
}

// t looks up a string with the organisation's facts and the gift's amount at hand.
func (h *handler) t(lang, id string, g gift, extra map[string]any) string {
	o := h.Site.Params.Organisation
	data := map[string]any{"Amount": donation.FormatEuro(lang, g.Cents), "Phone": o.Phone, "Email": o.Email}
	for k, v := range extra {
		data[k] = v
	}
	return h.Strings.TOrID(lang, id, data)
}

// donorMail writes greeting, paragraphs and sign-off in the donor's language;
// replies go to Payoke's own address.
func (h *handler) donorMail(g gift, subjectID string, paragraphs ...string) mail.Message {
	body := append([]string{h.t(g.Lang, "donate_mail_greeting", g, nil)}, paragraphs...)
	body = append(body, h.t(g.Lang, "donate_mail_signoff", g, nil))
	return mail.Message{
		To:      []string{g.Email},
		ReplyTo: h.Site.Params.Organisation.Email,
		Subject: h.t(g.Lang, subjectID, g, nil),
		Body:    strings.Join(body, "\n\n") + "\n",
	}
}

// staffMail is a short notice in the site's default language, with a link
// into the Stripe dashboard instead of the donor's details.
func (h *handler) staffMail(g gift, subjectID, dashboardPath string) outgoing {
	lang := h.Site.DefaultLanguage
	link := "https://dashboard.stripe.com/"
	if !g.Livemode {
		link += "test/"
	}
	data := map[string]any{
		"Frequency": h.t(lang, "donate_"+g.Frequency, g, nil),
		"Lang":      g.Lang,
		"Link":      link + dashboardPath,
	}
	return outgoing{Part: "staff", Msg: mail.Message{
		To:      h.StaffTo,
		Subject: h.t(lang, subjectID, g, data),
		Body:    h.t(lang, "donate_staff_body", g, data) + "\n",
	}}
}

func (h *handler) dashboardPath(g gift) string {
	if g.Subscription != "" {
		return "subscriptions/" + g.Subscription
	}
	return "payments/" + g.PaymentID
}

// thanksMails: the donor's thank-you (with how to change or stop a monthly gift) and the staff notice.
func (h *handler) thanksMails(g gift) []outgoing {
	paras := []string{
		h.t(g.Lang, "donate_mail_thanks_"+g.Frequency, g, nil),
		h.t(g.Lang, "donate_mail_thanks_use", g, nil),
	}
	if g.Frequency == donation.Monthly {
		paras = append(paras, h.manageParagraph(g))
	}
	return []outgoing{
		{Part: "donor", Msg: h.donorMail(g, "donate_mail_thanks_subject", paras...)},
		h.staffMail(g, "donate_staff_gift_subject", h.dashboardPath(g)),
	}
}

// manageParagraph tells a monthly donor how to change or stop the gift: a
// link to their own Billing Portal (/api/manage-gift, signed for
// params.donation.manageLinkHours; once expired, the same link sends a new one), or,
// without MANAGE_GIFT_SECRET, to call or write.
func (h *handler) manageParagraph(g gift) string {
	if h.Links != nil && g.Customer != "" {
		if u, err := h.Links.URL(h.siteURL, g.Customer, g.Lang, time.Now()); err == nil {
			hours := h.Site.Params.Donation.ManageLinkHours
			return h.t(g.Lang, "donate_mail_manage_link", g, map[string]any{"URL": u, "Hours": hours})
		}
	}
	return h.t(g.Lang, "donate_mail_manage_contact", g, nil)
}

// failedMails: a delayed payment (SEPA) did not go through.
func (h *handler) failedMails(g gift) []outgoing {
	support, _ := h.Pages.Path(g.Lang, web.PageSupport)
	again := h.siteURL + support
	return []outgoing{
		{Part: "donor", Msg: h.donorMail(g, "donate_mail_failed_subject",
			h.t(g.Lang, "donate_mail_failed_body", g, map[string]any{"URL": again}))},
		h.staffMail(g, "donate_staff_failed_subject", h.dashboardPath(g)),
	}
}

// endedMails: a monthly gift stopped (by the donor in the portal, by staff, or
// after failed payments). The donor's address comes from the Customer.
func (h *handler) endedMails(g gift) []outgoing {
	donor := outgoing{Part: "donor", NeedsCustomerEmail: true,
		Msg: h.donorMail(g, "donate_mail_ended_subject", h.t(g.Lang, "donate_mail_ended_body", g, nil))}
	return []outgoing{donor, h.staffMail(g, "donate_staff_ended_subject", "subscriptions/"+g.Subscription)}
}
