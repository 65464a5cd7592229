// Command load sends the contact form's attack load through the real
// /api/contact handler and checks that nothing a sender wrote is lost, then
// delivers one Stripe event ten times at once to the webhook and counts the
// thank-yous.
//
// The contact handler is built as production builds it (contact.NewFromEnv,
// then the API headers, as lambdafn does), served over real HTTP on
// loopback, in front of a real SMTP server (internal/mail/mailtest: go-smtp
// in process, the tests' server). Each simulated sender posts from its own
// loopback address (127.1.0.1, 127.1.0.2, …), so the per-client rate limit
// sees distinct clients as it would in `payoke serve`; -client netlify
// builds the handler as on Netlify instead and names each sender by
// X-Nf-Client-Connection-Ip, one IPv6 /64 each.
//
// Three runs: the mail server up throughout; killed after n/2 answers and
// kept down; hung after n/2 answers (the same address accepts connections
// and never says a word). Invariants, checked every run (exit status 1 if
// one breaks): every 303 is a message the mail server stored; every refusal
// page (403, 429, 503) shows the sender's exact text back; no post goes
// unanswered; no log line holds what a sender typed; with the server up,
// every post is a 303. Webhook: one signed checkout.session.completed
// delivered 10 times at once, against the Stripe stand-in
// (internal/stripestandin), with Stripe's retries of every non-2xx, gives
// exactly 1 thank-you and 1 staff notice at the SMTP server.
//
//	go run ./bench/load                       # n = 10,000, concurrency 20
//	go run ./bench/load -n 500 -runs 3
//	go run ./bench/load -hung-tail 0          # the hung run sends all n (about 20 min: 5 s a message)
//	go run ./bench/load -client netlify
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/payoke/site/bench/stats"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, errBroken) {
		os.Exit(1)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	}
}

var errBroken = errors.New("an invariant is broken")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("load", flag.ContinueOnError)
	flags.SetOutput(stderr)
	n := flags.Int("n", 10000, "contact messages per run")
	conc := flags.Int("c", 20, "concurrent senders")
	perSender := flags.Int("per-sender", 1, "messages from each sender's address (the limit is 5 an hour)")
	client := flags.String("client", "source", "how senders are told apart: source (a loopback address each, as `payoke serve` sees them) or netlify (X-Nf-Client-Connection-Ip, an IPv6 /64 each, the handler built as on Netlify)")
	runs := flags.Int("runs", 1, "repetitions of each run, interleaved; the table gives medians")
	faultList := flags.String("faults", "up,killed,hung", "runs to make: up, killed, hung")
	tail := flags.Int("hung-tail", 200, "posts after the hang in the hung run (each waits for the 5 s delivery bound); 0: all of the second half")
	dupRuns := flags.Int("webhook-runs", 4, "bursts of simultaneous webhook deliveries (half of them with a slow Stripe, 150 ms a write)")
	dupK := flags.Int("webhook-deliveries", 10, "simultaneous deliveries of one event per burst")
	if err := flags.Parse(args); err != nil {
		return err
	}
	switch {
	case *n < 2 || *conc < 1 || *runs < 1 || *perSender < 1 || *tail < 0 || *dupRuns < 0 || *dupK < 1:
		return errors.New("-n ≥ 2, -c ≥ 1, -runs ≥ 1, -per-sender ≥ 1, -hung-tail ≥ 0, -webhook-deliveries ≥ 1")
	case *client != "source" && *client != "netlify":
		return errors.New("-client is source or netlify")
	}
	var faults []fault
	for f := range strings.SplitSeq(*faultList, ",") {
		switch fault(f) {
		case faultNone, faultKilled, faultHung:
			faults = append(faults, fault(f))
		default:
			return fmt.Errorf("-faults: unknown run %q (up, killed, hung)", f)
		}
	}

	fmt.Fprintf(stdout, "load: n = %d, concurrency %d, %d message(s) per sender, senders by %s; %d core(s), %s; load average %s\n\n",
		*n, *conc, *perSender, *client, runtime.NumCPU(), runtime.Version(), loadavg())
	results := map[fault][]contactResult{}
	broken := false
	for r := range *runs {
		for _, f := range faults {
			cfg := loadConfig{n: *n, concurrency: *conc, perSender: *perSender, client: *client, fault: f, tail: *tail}
			res, err := withHarness(func(h *harness) (contactResult, error) { return runContact(ctx, cfg, h) })
			if err != nil {
				return fmt.Errorf("%s, run %d: %w", f, r+1, err)
			}
			fmt.Fprintf(stderr, "load: %s, run %d: %d sent in %s\n", f, r+1, res.sent, res.wall.Round(time.Millisecond))
			results[f] = append(results[f], res)
			broken = broken || len(res.problems) > 0
		}
	}
	contactTable(stdout, faults, results)
	for _, f := range faults {
		total := 0
		for _, r := range results[f] {
			total += r.smtpPanics
		}
		if total > 0 {
			fmt.Fprintf(stdout, "(%s: go-smtp, stopped mid-session, recovered %d panics in its own Close and hung up on those clients; its log is counted, not shown)\n", f, total)
		}
	}

	var dups []dupResult
	for i := range *dupRuns {
		latency := time.Duration(0)
		if i%2 == 1 {
			latency = 150 * time.Millisecond
		}
		res, err := withHarness(func(h *harness) (dupResult, error) { return runDuplicates(ctx, *dupK, latency, i, h) })
		if err != nil {
			return fmt.Errorf("webhook burst %d: %w", i+1, err)
		}
		dups = append(dups, res)
		broken = broken || len(res.problems) > 0
	}
	if len(dups) > 0 {
		dupTable(stdout, dups)
	}

	fmt.Fprintln(stdout)
	for _, f := range faults {
		for i, res := range results[f] {
			for _, p := range res.problems {
				fmt.Fprintf(stdout, "!!! INVARIANT BROKEN (%s, run %d): %s\n", f, i+1, p)
			}
		}
	}
	for i, d := range dups {
		for _, p := range d.problems {
			fmt.Fprintf(stdout, "!!! INVARIANT BROKEN (webhook burst %d): %s\n", i+1, p)
		}
	}
	if broken {
		return errBroken
	}
	fmt.Fprintln(stdout, "invariants held: every 303 was delivered, every refusal page showed the text back, no post went unanswered, no log line held a sender's text, one thank-you and one notice per gift")
	return nil
}

