// Command payoke runs the site locally (`payoke serve`) and checks its
// content (`payoke check`).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/payoke/site/internal/serve"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

const usage = `usage:
  payoke serve [-addr host:port]   run the site and its functions (default 127.0.0.1:1313)
  payoke check                     check the content; exits non-zero on errors`

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) < 2 {
		fmt.Fprintln(stderr, usage)
		return errors.New("payoke: name a command")
	}
	switch args[1] {
	case "serve":
		return serve.Run(ctx, args[2:], getenv, stdout, stderr, functions())
	case "check":
		return runCheck(ctx, args[2:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	fmt.Fprintln(stderr, usage)
	return fmt.Errorf("payoke: unknown command %q", args[1])
}
