// Command coldstart measures how long a built function takes from the start
// of its process to its first answer, against a hello-world Lambda function
// built the same way, and prints the size of each stripped binary.
//
// Each binary runs in Lambda mode against a small fake of the Lambda runtime
// API on 127.0.0.1 (AWS_LAMBDA_RUNTIME_API): the fake hands it one API Gateway
// event (a POST whose form fails validation, so no network call is made) and
// the clock stops when the answer is posted back.
//
//	go run ./bench/coldstart            # every functions/<name>, 21 runs each
//	go run ./bench/coldstart -runs 51
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/payoke/site/bench/stats"
	"github.com/payoke/site/internal/hugobuild"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "coldstart:", err)
		os.Exit(1)
	}
}

// baseline is the hello-world function every function is compared with.
const baseline = "hello"

// target is one function to measure.
type target struct {
	name     string // functions/<name>, or "hello"
	pkg      string // ./functions/<name>
	bin      string // stripped binary
	size     int64  // stripped
	fullSize int64  // built without -s -w, as Netlify builds it
	starts   []result
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("coldstart", flag.ContinueOnError)
	flags.SetOutput(stderr)
	runs := flags.Int("runs", 21, "cold starts per binary")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	root, err := hugobuild.Root(".")
	if err != nil {
		return err
	}
	mains, err := filepath.Glob(filepath.Join(root, "functions", "*", "main.go"))
	if err != nil {
		return err
	}
	targets := []*target{{name: baseline, pkg: "./bench/coldstart/hello"}}
	for _, m := range mains {
		name := filepath.Base(filepath.Dir(m))
		targets = append(targets, &target{name: name, pkg: "./functions/" + name})
	}
	tmp, err := os.MkdirTemp("", "coldstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for _, t := range targets {
		if t.bin, t.size, err = goBuild(ctx, root, t.pkg, filepath.Join(tmp, t.name), "-s -w"); err != nil {
			return err
		}
		if _, t.fullSize, err = goBuild(ctx, root, t.pkg, filepath.Join(tmp, t.name+"-full"), ""); err != nil {
			return err
		}
	}

	// Interleave the binaries so a slow moment on the machine hits all alike.
	for i := range *runs {
		for _, t := range targets {
			r, err := coldStart(ctx, t.bin, t.name)
			if err != nil {
				return fmt.Errorf("%s, run %d: %w", t.name, i+1, err)
			}
			t.starts = append(t.starts, r)
		}
	}
	report(stdout, targets, *runs)
	return nil
}

// coldStart runs bin once against a runtime API of its own: a poll the
// previous process sent just before it was stopped must not take this event.
func coldStart(ctx context.Context, bin, name string) (result, error) {
	api, err := newRuntimeAPI()
	if err != nil {
		return result{}, err
	}
	defer api.Close()
	return api.coldStart(ctx, bin, name, env(api.Addr()))
}

// env is what every function gets: enough for each constructor to succeed
// without reaching anything (the form posted fails validation first).
func env(runtimeAPI string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"AWS_LAMBDA_RUNTIME_API=" + runtimeAPI,
		"AWS_LAMBDA_FUNCTION_NAME=coldstart",
		"STRIPE_SECRET_KEY=sk_test_123",
		"STRIPE_API_URL=http://127.0.0.1:9",
		"STRIPE_WEBHOOK_SECRET=whsec_coldstart",
		"SMTP_URL=smtp://user:pass@127.0.0.1:9",
		"MAIL_FROM=website@example.org",
		"CONTACT_TO=staff@example.org",
		"SITE_URL=https://www.payoke.be",
	}
}

// goBuild builds pkg as Netlify does (CGO_ENABLED=0, linux/amd64), with the
// given -ldflags, and returns the binary's path and size.
func goBuild(ctx context.Context, root, pkg, out, ldflags string) (string, int64, error) {
	cmd := exec.CommandContext(ctx, "go", "build", "-ldflags="+ldflags, "-o", out, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", 0, fmt.Errorf("go build %s: %w\n%s", pkg, err, b)
	}
	fi, err := os.Stat(out)
	if err != nil {
		return "", 0, err
	}
	return out, fi.Size(), nil
}

func report(w io.Writer, targets []*target, runs int) {
	var base *target
	for _, t := range targets {
		if t.name == baseline {
			base = t
		}
	}
	median := func(t *target, f func(result) time.Duration) time.Duration {
		ds := make([]time.Duration, len(t.starts))
		for i, r := range t.starts {
			ds[i] = f(r)
		}
		return stats.Median(ds)
	}
	ready := func(r result) time.Duration { return r.ready }
	answered := func(r result) time.Duration { return r.answered }
	baseAnswered := median(base, answered)
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }
	mib := func(n int64) string { return fmt.Sprintf("%.1f", float64(n)/(1<<20)) }

	fmt.Fprintf(w, "cold start, median of %d runs (ready = first poll for an event; answered = answer posted)\n", runs)
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "binary\tstatus\tready ms\tanswered ms\tratio to hello\tgoal ≤ 2×\tstripped MiB\tunstripped MiB\t")
	for _, t := range targets {
		r := median(t, answered)
		ratio := float64(r) / float64(baseAnswered)
		goal := "met"
		if ratio > 2 {
			goal = "MISSED"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%.2f\t%s\t%s\t%s\t\n", t.name, t.starts[0].status,
			ms(median(t, ready)), ms(r), ratio, goal, mib(t.size), mib(t.fullSize))
	}
	tw.Flush()
}
