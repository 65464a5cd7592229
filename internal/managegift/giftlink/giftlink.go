// Package giftlink makes and checks the links that let a monthly donor open
// their own Stripe Billing Portal without an account: an HMAC-SHA256 of the
// Stripe customer, the language and an expiry, under MANAGE_GIFT_SECRET.
//
// The manage-gift function mails these links on request, and the webhook
// puts one in the monthly thank-you mail; GET /api/manage-gift?t=… checks
// one and opens the portal. A link holds no address and no amount: only the
// customer id (cus_…), which is of no use without Payoke's Stripe key.
//
// A link is not single-use. Mail scanners (Outlook Safe Links, Gmail, corporate
// gateways) fetch links before the donor does, so a link that died on its
// first GET would often be dead when the donor clicks it; and a replayed link
// only opens the same donor's portal, as the donor could themselves. Its short
// life (params.donation.manageLinkHours in config.toml) bounds that.
package giftlink

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// MinSecret is the shortest MANAGE_GIFT_SECRET accepted, in bytes
// (`openssl rand -base64 32` gives 44).
const MinSecret = 32

// maxToken bounds what Verify looks at; a real token is about 90 bytes.
const maxToken = 256

var (
	// ErrNoSecret: MANAGE_GIFT_SECRET is not set.
	ErrNoSecret = errors.New("MANAGE_GIFT_SECRET is not set")
	// ErrShortSecret: MANAGE_GIFT_SECRET is too short to sign with.
	ErrShortSecret = errors.New("MANAGE_GIFT_SECRET is shorter than 32 bytes")
	// ErrForged: not a link we made (changed, cut short, another secret).
	ErrForged = errors.New("giftlink: not a valid link")
	// ErrExpired: a link we made, past its lifetime. Verify still returns
	// its claims, so the donor can be sent a new one.
	ErrExpired = errors.New("giftlink: link expired")
)

// Claims are what a link says.
type Claims struct {
	Customer string // Stripe customer id, cus_…
	Lang     string // the language the portal and its return page use
	Expires  time.Time
}

// Signer makes and checks links with one secret.
type Signer struct {
	key      []byte
	lifetime time.Duration
}

// New returns a Signer for secret (at least MinSecret bytes) whose links
// work for lifetime.
func New(secret string, lifetime time.Duration) (*Signer, error) {
	secret = strings.TrimSpace(secret)
	switch {
	case secret == "":
		return nil, ErrNoSecret
	case len(secret) < MinSecret:
		return nil, ErrShortSecret
	}
	if lifetime <= 0 {
		return nil, errors.New("giftlink: a link must work for some time")
	}
	return &Signer{key: []byte(secret), lifetime: lifetime}, nil
}

// FromEnv reads MANAGE_GIFT_SECRET.
func FromEnv(getenv func(string) string, lifetime time.Duration) (*Signer, error) {
	return New(getenv("MANAGE_GIFT_SECRET"), lifetime)
}

// Lifetime is how long a link works.
func (s *Signer) Lifetime() time.Duration { return s.lifetime }

const version = "v1"

var (
	customerID = regexp.MustCompile(`^cus_[A-Za-z0-9]{1,64}$`)
	langCode   = regexp.MustCompile(`^[a-z]{2,3}$`)
)

// Token signs customer and lang for the Signer's lifetime from now.
// The token is "v1.<customer>.<lang>.<unix expiry>.<base64url HMAC>",
// all of it URL-safe.
func (s *Signer) Token(customer, lang string, now time.Time) (string, error) {
	if !customerID.MatchString(customer) || !langCode.MatchString(lang) {
		return "", errors.New("giftlink: bad customer id or language")
	}
	payload := version + "." + customer + "." + lang + "." + strconv.FormatInt(now.Add(s.lifetime).Unix(), 10)
	return payload + "." + base64.RawURLEncoding.EncodeToString(s.mac(payload)), nil
}

// URL is the link for customer and lang: siteURL/api/manage-gift?t=….
func (s *Signer) URL(siteURL, customer, lang string, now time.Time) (string, error) {
	t, err := s.Token(customer, lang, now)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(siteURL, "/") + "/api/manage-gift?t=" + url.QueryEscape(t), nil
}

func (s *Signer) mac(payload string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("payoke manage-gift link\x00")) // this key signs nothing else
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// Verify checks token's signature (in constant time) and then its expiry.
// A signed but expired token returns its claims with ErrExpired; anything
// else not signed by this secret returns ErrForged and no claims.
func (s *Signer) Verify(token string, now time.Time) (Claims, error) {
	if len(token) > maxToken {
		return Claims{}, ErrForged
	}
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return Claims{}, ErrForged
	}
	payload, sig := token[:i], token[i+1:]
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac(payload)) {
		return Claims{}, ErrForged
	}
	// Signed by us: the fields are as Token wrote them, checked all the same.
	f := strings.Split(payload, ".")
	if len(f) != 4 || f[0] != version || !customerID.MatchString(f[1]) || !langCode.MatchString(f[2]) {
		return Claims{}, ErrForged
	}
	exp, err := strconv.ParseInt(f[3], 10, 64)
	if err != nil {
		return Claims{}, ErrForged
	}
	c := Claims{Customer: f[1], Lang: f[2], Expires: time.Unix(exp, 0)}
	if !now.Before(c.Expires) {
		return c, ErrExpired
	}
	return c, nil
}
