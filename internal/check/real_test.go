package check

import (
	"context"
	"testing"
	"time"

	"github.com/payoke/site/internal/hugobuild"
)

// The real content passes: no errors, and the whole site takes well under
// two seconds (staff run this before every publish).
func TestRealSite(t *testing.T) {
	t.Parallel()
	root, err := hugobuild.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rep, err := Site(context.Background(), root)
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Severity == Error {
			t.Errorf("%s", f)
		} else {
			t.Logf("%s", f)
		}
	}
	if rep.Pages < 50 {
		t.Errorf("checked only %d pages; the site has more", rep.Pages)
	}
	if took > 2*time.Second {
		t.Errorf("the check took %v on the whole site; it must stay under 2 s", took)
	}
	t.Logf("%d pages checked in %v", rep.Pages, took)
}
