package siteconfig_test

import (
	"strings"
	"testing"

	"github.com/payoke/site/internal/siteconfig"
)

// BE71 0961 2345 6769 is the example IBAN of ISO 13616 and the EPC; the
// others are the registry's examples for their countries. None is Payoke's.
func TestIBANProblem(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{
		"BE71 0961 2345 6769", "BE71096123456769", "be71 0961 2345 6769",
		"NL91 ABNA 0417 1643 00", "DE89 3704 0044 0532 0130 00", "FR14 2004 1010 0505 0001 3M02 606",
		"LU28 0019 4006 4475 0000", "GB29 NWBK 6016 1331 9268 19", "NO93 8601 1117 947", "MT84 MALT 0110 0001 2345 MTLC AST0 01S",
	} {
		if p := siteconfig.IBANProblem(ok); p != "" {
			t.Errorf("%q: %s, want valid", ok, p)
		}
	}
	for iban, want := range map[string]string{
		"":                      "empty",
		"BE72 0961 2345 6769":   "check digits do not match",
		"BE71 0961 2345 6768":   "check digits do not match",
		"BE71 0961 2354 6769":   "check digits do not match",
		"BE71 0961 2345 676":    "has 15 letters and digits, but an IBAN of BE has 16",
		"BE71 0961 2345 67690":  "has 17 letters and digits, but an IBAN of BE has 16",
		"NL91 ABNA 0417 1643 0": "an IBAN of NL has 18",
		"BE71-0961-2345-6769":   "characters an IBAN never has",
		"BE71.0961.2345.6769":   "characters an IBAN never has",
		"7109 6123 4567 69":     "does not start like an IBAN",
		"BEXX 0961 2345 6769":   "does not start like an IBAN",
		"US12 3456 7890 1234":   "not a country of SEPA transfers",
		"BE01 0961 2345 6769":   "never used",
		"BE99 0961 2345 6769":   "never used",
		"0961 2345 6769":        "does not start like an IBAN",
		"BE71 0961 2345 6769 ":  "", // trailing space: fine
	} {
		p := siteconfig.IBANProblem(iban)
		if want == "" {
			if p != "" {
				t.Errorf("%q: %s, want valid", iban, p)
			}
			continue
		}
		if !strings.Contains(p, want) {
			t.Errorf("%q: %q, want a problem mentioning %q", iban, p, want)
		}
	}
}

// The check digits 01 and 98 leave the same remainder modulo 97, so only
// the range rule (02–98) catches 01: BE98 0000 1000 0393 is valid.
func TestIBANCheckDigitRange(t *testing.T) {
	t.Parallel()
	if p := siteconfig.IBANProblem("BE98 0000 1000 0393"); p != "" {
		t.Fatalf("BE98 0000 1000 0393: %s, want valid", p)
	}
	if p := siteconfig.IBANProblem("BE01 0000 1000 0393"); !strings.Contains(p, "never used") {
		t.Errorf("BE01 0000 1000 0393: %q, want the check digits refused", p)
	}
}

func TestBICProblem(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"BANKBEBB", "bankbebb", "BANK BE BB", "BANKBEBBXXX", "GEBABEB1", "DEUTDEFF500"} {
		if p := siteconfig.BICProblem(ok); p != "" {
			t.Errorf("%q: %s, want valid", ok, p)
		}
	}
	for bic, want := range map[string]string{
		"":             "empty",
		"BANKBEB":      "has 7 letters and digits, but a BIC has 8 or 11",
		"BANKBEBBX":    "has 9",
		"BANKBEBBXXXX": "has 12",
		"BAN1BEBB":     "not written like a BIC",
		"BANKB1BB":     "not written like a BIC",
		"BANKBEB-":     "not written like a BIC",
		"BANKBEBBX-X":  "not written like a BIC",
	} {
		if p := siteconfig.BICProblem(bic); !strings.Contains(p, want) {
			t.Errorf("%q: %q, want a problem mentioning %q", bic, p, want)
		}
	}
}

func TestCompact(t *testing.T) {
	t.Parallel()
	if got := siteconfig.CompactIBAN(" be71 0961 2345 6769 "); got != "BE71096123456769" {
		t.Errorf("CompactIBAN = %q", got)
	}
	if got := siteconfig.CompactBIC(" bank be bb "); got != "BANKBEBB" {
		t.Errorf("CompactBIC = %q", got)
	}
}

// Load reads the three settings of [params.donation].
func TestLoadReadsTheBankSettings(t *testing.T) {
	fsys := configWith("minimum = 5\nmaximum = 10\naccountHolder = \"Example vzw\"\niban = \"BE71 0961 2345 6769\"\nbic = \"BANKBEBB\"")
	c, err := siteconfig.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if d := c.Params.Donation; d.AccountHolder != "Example vzw" || d.IBAN != "BE71 0961 2345 6769" || d.BIC != "BANKBEBB" {
		t.Errorf("donation = %+v", d)
	}
}
