package web

import (
	"fmt"
	"net"
	"net/http"

	"github.com/payoke/site/internal/netlify"
)

// SameOrigin lets through to next only posts from the site itself (or from
// trusted, the site's origin from SITE_URL, when not empty), by Go's
// http.CrossOriginProtection: Sec-Fetch-Site, else Origin against Host.
// Other posts go to deny, which answers them (the contact and donate
// functions show the form again with what was typed).
//
// One exception: a browser too old for Sec-Fetch-Site sends "Origin: null"
// under the site's Referrer-Policy: no-referrer, and is let through. A
// forged post of that kind can at worst mail staff or open a Checkout page;
// the rate limits still apply.
func SameOrigin(trusted string, next, deny http.Handler) (http.Handler, error) {
	cop := http.NewCrossOriginProtection()
	if trusted != "" {
		if err := cop.AddTrustedOrigin(trusted); err != nil {
			return nil, fmt.Errorf("trusted origin: %w", err)
		}
	}
	cop.SetDenyHandler(deny)
	checked := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Sec-Fetch-Site") == "" && r.Header.Get("Origin") == "null" {
			next.ServeHTTP(w, r)
			return
		}
		checked.ServeHTTP(w, r)
	}), nil
}

// RemoteIP is the host of r.RemoteAddr: the client, when nothing stands
// between it and this server.
func RemoteIP(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// ClientIPFromEnv names the client of a request for a rate limit. On
// Netlify (netlify.Running) it is X-Nf-Client-Connection-Ip,
// which Netlify's proxy sets; elsewhere that header could be forged and is
// ignored, and the client is RemoteIP.
func ClientIPFromEnv(getenv func(string) string) func(*http.Request) string {
	if !netlify.Running(getenv) {
		return RemoteIP
	}
	return func(r *http.Request) string {
		if ip := r.Header.Get("X-Nf-Client-Connection-Ip"); ip != "" {
			return ip
		}
		return RemoteIP(r)
	}
}
