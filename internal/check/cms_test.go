package check

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/payoke/site/internal/hugobuild"
	"github.com/payoke/site/internal/siteconfig"
)

type cmsField struct {
	Name   string     `yaml:"name"`
	Fields []cmsField `yaml:"fields"`
}

type cmsCollection struct {
	Name      string     `yaml:"name"`
	Folder    string     `yaml:"folder"`
	Fields    []cmsField `yaml:"fields"`
	IndexFile struct {
		Fields []cmsField `yaml:"fields"`
	} `yaml:"index_file"`
	Files []struct {
		File   string     `yaml:"file"`
		Fields []cmsField `yaml:"fields"`
	} `yaml:"files"`
}

type cmsConfig struct {
	MediaFolder  string `yaml:"media_folder"`
	PublicFolder string `yaml:"public_folder"`
	I18n         struct {
		Structure     string   `yaml:"structure"`
		Locales       []string `yaml:"locales"`
		DefaultLocale string   `yaml:"default_locale"`
	} `yaml:"i18n"`
	Collections []cmsCollection `yaml:"collections"`
}

func names(fs []cmsField) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name)
	}
	return out
}

// The editor's configuration names folders that exist, the site's
// languages, and only fields that Hugo or the templates read; and it covers
// every field the existing content uses, so saving in the editor loses nothing.
func TestCMSConfig(t *testing.T) {
	t.Parallel()
	root, err := hugobuild.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "static/admin/config.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg cmsConfig
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	site, err := siteconfig.Load(os.DirFS(root))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.I18n.Structure != "multiple_folders" || !slices.Equal(cfg.I18n.Locales, site.SiteLanguages()) || cfg.I18n.DefaultLocale != site.DefaultLanguage {
		t.Errorf("i18n is %+v; want multiple_folders with locales %v and default %s", cfg.I18n, site.SiteLanguages(), site.DefaultLanguage)
	}
	// Media: uploaded to assets/, written in the text as the path that
	// the image render hook finds there with resources.Get.
	if cfg.MediaFolder != "assets"+cfg.PublicFolder {
		t.Errorf("media_folder %q and public_folder %q do not match: the render hook looks for %s under assets/", cfg.MediaFolder, cfg.PublicFolder, cfg.PublicFolder)
	}

	// Fields Hugo reads itself, the check reads, or the templates read as .Params.x.
	known := []string{"title", "linkTitle", "description", "date", "translationKey", "url", "slug", "draft", "sitemap", "body", "singleLanguage"}
	layouts := readAll(t, filepath.Join(root, "layouts"))
	for _, m := range regexp.MustCompile(`\.Params\.(\w+)`).FindAllStringSubmatch(layouts, -1) {
		known = append(known, m[1])
	}
	wantCollections := []string{"news", "projects", "pages", "about", "supporters"}
	for _, c := range cfg.Collections {
		wantCollections = slices.DeleteFunc(wantCollections, func(n string) bool { return n == c.Name })
		for _, f := range append(names(c.Fields), names(c.IndexFile.Fields)...) {
			if !slices.Contains(known, f) {
				t.Errorf("collection %s: field %q is read by neither Hugo nor the templates", c.Name, f)
			}
		}
		if c.Folder != "" {
			if !strings.Contains(c.Folder, "{{locale}}") {
				t.Errorf("collection %s: folder %q has no {{locale}}", c.Name, c.Folder)
			}
			for _, lang := range cfg.I18n.Locales {
				dir := filepath.Join(root, strings.ReplaceAll(c.Folder, "{{locale}}", lang))
				entries, err := os.ReadDir(dir)
				if err != nil {
					t.Errorf("collection %s: %v", c.Name, err)
					continue
				}
				for _, e := range entries {
					if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") {
						continue
					}
					fields := names(c.Fields)
					if e.Name() == "_index.md" {
						fields = names(c.IndexFile.Fields)
					}
					for _, key := range frontMatterKeys(t, filepath.Join(dir, e.Name())) {
						if !slices.Contains(fields, key) {
							t.Errorf("collection %s: %s/%s uses %q, which the editor has no field for (it would drop it on save)", c.Name, dir, e.Name(), key)
						}
					}
				}
			}
		}
		for _, f := range c.Files {
			if _, err := os.Stat(filepath.Join(root, f.File)); err != nil {
				t.Errorf("collection %s: %v", c.Name, err)
			}
		}
	}
	if len(wantCollections) > 0 {
		t.Errorf("collections missing from the editor: %v", wantCollections)
	}

	// Supporters: the editor's fields are the ones the shortcode reads.
	shortcode := readAll(t, filepath.Join(root, "layouts/_shortcodes/supporters.html"))
	var sup *cmsField
	for _, c := range cfg.Collections {
		for _, f := range c.Files {
			if f.File == supportersFile && len(f.Fields) == 1 {
				sup = &f.Fields[0]
			}
		}
	}
	if sup == nil || sup.Name != "supporter" {
		t.Fatalf("no list field \"supporter\" for %s", supportersFile)
	}
	for _, f := range sup.Fields {
		if !strings.Contains(shortcode, "."+f.Name) {
			t.Errorf("supporter field %q is not read by the supporters shortcode", f.Name)
		}
	}
}

