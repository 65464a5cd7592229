// Command buildscale measures how the site's build grows with its content:
// it copies the site to a temporary folder, adds N synthetic news and N
// synthetic project pages per language, and builds it with the pinned Hugo
// twice per run, once with our layouts and once with a bare baseline layout
// set, reporting median wall time, peak memory and the ratio ours/baseline.
//
//	go run ./bench/buildscale                       # N = 1000, 5000; 3 runs each
//	go run ./bench/buildscale -n 1000,5000,10000    # the large size too (minutes)
//	go run ./bench/buildscale -head                 # the committed site, not the working tree
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/payoke/site/bench/stats"
	"github.com/payoke/site/internal/hugobuild"
	"github.com/payoke/site/internal/siteconfig"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "buildscale:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("buildscale", flag.ContinueOnError)
	flags.SetOutput(stderr)
	sizes := flags.String("n", "1000,5000", "comma-separated numbers of news and of project pages per language")
	runs := flags.Int("runs", 3, "timed builds per size and layout set (after one untimed warm-up)")
	keep := flags.Bool("keep", false, "keep the temporary sites (their paths are printed)")
	head := flags.Bool("head", false, "copy the site as committed (git HEAD), not the working tree with others' unfinished edits")
	if err := flags.Parse(args); err != nil {
		return err
	}
	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("-n: %q is not a positive number", s)
		}
		ns = append(ns, n)
	}
	if *runs < 1 {
		return errors.New("-runs must be at least 1")
	}

	root, err := hugobuild.Root(".")
	if err != nil {
		return err
	}
	cfg, err := siteconfig.Load(os.DirFS(root))
	if err != nil {
		return err
	}
	hugo, err := hugoBinary(ctx, root)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "hugo: %s\n", hugo)

	var rows []row
	for _, n := range ns {
		r, err := measure(ctx, root, hugo, cfg.SiteLanguages(), n, *runs, *keep, *head, stderr)
		if err != nil {
			return fmt.Errorf("N=%d: %w", n, err)
		}
		rows = append(rows, r)
	}
	report(stdout, rows)
	return nil
}

// hugoBinary is the path of the Hugo pinned in go.mod, as `go tool hugo` runs
// it. Running it directly keeps the go command's own start-up out of the timing.
func hugoBinary(ctx context.Context, root string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "tool", "-n", "hugo")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go tool -n hugo: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// sample is one build.
type sample struct {
	wall  time.Duration
	cpu   time.Duration // user + system: less sensitive than wall time to other load on the machine
	maxRS int64         // peak resident set, bytes
}

// row is one size's result: medians of the timed builds.
type row struct {
	n, pages, files int
	ours, base      sample
}

