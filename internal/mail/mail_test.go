package mail_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/payoke/site/internal/mail"
	"github.com/payoke/site/internal/mail/mailtest"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func decodeBody(t *testing.T, b []byte) string {
	t.Helper()
	out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(b)))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestSMTPSendsHeadersAndBody(t *testing.T) {
	t.Parallel()
	srv := mailtest.New(t)
	s, err := mail.FromEnv(env(map[string]string{"SMTP_URL": srv.URL(), "MAIL_FROM": "Payoke website <website@payoke.be>"}), nil)
	if err != nil {
		t.Fatal(err)
	}
	body := "Bonjour,\nune ligne très longue " + strings.Repeat("é", 100) + "\nFin."
	err = s.Send(context.Background(), mail.Message{
		To: []string{"staff@payoke.be"}, ReplyTo: "Zoë <zoe@example.org>",
		Subject: "Contact : aide – Zoë", Body: body,
	})
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Wait(t, 1)
	if got.From != "website@payoke.be" || len(got.To) != 1 || got.To[0] != "staff@payoke.be" {
		t.Errorf("envelope = %q → %q", got.From, got.To)
	}
	dec := new(mime.WordDecoder)
	for h, want := range map[string]string{
		"From": `"Payoke website" <website@payoke.be>`, "To": "<staff@payoke.be>",
		"Subject": "Contact : aide – Zoë", "Content-Type": "text/plain; charset=UTF-8",
		"Content-Transfer-Encoding": "quoted-printable",
	} {
		v, err := dec.DecodeHeader(got.Header.Get(h))
		if err != nil || v != want {
			t.Errorf("%s = %q (%v), want %q", h, v, err, want)
		}
	}
	if rt, err := got.Header.AddressList("Reply-To"); err != nil || len(rt) != 1 || rt[0].Address != "zoe@example.org" || rt[0].Name != "Zoë" {
		t.Errorf("Reply-To = %v (%v)", rt, err)
	}
	if id := got.Header.Get("Message-Id"); !strings.HasSuffix(id, "@payoke.be>") {
		t.Errorf("Message-ID = %q", id)
	}
	if _, err := got.Header.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	if got.Header.Get("User-Agent") != "" || got.Header.Get("X-Mailer") != "" {
		t.Errorf("mailer advertised: %q %q", got.Header.Get("User-Agent"), got.Header.Get("X-Mailer"))
	}
	if b := strings.TrimSuffix(strings.ReplaceAll(decodeBody(t, got.Body), "\r\n", "\n"), "\n"); b != body {
		t.Errorf("body = %q, want %q", b, body)
	}
}

func TestSendRejectsBadMessages(t *testing.T) {
	t.Parallel()
	srv := mailtest.New(t)
	s, err := mail.NewSMTP(srv.URL(), "website@payoke.be")
	if err != nil {
		t.Fatal(err)
	}
	ok := mail.Message{To: []string{"staff@payoke.be"}, Subject: "Hello", Body: "x"}
	for name, edit := range map[string]func(*mail.Message){
		"no recipient": func(m *mail.Message) { m.To = nil },
		"bad to":       func(m *mail.Message) { m.To = []string{"staff@payoke.be\r\nBcc: x@evil.test"} },
		"bad reply-to": func(m *mail.Message) { m.ReplyTo = "a@b.c\r\nBcc: x@evil.test" },
		"CRLF subject": func(m *mail.Message) { m.Subject = "Hi\r\nBcc: x@evil.test" },
		"LF subject":   func(m *mail.Message) { m.Subject = "Hi\nBcc: x@evil.test" },
		"CR subject":   func(m *mail.Message) { m.Subject = "Hi\rBcc: x@evil.test" },
		"NUL subject":  func(m *mail.Message) { m.Subject = "Hi\x00" },
		"empty":        func(m *mail.Message) { m.Subject = " " },
	} {
		m := ok
		edit(&m)
		err := s.Send(context.Background(), m)
		if !errors.Is(err, mail.ErrInvalidMessage) {
			t.Errorf("%s: err = %v, want ErrInvalidMessage", name, err)
		}
		if err != nil && strings.Contains(err.Error(), "evil") {
			t.Errorf("%s: error repeats the content: %v", name, err)
		}
	}
	if err := s.Send(context.Background(), ok); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Wait(t, 1).To); n != 1 || len(srv.Messages()) != 1 {
		t.Errorf("server got %d messages", len(srv.Messages()))
	}
}

