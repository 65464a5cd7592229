package check

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/payoke/site/internal/browsertest"
	"github.com/payoke/site/internal/headers"
	"github.com/payoke/site/internal/hugobuild"
)

// The real editor, served with the production headers of /admin from
// netlify.toml, starts in Chromium with our configuration: Sveltia reports
// no unknown option, the policy blocks nothing but its update check, the
// fonts come from our origin, and every collection opens. Sveltia's
// in-browser test repository stands in for GitHub (the only change made
// to the configuration), since tests reach no other host.
func TestCMSInBrowser(t *testing.T) {
	t.Parallel()
	chromium := browsertest.Chromium(t)
	root, err := hugobuild.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	set, err := headers.Load(os.DirFS(root))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile(filepath.Join(root, "static/admin/config.yml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg = bytes.Replace(cfg, []byte("\n  name: github\n"), []byte("\n  name: test-repo\n"), 1)
	files := http.FileServer(http.Dir(filepath.Join(root, "static")))
	srv := httptest.NewServer(set.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/admin/config.yml" {
			w.Header().Set("Content-Type", "application/yaml")
			w.Write(cfg)
			return
		}
		files.ServeHTTP(w, r)
	})))
	defer srv.Close()

	alloc := browsertest.NewAllocator(t, chromium)
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancelTime := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTime()

	var mu sync.Mutex
	var messages []string
	err = chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			var args []string
			for _, a := range ev.Args {
				args = append(args, strings.Trim(string(a.Value), `"`))
			}
			messages = append(messages, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			text := d.Text
			if d.Exception != nil {
				text += " " + d.Exception.Description
			}
			messages = append(messages, "exception: "+text)
		case *log.EventEntryAdded:
			messages = append(messages, fmt.Sprintf("%s %s: %s", ev.Entry.Source, ev.Entry.Level, ev.Entry.Text))
		}
	})

	if err != nil {
		t.Fatal(err)
	}
	signIn := `//button[contains(., "Test Repository")]`
	err = chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, log.Enable, cdp.Empty{})
			return err
		}),
		chromedp.Navigate(srv.URL+"/admin/"),
		chromedp.WaitVisible(signIn),
	)
	if err != nil {
		t.Fatalf("the editor did not start: %v\n%s", err, strings.Join(messages, "\n"))
	}
	// The button answers once the app has hydrated: click until the
	// collections show (a single early click can go unheard).
	var body string
	for i := 0; i < 30 && !strings.Contains(body, "Supporters"); i++ {
		if strings.Contains(body, "Test Repository") || body == "" {
			chromedp.Do(ctx, chromedp.Click(signIn, chromedp.AtLeast(0)))
		}
		time.Sleep(500 * time.Millisecond)
		body, err = chromedp.Run(ctx, chromedp.Text("body"))
		if err != nil {
			t.Fatal(err)
		}
	}
	fonts, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`document.fonts.ready.then(() => [...document.fonts].filter(f => f.status === "loaded").map(f => f.family).join(","))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	for _, label := range []string{"News", "Projects", "Pages", "About us", "Supporters"} {
		if !strings.Contains(body, label) {
			t.Errorf("collection %q is not in the editor", label)
		}
	}
	if !strings.Contains(fonts, "Material Symbols Outlined") {
		t.Errorf("the icon font did not load from our origin (loaded: %q)", fonts)
	}

	mu.Lock()
	defer mu.Unlock()
	for _, m := range messages {
		switch {
		case strings.Contains(m, "unpkg.com/@sveltia/cms/package.json"):
			// Sveltia's update check: blocked by the policy, as it should be.
		case strings.Contains(m, "backend.") || strings.Contains(m, "Editorial Workflow is currently supported only"):
			// Options of the GitHub backend, which the test repository lacks.
		case strings.Contains(m, "not defined in the Sveltia CMS configuration schema"),
			strings.Contains(m, "Content Security Policy"),
			strings.HasPrefix(m, "exception"),
			strings.HasPrefix(m, "console.error"):
			t.Errorf("%s", m)
		}
	}
}
