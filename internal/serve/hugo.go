package serve

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// hugoBinary returns the path of the Hugo pinned in go.mod, built and cached
// by the go command, so the watcher runs Hugo itself and stops with ctx
// (`go tool hugo` would leave Hugo running when the go command is killed).
func hugoBinary(ctx context.Context, root string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "tool", "-n", "hugo")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("finding the pinned Hugo: %w\n%s", err, stderr.String())
	}
	bin := strings.TrimSpace(string(out))
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("the pinned Hugo is not built at %s: %w", bin, err)
	}
	return bin, nil
}

// watch runs Hugo in watch mode until ctx ends: it rebuilds the site in
// source into dest whenever content, layouts, assets, i18n or the config change.
func watch(ctx context.Context, bin, root, source, dest, baseURL string, out io.Writer) error {
	cmd := exec.CommandContext(ctx, bin, "build", "--watch",
		"--source", source, "--destination", dest, "--baseURL", baseURL,
		"--logLevel", "warn")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "HUGO_ENVIRONMENT=production")
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	dieWithParent(cmd)
	err := cmd.Run()
	if ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("hugo --watch stopped: %w", err)
}
