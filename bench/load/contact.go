package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/payoke/site/internal/contact"
	"github.com/payoke/site/internal/headers"
	"github.com/payoke/site/internal/testutil"
)

const siteURL = "https://www.payoke.be"

// loadConfig is one run of contact messages.
type loadConfig struct {
	n, concurrency int
	perSender      int    // messages from each simulated sender (client address)
	client         string // "source" or "netlify"
	fault          fault
	tail           int // posts after the fault in a hung run (0: all the rest)
}

// contactResult is what one run measured and checked.
type contactResult struct {
	fault                 fault
	sent                  int
	status                map[string]int // "303", "503", … and "error" (no answer)
	delivered             int            // messages the SMTP server stored
	lost                  int            // 303 without a delivered message
	duplicates            int            // a message stored more than once
	failedButDelivered    int            // a refusal page for a message the server did get
	refusals, echoed      int            // pages after a valid form (403, 429, 503) and those showing the text
	wrongSource           int            // requests that reached the handler from another address than meant
	leaks                 int            // log lines holding a sender's text or details
	smtpPanics            int            // recovered panics go-smtp logged when stopped mid-session
	wall                  time.Duration
	perSecond             float64
	p50, p99              time.Duration
	p50after, p99after    time.Duration // of the nAfter posts sent after the fault
	nAfter                int
	loadBefore, loadAfter string
	problems              []string // broken invariants
}

// token marks message i of a run in its text, so the copy at the mail
// server and the copy on a 503 page can be told apart and matched.
func token(run string, i int) string { return fmt.Sprintf("bench-load-%s-%06d", run, i) }

var tokenRE = regexp.MustCompile(`bench-load-([0-9a-f]+)-([0-9]{6})`)

// message is what sender i types: several lines, characters HTML escapes
// (<, &, quotes) and three scripts, so "the text is shown back" means the
// exact text, not a mangled one.
func message(run string, i int) string {
	return token(run, i) + "\r\n" +
		"Mijn werkgever houdt mijn paspoort & zegt \"wacht maar\" <nog even>.\r\n" +
		"Je n'ai pas été payée depuis trois mois — ça suffit.\r\n" +
		"أحتاج إلى المساعدة ، من فضلك اتصل بي بعد السادسة"
}

var langs = []string{"nl", "en", "fr"}

func formFor(run string, i int) url.Values {
	return url.Values{
		"message": {message(run, i)},
		"name":    {fmt.Sprintf("Sender %d", i)}, "email": {fmt.Sprintf("sender%d@example.org", i)},
		"phone": {fmt.Sprintf("+32 470 %06d", i)}, "topic": {"help"},
		"safe_contact": {"Alleen na 18 uur."}, "lang": {langs[i%len(langs)]},
		"website": {""}, "elapsed": {"12000"},
	}
}

// normalized is the message as the handler keeps it: CRLF → LF, trimmed.
func normalized(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }

var textareaRE = regexp.MustCompile(`(?s)<textarea id="contact-message"[^>]*>(.*?)</textarea>`)

// echoed reports whether page shows want, exactly, in the message field.
func echoed(page []byte, want string) bool {
	m := textareaRE.FindSubmatch(page)
	return m != nil && normalized(html.UnescapeString(string(m[1]))) == normalized(want)
}

// sourceIP is sender s's loopback address: 127.1.0.1 onwards, one address
// each (Linux routes all of 127.0.0.0/8 to lo). The handler, built as for
// `payoke serve`, keys its limit by the connection's address.
func sourceIP(s int) net.IP {
	ip := make(net.IP, 4)
	binary.BigEndian.PutUint32(ip, 127<<24|1<<16|1+uint32(s))
	return ip
}

// netlifyIP is sender s's address as Netlify's proxy reports it: an IPv6
// address in a /64 of its own (2001:db8::/32, for documentation), since the
// limiter keys IPv6 clients by their /64.
func netlifyIP(s int) string {
	return fmt.Sprintf("2001:db8:%x:%x::1", s>>16&0xffff, s&0xffff)
}

type senderKey struct{}

