package web

import (
	"slices"
	"testing"

	"github.com/pelletier/go-toml/v2"

	site "github.com/payoke/site"
)

// The first line of the rate limit is Netlify's rule in code on the /api/*
// rewrite (netlify.toml); this package's Limiter is the second.
func TestNetlifyRateLimitsTheFunctions(t *testing.T) {
	t.Parallel()
	data, err := site.Files.ReadFile("netlify.toml")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Redirects []struct {
			From, To  string
			Status    int
			Force     bool
			RateLimit *struct {
				Action      string   `toml:"action"`
				WindowLimit int      `toml:"window_limit"`
				WindowSize  int      `toml:"window_size"`
				AggregateBy []string `toml:"aggregate_by"`
			} `toml:"rate_limit"`
		}
	}
	if err := toml.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range f.Redirects {
		if r.From != "/api/*" {
			continue
		}
		found = true
		// A key written after [redirects.rate_limit] would land in it.
		if r.To != "/.netlify/functions/:splat" || r.Status != 200 || r.Force {
			t.Errorf("/api/* rewrite changed: %+v", r)
		}
		rl := r.RateLimit
		if rl == nil {
			t.Fatal("/api/* has no [redirects.rate_limit]")
		}
		// Without "ip", Netlify counts the whole domain as one client: one
		// flood would lock every visitor out.
		if !slices.Contains(rl.AggregateBy, "ip") || rl.WindowLimit < 1 || rl.WindowSize < 1 || (rl.Action != "" && rl.Action != "rate_limit") {
			t.Errorf("rate_limit %+v: want a per-IP limit that blocks (429)", *rl)
		}
		// Above what a person needs (the in-process limits answer them,
		// with the form kept): at least 30 requests a minute.
		if perMinute := rl.WindowLimit * 60 / rl.WindowSize; perMinute < 30 {
			t.Errorf("%d requests a minute at the edge is below what a person may send", perMinute)
		}
	}
	if !found {
		t.Fatal("netlify.toml has no /api/* rewrite")
	}
}
