package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/textproto"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// smtpTimeout bounds a whole delivery (connect, TLS, login, send), so a stuck
// server turns into an error page with the text kept well before Netlify
// stops the function at 10 s. Callers may give a shorter context.
const smtpTimeout = 5 * time.Second

// SMTP sends each message over its own connection; it holds no state
// between messages, so it suits a short-lived function.
type SMTP struct {
	from *mail.Address
	opts []gomail.Option
	host string
	tls  *tls.Config // smtps: TLS from the first byte
	now  func() time.Time
}

// NewSMTP parses rawURL and from once.
//
//	smtp://user:pass@host:587   STARTTLS required (port 587 by default)
//	smtps://user:pass@host:465  TLS from the first byte (port 465 by default)
//
// On a loopback host (a local test server) smtp:// uses STARTTLS only when
// offered. The query ?tls=mandatory|opportunistic|none overrides the policy.
// User and password are optional; with them, SCRAM is preferred, then PLAIN
// or LOGIN (over TLS only, or to a loopback host).
func NewSMTP(rawURL, from string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url's error repeats the URL, password included: keep it out.
		return nil, fmt.Errorf("mail: SMTP_URL is not a URL")
	}
	fromAddr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: MAIL_FROM: %w", err)
	}
	host := u.Hostname()
	if host == "" {
		return nil, fmt.Errorf("mail: SMTP_URL has no host")
	}
	opts := []gomail.Option{gomail.WithTimeout(smtpTimeout)}
	var implicitTLS *tls.Config
	port := 0
	if p := u.Port(); p != "" {
		port, err = strconv.Atoi(p)
		if err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("mail: SMTP_URL has a bad port")
		}
	}
	switch u.Scheme {
	case "smtps":
		if port == 0 {
			port = 465
		}
		opts = append(opts, gomail.WithSSL())
		implicitTLS = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	case "smtp":
		if port == 0 {
			port = 587
		}
		policy := gomail.TLSMandatory
		if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
			policy = gomail.TLSOpportunistic
		}
		switch u.Query().Get("tls") {
		case "":
		case "mandatory":
			policy = gomail.TLSMandatory
		case "opportunistic":
			policy = gomail.TLSOpportunistic
		case "none":
			policy = gomail.NoTLS
		default:
			return nil, fmt.Errorf("mail: SMTP_URL tls= must be mandatory, opportunistic or none")
		}
		opts = append(opts, gomail.WithTLSPolicy(policy))
	default:
		return nil, fmt.Errorf("mail: SMTP_URL scheme must be smtp or smtps, not %q", u.Scheme)
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil {
		pass, _ := u.User.Password()
		// PLAIN and LOGIN refuse to send the password unencrypted
		// except to a loopback host (a local test server).
		opts = append(opts, gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthSCRAMSHA256,
			gomail.SMTPAuthSCRAMSHA1, gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	// Check the options now, so a bad setting fails at start, not per message.
	if _, err := gomail.NewClient(host, opts...); err != nil {
		return nil, fmt.Errorf("mail: SMTP_URL: %w", err)
	}
	return &SMTP{from: fromAddr, opts: opts, host: host, tls: implicitTLS, now: time.Now}, nil
}

// Send checks m and delivers it within ctx and smtpTimeout; the error names
// no content of m.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	p, err := check(m)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, smtpTimeout)
	defer cancel()
	deadline, _ := ctx.Deadline()
	remaining := time.Until(deadline)
	if remaining <= 0 {
		return fmt.Errorf("mail: send via %s: %w", s.host, context.DeadlineExceeded)
	}
	// go-mail's timeout covers each step, not the delivery as a whole, and
	// its reads ignore ctx: the dialer closes the connection when ctx ends.
	dial := func(dctx context.Context, network, addr string) (net.Conn, error) {
		d := &net.Dialer{}
		var conn net.Conn
		var err error
		if s.tls != nil {
			conn, err = (&tls.Dialer{NetDialer: d, Config: s.tls}).DialContext(dctx, network, addr)
		} else {
			conn, err = d.DialContext(dctx, network, addr)
		}
		if err == nil {
			context.AfterFunc(ctx, func() { conn.Close() })
		}
		return conn, err
	}
	opts := append(slices.Clip(s.opts), gomail.WithTimeout(remaining), gomail.WithDialContextFunc(dial))
	c, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return fmt.Errorf("mail: %w", err)
	}
	sc, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return sendError("dial", err)
	}
	if err := c.SendWithSMTPClient(sc, build(s.from, p, s.now())); err != nil {
		return sendError("send", err)
	}
	// The server has the message: a failed QUIT changes nothing for it.
	c.CloseWithSMTPClient(sc)
	return nil
}

// SendError is a failed delivery, told without a word the server or go-mail
// said: a server's reply may quote an address, and go-mail's error lists the
// "affected recipient(s)" (a donor's address, say). Logs get only this.
type SendError struct {
	Stage     string // dial (connect, TLS, greeting), auth or send
	Code      int    // the SMTP reply code, 0 if there was none
	Temporary bool   // worth trying again later (a 4xx reply, a timeout, a network error)
}

func (e *SendError) Error() string {
	s := "mail: smtp " + e.Stage + " failed"
	if e.Code != 0 {
		s += " with code " + strconv.Itoa(e.Code)
	}
	if e.Temporary {
		s += " (temporary)"
	}
	return s
}

// sendError reads err's code and nature, then lets go of its text.
func sendError(stage string, err error) *SendError {
	e := &SendError{Stage: stage}
	var tp *textproto.Error
	var ge *gomail.SendError
	var ne net.Error
	switch {
	case errors.As(err, &ge):
		e.Code, e.Temporary = ge.ErrorCode(), ge.IsTemp()
	case errors.As(err, &tp):
		e.Code = tp.Code
	}
	if e.Code >= 400 && e.Code < 500 || errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) {
		e.Temporary = true
	}
	// go-mail's login errors say "SMTP AUTH", or "…AuthNotSupported";
	// 530, 534, 535 and 538 are the replies about logging in.
	if stage == "dial" && (strings.Contains(err.Error(), "AUTH") || strings.Contains(err.Error(), "auth") ||
		e.Code == 530 || e.Code == 534 || e.Code == 535 || e.Code == 538) {
		e.Stage = "auth"
	}
	return e
}
