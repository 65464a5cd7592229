package otherorg

import (
	"os"
	"testing"

	"github.com/payoke/site/internal/i18n"
	"github.com/payoke/site/internal/siteconfig"
	"github.com/payoke/site/internal/web"
)

// fixtureSite reads this folder's config.toml and i18n/ (a link to ours, as
// a fork has them) the way the functions read the embedded ones: through
// web.LoadSiteFS, which web.LoadSite calls with site.Files. Every language
// of its config.toml is loaded, as the contact function does.
func fixtureSite(t *testing.T) (*siteconfig.Config, *i18n.Catalog) {
	t.Helper()
	cfg, cat, err := web.LoadSiteFS(os.DirFS("."), true)
	if err != nil {
		t.Fatalf("the fixture's config.toml and strings: %v", err)
	}
	return cfg, cat
}
