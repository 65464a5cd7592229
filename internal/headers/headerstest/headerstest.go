// Package headerstest checks, in tests, that a response carries the headers
// netlify.toml gives its path (internal/headers), and that a page's own
// Content-Security-Policy is still strict.
package headerstest

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/payoke/site/internal/headers"
)

// Verify compares the headers of a response to path with what the rules
// of s give that path. A handler may replace the Content-Security-Policy with a
// narrower one for its own page (a style hash, say) if it still passes
// CheckPolicy.
func Verify(s *headers.Set, path string, got http.Header) error {
	var errs []error
	for name, want := range s.For(path) {
		have := got.Values(name)
		if name == "Content-Security-Policy" && len(have) == 1 && have[0] != want[0] {
			if err := CheckPolicy(have[0]); err != nil {
				errs = append(errs, fmt.Errorf("%s: the handler's own policy: %w", path, err))
			}
			continue
		}
		if len(have) != 1 || have[0] != want[0] {
			errs = append(errs, fmt.Errorf("%s: %s = %q, want %q", path, name, have, want[0]))
		}
	}
	return errors.Join(errs...)
}

// CheckPolicy reports what a page's Content-Security-Policy lacks: nothing
// by default, nothing inline or evaluated, no framing, no <base>.
func CheckPolicy(csp string) error {
	var errs []error
	for _, need := range []string{"default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, need) {
			errs = append(errs, fmt.Errorf("no %s in %q", need, csp))
		}
	}
	for _, bad := range []string{"'unsafe-", "*", "data:", "http:", ","} {
		if strings.Contains(csp, bad) {
			errs = append(errs, fmt.Errorf("%s in %q", bad, csp))
		}
	}
	return errors.Join(errs...)
}
