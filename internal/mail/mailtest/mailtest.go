// Package mailtest runs a real SMTP server (github.com/emersion/go-smtp) on
// 127.0.0.1 inside a test, so tests check what a mail server really receives.
package mailtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one message as the server got it.
type Received struct {
	From   string   // envelope sender (MAIL FROM)
	To     []string // envelope recipients (RCPT TO)
	Data   []byte   // the raw message
	Header mail.Header
	Body   []byte // raw body, still transfer-encoded
}

// Server is an SMTP server for one test. It accepts PLAIN auth with the user
// and password in URL() and refuses any other.
type Server struct {
	Addr     string
	User     string
	Password string

	mu       sync.Mutex
	received []Received
	fail     error
	failNext error // FailAfter: refuse one message once failIn more are accepted
	failIn   int
	refused  []string // recipients refused at RCPT TO
	srv      *smtp.Server
	ln       net.Listener
}

// New starts a server on 127.0.0.1:0 and stops it when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), User: "website", Password: "s3cret pass", ln: ln}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{s: s}, nil
	}))
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.MaxMessageBytes = 1 << 20
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

// URL is the SMTP_URL that reaches this server, with credentials.
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", User: url.UserPassword(s.User, s.Password), Host: s.Addr}
	return u.String()
}

// FailWith makes the server refuse every message with err (nil: accept again).
func (s *Server) FailWith(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = err
}

// FailAfter makes the server accept n more messages, then refuse the next
// one with err (a 451, as a busy server does), then accept again: a mail
// server that fails between two mails of one delivery.
func (s *Server) FailAfter(n int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext, s.failIn = err, n
}

// RefuseRecipient makes the server refuse addr at RCPT TO with a permanent
// error that quotes the address, as real servers do.
func (s *Server) RefuseRecipient(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refused = append(s.refused, addr)
}

// Close stops the server: later connections are refused, as when it is down.
// The listener is closed here too, as Serve may not have taken it yet.
func (s *Server) Close() {
	s.srv.Close()
	s.ln.Close()
}

// Messages returns what has been received so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// Wait returns the n-th message (from 1), waiting up to five seconds: the
// client may return before the server has stored it.
func (s *Server) Wait(t testing.TB, n int) Received {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if m := s.Messages(); len(m) >= n {
			return m[n-1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("SMTP server got %d messages, want %d", len(s.Messages()), n)
	return Received{}
}

// Decoded is a received message as a reader sees it: recipients, the
// decoded subject, Reply-To and the quoted-printable body decoded.
type Decoded struct{ To, Subject, ReplyTo, Body string }

// Exactly waits for n messages, leaves room for an unwanted extra one to
// arrive, and returns them decoded; it fails unless there are exactly n.
func (s *Server) Exactly(t testing.TB, n int) []Decoded {
	t.Helper()
	if n > 0 {
		s.Wait(t, n)
	}
	time.Sleep(50 * time.Millisecond)
	var out []Decoded
	dec := new(mime.WordDecoder)
	for _, m := range s.Messages() {
		subj, _ := dec.DecodeHeader(m.Header.Get("Subject"))
		body, _ := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(m.Body)))
		out = append(out, Decoded{To: strings.Join(m.To, ","), Subject: subj, ReplyTo: m.Header.Get("Reply-To"), Body: string(body)})
	}
	if len(out) != n {
		t.Fatalf("%d mails, want %d: %+v", len(out), n, out)
	}
	return out
}

type session struct {
	s      *Server
	authed bool
	from   string
	to     []string
}

func (se *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (se *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != se.s.User || pass != se.s.Password {
			return smtp.ErrAuthFailed
		}
		se.authed = true
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if !se.authed {
		return smtp.ErrAuthRequired
	}
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.s.mu.Lock()
	defer se.s.mu.Unlock()
	for _, r := range se.s.refused {
		if strings.EqualFold(r, to) {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<" + to + ">: Recipient address rejected"}
		}
	}
	se.to = append(se.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	se.s.mu.Lock()
	defer se.s.mu.Unlock()
	if se.s.fail != nil {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: se.s.fail.Error()}
	}
	if se.s.failNext != nil {
		if se.s.failIn == 0 {
			err := se.s.failNext
			se.s.failNext = nil
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: err.Error()}
		}
		se.s.failIn--
	}
	msg, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("unparsable message: %w", err)
	}
	body, _ := io.ReadAll(msg.Body)
	se.s.received = append(se.s.received, Received{From: se.from, To: se.to, Data: b, Header: msg.Header, Body: body})
	return nil
}

func (se *session) Reset()        { se.from, se.to = "", nil }
func (se *session) Logout() error { return nil }

// ErrRefused is a handy error for FailWith.
var ErrRefused = errors.New("mailbox unavailable")

// Silent returns an SMTP_URL whose server accepts connections and never
// says a word, as a stuck mail server does. It stops when the test ends.
func Silent(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return (&url.URL{Scheme: "smtp", User: url.UserPassword("website", "s3cret pass"), Host: ln.Addr().String()}).String()
}
