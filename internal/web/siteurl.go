package web

import (
	"fmt"
	"net/url"
	"strings"
)

// SiteURL checks SITE_URL (raw, or baseURL when raw is empty) and returns it
// without a trailing slash, ready for paths to be appended, and its origin
// (scheme://host) for cross-origin checks.
func SiteURL(raw, baseURL string) (base, origin string, err error) {
	if raw == "" {
		raw = baseURL
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", "", fmt.Errorf("SITE_URL %q must be an absolute http(s) URL without query", raw)
	}
	return strings.TrimSuffix(u.String(), "/"), u.Scheme + "://" + u.Host, nil
}
