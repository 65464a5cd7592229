package giftlink

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
)

// lifetime is any link life; config.toml sets the real one.
const lifetime = 4 * time.Hour

const secret = "0123456789abcdef0123456789abcdef-test"

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func TestTokenRoundTripAndExpiry(t *testing.T) {
	t.Parallel()
	s, err := New(secret, lifetime)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Token("cus_Abc123", "fr", t0)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Verify(tok, t0.Add(lifetime-time.Second))
	if err != nil || c.Customer != "cus_Abc123" || c.Lang != "fr" || !c.Expires.Equal(t0.Add(lifetime)) {
		t.Fatalf("Verify: %+v %v", c, err)
	}
	// At its expiry and after: expired, claims still given (for a new link).
	for _, at := range []time.Time{t0.Add(lifetime), t0.Add(30 * 24 * time.Hour)} {
		c, err := s.Verify(tok, at)
		if !errors.Is(err, ErrExpired) || c.Customer != "cus_Abc123" {
			t.Errorf("at %v: %+v %v, want ErrExpired with claims", at, c, err)
		}
	}
	u, _ := s.URL("https://example.org/", "cus_Abc123", "fr", t0)
	if !strings.HasPrefix(u, "https://example.org/api/manage-gift?t=v1.cus_Abc123.fr.") || strings.ContainsAny(u[len("https://example.org/api/manage-gift?t="):], "%+/=") {
		t.Errorf("URL %q", u)
	}
}

func TestForgedTokens(t *testing.T) {
	t.Parallel()
	s, _ := New(secret, lifetime)
	other, _ := New(secret+"-other", lifetime)
	tok, _ := s.Token("cus_A1", "nl", t0)
	exp := strings.Split(tok, ".")[3] // v1.cus_A1.nl.<expiry>.<mac>
	mac := tok[strings.LastIndexByte(tok, '.')+1:]
	fromOther, _ := other.Token("cus_A1", "nl", t0)
	raw, _ := base64.RawURLEncoding.DecodeString(mac)
	raw[0] ^= 1
	for name, forged := range map[string]string{
		"other customer":    strings.Replace(tok, "cus_A1", "cus_A2", 1),
		"other language":    strings.Replace(tok, ".nl.", ".fr.", 1),
		"later expiry":      strings.Replace(tok, exp, "9"+exp, 1),
		"other secret":      fromOther,
		"one bit of mac":    tok[:strings.LastIndexByte(tok, '.')+1] + base64.RawURLEncoding.EncodeToString(raw),
		"mac cut short":     tok[:len(tok)-2],
		"no mac":            tok[:strings.LastIndexByte(tok, '.')],
		"padded mac":        tok + "=",
		"empty":             "",
		"dots only":         "....",
		"other version":     strings.Replace(tok, "v1.", "v2.", 1),
		"long":              tok + strings.Repeat("A", 300),
		"mac of empty text": "." + base64.RawURLEncoding.EncodeToString(s.mac("")),
	} {
		if c, err := s.Verify(forged, t0); !errors.Is(err, ErrForged) || c != (Claims{}) {
			t.Errorf("%s: %+v %v, want ErrForged and no claims", name, c, err)
		}
	}
}

func TestSecrets(t *testing.T) {
	t.Parallel()
	if _, err := New("", lifetime); !errors.Is(err, ErrNoSecret) {
		t.Errorf("empty: %v", err)
	}
	if _, err := New("   ", lifetime); !errors.Is(err, ErrNoSecret) {
		t.Errorf("blank: %v", err)
	}
	if _, err := New(strings.Repeat("x", MinSecret-1), lifetime); !errors.Is(err, ErrShortSecret) {
		t.Errorf("short: %v", err)
	}
	s, _ := New(secret, lifetime)
	for _, bad := range [][2]string{{"cus_1.x", "nl"}, {"pi_1", "nl"}, {"cus_1", "NL"}, {"cus_1", "nl.x"}, {"", "nl"}} {
		if _, err := s.Token(bad[0], bad[1], t0); err == nil {
			t.Errorf("Token(%q, %q) made a token", bad[0], bad[1])
		}
	}
}
