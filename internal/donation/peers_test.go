package donation_test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// The donation functions are peers: what they share lives in this package,
// so none of them depends on another, and this package on none of them.
var peers = []string{
	"github.com/payoke/site/internal/donate",
	"github.com/payoke/site/internal/webhook",
	"github.com/payoke/site/internal/managegift",
}

func TestPeersDoNotImportEachOther(t *testing.T) {
	t.Parallel()
	for _, pkg := range append([]string{"github.com/payoke/site/internal/donation"}, peers...) {
		// Every package pkg's code needs, directly or not (tests aside).
		out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "list", "-deps", "-f", "{{.ImportPath}}", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		deps := strings.Fields(string(out))
		if !slices.Contains(deps, pkg) {
			t.Fatalf("go list -deps %s does not list it: %q", pkg, deps)
		}
		for _, other := range peers {
			if other != pkg && slices.Contains(deps, other) {
				t.Errorf("%s depends on %s: move what it borrows to internal/donation", pkg, other)
			}
		}
	}
}
