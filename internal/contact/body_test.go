package contact

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

func multipartBody(t *testing.T, fields map[string]string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String(), mw.FormDataContentType()
}

// A multipart/form-data body is read like a urlencoded one.
func TestMultipartBodyIsDelivered(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, nil)
	body, ct := multipartBody(t, map[string]string{
		"message": "Ik word uitgebuit.\r\nHelp — Ёлка", "name": "Zoë", "lang": "nl", "topic": "help",
	})
	w := fx.postRaw(body, ct, nil)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/nl/contact/bedankt/" {
		t.Fatalf("status %d to %q, want 303 to the thank-you page:\n%s", w.Code, w.Header().Get("Location"), w.Body)
	}
	if mail := decodeQP(t, fx.smtp.Wait(t, 1).Body); !strings.Contains(mail, "Ik word uitgebuit.\nHelp — Ёлка") || !strings.Contains(mail, "Naam: Zoë") {
		t.Errorf("mail:\n%s", mail)
	}
	// The same body limit holds.
	big, ct := multipartBody(t, map[string]string{"message": strings.Repeat("x", 200<<10), "lang": "fr"})
	if w := fx.postRaw(big, ct, func(r *http.Request) { r.Header.Set("Accept-Language", "fr") }); w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "trop long") {
		t.Errorf("oversized multipart: status %d", w.Code)
	}
}

// A body sent without Content-Type is read when it is a form.
func TestBodyWithoutContentTypeIsRead(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, nil)
	w := fx.postRaw(valid("en").Encode(), "", nil)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/en/contact/thank-you/" {
		t.Fatalf("status %d, want 303:\n%s", w.Code, w.Body)
	}
	if mail := decodeQP(t, fx.smtp.Wait(t, 1).Body); !strings.Contains(mail, "Mijn baas houdt mijn paspoort") {
		t.Errorf("mail:\n%s", mail)
	}
}

// A broken escape: the fields that parse keep their text, the broken one is
// decoded leniently, and the form comes back to check and send again.
func TestBrokenEscapeKeepsTheText(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, nil)
	w := fx.postRaw("message=hi%zz&name=x", "application/x-www-form-urlencoded", nil)
	if w.Code != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", w.Code)
	}
	body := w.Body.String()
	if !strings.Contains(body, ">hi%zz</textarea>") || !strings.Contains(body, `value="x"`) {
		t.Errorf("the text did not come back:\n%s", body)
	}
	if strings.Contains(body, "Schrijf een bericht") || strings.Contains(body, "Please write a message") {
		t.Errorf("the answer says the message is missing:\n%s", body)
	}
	w = fx.postRaw("lang=fr&name=Zo%C3%AB&message=Mon+patron+garde+mon+passeport+%E2%80%94+100%+vrai%2C+aidez-moi&topic=help",
		"application/x-www-form-urlencoded", nil)
	body = w.Body.String()
	if w.Code != http.StatusBadRequest || !strings.Contains(body, ">Mon patron garde mon passeport — 100% vrai, aidez-moi</textarea>") ||
		!strings.Contains(body, `value="Zoë"`) || !strings.Contains(body, `lang="fr-BE"`) || !strings.Contains(body, `id="contact-message-error"`) {
		t.Errorf("status %d:\n%s", w.Code, body)
	}
	fx.assertNothingSent(t)
}

// Nothing readable: a plain 400 in the visitor's language with Payoke's
// phone number, never "message required", and any text that came is shown.
func TestUnreadableBodySaysSoWithThePhone(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, nil)
	cfg, cat := loadSite(t)
	phone := cfg.Params.Organisation.Phone
	for name, c := range map[string]struct{ body, ct, lang, keep string }{
		"binary":              {"\x00\x01\xff\xfe\x89PNG", "application/octet-stream", "fr", ""},
		"JSON":                {`{"message":"Ik word uitgebuit"}`, "application/json", "nl", "Ik word uitgebuit"},
		"multipart, no field": {"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhelp me\r\n--x--\r\n", "multipart/form-data; boundary=x", "en", ""},
		"no boundary":         {"message=hi", "multipart/form-data", "en", "message=hi"},
		"no type, not form":   {"help me please", "", "en", "help me please"},
	} {
		t.Run(name, func(t *testing.T) {
			accept := func(r *http.Request) { r.Header.Set("Accept-Language", c.lang) }
			w := fx.postRaw(c.body, c.ct, accept)
			body := w.Body.String()
			title := cat.TOrID(c.lang, "contact_unreadable_title", nil)
			if w.Code != http.StatusBadRequest || !strings.Contains(body, title) {
				t.Fatalf("status %d, want 400 with %q:\n%s", w.Code, title, body)
			}
			if !strings.Contains(body, `href="tel:`+strings.ReplaceAll(cfg.Params.Organisation.PhoneLink, "+", "&#43;")) || !strings.Contains(body, strings.ReplaceAll(phone, "+", "&#43;")) {
				t.Errorf("no phone number:\n%s", body)
			}
			if c.keep != "" && !strings.Contains(body, strings.ReplaceAll(c.keep, `"`, "&#34;")) {
				t.Errorf("the text that came is not shown:\n%s", body)
			}
			jw := fx.postRaw(c.body, c.ct, func(r *http.Request) { accept(r); asJSON(r) })
			var res struct{ Error jsonProblem }
			if jw.Code != http.StatusBadRequest || json.Unmarshal(jw.Body.Bytes(), &res) != nil || !strings.Contains(res.Error.Message, phone) {
				t.Errorf("JSON: %d %s", jw.Code, jw.Body)
			}
		})
	}
	fx.assertNothingSent(t)
}

// A multipart body cut short keeps the field it was cut in, to check and
// send again; an enctype="text/plain" body is read line by line.
func TestTruncatedMultipartAndPlainText(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, nil)
	cut := "--x\r\nContent-Disposition: form-data; name=\"lang\"\r\n\r\nen\r\n--x\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nhelp me, they took my"
	w := fx.postRaw(cut, "multipart/form-data; boundary=x", nil)
	if body := w.Body.String(); w.Code != http.StatusBadRequest || !strings.Contains(body, ">help me, they took my</textarea>") ||
		!strings.Contains(body, `id="contact-message-error"`) || !strings.Contains(body, `lang="en"`) {
		t.Errorf("cut multipart: %d\n%s", w.Code, body)
	}
	fx.assertNothingSent(t)
	w = fx.postRaw("message=Hello, = fine\r\nname=Ann\r\nlang=en\r\n", "text/plain", nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("text/plain: %d\n%s", w.Code, w.Body)
	}
	if mail := decodeQP(t, fx.smtp.Wait(t, 1).Body); !strings.Contains(mail, "Bericht:\nHello, = fine\n") || !strings.Contains(mail, "Naam: Ann") {
		t.Errorf("mail:\n%s", mail)
	}
}
