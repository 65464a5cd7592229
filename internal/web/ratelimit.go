package web

import (
	"container/heap"
	"container/list"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Limiter allows each client max attempts per window, in memory, for the
// contact and donate functions. It is the second line: Netlify's own rule
// for /api/* (netlify.toml) is the first, since each function instance keeps
// its own Limiter.
//
// Clients are known by ClientKey of their address: an IPv4 address, or the
// /64 network of an IPv6 address (one household, phone or server gets a
// whole /64 and can rotate through it at will). The table holds no address,
// only an HMAC of that key under a salt drawn at start and never shown, so
// its keys cannot be turned back into addresses. A restart forgets all.
//
// The table has a fixed size. To make room for a newcomer it forgets the
// client that was heard from longest ago among those under their limit;
// a client at its limit is never forgotten before its window frees a place,
// so a flood from other addresses cannot empty it. If every client in the
// table is at its limit, newcomers are refused until a place frees.
type Limiter struct {
	salt   [32]byte
	max    int
	window time.Duration
	cap    int

	mu      sync.Mutex
	clients map[[16]byte]*client
	under   list.List // clients under their limit, most recently heard first
	full    fullHeap  // clients at their limit, the one freed first on top
}

type client struct {
	key  [16]byte
	hits []time.Time // oldest first, at most max
	elem *list.Element
	idx  int // index in full, or -1
}

// freeAt is when a client at its limit gets a place back.
func (c *client) freeAt(window time.Duration) time.Time { return c.hits[0].Add(window) }

// NewLimiter allows max attempts per window to each client and tracks at
// most capacity clients at once (memory: capacity × max timestamps).
func NewLimiter(max int, window time.Duration, capacity int) *Limiter {
	if max < 1 || window <= 0 || capacity < 1 {
		panic("web: NewLimiter needs max, window and capacity above zero")
	}
	l := &Limiter{max: max, window: window, cap: capacity, clients: map[[16]byte]*client{}}
	l.full.window = window
	rand.Read(l.salt[:])
	return l
}

// ClientKey names the client behind an address for a rate limit: an IPv4
// address as is (an IPv4-mapped IPv6 address as IPv4), an IPv6 address by
// its /64. Anything else (no address at all) is used as given.
func ClientKey(ip string) string {
	a, err := netip.ParseAddr(strings.Trim(ip, "[]"))
	if err != nil {
		return ip
	}
	a = a.WithZone("").Unmap()
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}

func (l *Limiter) key(ip string) [16]byte {
	m := hmac.New(sha256.New, l.salt[:])
	m.Write([]byte(ClientKey(ip)))
	var k [16]byte
	copy(k[:], m.Sum(nil))
	return k
}

// Len is how many clients the table holds now; never more than its capacity.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.clients)
}

// Allow is Reserve without the refund.
func (l *Limiter) Allow(ip string, now time.Time) (bool, time.Duration) {
	ok, retry, _ := l.Reserve(ip, now)
	return ok, retry
}

// Reserve records one attempt by ip at now and reports whether it is within
// the limit; when it is not, retry says when to try again. An allowed
// attempt holds its place at once, so concurrent attempts never pass the
// limit together; refund gives the place back (a message that could not be
// delivered), and does nothing after the first call.
func (l *Limiter) Reserve(ip string, now time.Time) (ok bool, retry time.Duration, refund func()) {
	k := l.key(ip)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.release(now)
	c := l.clients[k]
	if c != nil {
		c.hits = l.recent(c.hits, now)
		if len(c.hits) >= l.max {
			return false, c.freeAt(l.window).Sub(now), func() {}
		}
	} else {
		if len(l.clients) >= l.cap {
			back := l.under.Back()
			if back == nil {
				// Every client here is at its limit: refuse rather than forget one.
				return false, l.full.items[0].freeAt(l.window).Sub(now), func() {}
			}
			l.forget(back.Value.(*client))
		}
		c = &client{key: k, idx: -1}
		l.clients[k] = c
	}
	c.hits = append(c.hits, now)
	l.place(c)
	var once sync.Once
	return true, 0, func() { once.Do(func() { l.refund(k, now) }) }
}

