package netlify

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/payoke/site/internal/donate/stripemock"
	"github.com/payoke/site/internal/headers"
	"github.com/payoke/site/internal/mail/mailtest"
)

// webhookSecret is the Stripe webhook secret both servers get.
const webhookSecret = "whsec_parity_test"

// server is one of the two servers under comparison.
type server struct {
	name string // "netlify dev" or "payoke serve"
	url  string // http://127.0.0.1:port
	n    int    // its index, for ids that must differ between the two
}

// reqCase is one row of the matrix: a request both servers get.
type reqCase struct {
	name   string // what it is, for the table
	method string
	path   string
	header http.Header
	// body builds the request body for a server (nil: none); the webhook's
	// events differ per server, so each delivers a fresh event.
	body func(s server) ([]byte, http.Header)
	// want is what the answer must be on both servers, beyond parity.
	want expect
	// servedAs is the file a [[redirects]] rewrite serves (a 404 page), ""
	// for none: its [[headers]] are compared too, since netlify dev matches
	// the header rules against that path (see knownDifferences).
	servedAs string
}

// headerNames are the headers compared for c: those netlify.toml gives the
// path asked for and, for a rewrite, the path of the file served.
func (c reqCase) headerNames(hdrs *headers.Set) []string {
	var names []string
	for _, p := range []string{c.path, c.servedAs} {
		if p == "" {
			continue
		}
		for name := range hdrs.For(p) {
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	return names
}

// served is the path whose [[headers]] the answer must carry.
func (c reqCase) served() string {
	if c.servedAs != "" {
		return c.servedAs
	}
	return c.path
}

// expect is what a case must answer, on both servers.
type expect struct {
	status   int
	location string   // exact Location, or "" for none
	locRE    string   // or a pattern it must match
	body     []string // strings the body must hold (HTML-unescaped)
	pageCSP  bool     // the pages' Content-Security-Policy, frame-ancestors 'none'
	// netlifyDev, if set, is what netlify dev answers instead, where it
	// differs for a reason listed in knownDifferences.
	netlifyDev *expect
}

// answer is what one server answered.
type answer struct {
	status int
	header http.Header
	body   []byte
	err    error
}

// difference is one known, legitimate difference between netlify dev and
// payoke serve: a field ("status", "Location", "title" or a header name) of
// one case, with what each gives, why, and where that is written.
type difference struct {
	caseName, field         string
	netlifyDev, payokeServe string
	why, source             string
}

// The pages' policy: every page, 404 and function error page carries it.
const frameAncestors = "frame-ancestors 'none'"

// knownDifferences lists, one by one, where netlify dev and payoke serve
// may legitimately answer differently. Each entry must still occur (a
// stale one fails the test), and nothing else may differ.
func knownDifferences(cases []reqCase, hdrs *headers.Set, public string) []difference {
	var d []difference

	// 1. netlify-cli reads a request without Accept-Language as English.
	d = append(d, difference{
		caseName: "/ (no Accept-Language)", field: "Location", netlifyDev: "/en/", payokeServe: "/nl/",
		why: "netlify dev matches a Language condition against \"en\" when the request has no Accept-Language; " +
			"payoke serve (and, as far as Netlify documents, the CDN) matches no Language rule and takes the Dutch fallback",
		source: "netlify-cli 27.10.2 src/utils/rules-proxy.ts getLanguage (returns 'en' without the header); netlify.toml's comment above the language rules",
	})

	// 2. netlify dev answers a [[redirects]] redirect (the root's language
	// rules) with Location and Cache-Control only: none of the [[headers]].
	root := hdrs.For("/")
	var rootNames []string
	for name := range root {
		rootNames = append(rootNames, name)
	}
	sort.Strings(rootNames)
	for _, c := range []string{"/ (Accept-Language: nl)", "/ (Accept-Language: en)", "/ (Accept-Language: fr)",
		"/ (Accept-Language: ro)", "/ (Accept-Language: de)", "/ (no Accept-Language)"} {
		for _, h := range rootNames {
			d = append(d, difference{
				caseName: c, field: h, netlifyDev: "", payokeServe: root.Get(h),
				why: "netlify dev writes a redirect rule's answer with only Location and Cache-Control: no-cache, " +
					"without the [[headers]] that match the path; payoke serve sends them, as netlify.toml asks for every response",
				source: "netlify-cli 27.10.2 src/utils/proxy.ts serveRedirect, the isRedirect(match) branch: res.writeHead(match.status, {Location, 'Cache-Control': 'no-cache'})",
			})
		}
	}

	// 3. A folder asked for without its final slash: Netlify's CDN
	// redirects to the address with the slash, and so does payoke serve;
	// netlify dev serves the folder's index.html at once.
	for _, c := range []struct{ path, title string }{
		{"/nl", pageTitle(public, "/nl/")}, {"/en/about", pageTitle(public, "/en/about/")},
	} {
		why := "Netlify's CDN answers a folder asked for without its final slash with a 301 to the address with it; " +
			"netlify dev serves the folder's index.html with 200 at the address asked"
		source := "Netlify docs, Redirect options, Trailing slash (https://docs.netlify.com/routing/redirects/redirect-options/#trailing-slash); " +
			"netlify-cli 27.10.2 src/utils/proxy.ts alternativePathsFor (tries <path>/index.html and serves it)"
		d = append(d,
			difference{caseName: c.path, field: "status", netlifyDev: "200", payokeServe: "301", why: why, source: source},
			difference{caseName: c.path, field: "Location", netlifyDev: "", payokeServe: c.path + "/", why: why, source: source},
			difference{caseName: c.path, field: "title", netlifyDev: c.title, payokeServe: "", why: why, source: source})
	}

	// 4. netlify dev's static server sends its own Cache-Control on every
	// file, and netlify dev writes the static server's headers over the
	// [[headers]] values: netlify.toml's Cache-Control never shows locally.
	// Netlify's CDN does send a Cache-Control set in [[headers]] to the
	// browser (docs.netlify.com/build/caching/caching-overview; Netlify's
	// own netlify/context-and-tools skills/netlify-caching/SKILL.md,
	// "Immutable Assets", sets it exactly so), which the README relies on.
	const devCache = "public, max-age=0"
	for _, c := range cases {
		if c.method != http.MethodGet || strings.HasPrefix(c.path, "/api/") || c.want.status/100 == 3 {
			continue
		}
		want := hdrs.For(c.served()).Get("Cache-Control")
		if want == "" {
			if !slices.Contains(c.headerNames(hdrs), "Cache-Control") {
				continue // not compared: no rule sets it for this path
			}
			want = headers.DefaultCacheControl // a 404 page where no rule sets it: Netlify's default
		}
		d = append(d, difference{
			caseName: c.name, field: "Cache-Control", netlifyDev: devCache, payokeServe: want,
			why: "netlify dev's static server (fastify-static) answers every file with its own Cache-Control, " +
				"and netlify dev writes the static server's headers after the [[headers]] values, so netlify.toml's Cache-Control is replaced locally",
			source: "netlify-cli 27.10.2 src/utils/static-server.ts (fastify-static, cache-control on every reply) and src/utils/proxy.ts " +
				"(res.setHeader for the header rules, then res.writeHead(status, proxyRes.headers))",
		})
	}
	return d
}

// pageTitle is the title of the page at the folder p in the build.
func pageTitle(public, p string) string {
	b, _ := os.ReadFile(filepath.Join(public, filepath.FromSlash(p), "index.html"))
	return title(b)
}

// TestParity asks netlify dev (Netlify's router and the Go functions as
// Lambda, on the netlify build of the working tree) and payoke serve (on
// the same copy) the same matrix, and requires the same status, Location,
// security headers and page from both.
func TestParity(t *testing.T) {
	tl := needTools(t)
	b := sharedBuild(t, tl)
	public := filepath.Join(b.dir, "public")

	proc, err := stripemock.Start()
	if err != nil {
		t.Fatalf("stripe-mock: %v", err)
	}
	t.Cleanup(proc.Close)
	stripeProxy := proc.NewProxy(t)
	smtp := mailtest.New(t)
	env := []string{
		"STRIPE_SECRET_KEY=sk_test_123",
		"STRIPE_API_URL=" + stripeProxy.URL,
		"STRIPE_WEBHOOK_SECRET=" + webhookSecret,
		"SMTP_URL=" + smtp.URL(),
		"MAIL_FROM=Payoke <website@payoke.be>",
		"CONTACT_TO=staff@payoke.be",
		"MANAGE_GIFT_SECRET=parity-test-manage-gift-secret-0123456789",
	}

	start := time.Now()
	devURL := startNetlifyDev(t, tl, b.dir, env)
	t.Logf("netlify dev ready in %s at %s", time.Since(start).Round(100*time.Millisecond), devURL)
	start = time.Now()
	serveURL := startPayokeServe(t, b.dir, env)
	t.Logf("payoke serve ready in %s at %s", time.Since(start).Round(100*time.Millisecond), serveURL)
	servers := []server{{name: "netlify dev", url: devURL, n: 0}, {name: "payoke serve", url: serveURL, n: 1}}

	hdrs, err := headers.Load(os.DirFS(b.dir))
	if err != nil {
		t.Fatal(err)
	}
	cases := matrix(t, public)
	known := knownDifferences(cases, hdrs, public)
	used := make([]bool, len(known))
	client := &http.Client{
		Timeout:       60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}

	type row struct {
		c          reqCase
		dev, serve answer
		diffs      []string // differences, "field: dev | serve"
		documented []string
	}
	var rows []row
	for _, c := range cases {
		r := row{c: c}
		r.dev = do(client, servers[0], c)
		r.serve = do(client, servers[1], c)
		for i, a := range []answer{r.dev, r.serve} {
			if a.err != nil {
				t.Errorf("%s: %s: %v", c.name, servers[i].name, a.err)
				continue
			}
			w := c.want
			if i == 0 && w.netlifyDev != nil {
				w = *w.netlifyDev
			}
			checkExpect(t, servers[i].name, c, w, a)
		}
		// payoke serve sends netlify.toml's headers as written (so two
		// equal answers cannot both be wrong); netlify dev must match it.
		if r.serve.err == nil {
			for name, values := range hdrs.For(c.served()) {
				if got := strings.Join(r.serve.header.Values(name), ", "); got != values[0] {
					t.Errorf("%s %s: payoke serve: %s = %q, netlify.toml says %q", c.method, c.name, name, got, values[0])
				}
			}
		}
		if r.dev.err != nil || r.serve.err != nil {
			continue
		}
		for _, f := range compare(hdrs, c, r.dev, r.serve) {
			i := slices.IndexFunc(known, func(k difference) bool {
				return k.caseName == c.name && k.field == f.field && k.netlifyDev == f.dev && k.payokeServe == f.serve
			})
			desc := fmt.Sprintf("%s: netlify dev %q, payoke serve %q", f.field, f.dev, f.serve)
			if i >= 0 {
				used[i] = true
				r.documented = append(r.documented, desc)
				continue
			}
			r.diffs = append(r.diffs, desc)
			t.Errorf("%s %s: %s", c.method, c.name, desc)
		}
		rows = append(rows, r)
	}
	for i, k := range known {
		if !used[i] {
			t.Errorf("known difference no longer seen (remove it from knownDifferences): %s %s: netlify dev %q, payoke serve %q",
				k.caseName, k.field, k.netlifyDev, k.payokeServe)
		}
	}

	// The mails the functions sent, per server: contact's one message and
	// the webhook's staff notice to staff, its thank-you to the donor.
	var tos []string
	staff, donors := 0, 0
	for _, m := range smtp.Messages() {
		to := strings.Join(m.To, ",")
		tos = append(tos, to)
		switch {
		case to == "staff@payoke.be":
			staff++
		case regexp.MustCompile(`^donor[01]@example\.org$`).MatchString(to):
			donors++
		}
	}
	if staff != 4 || donors != 2 {
		t.Errorf("the SMTP server got mail to %q; want, per server, the contact message and the webhook's staff notice to staff@payoke.be, and its thank-you to the donor", tos)
	}

	// The parity table.
	var tab strings.Builder
	diffCount, docCount := 0, 0
	fmt.Fprintf(&tab, "%-4s %-62s %-13s %s\n", "", "request", "status", "differing fields")
	for _, r := range rows {
		st := fmt.Sprintf("%d", r.dev.status)
		if r.dev.status != r.serve.status {
			st = fmt.Sprintf("%d/%d", r.dev.status, r.serve.status)
		}
		var fields []string
		fields = append(fields, r.diffs...)
		for _, d := range r.documented {
			fields = append(fields, "(documented) "+d)
		}
		diffCount += len(r.diffs)
		docCount += len(r.documented)
		name := r.c.name
		if len(name) > 62 {
			name = name[:59] + "..."
		}
		fmt.Fprintf(&tab, "%-4s %-62s %-13s %s\n", r.c.method, name, st, strings.Join(fields, "; "))
	}
	t.Logf("parity table: %d requests × 2 servers; %d undocumented differences, %d documented:\n%s",
		len(rows), diffCount, docCount, tab.String())
}

// matrix is the list of requests, read from the build in public.
func matrix(t *testing.T, public string) []reqCase {
	t.Helper()
	var cases []reqCase
	get := func(name, p string, want expect) {
		cases = append(cases, reqCase{name: name, method: http.MethodGet, path: p, want: want})
	}

	// Pages of every language, from the sitemaps.
	langs, pages := sitemaps(t, public)
	for _, p := range pages {
		get(p, p, expect{status: http.StatusOK, pageCSP: true})
	}
	// Every stylesheet and script.
	for _, dir := range []string{"css", "js"} {
		files, _ := filepath.Glob(filepath.Join(public, dir, "*"))
		if len(files) == 0 {
			t.Fatalf("public/%s is empty", dir)
		}
		for _, f := range files {
			p := "/" + dir + "/" + filepath.Base(f)
			get(p, p, expect{status: http.StatusOK})
		}
	}
	// The staff editor and its files.
	get("/admin/", "/admin/", expect{status: http.StatusOK})
	filepath.WalkDir(filepath.Join(public, "admin"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() != "index.html" {
			rel, _ := filepath.Rel(public, p)
			u := "/" + filepath.ToSlash(rel)
			get(u, u, expect{status: http.StatusOK})
		}
		return nil
	})
	// The root by the browser's language: nl, en, fr, a help language,
	// one the site does not have, and none.
	for _, al := range []struct{ header, to string }{
		{"nl", "/nl/"}, {"en", "/en/"}, {"fr", "/fr/"}, {"ro", "/ro/"}, {"de", "/nl/"}, {"", "/nl/"},
	} {
		c := reqCase{name: "/ (Accept-Language: " + al.header + ")", method: http.MethodGet, path: "/",
			want: expect{status: http.StatusFound, location: al.to}}
		if al.header == "" {
			c.name = "/ (no Accept-Language)"
			c.want.netlifyDev = &expect{status: http.StatusFound, location: "/en/"} // see knownDifferences
		} else {
			c.header = http.Header{"Accept-Language": {al.header}}
		}
		cases = append(cases, c)
	}
	// 404s inside each language folder, and outside all of them.
	// netlify.toml has a 404 rule for nl, en and fr; the rest falls to
	// the Dutch 404 page.
	notFound := func(p, page string) {
		cases = append(cases, reqCase{name: p, method: http.MethodGet, path: p, servedAs: page,
			want: expect{status: http.StatusNotFound, pageCSP: true}})
	}
	for _, l := range langs {
		page := "/nl/404.html"
		if l == "en" || l == "fr" {
			page = "/" + l + "/404.html"
		}
		notFound("/"+l+"/no-such-page/", page)
	}
	for _, p := range []string{"/no-such-page/", "/no-such-page.html", "/xx/no-such-page/", "/nl-be/",
		"/css/no-such.css", "/js/no-such.js", "/admin/no-such-page"} {
		notFound(p, "/nl/404.html")
	}
	// A folder asked for without its final slash.
	for _, p := range []string{"/nl", "/en/about"} {
		get(p, p, expect{status: http.StatusMovedPermanently, location: p + "/",
			netlifyDev: &expect{status: http.StatusOK, pageCSP: true}}) // see knownDifferences
	}
	// The redirect page Hugo writes at the root.
	get("/index.html", "/index.html", expect{status: http.StatusOK, pageCSP: true})

	// The functions, as the pages' forms post to them.
	form := func(name, fn, values string, want expect) {
		cases = append(cases, reqCase{name: name, method: http.MethodPost, path: "/api/" + fn,
			body: func(server) ([]byte, http.Header) {
				return []byte(values), http.Header{
					"Content-Type":   {"application/x-www-form-urlencoded"},
					"Sec-Fetch-Site": {"same-origin"}, // as a browser posting the site's own form
				}
			},
			want: want})
	}
	checkout := `^https://checkout\.stripe\.com/`
	form("/api/donate (once, 25 EUR)", "donate", "amount=25&frequency=once&lang=en",
		expect{status: http.StatusSeeOther, locRE: checkout})
	form("/api/donate (monthly, 10,50 EUR)", "donate", "amount=10%2C50&frequency=monthly&lang=nl",
		expect{status: http.StatusSeeOther, locRE: checkout})
	form("/api/contact (sent)", "contact", "message=Please+call+me+back&name=Ana+Test&lang=en",
		expect{status: http.StatusSeeOther, location: "/en/contact/thank-you/"})
	form("/api/contact (400, the text kept)", "contact",
		"message=Please+call+me+back+after+six&name=Ana+Test&email=not-an-address&lang=en",
		expect{status: http.StatusBadRequest, body: []string{"Please call me back after six", "not-an-address"}, pageCSP: true})

	// A monthly donor asks for the link to manage the gift: the same 303
	// whatever the address.
	form("/api/manage-gift", "manage-gift", "email=someone%40example.org&lang=en",
		expect{status: http.StatusSeeOther, locRE: `^/en/.*check-your-mailbox/$`})

	// The webhook: an event Stripe signed, and a forged one.
	hook := func(name string, secret string, want expect) {
		cases = append(cases, reqCase{name: name, method: http.MethodPost, path: "/api/stripe-webhook",
			body: func(s server) ([]byte, http.Header) {
				payload := checkoutEvent(s.n)
				sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret})
				return payload, http.Header{"Content-Type": {"application/json"}, "Stripe-Signature": {sp.Header}}
			},
			want: want})
	}
	hook("/api/stripe-webhook (signed)", webhookSecret, expect{status: http.StatusOK})
	hook("/api/stripe-webhook (forged)", "whsec_not_ours", expect{status: http.StatusBadRequest})
	return cases
}

