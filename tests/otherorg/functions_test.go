package otherorg

import (
	"bytes"
	"encoding/json"
	"html"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/payoke/site/internal/contact"
	"github.com/payoke/site/internal/donate"
	"github.com/payoke/site/internal/donate/stripemock"
	"github.com/payoke/site/internal/donation"
	"github.com/payoke/site/internal/i18n"
	"github.com/payoke/site/internal/mail"
	"github.com/payoke/site/internal/mail/mailtest"
	"github.com/payoke/site/internal/siteconfig"
	"github.com/payoke/site/internal/web"
	"github.com/payoke/site/internal/web/webtest"
	pwebhook "github.com/payoke/site/internal/webhook"
)

// The functions of the other organisation: contact, donate and the Stripe
// webhook, each made by its New (the constructor NewFromEnv hands the
// embedded site to) from this folder's config.toml and strings, and asked as
// a browser, a script and Stripe would. What they answer (pages, JSON, the
// Checkout Session, every mail) is in its name, with its phone, e-mail,
// quick exit, languages and presets, and holds no fact of ours.

var stripeMock *stripemock.Process

func TestMain(m *testing.M) { os.Exit(stripemock.Run(m, &stripeMock)) }

// fixtureSite reads this folder's config.toml, i18n/ (a link to ours, as
// a fork has them) and its pages' front matter the way the functions read
// the embedded ones: through web.LoadSiteFS, which web.LoadSite calls with
// site.Files. Every language of its config.toml is loaded, as the contact
// function does. The functions are handed its pages, so they link to its
// own addresses (its French support page is /fr/nous-soutenir/, ours
// /fr/soutenez-nous/).
func fixtureSite(t *testing.T) (*siteconfig.Config, *i18n.Catalog, *web.Pages) {
	t.Helper()
	cfg, cat, pages, err := web.LoadSiteFS(os.DirFS("."), true)
	if err != nil {
		t.Fatalf("the fixture's config.toml, strings and pages: %v", err)
	}
	return cfg, cat, pages
}

// ours is ourFacts, for the functions' tests.
func ours(t *testing.T) []string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return ourFacts(t, readConfig(t, filepath.Join(root, "config.toml")), readConfig(t, "config.toml"))
}

var factsCache struct {
	sync.Mutex
	facts []string
}

func factsOnce(t *testing.T) []string {
	t.Helper()
	factsCache.Lock()
	defer factsCache.Unlock()
	if factsCache.facts == nil {
		factsCache.facts = ours(t)
	}
	return factsCache.facts
}

// stringID is what i18n.Catalog.TOrID shows for a string a language lacks.
var stringID = regexp.MustCompile(`\b(?:contact|donate|form|quick_exit|skip_to|manage_gift|phone|emergency)_[a-z_]+\b`)

// clean fails the test if s, an answer as its reader gets it, holds a fact
// of ours, a string without its data, or a string's id instead of its text.
func clean(t *testing.T, what, s string) {
	t.Helper()
	fs := factsOnce(t)
	low := strings.ToLower(html.UnescapeString(s))
	for _, f := range fs {
		if i := strings.Index(low, strings.ToLower(f)); i >= 0 {
			t.Errorf("%s holds our %q: …%s…", what, f, excerpt(low, i, len(f)))
		}
	}
	if strings.Contains(low, "<no value>") {
		t.Errorf("%s has a string without its data:\n%s", what, s)
	}
	if id := stringID.FindString(s); id != "" {
		t.Errorf("%s shows the id %q instead of a string:\n%s", what, id, s)
	}
}

// has fails the test unless s (entities decoded) holds each of subs.
func has(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	s = html.UnescapeString(s)
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s lacks %q:\n%s", what, sub, s)
		}
	}
}

// pages checks that each site path the functions link to is a page the
// fixture built: none is one of our addresses.
type pages struct {
	files map[string][]byte
}

func newPages(t *testing.T) *pages {
	t.Helper()
	return &pages{files: site(t)}
}