func contactTable(w io.Writer, faults []fault, results map[fault][]contactResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "mail server\tsent\t303\tother\tdelivered\tlost\trefusals showing the text\tdelivered, then refused\tmessages/s\tp50 ms\tp99 ms\tafter the fault p50 / p99 ms\tload before → after\t")
	for _, f := range faults {
		label := string(f)
		if f != faultNone {
			label += " halfway"
		}
		if len(results[f]) > 1 {
			for i, r := range results[f] {
				contactRow(tw, fmt.Sprintf("%s, run %d", label, i+1), f, []contactResult{r})
			}
			label = fmt.Sprintf("%s: median of %d", label, len(results[f]))
		}
		if len(results[f]) > 0 {
			contactRow(tw, label, f, results[f])
		}
	}
	tw.Flush()
}

// contactRow prints one line: one run, or the medians of several.
func contactRow(tw io.Writer, label string, f fault, rs []contactResult) {
	{
		med := func(get func(contactResult) float64) float64 {
			var xs []float64
			for _, r := range rs {
				xs = append(xs, get(r))
			}
			return stats.Median(xs)
		}
		ms := func(get func(contactResult) time.Duration) float64 {
			return med(func(r contactResult) float64 { return float64(get(r)) / float64(time.Millisecond) })
		}
		count := func(get func(contactResult) int) string {
			return plain(med(func(r contactResult) float64 { return float64(get(r)) }))
		}
		after := "–"
		// Only runs with posts sent after the fault have figures for it.
		var withAfter []float64
		var p99s []float64
		for _, r := range rs {
			if r.nAfter > 0 {
				withAfter = append(withAfter, float64(r.p50after)/float64(time.Millisecond))
				p99s = append(p99s, float64(r.p99after)/float64(time.Millisecond))
			}
		}
		if f != faultNone && len(withAfter) > 0 {
			after = fmt.Sprintf("%s / %s", msStr(stats.Median(withAfter)), msStr(stats.Median(p99s)))
		}
		loads := "–"
		if len(rs) == 1 {
			loads = rs[0].loadBefore + " → " + rs[0].loadAfter
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.0f\t%s\t%s\t%s\t%s\t\n", label,
			count(func(r contactResult) int { return r.sent }),
			count(func(r contactResult) int { return r.status["303"] }),
			others(rs),
			count(func(r contactResult) int { return r.delivered }),
			count(func(r contactResult) int { return r.lost }),
			fmt.Sprintf("%s of %s", count(func(r contactResult) int { return r.echoed }), count(func(r contactResult) int { return r.refusals })),
			count(func(r contactResult) int { return r.failedButDelivered }),
			med(func(r contactResult) float64 { return r.perSecond }),
			msStr(ms(func(r contactResult) time.Duration { return r.p50 })),
			msStr(ms(func(r contactResult) time.Duration { return r.p99 })),
			after, loads)
	}
}

// others lists the statuses other than 303, by code (medians over the runs).
func others(rs []contactResult) string {
	codes := map[string]bool{}
	for _, r := range rs {
		for c := range r.status {
			if c != "303" {
				codes[c] = true
			}
		}
	}
	var parts []string
	for _, c := range slices.Sorted(func(yield func(string) bool) {
		for c := range codes {
			if !yield(c) {
				return
			}
		}
	}) {
		var xs []float64
		for _, r := range rs {
			xs = append(xs, float64(r.status[c]))
		}
		parts = append(parts, fmt.Sprintf("%s× %s", plain(stats.Median(xs)), c))
	}
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, ", ")
}

func dupTable(w io.Writer, ds []dupResult) {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "webhook burst\tStripe write latency\tsimultaneous deliveries\tfirst answers\tStripe's retries\tthank-yous\tstaff notices\tclaims refused by Stripe: 409 in flight / 400 used\t")
	for i, d := range ds {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%d\t%d\t%d\t%d / %d\t\n", i+1, d.latency, d.deliveries, codesString(d.first),
			d.retries, d.thanks, d.notices, d.inUse, d.used)
	}
	tw.Flush()
}

// plain writes a count with thousands separators; a median of two may end in .5.
func plain(x float64) string {
	whole := int64(x)
	s := strconv.FormatInt(whole, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if x != float64(whole) {
		b.WriteString(".5")
	}
	return b.String()
}

func msStr(ms float64) string {
	if ms >= 100 {
		return strconv.FormatFloat(ms, 'f', 0, 64)
	}
	return strconv.FormatFloat(ms, 'f', 1, 64)
}

// loadavg is the machine's 1-minute load average, "?" where unknown.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}
