// Package otherorg builds the site of an invented second organisation,
// "Centrum Voorbeeld" (this folder: its own config.toml and content; our
// layouts, assets, i18n and archetypes through Hugo module mounts, the
// strings naming it from its params.organisation.legalName) with the pinned Hugo, and checks that the result is its
// site and not ours: no fact of ours in any built file, its own facts on its
// pages, both of its languages everywhere. It is the proof that templates read
// every organisation fact from config.toml.
package otherorg

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/payoke/site/internal/hugobuild"
	"github.com/payoke/site/internal/testutil"
)

// mounted are the folders of our site the fixture mounts (config.toml
// [[module.mounts]]): hugobuild notes only the fixture's own inputs for go
// test's cache, so these are noted here.
var mounted = []string{"layouts", "assets", "i18n", "archetypes"}

var built struct {
	once  sync.Once
	root  string            // the module root: our site
	files map[string][]byte // output path → content
	log   string
	err   error
}

// site builds the fixture once, into a temporary folder, and returns its files.
func site(t *testing.T) map[string][]byte {
	t.Helper()
	built.once.Do(func() {
		built.root, built.files, built.log, built.err = build()
	})
	if built.err != nil {
		t.Fatalf("the other organisation's site did not build: %v", built.err)
	}
	return built.files
}

func build() (root string, files map[string][]byte, log string, err error) {
	root, err = hugobuild.Root(".")
	if err != nil {
		return "", nil, "", err
	}
	for _, dir := range mounted {
		if err := noteFiles(filepath.Join(root, dir)); err != nil {
			return "", nil, "", err
		}
	}
	source, err := filepath.Abs(".")
	if err != nil {
		return "", nil, "", err
	}
	dest, err := os.MkdirTemp("", "otherorg-")
	if err != nil {
		return "", nil, "", err
	}
	defer os.RemoveAll(dest)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// Build fails on any ERROR or WARN line, i18n and path warnings included.
	if log, err = hugobuild.Build(ctx, root, source, dest); err != nil {
		return "", nil, log, err
	}
	files, err = testutil.ReadTree(dest)
	return root, files, log, err
}

