package browser

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// axeTags are the rule sets the pages must pass: WCAG 2.0, 2.1 and 2.2 at
// levels A and AA. target-size (24×24 px) is a WCAG 2.2 AA rule that axe
// leaves off by default, so it is switched on by name.
const axeRun = `axe.run(document, {
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
  rules: { "target-size": { enabled: true } },
  resultTypes: ["violations"],
}).then((r) => r.violations.map((v) => ({
  id: v.id,
  impact: v.impact || "",
  help: v.help,
  nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(" "), summary: n.failureSummary || "" })),
})))`

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  string `json:"target"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// checkPage checks one page of the sitemaps with few page loads, all that
// is checked page by page. JavaScript on, loaded on a phone: axe; the
// header at 390 px; 200 % zoom; axe and the header on desktops; privacy;
// the language switcher, on every third page following one of its links
// (a different place in it each time). JavaScript off,
// loaded again: the header at each size, the switcher on a phone, and, on
// the default language's pages, the folded menu opened and one of its links
// followed (those pages have every entry the others have).
func (s *suite) checkPage(t *testing.T, tb *tab, path string, i int, h *heights) {
	full := s.cfg.IsSiteLanguage(langOf(path))
	axe := func(v view) {
		for _, a := range s.axeViolations(tb) {
			for _, n := range a.Nodes {
				t.Errorf("%s at %s: axe %s (%s) at %s: %s\n\t%s", path, v, a.ID, a.Impact, n.Target, a.Help, n.Summary)
			}
		}
	}
	tb.setView(phone)
	tb.open(path)
	axe(phone)
	checkHeader(t, tb, path, full, h)
	checkZoom(t, tb, path)
	tb.setView(desktop)
	axe(desktop)
	tb.checkPrivacy(path)
	s.checkSwitcher(t, tb, path, i/3, i%3 == 0)

	tb.setView(without(phone390))
	tb.open(path)
	checkHeader(t, tb, path, full, h)
	tb.setView(without(phone))
	s.checkSwitcher(t, tb, path, i, false)
	if full && langOf(path) == s.cfg.DefaultLanguage {
		tb.setView(without(phone390))
		openMenuAndFollow(t, tb, path, i)
	}
}

// testAxeFinds plants two faults in a page and expects axe to report
// them, so that zero violations elsewhere means something.
func (s *suite) testAxeFinds(t *testing.T) {
	tb := s.openTab(t, desktop)
	tb.open("/en/")
	eval[chromedp.Void](tb, `(() => {
		const main = document.querySelector("main");
		main.append(Object.assign(document.createElement("input"), {type: "text"}));
		const a = document.createElement("a");
		a.href = "#"; a.textContent = "x"; a.style.cssText = "display:inline-block;width:8px;height:8px;overflow:hidden";
		main.append(a, " ", document.createElement("a"));
		main.lastChild.href = "#"; main.lastChild.textContent = "y";
		main.lastChild.style.cssText = "display:inline-block;width:8px;height:8px;overflow:hidden";
	})()`)
	found := map[string]bool{}
	for _, v := range s.axeViolations(tb) {
		found[v.ID] = true
	}
	for _, id := range []string{"label", "target-size"} {
		if !found[id] {
			t.Errorf("axe did not report the planted %s fault; it found %v", id, found)
		}
	}
}

// axeViolations injects axe-core (by evaluation: the page's CSP forbids
// adding a script) and runs it.
func (s *suite) axeViolations(tb *tab) []axeViolation {
	tb.t.Helper()
	if v := tb.view; v.NoJS {
		// axe needs timers and promises; the page's own scripts have run
		// (or not) already, so switching JavaScript on now changes nothing.
		on := v
		on.NoJS = false
		tb.setView(on)
		defer tb.setView(v)
	}
	if !eval[bool](tb, `typeof axe === "object"`) {
		eval[chromedp.Void](tb, s.axe)
	}
	return eval[[]axeViolation](tb, axeRun)
}

// checkPrivacy fails the test for anything the page did that a watched
// reader must not leave behind or give away: cookies, storage, requests to
// another origin; and for any failed request or console error.
func (tb *tab) checkPrivacy(path string) {
	t := tb.t
	t.Helper()
	// Let late requests (deferred scripts, images) show up.
	tb.do("waiting for the network", chromedp.Sleep(50*time.Millisecond))
	requests, failures, console, elsewhere := tb.recorded()
	for _, r := range requests {
		if !tb.sameOrigin(r) {
			t.Errorf("%s: request to another origin: %s", path, r)
		}
	}
	for _, e := range elsewhere {
		t.Errorf("%s: request to another origin: %s", path, e)
	}
	for _, f := range failures {
		t.Errorf("%s: failed request: %s", path, f)
	}
	for _, c := range console {
		t.Errorf("%s: %s", path, c)
	}
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	cookies, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{tb.url(path)}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cookies.Cookies {
		t.Errorf("%s: sets cookie %q (domain %s)", path, c.Name, c.Domain)
	}
	st := eval[webState](tb, `({cookie: document.cookie, local: localStorage.length, session: sessionStorage.length, used: window.__storageUse || []})`)
	if st.Cookie != "" {
		t.Errorf("%s: document.cookie = %q", path, st.Cookie)
	}
	if st.Local != 0 || st.Session != 0 || len(st.Used) != 0 {
		t.Errorf("%s: uses web storage: %d in localStorage, %d in sessionStorage, calls %q", path, st.Local, st.Session, st.Used)
	}
}

// webState is what the page keeps in the browser, as its scripts see it.
type webState struct {
	Cookie  string   `json:"cookie"`
	Local   int      `json:"local"`
	Session int      `json:"session"`
	Used    []string `json:"used"` // Storage calls seen by storageSpy
}
