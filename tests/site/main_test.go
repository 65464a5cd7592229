// Package sitetest builds the site once with the pinned Hugo and checks what
// readers would receive: every page in every language, links, privacy rules
// (nothing from another origin, nothing inline that the CSP forbids) and page
// weight. Everything is derived from the output and config.toml, so pages and
// languages added later are checked without touching these tests.
package sitetest

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"path"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	root "github.com/payoke/site"
	"github.com/payoke/site/internal/hugobuild"
	"github.com/payoke/site/internal/siteconfig"
	"github.com/payoke/site/internal/testutil"
)

// built is the site, built once, on first use: inside a test, so that the
// files hugobuild opens enter go test's cache key (opens in TestMain do not).
var built struct {
	once sync.Once
	at   time.Time // when the build started: Hugo's "now"
	site *site
	log  string
	err  error
}

// ensureBuilt builds the site the first time any test asks for it.
func ensureBuilt() {
	built.once.Do(func() {
		built.at = time.Now()
		built.site, built.log, built.err = build()
	})
}

func build() (*site, string, error) {
	dir, err := hugobuild.Root(".")
	if err != nil {
		return nil, "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// The build of this run, shared with the other packages. It fails on
	// any of Hugo's warnings; its log is kept for TestBuildPrintsNoWarnings.
	dest, log, err := hugobuild.Shared(ctx, dir, dir)
	if err != nil {
		return nil, log, err
	}
	cfg, err := siteconfig.Load(root.Files)
	if err != nil {
		return nil, log, err
	}
	files, err := testutil.ReadTree(dest)
	if err != nil {
		return nil, log, err
	}
	s, err := newSite(cfg, files)
	return s, log, err
}

// load returns the built site or stops the test if the build failed.
func load(t *testing.T) *site {
	t.Helper()
	ensureBuilt()
	if built.err != nil {
		t.Fatal("the site did not build; TestBuildPrintsNoWarnings shows why")
	}
	return built.site
}

// site is the built output, held in memory.
type site struct {
	cfg    *siteconfig.Config
	base   *url.URL
	files  map[string][]byte // output path without leading slash → content
	pages  []*page           // every HTML file, sorted by file
	byFile map[string]*page
}

// page is one HTML file of the output.
type page struct {
	file     string   // e.g. "nl/over-ons/index.html"
	url      *url.URL // where it is served, e.g. https://www.payoke.be/nl/over-ons/
	lang     string   // config language of its first folder; "" if none
	doc      *html.Node
	redirect string // the meta refresh target if this is an alias (redirect) page
}

func newSite(cfg *siteconfig.Config, files map[string][]byte) (*site, error) {
	base, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	s := &site{cfg: cfg, base: base, files: files, byFile: map[string]*page{}}
	for file, b := range files {
		if path.Ext(file) != ".html" || staffOnly(file) {
			continue
		}
		doc, err := html.Parse(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		p := &page{file: file, doc: doc, url: base.JoinPath(strings.TrimSuffix(file, "index.html"))}
		if strings.HasSuffix(file, "/index.html") || file == "index.html" {
			p.url.Path = strings.TrimSuffix(p.url.Path, "/") + "/"
		}
		if first, _, ok := strings.Cut(file, "/"); ok {
			if _, known := cfg.LanguageMap[first]; known {
				p.lang = first
			}
		}
		p.redirect = refreshTarget(doc)
		s.pages = append(s.pages, p)
		s.byFile[file] = p
	}
	sort.Slice(s.pages, func(i, j int) bool { return s.pages[i].file < s.pages[j].file })
	return s, nil
}

// staffOnly reports whether file belongs to the staff's content editor
// (/admin/), which is not a reader page and has its own security rules.
func staffOnly(file string) bool {
	return strings.HasPrefix(file, "admin/")
}

// contentPages are the pages readers see: every HTML page except redirects.
func (s *site) contentPages() []*page {
	var out []*page
	for _, p := range s.pages {
		if p.redirect == "" {
			out = append(out, p)
		}
	}
	return out
}

// internal reports whether u is on the site's own origin.
func (s *site) internal(u *url.URL) bool {
	return (u.Scheme == "https" || u.Scheme == "http") && strings.EqualFold(u.Host, s.base.Host)
}

// lookup finds the output file serving the internal URL u. hint says why not.
func (s *site) lookup(u *url.URL) (file string, ok bool, hint string) {
	p := strings.TrimPrefix(u.Path, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	if _, ok := s.files[p]; ok {
		return p, true, ""
	}
	if _, ok := s.files[p+"/index.html"]; ok {
		return "", false, "add a trailing slash (" + u.Path + "/); without it the server must redirect"
	}
	return "", false, "no such file in the built site"
}

// language returns the config of lang.
func (s *site) language(lang string) siteconfig.Language {
	for _, l := range s.cfg.Languages {
		if l.Lang == lang {
			return l
		}
	}
	return siteconfig.Language{}
}

// langOfLocale maps an hreflang/lang value (the locale) back to the language.
func (s *site) langOfLocale(locale string) (string, bool) {
	for _, l := range s.cfg.Languages {
		if strings.EqualFold(l.Locale, locale) {
			return l.Lang, true
		}
	}
	return "", false
}

// helpOnly lists the languages that have only a help page.
func (s *site) helpOnly() []string {
	var out []string
	for _, l := range s.cfg.Languages {
		if l.Params.HelpOnly {
			out = append(out, l.Lang)
		}
	}
	return out
}

// where names a page for messages: its URL path and its file.
func (p *page) where() string {
	return fmt.Sprintf("%s (%s)", p.url.Path, p.file)
}

// report fails t with one line per problem, prefixed by the page.
func report(t *testing.T, where string, problems []string) {
	t.Helper()
	for _, pr := range problems {
		t.Errorf("%s: %s", where, pr)
	}
}
