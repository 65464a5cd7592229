package netlify

import (
	"archive/zip"
	"bytes"
	"context"
	"debug/buildinfo"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/payoke/site/internal/childproc"
)

// functionNames lists the functions in dir/functions: each folder holding a
// main.go, as Netlify finds them.
func functionNames(t testing.TB, dir string) []string {
	t.Helper()
	mains, err := filepath.Glob(filepath.Join(dir, "functions", "*", "main.go"))
	if err != nil || len(mains) == 0 {
		t.Fatalf("no functions/*/main.go in %s", dir)
	}
	var names []string
	for _, m := range mains {
		names = append(names, filepath.Base(filepath.Dir(m)))
	}
	sort.Strings(names)
	return names
}

// build is one `netlify build --offline` of a copy of the working tree.
type build struct {
	dir      string        // the copy, built in place
	output   string        // what netlify build printed
	duration time.Duration // its wall time
	err      error
}

var shared struct {
	once  sync.Once
	build build
	temps []string
}

func cleanupShared() {
	for _, d := range shared.temps {
		os.RemoveAll(d)
	}
}

// sharedBuild builds the working tree once for the package's tests.
func sharedBuild(t *testing.T, tl tools) build {
	t.Helper()
	shared.once.Do(func() {
		dir, err := os.MkdirTemp("", "payoke-netlify-")
		if err != nil {
			shared.build.err = err
			return
		}
		shared.temps = append(shared.temps, dir)
		if err := copyWorkingTree(tl.root, dir); err != nil {
			shared.build.err = err
			return
		}
		shared.build = netlifyBuild(tl, dir)
	})
	if shared.build.err != nil {
		t.Fatalf("netlify build --offline in %s: %v\n%s", shared.build.dir, shared.build.err, shared.build.output)
	}
	return shared.build
}

// copyWorkingTree copies into dst what a fresh clone would hold, as the
// working tree has it now: the files git tracks (with their edits), and new
// files git does not ignore. node_modules, public/, resources/_gen and other
// ignored output stay behind, so the build starts clean.
func copyWorkingTree(root, dst string) error {
	ls := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	ls.Dir = root
	out, err := ls.Output()
	if err != nil {
		return fmt.Errorf("git ls-files: %w", err)
	}
	for _, name := range strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		if name == "" {
			continue
		}
		src := filepath.Join(root, name)
		info, err := os.Lstat(src)
		if os.IsNotExist(err) {
			continue // deleted in the working tree, not yet committed
		}
		if err != nil {
			return err
		}
		target := filepath.Join(dst, name)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		switch {
		case info.Mode()&os.ModeSymlink != 0:
			link, err := os.Readlink(src)
			if err != nil {
				return err
			}
			if err := os.Symlink(link, target); err != nil {
				return err
			}
		case info.Mode().IsRegular():
			data, err := os.ReadFile(src)
			if err != nil {
				return err
			}
			if err := os.WriteFile(target, data, info.Mode().Perm()); err != nil {
				return err
			}
		}
	}
	return nil
}

// netlifyBuild runs `netlify build --offline` in dir.
func netlifyBuild(tl tools, dir string) build {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tl.netlify, "build", "--offline")
	cmd.Dir = dir
	cmd.Env = tl.env()
	childproc.DieWithParent(cmd)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	start := time.Now()
	err := childproc.Run(cmd)
	return build{dir: dir, output: out.String(), duration: time.Since(start), err: err}
}

