// Package check is the content check behind `payoke check`: it reads the
// content, interface strings and data files the way staff write them and
// explains each mistake in plain words, with file and line, before Hugo or a
// reader ever sees it. It does not run Hugo, so it answers in milliseconds.
package check

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/payoke/site/internal/hugobuild"
)

// Severity says whether a finding stops publishing.
type Severity int

const (
	// Error stops publishing: the check exits non-zero.
	Error Severity = iota
	// Warning is worth fixing but does not stop publishing.
	Warning
)

// Finding is one problem, at a file (relative to the site root) and line.
type Finding struct {
	File     string
	Line     int
	Severity Severity
	Message  string
}

func (f Finding) String() string {
	loc := f.File
	if f.Line > 0 {
		loc = fmt.Sprintf("%s:%d", f.File, f.Line)
	}
	if f.Severity == Warning {
		return loc + ": warning: " + f.Message
	}
	return loc + ": " + f.Message
}

// Report holds all findings of one run.
type Report struct {
	Findings []Finding
	Pages    int
}

func (r *Report) add(sev Severity, file string, line int, format string, args ...any) {
	r.Findings = append(r.Findings, Finding{File: filepath.ToSlash(file), Line: line, Severity: sev, Message: fmt.Sprintf(format, args...)})
}

func (r *Report) errorf(file string, line int, format string, args ...any) {
	r.add(Error, file, line, format, args...)
}

func (r *Report) warnf(file string, line int, format string, args ...any) {
	r.add(Warning, file, line, format, args...)
}

// Count returns the number of findings of one severity.
func (r *Report) Count(sev Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == sev {
			n++
		}
	}
	return n
}

func (r *Report) sort() {
	slices.SortStableFunc(r.Findings, func(a, b Finding) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return strings.Compare(a.Message, b.Message)
	})
	r.Findings = slices.Compact(r.Findings)
}

// ErrFound is returned by Run when the check found errors.
var ErrFound = errors.New("the content check found problems that stop publishing")

// Run is `payoke check [-root dir]`: it checks the site in dir (default: the
// module root above the working directory), prints every finding to stdout,
// and returns ErrFound if any of them is an error.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", "", "folder of the site to check (default: the folder holding go.mod)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *root == "" {
		r, err := hugobuild.Root(".")
		if err != nil {
			return err
		}
		*root = r
	}
	rep, err := Site(ctx, *root)
	if err != nil {
		return err
	}
	for _, f := range rep.Findings {
		fmt.Fprintln(stdout, f)
	}
	errs, warns := rep.Count(Error), rep.Count(Warning)
	switch {
	case errs > 0:
		fmt.Fprintf(stdout, "\n%s and %s. Fix the problems above, then run the check again.\n", plural(errs, "problem stops", "problems stop")+" publishing", plural(warns, "warning", "warnings"))
		return ErrFound
	case warns > 0:
		fmt.Fprintf(stdout, "\n%d pages checked: nothing stops publishing, but read the %s above.\n", rep.Pages, plural(warns, "warning", "warnings"))
	default:
		fmt.Fprintf(stdout, "%d pages checked: everything is in order.\n", rep.Pages)
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Site checks the site in root and returns the sorted findings.
func Site(ctx context.Context, root string) (*Report, error) {
	s, err := load(root)
	if err != nil {
		return nil, err
	}
	rep := &Report{Pages: len(s.pages)}
	for _, step := range []func(*site, *Report){
		checkFrontMatter,
		checkTranslations,
		checkLinks,
		checkStrings,
		checkSupporters,
		checkOrganisation,
		checkBankTransfer,
	} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		step(s, rep)
	}
	rep.Findings = append(rep.Findings, s.parseErrors...)
	rep.sort()
	return rep, nil
}
