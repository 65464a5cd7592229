package main

import (
	"context"
	"fmt"
	"io"
)

// check runs the content check.
//
// WIRING PENDING: dispatch to check.Run from internal/check once it builds.
func check(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fmt.Fprintln(stderr, "payoke check: not available yet")
	return nil
}
