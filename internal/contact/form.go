package contact

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/payoke/site/internal/siteconfig"
)

// The form's topics and fields, their kinds and limits, are config.toml's
// [params.forms.contact] (siteconfig.ContactForm), the description the
// site's form is made from (layouts/_partials/forms/contact.html): the
// server counts again, since a form can be posted without a browser.

// The fields the handler gives a meaning: it mails them to staff, answers
// the address and checks the phone number. config.toml may leave one out
// (the mail then says it was not given), never add one (New refuses it:
// what was typed would not reach staff).
const (
	fieldMessage = "message" // described, and required: the mail is about it
	fieldName    = "name"
	fieldEmail   = "email"
	fieldPhone   = "phone"
	fieldSafe    = "safe_contact"
)

// The fields of the form's fixed part (the partial writes them).
const (
	fieldTopic   = "topic"
	fieldLang    = "lang"
	fieldWebsite = "website" // honeypot: people never see it, robots fill it
	fieldElapsed = "elapsed" // milliseconds on the page, set by contact.js
)

// mailed are the described fields the staff mail carries.
var mailed = []string{fieldMessage, fieldName, fieldEmail, fieldPhone, fieldSafe}

// checkForm says what keeps the handler from using d: it mails every
// field it reads, needs the message, and sends a form without a topic as
// "other".
func checkForm(d siteconfig.ContactForm) error {
	if !d.Described() {
		return errors.New("config.toml has no [params.forms.contact], the contact form's description")
	}
	for _, f := range d.Fields {
		if !slices.Contains(mailed, f.Name) {
			return fmt.Errorf("config.toml: params.forms.contact: the function does not mail a field %q (internal/contact mails %s)", f.Name, strings.Join(mailed, ", "))
		}
	}
	if m, ok := d.Field(fieldMessage); !ok || !m.Required {
		return fmt.Errorf("config.toml: params.forms.contact: the field %q must be there, and required", fieldMessage)
	}
	if !slices.Contains(d.Topics, "other") {
		return errors.New(`config.toml: params.forms.contact: the topics must include "other", sent when none was chosen`)
	}
	return nil
}

// postedNames are the names the form posts: d's fields and the fixed part.
func postedNames(d siteconfig.ContactForm) []string {
	names := []string{fieldTopic, fieldLang, fieldWebsite, fieldElapsed}
	for _, f := range d.Fields {
		names = append(names, f.Name)
	}
	return names
}

// form is what a visitor sent, cleaned (CRLF → LF in a textarea, outer
// spaces trimmed) but not yet judged.
type form struct {
	Values                        map[string]string // d's fields by name
	Topic, Lang, Website, Elapsed string
}

// problem is one thing wrong with the form, not yet localized.
type problem struct {
	Field string // a field name, or "" for the form as a whole
	ID    string // i18n key
	Max   int    // for contact_error_too_long
}

// parseForm reads v as d describes the form.
func parseForm(d siteconfig.ContactForm, v url.Values) form {
	multi := func(k string) string {
		return strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(v.Get(k), "\r\n", "\n"), "\r", "\n"))
	}
	one := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	f := form{
		Values: map[string]string{}, Topic: one(fieldTopic),
		Lang: one(fieldLang), Website: v.Get(fieldWebsite), Elapsed: one(fieldElapsed),
	}
	for _, field := range d.Fields {
		if field.Multiline() {
			f.Values[field.Name] = multi(field.Name)
		} else {
			f.Values[field.Name] = one(field.Name)
		}
	}
	return f
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

// validate judges f against d, in the form's order; an empty list means it
// may be sent. The topic may be empty (sent as "other"). A required field
// left empty says contact_error_<name>_required.
func (f form) validate(d siteconfig.ContactForm) []problem {
	var ps []problem
	if f.Topic != "" && !slices.Contains(d.Topics, f.Topic) {
		ps = append(ps, problem{Field: fieldTopic, ID: "contact_error_topic"})
	}
	for _, field := range d.Fields {
		v := f.Values[field.Name]
		switch {
		case v == "" && field.Required:
			ps = append(ps, problem{Field: field.Name, ID: "contact_error_" + field.Name + "_required"})
		case badChars(v, field.Multiline()):
			ps = append(ps, problem{Field: field.Name, ID: "contact_error_characters"})
		case utf8.RuneCountInString(v) > field.MaxLength:
			ps = append(ps, problem{Field: field.Name, ID: "contact_error_too_long", Max: field.MaxLength})
		case v == "":
		case field.Name == fieldEmail:
			if _, ok := replyTo(v); !ok {
				ps = append(ps, problem{Field: fieldEmail, ID: "contact_error_email"})
			}
		case field.Name == fieldPhone && !validPhone(v):
			ps = append(ps, problem{Field: fieldPhone, ID: "contact_error_phone"})
		}
	}
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
