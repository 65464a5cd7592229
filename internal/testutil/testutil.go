// Package testutil holds the small helpers that several packages' tests
// share: a buffer safe for concurrent writers, the site's config and
// strings or the end of the test, and substring checks.
package testutil

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	site "github.com/payoke/site"
	"github.com/payoke/site/internal/i18n"
	"github.com/payoke/site/internal/siteconfig"
)

// SyncBuffer is an output that handlers or a command write to from several
// goroutines while the test reads it. The zero value is ready to use.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// LoadSite returns what load returns (web.LoadSite or
// web.LoadSiteAllLanguages), or ends the test if it fails.
func LoadSite(t testing.TB, load func() (*siteconfig.Config, *i18n.Catalog, error)) (*siteconfig.Config, *i18n.Catalog) {
	t.Helper()
	cfg, cat, err := load()
	if err != nil {
		t.Fatal(err)
	}
	return cfg, cat
}

// WantIn reports each of subs that s, named what in the message, lacks.
func WantIn(t testing.TB, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s lacks %q:\n%s", what, sub, s)
		}
	}
}

// WantNotIn reports each of subs that s, named what in the message, holds.
func WantNotIn(t testing.TB, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			t.Errorf("%s holds %q:\n%s", what, sub, s)
		}
	}
}

// ReadTree returns every file below dir by its slash-separated path (a
// built site, for tests that read all of it).
func ReadTree(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	return files, err
}

// Site is config.toml as the functions read it, for a test package's
// variables (they are set before any test runs); it panics if it does not
// load.
func Site() *siteconfig.Config {
	cfg, err := siteconfig.Load(site.Files)
	if err != nil {
		panic(err)
	}
	return cfg
}
