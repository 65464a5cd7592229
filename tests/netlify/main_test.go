// Package netlify proves the deploy with Netlify's own CLI, the real client
// of netlify.toml, run offline from the versions pinned in this folder's
// package-lock.json (npm ci --prefix tests/netlify).
//
// TestBuild runs `netlify build --offline` on a copy of the working tree
// (the files git tracks, as they are on disk, plus new files git does not
// ignore: on a fresh clone, exactly the commit) and checks that it runs the
// content check and the pinned Hugo, publishes public/ and packages the
// three Go functions for Lambda.
//
// TestParity serves that build with `netlify dev --offline --dir public`
// (Netlify's router, headers and redirects, the Go functions invoked as
// Lambda) and the same copy with `payoke serve`, both with stripe-mock
// behind donations and a real SMTP server behind the mail, and asks both
// the same URL matrix: they must give the same status, Location, security
// headers and page. The few differences that are the tools', not ours, are
// listed one by one in knownDifferences with their source.
//
// TestJourneysOnNetlifyDev drives Chromium (internal/browsertest) through
// the donate and contact journeys on netlify dev, JavaScript on and off.
//
// Without node, the pinned CLI or Deno the tests skip on a laptop and fail
// in CI (CI=true), as the browser tests do.
package netlify

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/payoke/site/internal/browsertest"
	"github.com/payoke/site/internal/hugobuild"
)

// Install says how to get what these tests need.
const Install = "npm ci --prefix tests/netlify (Node.js and npm from Debian: apt-get install -y nodejs npm)"

func TestMain(m *testing.M) {
	code := m.Run()
	cleanupShared()
	os.Exit(code)
}

// tools are the programs the tests run.
type tools struct {
	root    string // the module root, whose working tree is copied
	bin     string // tests/netlify/node_modules/.bin, put first on PATH
	netlify string // the pinned netlify-cli
	deno    string // the pinned Deno (netlify-cli looks for `deno` on PATH)
}

// findTools finds node, the pinned netlify-cli and Deno, or says what is missing.
func findTools() (tools, error) {
	var tl tools
	root, err := hugobuild.Root(".")
	if err != nil {
		return tl, err
	}
	tl.root = root
	tl.bin = filepath.Join(root, "tests", "netlify", "node_modules", ".bin")
	tl.netlify = filepath.Join(tl.bin, "netlify")
	tl.deno = filepath.Join(tl.bin, "deno")
	var missing []string
	if _, err := exec.LookPath("node"); err != nil {
		missing = append(missing, "node (not on PATH)")
	}
	for _, p := range []string{tl.netlify, tl.deno} {
		if _, err := os.Stat(p); err != nil {
			missing = append(missing, "tests/netlify/node_modules/.bin/"+filepath.Base(p))
		}
	}
	if _, err := exec.LookPath("git"); err != nil {
		missing = append(missing, "git (to list the working tree's files)")
	}
	if len(missing) > 0 {
		return tl, errors.New(strings.Join(missing, " and "))
	}
	return tl, nil
}

// require ends the test if err reports a missing tool, by the rule of
// internal/browsertest: loudly in CI, with a skip elsewhere.
func require(t testing.TB, err error) {
	t.Helper()
	browsertest.RequireTool(t, "the Netlify CLI tests", Install, err)
}

// needTools returns the tools, or ends the test as require does.
func needTools(t testing.TB) tools {
	t.Helper()
	tl, err := findTools()
	require(t, err)
	return tl
}

// env is the environment for the CLI: the pinned tools first on PATH (so
// netlify-cli finds the pinned Deno), Go as .ci/run sets it, plus extra.
func (tl tools) env(extra ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PATH=") {
			out = append(out, kv)
		}
	}
	out = append(out, "PATH="+tl.bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"GOTOOLCHAIN=local", "BROWSER=none")
	return append(out, extra...)
}
