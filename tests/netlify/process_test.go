package netlify

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/payoke/site/internal/childproc"
)

// process is a long-lived command of one test, with its output kept.
type process struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	log    bytes.Buffer
	lines  chan string
	exited chan struct{}
}

// startProcess runs cmd until the test ends; its output is shown if the
// test fails. It runs in a process group of its own, so netlify dev's
// children (the static server, the functions' proxies) stop with it.
func startProcess(t *testing.T, cmd *exec.Cmd) *process {
	t.Helper()
	p := &process{cmd: cmd, lines: make(chan string, 1024), exited: make(chan struct{})}
	pr, pw := io.Pipe()
	cmd.Stdout = pw
	cmd.Stderr = pw
	childproc.DieWithParent(cmd) // a test that times out must not leave it running
	cmd.SysProcAttr.Setpgid = true
	if err := childproc.Start(cmd); err != nil {
		t.Fatalf("%s: %v", cmd.Path, err)
	}
	go func() {
		cmd.Wait()
		pw.Close()
		close(p.exited)
	}()
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.log.WriteString(line + "\n")
			p.mu.Unlock()
			select {
			case p.lines <- line:
			default:
			}
		}
		io.Copy(io.Discard, pr)
	}()
	t.Cleanup(func() {
		pgid := -cmd.Process.Pid
		syscall.Kill(pgid, syscall.SIGINT)
		select {
		case <-p.exited:
		case <-time.After(10 * time.Second):
			syscall.Kill(pgid, syscall.SIGKILL)
			<-p.exited
		}
		syscall.Kill(pgid, syscall.SIGKILL) // what is left of its group
		if t.Failed() {
			t.Logf("output of %s:\n%s", strings.Join(cmd.Args, " "), p.output())
		}
	})
	return p
}

func (p *process) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// waitFor waits until every pattern has matched a line of the output and
// returns the first submatch of the first pattern.
func (p *process) waitFor(t *testing.T, wait time.Duration, patterns ...*regexp.Regexp) string {
	t.Helper()
	deadline := time.After(wait)
	found := make([]bool, len(patterns))
	var first string
	for {
		done := true
		for _, f := range found {
			done = done && f
		}
		if done {
			return first
		}
		select {
		case line := <-p.lines:
			for i, re := range patterns {
				if m := re.FindStringSubmatch(line); m != nil && !found[i] {
					found[i] = true
					if i == 0 && len(m) > 1 {
						first = m[1]
					}
				}
			}
		case <-p.exited:
			t.Fatalf("%s stopped before it was ready:\n%s", strings.Join(p.cmd.Args, " "), p.output())
		case <-deadline:
			t.Fatalf("%s not ready within %s (want lines matching %q):\n%s", strings.Join(p.cmd.Args, " "), wait, patterns, p.output())
		}
	}
}

// freePort returns a port of 127.0.0.1 free now (netlify dev wants numbers).
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// startNetlifyDev serves the build in dir with `netlify dev --offline --dir
// public`, as the README says; env reaches the functions.
func startNetlifyDev(t *testing.T, tl tools, dir string, env []string) string {
	t.Helper()
	port := freePort(t)
	url := "http://127.0.0.1:" + port
	cmd := exec.Command(tl.netlify, "dev", "--offline", "--dir", "public", "--port", port, "--no-open",
		// Its static server and functions server default to fixed ports
		// (3999 and one near 34567): free ones, so two runs can share a machine.
		"--staticServerPort", freePort(t), "--functions-port", freePort(t),
		"--skip-gitignore")
	cmd.Dir = dir
	cmd.Env = tl.env(append(env, "SITE_URL="+url)...)
	p := startProcess(t, cmd)
	var loaded []*regexp.Regexp
	for _, name := range functionNames(t, dir) {
		loaded = append(loaded, regexp.MustCompile(`Loaded function `+regexp.QuoteMeta(name)+`\b`))
	}
	p.waitFor(t, 4*time.Minute, append([]*regexp.Regexp{regexp.MustCompile(`Local dev server ready`)}, loaded...)...)
	return url
}

// startPayokeServe builds `payoke serve` from dir and runs it there, as the
// README says, on a free port; it returns the site's URL.
func startPayokeServe(t *testing.T, dir string, env []string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "payoke")
	build := exec.Command("go", "build", "-o", bin, "./cmd/payoke")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/payoke: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "serve", "-addr", "127.0.0.1:0")
	cmd.Dir = dir
	// Its Hugo builds into a folder of its own: no need for the lock.
	cmd.Env = append(append(os.Environ(), "GOTOOLCHAIN=local", "HUGO_NOBUILDLOCK=true"), env...)
	p := startProcess(t, cmd)
	return p.waitFor(t, 4*time.Minute, regexp.MustCompile(`runs at (http://127\.0\.0\.1:\d+)/`))
}