func measure(ctx context.Context, root, hugo string, langs []string, n, runs int, keep, head bool, log io.Writer) (row, error) {
	tmp, err := os.MkdirTemp("", fmt.Sprintf("buildscale-%d-", n))
	if err != nil {
		return row{}, err
	}
	if keep {
		fmt.Fprintf(log, "N=%d: site in %s\n", n, tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	src := filepath.Join(tmp, "site")
	if head {
		err = copyHead(ctx, root, src)
	} else {
		err = hugobuild.CopyInputs(root, src)
	}
	if err != nil {
		return row{}, err
	}
	pages, err := generate(src, langs, n)
	if err != nil {
		return row{}, err
	}
	if err := writeBaseline(src); err != nil {
		return row{}, err
	}

	builds := map[string][]string{
		// Same flags as hugobuild.Build, so warnings show up here too.
		"ours": {"--printI18nWarnings", "--printPathWarnings"},
		"base": {"--layoutDir", baselineDir},
	}
	samples := map[string][]sample{}
	// One untimed warm-up per layout set (file cache, resources/_gen), then
	// alternate the two so drift on the machine hits both alike.
	for i := -1; i < runs; i++ {
		for _, name := range []string{"ours", "base"} {
			dest := filepath.Join(tmp, "public-"+name)
			s, out, err := build(ctx, hugo, root, src, dest, builds[name])
			if err != nil {
				return row{}, fmt.Errorf("%s build: %w\n%s", name, err, out)
			}
			if name == "ours" && strings.Contains(out, "WARN") {
				return row{}, fmt.Errorf("our build printed warnings:\n%s", out)
			}
			if i < 0 {
				continue
			}
			samples[name] = append(samples[name], s)
			fmt.Fprintf(log, "N=%d %s run %d: wall %v, cpu %v, %d MiB\n", n, name, i+1, s.wall.Round(time.Millisecond), s.cpu.Round(time.Millisecond), s.maxRS>>20)
		}
	}
	files, err := countHTML(filepath.Join(tmp, "public-ours"))
	if err != nil {
		return row{}, err
	}
	return row{n: n, pages: pages, files: files, ours: median(samples["ours"]), base: median(samples["base"])}, nil
}

// build runs Hugo once and returns its wall time and peak memory.
func build(ctx context.Context, hugo, root, src, dest string, extra []string) (sample, string, error) {
	args := append([]string{
		"--source", src, "--destination", dest, "--cleanDestinationDir",
		"--config", "config.toml," + benchConfig,
		"--logLevel", "warn", "--quiet",
	}, extra...)
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, hugo, args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "HUGO_ENVIRONMENT=production")
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return sample{}, out.String(), err
	}
	s := sample{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.maxRS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return s, out.String(), nil
}

// median takes the median of each measure separately.
func median(ss []sample) sample {
	walls := make([]time.Duration, len(ss))
	cpus := make([]time.Duration, len(ss))
	mems := make([]time.Duration, len(ss))
	for i, s := range ss {
		walls[i], cpus[i], mems[i] = s.wall, s.cpu, time.Duration(s.maxRS)
	}
	return sample{wall: stats.Median(walls), cpu: stats.Median(cpus), maxRS: int64(stats.Median(mems))}
}

func countHTML(dir string) (int, error) {
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".html") {
			n++
		}
		return err
	})
	return n, err
}

func report(w io.Writer, rows []row) {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "N per lang\tsynthetic pages\tHTML files\tours wall s\tbaseline wall s\twall ratio\tours CPU s\tbaseline CPU s\tCPU ratio\tours MiB\tbaseline MiB\tmem ratio\tours wall ms per HTML file\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%d\t%d\t%.2f\t%.2f\t\n",
			r.n, r.pages, r.files, r.ours.wall.Seconds(), r.base.wall.Seconds(),
			r.ours.wall.Seconds()/r.base.wall.Seconds(),
			r.ours.cpu.Seconds(), r.base.cpu.Seconds(), r.ours.cpu.Seconds()/r.base.cpu.Seconds(),
			r.ours.maxRS>>20, r.base.maxRS>>20, float64(r.ours.maxRS)/float64(r.base.maxRS),
			float64(r.ours.wall.Microseconds())/1000/float64(r.files))
	}
	tw.Flush()
	// Growth: the exponent k in time ∝ N^k between neighbouring sizes; 1 is
	// linear, and fixed start-up costs push it below 1.
	for i := 1; i < len(rows); i++ {
		a, b := rows[i-1], rows[i]
		k := func(x, y time.Duration) float64 {
			return math.Log(y.Seconds()/x.Seconds()) / math.Log(float64(b.n)/float64(a.n))
		}
		fmt.Fprintf(w, "growth N=%d→%d: ours ×%.2f (exponent %.2f), baseline ×%.2f (exponent %.2f)\n",
			a.n, b.n, b.ours.wall.Seconds()/a.ours.wall.Seconds(), k(a.ours.wall, b.ours.wall),
			b.base.wall.Seconds()/a.base.wall.Seconds(), k(a.base.wall, b.base.wall))
	}
}

// copyHead extracts the site parts as committed at HEAD into dst.
func copyHead(ctx context.Context, root, dst string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	var parts []string
	for _, p := range hugobuild.Inputs() {
		ls := exec.CommandContext(ctx, "git", "ls-tree", "--name-only", "HEAD", p)
		ls.Dir = root
		if out, err := ls.Output(); err == nil && len(bytes.TrimSpace(out)) > 0 {
			parts = append(parts, p)
		}
	}
	args := append([]string{"-c", `git archive --format=tar HEAD "$@" | tar -x -C "$0"`, dst}, parts...)
	cmd := exec.CommandContext(ctx, "sh", args...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("git archive: %w\n%s", err, out)
	}
	return nil
}

// copyTree copies the file or folder src to dst; a missing src is skipped.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == src {
			return nil
		}
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}
