package contact

import (
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/payoke/site/internal/web"
	"github.com/payoke/site/internal/web/webtest"
)

// checkHoneypot finds the website field hidden from people and their tools:
// inside a .contact-trap wrapper with aria-hidden, out of the tab order, no
// autofill, and labelled "leave empty" in the page's language.
func checkHoneypot(t *testing.T, where, page string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var input *html.Node
	var label string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if name, _ := attr(n, "name"); n.Data == "input" && name == fieldWebsite {
				input = n
			}
			if f, _ := attr(n, "for"); n.Data == "label" && f == "contact-website" {
				label = webtest.Text(n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if input == nil {
		t.Fatalf("%s: no honeypot field", where)
	}
	tab, _ := attr(input, "tabindex")
	auto, _ := attr(input, "autocomplete")
	class, _ := attr(input.Parent, "class")
	hidden, _ := attr(input.Parent, "aria-hidden")
	if tab != "-1" || auto != "off" || class != "contact-trap" || hidden != "true" {
		t.Errorf("%s: honeypot tabindex=%q autocomplete=%q, wrapper class=%q aria-hidden=%q", where, tab, auto, class, hidden)
	}
	if _, style := attr(input.Parent, "style"); style {
		t.Errorf("%s: honeypot wrapper has an inline style", where)
	}
	if !strings.Contains(strings.ToLower(label), "leeg") && !strings.Contains(strings.ToLower(label), "empty") && !strings.Contains(strings.ToLower(label), "vide") {
		t.Errorf("%s: honeypot label %q does not say to leave it empty", where, label)
	}
}

// control is what a person meets for one form field.
type control struct {
	Tag, Name, ID, Type, Max, Label, Hint, Options string
	Value                                          string // hidden fields only
	Required                                       bool
}

// hasID reports whether page has an element with that id.
func hasID(t *testing.T, page, id string) bool {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	for n := range doc.Descendants() {
		if v, ok := attr(n, "id"); ok && n.Type == html.ElementNode && v == id {
			return true
		}
	}
	return false
}

func attr(n *html.Node, k string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == k {
			return a.Val, true
		}
	}
	return "", false
}

// formControls reads the contact form in an HTML page: its action and every
// named field (bar the time-trap field only the script fills) with its label,
// hint and limits.
func formControls(t *testing.T, page string) (string, []control) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var form *html.Node
	byID := map[string]*html.Node{}
	labels := map[string]string{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if id, ok := attr(n, "id"); ok {
				byID[id] = n
			}
			if n.Data == "label" {
				f, _ := attr(n, "for")
				labels[f] = webtest.Text(n)
			}
			if action, _ := attr(n, "action"); n.Data == "form" && action == "/api/contact" {
				form = n
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if form == nil {
		t.Fatal("no form posting to /api/contact")
	}
	method, _ := attr(form, "method")
	var cs []control
	var collect func(*html.Node)
	collect = func(n *html.Node) {
		if n.Type == html.ElementNode && slices.Contains([]string{"input", "textarea", "select"}, n.Data) {
			name, _ := attr(n, "name")
			typ, _ := attr(n, "type")
			if name != "elapsed" {
				c := control{Tag: n.Data, Name: name, Type: typ}
				c.ID, _ = attr(n, "id")
				c.Max, _ = attr(n, "maxlength")
				_, c.Required = attr(n, "required")
				c.Label = labels[c.ID]
				if h, ok := byID[c.ID+"-hint"]; ok {
					c.Hint = webtest.Text(h)
				}
				if typ == "hidden" {
					c.Value, _ = attr(n, "value")
				}
				if n.Data == "select" {
					var opts []string
					for o := n.FirstChild; o != nil; o = o.NextSibling {
						if o.Type == html.ElementNode && o.Data == "option" {
							v, _ := attr(o, "value")
							opts = append(opts, v+"="+webtest.Text(o))
						}
					}
					c.Options = strings.Join(opts, "|")
				}
				cs = append(cs, c)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			collect(c)
		}
	}
	collect(form)
	slices.SortFunc(cs, func(a, b control) int { return strings.Compare(a.Name, b.Name) })
	return method, cs
}

// TestShortcodeMatchesHandler builds the site with the pinned Hugo and checks
// that the form on the help and contact pages and the form the handler shows
// again are the same form: names, ids, limits, labels, hints and topics, so
// errors land beside the field the person filled.
func TestShortcodeMatchesHandler(t *testing.T) {
	t.Parallel()
	dest := webtest.Built(t)
	fx := newFixture(t, nil)
	cfg, _ := loadSite(t)
	for _, lang := range cfg.SiteLanguages() {
		w := fx.post(url.Values{"lang": {lang}}, nil)
		if w.Code != http.StatusBadRequest {
			t.Fatalf("%s: status %d", lang, w.Code)
		}
		_, want := formControls(t, w.Body.String())
		pages := pagesWithForm(t, dest, lang)
		if !slices.Contains(pages, strings.Trim(siteContact(lang), "/")) || len(pages) < 2 {
			t.Errorf("%s: the form is on %q; want the contact page %s and the help page", lang, pages, siteContact(lang))
		}
		for _, page := range pages {
			b, err := os.ReadFile(filepath.Join(dest, page, "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			method, got := formControls(t, string(b))
			if method != "post" {
				t.Errorf("%s: method %q", page, method)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: the shortcode's form differs from the handler's:\nsite    %+v\nhandler %+v", page, got, want)
			}
		}
		if _, err := os.Stat(filepath.Join(dest, siteThanks(lang), "index.html")); err != nil {
			t.Errorf("%s: no thank-you page at %s", lang, siteThanks(lang))
		}
	}
	// A help-only language: its one page carries the same form, and the
	// thank-you is that page's "sent" state, which must exist there.
	for _, l := range cfg.Languages {
		if !l.Params.HelpOnly {
			continue
		}
		w := fx.post(url.Values{"lang": {l.Lang}}, nil)
		if w.Code != http.StatusBadRequest {
			t.Fatalf("%s: status %d", l.Lang, w.Code)
		}
		_, want := formControls(t, w.Body.String())
		b, err := os.ReadFile(filepath.Join(dest, l.Lang, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		method, got := formControls(t, string(b))
		if method != "post" {
			t.Errorf("%s: method %q", l.Lang, method)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("/%s/: the shortcode's form differs from the handler's:\nsite    %+v\nhandler %+v", l.Lang, got, want)
		}
		page, frag, _ := strings.Cut(siteThanks(l.Lang), "#")
		if page != siteContact(l.Lang) || frag == "" {
			t.Errorf("%s: thank-you %s is not a state of the help page %s", l.Lang, siteThanks(l.Lang), siteContact(l.Lang))
		}
		if !hasID(t, string(b), frag) {
			t.Errorf("/%s/ has no element id=%s for the thank-you", l.Lang, frag)
		}
	}
	// The handler's pages link the site's stylesheet, and it knows their classes.
	css := webtest.Stylesheet(t, dest)
	// The honeypot is not displayed, so no person or password manager fills it.
	if !regexp.MustCompile(`\.contact-trap\{display:none\}`).MatchString(css) {
		t.Error("the stylesheet does not hide .contact-trap with display:none")
	}
	for _, lang := range cfg.SiteLanguages() {
		b, err := os.ReadFile(filepath.Join(dest, strings.Trim(siteContact(lang), "/"), "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		checkHoneypot(t, "site "+lang, string(b))
		checkHoneypot(t, "handler "+lang, fx.post(url.Values{"lang": {lang}}, nil).Body.String())
	}
	bad := valid("en")
	bad.Set("email", "not an address")
	fx.smtp.Close()
	for name, w := range map[string]*httptest.ResponseRecorder{"400": fx.post(bad, nil), "503": fx.post(valid("en"), nil)} {
		page := w.Body.String()
		if !strings.Contains(page, `<link rel="stylesheet" href="`+web.Stylesheet+`">`) {
			t.Errorf("%s page does not link %s", name, web.Stylesheet)
		}
		if missing := webtest.MissingClasses(css, page); len(missing) > 0 {
			t.Errorf("%s page uses classes the stylesheet lacks: %q", name, missing)
		}
	}
}

// pagesWithForm lists the pages of lang in the built site dest that post to
// /api/contact, as folders ("nl/hulp").
func pagesWithForm(t *testing.T, dest, lang string) []string {
	t.Helper()
	var pages []string
	err := filepath.WalkDir(filepath.Join(dest, lang), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Name() != "index.html" {
			return err
		}
		b, err := os.ReadFile(p)
		if err == nil && regexp.MustCompile(`action="?/api/contact[" >]`).Match(b) {
			rel, _ := filepath.Rel(dest, filepath.Dir(p))
			pages = append(pages, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}
