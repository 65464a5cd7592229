package donate_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/payoke/site/internal/donation"
	"github.com/payoke/site/internal/testutil"
	"github.com/payoke/site/internal/web"
	"github.com/payoke/site/internal/web/webtest"
)

// TestSiteHasTheFormAndThePages reads the site as the pinned Hugo builds it
// (no warnings allowed) and checks what the function relies on: the donate
// and thank-you pages at the paths it redirects to, the same amounts, and
// the same form as the one the function shows again (names, ids, types,
// values, labels, hint, the attributes donate.js reads), so an error lands
// beside the field the donor filled.
func TestSiteHasTheFormAndThePages(t *testing.T) {
	t.Parallel()
	dest := webtest.Built(t)
	cfg, _ := loadSite(t)
	h, _ := withMock(t)
	for _, lang := range cfg.SiteLanguages() {
		support := webtest.Page(t, dest, webtest.Path(lang, web.PageSupport))
		testutil.WantIn(t, "support page", support, `<form class="form donate-form" method=post action=/api/donate`,
			`name=lang value=`+lang+`>`, `name=amount_other inputmode=decimal`, `name=frequency value=monthly`,
			"Stripe", "Bancontact", "SEPA", "iDEAL")
		for _, p := range cfg.Params.Donation.Presets {
			testutil.WantIn(t, "support page", support, "value="+strconv.Itoa(p)+"> "+donation.FormatEuro(lang, int64(p)*100)+"</label>")
		}
		w := post(h, url.Values{"amount_other": {"abc"}, "frequency": {"monthly"}, "lang": {lang}})
		if w.Code != http.StatusBadRequest {
			t.Fatalf("%s: status %d", lang, w.Code)
		}
		wantForm, want := formControls(t, w.Body.String())
		gotForm, got := formControls(t, support)
		if gotForm != wantForm {
			t.Errorf("%s: the support page's form differs from the handler's:\nsite    %s\nhandler %s", lang, gotForm, wantForm)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: the support page's form controls differ from the handler's:\nsite    %+v\nhandler %+v", lang, got, want)
		}
		if len(want) != len(cfg.Params.Donation.Presets)+6 { // presets, other, its text, once, monthly, lang, button
			t.Errorf("%s: the handler's form has %d controls: %+v", lang, len(want), want)
		}
		thanks := webtest.Page(t, dest, webtest.Path(lang, web.PageDonateThanks))
		testutil.WantIn(t, "thank-you page", thanks, `class=donate-manage`, cfg.Params.Organisation.Phone)
		webtest.WantUnlisted(t, dest, lang, webtest.Path(lang, web.PageDonateThanks))
	}
	// The answer page links the site's stylesheet, and it knows its classes.
	css := webtest.Stylesheet(t, dest)
	page := post(h, url.Values{"amount_other": {"abc"}, "frequency": {"once"}, "lang": {"en"}}).Body.String()
	webtest.WantStyled(t, css, page)
}

// control is what a donor meets for one field of the donation form.
type control struct {
	Tag, Name, ID, Type, Legend, Label, Hint string
	Value                                    string // not of a text field: what was typed
}

// formControls reads the form posting to /api/donate in page: the form's
// own attributes (class, method, the data-* donate.js reads), then every
// input and button with its fieldset's legend, its label and its hint (the
// described-by element of class hint), in document order.
func formControls(t *testing.T, page string) (string, []control) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*html.Node{}
	labelFor := map[string]string{}
	var form *html.Node
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		if id, ok := attr(n, "id"); ok {
			byID[id] = n
		}
		if f, ok := attr(n, "for"); ok && n.Data == "label" {
			labelFor[f] = webtest.Text(n)
		}
		if a, _ := attr(n, "action"); n.Data == "form" && a == "/api/donate" {
			if form != nil {
				t.Fatal("two forms post to /api/donate")
			}
			form = n
		}
	}
	if form == nil {
		t.Fatal("no form posting to /api/donate")
	}
	var attrs []string
	for _, a := range form.Attr {
		attrs = append(attrs, a.Key+"="+a.Val)
	}
	slices.Sort(attrs)
	var cs []control
	for n := range form.Descendants() {
		if n.Type != html.ElementNode || (n.Data != "input" && n.Data != "button") {
			continue
		}
		c := control{Tag: n.Data}
		c.Name, _ = attr(n, "name")
		c.ID, _ = attr(n, "id")
		c.Type, _ = attr(n, "type")
		if c.Type != "text" {
			c.Value, _ = attr(n, "value")
		}
		c.Label = labelFor[c.ID]
		for p := n.Parent; p != nil && p != form; p = p.Parent {
			if p.Type != html.ElementNode {
				continue
			}
			if p.Data == "label" && c.Label == "" {
				c.Label = webtest.Text(p)
			}
			if p.Data == "fieldset" {
				for l := range p.ChildNodes() {
					if l.Type == html.ElementNode && l.Data == "legend" {
						c.Legend = webtest.Text(l)
					}
				}
			}
		}
		if n.Data == "button" {
			c.Label = webtest.Text(n)
		}
		by, _ := attr(n, "aria-describedby")
		for _, id := range strings.Fields(by) {
			if h, ok := byID[id]; ok {
				if class, _ := attr(h, "class"); class == "hint" {
					c.Hint = webtest.Text(h)
				}
			}
		}
		cs = append(cs, c)
	}
	return strings.Join(attrs, " "), cs
}

func attr(n *html.Node, k string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == k {
			return a.Val, true
		}
	}
	return "", false
}
