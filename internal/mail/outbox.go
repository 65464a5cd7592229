package mail

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/mail"
	"os"
	"path/filepath"
	"time"
)

// Outbox writes each message as a .eml file into a folder: the local stand-in
// for an SMTP server, so the site runs with no mail account at all.
type Outbox struct {
	dir    string
	from   *mail.Address
	logger *slog.Logger
	now    func() time.Time
}

// NewOutbox creates dir (private to the user) and logs where mail will go.
func NewOutbox(dir, from string, logger *slog.Logger) (*Outbox, error) {
	fromAddr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: MAIL_FROM: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("mail: outbox: %w", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, fmt.Errorf("mail: outbox: %w", err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger.Info("mail: no SMTP_URL, messages go to the outbox", "dir", abs)
	return &Outbox{dir: abs, from: fromAddr, logger: logger, now: time.Now}, nil
}

// Send checks m and writes it to a new file; the log names the folder only.
func (o *Outbox) Send(ctx context.Context, m Message) error {
	p, err := check(m)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	now := o.now()
	name := filepath.Join(o.dir, now.UTC().Format("20060102T150405Z")+"-"+rand.Text()[:8]+".eml")
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("mail: outbox: %w", err)
	}
	if _, err := build(o.from, p, now).WriteTo(f); err != nil {
		f.Close()
		os.Remove(name)
		return fmt.Errorf("mail: outbox: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(name)
		return fmt.Errorf("mail: outbox: %w", err)
	}
	o.logger.Info("mail: message written to the outbox", "dir", o.dir)
	return nil
}
