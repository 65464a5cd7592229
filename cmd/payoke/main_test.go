package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/payoke/site/internal/headers"
	"github.com/payoke/site/internal/headers/headerstest"
	"github.com/payoke/site/internal/hugobuild"
	"github.com/payoke/site/internal/testutil"
)

// eventually polls check until it returns true or the time is up.
func eventually(t *testing.T, within time.Duration, check func() bool) bool {
	t.Helper()
	for end := time.Now().Add(within); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if check() {
			return true
		}
	}
	return false
}

// copySite copies what Hugo reads, so the test can edit content freely.
func copySite(t *testing.T) string {
	t.Helper()
	root, err := hugobuild.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	if err := hugobuild.CopyInputs(root, dst); err != nil {
		t.Fatal(err)
	}
	return dst
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// The serve command, in process: the whole site with the production
// headers, the functions at /api/*, an edit shown after the rebuild, a clear
// message when the port is taken, and a clean stop.
func TestServe(t *testing.T) {
	source := copySite(t)
	outbox := t.TempDir()
	env := map[string]string{"OUTBOX_DIR": outbox}
	getenv := func(k string) string { return env[k] }

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr testutil.SyncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"payoke", "serve", "-addr", "127.0.0.1:0", "-source", source}, getenv, &stdout, &stderr)
	}()
	addrLine := regexp.MustCompile(`runs at (http://127\.0\.0\.1:\d+)/`)
	var base string
	if !eventually(t, 3*time.Minute, func() bool {
		if m := addrLine.FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped early: %v\n%s\n%s", err, stdout.String(), stderr.String())
		default:
		}
		return base != ""
	}) {
		t.Fatalf("serve did not start:\n%s\n%s", stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "STRIPE_SECRET_KEY") {
		t.Errorf("no hint about the Stripe key without one:\n%s", stdout.String())
	}

	hdrs, err := headers.Default()
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{CheckRedirect: noRedirect, Timeout: 10 * time.Second}
	fetch := func(method, path, form string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(method, base+path, strings.NewReader(form))
		if err != nil {
			t.Fatal(err)
		}
		if form != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}

	t.Run("pages", func(t *testing.T) {
		for _, path := range []string{"/nl/", "/en/about/", "/fr/contact/", "/en/support-us/", "/ar/"} {
			resp, body := fetch(http.MethodGet, path, "")
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, "<html") {
				t.Errorf("%s: %d", path, resp.StatusCode)
			}
			if err := headerstest.Verify(hdrs, path, resp.Header); err != nil {
				t.Error(err)
			}
			if got := resp.Header.Get("Cache-Control"); got != headers.DefaultCacheControl {
				t.Errorf("%s: Cache-Control %q", path, got)
			}
			// Links in the local build point at the local server.
			if strings.Contains(body, "https://www.payoke.be/") && !strings.Contains(body, base) {
				t.Errorf("%s links to production, not to %s", path, base)
			}
		}
		resp, _ := fetch(http.MethodGet, "/", "")
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/nl/" {
			t.Errorf("/: %d to %q, want 302 to /nl/", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, body := fetch(http.MethodGet, "/en/gone/", "")
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "<html lang=en") {
			t.Errorf("/en/gone/: %d, want the English 404 page", resp.StatusCode)
		}
	})

	t.Run("functions", func(t *testing.T) {
		// The contact handler: no message, so the form comes back with the name.
		resp, body := fetch(http.MethodPost, "/api/contact", url.Values{"name": {"Ana Test"}, "lang": {"en"}}.Encode())
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Ana Test") {
			t.Errorf("/api/contact: %d %.200s", resp.StatusCode, body)
		}
		if err := headerstest.Verify(hdrs, headers.APIPath, resp.Header); err != nil {
			t.Error(err)
		}
		// The donate handler: a bad amount, answered by the handler in HTML.
		resp, body = fetch(http.MethodPost, "/api/donate", url.Values{"amount": {"abc"}, "frequency": {"once"}, "lang": {"en"}}.Encode())
		if (resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusServiceUnavailable) || !strings.Contains(body, "amount") {
			t.Errorf("/api/donate: %d %.200s", resp.StatusCode, body)
		}
		if err := headerstest.Verify(hdrs, headers.APIPath, resp.Header); err != nil {
			t.Error(err)
		}
		// The webhook handler: without Stripe secrets it says what to set.
		resp, body = fetch(http.MethodPost, "/api/stripe-webhook", `{"id":"evt_test"}`)
		if resp.StatusCode != http.StatusServiceUnavailable || strings.Contains(body, "not available on this local server") {
			t.Errorf("/api/stripe-webhook: %d %.200s", resp.StatusCode, body)
		}
		if err := headerstest.Verify(hdrs, headers.APIPath, resp.Header); err != nil {
			t.Error(err)
		}
		// A valid message goes to the local outbox.
		resp, _ = fetch(http.MethodPost, "/api/contact", url.Values{"message": {"A test message from TestServe."}, "lang": {"en"}}.Encode())
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("/api/contact with a message: %d, want 303", resp.StatusCode)
		}
		if files, _ := os.ReadDir(outbox); len(files) == 0 {
			t.Error("the message is not in the outbox")
		}
		if strings.Contains(stderr.String(), "A test message") || strings.Contains(stdout.String(), "Ana Test") {
			t.Error("a message or a name is in the log")
		}
	})

	t.Run("an edit shows after the rebuild", func(t *testing.T) {
		page := filepath.Join(source, "content", "en", "about", "_index.md")
		text, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		mark := "Edited by TestServe at " + time.Now().Format("15:04:05.000")
		if err := os.WriteFile(page, append(text, []byte("\n\n"+mark+"\n")...), 0o644); err != nil {
			t.Fatal(err)
		}
		if !eventually(t, 30*time.Second, func() bool {
			_, body := fetch(http.MethodGet, "/en/about/", "")
			return strings.Contains(body, mark)
		}) {
			t.Errorf("the edit did not show:\n%s", stdout.String())
		}
	})

	t.Run("port taken", func(t *testing.T) {
		host := strings.TrimPrefix(base, "http://")
		var out, errOut testutil.SyncBuffer
		err := run(ctx, []string{"payoke", "serve", "-addr", host}, getenv, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), host+" is already in use") || !strings.Contains(err.Error(), "-addr") {
			t.Errorf("second serve on %s: %v", host, err)
		}
	})

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve stopped with %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop within 15 s of the cancel")
	}
	if _, err := http.Get(base + "/nl/"); err == nil {
		t.Error("still answering after the stop")
	}
}

func TestUnknownCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"payoke", "publish"}, os.Getenv, &out, &errOut); err == nil {
		t.Error("an unknown command succeeded")
	}
	if err := run(context.Background(), []string{"payoke"}, os.Getenv, &out, &errOut); err == nil || !strings.Contains(errOut.String(), "payoke serve") {
		t.Errorf("no command: %v, usage %q", err, errOut.String())
	}
}
