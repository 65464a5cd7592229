// Package stripemock runs the pinned stripe-mock (`go tool stripe-mock`) for
// the tests of the donate and webhook packages, and puts a small proxy in
// front of it for each test. The proxy records what the code sent to Stripe,
// and remembers metadata written to an object so a later read returns it:
// stripe-mock checks every request against Stripe's OpenAPI spec but keeps
// no state, and the webhook's duplicate-delivery guard needs that state.
package stripemock

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/payoke/site/internal/hugobuild"

	"github.com/payoke/site/internal/childproc"
)

// Process is one running stripe-mock.
type Process struct {
	URL string
	cmd *exec.Cmd
}

// Start builds (once, through Go's cache) and starts stripe-mock on free
// ports of 127.0.0.1; call it from TestMain and Close it after m.Run.
func Start() (*Process, error) {
	root, err := hugobuild.Root(".")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	which := exec.CommandContext(ctx, "go", "tool", "-n", "stripe-mock")
	which.Dir = root
	bin, err := which.Output()
	if err != nil {
		return nil, fmt.Errorf("go tool -n stripe-mock: %w", err)
	}
	cmd := exec.Command(strings.TrimSpace(string(bin)), "-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0")
	childproc.DieWithParent(cmd) // a test that times out must not leave it running
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	if err := childproc.Start(cmd); err != nil {
		return nil, err
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "Listening for HTTP at address: "); ok {
				addr <- a
			}
		}
	}()
	select {
	case a := <-addr:
		return &Process{URL: "http://" + a, cmd: cmd}, nil
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("stripe-mock did not start listening within 30 s")
	}
}

// Close stops stripe-mock.
func (p *Process) Close() {
	p.cmd.Process.Kill()
	p.cmd.Wait()
}

// Request is one call the code under test made to Stripe.
type Request struct {
	Method, Path string
	Form         url.Values
	Header       http.Header
	Status       int // what stripe-mock answered
}

// Proxy stands between one test and stripe-mock.
type Proxy struct {
	URL string

	mu       sync.Mutex
	requests []Request
	objects  map[string]map[string]any // "/v1/customers/cus_1" → fields laid over stripe-mock's answer
	failPOST bool
}

var objectPath = regexp.MustCompile(`^/v1/(payment_intents|subscriptions|invoices|customers)/[A-Za-z0-9_]+$`)

// NewProxy starts a proxy to p for the test t.
func (p *Process) NewProxy(t testing.TB) *Proxy {
	t.Helper()
	target, _ := url.Parse(p.URL)
	px := &Proxy{objects: map[string]map[string]any{}}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.ModifyResponse = px.overlay
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		if r.Method == http.MethodGet {
			form = r.URL.Query()
		}
		px.mu.Lock()
		px.requests = append(px.requests, Request{Method: r.Method, Path: r.URL.Path, Form: form, Header: r.Header.Clone()})
		fail := px.failPOST && r.Method == http.MethodPost
		if !fail && r.Method == http.MethodPost && objectPath.MatchString(r.URL.Path) {
			px.remember(r.URL.Path, form)
		}
		px.mu.Unlock()
		if fail {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"error":{"type":"api_error","message":"test failure"}}`)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rp.ServeHTTP(&statusWriter{ResponseWriter: w, px: px}, r)
	}))
	t.Cleanup(srv.Close)
	px.URL = srv.URL
	return px
}

// statusWriter notes stripe-mock's status on the last recorded request.
type statusWriter struct {
	http.ResponseWriter
	px *Proxy
}

func (s *statusWriter) WriteHeader(code int) {
	s.px.mu.Lock()
	if n := len(s.px.requests); n > 0 {
		s.px.requests[n-1].Status = code
	}
	s.px.mu.Unlock()
	s.ResponseWriter.WriteHeader(code)
}

// remember keeps metadata[...] fields written to an object.
func (px *Proxy) remember(path string, form url.Values) {
	for k, v := range form {
		key, ok := strings.CutPrefix(k, "metadata[")
		if !ok || !strings.HasSuffix(key, "]") {
			continue
		}
		o := px.object(path)
		md, _ := o["metadata"].(map[string]any)
		if md == nil {
			md = map[string]any{}
			o["metadata"] = md
		}
		md[strings.TrimSuffix(key, "]")] = v[0]
	}
}

func (px *Proxy) object(path string) map[string]any {
	o := px.objects[path]
	if o == nil {
		o = map[string]any{}
		px.objects[path] = o
	}
	return o
}

// Set lays fields over what stripe-mock answers for an object, e.g.
// Set("/v1/customers/cus_1", "email", "donor@example.org").
func (px *Proxy) Set(path, field string, value any) {
	px.mu.Lock()
	defer px.mu.Unlock()
	px.object(path)[field] = value
}

// FailPOST makes every later POST answer 500, as a failing Stripe would.
func (px *Proxy) FailPOST(fail bool) {
	px.mu.Lock()
	defer px.mu.Unlock()
	px.failPOST = fail
}

func (px *Proxy) overlay(resp *http.Response) error {
	px.mu.Lock()
	o := px.objects[resp.Request.URL.Path]
	px.mu.Unlock()
	if o == nil || resp.StatusCode != http.StatusOK {
		return nil
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return err
	}
	px.mu.Lock()
	for k, v := range o {
		doc[k] = v
	}
	b, err = json.Marshal(doc)
	px.mu.Unlock()
	if err != nil {
		return err
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	resp.Header.Set("Content-Length", fmt.Sprint(len(b)))
	return nil
}

// Requests returns the calls made so far.
func (px *Proxy) Requests() []Request {
	px.mu.Lock()
	defer px.mu.Unlock()
	return append([]Request(nil), px.requests...)
}

// Run starts stripe-mock into *p, runs the package's tests and stops it:
// `func TestMain(m *testing.M) { os.Exit(stripemock.Run(m, &proc)) }`.
func Run(m *testing.M, p **Process) int {
	proc, err := Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	*p = proc
	defer proc.Close()
	return m.Run()
}