// checkoutEvent is a checkout.session.completed event of the API version
// stripe-go v76 accepts, for a one-off gift; n makes it differ per server,
// so each delivers a new event and sends its two mails.
func checkoutEvent(n int) []byte {
	id := fmt.Sprintf("parity%d", n)
	b, _ := json.Marshal(map[string]any{
		"id": "evt_" + id, "object": "event", "type": "checkout.session.completed", "api_version": stripe.APIVersion,
		"livemode": false, "created": time.Now().Unix(),
		"data": map[string]any{"object": map[string]any{
			"id": "cs_" + id, "object": "checkout.session", "mode": "payment", "payment_status": "paid",
			"amount_total": 2500, "currency": "eur", "livemode": false, "payment_intent": "pi_" + id,
			"metadata":         map[string]string{"lang": "en", "frequency": "once"},
			"customer_details": map[string]any{"email": fmt.Sprintf("donor%d@example.org", n)},
		}},
	})
	return b
}

// sitemaps reads public/sitemap.xml, an index of one sitemap per
// language, and returns the languages and the path of every page.
func sitemaps(t *testing.T, public string) (langs, pages []string) {
	t.Helper()
	type urlset struct {
		Locs []string `xml:"url>loc"`
		Maps []string `xml:"sitemap>loc"`
	}
	read := func(p string) urlset {
		data, err := os.ReadFile(filepath.Join(public, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		var u urlset
		if err := xml.Unmarshal(data, &u); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		return u
	}
	index := read("sitemap.xml")
	if len(index.Maps) == 0 {
		t.Fatal("public/sitemap.xml lists no sitemaps")
	}
	for _, m := range index.Maps {
		u, err := url.Parse(m)
		if err != nil {
			t.Fatal(err)
		}
		langs = append(langs, strings.Trim(path.Dir(u.Path), "/"))
		for _, loc := range read(u.Path).Locs {
			lu, err := url.Parse(loc)
			if err != nil {
				t.Fatal(err)
			}
			pages = append(pages, lu.Path)
		}
	}
	return langs, pages
}

// do sends c to s.
func do(client *http.Client, s server, c reqCase) answer {
	var body io.Reader
	var extra http.Header
	if c.body != nil {
		b, h := c.body(s)
		body, extra = bytes.NewReader(b), h
	}
	req, err := http.NewRequest(c.method, s.url+c.path, body)
	if err != nil {
		return answer{err: err}
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	for k, v := range extra {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: b, err: err}
}

// checkExpect holds one server's answer to what the case must be.
func checkExpect(t *testing.T, who string, c reqCase, w expect, a answer) {
	t.Helper()
	if a.status != w.status {
		t.Errorf("%s %s: %s answers %d, want %d", c.method, c.name, who, a.status, w.status)
	}
	loc := a.header.Get("Location")
	switch {
	case w.locRE != "":
		if !regexp.MustCompile(w.locRE).MatchString(loc) {
			t.Errorf("%s %s: %s redirects to %q, want %s", c.method, c.name, who, loc, w.locRE)
		}
	case loc != w.location:
		t.Errorf("%s %s: %s: Location %q, want %q", c.method, c.name, who, loc, w.location)
	}
	text := html.UnescapeString(string(a.body))
	for _, s := range w.body {
		if !strings.Contains(text, s) {
			t.Errorf("%s %s: %s: the page lost %q", c.method, c.name, who, s)
		}
	}
	if w.pageCSP && !strings.Contains(a.header.Get("Content-Security-Policy"), frameAncestors) {
		t.Errorf("%s %s: %s: Content-Security-Policy %q lacks %s", c.method, c.name, who, a.header.Get("Content-Security-Policy"), frameAncestors)
	}
}

// field is one differing field.
type field struct{ field, dev, serve string }

var titleRE = regexp.MustCompile(`(?s)<title>(.*?)</title>`)

// compare lists what differs between the two answers: status, Location,
// each header netlify.toml gives the path (the functions' set for /api/*),
// and the page's title (the same page served, not only the same status).
func compare(hdrs *headers.Set, c reqCase, dev, serve answer) []field {
	var out []field
	if dev.status != serve.status {
		out = append(out, field{"status", fmt.Sprint(dev.status), fmt.Sprint(serve.status)})
	}
	if d, s := dev.header.Get("Location"), serve.header.Get("Location"); d != s {
		out = append(out, field{"Location", d, s})
	}
	for _, name := range c.headerNames(hdrs) {
		d, s := strings.Join(dev.header.Values(name), ", "), strings.Join(serve.header.Values(name), ", ")
		if d != s {
			out = append(out, field{name, d, s})
		}
	}
	if d, s := title(dev.body), title(serve.body); d != s {
		out = append(out, field{"title", d, s})
	}
	return out
}

func title(body []byte) string {
	if m := titleRE.FindSubmatch(body); m != nil {
		return strings.TrimSpace(html.UnescapeString(string(m[1])))
	}
	return ""
}
