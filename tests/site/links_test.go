package sitetest

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestInternalLinksResolve: every link, resource and form action on this
// site's origin names a file of the built site (and an id, if it has a #fragment).
func TestInternalLinksResolve(t *testing.T) {
	s := load(t)
	for _, p := range s.pages {
		report(t, p.where(), checkLinks(s, p))
	}
}

// TestNothingFromAnotherOrigin: no page makes the reader's browser contact
// another site: no script, style, font, image, frame or form action elsewhere.
// Plain links to other sites (the reader chooses to follow them) are fine.
func TestNothingFromAnotherOrigin(t *testing.T) {
	s := load(t)
	for _, p := range s.pages {
		report(t, p.where(), checkOrigins(s, p))
	}
	for _, file := range s.sorted(".css") {
		report(t, "/"+file, checkCSS(s, file))
	}
}

func checkLinks(s *site, p *page) []string {
	var out []string
	for _, r := range refs(p.doc) {
		where := fmt.Sprintf("<%s %s=%q>", r.tag, r.attr, r.value)
		if r.value == "" {
			out = append(out, where+" is empty")
			continue
		}
		u, err := p.url.Parse(r.value)
		if err != nil {
			out = append(out, fmt.Sprintf("%s is not a URL: %v", where, err))
			continue
		}
		switch u.Scheme {
		case "https", "http":
		case "mailto", "tel", "sms":
			if r.tag != "a" && r.tag != "area" {
				out = append(out, where+": "+u.Scheme+": belongs only in <a href>")
			}
			continue
		default:
			out = append(out, fmt.Sprintf("%s: %s: URLs are not allowed (the CSP and the privacy rules forbid inline code and data)", where, u.Scheme))
			continue
		}
		if !s.internal(u) {
			continue // checkOrigins judges those
		}
		if u.Scheme == "http" {
			out = append(out, where+": use a relative link or https")
		}
		if r.kind == submits && strings.HasPrefix(u.Path, "/api/") {
			continue // served by the functions, not by files
		}
		if problem := s.resolve(u); problem != "" {
			out = append(out, where+": "+problem)
		}
	}
	return out
}

// resolve checks that the internal URL u names a file and, with a fragment, an id in it.
func (s *site) resolve(u *url.URL) string {
	file, ok, hint := s.lookup(u)
	if !ok {
		return hint
	}
	if u.Fragment == "" {
		return ""
	}
	target := s.byFile[file]
	if target == nil {
		return ""
	}
	for _, n := range elements(target.doc, "") {
		if get(n, "id") == u.Fragment || (n.Data == "a" && get(n, "name") == u.Fragment) {
			return ""
		}
	}
	return fmt.Sprintf("%s has no element with id %q", u.Path, u.Fragment)
}

func checkOrigins(s *site, p *page) []string {
	var out []string
	for _, r := range refs(p.doc) {
		u, err := p.url.Parse(r.value)
		if err != nil || r.kind == navigates || s.internal(u) || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		what := "loads"
		if r.kind == submits {
			what = "sends the form to"
		}
		out = append(out, fmt.Sprintf("<%s %s> %s %s, another origin: the reader's browser would contact %s. Serve the file from this site instead.", r.tag, r.attr, what, r.value, u.Host))
	}
	return out
}

// url(…) and @import in stylesheets.
var cssURL = regexp.MustCompile(`url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')`)

// checkCSS: a stylesheet loads fonts and images from this site only, and they exist.
func checkCSS(s *site, file string) []string {
	var out []string
	base := s.base.JoinPath(file)
	for _, m := range cssURL.FindAllStringSubmatch(string(s.files[file]), -1) {
		v := strings.Join(m[1:], "")
		if v == "" || strings.HasPrefix(v, "#") {
			continue // url(#filter): a fragment of the document itself
		}
		u, err := base.Parse(v)
		switch {
		case err != nil:
			out = append(out, fmt.Sprintf("url(%s) is not a URL: %v", v, err))
		case u.Scheme == "data":
			out = append(out, fmt.Sprintf("url(%.40s…) is a data: URL, which the CSP blocks; put the file in assets/ instead", v))
		case !s.internal(u):
			out = append(out, fmt.Sprintf("url(%s) loads from another origin (%s); serve the file from this site", v, u.Host))
		default:
			if problem := s.resolve(u); problem != "" {
				out = append(out, fmt.Sprintf("url(%s): %s", v, problem))
			}
		}
	}
	return out
}

// sorted returns the output files ending in ext, sorted, outside staff-only folders.
func (s *site) sorted(ext string) []string {
	var out []string
	for f := range s.files {
		if path.Ext(f) == ext && !staffOnly(f) {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out
}