// recent drops the attempts older than the window.
func (l *Limiter) recent(ts []time.Time, now time.Time) []time.Time {
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= l.window {
		i++
	}
	if i == 0 {
		return ts
	}
	return append(ts[:0], ts[i:]...)
}

// place puts c in the list or the heap its count calls for.
func (l *Limiter) place(c *client) {
	if len(c.hits) >= l.max {
		if c.elem != nil {
			l.under.Remove(c.elem)
			c.elem = nil
		}
		if c.idx < 0 {
			heap.Push(&l.full, c)
		}
		return
	}
	if c.idx >= 0 {
		heap.Remove(&l.full, c.idx)
	}
	if c.elem == nil {
		c.elem = l.under.PushFront(c)
	} else {
		l.under.MoveToFront(c.elem)
	}
}

// release moves the clients whose window has freed a place back under
// their limit, and forgets those with no attempt left in the window.
func (l *Limiter) release(now time.Time) {
	for l.full.Len() > 0 && !l.full.items[0].freeAt(l.window).After(now) {
		c := heap.Pop(&l.full).(*client)
		if c.hits = l.recent(c.hits, now); len(c.hits) == 0 {
			delete(l.clients, c.key)
			continue
		}
		l.place(c)
	}
}

func (l *Limiter) forget(c *client) {
	if c.elem != nil {
		l.under.Remove(c.elem)
	}
	if c.idx >= 0 {
		heap.Remove(&l.full, c.idx)
	}
	delete(l.clients, c.key)
}

func (l *Limiter) refund(k [16]byte, t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.clients[k]
	if c == nil {
		return
	}
	for i := len(c.hits) - 1; i >= 0; i-- {
		if c.hits[i].Equal(t) {
			c.hits = append(c.hits[:i], c.hits[i+1:]...)
			break
		}
	}
	if len(c.hits) == 0 {
		l.forget(c)
		return
	}
	if c.idx >= 0 && len(c.hits) < l.max {
		heap.Remove(&l.full, c.idx)
		c.elem = l.under.PushFront(c)
	}
}

// fullHeap orders the clients at their limit by when a place frees.
type fullHeap struct {
	items  []*client
	window time.Duration
}

func (h *fullHeap) Len() int { return len(h.items) }
func (h *fullHeap) Less(i, j int) bool {
	return h.items[i].freeAt(h.window).Before(h.items[j].freeAt(h.window))
}
func (h *fullHeap) Swap(i, j int) {
	h.items[i], h.items[j] = h.items[j], h.items[i]
	h.items[i].idx, h.items[j].idx = i, j
}
func (h *fullHeap) Push(x any) {
	c := x.(*client)
	c.idx = len(h.items)
	h.items = append(h.items, c)
}
func (h *fullHeap) Pop() any {
	c := h.items[len(h.items)-1]
	h.items[len(h.items)-1] = nil
	h.items = h.items[:len(h.items)-1]
	c.idx = -1
	return c
}

// Ceiling allows at most n attempts per window for a whole function
// instance, whoever makes them: the donate function's bound on the Checkout
// Sessions it asks Stripe for, far below Stripe's API rate limit.
type Ceiling struct {
	n      int
	window time.Duration
	mu     sync.Mutex
	hits   []time.Time // a ring of the last n attempts
	next   int
}

// NewCeiling allows n attempts per window.
func NewCeiling(n int, window time.Duration) *Ceiling {
	if n < 1 || window <= 0 {
		panic("web: NewCeiling needs n and window above zero")
	}
	return &Ceiling{n: n, window: window, hits: make([]time.Time, 0, n)}
}

// Allow records an attempt at now if fewer than n were made in the window
// before it; otherwise it says when a place frees.
func (c *Ceiling) Allow(now time.Time) (bool, time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.hits) < c.n {
		c.hits = append(c.hits, now)
		return true, 0
	}
	// c.next is the oldest of the last n attempts.
	if free := c.hits[c.next].Add(c.window); free.After(now) {
		return false, free.Sub(now)
	}
	c.hits[c.next] = now
	c.next = (c.next + 1) % c.n
	return true, 0
}

// RetryAfter is the Retry-After header value for a wait of d: whole seconds,
// rounded up, at least one.
func RetryAfter(d time.Duration) string {
	s := int64((d + time.Second - 1) / time.Second)
	return strconv.FormatInt(max(s, 1), 10)
}
