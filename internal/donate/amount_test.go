package donate_test

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/payoke/site/internal/donate"
)

func TestParseAmount(t *testing.T) {
	t.Parallel()
	good := map[string]int64{
		"25": 2500, "25.50": 2550, "25,50": 2550, "25,5": 2550, "0,05": 5, " 30 ": 3000,
		"€25": 2500, "€ 25,50": 2550, "25 €": 2500, "007": 700, "999999999": 99999999900,
	}
	for in, want := range good {
		if got, err := donate.ParseAmount(in); err != nil || got != want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	bad := map[string]error{
		"": donate.ErrAmountMissing, "   ": donate.ErrAmountMissing, "€": donate.ErrAmountMissing,
		"-5": donate.ErrAmountFormat, "+5": donate.ErrAmountFormat, "1e3": donate.ErrAmountFormat,
		"2 5": donate.ErrAmountFormat, "25.505": donate.ErrAmountFormat, "1.000,00": donate.ErrAmountFormat,
		"1,000": donate.ErrAmountFormat, "25.": donate.ErrAmountFormat, ".5": donate.ErrAmountFormat,
		"25,-": donate.ErrAmountFormat, "abc": donate.ErrAmountFormat, "0x19": donate.ErrAmountFormat,
		"1234567890": donate.ErrAmountFormat, "99999999999999999999999": donate.ErrAmountFormat,
		"٢٥": donate.ErrAmountFormat, "２５": donate.ErrAmountFormat, "25\u00a0000": donate.ErrAmountFormat,
		"NaN": donate.ErrAmountFormat, "Inf": donate.ErrAmountFormat, "25 , 50": donate.ErrAmountFormat,
	}
	for in, want := range bad {
		if got, err := donate.ParseAmount(in); !errors.Is(err, want) {
			t.Errorf("ParseAmount(%q) = %d, %v; want %v", in, got, err, want)
		}
	}
}

// FuzzParseAmount checks what any accepted input must satisfy: a sum in
// cents that the plain decimal reading of the input agrees with.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"25", "25.50", "25,5", "€ 25", "-1", "1e3", "2 5", "9999999999", "0,001", "€€5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cents, err := donate.ParseAmount(s)
		if err != nil {
			return
		}
		if cents < 0 || cents >= 1e11 {
			t.Fatalf("%q → %d cents, out of range", s, cents)
		}
		core := strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "€"))
		core = strings.TrimSpace(core)
		if strings.ContainsAny(core, "eE+- _") || strings.Count(core, ".")+strings.Count(core, ",") > 1 {
			t.Fatalf("%q accepted as %d cents", s, cents)
		}
		whole, frac, _ := strings.Cut(strings.ReplaceAll(core, ",", "."), ".")
		w, err1 := strconv.ParseInt(whole, 10, 64)
		fr, err2 := strconv.ParseInt((frac + "00")[:2], 10, 64)
		if err1 != nil || (frac != "" && err2 != nil) || w*100+fr != cents {
			t.Fatalf("%q → %d cents, but reads as %q.%q", s, cents, whole, frac)
		}
		again, err := donate.ParseAmount(fmt.Sprintf("%d,%02d", cents/100, cents%100))
		if err != nil || again != cents {
			t.Fatalf("%d cents does not round-trip: %d, %v", cents, again, err)
		}
	})
}
