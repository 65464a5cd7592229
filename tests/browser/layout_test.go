package browser

import (
	"io"
	"net/http"
	"regexp"
	"testing"
)

// overflow lists the elements that stick out of the viewport sideways;
// empty when the page needs no horizontal scrolling.
const overflow = `(() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  if (root.scrollWidth <= width) return [];
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > width + 1 || r.left < -1)) {
      out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") + " [" + Math.round(r.left) + ", " + Math.round(r.right) + "]");
      if (out.length === 5) break;
    }
  }
  return ["page is " + root.scrollWidth + " px wide in a " + width + " px viewport", ...out];
})()`

// zoomed is 200 % zoom in a 1280 px wide window: 640 CSS px at two device
// pixels each.
var zoomed = view{Width: 640, Height: 400, Scale: 2}

// checkZoom: the page shown needs no horizontal scrolling at 200 % zoom
// (WCAG 1.4.10); it leaves the tab at that size.
func checkZoom(t *testing.T, tb *tab, path string) {
	t.Helper()
	tb.setView(zoomed)
	for _, o := range eval[[]string](tb, overflow) {
		t.Errorf("%s at 200 %%: %s", path, o)
	}
}

// testZoom shows a page that does not exist (every page in the sitemaps is
// shown so by checkPage) at 200 % zoom.
func (s *suite) testZoom(t *testing.T) {
	tb := s.openTab(t, zoomed)
	const missing = "/en/no-such-page/"
	tb.open(missing)
	checkZoom(t, tb, missing)
}

// box is an element's place in the viewport.
type box struct{ Left, Right, Top, Bottom, Width float64 }

// testRightToLeft checks the pages in right-to-left languages: they read
// from the right, and the header mirrors, the exit button first.
func (s *suite) testRightToLeft(t *testing.T) {
	rtl := s.rtlPages(t)
	if len(rtl) == 0 {
		t.Fatal("no page in the sitemaps is right-to-left; the Arabic help page must be")
	}
	for _, p := range append([]string{"/en/"}, rtl...) {
		for _, v := range []view{phone, desktop} {
			t.Run(p+" "+v.String(), func(t *testing.T) {
				t.Parallel()
				s.checkDirection(t, p, v, p != "/en/")
			})
		}
	}
}

func (s *suite) checkDirection(t *testing.T, path string, v view, wantRTL bool) {
	tb := s.openTab(t, v)
	tb.open(path)
	got := eval[struct {
		Dir, Direction string
		Viewport       float64
		Exit, Brand    box
		Switcher       box
	}](tb, `(() => {
		const b = (sel) => { const r = document.querySelector(sel).getBoundingClientRect(); return {Left: r.left, Right: r.right, Top: r.top, Bottom: r.bottom, Width: r.width}; };
		return {Dir: document.documentElement.dir, Direction: getComputedStyle(document.body).direction,
			Viewport: document.documentElement.clientWidth,
			Exit: b("#quick-exit"), Brand: b(".brand"), Switcher: b(".language-switcher")};
	})()`)
	want := "ltr"
	if wantRTL {
		want = "rtl"
	}
	if got.Dir != want || got.Direction != want {
		t.Errorf("%s: dir=%q, direction %q; want %s", path, got.Dir, got.Direction, want)
	}
	// Closer to the right edge than to the left, in right-to-left pages.
	atStart := func(b box) bool {
		if wantRTL {
			return got.Viewport-b.Right < b.Left
		}
		return b.Left < got.Viewport-b.Right
	}
	if !atStart(got.Exit) {
		t.Errorf("%s: the exit button is at %.0f–%.0f px of %.0f: not on the %s side where reading starts", path, got.Exit.Left, got.Exit.Right, got.Viewport, map[bool]string{true: "right", false: "left"}[wantRTL])
	}
	if !atStart(got.Brand) {
		t.Errorf("%s: the logo is at %.0f–%.0f px of %.0f: not where reading starts", path, got.Brand.Left, got.Brand.Right, got.Viewport)
	}
	sameRow := got.Switcher.Top < got.Brand.Bottom && got.Brand.Top < got.Switcher.Bottom
	if sameRow && (got.Switcher.Left > got.Brand.Left) != !wantRTL {
		t.Errorf("%s: the header reads logo at %.0f, languages at %.0f: wrong order for %s", path, got.Brand.Left, got.Switcher.Left, want)
	}
	for _, o := range eval[[]string](tb, overflow) {
		t.Errorf("%s: %s", path, o)
	}
}

var rtlHTML = regexp.MustCompile(`<html[^>]*\sdir="?rtl`)

// rtlPages returns the sitemap's pages whose <html> says dir="rtl".
func (s *suite) rtlPages(t *testing.T) []string {
	var out []string
	for _, p := range sitemapPages(t, s.site.URL) {
		resp, err := http.Get(s.site.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		head := make([]byte, 512)
		n, _ := io.ReadFull(resp.Body, head)
		resp.Body.Close()
		if rtlHTML.Match(head[:n]) {
			out = append(out, p)
		}
	}
	return out
}
