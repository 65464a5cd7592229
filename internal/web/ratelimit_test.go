package web

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"
)

var t0 = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)

func ipv4(i int) string { return fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255) }

// A client at its limit stays limited while 100,000 requests from other
// addresses go through a table of 1,000, and the table never grows.
func TestLimiterFloodDoesNotForgetALimitedClient(t *testing.T) {
	t.Parallel()
	l := NewLimiter(5, time.Hour, 1000)
	for i := range 5 {
		if ok, _ := l.Allow("192.0.2.7", t0.Add(time.Duration(i)*time.Second)); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	now := t0.Add(time.Minute)
	for i := range 100_000 {
		l.Allow(ipv4(i), now)
		if n := l.Len(); n > 1000 {
			t.Fatalf("after %d other requests the table holds %d clients, cap 1000", i+1, n)
		}
		if i%10_000 == 0 {
			if ok, _ := l.Allow("192.0.2.7", now); ok {
				t.Fatalf("after %d other requests the limited client was let through", i)
			}
		}
	}
	ok, retry := l.Allow("192.0.2.7", now)
	if ok || retry <= 0 || retry > time.Hour {
		t.Errorf("after 100,000 other requests: allowed %v, retry %v", ok, retry)
	}
	// Its window ends: it is let through again.
	if ok, _ := l.Allow("192.0.2.7", t0.Add(time.Hour+time.Second)); !ok {
		t.Error("still refused after its window")
	}
}

// Rotating through one /64 does not get around the limit.
func TestLimiterKeysIPv6ByTheSlash64(t *testing.T) {
	t.Parallel()
	l := NewLimiter(5, time.Hour, 100)
	allowed := 0
	for i := range 1000 {
		ip := fmt.Sprintf("2001:db8:1:2:%x:%x:%x:%x", i, i*7, i*13, i*31)
		if ok, _ := l.Allow(ip, t0); ok {
			allowed++
		}
	}
	if allowed != 5 {
		t.Errorf("1,000 addresses in one /64: %d allowed, want 5 (one budget)", allowed)
	}
	if n := l.Len(); n != 1 {
		t.Errorf("table holds %d clients, want 1", n)
	}
	// Another /64 has its own budget.
	if ok, _ := l.Allow("2001:db8:1:3::1", t0); !ok {
		t.Error("the next /64 was refused")
	}
	for in, want := range map[string]string{
		"2001:db8:1:2:aaaa::1": "2001:db8:1:2::/64", "[2001:db8:1:2::9]": "2001:db8:1:2::/64",
		"fe80::1%eth0": "fe80::/64", "::ffff:192.0.2.7": "192.0.2.7", "192.0.2.7": "192.0.2.7", "": "",
	} {
		if got := ClientKey(in); got != want {
			t.Errorf("ClientKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// A table full of clients at their limit refuses a newcomer (429) rather
// than forget one of them; under their limit, the least recent goes first.
func TestLimiterFullTable(t *testing.T) {
	t.Parallel()
	l := NewLimiter(1, time.Minute, 2)
	l.Allow("192.0.2.1", t0)
	l.Allow("192.0.2.2", t0.Add(time.Second))
	ok, retry := l.Allow("192.0.2.3", t0.Add(2*time.Second))
	if ok || retry != 58*time.Second {
		t.Errorf("newcomer with a full table: allowed %v, retry %v, want refused for 58s", ok, retry)
	}
	for _, ip := range []string{"192.0.2.1", "192.0.2.2"} {
		if ok, _ := l.Allow(ip, t0.Add(3*time.Second)); ok {
			t.Errorf("%s was forgotten", ip)
		}
	}
	// 192.0.2.1's window ends: a place frees, and the newcomer gets in.
	if ok, _ := l.Allow("192.0.2.3", t0.Add(time.Minute)); !ok {
		t.Error("newcomer refused after a place freed")
	}
	if l.Len() != 2 {
		t.Errorf("table holds %d", l.Len())
	}

	l = NewLimiter(3, time.Minute, 2)
	l.Allow("a", t0)                    // under its limit, heard from first
	l.Allow("b", t0.Add(time.Second))   // under its limit, more recent
	l.Allow("c", t0.Add(2*time.Second)) // evicts a, not b
	for range 2 {
		l.Allow("b", t0.Add(3*time.Second))
	}
	if ok, _ := l.Allow("b", t0.Add(4*time.Second)); ok {
		t.Error("b was forgotten instead of a")
	}
}

func TestLimiterRefund(t *testing.T) {
	t.Parallel()
	l := NewLimiter(2, time.Hour, 10)
	_, _, r1 := l.Reserve("192.0.2.1", t0)
	_, _, r2 := l.Reserve("192.0.2.1", t0.Add(time.Second))
	if ok, _ := l.Allow("192.0.2.1", t0.Add(2*time.Second)); ok {
		t.Fatal("third attempt allowed")
	}
	r2()
	r2() // a second call gives nothing more back
	if ok, _ := l.Allow("192.0.2.1", t0.Add(3*time.Second)); !ok {
		t.Fatal("refunded place not given back")
	}
	if ok, _ := l.Allow("192.0.2.1", t0.Add(4*time.Second)); ok {
		t.Fatal("a refund called twice gave two places")
	}
	r1()
	r1()
	if ok, _ := l.Allow("192.0.2.1", t0.Add(5*time.Second)); !ok {
		t.Fatal("first refund not given back")
	}
}

// Keys depend on a random salt: the same address gives another key in
// another process, and no plain hash of it is kept.
func TestLimiterKeysAreSalted(t *testing.T) {
	t.Parallel()
	l := NewLimiter(1, time.Minute, 2)
	plain := sha256.Sum256([]byte("192.0.2.7"))
	if k := l.key("192.0.2.7"); k == NewLimiter(1, time.Minute, 2).key("192.0.2.7") || bytes.Equal(k[:], plain[:16]) {
		t.Errorf("key %x is not salted", k)
	}
}

func TestCeiling(t *testing.T) {
	t.Parallel()
	c := NewCeiling(3, time.Minute)
	for i := range 3 {
		if ok, _ := c.Allow(t0.Add(time.Duration(i) * time.Second)); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	if ok, retry := c.Allow(t0.Add(10 * time.Second)); ok || retry != 50*time.Second {
		t.Errorf("fourth attempt in the minute: %v, retry %v", ok, retry)
	}
	if ok, _ := c.Allow(t0.Add(time.Minute)); !ok {
		t.Error("refused once the first attempt left the window")
	}
	if ok, _ := c.Allow(t0.Add(time.Minute)); ok {
		t.Error("allowed a second one while the second attempt is in the window")
	}
	for d, want := range map[time.Duration]string{0: "1", time.Millisecond: "1", time.Second: "1", 1500 * time.Millisecond: "2", time.Hour: "3600"} {
		if got := RetryAfter(d); got != want {
			t.Errorf("RetryAfter(%v) = %s, want %s", d, got, want)
		}
	}
}
