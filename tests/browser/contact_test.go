package browser

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/payoke/site/internal/mail/mailtest"
)

// contactForm finds the contact form on a page of the site or of the function.
const contactForm = `form[action="/api/contact"] `

// testContact sends a message with JavaScript on and off and finds it at the
// SMTP server; then stops the server and checks that the sender gets their
// text back. It stays within the function's rate limit (5 an hour).
func (s *suite) testContact(t *testing.T, mail *mailtest.Server) {
	cases := []struct {
		lang string
		v    view
	}{{"en", view{Width: 1280, Height: 800, Scale: 1, NoJS: true}}, {"nl", phone}}
	sent := 0
	for _, c := range cases {
		text := fmt.Sprintf("Browser test %s %d: I need advice.", c.lang, time.Now().UnixNano()%1e6)
		tb := s.sendMessage(t, c.v, c.lang, text)
		loc := tb.waitLocation("after sending a message", func(l string) bool { return l != tb.url("/"+c.lang+"/contact/") })
		if strings.HasSuffix(loc, "/api/contact") {
			t.Errorf("%s %s: the form was refused: %s", c.lang, c.v, eval[string](tb, `document.querySelector("main").innerText`))
			tb.close()
			continue
		}
		sent++
		m := mail.Wait(t, sent)
		if !strings.Contains(string(m.Data), strings.TrimSuffix(text, ": I need advice.")) {
			t.Errorf("%s %s: the mail does not hold the message %q:\n%s", c.lang, c.v, text, m.Data)
		}
		_, failures, console, _ := tb.recorded()
		if len(failures)+len(console) > 0 {
			t.Errorf("%s %s: after sending, at %s: %q %q", c.lang, c.v, loc, failures, console)
		}
		tb.close()
	}

	mail.Close() // the mail server is down from here on
	for _, c := range cases {
		text := fmt.Sprintf("Browser test %s, server down: please call me back.", c.lang)
		tb := s.sendMessage(t, c.v, c.lang, text)
		tb.waitLocation("after sending with the mail server down", func(l string) bool { return strings.HasSuffix(l, "/api/contact") })
		got := eval[string](tb, `(document.querySelector("textarea[name=message]") || {}).value || ""`)
		if got != text {
			t.Errorf("%s %s: with the mail server down the page shows %q, want the sender's text %q", c.lang, c.v, got, text)
		}
		if lang := eval[string](tb, `document.documentElement.lang`); !strings.HasPrefix(lang, c.lang) {
			t.Errorf("%s %s: the answer is in %q", c.lang, c.v, lang)
		}
		tb.close()
	}
	if n := len(mail.Messages()); n != sent {
		t.Errorf("the SMTP server got %d messages, want %d", n, sent)
	}
}

// sendMessage opens the contact page, writes text and sends it.
func (s *suite) sendMessage(t *testing.T, v view, lang, text string) *tab {
	tb := s.openTab(t, v)
	tb.open("/" + lang + "/contact/")
	start := time.Now()
	tb.do("writing a message", chromedp.SendKeys(chromedp.CSS(contactForm+`textarea[name=message]`), text))
	if !v.NoJS {
		// The function refuses forms filled faster than a person can (3 s).
		time.Sleep(3500*time.Millisecond - time.Since(start))
	}
	tb.reset()
	tb.follow("sending", chromedp.Click(chromedp.CSS(contactForm+`button[type=submit]`)))
	return tb
}
