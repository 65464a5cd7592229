package serve

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/payoke/site/internal/childproc"
)

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
	childproc.DieWithParent(cmd)
	err := cmd.Run()
	if ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("hugo --watch stopped: %w", err)
}
