package serve

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/payoke/site/internal/headers"
)

// startRawServer runs the server as Run does (newServer behind withHeaders)
// on the built site, on a free port.
func startRawServer(t *testing.T) (addr string, hdrs *headers.Set) {
	t.Helper()
	routes, hdrs := siteRules(t)
	api := map[string]http.Handler{"contact": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Write([]byte("function contact"))
	})}
	srv := newServer(built, routes, hdrs, api, slog.New(slog.DiscardHandler))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(withHeaders(ln, hdrs))
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), hdrs
}

// rawAsk writes request to a new connection as it is (a separate goroutine,
// so a request larger than the socket's buffers cannot block the reading)
// and reads one answer.
func rawAsk(t *testing.T, addr, request string) (*http.Response, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	go io.WriteString(c, request)
	// The method tells ReadResponse whether a body follows (none after HEAD;
	// without it the read waits for the server's idle timeout).
	method, _, _ := strings.Cut(request, " ")
	resp, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%.60q: no answer: %v", request, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// checkHeaders requires each header netlify.toml gives path, exactly once
// and with its value.
func checkHeaders(t *testing.T, what string, resp *http.Response, want http.Header) {
	t.Helper()
	if len(want) == 0 {
		t.Fatalf("%s: netlify.toml gives no headers to compare", what)
	}
	for name := range want {
		if got := resp.Header.Values(name); len(got) != 1 || got[0] != want.Get(name) {
			t.Errorf("%s: %s = %q, want it once: %q", what, name, got, want.Get(name))
		}
	}
}

// The answers net/http makes itself, before any handler runs, carry the
// headers of every response and the page policy (those of "/"); before
// withHeaders they had only Content-Type and Connection.
func TestNetHTTPsOwnAnswersCarryTheHeaders(t *testing.T) {
	t.Parallel()
	addr, hdrs := startRawServer(t)
	want := hdrs.For("/")
	if !strings.Contains(want.Get("Content-Security-Policy"), "frame-ancestors 'none'") || want.Get("Strict-Transport-Security") == "" {
		t.Fatalf("the headers of / lack the page policy or HSTS: %v", want)
	}
	big := strings.Repeat("a", 1<<20+8192) // over net/http's 1 MB + 4 KB
	cases := []struct {
		name, request string
		status        int
		body          string
	}{
		{"a request line that is none", "GARBAGE\r\n\r\n", http.StatusBadRequest, "400 Bad Request"},
		{"a header line without a colon", "GET /nl/ HTTP/1.1\r\nHost: localhost\r\nNoColonHere\r\n\r\n", http.StatusBadRequest, "400 Bad Request"},
		{"no Host", "GET /nl/ HTTP/1.1\r\n\r\n", http.StatusBadRequest, "missing required Host header"},
		{"two Hosts", "GET /nl/ HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", http.StatusBadRequest, "400 Bad Request"},
		{"a malformed Host", "GET /nl/ HTTP/1.1\r\nHost: a b\r\n\r\n", http.StatusBadRequest, "malformed Host header"},
		{"an unknown HTTP version", "GET /nl/ HTTP/2.0\r\nHost: localhost\r\n\r\n", http.StatusHTTPVersionNotSupported, "unsupported protocol version"},
		{"an unknown Transfer-Encoding", "POST /api/contact HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\n", http.StatusNotImplemented, "Unsupported transfer encoding"},
		{"an unknown Expect", "GET /nl/ HTTP/1.1\r\nHost: localhost\r\nExpect: tea\r\n\r\n", http.StatusExpectationFailed, ""},
		{"headers over 1 MB", "GET /nl/ HTTP/1.1\r\nHost: localhost\r\nX-Big: " + big + "\r\n\r\n", http.StatusRequestHeaderFieldsTooLarge, "431 Request Header Fields Too Large"},
		{"OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n", http.StatusBadRequest, ""},
		{"GET *", "GET * HTTP/1.1\r\nHost: localhost\r\n\r\n", http.StatusBadRequest, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			resp, body := rawAsk(t, addr, c.request)
			if resp.StatusCode != c.status {
				t.Errorf("%d %q, want %d", resp.StatusCode, body, c.status)
			}
			if !strings.Contains(body, c.body) {
				t.Errorf("the body %q lost %q", body, c.body)
			}
			checkHeaders(t, c.name, resp, want)
		})
	}
}

// An unclean path is sent to the clean one, with the headers netlify.toml
// gives the clean path (the page policy for a page); a ServeMux answered
// these without any. The query goes along; the method does not matter.
func TestUncleanPathsRedirectWithTheHeaders(t *testing.T) {
	t.Parallel()
	addr, hdrs := startRawServer(t)
	for _, c := range []struct{ method, path, to string }{
		{"GET", "//nl/", "/nl/"},
		{"GET", "/nl/../en/", "/en/"},
		{"GET", "/nl/./", "/nl/"},
		{"GET", "/en//about/?x=1", "/en/about/?x=1"},
		{"HEAD", "/fr/a/../", "/fr/"},
		{"GET", "/%2e%2e/go.mod", "/go.mod"},
		{"GET", "/nl/%2e%2e/css/", "/css/"},
		{"POST", "//api/contact", "/api/contact"},
	} {
		resp, body := rawAsk(t, addr, c.method+" "+c.path+" HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n")
		what := c.method + " " + c.path
		if resp.StatusCode != http.StatusTemporaryRedirect || resp.Header.Get("Location") != c.to {
			t.Errorf("%s: %d to %q, want %d to %s", what, resp.StatusCode, resp.Header.Get("Location"), http.StatusTemporaryRedirect, c.to)
		}
		if strings.Contains(body, "module github.com/payoke/site") {
			t.Errorf("%s served a file outside the site", what)
		}
		clean, _, _ := strings.Cut(c.to, "?")
		checkHeaders(t, what, resp, hdrs.For(clean))
	}
}

// The wrapper leaves the handlers' answers as they are: a page, a
// function's answer and a 404 keep their headers once each, and their
// bodies whole.
func TestHandlersAnswersPassUnchanged(t *testing.T) {
	t.Parallel()
	addr, hdrs := startRawServer(t)
	for _, c := range []struct {
		request, path string
		status        int
		body          string
	}{
		{"GET /nl/ HTTP/1.1\r\nHost: localhost\r\n\r\n", "/nl/", http.StatusOK, "</html>"},
		{"GET /nl/no-such-page/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", "/nl/404.html", http.StatusNotFound, "</html>"},
		{"POST /api/contact HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\na=b", "/api/contact", http.StatusOK, "function contact"},
	} {
		resp, body := rawAsk(t, addr, c.request)
		if resp.StatusCode != c.status || !strings.Contains(body, c.body) {
			t.Errorf("%.40q: %d, body holds %q: %t", c.request, resp.StatusCode, c.body, strings.Contains(body, c.body))
		}
		if n := resp.ContentLength; n >= 0 && int64(len(body)) != n {
			t.Errorf("%.40q: Content-Length %d, body %d bytes", c.request, n, len(body))
		}
		checkHeaders(t, c.path, resp, hdrs.For(c.path))
	}
}
