// Package headers applies the response headers of netlify.toml (read and
// checked by internal/netlify), the one source for the CDN, the functions
// and the local server.
package headers

import (
	"io/fs"
	"net/http"

	"github.com/payoke/site/internal/netlify"
)

// APIPath is the path the functions answer under; their headers are the
// ones netlify.toml gives this path.
const APIPath = "/api/"

// DefaultCacheControl is what Netlify sends when no rule sets Cache-Control
// (pages, for one): the browser revalidates every time.
const DefaultCacheControl = "public, max-age=0, must-revalidate"

// Rule is one [[headers]] table: the headers for the paths `for` matches
// (Matches).
type Rule = netlify.HeaderRule

// Set is the validated list of rules.
type Set struct {
	rules []Rule
}

// New gives the headers of a netlify.toml that netlify.Parse has checked.
func New(f *netlify.File) *Set {
	return &Set{rules: f.Headers}
}

// Parse reads a netlify.toml (netlify.Parse, which checks it) and gives its headers.
func Parse(data []byte) (*Set, error) {
	f, err := netlify.Parse(data)
	if err != nil {
		return nil, err
	}
	return New(f), nil
}

// Load reads netlify.toml from fsys.
func Load(fsys fs.FS) (*Set, error) {
	f, err := netlify.Load(fsys)
	if err != nil {
		return nil, err
	}
	return New(f), nil
}

// Default is the Set from the netlify.toml embedded in the binary.
func Default() (*Set, error) {
	f, err := netlify.Default()
	if err != nil {
		return nil, err
	}
	return New(f), nil
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
