package managegift

import "github.com/payoke/site/internal/donation"

// SentPath is the "check your mailbox" page for lang, as
// content/<lang>/manage-gift-sent.md sets it ("" if lang is not a site
// language); the site build test checks it.
func SentPath(lang string) string {
	if p := donation.SupportPath(lang); p != "" {
		return p + map[string]string{"nl": "kijk-in-je-mailbox/", "en": "check-your-mailbox/", "fr": "consultez-vos-e-mails/"}[lang]
	}
	return ""
}

// FormPath is where the form sits: the support page, at its #manage-gift
// anchor (layouts/_shortcodes/manage-gift-form.html).
func FormPath(lang string) string { return donation.SupportPath(lang) + "#manage-gift" }
