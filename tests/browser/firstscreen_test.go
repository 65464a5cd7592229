package browser

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	root "github.com/payoke/site"
	"github.com/payoke/site/internal/siteconfig"
)

// The views of the first-screen journeys (header, help, menu): a current
// phone and two desktop windows.
var (
	phone390 = view{Width: 390, Height: 844, Scale: 2, Mobile: true}
	wide     = view{Width: 1920, Height: 1080, Scale: 1}
)

// without is v with JavaScript switched off.
func without(v view) view {
	v.NoJS = true
	return v
}

// siteConfig is config.toml as the functions read it: the languages (which
// are help-only) and the organisation's phone numbers.
func siteConfig(t *testing.T) *siteconfig.Config {
	t.Helper()
	cfg, err := siteconfig.Load(root.Files)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// langOf is the language of a path of the site: its first segment.
func langOf(path string) string {
	first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return first
}

// pathOf is the path of an absolute URL ("" if it is none).
func pathOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return p.Path
}

// seen is how an element shows on the screen, as visibleJS measures it;
// Why is empty when a reader sees it.
type seen struct {
	Found                    bool
	Href                     string
	Left, Right, Top, Bottom float64
	Why                      string
}

func (s seen) String() string {
	if !s.Found {
		return "missing"
	}
	if s.Why != "" {
		return s.Why
	}
	return fmt.Sprintf("shown at %.0f–%.0f × %.0f–%.0f px", s.Left, s.Right, s.Top, s.Bottom)
}

// visibleJS defines seen(el, opts) in a page expression: an element is seen
// when it has a box, CSS does not hide it (display, visibility, opacity,
// content-visibility, a closed <details> in browsers that hide its content
// that way), nothing covers the middle of (one of) its line boxes, and —
// unless opts.anywhere — it is inside the viewport. opts.details also counts
// any place inside a closed <details> (outside its summary) as hidden,
// whatever CSS shows.
const visibleJS = `
const describe = (el) => !el ? "nothing" : el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "");
const seen = (el, opts = {}) => {
  if (!el) return {Found: false};
  const r = el.getBoundingClientRect();
  const vw = document.documentElement.clientWidth, vh = window.innerHeight;
  const why = [];
  if (r.width < 1 || r.height < 1) why.push("no box (" + Math.round(r.width) + "×" + Math.round(r.height) + " px)");
  if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true})) why.push("hidden by CSS");
  const closed = el.closest("details:not([open])");
  if (opts.details && closed && ![...closed.children].some((c) => c.tagName === "SUMMARY" && c.contains(el))) why.push("inside a closed <details>");
  if (!opts.anywhere && (r.left < -0.5 || r.top < -0.5 || r.right > vw + 0.5 || r.bottom > vh + 0.5))
    why.push("outside the " + vw + "×" + vh + " viewport (at " + Math.round(r.left) + "–" + Math.round(r.right) + " × " + Math.round(r.top) + "–" + Math.round(r.bottom) + ")");
  if (why.length === 0) {
    // The middle of each line box of it (an inline link may wrap, and the
    // middle of its whole box fall between its lines): one must be its own.
    let hit = null, tried = false;
    for (const f of el.getClientRects()) {
      const x = f.left + f.width / 2, y = f.top + f.height / 2;
      if (f.width < 1 || f.height < 1 || x < 0 || y < 0 || x >= vw || y >= vh) continue;
      tried = true;
      hit = document.elementFromPoint(x, y);
      if (hit && el.contains(hit)) break;
    }
    if (tried && !(hit && el.contains(hit))) why.push("covered by " + describe(hit));
  }
  return {Found: true, Href: el.href || "", Left: r.left, Right: r.right, Top: r.top + scrollY, Bottom: r.bottom + scrollY, Why: why.join(", ")};
};
`

// helpPages are the 17 get-help pages: each site language's, found by the
// header's help action on its home page, and each help-only language's
// home page. The site languages come first.
func (s *suite) helpPages(t *testing.T, cfg *siteconfig.Config) (pages []string, helpOnly map[string]bool) {
	t.Helper()
	tb := s.openTab(t, desktop)
	defer tb.close()
	helpOnly = map[string]bool{}
	var short []string
	for _, l := range cfg.Languages {
		if l.Params.HelpOnly {
			helpOnly["/"+l.Lang+"/"] = true
			short = append(short, "/"+l.Lang+"/")
			continue
		}
		tb.open("/" + l.Lang + "/")
		href := eval[string](tb, `(document.querySelector("a.header-action-help") || {}).href || ""`)
		if pathOf(href) == "" || !tb.sameOrigin(href) {
			t.Errorf("/%s/: no a.header-action-help to the get-help page (found %q)", l.Lang, href)
			continue
		}
		pages = append(pages, pathOf(href))
	}
	return append(pages, short...), helpOnly
}
