package browser

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/payoke/site/internal/siteconfig"
)

// maxHeader is the most of a 844 px phone screen the header may take at
// the top of a page (exit bar included): a fifth.
const maxHeader = 0.20

// headerState is what testHeader measures on a page, as headerJS returns it.
type headerState struct {
	Dir          string
	HeaderBottom float64 // header.site-header's bottom edge, in page px at scroll 0
	Actions      []seen  // a.header-action links
	Help         seen    // a.header-action-help
	Support      seen    // a.header-action-support
	HasMenu      bool    // details.site-menu is there
	Summary      seen    // summary.menu-button
	Open         bool    // details.site-menu[open]
	Links        []seen  // the menu's links (.main-nav a)
	Elsewhere    []seen  // the header's other links
	Edges        []edge  // where reading starts for each column of the page
}

// edge is the start edge (left, or right in right-to-left pages) of a part
// of the page that starts a column: the first menu link, the logo, the
// first heading of main, the first column of the footer.
type edge struct {
	Name string
	At   float64 // px from the viewport's left; -1 when the part is missing
}

const headerJS = `(() => {` + visibleJS + `
  scrollTo(0, 0);
  const rtl = getComputedStyle(document.body).direction === "rtl";
  const header = document.querySelector("header.site-header");
  const menu = document.querySelector("header.site-header details.site-menu");
  const startOf = (name, el) => {
    if (!el) return {Name: name, At: -1};
    const r = el.getBoundingClientRect();
    return {Name: name, At: rtl ? r.right : r.left};
  };
  const footer = document.querySelector("footer.site-footer .footer-grid > *") || document.querySelector("footer.site-footer > .container > *");
  return {
    Dir: rtl ? "rtl" : "ltr",
    HeaderBottom: header ? header.getBoundingClientRect().bottom + scrollY : -1,
    Actions: [...document.querySelectorAll("header.site-header p.header-actions a.header-action")].map((a) => seen(a, {details: true})),
    Help: seen(document.querySelector("header.site-header a.header-action-help"), {details: true}),
    Support: seen(document.querySelector("header.site-header a.header-action-support"), {details: true}),
    HasMenu: !!menu,
    Summary: seen(menu && menu.querySelector(":scope > summary.menu-button")),
    Open: !!(menu && menu.open),
    Links: menu ? [...menu.querySelectorAll("nav.main-nav a")].map((a) => seen(a, {anywhere: true})) : [],
    Elsewhere: header ? [...header.querySelectorAll("a[href]")].filter((a) => !a.closest("nav.main-nav")).map((a) => seen(a)) : [],
    Edges: [
      ...(menu ? [startOf("first menu link", menu.querySelector("nav.main-nav a"))] : []),
      startOf("a.brand", document.querySelector("header.site-header a.brand")),
      startOf("main's first heading", document.querySelector("main#main :is(h1, h2, h3, h4, h5, h6)")),
      startOf("the footer's first column", footer),
    ],
  };
})()`

// heightRecord is the tallest header of a language's pages at 390×844.
type heightRecord struct {
	Pages  int
	Bottom float64
	Page   string
}

// heights are the tallest header of each language's pages at 390×844,
// gathered by checkHeader and logged by logHeights.
type heights struct {
	mu     sync.Mutex
	byLang map[string]*heightRecord
}

func (h *heights) note(path string, bottom float64, count bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.byLang == nil {
		h.byLang = map[string]*heightRecord{}
	}
	r := h.byLang[langOf(path)]
	if r == nil {
		r = &heightRecord{}
		h.byLang[langOf(path)] = r
	}
	if count {
		r.Pages++
	}
	if bottom > r.Bottom {
		r.Bottom, r.Page = bottom, path
	}
}

