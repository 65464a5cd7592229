package serve

import (
	"io/fs"
	"net/http"
	"strings"

	"github.com/payoke/site/internal/netlify"
)

// functionsPrefix is where Netlify serves the functions.
const functionsPrefix = "/.netlify/functions/"

// Route is one [[redirects]] table of netlify.toml; the local server
// follows the same rules as Netlify, in the same order.
type Route netlify.Redirect

// Routes gives the routes of a netlify.toml that netlify.Parse has checked.
func Routes(f *netlify.File) []Route {
	out := make([]Route, len(f.Redirects))
	for i, r := range f.Redirects {
		out[i] = Route(r)
	}
	return out
}

// LoadRoutes reads netlify.toml in fsys (netlify.Load, which checks it)
// and gives its routes.
func LoadRoutes(fsys fs.FS) ([]Route, error) {
	f, err := netlify.Load(fsys)
	if err != nil {
		return nil, err
	}
	return Routes(f), nil
}

// match reports whether the route applies to path and, for a pattern
// ending in *, what the * stands for.
func (r Route) match(path string) (splat string, ok bool) {
	prefix, wild := strings.CutSuffix(r.From, "*")
	if !wild {
		return "", path == r.From
	}
	if path+"/" == prefix {
		return "", true
	}
	return strings.CutPrefix(path, prefix)
}

// target is the route's destination with :splat filled in.
func (r Route) target(splat string) string {
	return strings.ReplaceAll(r.To, ":splat", splat)
}

// accepts reports whether the request meets the route's conditions.
func (r Route) accepts(req *http.Request) bool {
	langs, ok := r.Conditions["Language"]
	if !ok {
		return true
	}
	first := FirstLanguage(req.Header.Get("Accept-Language"))
	for _, l := range langs {
		if first != "" && strings.EqualFold(l, first) {
			return true
		}
	}
	return false
}

// FirstLanguage is the language a Language condition of netlify.toml is
// matched against, by Netlify's rule: the first language the browser lists,
// whatever the q-values of the others. Netlify's docs say "Language-based
// redirects always match against the first language reported by the browser
// in the Accept-Language header regardless of quality value weighting";
// netlify-cli's dev server (src/utils/rules-proxy.ts, getLanguage) takes the
// text before the first comma and keeps its first two characters. So do we:
//
//	"ro-RO,ro;q=0.9,en;q=0.5" → "ro"    "zh-Hans" → "zh"    "pt-BR" → "pt"
//	"en;q=0.1,ro"             → "en"    (first listed wins, not highest q)
//	"*" → "*" and "" → "" (neither matches a rule: the fallback applies)
//
// Browsers list languages by falling weight, so for them first listed is
// highest weighted. Known differences: a three-letter code is cut to two
// ("fil" → "fi"), like netlify-cli; netlify-cli reads a missing header as
// "en", where we (and the fallback rule) give Dutch.
func FirstLanguage(acceptLanguage string) string {
	first, _, _ := strings.Cut(acceptLanguage, ",")
	first = strings.TrimSpace(first)
	if r := []rune(first); len(r) > 2 {
		first = string(r[:2])
	}
	return first
}
