package siteconfig

import (
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"
)

// ibanLength is the length of an IBAN in each country of the SEPA scheme
// (SWIFT's IBAN registry): an EPC QR code asks for a SEPA credit transfer,
// so the account must be in one of them.
var ibanLength = map[string]int{
	"AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24,
	"DE": 22, "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22,
	"GI": 23, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27,
	"LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18,
	"NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24,
	"SM": 27, "VA": 22,
}

// CompactIBAN is the IBAN as the machine reads it: without spaces, in
// capitals ("be71 0961 2345 6769" → "BE71096123456769"). The templates
// do the same (upper, then replace " " with "").
func CompactIBAN(iban string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(iban), " ", ""))
}

// CompactBIC is the BIC without spaces, in capitals.
func CompactBIC(bic string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(bic), " ", ""))
}

var (
	ibanChars = regexp.MustCompile(`^[A-Z0-9]+$`)
	ibanHead  = regexp.MustCompile(`^[A-Z]{2}[0-9]{2}`)
	bicShape  = regexp.MustCompile(`^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$`)
)

// IBANProblem says, in plain words, what is wrong with an IBAN (ISO 13616),
// or returns "" if it is valid. Spaces are allowed, as on a bank statement
// ("BE71 0961 2345 6769"): two letters for the country, two check digits
// (02–98), the account number at the length of that country, and the
// whole, rearranged, leaving 1 when divided by 97.
func IBANProblem(iban string) string {
	c := CompactIBAN(iban)
	switch {
	case c == "":
		return "it is empty"
	case !ibanChars.MatchString(c):
		return fmt.Sprintf("%q holds characters an IBAN never has: only letters, digits and spaces, as \"BE71 0961 2345 6769\"", iban)
	case !ibanHead.MatchString(c):
		return fmt.Sprintf("%q does not start like an IBAN: two letters for the country, then two digits, as \"BE71 0961 2345 6769\"", iban)
	}
	country := c[:2]
	want, ok := ibanLength[country]
	if !ok {
		known := make([]string, 0, len(ibanLength))
		for k := range ibanLength {
			known = append(known, k)
		}
		slices.Sort(known)
		return fmt.Sprintf("%q starts with %s, which is not a country of SEPA transfers known to this check (%s); a transfer with the QR code needs an account in one of them", iban, country, strings.Join(known, " "))
	}
	if len(c) != want {
		return fmt.Sprintf("%q has %d letters and digits, but an IBAN of %s has %d: a character is missing or one too many; copy it again from a bank statement", iban, len(c), country, want)
	}
	if d := c[2:4]; d == "00" || d == "01" || d == "99" {
		return fmt.Sprintf("%q cannot be an IBAN: its check digits %s are never used (they run from 02 to 98)", iban, d)
	}
	if mod97(c[4:]+c[:4]) != 1 {
		return fmt.Sprintf("%q is not a valid IBAN: its check digits do not match the rest, so a character is probably mistyped; copy it again from a bank statement", iban)
	}
	return ""
}

// mod97 is the remainder of s divided by 97, each letter read as two
// digits (A = 10 … Z = 35), as ISO 7064 MOD 97-10 does for an IBAN.
func mod97(s string) int64 {
	var digits strings.Builder
	for _, r := range s {
		if r >= 'A' && r <= 'Z' {
			fmt.Fprintf(&digits, "%d", r-'A'+10)
		} else {
			digits.WriteRune(r)
		}
	}
	n, _ := new(big.Int).SetString(digits.String(), 10)
	return new(big.Int).Mod(n, big.NewInt(97)).Int64()
}

// BICProblem says, in plain words, what is wrong with a BIC (ISO 9362, the
// "SWIFT code"), or returns "" if it is valid: 8 or 11 characters, four
// letters for the bank, two for the country, two letters or digits for the
// place, and optionally three more for the branch. Spaces are allowed.
func BICProblem(bic string) string {
	c := CompactBIC(bic)
	if c == "" {
		return "it is empty"
	}
	if len(c) != 8 && len(c) != 11 {
		return fmt.Sprintf("%q has %d letters and digits, but a BIC has 8 or 11, as \"BANKBEBB\"", bic, len(c))
	}
	if !bicShape.MatchString(c) {
		return fmt.Sprintf("%q is not written like a BIC: four letters for the bank, two letters for the country, two letters or digits for the place, and optionally three for the branch, as \"BANKBEBB\"", bic)
	}
	return ""
}