// checkHeader checks the header of the page shown (path, with JavaScript as
// the tab's view has it): on a 390×844 phone it takes at most a fifth of
// the screen; the two actions show at every size; the menu folds behind
// its button on the phone, and on desktops (1280 and 1920 px) shows without
// a click, its first link starting on the same line as the logo, main's
// heading and the footer. It leaves the tab at 1920 px.
func checkHeader(t *testing.T, tb *tab, path string, full bool, h *heights) {
	t.Helper()
	ph := phone390
	ph.NoJS = tb.view.NoJS
	tb.setView(ph)
	st := eval[headerState](tb, headerJS)
	h.note(path, st.HeaderBottom, !ph.NoJS)
	checkHeaderHeight(t, path, ph, st)
	checkActions(t, path, ph, st, full)
	if full {
		checkMenuFolded(t, path, ph, st)
	}
	for _, v := range []view{desktop, wide} {
		v.NoJS = ph.NoJS
		tb.setView(v)
		st := eval[headerState](tb, headerJS)
		checkActions(t, path, v, st, full)
		if full {
			checkMenuShown(t, path, v, st)
		}
		checkColumns(t, path, v, st, full)
	}
}

// logHeights logs the tallest header of each language's pages.
func logHeights(t *testing.T, cfg *siteconfig.Config, h *heights) {
	if len(h.byLang) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "header height at %dx%d (bottom of header.site-header at scroll 0, exit bar included; max of %.1f px), JS on and off:\n", phone390.Width, phone390.Height, maxHeader*float64(phone390.Height))
	fmt.Fprintf(&b, "\t%-5s %5s %9s %7s  %s\n", "lang", "pages", "max (px)", "screen", "tallest on")
	for _, l := range cfg.Languages {
		r := h.byLang[l.Lang]
		if r == nil {
			fmt.Fprintf(&b, "\t%-5s %5s %9s %7s  %s\n", l.Lang, "0", "-", "-", "(no page checked)")
			continue
		}
		mark := ""
		if r.Bottom > maxHeader*float64(phone390.Height) {
			mark = "  TOO TALL"
		}
		fmt.Fprintf(&b, "\t%-5s %5d %9.1f %6.1f%%  %s%s\n", l.Lang, r.Pages, r.Bottom, 100*r.Bottom/float64(phone390.Height), r.Page, mark)
	}
	t.Log(b.String())
}

func checkHeaderHeight(t *testing.T, path string, v view, st headerState) {
	t.Helper()
	limit := maxHeader * float64(v.Height)
	switch {
	case st.HeaderBottom < 0:
		t.Errorf("%s at %s: no header.site-header", path, v)
	case st.HeaderBottom > limit+0.01:
		t.Errorf("%s at %s: the header ends %.1f px down the page (%.1f %% of the %d px screen); at most %.1f px (%.0f %%)", path, v, st.HeaderBottom, 100*st.HeaderBottom/float64(v.Height), v.Height, limit, 100*maxHeader)
	}
}

// checkActions: get help (and, on the site languages' pages, support us)
// show in the header, without opening anything.
func checkActions(t *testing.T, path string, v view, st headerState, full bool) {
	t.Helper()
	want := map[string]seen{"a.header-action-help": st.Help}
	if full {
		want["a.header-action-support"] = st.Support
	}
	for name, a := range want {
		if !a.Found || a.Why != "" {
			t.Errorf("%s at %s: %s is not visible in the header: %s", path, v, name, a)
		}
	}
	for i, a := range st.Actions {
		if a.Why != "" {
			t.Errorf("%s at %s: header action %d (%s) is not visible: %s", path, v, i+1, a.Href, a.Why)
		}
	}
}

// checkMenuFolded: on a phone, before any click, the menu is its button.
func checkMenuFolded(t *testing.T, path string, v view, st headerState) {
	t.Helper()
	if !st.HasMenu {
		t.Errorf("%s at %s: no details.site-menu in the header", path, v)
		return
	}
	if st.Summary.Why != "" || !st.Summary.Found {
		t.Errorf("%s at %s: the menu button (summary.menu-button) is not visible: %s", path, v, st.Summary)
	}
	if st.Open {
		t.Errorf("%s at %s: the menu is open before any click", path, v)
	}
	for _, l := range st.Links {
		if l.Why == "" {
			t.Errorf("%s at %s: the menu link to %s shows before the menu button is pressed (%s)", path, v, pathOf(l.Href), l)
		}
	}
}

