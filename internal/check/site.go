package check

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/payoke/site/internal/siteconfig"
)

// language is one configured language and where its pages live.
type language struct {
	code       string
	name       string // as staff know it: "Dutch", or the label from config
	contentDir string // e.g. content/nl
	helpOnly   bool
}

// site is everything the check reads, loaded once.
type site struct {
	root        string
	defaultLang string
	org         siteconfig.Organisation
	donation    siteconfig.Donation
	langs       []language // weight order
	siteLangs   []string   // nl, en, fr
	pages       []*page
	parseErrors []Finding
}

// englishNames names the site languages the way the staff guide does.
var englishNames = map[string]string{"nl": "Dutch", "en": "English", "fr": "French"}

func load(root string) (*site, error) {
	cfg, err := siteconfig.Load(os.DirFS(root))
	if err != nil {
		return nil, err
	}
	s := &site{root: root, defaultLang: cfg.DefaultLanguage, org: cfg.Params.Organisation, donation: cfg.Params.Donation, siteLangs: cfg.SiteLanguages()}
	for _, l := range cfg.Languages {
		name := englishNames[l.Lang]
		if name == "" {
			name = l.Label + " (" + l.Lang + ")"
		}
		s.langs = append(s.langs, language{code: l.Lang, name: name, contentDir: path.Clean(l.ContentDir), helpOnly: l.Params.HelpOnly})
	}
	for _, l := range s.langs {
		if err := s.loadPages(l); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *site) loadPages(l language) error {
	dir := filepath.Join(s.root, filepath.FromSlash(l.contentDir))
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		return nil
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".md") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		pg, perr := parsePage(l.contentDir+"/"+filepath.ToSlash(rel), filepath.ToSlash(rel), l, b)
		if perr != nil {
			s.parseErrors = append(s.parseErrors, *perr)
		}
		if pg != nil {
			s.pages = append(s.pages, pg)
		}
		return nil
	})
}

func (s *site) lang(code string) language {
	for _, l := range s.langs {
		if l.code == code {
			return l
		}
	}
	return language{code: code, name: code}
}

// exists reports whether a file (slash path relative to the root) exists.
func (s *site) exists(rel string) bool {
	fi, err := os.Stat(filepath.Join(s.root, filepath.FromSlash(rel)))
	return err == nil && !fi.IsDir()
}
