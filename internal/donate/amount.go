package donate

import (
	"errors"
	"strings"
)

// Reasons ParseAmount refuses an input; each maps to one localized message.
var (
	ErrAmountMissing = errors.New("amount missing")
	ErrAmountFormat  = errors.New("amount not a euro amount")
)

// maxWholeDigits bounds the euros part long before int64 could overflow;
// the configured maximum decides the real limit.
const maxWholeDigits = 9

// ParseAmount reads a euro amount as a donor types it — "25", "25.50",
// "25,50", "€ 25" — and returns it in whole cents. It refuses signs,
// exponents, thousands separators, spaces inside the number, more than two
// decimals and anything but ASCII digits: guessing would charge the wrong sum.
func ParseAmount(s string) (int64, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "€"), "€"))
	if s == "" {
		return 0, ErrAmountMissing
	}
	whole, frac, hasSep := s, "", false
	if i := strings.IndexAny(s, ".,"); i >= 0 {
		whole, frac, hasSep = s[:i], s[i+1:], true
	}
	if whole == "" || len(whole) > maxWholeDigits || !digits(whole) {
		return 0, ErrAmountFormat
	}
	if hasSep && (len(frac) < 1 || len(frac) > 2 || !digits(frac)) {
		return 0, ErrAmountFormat
	}
	var cents int64
	for _, c := range whole {
		cents = cents*10 + int64(c-'0')
	}
	cents *= 100
	switch len(frac) {
	case 1:
		cents += int64(frac[0]-'0') * 10
	case 2:
		cents += int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	}
	return cents, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
