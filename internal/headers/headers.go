// Package headers reads the response headers from netlify.toml, the one
// source for the CDN, the functions and the local server, and applies them.
package headers

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strings"

	"github.com/pelletier/go-toml/v2"

	site "github.com/payoke/site"
)

// APIPath is the path the functions answer under; their headers are the
// ones netlify.toml gives this path.
const APIPath = "/api/"

// DefaultCacheControl is what Netlify sends when no rule sets Cache-Control
// (pages, for one): the browser revalidates every time.
const DefaultCacheControl = "public, max-age=0, must-revalidate"

// Rule is one [[headers]] table: the headers for the paths `for` matches.
type Rule struct {
	For    string            `toml:"for"`
	Values map[string]string `toml:"values"`
}

// Matches reports whether the rule applies to path. A pattern is an exact
// path, or a prefix ending in "/*" (which also matches the bare prefix).
func (r Rule) Matches(path string) bool {
	prefix, ok := strings.CutSuffix(r.For, "*")
	if !ok {
		return path == r.For
	}
	return strings.HasPrefix(path, prefix) || path+"/" == prefix
}

// Set is the validated list of rules.
type Set struct {
	rules []Rule
}

// Parse reads the [[headers]] tables of a netlify.toml and checks them.
func Parse(data []byte) (*Set, error) {
	var file struct {
		Headers []Rule `toml:"headers"`
	}
	if err := toml.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("netlify.toml: %w", err)
	}
	if len(file.Headers) == 0 {
		return nil, errors.New("netlify.toml: no [[headers]]")
	}
	for i, r := range file.Headers {
		if !strings.HasPrefix(r.For, "/") {
			return nil, fmt.Errorf("netlify.toml: headers %q: the path must start with /", r.For)
		}
		if strings.Contains(strings.TrimSuffix(r.For, "*"), "*") || strings.Contains(r.For, ":") ||
			(strings.HasSuffix(r.For, "*") && !strings.HasSuffix(r.For, "/*")) {
			return nil, fmt.Errorf("netlify.toml: headers %q: use an exact path or one ending in /*", r.For)
		}
		if len(r.Values) == 0 {
			return nil, fmt.Errorf("netlify.toml: headers %q: no values", r.For)
		}
		for name, value := range r.Values {
			if strings.TrimSpace(value) == "" {
				return nil, fmt.Errorf("netlify.toml: headers %q: %s is empty", r.For, name)
			}
		}
		// Netlify applies every matching rule; a header set by two of them
		// would be merged or doubled, so forbid it.
		for _, earlier := range file.Headers[:i] {
			if !overlap(earlier.For, r.For) {
				continue
			}
			for name := range r.Values {
				for other := range earlier.Values {
					if strings.EqualFold(name, other) {
						return nil, fmt.Errorf("netlify.toml: %s is set for both %q and %q, which match the same paths", name, earlier.For, r.For)
					}
				}
			}
		}
	}
	return &Set{rules: file.Headers}, nil
}

// overlap reports whether some path matches both patterns.
func overlap(a, b string) bool {
	pa, wa := strings.CutSuffix(a, "*")
	pb, wb := strings.CutSuffix(b, "*")
	switch {
	case wa && wb:
		return strings.HasPrefix(pa, pb) || strings.HasPrefix(pb, pa)
	case wa:
		return Rule{For: a}.Matches(b)
	case wb:
		return Rule{For: b}.Matches(a)
	}
	return a == b
}

// Load reads netlify.toml from fsys.
func Load(fsys fs.FS) (*Set, error) {
	data, err := fs.ReadFile(fsys, "netlify.toml")
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// Default is the Set from the netlify.toml embedded in the binary.
func Default() (*Set, error) {
	return Load(site.Files)
}

// Rules returns a copy of the rules, in file order.
func (s *Set) Rules() []Rule {
	out := make([]Rule, len(s.rules))
	copy(out, s.rules)
	return out
}

// For returns the headers for a response to path.
func (s *Set) For(path string) http.Header {
	h := http.Header{}
	for _, r := range s.rules {
		if r.Matches(path) {
			for name, value := range r.Values {
				h.Set(name, value)
			}
		}
	}
	return h
}

// Handler sets the headers for the request's path, then calls next, which
// may still change them.
func (s *Set) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		copyHeader(w.Header(), s.For(r.URL.Path))
		next.ServeHTTP(w, r)
	})
}

// API sets the functions' headers (those for APIPath) whatever the path the
// platform hands the function, then calls next.
func (s *Set) API(next http.Handler) http.Handler {
	h := s.For(APIPath)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		copyHeader(w.Header(), h)
		next.ServeHTTP(w, r)
	})
}

// API wraps a function's handler with the headers from the embedded
// netlify.toml: Netlify adds none to function responses.
func API(next http.Handler) (http.Handler, error) {
	s, err := Default()
	if err != nil {
		return nil, err
	}
	return s.API(next), nil
}

func copyHeader(dst, src http.Header) {
	for name, values := range src {
		dst[name] = append([]string(nil), values...)
	}
}
