package serve

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/payoke/site/internal/netlify"
)

func readNetlify(t *testing.T) *netlify.File {
	t.Helper()
	n, err := netlify.Default()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// functionNames are the folders under functions/ holding a main.go.
func functionNames(t *testing.T, dir string) []string {
	t.Helper()
	mains, err := filepath.Glob(filepath.Join(root, dir, "*", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range mains {
		names = append(names, filepath.Base(filepath.Dir(m)))
	}
	return names
}

// netlify.toml parses, builds with the pinned versions, and names folders
// and pages that exist.
func TestNetlifyConfig(t *testing.T) {
	t.Parallel()
	n := readNetlify(t)
	b := n.Build
	if !strings.HasPrefix(b.Command, "go run ./cmd/payoke check && ") {
		t.Errorf("build command %q should run the content check first", b.Command)
	}
	if !strings.Contains(b.Command, "&& go tool hugo ") || !strings.Contains(b.Command, "--destination "+b.Publish) {
		t.Errorf("build command %q should run the pinned Hugo into the publish folder %q", b.Command, b.Publish)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\S+)`).FindSubmatch(gomod)
	hugoVersion := regexp.MustCompile(`github.com/gohugoio/hugo v(\S+)`).FindSubmatch(gomod)
	if goVersion == nil || b.Environment["GO_VERSION"] != string(goVersion[1]) {
		t.Errorf("GO_VERSION %q, go.mod says %q", b.Environment["GO_VERSION"], goVersion)
	}
	if hugoVersion == nil || b.Environment["HUGO_VERSION"] != string(hugoVersion[1]) {
		t.Errorf("HUGO_VERSION %q, go.mod pins %q", b.Environment["HUGO_VERSION"], hugoVersion)
	}
	if !slices.Contains(strings.Split(mustRead(t, ".gitignore"), "\n"), "/"+b.Publish+"/") {
		t.Errorf("the publish folder %q is not in .gitignore", b.Publish)
	}

	names := functionNames(t, b.Functions)
	for _, want := range []string{"donate", "contact", "stripe-webhook"} {
		if !slices.Contains(names, want) {
			t.Errorf("no %s/%s/main.go", b.Functions, want)
		}
	}

	routes := Routes(n)
	var api bool
	for _, r := range routes {
		if strings.HasPrefix(r.To, functionsPrefix) {
			api = api || r.From == "/api/*" && r.To == functionsPrefix+":splat"
			continue
		}
		// Every page a route leads to is in the built site.
		file, isDir := (&siteHandler{files: os.DirFS(built)}).lookup(r.To)
		if file == "" && !isDir {
			t.Errorf("route %s → %s: no such page in the built site", r.From, r.To)
		}
	}
	if !api {
		t.Error("no /api/* → /.netlify/functions/:splat rewrite")
	}

	// Every form of the site posts to a function that exists.
	actions := regexp.MustCompile(`action="?/api/([a-z-]+)`)
	err = filepath.WalkDir(built, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		html, err := os.ReadFile(path)
		for _, m := range actions.FindAllSubmatch(html, -1) {
			if !slices.Contains(names, string(m[1])) {
				t.Errorf("%s posts to /api/%s, but there is no %s/%s/main.go", path, m[1], b.Functions, m[1])
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// Every function builds as Netlify builds it: a static Linux binary from
// its folder. One go build for all of them keeps this quick.
func TestFunctionsBuildForNetlify(t *testing.T) {
	t.Parallel()
	dir := readNetlify(t).Build.Functions
	names := functionNames(t, dir)
	if len(names) == 0 {
		t.Fatal("no functions")
	}
	out := t.TempDir()
	args := []string{"build", "-o", out + string(filepath.Separator)}
	for _, n := range names {
		args = append(args, "./"+n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = filepath.Join(root, dir)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", cmd.Args, err, msg)
	}
	for _, n := range names {
		bin, err := os.ReadFile(filepath.Join(out, n))
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		// A static ELF binary for x86-64: no interpreter segment to a libc.
		if string(bin[:4]) != "\x7fELF" || bin[18] != 0x3e {
			t.Errorf("%s is not an x86-64 ELF binary", n)
		}
		if strings.Contains(string(bin[:4096]), "ld-linux") {
			t.Errorf("%s is linked dynamically", n)
		}
	}
}