// frontMatterKeys returns the top-level keys of a content file's front matter.
func frontMatterKeys(t *testing.T, file string) []string {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	p, f := parsePage(file, filepath.Base(file), language{}, b)
	if f != nil {
		t.Fatalf("%s", f)
	}
	var keys []string
	for k := range p.fields {
		keys = append(keys, k)
	}
	return keys
}

func readAll(t *testing.T, path string) string {
	var sb strings.Builder
	err := filepath.WalkDir(path, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		sb.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return sb.String()
}

// The editor is served from our own origin, exactly as tools/cms vendored it
// from the pinned npm packages, and only /admin loads it.
func TestCMSVendored(t *testing.T) {
	t.Parallel()
	root, err := hugobuild.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	admin := filepath.Join(root, "static/admin")
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	b, err := os.ReadFile(filepath.Join(root, "tools/cms/package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "tools/cms/package-lock.json")); err != nil {
		t.Error("tools/cms has no lockfile:", err)
	}
	manifest, err := os.ReadFile(filepath.Join(admin, "VENDORED.txt"))
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	for _, line := range strings.Split(string(manifest), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || strings.HasPrefix(line, "#") {
			continue
		}
		files++
		sum, name, from := f[0], f[1], f[2]
		b, err := os.ReadFile(filepath.Join(admin, name))
		if err != nil {
			t.Error(err)
			continue
		}
		if got := sha256.Sum256(b); hex.EncodeToString(got[:]) != sum {
			t.Errorf("static/admin/%s was changed by hand: run npm ci && npm run vendor in tools/cms", name)
		}
		at := strings.LastIndex(from, "@")
		if v := pkg.Dependencies[from[:at]]; v != from[at+1:] {
			t.Errorf("static/admin/%s comes from %s, but tools/cms/package.json pins %q", name, from, v)
		}
	}
	if files != 4 {
		t.Errorf("VENDORED.txt lists %d files, want the editor and its three fonts", files)
	}
	js, err := os.ReadFile(filepath.Join(admin, "sveltia-cms.js"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(js), "cdn.jsdelivr.net") {
		t.Error("the editor still loads its fonts from a CDN")
	}
	index, err := os.ReadFile(filepath.Join(admin, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	scripts := regexp.MustCompile(`<script[^>]*>`).FindAllString(string(index), -1)
	if len(scripts) != 1 || scripts[0] != `<script src="/admin/sveltia-cms.js">` {
		t.Errorf("admin/index.html must load only /admin/sveltia-cms.js, found %v", scripts)
	}
	if strings.Contains(readAll(t, filepath.Join(root, "layouts")), "sveltia") {
		t.Error("a public template loads the editor; only /admin may")
	}
}
