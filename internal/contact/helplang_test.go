package contact

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The help-only languages (ro, ar, …) carry the contact form on their one
// page: the function answers in them, sends the visitor back to that page's
// "sent" state, and names the language to staff.

func TestHelpLanguagePostSucceeds(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, nil)
	v := valid("ro")
	v.Set("message", "Patronul îmi ține pașaportul.")
	w := fx.post(v, nil)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/ro/#sent" {
		t.Fatalf("got %d to %q, want 303 to /ro/#sent", w.Code, w.Header().Get("Location"))
	}
	assertNoStore(t, w, "text/html")
	body := decodeQP(t, fx.smtp.Wait(t, 1).Body)
	// Staff read Dutch: the mail is in Dutch and names the visitor's language.
	for _, want := range []string{"Taal van het formulier: Română (ro)", "Patronul îmi ține pașaportul.", "Onderwerp: Ik heb hulp nodig"} {
		if !strings.Contains(body, want) {
			t.Errorf("mail lacks %q:\n%s", want, body)
		}
	}
	var res map[string]string
	if jw := fx.post(valid("ro"), asJSON); json.Unmarshal(jw.Body.Bytes(), &res) != nil || res["url"] != "/ro/#sent" {
		t.Errorf("JSON: %d %s", jw.Code, jw.Body)
	}
	fx.smtp.Wait(t, 2)
}

