package headerstest

import (
	"net/http"
	"testing"

	"github.com/payoke/site/internal/headers"
)

func TestVerify(t *testing.T) {
	t.Parallel()
	s, err := headers.Default()
	if err != nil {
		t.Fatal(err)
	}
	good := s.For(headers.APIPath)
	if err := Verify(s, headers.APIPath, good); err != nil {
		t.Errorf("the rules' own headers: %v", err)
	}
	narrower := good.Clone()
	narrower.Set("Content-Security-Policy", "default-src 'none'; style-src 'sha256-abc='; frame-ancestors 'none'; base-uri 'none'")
	if err := Verify(s, headers.APIPath, narrower); err != nil {
		t.Errorf("a narrower policy: %v", err)
	}
	for name, change := range map[string]func(http.Header){
		"unsafe-inline": func(h http.Header) {
			h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
		},
		"no frame-ancestors": func(h http.Header) { h.Set("Content-Security-Policy", "default-src 'none'; base-uri 'none'") },
		"two policies":       func(h http.Header) { h.Add("Content-Security-Policy", "default-src *") },
		"no HSTS":            func(h http.Header) { h.Del("Strict-Transport-Security") },
		"a referrer":         func(h http.Header) { h.Set("Referrer-Policy", "origin") },
	} {
		h := good.Clone()
		change(h)
		if Verify(s, headers.APIPath, h) == nil {
			t.Errorf("Verify accepted %s", name)
		}
	}
}
