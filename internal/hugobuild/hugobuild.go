// Package hugobuild builds the site with the Hugo pinned in go.mod
// (`go tool hugo`), for tests, benchmarks and the local server.
package hugobuild

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Root returns the module root: the nearest folder above dir holding go.mod.
func Root(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above " + dir)
		}
		dir = parent
	}
}

// Command returns `go tool hugo <args>` run from the module root, so the
// pinned Hugo builds the site in source.
func Command(ctx context.Context, root, source string, args ...string) *exec.Cmd {
	all := append([]string{"tool", "hugo", "--source", source}, args...)
	cmd := exec.CommandContext(ctx, "go", all...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "HUGO_ENVIRONMENT=production")
	return cmd
}

// Build builds the site in source into dest and returns Hugo's output.
// Warnings count as failures: the site must build cleanly.
func Build(ctx context.Context, root, source, dest string, extra ...string) (string, error) {
	if err := noteInputs(source); err != nil {
		return "", err
	}
	args := append([]string{
		"--destination", dest, "--cleanDestinationDir",
		"--printI18nWarnings", "--printPathWarnings",
		"--logLevel", "warn",
	}, extra...)
	var out bytes.Buffer
	cmd := Command(ctx, root, source, args...)
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	text := out.String()
	if err != nil {
		return text, fmt.Errorf("hugo build failed: %w\n%s", err, text)
	}
	if strings.Contains(text, "WARN") {
		return text, fmt.Errorf("hugo build printed warnings:\n%s", text)
	}
	return text, nil
}

// inputs are the parts of a site that change what Hugo builds.
var inputs = []string{"config.toml", "content", "layouts", "assets", "i18n", "data", "static", "archetypes"}

// noteInputs opens every input file from this process. Hugo reads them in a
// child process, which `go test` does not watch; opening them here puts them
// in the test cache's key, so an edit to a page or template re-runs the tests.
func noteInputs(source string) error {
	for _, name := range inputs {
		err := filepath.WalkDir(filepath.Join(source, name), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			return f.Close()
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
