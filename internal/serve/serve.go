// Package serve is the `payoke serve` command: it builds the site with the
// pinned Hugo, rebuilds it on every change, and serves it with the function
// handlers at /api/*, with the routes and headers of netlify.toml.
package serve

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/payoke/site/internal/headers"
	"github.com/payoke/site/internal/hugobuild"
	"github.com/payoke/site/internal/netlify"
)

// Function is a function handler and the name it answers to, /api/<Name>.
type Function struct {
	Name string
	New  func(getenv func(string) string, logger *slog.Logger) (http.Handler, error)
}

// Run runs `payoke serve [-addr host:port] [-source dir]` until ctx ends.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, functions []Function) error {
	flags := flag.NewFlagSet("serve", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", "127.0.0.1:1313", "`host:port` to listen on")
	source := flags.String("source", "", "the site's folder (default: the module root)")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("serve: unexpected arguments %q", flags.Args())
	}

	root, err := hugobuild.Root(".")
	if err != nil {
		return fmt.Errorf("serve: run it inside the site's folder: %w", err)
	}
	if *source == "" {
		*source = root
	}
	if *source, err = filepath.Abs(*source); err != nil {
		return err
	}
	netlifyFile, err := netlify.Default()
	if err != nil {
		return err
	}
	hdrs, routes := headers.New(netlifyFile), Routes(netlifyFile)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("serve: %s is already in use, perhaps by another `payoke serve`; stop it, or choose another address: -addr 127.0.0.1:1314", *addr)
		}
		return fmt.Errorf("serve: cannot listen on %s: %w", *addr, err)
	}
	defer ln.Close()
	baseURL := "http://" + ln.Addr().String() + "/"

	dest, err := os.MkdirTemp("", "payoke-serve-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dest)

	logger := slog.New(slog.NewTextHandler(stderr, nil))
	env := localEnv(getenv, baseURL)
	if env("STRIPE_SECRET_KEY") == "" {
		fmt.Fprintln(stdout, "Donations need a Stripe test key: STRIPE_SECRET_KEY=sk_test_… go run ./cmd/payoke serve\n"+
			"(or offline: `go tool stripe-mock -http-port 12111`, then STRIPE_SECRET_KEY=sk_test_123 STRIPE_API_URL=http://127.0.0.1:12111).")
	}
	api := make(map[string]http.Handler, len(functions))
	for _, f := range functions {
		h, err := f.New(env, logger.With("function", f.Name))
		if err != nil {
			// One misconfigured function should not keep the site from running.
			fmt.Fprintf(stdout, "/api/%s is off: %v\n", f.Name, err)
			h = unavailable(f.Name, err)
		}
		api[f.Name] = h
	}

	fmt.Fprintln(stdout, "Building the site with the pinned Hugo…")
	if _, err := hugobuild.Build(ctx, root, *source, dest, "--baseURL", baseURL); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	bin, err := hugobuild.Binary(ctx, root)
	if err != nil {
		return err
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	watchErr := make(chan error, 1)
	watching := make(chan struct{})
	wg.Go(func() { watchErr <- watch(ctx, bin, root, *source, dest, baseURL, stdout, watching) })
	select { // Hugo's watcher rebuilds everything once at its start: serve after that
	case <-watching:
	case err := <-watchErr:
		return err
	case <-ctx.Done():
		return <-watchErr
	}

	srv := newServer(dest, routes, hdrs, api, logger)
	serveErr := make(chan error, 1)
	wg.Go(func() { serveErr <- srv.Serve(withHeaders(ln, hdrs)) })
	fmt.Fprintf(stdout, "Payoke runs at %s (edits show on reload; Ctrl-C stops it)\n", baseURL)

	var runErr error
	select {
	case <-ctx.Done():
	case err := <-watchErr:
		runErr = err
	case err := <-serveErr:
		runErr = err
	}
	shutdownCtx, stop := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer stop()
	if err := srv.Shutdown(shutdownCtx); err != nil && runErr == nil {
		runErr = err
	}
	cancel()
	wg.Wait()
	fmt.Fprintln(stdout, "Stopped.")
	return runErr
}

// The local server's limits, so slow or idle clients cannot hold its
// connections. A request must arrive within ReadTimeout (its headers within
// ReadHeaderTimeout): the forms and the webhook's 256 KB are read in
// milliseconds. WriteTimeout runs from the end of the headers through the
// handler, so it outlasts the functions' 10 s budget (the webhook's 8 s +
// 1.5 s) with room; pages are served from disk, and Hugo's rebuilds do not
// hold requests (they are separate, later requests). A kept-alive
// connection left idle is closed after IdleTimeout.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 15 * time.Second
)