// client posts over real HTTP. In "source" mode every request opens its own
// connection from its sender's loopback address (no keep-alive, as distinct
// browsers share no connection); in "netlify" mode connections are pooled,
// as between Netlify's proxy and a function, and the sender is named by
// X-Nf-Client-Connection-Ip.
func newClient(mode string, concurrency int) *http.Client {
	tr := &http.Transport{MaxIdleConnsPerHost: concurrency, ForceAttemptHTTP2: false}
	if mode == "source" {
		tr.DisableKeepAlives = true
		tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			d := net.Dialer{Timeout: 10 * time.Second}
			if s, ok := ctx.Value(senderKey{}).(int); ok {
				d.LocalAddr = &net.TCPAddr{IP: sourceIP(s)}
			}
			return d.DialContext(ctx, network, addr)
		}
	}
	return &http.Client{
		Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// runContact sends cfg.n messages and checks every answer against what the
// mail server received.
func runContact(ctx context.Context, cfg loadConfig, h *harness) (contactResult, error) {
	res := contactResult{fault: cfg.fault, status: map[string]int{}, loadBefore: loadavg()}
	ms, err := newMailServer(h)
	if err != nil {
		return res, err
	}
	stopped := false
	defer func() {
		if !stopped {
			ms.stop()
		}
	}()
	env := map[string]string{
		"SMTP_URL": ms.URL(), "MAIL_FROM": "Payoke website <website@payoke.be>",
		"CONTACT_TO": "staff@payoke.be", "SITE_URL": siteURL,
	}
	if cfg.client == "netlify" {
		// As on Netlify: the handler then trusts X-Nf-Client-Connection-Ip.
		env["AWS_LAMBDA_FUNCTION_NAME"] = "contact"
	}
	logs := &testutil.SyncBuffer{} // the function log, written by many requests at once
	logger := slog.New(slog.NewJSONHandler(logs, nil)).With("function", "contact")
	// The function as lambdafn builds it: NewFromEnv, then the API headers.
	var fn http.Handler
	fn, err = contact.NewFromEnv(func(k string) string { return env[k] }, logger)
	if err != nil {
		return res, err
	}
	if fn, err = headers.API(fn); err != nil {
		return res, err
	}
	var wrongSource atomic.Int64
	mux := http.NewServeMux()
	mux.Handle("/api/contact", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if cfg.client == "source" {
			host, _, _ := net.SplitHostPort(r.RemoteAddr)
			if host != r.Header.Get("X-Bench-Source") {
				wrongSource.Add(1)
			}
		}
		fn.ServeHTTP(w, r)
	}))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := newClient(cfg.client, cfg.concurrency)
	defer client.CloseIdleConnections()

	n := cfg.n
	half := n / 2
	if cfg.fault == faultHung && cfg.tail > 0 && half+cfg.tail < n {
		n = half + cfg.tail
	}
	run := strconv.FormatInt(time.Now().UnixNano()&0xffffffff, 16)

	type answer struct {
		status   string
		dur      time.Duration
		after    bool // sent after the fault
		echoed   bool
		refusal  bool
		transErr error
	}
	answers := make([]answer, n)
	jobs := make(chan int)
	var done atomic.Int64
	var faulted atomic.Bool
	var faultErr error
	var faultOnce sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for range cfg.concurrency {
		wg.Go(func() {
			for i := range jobs {
				a := &answers[i]
				a.after = faulted.Load()
				sender := i / cfg.perSender
				body := formFor(run, i).Encode()
				rctx := context.WithValue(ctx, senderKey{}, sender)
				req, _ := http.NewRequestWithContext(rctx, http.MethodPost, srv.URL+"/api/contact", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Origin", siteURL)
				req.Header.Set("Sec-Fetch-Site", "same-origin")
				req.Header.Set("Accept-Language", "nl-BE,nl;q=0.9,en;q=0.8")
				if cfg.client == "netlify" {
					req.Header.Set("X-Nf-Client-Connection-Ip", netlifyIP(sender))
				} else {
					req.Header.Set("X-Bench-Source", sourceIP(sender).String())
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					a.status, a.transErr = "error", err
				} else {
					page, rerr := io.ReadAll(resp.Body)
					resp.Body.Close()
					a.status = strconv.Itoa(resp.StatusCode)
					switch resp.StatusCode {
					case http.StatusForbidden, http.StatusTooManyRequests, http.StatusServiceUnavailable:
						a.refusal = true
						a.echoed = rerr == nil && echoed(page, message(run, i))
					}
				}
				a.dur = time.Since(t0)
				if int(done.Add(1)) == half && cfg.fault != faultNone {
					faultOnce.Do(func() {
						faultErr = ms.break_(cfg.fault)
						faulted.Store(true)
					})
				}
			}
		})
	}
feed:
	for i := range n {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	res.wall = time.Since(start)
	res.loadAfter = loadavg()
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if faultErr != nil {
		return res, faultErr
	}

	// What the mail server stored, by message.
	stored := ms.Messages()
	stopped = true
	res.smtpPanics = ms.stop()
	got := map[int]int{}
	for _, m := range stored {
		res.delivered++
		body, err := readQP(m.Body)
		if err != nil {
			body = m.Body
		}
		if t := tokenRE.FindSubmatch(body); t != nil && string(t[1]) == run {
			i, _ := strconv.Atoi(string(t[2]))
			got[i]++
		}
	}
	var all, after []time.Duration
	var firstErr error
	for i, a := range answers {
		res.sent++
		res.status[a.status]++
		all = append(all, a.dur)
		if a.after {
			after = append(after, a.dur)
		}
		if got[i] > 1 {
			res.duplicates++
		}
		if a.status == "303" && got[i] == 0 {
			res.lost++
		}
		if a.refusal {
			res.refusals++
			if a.echoed {
				res.echoed++
			}
			if got[i] > 0 {
				res.failedButDelivered++
			}
		}
		if a.transErr != nil && firstErr == nil {
			firstErr = a.transErr
		}
	}
	res.wrongSource = int(wrongSource.Load())
	res.perSecond = float64(res.sent) / res.wall.Seconds()
	res.p50, res.p99 = percentile(all, 50), percentile(all, 99)
	res.nAfter = len(after)
	if len(after) > 0 {
		res.p50after, res.p99after = percentile(after, 50), percentile(after, 99)
	}
	res.leaks = leaks([]byte(logs.String()), run)

	// The invariants.
	if res.lost > 0 {
		res.problems = append(res.problems, fmt.Sprintf("%d messages answered 303 never reached the mail server", res.lost))
	}
	if res.refusals != res.echoed {
		res.problems = append(res.problems, fmt.Sprintf("%d of %d refusal pages (403/429/503) do not show the sender's text back", res.refusals-res.echoed, res.refusals))
	}
	if res.status["error"] > 0 {
		res.problems = append(res.problems, fmt.Sprintf("%d posts got no answer at all (first: %v)", res.status["error"], firstErr))
	}
	if res.leaks > 0 {
		res.problems = append(res.problems, fmt.Sprintf("%d log lines hold a sender's text, name, address or phone", res.leaks))
	}
	if res.wrongSource > 0 {
		res.problems = append(res.problems, fmt.Sprintf("%d requests reached the handler from another address than their sender's (the load, not the handler, is wrong)", res.wrongSource))
	}
	if cfg.fault == faultNone && res.status["303"] != res.sent {
		res.problems = append(res.problems, fmt.Sprintf("with the mail server up, %d of %d posts were not 303: %v", res.sent-res.status["303"], res.sent, res.status))
	}
	return res, nil
}

// readQP decodes a mail body: the mail package sends quoted-printable.
func readQP(b []byte) ([]byte, error) {
	return io.ReadAll(quotedprintable.NewReader(bytes.NewReader(b)))
}

// leaks counts log lines that hold anything a sender typed.
func leaks(log []byte, run string) int {
	n := 0
	for line := range bytes.Lines(log) {
		if bytes.Contains(line, []byte("bench-load-"+run)) || bytes.Contains(line, []byte("paspoort")) ||
			bytes.Contains(line, []byte("@example.org")) || bytes.Contains(line, []byte("Sender ")) ||
			bytes.Contains(line, []byte("+32 470")) {
			n++
		}
	}
	return n
}

// percentile is the nearest-rank p-th percentile of ds.
func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	k := (p*len(s) + 99) / 100 // ceil(p/100 · n)
	return s[max(k, 1)-1]
}