// noteFiles opens every file under dir, so that an edit to one re-runs the tests.
func noteFiles(dir string) error {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		return f.Close()
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// config is the part of a config.toml these tests read.
type config struct {
	BaseURL string         `toml:"baseURL"`
	Params  map[string]any `toml:"params"`
	// Languages keeps every language's own settings and params.
	Languages map[string]map[string]any `toml:"languages"`
}

func readConfig(t *testing.T, file string) config {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var c config
	if err := toml.Unmarshal(b, &c); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return c
}

// organisation returns params.organisation's text facts, by key.
func (c config) organisation(t *testing.T) map[string]string {
	t.Helper()
	o, ok := c.Params["organisation"].(map[string]any)
	if !ok {
		t.Fatal("config.toml has no [params.organisation]")
	}
	out := map[string]string{}
	for k, v := range o {
		switch v := v.(type) {
		case string:
			out[k] = v
		case int64:
			out[k] = fmt.Sprint(v)
		}
	}
	return out
}

// ourFacts lists what would betray our site in another's output: "Payoke",
// each fact of our params.organisation that the fixture does not share,
// with the phone also as dialled (phoneLink without +) and without its
// country and area code, the street also without its number, our web address with and without www, the quick
// exit's site, and our cities. Values under five characters ("vzw", "112",
// the postcode "2000") are too common to mean us; the city and street
// cover the address.
func ourFacts(t *testing.T, ours, theirs config) []string {
	t.Helper()
	facts := map[string]bool{"Payoke": true}
	add := func(s string) {
		if s = strings.TrimSpace(s); len([]rune(s)) >= 5 {
			facts[s] = true
		}
	}
	mine, other := ours.organisation(t), theirs.organisation(t)
	for k, v := range mine {
		if v == other[k] {
			continue
		}
		add(v)
		switch k {
		case "phoneLink":
			add(strings.TrimPrefix(v, "+"))
		case "street": // the street's name alone, without the house number
			if f := strings.Fields(v); len(f) > 1 {
				add(strings.Join(f[:len(f)-1], " "))
			}
		case "phone":
			if f := strings.Fields(v); len(f) > 2 {
				add(strings.Join(f[2:], " "))
			}
		}
	}
	for _, u := range []string{ours.BaseURL, fmt.Sprint(ours.Params["quickExit"])} {
		host := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://"), "/")
		add(host)
		add(strings.TrimPrefix(host, "www."))
	}
	for _, l := range ours.Languages {
		if p, ok := l["params"].(map[string]any); ok {
			if city, ok := p["city"].(string); ok {
				add(city)
			}
		}
	}
	out := make([]string, 0, len(facts))
	for f := range facts {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// text is a built file as a reader gets it: HTML entities decoded
// (Hugo writes + as &#43;), so a fact is found however it was escaped.
func text(b []byte) string {
	return html.UnescapeString(string(b))
}

// The site builds with no error and no warning (hugobuild.Build fails on either).
func TestBuildsCleanly(t *testing.T) {
	site(t)
	if strings.Contains(built.log, "WARN") || strings.Contains(built.log, "ERROR") {
		t.Errorf("Hugo said:\n%s", built.log)
	}
}

// No built file, HTML, feed, sitemap, stylesheet or script, holds a fact of ours.
func TestNoFactOfOurs(t *testing.T) {
	files := site(t)
	ours := readConfig(t, filepath.Join(built.root, "config.toml"))
	theirs := readConfig(t, "config.toml")
	facts := ourFacts(t, ours, theirs)
	for _, must := range []string{"Payoke", "Leguit", "201 16 90", "payoke.be", "3232011690"} {
		if !slices.ContainsFunc(facts, func(f string) bool { return strings.Contains(strings.ToLower(f), strings.ToLower(must)) }) {
			t.Errorf("the list of our facts lacks %q: %q", must, facts)
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		body := strings.ToLower(text(files[name]))
		for _, f := range facts {
			if i := strings.Index(body, strings.ToLower(f)); i >= 0 {
				t.Errorf("%s holds our %q: …%s…", name, f, excerpt(body, i, len(f)))
			}
		}
	}
}

func excerpt(s string, i, n int) string {
	from, to := max(0, i-60), min(len(s), i+n+60)
	return strings.ReplaceAll(s[from:to], "\n", " ")
}

// Every page of the site names the organisation and gives its phone and
// street, from its own config.toml (the header and footer do).
func TestPagesShowItsFacts(t *testing.T) {
	files := site(t)
	o := readConfig(t, "config.toml").organisation(t)
	var pages int
	for name, b := range files {
		if path.Ext(name) != ".html" || bytes.Contains(b, []byte(`http-equiv="refresh"`)) {
			continue // not a page, or a redirect
		}
		pages++
		body := text(b)
		for _, key := range []string{"legalName", "phone", "street", "email"} {
			if o[key] == "" {
				t.Fatalf("the fixture's config.toml has no params.organisation.%s", key)
			}
			if !strings.Contains(body, o[key]) {
				t.Errorf("%s: no %s %q", name, key, o[key])
			}
		}
	}
	if pages == 0 {
		t.Fatal("no HTML pages were built")
	}
}

// Each page of the fixture's content exists in both of its languages and
// was built at its address; no other language was built.
func TestBothLanguages(t *testing.T) {
	files := site(t)
	c := readConfig(t, "config.toml")
	langs := make([]string, 0, len(c.Languages))
	for l := range c.Languages {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	if !slices.Equal(langs, []string{"fr", "nl"}) {
		t.Fatalf("the fixture should have nl and fr only, has %q", langs)
	}
	urls := map[string]map[string]string{} // translationKey → lang → url
	for _, lang := range langs {
		dir := filepath.Join("content", lang)
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || filepath.Ext(p) != ".md" {
				return err
			}
			key, url := frontMatter(t, p)
			if filepath.Base(p) == "_index.md" && filepath.Dir(p) == dir {
				url = "/" + lang + "/"
			}
			if key == "" || url == "" {
				t.Errorf("%s: needs translationKey and url in its front matter", p)
				return nil
			}
			if urls[key] == nil {
				urls[key] = map[string]string{}
			}
			urls[key][lang] = url
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(urls) == 0 {
		t.Fatal("no content")
	}
	for key, byLang := range urls {
		for _, lang := range langs {
			url, ok := byLang[lang]
			if !ok {
				t.Errorf("%s: no %s page (content/%s/ has none with translationKey %q)", key, lang, lang, key)
				continue
			}
			if _, ok := files[strings.TrimPrefix(url, "/")+"index.html"]; !ok {
				t.Errorf("%s: %s was not built", key, url)
			}
		}
	}
	for name := range files {
		if first, rest, ok := strings.Cut(name, "/"); ok && rest == "index.html" && !slices.Contains(langs, first) {
			t.Errorf("%s: a home page for a language the fixture does not have", name)
		}
	}
}

// frontMatter reads translationKey and url from a page's YAML front matter.
func frontMatter(t *testing.T, file string) (key, url string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	head, ok := bytes.CutPrefix(b, []byte("---\n"))
	if !ok {
		t.Fatalf("%s: no front matter", file)
	}
	head, _, _ = bytes.Cut(head, []byte("\n---"))
	for line := range strings.SplitSeq(string(head), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		value = strings.Trim(strings.TrimSpace(value), `"`)
		switch name {
		case "translationKey":
			key = value
		case "url":
			url = value
		}
	}
	return key, url
}

// No built file shows "<no value>": what Go templates print for a field no
// one filled, such as a T call on a string with {{ .Name }} that was not
// given the name.
func TestNoUnfilledString(t *testing.T) {
	for name, b := range site(t) {
		if i := bytes.Index(b, []byte("&lt;no value&gt;")); i >= 0 || bytes.Contains(b, []byte("<no value>")) {
			t.Errorf("%s has a string without its data: …%s…", name, excerpt(text(b), max(0, i), 20))
		}
	}
}

// The strings that name the organisation ({{ .Name }} in our i18n files)
// name this one on its pages, each as the functions write it in its
// language: its legalName, from its config.toml, and no string of its own.
func TestStringsNameIt(t *testing.T) {
	files := site(t)
	cfg, cat, _ := fixtureSite(t)
	for _, lang := range cfg.SiteLanguages() {
		for _, id := range []string{"help_call_payoke", "contact_confidential", "contact_safe_hint", "donate_next_stripe"} {
			want, err := cat.T(lang, id, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(want, cfg.Params.Organisation.LegalName) {
				t.Errorf("%s %s = %q does not name %q", lang, id, want, cfg.Params.Organisation.LegalName)
			}
			found := false
			for name, b := range files {
				if strings.HasPrefix(name, lang+"/") && path.Ext(name) == ".html" && strings.Contains(text(b), want) {
					found = true
					break
				}
			}
			if !found {
				t.Errorf("no %s page shows %s as %q", lang, id, want)
			}
		}
	}
}
