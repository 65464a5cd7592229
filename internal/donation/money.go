package donation

import (
	"strconv"
	"strings"
)

// FormatEuro writes cents the way each language writes euros (CLDR, as
// Hugo's lang.FormatCurrency does): nl "€ 1.250,50", en "€1,250.50",
// fr "1 250,50 €". Whole amounts drop the cents: "€ 25".
func FormatEuro(lang string, cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	group, decimal := ".", ","
	switch lang {
	case "en":
		group, decimal = ",", "."
	case "fr":
		group = "\u202f"
	}
	whole := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(c)
	}
	n := b.String()
	if c := cents % 100; c != 0 {
		n += decimal + strconv.FormatInt(c/10, 10) + strconv.FormatInt(c%10, 10)
	}
	if neg {
		n = "-" + n
	}
	switch lang {
	case "en":
		return "€" + n
	case "fr":
		return n + "\u00a0€"
	default:
		return "€\u00a0" + n
	}
}
