package contact

import (
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Field limits, in characters. The shortcode's maxlength attributes carry the
// same numbers (a test compares them); the server counts again, since a form
// can be posted without a browser.
const (
	MaxMessage = 5000
	MaxName    = 100
	MaxEmail   = 254
	MaxPhone   = 30
	MaxSafe    = 500
	// maxTopic and maxLang bound fields that must match a fixed list anyway.
	maxShort = 20
)

// Topics are the values of the topic field, in the order the form shows them.
var Topics = []string{"help", "report", "training", "press", "sponsorship", "other"}

// Form names, shared with layouts/_shortcodes/contact-form.html.
const (
	fieldMessage = "message"
	fieldName    = "name"
	fieldEmail   = "email"
	fieldPhone   = "phone"
	fieldTopic   = "topic"
	fieldSafe    = "safe_contact"
	fieldLang    = "lang"
	fieldWebsite = "website" // honeypot: people never see it, robots fill it
	fieldElapsed = "elapsed" // milliseconds on the page, set by contact.js
)

// form is what a visitor sent, cleaned (CRLF → LF, outer spaces trimmed)
// but not yet judged.
type form struct {
	Message, Name, Email, Phone, Topic, Safe, Lang string
	Website, Elapsed                               string
}

// problem is one thing wrong with the form, not yet localized.
type problem struct {
	Field string // a field name, or "" for the form as a whole
	ID    string // i18n key
	Max   int    // for contact_error_too_long
}

func parseForm(v url.Values) form {
	multi := func(k string) string {
		return strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(v.Get(k), "\r\n", "\n"), "\r", "\n"))
	}
	one := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	return form{
		Message: multi(fieldMessage), Name: one(fieldName), Email: one(fieldEmail),
		Phone: one(fieldPhone), Topic: one(fieldTopic), Safe: multi(fieldSafe),
		Lang: one(fieldLang), Website: v.Get(fieldWebsite), Elapsed: one(fieldElapsed),
	}
}

// badChars reports invalid UTF-8 or control characters; multi-line fields
// may hold newlines and tabs. Line and paragraph separators count as control
// characters in one-line fields.
func badChars(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return true
	}
	return strings.ContainsFunc(s, func(r rune) bool {
		if multiline && (r == '\n' || r == '\t') {
			return false
		}
		return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
	})
}

// validPhone allows digits and the usual separators, with at least 6 digits.
func validPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +-()./", r):
		default:
			return false
		}
	}
	return digits >= 6
}

// replyTo returns the bare address of a valid e-mail field: only the address
// ever reaches a header, never a display name the visitor typed.
func replyTo(s string) (string, bool) {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || s != a.Address {
		return "", false
	}
	at := strings.LastIndexByte(a.Address, '@')
	// A dot in the domain: "name@localhost" is no address staff can answer.
	if at < 1 || !strings.Contains(a.Address[at+1:], ".") || badChars(a.Address, false) {
		return "", false
	}
	for _, r := range a.Address {
		if r > unicode.MaxASCII || r == ' ' {
			return "", false
		}
	}
	return a.Address, true
}

// validate judges f; an empty list means it may be sent. The topic may be
// empty (sent as "other").
func (f form) validate() []problem {
	var ps []problem
	check := func(field, v string, max int, multiline bool) bool {
		switch {
		case badChars(v, multiline):
			ps = append(ps, problem{Field: field, ID: "contact_error_characters"})
		case utf8.RuneCountInString(v) > max:
			ps = append(ps, problem{Field: field, ID: "contact_error_too_long", Max: max})
		default:
			return true
		}
		return false
	}
	if f.Message == "" {
		ps = append(ps, problem{Field: fieldMessage, ID: "contact_error_message_required"})
	} else {
		check(fieldMessage, f.Message, MaxMessage, true)
	}
	check(fieldName, f.Name, MaxName, false)
	if check(fieldEmail, f.Email, MaxEmail, false) && f.Email != "" {
		if _, ok := replyTo(f.Email); !ok {
			ps = append(ps, problem{Field: fieldEmail, ID: "contact_error_email"})
		}
	}
	if check(fieldPhone, f.Phone, MaxPhone, false) && f.Phone != "" && !validPhone(f.Phone) {
		ps = append(ps, problem{Field: fieldPhone, ID: "contact_error_phone"})
	}
	if f.Topic != "" && !slices.Contains(Topics, f.Topic) {
		ps = append(ps, problem{Field: fieldTopic, ID: "contact_error_topic"})
	}
	check(fieldSafe, f.Safe, MaxSafe, true)
	return ps
}

// tooFast reports a form filled faster than a person can: contact.js puts
// the time spent on the page in "elapsed". Measuring on the visitor's side
// avoids comparing two clocks. No value (no JavaScript) is no evidence.
func (f form) tooFast(min time.Duration) bool {
	if f.Elapsed == "" {
		return false
	}
	ms, err := strconv.ParseInt(f.Elapsed, 10, 64)
	return err != nil || ms < min.Milliseconds()
}

// topic is the topic to send: "other" when none was chosen.
func (f form) topic() string {
	if f.Topic == "" {
		return "other"
	}
	return f.Topic
}
