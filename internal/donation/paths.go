package donation

// SupportPath is the donate page for lang, as content/<lang>/support.md sets
// it ("" if lang is not a site language); the site build tests of
// internal/donate and internal/managegift check it.
func SupportPath(lang string) string {
	switch lang {
	case "nl":
		return "/nl/steun-ons/"
	case "en":
		return "/en/support-us/"
	case "fr":
		return "/fr/soutenez-nous/"
	}
	return ""
}

// ThanksPath is the thank-you page for lang, as content/<lang>/donate-thanks.md
// sets it ("" if lang is not a site language).
func ThanksPath(lang string) string {
	if p := SupportPath(lang); p != "" {
		return p + map[string]string{"nl": "bedankt/", "en": "thank-you/", "fr": "merci/"}[lang]
	}
	return ""
}
