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
	"slices"
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

// Binary returns the path of the Hugo pinned in go.mod, built and cached by
// the go command (the first call on a new machine compiles it). Running that
// file, rather than `go tool hugo`, means a cancelled build stops Hugo itself:
// killing the go command would leave Hugo running.
func Binary(ctx context.Context, root string) (string, error) {
	locate := func() (string, error) {
		cmd := exec.CommandContext(ctx, "go", "tool", "-n", "hugo")
		cmd.Dir = root
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return "", fmt.Errorf("finding the pinned Hugo: %w\n%s", err, stderr.String())
		}
		return strings.TrimSpace(string(out)), nil
	}
	bin, err := locate()
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	build := exec.CommandContext(ctx, "go", "tool", "hugo", "version")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the pinned Hugo: %w\n%s", err, out)
	}
	if bin, err = locate(); err != nil {
		return "", err
	}
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("the pinned Hugo is not built at %s: %w", bin, err)
	}
	return bin, nil
}

// Command returns the pinned Hugo with args, building the site in source.
func Command(ctx context.Context, root, source string, args ...string) (*exec.Cmd, error) {
	bin, err := Binary(ctx, root)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, bin, append([]string{"--source", source}, args...)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "HUGO_ENVIRONMENT=production")
	return cmd, nil
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
	cmd, err := Command(ctx, root, source, args...)
	if err != nil {
		return "", err
	}
	cmd.Stdout = &out
	cmd.Stderr = &out
	err = cmd.Run()
	text := out.String()
	if err != nil {
		return text, fmt.Errorf("hugo build failed: %w\n%s", err, text)
	}
	if strings.Contains(text, "WARN") {
		return text, fmt.Errorf("hugo build printed warnings:\n%s", text)
	}
	return text, nil
}

// inputs are the parts of a site that change what Hugo builds (archetypes:
// what `hugo new content` writes), relative to its source folder.
var inputs = []string{"config.toml", "content", "layouts", "assets", "i18n", "data", "static", "archetypes"}

// Inputs returns the files and folders of a site, relative to its source
// folder, that Hugo reads: all a copy of the site needs.
func Inputs() []string { return slices.Clone(inputs) }

// CopyInputs copies the Inputs of the site in source into dst, skipping
// those the site does not have, so a test or benchmark can edit a copy.
func CopyInputs(source, dst string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, name := range inputs {
		from, to := filepath.Join(source, name), filepath.Join(dst, name)
		info, err := os.Stat(from)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return err
		case info.IsDir():
			err = os.CopyFS(to, os.DirFS(from))
		default:
			var data []byte
			if data, err = os.ReadFile(from); err == nil {
				err = os.WriteFile(to, data, 0o644)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// noteInputs opens every input file from this process. Hugo reads them in a
// child process, which `go test` does not watch; opening them here puts them
// in the test cache's key, so an edit to a page or template re-runs the tests.
func noteInputs(source string) error {
	return walkInputs(source, func(f *os.File, _ string) error { return nil })
}

// walkInputs opens each file of the site's Inputs in source, in order, and
// calls fn with it and its slash-separated path relative to source.
func walkInputs(source string, fn func(f *os.File, rel string) error) error {
	for _, name := range inputs {
		err := filepath.WalkDir(filepath.Join(source, name), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			rel, _ := filepath.Rel(source, path)
			return fn(f, filepath.ToSlash(rel))
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
