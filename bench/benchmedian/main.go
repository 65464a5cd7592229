// Command benchmedian reads `go test -bench … -benchmem -count N` output and
// prints, for each benchmark, the median ns/op, B/op and allocs/op, and the
// ratio to the first sub-benchmark of its group (the baseline: "bare",
// "trivial"). benchstat is not among the module's dependencies; this is all
// we need from it.
//
//	go test ./bench/handlers -run '^$' -bench . -benchmem -count 5 | go run ./bench/benchmedian
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/payoke/site/bench/stats"
)

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchmedian:", err)
		os.Exit(1)
	}
}

// line matches "BenchmarkX/y-2   1234   5678 ns/op   90 B/op   12 allocs/op".
var line = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(?:\s+([\d.]+) B/op)?(?:\s+([\d.]+) allocs/op)?`)

type series struct{ ns, bytes, allocs []float64 }

func run(in io.Reader, out io.Writer) error {
	var order []string
	all := map[string]*series{}
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		m := line.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		s := all[m[1]]
		if s == nil {
			s = &series{}
			all[m[1]] = s
			order = append(order, m[1])
		}
		s.ns = append(s.ns, num(m[2]))
		s.bytes = append(s.bytes, num(m[3]))
		s.allocs = append(s.allocs, num(m[4]))
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if len(order) == 0 {
		return fmt.Errorf("no benchmark results on stdin")
	}
	tw := tabwriter.NewWriter(out, 0, 0, 1, ' ', tabwriter.AlignRight|tabwriter.Debug)
	fmt.Fprintln(tw, "benchmark\truns\tmedian ns/op\tB/op\tallocs/op\tns ratio\tallocs ratio\t")
	base := map[string]string{} // group → its first sub-benchmark
	for _, name := range order {
		group, _, _ := strings.Cut(name, "/")
		if _, ok := base[group]; !ok {
			base[group] = name
		}
		s, b := all[name], all[base[group]]
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.0f\t%.0f\t%s\t%s\t\n", name, len(s.ns), stats.Median(s.ns), stats.Median(s.bytes),
			stats.Median(s.allocs), ratio(stats.Median(s.ns), stats.Median(b.ns)), ratio(stats.Median(s.allocs), stats.Median(b.allocs)))
	}
	return tw.Flush()
}

func num(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

func ratio(a, b float64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f×", a/b)
}
