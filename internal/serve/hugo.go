package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/payoke/site/internal/childproc"
)

// watch runs Hugo in watch mode until ctx ends: it rebuilds the site in
// source into dest whenever content, layouts, assets, i18n or the config
// change. Hugo's watch mode starts with a full build of its own, which
// rewrites every file; ready is closed once that build is done and Hugo
// says it is watching, so nothing is served while it rewrites (a reader
// would get half a file).
func watch(ctx context.Context, bin, root, source, dest, baseURL string, out io.Writer, ready chan<- struct{}) error {
	cmd := exec.CommandContext(ctx, bin, "build", "--watch",
		"--source", source, "--destination", dest, "--baseURL", baseURL,
		"--logLevel", "warn")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "HUGO_ENVIRONMENT=production")
	w := &readyWriter{out: out, ready: ready}
	cmd.Stdout = w
	cmd.Stderr = w
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	childproc.DieWithParent(cmd)
	err := childproc.Run(cmd)
	if ctx.Err() != nil {
		return nil
	}
	if err == nil {
		return errors.New("hugo --watch stopped on its own")
	}
	return fmt.Errorf("hugo --watch stopped: %w", err)
}

// readyWriter passes Hugo's output on and closes ready at the first line
// that says Hugo is watching.
type readyWriter struct {
	out   io.Writer
	ready chan<- struct{}
	mu    sync.Mutex
	line  []byte
	done  bool
}

func (w *readyWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	if !w.done {
		w.line = append(w.line, p...)
		if bytes.Contains(w.line, []byte("Watching for changes")) {
			w.done, w.line = true, nil
			close(w.ready)
		} else if i := bytes.LastIndexByte(w.line, '\n'); i >= 0 {
			w.line = w.line[i+1:]
		}
	}
	w.mu.Unlock()
	return w.out.Write(p)
}
