package donation_test

import (
	"maps"
	"testing"

	"github.com/payoke/site/internal/donation"
	"github.com/payoke/site/internal/web"
)

// TestMetaWire pins the metadata as Stripe holds it: gifts made before a
// change must still be read as ours after it.
func TestMetaWire(t *testing.T) {
	t.Parallel()
	got := donation.Meta{Lang: "fr", Frequency: donation.Monthly}.Encode()
	if want := map[string]string{"lang": "fr", "frequency": "monthly"}; !maps.Equal(got, want) {
		t.Errorf("Encode = %v, want %v", got, want)
	}
	for _, lang := range []string{"nl", "en", "fr"} {
		for _, f := range []string{donation.Once, donation.Monthly} {
			in := donation.Meta{Lang: lang, Frequency: f}
			md := in.Encode()
			md["payoke_mail_thanks_donor"] = "cs_1:sent" // the webhook's marks ride along
			if m, ok := donation.Decode(md, web.SitePages()); !ok || m != in || !donation.IsOurs(md, web.SitePages()) {
				t.Errorf("Decode(%v) = %v, %v; want %v, true", md, m, ok, in)
			}
		}
	}
}

func TestDecodeRefusesOthers(t *testing.T) {
	t.Parallel()
	for _, md := range []map[string]string{
		nil,
		{},
		{"lang": "en"},
		{"frequency": "once"},
		{"lang": "de", "frequency": "once"},      // no donate page in that language
		{"lang": "EN", "frequency": "once"},      // exact codes only
		{"lang": "en", "frequency": "yearly"},    // not a frequency of ours
		{"lang": "en", "frequency": "Monthly"},   // exact values only
		{"lang": "", "frequency": "monthly"},     // someone else's subscription
		{"order": "42", "frequency": "monthly"},  // same
		{"lang": "nl ", "frequency": "monthly "}, // no trimming
	} {
		if m, ok := donation.Decode(md, web.SitePages()); ok || m != (donation.Meta{}) || donation.IsOurs(md, web.SitePages()) {
			t.Errorf("Decode(%v) = %v, %v; want not ours", md, m, ok)
		}
	}
}

func TestFormatEuro(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		lang  string
		cents int64
		want  string
	}{
		{"nl", 2500, "€\u00a025"}, {"nl", 2550, "€\u00a025,50"}, {"nl", 1000000, "€\u00a010.000"},
		{"en", 2505, "€25.05"}, {"en", 123456789, "€1,234,567.89"},
		{"fr", 500, "5\u00a0€"}, {"fr", 1000050, "10\u202f000,50\u00a0€"},
	} {
		if got := donation.FormatEuro(c.lang, c.cents); got != c.want {
			t.Errorf("FormatEuro(%s, %d) = %q, want %q", c.lang, c.cents, got, c.want)
		}
	}
}

func TestNewStripeClientRefusesABadURL(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"stripe-mock:12111", "ftp://x", "http://", "://x"} {
		if _, err := donation.NewStripeClient("sk_test_123", u); err == nil || err.Error() != `parse "STRIPE_API_URL": must be an absolute http(s) URL` {
			t.Errorf("NewStripeClient(%q): %v", u, err)
		}
	}
	if api, err := donation.NewStripeClient("sk_test_123", ""); err != nil || api == nil {
		t.Errorf("no URL: %v", err)
	}
}
