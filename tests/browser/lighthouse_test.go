package browser

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/payoke/site/internal/browsertest"
	"github.com/payoke/site/internal/web"
	"github.com/payoke/site/internal/web/webtest"
)

var lighthouse = flag.Bool("lighthouse", false, "run the Lighthouse benchmark and write its table into BENCHMARKS.md")

// lighthousePages is one page of each template in each site language:
// home, section (projects: an empty section such as news is noindex), page
// with a drawing (history), the page for professionals, the get-help page
// and the two form pages.
func lighthousePages(lang string) []string {
	paths := map[string][]string{
		"nl": {"/nl/", "/nl/projecten/", "/nl/over-ons/geschiedenis/", "/nl/voor-professionals/", "/nl/hulp/", "/nl/contact/"},
		"en": {"/en/", "/en/projects/", "/en/about/history/", "/en/professionals/", "/en/help/", "/en/contact/"},
		"fr": {"/fr/", "/fr/projets/", "/fr/a-propos/histoire/", "/fr/professionnels/", "/fr/aide/", "/fr/contact/"},
	}[lang]
	return append(paths, webtest.Path(lang, web.PageSupport))
}

// TestLighthouse is a benchmark, not a test: with -lighthouse it runs
// Lighthouse (mobile, the default) with Debian's Chromium on the pages of
// lighthousePages and on each help-only language's page, and writes the
// four scores into the "Lighthouse" section of BENCHMARKS.md.
//
//	go test ./tests/browser -run TestLighthouse -lighthouse -timeout 30m -v
func TestLighthouse(t *testing.T) {
	if !*lighthouse {
		t.Skip("a benchmark: run with -lighthouse")
	}
	tl := needTools(t)
	bin, err := filepath.Abs(filepath.Join("lighthouse", "node_modules", ".bin", "lighthouse"))
	if err == nil {
		_, err = os.Stat(bin)
	}
	if err != nil {
		t.Fatalf("lighthouse is not installed: npm ci --prefix tests/browser/lighthouse (%v)", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	root := moduleRoot(t)
	base := startSite(t, ctx, root, nil)

	var pages []string
	for _, l := range []string{"nl", "en", "fr"} {
		pages = append(pages, lighthousePages(l)...)
	}
	for _, p := range sitemapPages(t, base) {
		lang := strings.Split(p, "/")[1]
		if lang != "nl" && lang != "en" && lang != "fr" && p == "/"+lang+"/" {
			pages = append(pages, p) // a help-only language's one page
		}
	}

	categories := []string{"performance", "accessibility", "best-practices", "seo"}
	var rows []string
	start := time.Now()
	for _, p := range pages {
		out := filepath.Join(t.TempDir(), "report.json")
		cmd := exec.CommandContext(ctx, bin, base+p, "--quiet", "--output=json", "--output-path="+out,
			"--only-categories="+strings.Join(categories, ","), "--chrome-flags="+browsertest.CommandLine())
		cmd.Env = append(os.Environ(), "CHROME_PATH="+tl.chromium)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("lighthouse %s: %v\n%s", p, err, msg)
		}
		var report struct {
			Categories map[string]struct {
				Score *float64 `json:"score"`
			} `json:"categories"`
			RunWarnings []string `json:"runWarnings"`
		}
		data, err := os.ReadFile(out)
		if err == nil {
			err = json.Unmarshal(data, &report)
		}
		if err != nil {
			t.Fatalf("lighthouse %s: %v", p, err)
		}
		row := "| `" + p + "` |"
		for _, c := range categories {
			score := "–"
			if s := report.Categories[c].Score; s != nil {
				score = fmt.Sprintf("%.0f", *s*100)
			}
			row += " " + score + " |"
		}
		if len(report.RunWarnings) > 0 {
			t.Logf("%s: %q", p, report.RunWarnings)
		}
		t.Log(row)
		rows = append(rows, row)
	}
	chromium, _ := exec.Command(tl.chromium, "--version").Output()
	version, _ := exec.Command(bin, "--version").Output()
	section := fmt.Sprintf(`## Lighthouse

Lighthouse %s in its default mobile mode (emulated phone, throttled network and CPU), with
%s, on one page of each template in each language, served by `+"`payoke serve`"+`.
A benchmark, not a test (the browser tests check accessibility with axe on every page).
Target: 100 everywhere. Latest run: %s, %d cores, %s, %d pages in %s.

`+"```sh"+`
npm ci --prefix tests/browser/lighthouse
go test ./tests/browser -run TestLighthouse -lighthouse -timeout 30m -v
`+"```"+`

| page | performance | accessibility | best practices | SEO |
|---|---|---|---|---|
%s
`, strings.TrimSpace(string(version)), strings.TrimSpace(string(chromium)), time.Now().UTC().Format("2006-01-02"),
		runtime.NumCPU(), runtime.Version(), len(rows), time.Since(start).Round(time.Second), strings.Join(rows, "\n"))
	if err := writeSection(filepath.Join(root, "BENCHMARKS.md"), section); err != nil {
		t.Fatal(err)
	}
}

var lighthouseSection = regexp.MustCompile(`(?s)## Lighthouse\n.*?(\n## |\z)`)

// writeSection replaces the "Lighthouse" section of the file, or appends it;
// the other sections belong to other benchmarks and stay as they are.
func writeSection(path, section string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	text := string(old)
	if loc := lighthouseSection.FindStringSubmatchIndex(text); loc != nil {
		next := text[loc[2]:loc[3]] // the next section's heading, or nothing
		text = text[:loc[0]] + section + next + text[loc[1]:]
	} else {
		text = strings.TrimRight(text, "\n") + "\n\n" + section
	}
	return os.WriteFile(path, []byte(text), 0o644)
}
