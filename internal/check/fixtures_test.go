package check

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyTree copies the files under src into dst, creating folders.
func copyTree(t *testing.T, src, dst string, skip func(rel string) bool) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if skip != nil && skip(rel) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The base fixture is a correct small site: the check finds nothing.
func TestBaseFixtureIsClean(t *testing.T) {
	t.Parallel()
	rep, err := Site(context.Background(), "testdata/base")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		t.Errorf("unexpected: %s", f)
	}
	if rep.Pages != 13 {
		t.Errorf("checked %d pages, want 13", rep.Pages)
	}
}

// Each other folder in testdata adds one kind of mistake to the base site
// (its files replace or join the base's); want.txt holds exactly what the
// check must print, and the exit status follows from it.
func TestFixtures(t *testing.T) {
	t.Parallel()
	dirs, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range dirs {
		if !d.IsDir() || d.Name() == "base" {
			continue
		}
		n++
		t.Run(d.Name(), func(t *testing.T) {
			t.Parallel()
			fixture := filepath.Join("testdata", d.Name())
			want, err := os.ReadFile(filepath.Join(fixture, "want.txt"))
			if err != nil {
				t.Fatal(err)
			}
			root := t.TempDir()
			copyTree(t, "testdata/base", root, nil)
			copyTree(t, fixture, root, func(rel string) bool { return rel == "want.txt" })

			var stdout, stderr bytes.Buffer
			err = Run(context.Background(), []string{"-root", root}, &stdout, &stderr)
			var got []string
			for _, line := range strings.Split(stdout.String(), "\n") {
				if strings.HasPrefix(line, "content/") || strings.HasPrefix(line, "i18n/") || strings.HasPrefix(line, "data/") || strings.HasPrefix(line, "config.toml") {
					got = append(got, line)
				}
			}
			wantLines := strings.Split(strings.TrimSpace(string(want)), "\n")
			if strings.Join(got, "\n") != strings.Join(wantLines, "\n") {
				t.Errorf("the check printed\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantLines, "\n"))
			}
			onlyWarnings := true
			for _, l := range wantLines {
				if !strings.Contains(l, ": warning: ") {
					onlyWarnings = false
				}
			}
			switch {
			case onlyWarnings && err != nil:
				t.Errorf("with only warnings Run must succeed, got %v", err)
			case !onlyWarnings && !errors.Is(err, ErrFound):
				t.Errorf("with errors Run must return ErrFound, got %v", err)
			}
		})
	}
	if n < 10 {
		t.Errorf("found %d defect fixtures, want at least 10", n)
	}
}
