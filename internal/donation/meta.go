// Package donation is the donation contract the site's donation functions share:
// donate writes it, webhook and managegift read it, and none of the three
// imports another. It holds the metadata a gift carries on its Stripe
// objects (Meta), the Stripe client they all build (NewStripeClient), the
// and how each language writes an amount (FormatEuro). The donation pages'
// addresses are in their content front matter (web.Pages).
package donation

import "github.com/payoke/site/internal/web"

// The two frequencies a gift can have.
const (
	Once    = "once"
	Monthly = "monthly"
)

// The metadata keys of the contract. donate writes them on the Checkout
// Session and copies them onto its PaymentIntent (one-off) or Subscription
// (monthly); Stripe also shows them on invoices as subscription_details.
// Gifts already in Stripe carry these exact keys: do not rename them.
const (
	KeyLang      = "lang"
	KeyFrequency = "frequency"
)

// Meta is what a gift says about itself on its Stripe objects.
type Meta struct {
	Lang      string // a site language: nl | en | fr
	Frequency string // Once | Monthly
}

// Encode is the metadata donate sends to Stripe.
func (m Meta) Encode() map[string]string {
	return map[string]string{KeyLang: m.Lang, KeyFrequency: m.Frequency}
}

// Decode reads the gift in md. ok is false when md is not one of ours: a
// gift is ours when its frequency is Once or Monthly and its language one
// with a donate page (web.PageSupport) among the site's pages. Other keys
// are ignored, such as the webhook's own mail marks (payoke_mail_…) on the
// same objects.
func Decode(md map[string]string, pages *web.Pages) (m Meta, ok bool) {
	m = Meta{Lang: md[KeyLang], Frequency: md[KeyFrequency]}
	_, page := pages.Path(m.Lang, web.PageSupport)
	if (m.Frequency != Once && m.Frequency != Monthly) || !page {
		return Meta{}, false
	}
	return m, true
}

// IsOurs reports md to be the metadata of a gift made by the donate form.
func IsOurs(md map[string]string, pages *web.Pages) bool {
	_, ok := Decode(md, pages)
	return ok
}
