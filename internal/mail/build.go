package mail

import (
	"crypto/rand"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// build turns a checked message into a go-mail message: UTF-8, quoted-printable
// plain text, our own Message-ID (no host name of the machine in it).
func build(from *mail.Address, p parsed, now time.Time) *gomail.Msg {
	m := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8),
		gomail.WithEncoding(gomail.EncodingQP), gomail.WithNoDefaultUserAgent())
	m.FromMailAddress(from)
	m.ToMailAddress(p.to...)
	if p.replyTo != nil {
		m.ReplyToMailAddress(p.replyTo)
	}
	m.Subject(p.subject)
	m.SetDateWithValue(now)
	domain := "localhost"
	if at := strings.LastIndexByte(from.Address, '@'); at >= 0 {
		domain = from.Address[at+1:]
	}
	m.SetMessageIDWithValue(rand.Text() + "@" + domain)
	m.SetBodyString(gomail.TypeTextPlain, p.body)
	return m
}