// newServer is the local server: the site in dest and the functions.
func newServer(dest string, routes []Route, hdrs *headers.Set, api map[string]http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           NewHandler(dest, routes, hdrs, api, logger),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		// OPTIONS * reaches cleanPaths, which answers with the headers.
		DisableGeneralOptionsHandler: true,
	}
}

// pagesReadOnly answers 405 (Allow: GET, HEAD, with the path's headers) to
// any other method on the site's pages, files, redirects and 404s: they
// are static, as on the CDN. Requests that netlify.toml routes to a
// function (/api/*) pass through and the function decides.
func pagesReadOnly(site http.Handler, routes []Route, hdrs *headers.Set) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead || toFunction(routes, r) {
			site.ServeHTTP(w, r)
			return
		}
		for name, values := range hdrs.For(r.URL.Path) {
			w.Header()[name] = values
		}
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed: this address is a page of the site", http.StatusMethodNotAllowed)
	})
}

// withHeaders wraps the listener's connections so that the answers net/http
// writes on its own, before any handler runs, carry the headers of "/" (the
// headers netlify.toml gives every response, and the page policy) like every
// other answer: its 400 for a malformed request (a bad request line, header
// or Host), 431 for headers over MaxHeaderBytes, 501 for an unknown
// Transfer-Encoding, 505 for an unknown HTTP version and 417 for an unknown
// Expect. net/http has no hook for these: it writes the first four straight
// to the connection, and the 417 with a header map no handler saw. A
// handler-side header limit (a larger MaxHeaderBytes) would only move the
// bare 431 further out, and nothing in net/http lets a handler see a request
// it could not parse, so this small wrapper is the one place that covers all
// of them. It changes nothing else: see headerConn.Write.
func withHeaders(ln net.Listener, hdrs *headers.Set) net.Listener {
	h := hdrs.For("/")
	l := &headerListener{Listener: ln}
	for name := range h {
		l.names = append(l.names, name)
	}
	sort.Strings(l.names)
	for _, name := range l.names {
		l.lines = append(l.lines, []byte(name+": "+h.Get(name)+"\r\n"))
	}
	return l
}

type headerListener struct {
	net.Listener
	names []string // the headers' names, sorted
	lines [][]byte // "Name: value\r\n" for each
}

func (l *headerListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &headerConn{Conn: c, l: l}, nil
}

type headerConn struct {
	net.Conn
	l *headerListener
}

// ownAnswer matches the header of an answer net/http makes itself: a
// status it gives on its own, Connection: close among the header lines, then
// the header's end. The handlers never answer so without the headers.
var ownAnswer = regexp.MustCompile(`\AHTTP/1\.[01] (?:400|417|431|501|505) [^\r\n]*\r\n(?:[A-Za-z-]+: [^\r\n]*\r\n)*?Connection: close\r\n(?:[A-Za-z-]+: [^\r\n]*\r\n)*\r\n`)

// Write adds the headers missing from an answer of net/http's own: a write
// that starts with its status line and holds its whole header. net/http
// writes each of these in one Write (straight to the connection, or the 417
// from its 4 KB buffer). Every other write passes as it is.
func (c *headerConn) Write(p []byte) (int, error) {
	if !bytes.HasPrefix(p, []byte("HTTP/1.")) {
		return c.Conn.Write(p)
	}
	m := ownAnswer.FindIndex(p)
	if m == nil {
		return c.Conn.Write(p)
	}
	head := p[:m[1]]
	eol := bytes.IndexByte(p, '\n') + 1
	out := append([]byte(nil), p[:eol]...)
	for i, name := range c.l.names {
		if !bytes.Contains(head, []byte("\r\n"+name+":")) {
			out = append(out, c.l.lines[i]...)
		}
	}
	if len(out) == eol {
		return c.Conn.Write(p)
	}
	if _, err := c.Conn.Write(append(out, p[eol:]...)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// CloseWrite lets net/http half-close the connection after its 431, so the
// client reads the answer before the connection is reset.
func (c *headerConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// toFunction reports whether a route of netlify.toml leads r to a function.
func toFunction(routes []Route, r *http.Request) bool {
	for _, route := range routes {
		if _, ok := route.match(r.URL.Path); ok && route.Status == http.StatusOK &&
			strings.HasPrefix(route.To, functionsPrefix) && route.accepts(r) {
			return true
		}
	}
	return false
}

// localEnv is getenv with local defaults: SITE_URL is this server.
func localEnv(getenv func(string) string, baseURL string) func(string) string {
	return func(key string) string {
		v := getenv(key)
		if v == "" && key == "SITE_URL" {
			return baseURL[:len(baseURL)-1]
		}
		return v
	}
}

// unavailable answers for a function that could not start, and says why.
func unavailable(name string, err error) http.Handler {
	msg := fmt.Sprintf("/api/%s is not available on this local server: %v\n", name, err)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, msg, http.StatusServiceUnavailable)
	})
}
