// Package mail sends the functions' plain-text e-mails: by SMTP in production,
// or into a local outbox folder of .eml files when no SMTP server is set.
//
// The From address is fixed by configuration and recipients are fixed
// addresses; a visitor's address may only appear as Reply-To, so no visitor
// text reaches an SMTP envelope or a header other than a checked subject.
package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"unicode"
)

// Message is a plain-text e-mail; From is fixed by the Sender (MAIL_FROM).
type Message struct {
	To      []string // fixed addresses only
	ReplyTo string   // optional, already parsed with net/mail
	Subject string   // must contain no CR/LF (Send rejects it)
	Body    string   // plain text
}

// Sender delivers a Message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// ErrInvalidMessage wraps every reason Send refuses a message before trying
// to deliver it; the text never holds the message's content.
var ErrInvalidMessage = errors.New("mail: invalid message")

// defaultOutboxFrom is the From of outbox messages when MAIL_FROM is unset;
// outbox files are never sent, so a placeholder is enough.
const defaultOutboxFrom = "website@localhost"

// FromEnv reads SMTP_URL, MAIL_FROM and OUTBOX_DIR.
//
// SMTP_URL set (smtp://user:pass@host:port, smtps://user:pass@host:port) gives
// an SMTP sender; MAIL_FROM is then required. SMTP_URL unset gives an outbox
// writing one .eml file per message into OUTBOX_DIR (default "outbox").
func FromEnv(getenv func(string) string, logger *slog.Logger) (Sender, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	rawURL := strings.TrimSpace(getenv("SMTP_URL"))
	from := strings.TrimSpace(getenv("MAIL_FROM"))
	if rawURL == "" {
		if from == "" {
			from = defaultOutboxFrom
		}
		dir := getenv("OUTBOX_DIR")
		if dir == "" {
			dir = "outbox"
		}
		return NewOutbox(dir, from, logger)
	}
	if from == "" {
		return nil, errors.New("mail: MAIL_FROM is required when SMTP_URL is set")
	}
	return NewSMTP(rawURL, from)
}

// parsed holds a message whose addresses have been checked.
type parsed struct {
	to      []*mail.Address
	replyTo *mail.Address
	subject string
	body    string
}

// check validates m; errors name the field, never its value.
func check(m Message) (parsed, error) {
	var p parsed
	if len(m.To) == 0 {
		return p, fmt.Errorf("%w: no recipient", ErrInvalidMessage)
	}
	for _, t := range m.To {
		a, err := mail.ParseAddress(t)
		if err != nil {
			return p, fmt.Errorf("%w: bad To address", ErrInvalidMessage)
		}
		p.to = append(p.to, a)
	}
	if m.ReplyTo != "" {
		a, err := mail.ParseAddress(m.ReplyTo)
		if err != nil {
			return p, fmt.Errorf("%w: bad Reply-To address", ErrInvalidMessage)
		}
		p.replyTo = a
	}
	if strings.ContainsFunc(m.Subject, unicode.IsControl) {
		return p, fmt.Errorf("%w: control character in subject", ErrInvalidMessage)
	}
	if strings.TrimSpace(m.Subject) == "" {
		return p, fmt.Errorf("%w: empty subject", ErrInvalidMessage)
	}
	p.subject = m.Subject
	p.body = m.Body
	return p, nil
}

// Recipients reads a list of staff addresses such as CONTACT_TO: one
// address or several separated by commas ("a@x.test, Staff <b@x.test>"),
// by RFC 5322's address-list rules, so a quoted name may hold a comma. It
// returns the bare addresses. The one parser for CONTACT_TO everywhere; the
// error names no address.
func Recipients(raw string) ([]string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, fmt.Errorf("%w: no address", ErrInvalidMessage)
	}
	list, err := mail.ParseAddressList(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: not a comma-separated list of e-mail addresses", ErrInvalidMessage)
	}
	out := make([]string, 0, len(list))
	for _, a := range list {
		out = append(out, a.Address)
	}
	return out, nil
}