func (p *pages) check(t *testing.T, what, link string) {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Errorf("%s: %q: %v", what, link, err)
		return
	}
	if u.Host != "" && u.Host != "centrum-voorbeeld.example" {
		t.Errorf("%s: %q is not on the fixture's site", what, link)
		return
	}
	if strings.HasPrefix(u.Path, "/api/") {
		return
	}
	if _, ok := p.files[strings.TrimPrefix(u.Path, "/")+"index.html"]; !ok {
		t.Errorf("%s: %s is not a page of the fixture's site", what, u.Path)
	}
}

var hrefs = regexp.MustCompile(`href="([^"]*)"`)

// links checks every same-site link of a page.
func (p *pages) links(t *testing.T, what, page string) {
	t.Helper()
	for _, m := range hrefs.FindAllStringSubmatch(page, -1) {
		if h := html.UnescapeString(m[1]); strings.HasPrefix(h, "/") && !strings.HasPrefix(h, web.Stylesheet) {
			p.check(t, what+" link", h)
		}
	}
}

func post(h http.Handler, form url.Values, header ...string) *httptest.ResponseRecorder {
	return webtest.Serve(h, webtest.Request("/api/x", form, header...))
}

// received is one mail as the SMTP server got it, decoded.
type received struct{ From, To, ReplyTo, Subject, Body string }

func (m received) String() string {
	return "From: " + m.From + "\nTo: " + m.To + "\nReply-To: " + m.ReplyTo + "\nSubject: " + m.Subject + "\n\n" + m.Body
}

func mails(t *testing.T, srv *mailtest.Server, n int) []received {
	t.Helper()
	if n > 0 {
		srv.Wait(t, n)
	}
	time.Sleep(50 * time.Millisecond) // room for an unwanted extra message
	var out []received
	dec := new(mime.WordDecoder)
	for _, m := range srv.Messages() {
		subj, _ := dec.DecodeHeader(m.Header.Get("Subject"))
		body, _ := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(m.Body)))
		out = append(out, received{From: m.Header.Get("From"), To: strings.Join(m.To, ","), ReplyTo: m.Header.Get("Reply-To"),
			Subject: subj, Body: strings.ReplaceAll(string(body), "\r\n", "\n")})
	}
	if len(out) != n {
		t.Fatalf("%d mails, want %d: %v", len(out), n, out)
	}
	return out
}

// sender is the fixture's MAIL_FROM, an environment setting, not config.
const sender = "Centrum Voorbeeld website <website@centrum-voorbeeld.example>"

