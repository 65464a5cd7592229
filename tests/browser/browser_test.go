package browser

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"sort"
	"testing"
	"time"

	"github.com/payoke/site/internal/donate/stripemock"
	"github.com/payoke/site/internal/mail/mailtest"
)

// TestBrowser starts everything once (stripe-mock, an SMTP server, the
// site, one browser) and runs the page checks and the journeys on it.
// Run one part with -run, e.g. -run 'TestBrowser/journeys/donate'.
func TestBrowser(t *testing.T) {
	tl := needTools(t)
	start := time.Now()
	s, mail := startSuite(t, tl)
	t.Logf("site, stripe-mock, SMTP server and browser ready in %s", time.Since(start).Round(time.Millisecond))
	pages := sitemapPages(t, s.site.URL)

	t.Run("pages", func(t *testing.T) {
		t.Parallel()
		var h heights
		s.each(t, pages, func(t *testing.T, tb *tab, i int) { s.checkPage(t, tb, pages[i], i, &h) })
		t.Logf("checked %d pages at %s, %s, %s, %s and 200 %% zoom, JS on and off", len(pages), phone, phone390, desktop, wide)
		logHeights(t, s.cfg, &h)
	})

	t.Run("journeys", func(t *testing.T) {
		t.Parallel()
		journeys := map[string]func(*testing.T){
			"axe finds faults":  s.testAxeFinds,
			"cards":             s.testCards,
			"contact":           func(t *testing.T) { s.testContact(t, mail) },
			"donate":            s.testDonate,
			"help-first-screen": s.testHelpFirstScreen,
			"manage-gift":       s.testManageGift,
			"professional":      s.testProfessional,
			"quick-exit":        s.testQuickExit,
			"right-to-left":     s.testRightToLeft,
			"root-language":     s.testRootLanguage,
			"timeline":          s.testTimeline,
			"zoom":              s.testZoom,
		}
		var names []string
		for name := range journeys {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				journeys[name](t)
			})
		}
	})
}

// startSuite starts stripe-mock, the SMTP server, `payoke serve` and the
// browser; all stop when t ends.
func startSuite(t *testing.T, tl tools) (*suite, *mailtest.Server) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	root := moduleRoot(t)
	stripe, err := stripemock.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stripe.Close() })
	mail := mailtest.New(t)
	siteURL := startSite(t, ctx, root, []string{
		"STRIPE_SECRET_KEY=sk_test_123",
		"STRIPE_API_URL=" + stripe.URL,
		"SMTP_URL=" + mail.URL(),
		"MAIL_FROM=website@payoke.test",
		"CONTACT_TO=staff@payoke.test",
		"MANAGE_GIFT_SECRET=browser-test-manage-gift-secret-0123456789",
	})
	s := &suite{
		browser: newBrowser(t, tl.chromium),
		tabs:    make(chan struct{}, tabs),
		axe:     tl.axe,
		site:    site{URL: siteURL, Stripe: stripe.URL},
		cfg:     siteConfig(t),
	}
	return s, mail
}

// sitemapPages reads the sitemap index and every language's sitemap, and
// returns the paths of all pages.
func sitemapPages(t *testing.T, base string) []string {
	t.Helper()
	var index struct {
		Sitemaps []string `xml:"sitemap>loc"`
		URLs     []string `xml:"url>loc"`
	}
	getXML(t, base+"/sitemap.xml", &index)
	locs := index.URLs
	for _, sm := range index.Sitemaps {
		var one struct {
			URLs []string `xml:"url>loc"`
		}
		getXML(t, localURL(t, base, sm), &one)
		if len(one.URLs) == 0 {
			t.Errorf("sitemap %s lists no page", sm)
		}
		locs = append(locs, one.URLs...)
	}
	seen := map[string]bool{}
	var paths []string
	for _, loc := range locs {
		u, err := url.Parse(loc)
		if err != nil {
			t.Fatalf("sitemap: %v", err)
		}
		if !seen[u.Path] {
			seen[u.Path] = true
			paths = append(paths, u.Path)
		}
	}
	if len(paths) == 0 {
		t.Fatal("the sitemaps list no page")
	}
	return paths
}

// localURL is loc on the local server (the sitemap may name the public site).
func localURL(t *testing.T, base, loc string) string {
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatalf("sitemap: %v", err)
	}
	return base + u.Path
}

func getXML(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", u, resp.StatusCode, err)
	}
	if err := xml.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}
