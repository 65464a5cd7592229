package serve

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// startServer runs the server `payoke serve` runs (newServer) on the built
// site, on a free port; each function reads its whole body, then answers
// with its name and the method.
func startServer(t *testing.T) (addr string, srv *http.Server) {
	t.Helper()
	routes, hdrs := siteRules(t)
	api := map[string]http.Handler{}
	for _, name := range []string{"donate", "contact", "stripe-webhook"} {
		api[name] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, err := io.ReadAll(r.Body); err != nil {
				http.Error(w, "could not read body", http.StatusBadRequest)
				return
			}
			fmt.Fprintf(w, "function %s got %s", name, r.Method)
		})
	}
	srv = newServer(built, routes, hdrs, api, slog.New(slog.DiscardHandler))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), srv
}

// closedWithin reads from c (discarding what the server says) until the
// server closes it, and fails the test if it is still open after limit.
func closedWithin(t *testing.T, c net.Conn, limit time.Duration, what string) {
	t.Helper()
	start := time.Now()
	c.SetReadDeadline(start.Add(limit))
	_, err := io.Copy(io.Discard, c)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("%s: connection still open after %v", what, limit)
		return
	}
	t.Logf("%s: closed by the server after %v", what, time.Since(start).Round(100*time.Millisecond))
}

// Slow and idle clients cannot hold the local server's connections: each
// is closed within its bound (generous: the server's timeout plus margin).
// Before the timeouts, 200 such connections stayed open indefinitely.
func TestSlowAndIdleConnectionsAreClosed(t *testing.T) {
	t.Parallel()
	addr, _ := startServer(t)
	const conns = 20 // of each kind, at once
	dial := func(t *testing.T) net.Conn {
		t.Helper()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	// drip writes s, then a byte a second until the server stops reading.
	drip := func(c net.Conn, s, b string) {
		go func() {
			if _, err := io.WriteString(c, s); err != nil {
				return
			}
			for range 120 {
				time.Sleep(time.Second)
				if _, err := io.WriteString(c, b); err != nil {
					return
				}
			}
		}()
	}
	cases := []struct {
		name  string
		limit time.Duration
		start func(c net.Conn)
	}{
		{"connects and says nothing", 20 * time.Second, func(net.Conn) {}},
		{"sends its headers a line a second", 20 * time.Second, func(c net.Conn) {
			drip(c, "GET /nl/ HTTP/1.1\r\nHost: localhost\r\n", "X-Slow: 1\r\n")
		}},
		{"sends its body a byte a second", 35 * time.Second, func(c net.Conn) {
			drip(c, "POST /api/contact HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"+
				"Content-Length: 1000\r\n\r\nmessage=", "x")
		}},
		{"stays idle after a page", 35 * time.Second, func(c net.Conn) {
			io.WriteString(c, "GET /nl/ HTTP/1.1\r\nHost: localhost\r\n\r\n")
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Errorf("GET /nl/: %v %v", resp, err)
				return
			}
			io.Copy(io.Discard, resp.Body) // the connection is kept alive, then left idle
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var wg sync.WaitGroup
			for i := range conns {
				conn := dial(t)
				wg.Go(func() {
					c.start(conn)
					if i == 0 {
						closedWithin(t, conn, c.limit, c.name)
					} else {
						conn.SetReadDeadline(time.Now().Add(c.limit))
						if _, err := io.Copy(io.Discard, conn); errors.Is(err, os.ErrDeadlineExceeded) {
							t.Errorf("%s: connection %d still open after %v", c.name, i, c.limit)
						}
					}
				})
			}
			wg.Wait()
		})
	}
}

// The server's limits leave the functions their 10 s and more.
func TestServerTimeoutsLeaveTheFunctionsTheirTime(t *testing.T) {
	t.Parallel()
	_, srv := startServer(t)
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 {
		t.Fatalf("a timeout is not set: header %v, read %v, write %v, idle %v",
			srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout)
	}
	// The write deadline runs from the end of the headers, through the
	// function's work: it must outlast Netlify's 10 s function limit.
	if srv.WriteTimeout < 20*time.Second {
		t.Errorf("WriteTimeout %v would cut a function's answer short", srv.WriteTimeout)
	}
}

// Pages and files answer only GET and HEAD, as on the CDN: another method
// gets 405 with Allow, not the page. The functions keep their own methods.
func TestPagesAnswerOnlyGetAndHead(t *testing.T) {
	t.Parallel()
	addr, _ := startServer(t)
	base := "http://" + addr
	var css string
	fs.WalkDir(os.DirFS(built), "css", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && css == "" {
			css = "/" + filepath.ToSlash(p)
		}
		return nil
	})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(method, path string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader("a=b"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	for _, path := range []string{"/nl/", "/en/about/", "/en/about", "/", "/index.html", "/nowhere/", css, "/sitemap.xml"} {
		for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodOptions, http.MethodPatch} {
			resp, body := do(method, path)
			if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s: %d, Allow %q; want 405, Allow GET, HEAD", method, path, resp.StatusCode, resp.Header.Get("Allow"))
			}
			if strings.Contains(body, "<html") {
				t.Errorf("%s %s: the page came back", method, path)
			}
			if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s %s: 405 without the site's headers", method, path)
			}
		}
	}
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		if resp, _ := do(method, "/nl/"); resp.StatusCode != http.StatusOK {
			t.Errorf("%s /nl/: %d", method, resp.StatusCode)
		}
	}
	for _, name := range []string{"donate", "contact", "stripe-webhook"} {
		for _, method := range []string{http.MethodPost, http.MethodGet, http.MethodOptions, http.MethodPut} {
			if _, body := do(method, "/api/"+name); body != "function "+name+" got "+method {
				t.Errorf("%s /api/%s: %q, want it to reach the function", method, name, body)
			}
		}
	}
}