// Errors carry a stage, the SMTP code and whether to retry, and never what
// the server or go-mail said: a refused recipient's address stays out.
func TestSendErrorsHoldNoAddress(t *testing.T) {
	t.Parallel()
	donor := "donor.private@example.org"
	refusing := mailtest.New(t)
	refusing.RefuseRecipient(donor)
	busy := mailtest.New(t)
	busy.FailWith(mailtest.ErrRefused)
	down := mailtest.New(t)
	down.Close()
	wrongPass := mailtest.New(t)
	u, _ := url.Parse(wrongPass.URL())
	u.User = url.UserPassword("website", "wrong")
	for name, c := range map[string]struct {
		url  string
		want mail.SendError
	}{
		"refused recipient": {refusing.URL(), mail.SendError{Stage: "send", Code: 550}},
		"busy":              {busy.URL(), mail.SendError{Stage: "send", Code: 451, Temporary: true}},
		"down":              {down.URL(), mail.SendError{Stage: "dial", Temporary: true}},
		"wrong password":    {u.String(), mail.SendError{Stage: "auth", Code: 535}},
	} {
		s, err := mail.NewSMTP(c.url, "website@payoke.be")
		if err != nil {
			t.Fatal(err)
		}
		err = s.Send(context.Background(), mail.Message{To: []string{donor}, ReplyTo: "zoe@example.org", Subject: "Dank u", Body: "x"})
		se, ok := errors.AsType[*mail.SendError](err)
		if !ok || *se != c.want {
			t.Errorf("%s: %#v, want %#v", name, err, c.want)
		}
		if err != nil && (strings.Contains(err.Error(), "donor") || strings.Contains(err.Error(), "zoe") || strings.Contains(err.Error(), "@")) {
			t.Errorf("%s: the error holds an address: %v", name, err)
		}
		if err != nil && (strings.Contains(err.Error(), "wrong") || strings.Contains(err.Error(), "s3cret")) {
			t.Errorf("%s: the error holds the password: %v", name, err)
		}
	}
}

func TestFromEnvConfig(t *testing.T) {
	t.Parallel()
	for name, e := range map[string]map[string]string{
		"no MAIL_FROM":   {"SMTP_URL": "smtp://h:25"},
		"bad MAIL_FROM":  {"SMTP_URL": "smtp://h:25", "MAIL_FROM": "not an address"},
		"bad scheme":     {"SMTP_URL": "http://h:25", "MAIL_FROM": "a@b.c"},
		"no host":        {"SMTP_URL": "smtp://:25", "MAIL_FROM": "a@b.c"},
		"bad port":       {"SMTP_URL": "smtp://h:99999", "MAIL_FROM": "a@b.c"},
		"bad tls":        {"SMTP_URL": "smtp://h:25?tls=maybe", "MAIL_FROM": "a@b.c"},
		"not a URL":      {"SMTP_URL": "smtp://u:p@h:25/%zz", "MAIL_FROM": "a@b.c"},
		"bad outbox dir": {"OUTBOX_DIR": "/proc/no/such/place"},
	} {
		if _, err := mail.FromEnv(env(e), nil); err == nil {
			t.Errorf("%s: no error", name)
		} else if strings.Contains(err.Error(), "u:p") {
			t.Errorf("%s: error holds the credentials: %v", name, err)
		}
	}
	for _, raw := range []string{"smtps://u:p@mail.example.org", "smtp://mail.example.org?tls=none", "smtp://u:p@mail.example.org:2525"} {
		if _, err := mail.FromEnv(env(map[string]string{"SMTP_URL": raw, "MAIL_FROM": "a@b.c"}), nil); err != nil {
			t.Errorf("%s: %v", raw, err)
		}
	}
}

