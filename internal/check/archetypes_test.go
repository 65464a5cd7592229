package check

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/payoke/site/internal/hugobuild"
)

// The archetypes, run through the pinned Hugo's `hugo new content` in a copy
// of the site, give pages with complete front matter that the check accepts
// as drafts; once staff replace the example text and remove draft, the check
// finds nothing and Hugo builds them.
func TestArchetypes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	root, err := hugobuild.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	if err := hugobuild.CopyInputs(root, tmp); err != nil {
		t.Fatal(err)
	}

	kinds := map[string][]string{ // new file → front-matter fields it must have
		"news/summer-party-2026.md": {"title", "description", "date", "translationKey", "slug", "draft"},
		"projects/new-project.md":   {"title", "description", "date", "translationKey", "slug", "draft"},
		"volunteering.md":           {"title", "description", "translationKey", "url", "draft"},
	}
	var created []string
	for rel, fields := range kinds {
		for _, lang := range []string{"nl", "en", "fr"} {
			file := "content/" + lang + "/" + rel
			cmd, err := hugobuild.Command(ctx, root, tmp, "new", "content", file)
			if err != nil {
				t.Fatal(err)
			}
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("hugo new content %s: %v\n%s", file, err, out)
			}
			created = append(created, file)
			b, err := os.ReadFile(filepath.Join(tmp, file))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fields {
				if !regexp.MustCompile(`(?m)^` + f + `: \S`).Match(b) {
					t.Errorf("%s: the archetype gave no %q line:\n%s", file, f, b)
				}
			}
			if !strings.Contains(string(b), "\n# ") {
				t.Errorf("%s: the archetype explains no field with a comment", file)
			}
		}
	}

	// Fresh from the archetype: drafts, accepted with a warning each.
	rep, err := Site(ctx, tmp)
	if err != nil {
		t.Fatal(err)
	}
	drafts := 0
	for _, f := range rep.Findings {
		switch {
		case f.Severity == Error:
			t.Errorf("fresh archetype page: %s", f)
		case strings.Contains(f.Message, "draft"):
			drafts++
		}
	}
	if drafts != len(created) {
		t.Errorf("got %d draft warnings, want one for each of the %d new pages", drafts, len(created))
	}

	// Removing draft without writing the page: the example text is caught.
	for _, file := range created {
		edit(t, filepath.Join(tmp, file), func(s string) string { return strings.Replace(s, "draft: true\n", "", 1) })
	}
	rep, err = Site(ctx, tmp)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rep.Count(Error), 3*len(created); got != want { // title, description, body line
		t.Errorf("published with the example text: %d errors, want %d: %v", got, want, rep.Findings)
	}

	// Written and published: nothing to report, and Hugo builds it.
	for _, file := range created {
		edit(t, filepath.Join(tmp, file), func(s string) string {
			s = strings.ReplaceAll(s, `"TODO: `, `"`)
			return strings.ReplaceAll(s, "TODO: ", "")
		})
	}
	rep, err = Site(ctx, tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Severity == Error || strings.Contains(f.File, "summer-party") || strings.Contains(f.File, "new-project") || strings.Contains(f.File, "volunteering") {
			t.Errorf("written page: %s", f)
		}
	}
	if out, err := hugobuild.Build(ctx, root, tmp, filepath.Join(t.TempDir(), "public")); err != nil {
		t.Errorf("the site with the new pages does not build: %v\n%s", err, out)
	}
}

func edit(t *testing.T, file string, f func(string) string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(f(string(b))), 0o644); err != nil {
		t.Fatal(err)
	}
}
