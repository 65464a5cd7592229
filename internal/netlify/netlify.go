// Package netlify reads netlify.toml, the one source of the site's build
// settings, routes ([[redirects]]) and response headers ([[headers]]). It
// parses and checks the file once; internal/headers applies the headers and
// internal/serve follows the routes, both from the File this gives them.
package netlify

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strings"

	"github.com/pelletier/go-toml/v2"

	site "github.com/payoke/site"
)

// File is netlify.toml, checked.
type File struct {
	Build     Build        `toml:"build"`
	Redirects []Redirect   `toml:"redirects"`
	Headers   []HeaderRule `toml:"headers"`
}

// Build is the [build] table.
type Build struct {
	Command     string            `toml:"command"`
	Publish     string            `toml:"publish"`
	Functions   string            `toml:"functions"`
	Environment map[string]string `toml:"environment"`
}

// Redirect is one [[redirects]] table; rules apply in file order, the
// first that matches wins.
type Redirect struct {
	From       string              `toml:"from"`
	To         string              `toml:"to"`
	Status     int                 `toml:"status"`
	Force      bool                `toml:"force"`
	Conditions map[string][]string `toml:"conditions"`
}

// HeaderRule is one [[headers]] table: the headers for the paths `for` matches.
type HeaderRule struct {
	For    string            `toml:"for"`
	Values map[string]string `toml:"values"`
}

// Matches reports whether the rule applies to path. A pattern is an exact
// path, or a prefix ending in "/*" (which also matches the bare prefix).
func (r HeaderRule) Matches(path string) bool {
	prefix, ok := strings.CutSuffix(r.For, "*")
	if !ok {
		return path == r.For
	}
	return strings.HasPrefix(path, prefix) || path+"/" == prefix
}

// Load reads netlify.toml from fsys.
func Load(fsys fs.FS) (*File, error) {
	data, err := fs.ReadFile(fsys, "netlify.toml")
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// Default is the netlify.toml embedded in the binary (site.go).
func Default() (*File, error) {
	return Load(site.Files)
}

// Parse reads a netlify.toml and checks its routes and headers.
func Parse(data []byte) (*File, error) {
	var f File
	if err := toml.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("netlify.toml: %w", err)
	}
	if err := checkRedirects(f.Redirects); err != nil {
		return nil, err
	}
	if err := checkHeaders(f.Headers); err != nil {
		return nil, err
	}
	return &f, nil
}

// checkRedirects refuses what the local server could not follow as Netlify does.
func checkRedirects(redirects []Redirect) error {
	if len(redirects) == 0 {
		return errors.New("netlify.toml: no [[redirects]]")
	}
	for _, r := range redirects {
		if !strings.HasPrefix(r.From, "/") || !strings.HasPrefix(r.To, "/") {
			return fmt.Errorf("netlify.toml: redirect %q → %q: both must be paths on this site", r.From, r.To)
		}
		switch r.Status {
		case http.StatusOK, http.StatusMovedPermanently, http.StatusFound, http.StatusNotFound:
		default:
			return fmt.Errorf("netlify.toml: redirect %q: status %d is not one the local server knows", r.From, r.Status)
		}
		for name := range r.Conditions {
			if name != "Language" {
				return fmt.Errorf("netlify.toml: redirect %q: condition %q is not one the local server knows", r.From, name)
			}
		}
	}
	return nil
}

// checkHeaders refuses patterns the local server would match otherwise
// than Netlify, empty values, and a header two matching rules both set.
func checkHeaders(rules []HeaderRule) error {
	if len(rules) == 0 {
		return errors.New("netlify.toml: no [[headers]]")
	}
	for i, r := range rules {
		if !strings.HasPrefix(r.For, "/") {
			return fmt.Errorf("netlify.toml: headers %q: the path must start with /", r.For)
		}
		if strings.Contains(strings.TrimSuffix(r.For, "*"), "*") || strings.Contains(r.For, ":") ||
			(strings.HasSuffix(r.For, "*") && !strings.HasSuffix(r.For, "/*")) {
			return fmt.Errorf("netlify.toml: headers %q: use an exact path or one ending in /*", r.For)
		}
		if len(r.Values) == 0 {
			return fmt.Errorf("netlify.toml: headers %q: no values", r.For)
		}
		for name, value := range r.Values {
			if strings.TrimSpace(value) == "" {
				return fmt.Errorf("netlify.toml: headers %q: %s is empty", r.For, name)
			}
		}
		// Netlify applies every matching rule; a header set by two of them
		// would be merged or doubled, so forbid it.
		for _, earlier := range rules[:i] {
			if !overlap(earlier.For, r.For) {
				continue
			}
			for name := range r.Values {
				for other := range earlier.Values {
					if strings.EqualFold(name, other) {
						return fmt.Errorf("netlify.toml: %s is set for both %q and %q, which match the same paths", name, earlier.For, r.For)
					}
				}
			}
		}
	}
	return nil
}

// overlap reports whether some path matches both patterns.
func overlap(a, b string) bool {
	pa, wa := strings.CutSuffix(a, "*")
	pb, wb := strings.CutSuffix(b, "*")
	switch {
	case wa && wb:
		return strings.HasPrefix(pa, pb) || strings.HasPrefix(pb, pa)
	case wa:
		return HeaderRule{For: a}.Matches(b)
	case wb:
		return HeaderRule{For: b}.Matches(a)
	}
	return a == b
}

// Running reports whether this process is a deployed function: Netlify runs
// functions on AWS Lambda, which sets AWS_LAMBDA_FUNCTION_NAME (the local
// server and the tests do not, unless they play a function).
func Running(getenv func(string) string) bool {
	return getenv("AWS_LAMBDA_FUNCTION_NAME") != ""
}