// checkMenuShown: on a desktop, the menu's links show without a click (or
// a link elsewhere in the header to the same page does) and the button
// does not.
func checkMenuShown(t *testing.T, path string, v view, st headerState) {
	t.Helper()
	if !st.HasMenu || len(st.Links) == 0 {
		t.Errorf("%s at %s: no menu links in the header", path, v)
		return
	}
	for _, l := range st.Links {
		if l.Why == "" {
			continue
		}
		// An entry may move out of the menu at this width (the help
		// languages sit beside the site languages): then the header
		// shows a link to the same page elsewhere.
		moved := false
		for _, o := range st.Elsewhere {
			moved = moved || (o.Why == "" && o.Href == l.Href)
		}
		if !moved {
			t.Errorf("%s at %s: the menu link to %s is not visible without a click (%s), and no other link in the header leads there", path, v, pathOf(l.Href), l.Why)
		}
	}
	if st.Summary.Found && st.Summary.Why == "" {
		t.Errorf("%s at %s: the menu button shows on a desktop, where the menu is always open (%s)", path, v, st.Summary)
	}
}

// checkColumns: the first menu link, the logo, main's first heading and
// the footer's first column start on one line (their right edges in a
// right-to-left page), within 2 px.
func checkColumns(t *testing.T, path string, v view, st headerState, full bool) {
	t.Helper()
	var at []float64
	var parts []string
	for _, e := range st.Edges {
		if e.At < 0 {
			if e.Name != "first menu link" || full {
				t.Errorf("%s at %s: %s is missing", path, v, e.Name)
			}
			continue
		}
		at = append(at, e.At)
		parts = append(parts, fmt.Sprintf("%s %.1f", e.Name, e.At))
	}
	if len(at) < 2 {
		return
	}
	if spread := slices.Max(at) - slices.Min(at); spread > 2 || math.IsNaN(spread) {
		side := "left"
		if st.Dir == "rtl" {
			side = "right"
		}
		t.Errorf("%s at %s: the %s edges differ by %.1f px (at most 2): %s", path, v, side, spread, strings.Join(parts, ", "))
	}
}

// openMenuAndFollow opens the folded menu (a phone, JavaScript off: the
// <details> alone), expects its links to show, and follows one of them
// (a different one from page to page) to its page.
func openMenuAndFollow(t *testing.T, tb *tab, path string, i int) {
	t.Helper()
	v := tb.view
	tb.do("opening the menu", chromedp.Click(chromedp.CSS("header.site-header details.site-menu > summary.menu-button")))
	st := eval[headerState](tb, headerJS)
	if !st.Open {
		t.Errorf("%s at %s: pressing the menu button does not open the menu", path, v)
	}
	var targets []int
	for k, l := range st.Links {
		if l.Why != "" {
			t.Errorf("%s at %s: after pressing the menu button, the link to %s is not visible: %s", path, v, pathOf(l.Href), l.Why)
			continue
		}
		if pathOf(l.Href) != path && tb.sameOrigin(l.Href) {
			targets = append(targets, k)
		}
	}
	if len(targets) == 0 {
		t.Errorf("%s at %s: no visible menu link to follow after opening the menu", path, v)
		return
	}
	k := targets[i%len(targets)]
	want := pathOf(st.Links[k].Href)
	tb.follow("following the menu link to "+want, chromedp.Click(chromedp.JSPath(fmt.Sprintf(`document.querySelectorAll("header.site-header details.site-menu nav.main-nav a")[%d]`, k))))
	loc := tb.waitLocation("after following the menu link to "+want, func(l string) bool { return pathOf(l) != path })
	if pathOf(loc) != want {
		t.Errorf("%s at %s: the menu link to %s led to %s", path, v, want, loc)
	}
	if status := eval[int](tb, `performance.getEntriesByType("navigation")[0]?.responseStatus || 0`); status != 200 {
		t.Errorf("%s at %s: the menu link to %s answered %d", path, v, want, status)
	}
}