func TestHelpLanguageEmptyMessage(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, nil)
	v := valid("ro")
	v.Set("message", "")
	v.Set("name", "Ana <Popescu>")
	v.Set("safe_contact", "Doar seara.")
	w := fx.post(v, nil)
	if w.Code != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", w.Code)
	}
	cfg, cat := loadSite(t)
	ro := func(id string) string {
		s, err := cat.T("ro", id, nil)
		if err != nil {
			t.Fatalf("i18n/ro.toml lacks %s: %v", id, err)
		}
		return s
	}
	page := w.Body.String()
	for _, want := range []string{
		`<html lang="ro" dir="ltr">`,
		"<title>" + ro("form_error_prefix") + " " + ro("contact_errors_title") + " – " + cfg.Params.Organisation.LegalName + "</title>",
		`<a href="#contact-message">` + ro("contact_error_message_required") + `</a>`,
		ro("form_error_summary"), ro("contact_message"), ro("contact_send"), ro("quick_exit"),
		// What the person typed is kept, escaped.
		`value="Ana &lt;Popescu&gt;"`, "Doar seara.</textarea>",
		`<input type="hidden" name="lang" value="ro">`, `href="tel:&#43;3232011690" dir="ltr"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("400 page lacks %q", want)
		}
	}
	// No Dutch or English label slipped in.
	en, _ := cat.T("en", "contact_message", nil)
	nl, _ := cat.T("nl", "contact_message", nil)
	if strings.Contains(page, ">"+en+"<") || strings.Contains(page, ">"+nl+"<") {
		t.Errorf("400 page has a Dutch or English label")
	}
	fx.assertNothingSent(t)
}

func TestArabicErrorPageIsRightToLeft(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, nil)
	v := valid("ar")
	v.Set("email", "ليس عنوانا")
	w := fx.post(v, nil)
	if w.Code != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", w.Code)
	}
	_, cat := loadSite(t)
	page := w.Body.String()
	errText, _ := cat.T("ar", "contact_error_email", nil)
	for _, want := range []string{`<html lang="ar" dir="rtl">`, errText, `value="ليس عنوانا"`, `<input type="hidden" name="lang" value="ar">`} {
		if !strings.Contains(page, want) {
			t.Errorf("400 page lacks %q", want)
		}
	}
	// A notice given before the form is read (here a GET) follows
	// Accept-Language, right to left too, and leads back to the help page.
	r := httptest.NewRequest(http.MethodGet, "/api/contact", nil)
	r.Header.Set("Accept-Language", "ar-MA,ar;q=0.9")
	gw := httptest.NewRecorder()
	fx.h.ServeHTTP(gw, r)
	if gw.Code != http.StatusMethodNotAllowed || !strings.Contains(gw.Body.String(), `<html lang="ar" dir="rtl">`) ||
		!strings.Contains(gw.Body.String(), `href="/ar/"`) {
		t.Errorf("GET in Arabic: %d\n%s", gw.Code, gw.Body)
	}
	fx.assertNothingSent(t)
}

// A string a help language does not translate shows in English, never as
// its key and never in Dutch.
func TestHelpLanguageFallsBackToEnglishPerKey(t *testing.T) {
	t.Parallel()
	_, cat := loadSite(t)
	const id = "contact_busy_title"
	if cat.Has("ro", id) {
		t.Skipf("ro translates %s now; pick a key it lacks", id)
	}
	en, _ := cat.T("en", id, nil)
	ro := newFixture(t, func(o *Options) { o.RateLimit = 1 })
	if w := ro.post(valid("ro"), nil); w.Code != http.StatusSeeOther {
		t.Fatalf("first post: %d", w.Code)
	}
	w := ro.post(valid("ro"), nil)
	if w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), en) || strings.Contains(w.Body.String(), id) {
		t.Errorf("429 in ro: %d, want the English %q:\n%s", w.Code, en, w.Body)
	}
	// Its own strings on the same page are still Romanian.
	if own, _ := cat.T("ro", "contact_send", nil); !strings.Contains(w.Body.String(), own) {
		t.Errorf("429 page lost the Romanian %q", own)
	}
	ro.smtp.Wait(t, 1)
}

// An unknown or malformed lang never reaches the mail or the page: the answer
// follows Accept-Language, else English.
func TestUnknownLangIsRefused(t *testing.T) {
	t.Parallel()
	const evil = "xx\r\n\r\nBericht:"
	for name, c := range map[string]struct{ accept, want, location string }{
		"no Accept-Language": {"", "en", "/en/contact/thank-you/"},
		"Romanian browser":   {"ro-RO,ro;q=0.9", "ro", "/ro/#sent"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fx := newFixture(t, nil)
			accept := func(r *http.Request) {
				if c.accept != "" {
					r.Header.Set("Accept-Language", c.accept)
				}
			}
			v := valid("nl")
			v.Set("lang", evil)
			w := fx.post(v, accept)
			if w.Code != http.StatusSeeOther || w.Header().Get("Location") != c.location {
				t.Fatalf("got %d to %q, want 303 to %s", w.Code, w.Header().Get("Location"), c.location)
			}
			got := fx.smtp.Wait(t, 1)
			body := decodeQP(t, got.Body)
			// The forged value would add a second "Bericht:" section.
			if strings.Contains(body, "xx") || strings.Count(body, "\nBericht:\n") != 1 {
				t.Errorf("mail holds the raw lang:\n%s", body)
			}
			for k, vs := range got.Header {
				for _, hv := range vs {
					if strings.Contains(hv, "xx") {
						t.Errorf("header %s = %q", k, hv)
					}
				}
			}
			if !strings.Contains(body, "Taal van het formulier: (niet opgegeven)") {
				t.Errorf("mail does not say the language was not given:\n%s", body)
			}
			// On an error page too, the raw value goes nowhere.
			v.Set("message", "")
			ew := fx.post(v, accept)
			if ew.Code != http.StatusBadRequest || strings.Contains(ew.Body.String(), "xx") ||
				!strings.Contains(ew.Body.String(), `<input type="hidden" name="lang" value="`+c.want+`">`) {
				t.Errorf("400: %d\n%s", ew.Code, ew.Body)
			}
			if strings.Contains(fx.logs.String(), "xx") {
				t.Errorf("log holds the raw lang:\n%s", fx.logs)
			}
		})
	}
	// Look-alikes of real languages are refused too.
	fx := newFixture(t, func(o *Options) { o.RateLimit = 100 })
	for _, bad := range []string{"ro\n", " ro", "RO", "ro-RO", "../ro", "ro#x"} {
		v := valid("ro")
		v.Set("lang", bad)
		if w := fx.post(v, nil); w.Header().Get("Location") == "/ro/#sent" && strings.TrimSpace(bad) != "ro" {
			t.Errorf("lang %q accepted as ro", bad)
		}
	}
	fx.smtp.Wait(t, 6)
}
