package main

import (
	"context"
	"io"

	"github.com/payoke/site/internal/check"
)

// runCheck runs the content check; it fails when the content has errors.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return check.Run(ctx, args, stdout, stderr)
}
