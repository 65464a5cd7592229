package contact

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"slices"
	"sync"
	"time"
)

// limiter allows each client a few messages per window, in memory.
//
// Clients are known only by an HMAC of their IP address under a salt drawn
// at start and never stored or shown, so the table holds no address and its
// keys cannot be turned back into one (IPv4 has few enough addresses to hash
// them all; a secret salt stops that). A restart forgets everything.
type limiter struct {
	salt   [32]byte
	max    int
	window time.Duration
	cap    int // most clients tracked at once

	mu   sync.Mutex
	hits map[[16]byte][]time.Time
}

func newLimiter(max int, window time.Duration, capacity int) *limiter {
	l := &limiter{max: max, window: window, cap: capacity, hits: map[[16]byte][]time.Time{}}
	rand.Read(l.salt[:])
	return l
}

func (l *limiter) key(ip string) [16]byte {
	m := hmac.New(sha256.New, l.salt[:])
	m.Write([]byte(ip))
	var k [16]byte
	copy(k[:], m.Sum(nil))
	return k
}

// allow records one attempt by ip at now and reports whether it is within
// the limit; when it is not, it also says when to retry. An allowed attempt
// holds its place at once, so concurrent posts never pass the limit
// together; refund gives the place back (a message that was not delivered).
func (l *limiter) allow(ip string, now time.Time) (bool, time.Duration) {
	ok, retry, _ := l.reserve(ip, now)
	return ok, retry
}

// reserve is allow with a refund for an allowed attempt.
func (l *limiter) reserve(ip string, now time.Time) (ok bool, retry time.Duration, refund func()) {
	k := l.key(ip)
	ok, retry = l.take(k, now)
	if !ok {
		return false, retry, func() {}
	}
	var once sync.Once
	return true, 0, func() { once.Do(func() { l.give(k, now) }) }
}

// give removes the attempt k made at t, if it is still recorded.
func (l *limiter) give(k [16]byte, t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ts := l.hits[k]
	for i := len(ts) - 1; i >= 0; i-- {
		if ts[i].Equal(t) {
			ts = slices.Delete(ts, i, i+1)
			break
		}
	}
	if len(ts) == 0 {
		delete(l.hits, k)
	} else {
		l.hits[k] = ts
	}
}

func (l *limiter) take(k [16]byte, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := l.recent(l.hits[k], now)
	if len(recent) >= l.max {
		l.hits[k] = recent
		return false, recent[0].Add(l.window).Sub(now)
	}
	if _, known := l.hits[k]; !known && len(l.hits) >= l.cap {
		l.prune(now)
		if len(l.hits) >= l.cap {
			l.evictOldest()
		}
	}
	l.hits[k] = append(recent, now)
	return true, 0
}

func (l *limiter) recent(ts []time.Time, now time.Time) []time.Time {
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= l.window {
		i++
	}
	return ts[i:]
}

func (l *limiter) prune(now time.Time) {
	for k, ts := range l.hits {
		if r := l.recent(ts, now); len(r) == 0 {
			delete(l.hits, k)
		} else {
			l.hits[k] = r
		}
	}
}

// evictOldest forgets the tenth of clients (at least one) whose last message
// is oldest, so a full table never turns a newcomer away; a tenth at a time
// keeps the sort rare during a flood from very many addresses.
func (l *limiter) evictOldest() {
	type entry struct {
		k    [16]byte
		last time.Time
	}
	all := make([]entry, 0, len(l.hits))
	for k, ts := range l.hits {
		all = append(all, entry{k, ts[len(ts)-1]})
	}
	slices.SortFunc(all, func(a, b entry) int { return a.last.Compare(b.last) })
	for _, e := range all[:max(1, len(all)/10)] {
		delete(l.hits, e.k)
	}
}
