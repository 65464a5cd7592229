package browser

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/payoke/site/internal/childproc"
	"github.com/payoke/site/internal/hugobuild"
)

// moduleRoot is the site's folder, where `payoke serve` must run.
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := hugobuild.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// startProcess runs a long-lived command until the test ends and returns
// the first match of pattern in its output (an address it listens on).
func startProcess(t *testing.T, cmd *exec.Cmd, pattern *regexp.Regexp, wait time.Duration) string {
	t.Helper()
	pr, pw := io.Pipe()
	cmd.Stdout = pw
	cmd.Stderr = pw
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	if err := childproc.Start(cmd); err != nil {
		t.Fatalf("%s: %v", cmd.Path, err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		pw.Close()
		close(exited)
	}()
	// Stop it when the test ends (before the test's other clean-ups,
	// which may wait for what it holds).
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(cmd.WaitDelay):
			cmd.Process.Kill()
			<-exited
		}
	})

	found := make(chan string, 1)
	var mu sync.Mutex
	var log bytes.Buffer
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			mu.Lock()
			log.WriteString(line + "\n")
			mu.Unlock()
			if m := pattern.FindStringSubmatch(line); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		io.Copy(io.Discard, pr)
	}()
	// Its output is kept, and shown if a test fails.
	t.Cleanup(func() {
		if t.Failed() {
			mu.Lock()
			defer mu.Unlock()
			t.Logf("output of %s:\n%s", filepath.Base(cmd.Path), log.String())
		}
	})
	select {
	case addr := <-found:
		return addr
	case <-exited:
	case <-time.After(wait):
	}
	mu.Lock()
	defer mu.Unlock()
	t.Fatalf("%s did not start (want a line matching %s):\n%s", strings.Join(cmd.Args, " "), pattern, log.String())
	return ""
}

// startSite builds `payoke serve` and runs it, as the README says, on a
// free port with env added to the environment; it returns the site's URL,
// without the final slash.
func startSite(t *testing.T, ctx context.Context, root string, env []string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "payoke")
	build := exec.Command("go", "build", "-o", bin, "./cmd/payoke")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/payoke: %v\n%s", err, out)
	}
	cmd := exec.CommandContext(ctx, bin, "serve", "-addr", "127.0.0.1:0")
	cmd.Dir = root
	childproc.DieWithParent(cmd) // a suite that times out must not leave the server running
	// The build goes to a folder of its own, so it need not wait for the
	// lock that every other Hugo run in this checkout takes (tests run in
	// parallel, and a stuck one would hold the lock for ever).
	cmd.Env = append(append(os.Environ(), "HUGO_NOBUILDLOCK=true"), env...)
	url := startProcess(t, cmd, regexp.MustCompile(`runs at (http://127\.0\.0\.1:\d+)/`), 3*time.Minute)
	return url
}

// site is what a test needs of the running site.
type site struct {
	URL    string // http://127.0.0.1:port, the site and its functions
	Stripe string // stripe-mock's base URL
}

func (s site) String() string { return fmt.Sprintf("site %s (stripe-mock %s)", s.URL, s.Stripe) }
