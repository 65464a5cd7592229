package managegift

import (
	"context"
	"strings"
	"time"

	"github.com/payoke/site/internal/donation"
	"github.com/payoke/site/internal/mail"
)

// sendTimeout bounds one mail; internal/mail gives up after 5 s itself.
const sendTimeout = 5 * time.Second

// mailDonors sends each address one mail in lang with a link per customer:
// two customers with one address (two gifts started through Checkout) get
// one mail listing both, each with its amount, since a portal session
// belongs to one customer. Failures are logged and counted, never shown.
func (h *handler) mailDonors(ctx context.Context, donors []donor, lang string, res *result) {
	var order []string
	byAddress := map[string][]donor{}
	for _, d := range donors {
		k := strings.ToLower(d.Email)
		if byAddress[k] == nil {
			order = append(order, k)
		}
		byAddress[k] = append(byAddress[k], d)
	}
	for _, k := range order {
		m, err := h.linkMail(byAddress[k], lang)
		if err == nil {
			sctx, cancel := context.WithTimeout(ctx, sendTimeout)
			err = h.Mail.Send(sctx, m)
			cancel()
		}
		if err != nil {
			// The mail package's errors name no address or content.
			h.Logger.Error("manage-gift: link mail not sent", "error", err.Error())
			res.failures++
			continue
		}
		res.mails++
	}
}

// t looks up a string with the organisation's facts at hand.
func (h *handler) t(lang, id string, extra map[string]any) string {
	o := h.Site.Params.Organisation
	data := map[string]any{"Phone": o.Phone, "Email": o.Email, "Hours": h.Site.Params.Donation.ManageLinkHours}
	for k, v := range extra {
		data[k] = v
	}
	return h.Strings.TOrID(lang, id, data)
}

// linkMail is the mail to one address: its donors' links, in lang.
func (h *handler) linkMail(donors []donor, lang string) (mail.Message, error) {
	now := h.Now()
	intro := "manage_gift_mail_link"
	if len(donors) > 1 {
		intro = "manage_gift_mail_links"
	}
	paras := []string{h.t(lang, "donate_mail_greeting", nil), h.t(lang, "manage_gift_mail_intro", nil), h.t(lang, intro, nil)}
	for _, d := range donors {
		u, err := h.Links.URL(h.siteURL, d.ID, lang, now)
		if err != nil {
			return mail.Message{}, err
		}
		amounts := make([]string, len(d.Cents))
		for i, c := range d.Cents {
			amounts[i] = donation.FormatEuro(lang, c)
		}
		paras = append(paras, h.t(lang, "manage_gift_mail_item", map[string]any{"Amount": strings.Join(amounts, " + "), "URL": u}))
	}
	paras = append(paras, h.t(lang, "manage_gift_mail_ignore", nil), h.t(lang, "donate_mail_signoff", nil))
	return mail.Message{
		To:      []string{donors[0].Email},
		ReplyTo: h.Site.Params.Organisation.Email,
		Subject: h.t(lang, "manage_gift_mail_subject", nil),
		Body:    strings.Join(paras, "\n\n") + "\n",
	}, nil
}
