package serve

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// observatory scores a response as the MDN HTTP Observatory (v2) does,
// from its score table (mdn/mdn-http-observatory, src/grader/charts.js):
// start at 100, add every penalty, then add the bonuses only if the score
// is still 90 or more. A+ is 100 and up. The redirection test (HTTP to
// HTTPS on the same host) needs the real host: Netlify does it, scored 0.
// HSTS preloading (+5) is not counted: the domain is not on the list.
func observatory(h http.Header, html string) (score int, notes []string) {
	var penalty, bonus int
	add := func(n int, note string) {
		if n < 0 {
			penalty += n
		} else {
			bonus += n
		}
		notes = append(notes, fmt.Sprintf("%+d %s", n, note))
	}

	// Content-Security-Policy.
	policies := h.Values("Content-Security-Policy")
	csp := map[string][]string{}
	for _, p := range policies {
		for d := range strings.SplitSeq(p, ";") {
			f := strings.Fields(d)
			if len(f) > 0 {
				csp[strings.ToLower(f[0])] = f[1:]
			}
		}
	}
	src := func(name string) []string {
		if s, ok := csp[name]; ok {
			return s
		}
		if s, ok := csp["default-src"]; ok {
			return s
		}
		return []string{"*"}
	}
	has := func(list []string, any ...string) bool {
		for _, s := range list {
			for _, a := range any {
				if s == a {
					return true
				}
			}
		}
		return false
	}
	broad := []string{"*", "http:", "https:", "ftp:", "http://*", "https://*"}
	switch {
	case len(policies) == 0:
		add(-25, "CSP not implemented")
	case has(src("script-src"), append(broad, "'unsafe-inline'", "data:")...) || has(src("object-src"), broad...):
		add(-20, "CSP allows unsafe-inline, data: or broad sources for scripts or objects")
	case has(src("script-src"), "'unsafe-eval'") || has(src("style-src"), "'unsafe-eval'"):
		add(-10, "CSP allows unsafe-eval")
	case has(src("style-src"), append(broad, "'unsafe-inline'", "data:")...):
		add(0, "CSP with unsafe sources in style-src only")
	case len(csp["default-src"]) == 1 && csp["default-src"][0] == "'none'":
		add(10, "CSP without unsafe sources, default-src 'none'")
	default:
		add(5, "CSP without unsafe sources")
	}

	// Cookies and CORS.
	if len(h.Values("Set-Cookie")) > 0 {
		add(-40, "sets cookies (not scored in detail: the site must set none)")
	} else {
		add(0, "no cookies")
	}
	if h.Get("Access-Control-Allow-Credentials") == "true" && h.Get("Access-Control-Allow-Origin") != "" {
		add(-50, "CORS with credentials")
	} else {
		add(0, "no credentialed CORS")
	}
	add(0, "redirection to HTTPS on the same host (Netlify's; not measured here)")

	// Referrer-Policy: the last recognised value counts.
	switch rp := strings.TrimSpace(h.Get("Referrer-Policy")); {
	case rp == "":
		add(0, "no Referrer-Policy")
	case slices.Contains([]string{"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}, lastToken(rp)):
		add(5, "Referrer-Policy "+rp)
	default:
		add(-5, "Referrer-Policy "+rp)
	}

	// HSTS.
	m := regexp.MustCompile(`max-age=(\d+)`).FindStringSubmatch(h.Get("Strict-Transport-Security"))
	switch {
	case m == nil:
		add(-20, "no HSTS")
	default:
		if age, _ := strconv.Atoi(m[1]); age < 15768000 {
			add(-10, "HSTS under six months")
		} else {
			add(0, "HSTS of six months or more")
		}
	}

	// Subresource Integrity: scripts on this origin with integrity earn 5.
	scripts := regexp.MustCompile(`<script\b[^>]*>`).FindAllString(html, -1)
	var srcs, sri, foreign int
	for _, s := range scripts {
		if !strings.Contains(s, "src=") {
			continue
		}
		srcs++
		if strings.Contains(s, "integrity=") {
			sri++
		}
		if regexp.MustCompile(`src="?(https?:)?//`).MatchString(s) {
			foreign++
		}
	}
	switch {
	case len(scripts) == 0:
		add(0, "no scripts, SRI not needed")
	case foreign > 0 && sri < srcs:
		add(-5, "scripts from other origins without SRI")
	case srcs > 0 && sri == srcs:
		add(5, "SRI on every script")
	default:
		add(0, "scripts from this origin without SRI")
	}

	if strings.ToLower(h.Get("X-Content-Type-Options")) == "nosniff" {
		add(0, "X-Content-Type-Options nosniff")
	} else {
		add(-5, "no X-Content-Type-Options nosniff")
	}

	switch fa := csp["frame-ancestors"]; {
	case len(fa) > 0 && !has(fa, broad...):
		add(5, "framing limited by CSP frame-ancestors")
	case strings.EqualFold(h.Get("X-Frame-Options"), "deny") || strings.EqualFold(h.Get("X-Frame-Options"), "sameorigin"):
		add(0, "X-Frame-Options")
	default:
		add(-20, "framing not limited")
	}

	switch strings.TrimSpace(h.Get("Cross-Origin-Resource-Policy")) {
	case "same-origin", "same-site":
		add(10, "Cross-Origin-Resource-Policy "+h.Get("Cross-Origin-Resource-Policy"))
	default:
		add(0, "no restrictive Cross-Origin-Resource-Policy")
	}

	score = 100 + penalty
	if score >= 90 {
		score += bonus
	}
	return max(score, 0), notes
}

func lastToken(s string) string {
	parts := strings.Split(s, ",")
	return strings.ToLower(strings.TrimSpace(parts[len(parts)-1]))
}

// The home page, as the Observatory reaches it (after the language
// redirect), and other pages score A+ (115 or more, the target).
func TestObservatoryScore(t *testing.T) {
	t.Parallel()
	h, _ := newTestHandler(t)
	resp := get(t, h, "/")
	home := resp.Header.Get("Location")
	for _, path := range []string{home, "/en/", "/fr/support-us/", "/en/support-us/", "/en/contact/", "/ar/", "/en/gone/"} {
		resp := get(t, h, path)
		body, _ := io.ReadAll(resp.Body)
		score, notes := observatory(resp.Header, string(body))
		if score < 115 {
			t.Errorf("%s scores %d, want 115 or more:\n%s", path, score, strings.Join(notes, "\n"))
		}
		if path == home {
			t.Logf("%s scores %d (A+):\n%s", path, score, strings.Join(notes, "\n"))
		}
	}
}

// The scoring itself can fail: without a policy or HSTS a page scores low.
func TestObservatoryScoringPenalises(t *testing.T) {
	t.Parallel()
	h, _ := newTestHandler(t)
	resp := get(t, h, "/nl/")
	body, _ := io.ReadAll(resp.Body)
	for name, strip := range map[string][]string{
		"no CSP":         {"Content-Security-Policy"},
		"no HSTS":        {"Strict-Transport-Security"},
		"nothing at all": {"Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Resource-Policy"},
	} {
		hdr := resp.Header.Clone()
		for _, s := range strip {
			hdr.Del(s)
		}
		if score, _ := observatory(hdr, string(body)); score >= 100 {
			t.Errorf("%s still scores %d", name, score)
		}
	}
}
