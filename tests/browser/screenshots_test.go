// Screenshots for the team: the first screen (not the whole page) of the
// home, get-help and support pages of nl, en and fr, and of /ar/, on a
// 390×844 phone and a 1280×800 desktop, as PNG files named
// <lang>-<page>-<width>.png (nl-home-390.png, ar-home-1280.png…):
//
//	go test ./tests/browser -run TestScreenshots -screenshots /tmp/shots -v
//
// Without -screenshots the test skips, in CI too.

package browser

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

var screenshots = flag.String("screenshots", "", "write first-screen PNG screenshots of the main pages into this folder")

func TestScreenshots(t *testing.T) {
	if *screenshots == "" {
		t.Skip("writes screenshots: run with -screenshots DIR")
	}
	dir, err := filepath.Abs(*screenshots)
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	tl := needTools(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s := &suite{
		browser: newBrowser(t, tl.chromium),
		tabs:    make(chan struct{}, tabs),
		site:    site{URL: startSite(t, ctx, moduleRoot(t), nil)},
	}

	// The pages: each site language's home page and the two pages its
	// header's actions lead to, and the Arabic (right-to-left) help page.
	type shot struct{ name, path string }
	var shots []shot
	tb := s.openTab(t, desktop)
	for _, lang := range []string{"nl", "en", "fr"} {
		home := "/" + lang + "/"
		tb.open(home)
		shots = append(shots, shot{lang + "-home", home})
		for _, a := range []string{"help", "support"} {
			href := eval[string](tb, `(document.querySelector("a.header-action-`+a+`") || {}).href || ""`)
			if href == "" {
				t.Errorf("%s: no a.header-action-%s", home, a)
				continue
			}
			shots = append(shots, shot{lang + "-" + a, pathOf(href)})
		}
	}
	tb.close()
	shots = append(shots, shot{"ar-home", "/ar/"})

	var names []string
	for _, sh := range shots {
		names = append(names, sh.name)
	}
	s.each(t, names, func(t *testing.T, tb *tab, i int) {
		for _, v := range []view{phone390, desktop} {
			tb.setView(v)
			tb.open(shots[i].path)
			eval[chromedp.Void](tb, `Promise.all([document.fonts.ready, ...[...document.images].map((i) => i.decode().catch(() => {}))]).then(() => undefined)`)
			ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			cancel()
			if err != nil {
				t.Fatalf("%s at %s: %v", shots[i].path, v, err)
			}
			file := filepath.Join(dir, fmt.Sprintf("%s-%d.png", shots[i].name, v.Width))
			if err := os.WriteFile(file, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s at %s → %s", shots[i].path, v, file)
		}
	})
}