// hugoVersion is the Hugo go.mod pins.
func hugoVersion(t *testing.T, root string) string {
	t.Helper()
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*github\.com/gohugoio/hugo (v\S+)`).FindSubmatch(gomod)
	if m == nil {
		t.Fatal("go.mod does not pin github.com/gohugoio/hugo")
	}
	return string(m[1])
}

// TestBuild: Netlify's build of a clean copy runs the content check, then
// the pinned Hugo, publishes public/ and packages each function (contact,
// donate, stripe-webhook, manage-gift: every functions/*/main.go) as a Linux
// amd64 Go binary named bootstrap in a zip, as Lambda's provided runtime
// wants.
func TestBuild(t *testing.T) {
	tl := needTools(t)
	b := sharedBuild(t, tl)
	t.Logf("netlify build --offline took %s", b.duration.Round(100*time.Millisecond))
	t.Logf("netlify build summary:\n%s", buildSummary(b.output))

	t.Run("content check, then the pinned Hugo", func(t *testing.T) {
		check := strings.Index(b.output, "pages checked")
		hugo := strings.Index(b.output, "hugo "+hugoVersion(t, tl.root)+" ")
		if check < 0 {
			t.Errorf("the output shows no content check (`payoke check` prints \"… pages checked\")")
		}
		if hugo < 0 {
			t.Errorf("the output shows no Hugo %s (the one go.mod pins)", hugoVersion(t, tl.root))
		}
		if check >= 0 && hugo >= 0 && hugo < check {
			t.Errorf("Hugo ran before the content check")
		}
	})

	t.Run("public", func(t *testing.T) {
		for _, name := range []string{"index.html", "sitemap.xml", "nl/index.html", "en/index.html", "fr/index.html", "nl/404.html", "admin/index.html"} {
			if _, err := os.Stat(filepath.Join(b.dir, "public", name)); err != nil {
				t.Errorf("public/%s: %v", name, err)
			}
		}
		for _, d := range []string{"css", "js"} {
			if m, _ := filepath.Glob(filepath.Join(b.dir, "public", d, "*."+d)); len(m) == 0 {
				t.Errorf("public/%s holds no .%s file", d, d)
			}
		}
	})

	t.Run("functions", func(t *testing.T) {
		dir := filepath.Join(b.dir, ".netlify", "functions")
		var manifest struct {
			Functions []struct {
				Name, Runtime, Path, MainFile string
			}
		}
		data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &manifest); err != nil {
			t.Fatalf("manifest.json: %v", err)
		}
		var names []string
		for _, f := range manifest.Functions {
			names = append(names, f.Name)
			if f.Runtime != "go" {
				t.Errorf("%s: runtime %q, want go", f.Name, f.Runtime)
			}
			if want := filepath.Join(b.dir, "functions", f.Name, "main.go"); f.MainFile != want {
				t.Errorf("%s: built from %s, want %s", f.Name, f.MainFile, want)
			}
		}
		slices.Sort(names)
		want := functionNames(t, b.dir)
		if !slices.Equal(names, want) {
			t.Errorf("manifest.json lists %q, want %q", names, want)
		}
		for _, name := range want {
			t.Run(name, func(t *testing.T) { checkArchive(t, filepath.Join(dir, name+".zip"), name) })
		}
	})
}

// checkArchive opens a function's zip: a Go binary named bootstrap, built
// from functions/<name> for linux/amd64 without cgo.
func checkArchive(t *testing.T, path, name string) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var files []string
	var boot *zip.File
	for _, f := range zr.File {
		files = append(files, f.Name)
		if f.Name == "bootstrap" {
			boot = f
		}
	}
	if boot == nil {
		t.Fatalf("%s holds %q, no bootstrap", filepath.Base(path), files)
	}
	if boot.Mode()&0o111 == 0 {
		t.Errorf("bootstrap is not executable (%s)", boot.Mode())
	}
	rc, err := boot.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	bin := filepath.Join(t.TempDir(), "bootstrap")
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatalf("bootstrap is not a Go binary: %v", err)
	}
	if want := "github.com/payoke/site/functions/" + name; info.Path != want {
		t.Errorf("bootstrap is %s, want %s", info.Path, want)
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	for k, want := range map[string]string{"GOOS": "linux", "GOARCH": "amd64", "CGO_ENABLED": "0"} {
		if settings[k] != want {
			t.Errorf("bootstrap built with %s=%q, want %q", k, settings[k], want)
		}
	}
	t.Logf("%s: %d files %q, bootstrap %.1f MB (%s, %s/%s)", filepath.Base(path), len(files), files,
		float64(len(data))/1e6, info.GoVersion, settings["GOOS"], settings["GOARCH"])
}

// buildSummary keeps the lines of netlify build's output a reader needs:
// its stages, the command, the check's verdict, Hugo's version and total,
// the functions packaged.
func buildSummary(out string) string {
	keep := regexp.MustCompile(`@netlify/build |^\$ |pages checked|^hugo v|^Total in|^- |completed in|Netlify Build Complete|Packaging Functions`)
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimSpace(strings.ReplaceAll(l, "\u200b", ""))
		if keep.MatchString(l) {
			lines = append(lines, "  "+l)
		}
	}
	return strings.Join(lines, "\n")
}

// A content error stops Netlify's build before Hugo runs and before any
// function is packaged: the deploy never starts, and the log names the file.
func TestBuildStopsOnContentError(t *testing.T) {
	tl := needTools(t)
	dir := t.TempDir()
	if err := copyWorkingTree(tl.root, dir); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "content", "en", "_index.md")
	f, err := os.OpenFile(page, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, "\nRead [our story](/no-such-page).")
	f.Close()

	b := netlifyBuild(tl, dir)
	if b.err == nil {
		t.Fatalf("netlify build succeeded with a link that leads nowhere:\n%s", b.output)
	}
	for _, want := range []string{"content/en/_index.md", "leads nowhere"} {
		if !strings.Contains(b.output, want) {
			t.Errorf("the build log does not say %q:\n%s", want, b.output)
		}
	}
	if strings.Contains(b.output, "Start building sites") {
		t.Errorf("Hugo ran after the content check failed")
	}
	if _, err := os.Stat(filepath.Join(dir, ".netlify", "functions", "donate.zip")); err == nil {
		t.Errorf("functions were packaged after the content check failed")
	}
}