func newSender(t *testing.T, srv *mailtest.Server) mail.Sender {
	t.Helper()
	s, err := mail.NewSMTP(srv.URL(), sender)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// locale is the fixture's locale for lang, from its config.toml.
func locale(t *testing.T, cfg *siteconfig.Config, lang string) string {
	t.Helper()
	for _, l := range cfg.Languages {
		if l.Lang == lang {
			return l.Locale
		}
	}
	t.Fatalf("the fixture has no language %q", lang)
	return ""
}

// shell checks what every function page carries: its language, the title
// ending in the organisation's name, the quick exit to its neutral site.
func shell(t *testing.T, cfg *siteconfig.Config, what, page, lang string) {
	t.Helper()
	o := cfg.Params.Organisation
	has(t, what, page, `<html lang="`+locale(t, cfg, lang)+`"`, " – "+o.LegalName+"</title>",
		`id="quick-exit" class="quick-exit" href="`+cfg.Params.QuickExit+`"`)
}

func TestContactAnswersInItsName(t *testing.T) {
	cfg, cat, fixturePages := fixtureSite(t)
	o := cfg.Params.Organisation
	srv := mailtest.New(t)
	p := newPages(t)
	// CONTACT_TO defaults to params.organisation.email (contact.NewFromEnv).
	h, err := contact.New(contact.Options{Sender: newSender(t, srv), To: []string{o.Email}, Site: cfg, Strings: cat, Pages: fixturePages,
		SiteURL: "https://centrum-voorbeeld.example", MinFill: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	valid := func(lang string) url.Values {
		return url.Values{"message": {"Ik wil graag praten."}, "topic": {"help"}, "lang": {lang},
			"email": {"iemand@example.org"}, "elapsed": {"60000"}}
	}
	var sent []string
	for _, lang := range cfg.SiteLanguages() {
		t.Run(lang, func(t *testing.T) {
			tr := func(id string) string { return cat.TOrID(lang, id, nil) }
			// Sent: 303 to its thank-you page, one mail to its address.
			w := post(h, valid(lang))
			if w.Code != http.StatusSeeOther {
				t.Fatalf("valid message: status %d, want 303:\n%s", w.Code, w.Body)
			}
			p.check(t, "the thank-you redirect", w.Header().Get("Location"))
			sent = append(sent, lang)
			m := mails(t, srv, len(sent))[len(sent)-1]
			if m.To != o.Email {
				t.Errorf("the message went to %q, want the fixture's %q", m.To, o.Email)
			}
			label := cfg.LanguageMap[lang].Label + " (" + lang + ")"
			has(t, "the staff mail", m.String(), "Ik wil graag praten.", label, cat.TOrID(cfg.DefaultLanguage, "contact_mail_intro", nil))
			clean(t, "the staff mail", m.String())

			// Something to correct: the form again, in its language, with its facts.
			v := valid(lang)
			v.Set("message", "")
			v.Set("safe_contact", "Alleen 's avonds.")
			w = post(h, v)
			page := w.Body.String()
			if w.Code != http.StatusBadRequest {
				t.Fatalf("empty message: status %d, want 400", w.Code)
			}
			shell(t, cfg, "the 400 page", page, lang)
			has(t, "the 400 page", page, tr("contact_error_message_required"), "Alleen 's avonds.",
				`href="tel:`+o.PhoneLink+`"`, o.Phone, cat.TOrID(lang, "emergency", map[string]any{"Number": o.Emergency}),
				tr("contact_confidential"), tr("contact_safe_hint"), o.LegalName, `name="lang" value="`+lang+`"`)
			clean(t, "the 400 page", page)
			p.links(t, "the 400 page", page)

			// JSON for a script.
			w = post(h, v, "Accept", "application/json")
			var js struct {
				Error struct{ Field, Message string }
			}
			if w.Code != http.StatusBadRequest || json.Unmarshal(w.Body.Bytes(), &js) != nil || js.Error.Message != tr("contact_error_message_required") {
				t.Errorf("JSON: %d %s", w.Code, w.Body)
			}

			// Not a POST: 405 in the browser's language, a link back to its form.
			r := httptest.NewRequest(http.MethodGet, "/api/contact", nil)
			r.Header.Set("Accept-Language", lang)
			rw := httptest.NewRecorder()
			h.ServeHTTP(rw, r)
			if rw.Code != http.StatusMethodNotAllowed {
				t.Errorf("GET: status %d, want 405", rw.Code)
			}
			shell(t, cfg, "the 405 page", rw.Body.String(), lang)
			has(t, "the 405 page", rw.Body.String(), tr("contact_method_title"), o.Phone)
			clean(t, "the 405 page", rw.Body.String())
			p.links(t, "the 405 page", rw.Body.String())
		})
	}

	// The mail server refuses: 503, the text kept, its phone to call.
	t.Run("mail fails", func(t *testing.T) {
		srv.FailWith(mailtest.ErrRefused)
		defer srv.FailWith(nil)
		w := post(h, valid("fr"))
		if w.Code != http.StatusServiceUnavailable {
			t.Fatalf("status %d, want 503", w.Code)
		}
		shell(t, cfg, "the 503 page", w.Body.String(), "fr")
		has(t, "the 503 page", w.Body.String(), "Ik wil graag praten.", o.Phone, cat.TOrID("fr", "contact_failed_title", nil))
		clean(t, "the 503 page", w.Body.String())
	})

	// A language it does not have. The code: the form's unknown language is
	// dropped and the answer is in the browser's language, else in English,
	// or, as on this site without English, in the default language.
	t.Run("lang=en", func(t *testing.T) {
		before := len(srv.Messages())
		for accept, want := range map[string]string{"fr-BE,fr;q=0.9": "fr", "": cfg.DefaultLanguage} {
			v := valid("en")
			w := post(h, v, "Accept-Language", accept)
			if w.Code != http.StatusSeeOther {
				t.Fatalf("Accept-Language %q: status %d, want 303:\n%s", accept, w.Code, w.Body)
			}
			loc := w.Header().Get("Location")
			if !strings.HasPrefix(loc, "/"+want+"/") {
				t.Errorf("Accept-Language %q: sent to %s, want a page in %s", accept, loc, want)
			}
			p.check(t, "the thank-you redirect for lang=en", loc)
			v.Set("message", "")
			w = post(h, v, "Accept-Language", accept)
			shell(t, cfg, "the 400 page for lang=en", w.Body.String(), want)
			clean(t, "the 400 page for lang=en", w.Body.String())
		}
		for _, m := range mails(t, srv, before+2)[before:] {
			has(t, "the staff mail for lang=en", m.Body, cat.TOrID(cfg.DefaultLanguage, "contact_mail_not_given", nil))
			clean(t, "the staff mail for lang=en", m.String())
		}
	})
}

func TestDonateAnswersInItsName(t *testing.T) {
	cfg, cat, fixturePages := fixtureSite(t)
	o, d := cfg.Params.Organisation, cfg.Params.Donation
	if slices.Equal(d.Presets, []int{25, 50, 100}) || d.Minimum == 5 {
		t.Fatalf("the fixture's presets %v and minimum %d should differ from ours", d.Presets, d.Minimum)
	}
	px := stripeMock.NewProxy(t)
	api, err := donation.NewStripeClient("sk_test_123", px.URL)
	if err != nil {
		t.Fatal(err)
	}
	p := newPages(t)
	// SITE_URL unset: config.toml's baseURL.
	h, err := donate.New(donate.Options{Site: cfg, Strings: cat, Pages: fixturePages, Stripe: api})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range cfg.SiteLanguages() {
		t.Run(lang, func(t *testing.T) {
			tr := func(id string) string { return cat.TOrID(lang, id, nil) }
			for _, freq := range []string{"once", "monthly"} {
				// Its minimum, below ours: a gift we would refuse.
				n := len(px.Requests())
				w := post(h, url.Values{"amount_other": {strconv.Itoa(d.Minimum)}, "frequency": {freq}, "lang": {lang}})
				if w.Code != http.StatusSeeOther {
					t.Fatalf("%s €%d: status %d, want 303:\n%s", freq, d.Minimum, w.Code, w.Body)
				}
				reqs := px.Requests()[n:]
				if len(reqs) != 1 || reqs[0].Path != "/v1/checkout/sessions" {
					t.Fatalf("want one Checkout Session, Stripe saw %+v", reqs)
				}
				f := reqs[0].Form
				name := tr("donate_product_" + freq)
				if f.Get("line_items[0][price_data][product_data][name]") != name || !strings.Contains(name, o.LegalName) {
					t.Errorf("%s: product %q, want %q naming %q", freq, f.Get("line_items[0][price_data][product_data][name]"), name, o.LegalName)
				}
				if f.Get("line_items[0][price_data][unit_amount]") != strconv.Itoa(d.Minimum*100) || f.Get("locale") != lang {
					t.Errorf("%s: amount %s locale %s", freq, f.Get("line_items[0][price_data][unit_amount]"), f.Get("locale"))
				}
				for _, k := range []string{"success_url", "cancel_url"} {
					if !strings.HasPrefix(f.Get(k), strings.TrimSuffix(cfg.BaseURL, "/")+"/") {
						t.Errorf("%s %s = %q, not on %s", freq, k, f.Get(k), cfg.BaseURL)
					}
					p.check(t, "the Checkout Session's "+k, strings.Replace(f.Get(k), "?session_id={CHECKOUT_SESSION_ID}", "", 1))
				}
				var all []string
				for k, v := range f {
					all = append(all, k+"="+strings.Join(v, ","))
				}
				sort.Strings(all)
				clean(t, "the Checkout Session", strings.Join(all, "\n"))
			}

			// Over its maximum, below ours: refused, the page in its
			// language with its presets, limits and phone.
			w := post(h, url.Values{"amount_other": {strconv.Itoa(d.Maximum + 1)}, "frequency": {"once"}, "lang": {lang}})
			page := w.Body.String()
			if w.Code != http.StatusBadRequest {
				t.Fatalf("€%d: status %d, want 400", d.Maximum+1, w.Code)
			}
			shell(t, cfg, "the 400 page", page, lang)
			maxMsg := cat.TOrID(lang, "donate_error_amount_max", map[string]any{"Max": donation.FormatEuro(lang, int64(d.Maximum)*100),
				"Phone": o.Phone, "Email": o.Email})
			has(t, "the 400 page", page, maxMsg, `href="tel:`+o.PhoneLink+`"`, o.Phone)
			for _, preset := range d.Presets {
				has(t, "the 400 page", page, `value="`+strconv.Itoa(preset)+`"`, donation.FormatEuro(lang, int64(preset)*100))
			}
			if got := regexp.MustCompile(`name="amount" value="\d+"`).FindAllString(page, -1); len(got) != len(d.Presets) {
				t.Errorf("the 400 page offers %d presets, want its %d: %q", len(got), len(d.Presets), got)
			}
			clean(t, "the 400 page", page)
			p.links(t, "the 400 page", page)
		})
	}

	// A language it does not have: refused (donate_error_lang), in the
	// browser's language if it has it, else in its default language.
	t.Run("lang=en", func(t *testing.T) {
		for accept, want := range map[string]string{"fr": "fr", "": cfg.DefaultLanguage, "en-GB": cfg.DefaultLanguage} {
			w := post(h, url.Values{"amount": {strconv.Itoa(d.Presets[0])}, "frequency": {"once"}, "lang": {"en"}}, "Accept-Language", accept)
			if w.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", w.Code)
			}
			shell(t, cfg, "the lang=en page", w.Body.String(), want)
			has(t, "the lang=en page", w.Body.String(), cat.TOrID(want, "donate_error_lang", nil))
			clean(t, "the lang=en page", w.Body.String())
		}
	})

	// No Stripe key: 503 with its phone, as a page and as JSON.
	t.Run("not configured", func(t *testing.T) {
		h, err := donate.New(donate.Options{Site: cfg, Strings: cat, Pages: fixturePages})
		if err != nil {
			t.Fatal(err)
		}
		form := url.Values{"amount": {strconv.Itoa(d.Presets[1])}, "frequency": {"monthly"}, "lang": {"fr"}}
		w := post(h, form)
		if w.Code != http.StatusServiceUnavailable {
			t.Fatalf("status %d, want 503", w.Code)
		}
		shell(t, cfg, "the 503 page", w.Body.String(), "fr")
		has(t, "the 503 page", w.Body.String(), o.Phone)
		clean(t, "the 503 page", w.Body.String())
		w = post(h, form, "Accept", "application/json")
		has(t, "the 503 JSON", w.Body.String(), o.Phone)
		clean(t, "the 503 JSON", w.Body.String())
	})
}

const whsec = "whsec_otherorg"

func TestWebhookMailsInItsName(t *testing.T) {
	cfg, cat, fixturePages := fixtureSite(t)
	o := cfg.Params.Organisation
	px := stripeMock.NewProxy(t)
	api, err := donation.NewStripeClient("sk_test_123", px.URL)
	if err != nil {
		t.Fatal(err)
	}
	srv := mailtest.New(t)
	p := newPages(t)
	// StaffTo (CONTACT_TO) and SiteURL unset: its e-mail and baseURL.
	h, err := pwebhook.New(pwebhook.Options{Site: cfg, Strings: cat, Pages: fixturePages, Stripe: api, Mail: newSender(t, srv), Secret: whsec})
	if err != nil {
		t.Fatal(err)
	}
	deliver := func(t *testing.T, id, typ string, obj map[string]any) {
		t.Helper()
		payload, _ := json.Marshal(map[string]any{
			"id": id, "object": "event", "type": typ, "api_version": stripe.APIVersion, "livemode": false,
			"created": time.Now().Unix(), "data": map[string]any{"object": obj},
		})
		sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: whsec})
		r := httptest.NewRequest(http.MethodPost, "/api/stripe-webhook", bytes.NewReader(payload))
		r.Header.Set("Stripe-Signature", sp.Header)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			t.Fatalf("%s: status %d %s", typ, w.Code, w.Body)
		}
	}
	session := func(id, mode, status, lang, freq string, cents int64) map[string]any {
		s := map[string]any{
			"id": id, "object": "checkout.session", "mode": mode, "payment_status": status, "amount_total": cents,
			"currency": "eur", "livemode": false, "metadata": map[string]string{"lang": lang, "frequency": freq},
			"customer_details": map[string]any{"email": "donor@example.org"},
		}
		if mode == "subscription" {
			s["subscription"], s["customer"] = "sub_"+id, "cus_"+id
		} else {
			s["payment_intent"] = "pi_" + id
		}
		return s
	}
	signoff := func(lang string) string {
		return cat.TOrID(lang, "donate_mail_signoff", map[string]any{"Phone": o.Phone, "Email": o.Email})
	}
	// donor checks a donor's mail: to the donor, replies to the fixture, in
	// lang, signed in its name with its phone and e-mail.
	donor := func(t *testing.T, m received, lang, subjectID string) {
		t.Helper()
		if subject := cat.TOrID(lang, subjectID, nil); m.Subject != subject || !strings.Contains(subject, o.LegalName) {
			t.Errorf("donor subject %q, want %q naming %q", m.Subject, subject, o.LegalName)
		}
		if !strings.Contains(m.ReplyTo, o.Email) {
			t.Errorf("donor mail replies to %q, want %q", m.ReplyTo, o.Email)
		}
		has(t, "the donor mail", m.Body, cat.TOrID(lang, "donate_mail_greeting", nil), signoff(lang), o.LegalName, o.Phone, o.Email)
		clean(t, "the donor mail", m.String())
	}
	staff := func(t *testing.T, m received) {
		t.Helper()
		if m.To != o.Email {
			t.Errorf("staff notice to %q, want the fixture's %q", m.To, o.Email)
		}
		clean(t, "the staff notice", m.String())
	}
	urls := regexp.MustCompile(`https?://\S+`)
	var n int
	t.Run("thanks fr", func(t *testing.T) {
		deliver(t, "evt_1", "checkout.session.completed", session("cs_1", "payment", "paid", "fr", "once", 4000))
		n += 2
		m := mails(t, srv, n)[n-2:]
		donor(t, m[0], "fr", "donate_mail_thanks_subject")
		has(t, "the thank-you", m[0].Body, cat.TOrID("fr", "donate_mail_thanks_once", map[string]any{"Amount": donation.FormatEuro("fr", 4000)}))
		staff(t, m[1])
	})
	t.Run("thanks monthly nl", func(t *testing.T) {
		deliver(t, "evt_2", "checkout.session.completed", session("cs_2", "subscription", "paid", "nl", "monthly", 1500))
		n += 2
		m := mails(t, srv, n)[n-2:]
		donor(t, m[0], "nl", "donate_mail_thanks_subject")
		// No MANAGE_GIFT_SECRET: call or write, to its phone and e-mail.
		has(t, "the monthly thank-you", m[0].Body, cat.TOrID("nl", "donate_mail_manage_contact", map[string]any{"Phone": o.Phone, "Email": o.Email}))
		staff(t, m[1])
	})
	t.Run("failed fr", func(t *testing.T) {
		deliver(t, "evt_3", "checkout.session.async_payment_failed", session("cs_3", "payment", "unpaid", "fr", "once", 8000))
		n += 2
		m := mails(t, srv, n)[n-2:]
		donor(t, m[0], "fr", "donate_mail_failed_subject")
		for _, u := range urls.FindAllString(m[0].Body, -1) {
			p.check(t, "the failed-payment mail's link", u)
		}
		staff(t, m[1])
	})
	t.Run("ended nl", func(t *testing.T) {
		px.Set("/v1/customers/cus_9", "email", "monthly@example.org")
		deliver(t, "evt_4", "customer.subscription.deleted", map[string]any{
			"id": "sub_9", "object": "subscription", "customer": "cus_9", "status": "canceled",
			"metadata": map[string]string{"lang": "nl", "frequency": "monthly"},
			"items": map[string]any{"object": "list", "data": []map[string]any{{"id": "si_1", "object": "subscription_item", "quantity": 1,
				"price": map[string]any{"id": "price_1", "object": "price", "unit_amount": 1500, "currency": "eur"}}}},
		})
		n += 2
		m := mails(t, srv, n)[n-2:]
		donor(t, m[0], "nl", "donate_mail_ended_subject")
		has(t, "the ended mail", m[0].Body, cat.TOrID("nl", "donate_mail_ended_body", nil))
		staff(t, m[1])
	})
}
