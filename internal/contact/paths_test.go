package contact

import "github.com/payoke/site/internal/web"

// siteThanks and siteContact are thanksPath and contactPath of the embedded
// site, whose pages' front matter sets them (web.SitePages).
func siteThanks(lang string) string {
	cfg, _, err := web.LoadSite()
	if err != nil {
		panic(err)
	}
	return thanksPath(web.SitePages(), cfg, lang)
}

func siteContact(lang string) string { return contactPath(web.SitePages(), lang) }
