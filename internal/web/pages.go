package web

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	site "github.com/payoke/site"
	"github.com/payoke/site/internal/siteconfig"
)

// The translationKeys of the pages the functions link to, set in the front
// matter of content/<lang>/<key>.md.
const (
	PageSupport        = "support"          // the donate page (content/<lang>/support.md)
	PageDonateThanks   = "donate-thanks"    // after a gift
	PageManageGiftSent = "manage-gift-sent" // "check your mailbox", after the manage-gift form
	PageContact        = "contact"          // the contact form
	PageContactThanks  = "contact-thanks"   // after a message
)

// Pages holds the address of each page of a site by language and
// translationKey, as the page's content front matter sets it: Hugo's rule,
// the page's address is its url. It is the one source of the page
// addresses the functions link to. The home page of a language is
// /<lang>/ (defaultContentLanguageInSubdir), the one page of a help-only
// language.
type Pages struct {
	paths map[string]map[string]string // lang → translationKey → path
	dirs  map[string]string            // lang → content directory
}

// LoadPages reads the front matter (translationKey and url) of every .md
// file under each language's contentDir in fsys. A page without a
// translationKey or a url is not listed; two pages of one language with one
// translationKey are an error.
func LoadPages(fsys fs.FS, cfg *siteconfig.Config) (*Pages, error) {
	p := &Pages{paths: map[string]map[string]string{}, dirs: map[string]string{}}
	var errs []error
	for _, l := range cfg.Languages {
		dir := path.Clean(l.ContentDir)
		p.dirs[l.Lang] = dir
		keys := map[string]string{}
		p.paths[l.Lang] = keys
		files := map[string]string{}
		err := fs.WalkDir(fsys, dir, func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && name == dir {
					return fs.SkipDir // a language without content of its own here
				}
				return err
			}
			if d.IsDir() || path.Ext(name) != ".md" {
				return nil
			}
			b, err := fs.ReadFile(fsys, name)
			if err != nil {
				return err
			}
			fm := frontMatter(b)
			key, url := fm["translationKey"], fm["url"]
			if key == "" || url == "" {
				return nil
			}
			if prev, dup := files[key]; dup {
				errs = append(errs, fmt.Errorf("%s and %s both have translationKey %q", prev, name, key))
				return nil
			}
			files[key] = name
			keys[key] = url
			return nil
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("content of %s: %w", l.Lang, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return p, nil
}

// frontMatter returns the top-level scalar keys of a page's YAML front
// matter (between the first two --- lines), quotes removed.
func frontMatter(b []byte) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	if !sc.Scan() || strings.TrimSpace(sc.Text()) != "---" {
		return out
	}
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), " \t\r")
		if line == "---" {
			break
		}
		if line == "" || line[0] == ' ' || line[0] == '\t' || line[0] == '#' || line[0] == '-' {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if v != "" && (v[0] == '"' || v[0] == '\'') {
			if end := strings.IndexByte(v[1:], v[0]); end >= 0 {
				v = v[1 : 1+end]
			}
		} else if i := strings.Index(v, " #"); i >= 0 {
			v = strings.TrimSpace(v[:i])
		}
		out[strings.TrimSpace(k)] = v
	}
	return out
}

// Path is the address of the page of lang with translationKey key.
func (p *Pages) Path(lang, key string) (string, bool) {
	s, ok := p.paths[lang][key]
	return s, ok
}

// Home is the home page of lang: /<lang>/.
func (p *Pages) Home(lang string) string { return "/" + lang + "/" }

// Require fails, naming each file it expected, unless every page of keys
// exists in every language of langs.
func (p *Pages) Require(langs []string, keys ...string) error {
	var errs []error
	for _, l := range langs {
		dir, ok := p.dirs[l]
		if !ok {
			errs = append(errs, fmt.Errorf("language %q is not in config.toml", l))
			continue
		}
		for _, k := range keys {
			if _, ok := p.Path(l, k); !ok {
				errs = append(errs, fmt.Errorf("no %s page: expected %s/%s.md with translationKey: %s and a url", l, dir, k, k))
			}
		}
	}
	return errors.Join(errs...)
}

var sitePages = sync.OnceValues(func() (*Pages, error) {
	cfg, err := siteconfig.Load(site.Files)
	if err != nil {
		return nil, err
	}
	return LoadPages(site.Files, cfg)
})

// SitePages is the Pages of the embedded site (site.Files), read once.
// It panics if the embedded content cannot be read: the tests catch that.
func SitePages() *Pages {
	p, err := sitePages()
	if err != nil {
		panic(fmt.Sprintf("web: the embedded site's pages: %v", err))
	}
	return p
}

// PagePath is the address of the embedded site's page of lang with
// translationKey key (SitePages().Path).
func PagePath(lang, key string) (string, bool) { return SitePages().Path(lang, key) }
