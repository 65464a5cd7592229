package netlify

import (
	"strings"
	"testing"
)

// The embedded netlify.toml parses and has the three parts the site needs.
func TestDefault(t *testing.T) {
	t.Parallel()
	f, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if f.Build.Publish == "" || len(f.Redirects) == 0 || len(f.Headers) == 0 {
		t.Errorf("netlify.toml: publish %q, %d redirects, %d header rules", f.Build.Publish, len(f.Redirects), len(f.Headers))
	}
}

// oneHeader is a header rule that passes, so each redirect case is refused
// for its route alone.
const oneHeader = `
[[headers]]
for = "/*"
[headers.values]
X-A = "1"
`

func TestParseRefusesRedirects(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct{ toml, want string }{
		"no redirects":        {``, "no [[redirects]]"},
		"a relative source":   {"[[redirects]]\nfrom = \"api/*\"\nto = \"/x\"\nstatus = 200", "both must be paths"},
		"another origin":      {"[[redirects]]\nfrom = \"/x\"\nto = \"https://example.org/\"\nstatus = 302", "both must be paths"},
		"a status unknown":    {"[[redirects]]\nfrom = \"/x\"\nto = \"/y\"\nstatus = 307", "status 307"},
		"a condition unknown": {"[[redirects]]\nfrom = \"/\"\nto = \"/nl/\"\nstatus = 302\nconditions = { Country = [\"BE\"] }", `condition "Country"`},
	} {
		_, err := Parse([]byte(c.toml + "\n" + oneHeader))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error about %q", name, err, c.want)
		}
	}
}

// A header snippet becomes a whole file with one valid route, so each case
// is refused for its headers alone.
const oneRoute = `
[[redirects]]
from = "/api/*"
to = "/.netlify/functions/:splat"
status = 200
`

func TestParseRefusesHeaders(t *testing.T) {
	t.Parallel()
	for name, toml := range map[string]string{
		"a header set by two overlapping rules": `
[[headers]]
for = "/*"
[headers.values]
X-A = "1"
[[headers]]
for = "/nl/*"
[headers.values]
x-a = "2"`,
		"a wildcard in the middle": `
[[headers]]
for = "/*.css"
[headers.values]
X-A = "1"`,
		"a placeholder": `
[[headers]]
for = "/:lang/*"
[headers.values]
X-A = "1"`,
		"a relative path": `
[[headers]]
for = "nl/*"
[headers.values]
X-A = "1"`,
		"an empty value": `
[[headers]]
for = "/*"
[headers.values]
X-A = " "`,
		"no rules": ``,
	} {
		if _, err := Parse([]byte(oneRoute + toml)); err == nil {
			t.Errorf("Parse accepted %s", name)
		}
	}
	// Rules on disjoint paths may set the same header.
	if _, err := Parse([]byte(oneRoute + `
[[headers]]
for = "/nl/*"
[headers.values]
X-A = "1"
[[headers]]
for = "/en/*"
[headers.values]
X-A = "2"`)); err != nil {
		t.Errorf("Parse refused disjoint rules: %v", err)
	}
}

func TestMatches(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		pattern, path string
		want          bool
	}{
		{"/*", "/", true},
		{"/*", "/nl/x/", true},
		{"/nl/*", "/nl/", true},
		{"/nl/*", "/nl", true},
		{"/nl/*", "/nlx/", false},
		{"/nl/*", "/en/", false},
		{"/", "/", true},
		{"/", "/nl/", false},
	} {
		if got := (HeaderRule{For: c.pattern}).Matches(c.path); got != c.want {
			t.Errorf("%q matches %q = %v, want %v", c.pattern, c.path, got, c.want)
		}
	}
}