func TestOutboxWritesEML(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "outbox")
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	s, err := mail.FromEnv(env(map[string]string{"OUTBOX_DIR": dir}), logger)
	if err != nil {
		t.Fatal(err)
	}
	secret := "Geheime boodschap van Anna"
	for range 2 {
		if err := s.Send(context.Background(), mail.Message{To: []string{"staff@payoke.be"}, ReplyTo: "anna@example.org", Subject: "Contact: Anna", Body: secret}); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != 2 {
		t.Fatalf("outbox holds %d .eml files, want 2", len(files))
	}
	fi, _ := os.Stat(files[0])
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(files[0])
	for _, want := range []string{"From: <website@localhost>", "To: <staff@payoke.be>", "Reply-To: <anna@example.org>", "Subject: Contact: Anna", secret} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf(".eml lacks %q:\n%s", want, b)
		}
	}
	abs, _ := filepath.Abs(dir)
	if !strings.Contains(logs.String(), abs) {
		t.Errorf("log does not say where the outbox is: %s", logs.String())
	}
	for _, leak := range []string{"Anna", "anna@", "staff@", "Geheime"} {
		if strings.Contains(logs.String(), leak) {
			t.Errorf("log holds %q: %s", leak, logs.String())
		}
	}
}

// A server that accepts and never answers costs at most smtpTimeout, or less
// when the caller's context ends first: go-mail's reads ignore the context.
func TestSilentServerIsBounded(t *testing.T) {
	t.Parallel()
	s, err := mail.NewSMTP(mailtest.Silent(t), "website@payoke.be")
	if err != nil {
		t.Fatal(err)
	}
	m := mail.Message{To: []string{"staff@payoke.be"}, Subject: "Hello", Body: "x"}
	for _, c := range []struct {
		ctx  time.Duration
		most time.Duration
	}{{time.Second, 1500 * time.Millisecond}, {time.Minute, 6 * time.Second}} {
		ctx, cancel := context.WithTimeout(context.Background(), c.ctx)
		start := time.Now()
		err := s.Send(ctx, m)
		cancel()
		if took := time.Since(start); err == nil || took > c.most {
			t.Errorf("context %v: error %v after %v, want an error within %v", c.ctx, err, took, c.most)
		}
	}
}

// smtps:// speaks TLS from the first byte: a plain server is not mistaken for one.
func TestSMTPSDialsTLS(t *testing.T) {
	t.Parallel()
	srv := mailtest.New(t)
	s, err := mail.NewSMTP(strings.Replace(srv.URL(), "smtp://", "smtps://", 1), "website@payoke.be")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), mail.Message{To: []string{"staff@payoke.be"}, Subject: "Hello", Body: "x"}); err == nil || len(srv.Messages()) != 0 {
		t.Errorf("smtps to a plain server: %v, %d messages", err, len(srv.Messages()))
	}
}

func TestRecipients(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		"admin@payoke.be":                      "admin@payoke.be",
		" a@x.test, b@x.test ":                 "a@x.test|b@x.test",
		`"Staff, Antwerp" <a@x.test>,b@x.test`: "a@x.test|b@x.test",
		"a@x.test,,b@x.test,":                  "a@x.test|b@x.test", // stray commas are forgiven
	} {
		got, err := mail.Recipients(raw)
		if err != nil || strings.Join(got, "|") != want {
			t.Errorf("Recipients(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
	for _, raw := range []string{"", "staff at payoke", "a@x.test; b@x.test", ","} {
		if got, err := mail.Recipients(raw); err == nil {
			t.Errorf("Recipients(%q) = %q, want an error", raw, got)
		} else if raw != "" && strings.Contains(err.Error(), raw) {
			t.Errorf("error %q repeats the value", err)
		}
	}
}
