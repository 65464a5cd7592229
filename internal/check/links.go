package check

import (
	"net/url"
	"path"
	"regexp"
	"strings"
)

// The patterns below find Markdown images and links on one line. They are
// simpler than a Markdown parser, and give the line number for free; code
// blocks, inline code and shortcodes are blanked out first.
var (
	imagePattern = regexp.MustCompile(`!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+["'(][^)]*)?\)`)
	linkPattern  = regexp.MustCompile(`\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+["'(][^)]*)?\)`)
	refPattern   = regexp.MustCompile(`^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+["'(].*)?$`)
	codeSpan     = regexp.MustCompile("`+[^`]*`+")
	shortcode    = regexp.MustCompile(`\{\{[<%].*?[%>]\}\}`)
)

func checkLinks(s *site, rep *Report) {
	for _, p := range s.pages {
		fence := ""
		for i, line := range p.body {
			n := p.bodyStart + i
			trimmed := strings.TrimSpace(line)
			if fence != "" {
				if strings.HasPrefix(trimmed, fence) {
					fence = ""
				}
				continue
			}
			if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
				fence = trimmed[:3]
				continue
			}
			line = blank(line, codeSpan)
			line = blank(line, shortcode)
			for _, m := range imagePattern.FindAllStringSubmatchIndex(line, -1) {
				alt, dest := line[m[2]:m[3]], line[m[4]:m[5]]
				s.checkImage(rep, p, n, alt, dest)
				line = line[:m[0]] + strings.Repeat("x", m[1]-m[0]) + line[m[1]:]
			}
			for _, m := range linkPattern.FindAllStringSubmatch(line, -1) {
				s.checkLink(rep, p, n, m[2])
			}
			if m := refPattern.FindStringSubmatch(line); m != nil {
				s.checkLink(rep, p, n, m[2])
			}
		}
	}
}

// blank replaces what re matches with spaces, keeping the columns.
func blank(line string, re *regexp.Regexp) string {
	return re.ReplaceAllStringFunc(line, func(m string) string { return strings.Repeat(" ", len(m)) })
}

func (s *site) checkImage(rep *Report, p *page, line int, alt, dest string) {
	if strings.TrimSpace(alt) == "" {
		rep.errorf(p.file, line, "the image %q has no description — write what it shows between the square brackets, like ![Staff at the Payoke office](%s), so people who cannot see it know too", dest, dest)
	}
	u, err := url.Parse(dest)
	if err != nil || dest == "" {
		rep.errorf(p.file, line, "the image address %q cannot be read — check the brackets and leave no spaces in the file name", dest)
		return
	}
	if u.Scheme != "" || u.Host != "" {
		rep.errorf(p.file, line, "the image %q is on another website — put the file in assets/images/ and write ![…](/images/name.jpg), so readers' browsers never contact another site", dest)
		return
	}
	if s.pageResource(p, u.Path) || s.exists(path.Join("assets", u.Path)) {
		return
	}
	if s.exists(path.Join("static", u.Path)) {
		rep.errorf(p.file, line, "the image %q is in static/, where the site cannot resize it — move it to assets%s", dest, "/"+strings.TrimPrefix(u.Path, "/"))
		return
	}
	rep.errorf(p.file, line, "the image %q was not found — put the file in assets/images/ and write ![…](/images/%s)", dest, path.Base(u.Path))
}

func (s *site) checkLink(rep *Report, p *page, line int, dest string) {
	u, err := url.Parse(dest)
	if err != nil {
		rep.errorf(p.file, line, "the link %q cannot be read — check the brackets and leave no spaces in it", dest)
		return
	}
	if u.Scheme != "" || u.Host != "" || u.Path == "" {
		return // another website, an e-mail address, a phone number, or #a-heading on this page
	}
	if s.findPage(p, u.Path) != nil || s.pageResource(p, u.Path) ||
		s.exists(path.Join("assets", u.Path)) || s.exists(path.Join("static", u.Path)) {
		return
	}
	if q := s.pageWithURL(u.Path); q != nil {
		rep.errorf(p.file, line, "the link %q is a web address; link to the page's file instead: [%s](%s)", dest, "…", "/"+strings.TrimSuffix(strings.TrimSuffix(q.rel, ".md"), "/_index"))
		return
	}
	rep.errorf(p.file, line, "the link %q leads nowhere — use the path of a page's file without \".md\", like /about/history or /news/my-item, and check the spelling", dest)
}

// findPage resolves a content path the way Hugo's GetPage does, in the
// page's own language: /about/history, about/history.md, /news/ …
func (s *site) findPage(from *page, target string) *page {
	target = strings.ToLower(strings.TrimSuffix(target, ".md"))
	var candidates []string
	if strings.HasPrefix(target, "/") {
		candidates = append(candidates, path.Clean(target))
	} else {
		candidates = append(candidates, path.Join("/", path.Dir(from.rel), target), path.Clean("/"+target))
	}
	for _, c := range candidates {
		c = strings.TrimPrefix(c, "/")
		for _, q := range s.pages {
			if q.lang.code != from.lang.code {
				continue
			}
			logical := strings.ToLower(strings.TrimSuffix(q.rel, ".md"))
			if b := path.Base(logical); b == "_index" || b == "index" {
				logical = strings.TrimPrefix(path.Dir(logical), ".")
			}
			if logical == c {
				return q
			}
		}
	}
	return nil
}

// pageResource reports whether name is a file in the page's bundle: the
// folder of an index.md or _index.md. A plain page file has no bundle.
func (s *site) pageResource(p *page, name string) bool {
	base := path.Base(p.rel)
	if (base != "index.md" && base != "_index.md") || strings.HasPrefix(name, "/") {
		return false
	}
	return s.exists(path.Join(p.lang.contentDir, path.Dir(p.rel), name))
}

// pageWithURL finds a page whose address (url front matter) is u, to
// suggest its file path to someone who pasted the address.
func (s *site) pageWithURL(u string) *page {
	u = strings.TrimSuffix(u, "/")
	for _, q := range s.pages {
		if v := strings.TrimSuffix(q.str("url"), "/"); v != "" && v == u {
			return q
		}
	}
	return nil
}
