package main

import (
	"bytes"
	"html/template"
	"mime/quotedprintable"
	"strings"
	"testing"
	"time"
)

// The checks the command relies on, on pages and mails made the way the
// handler makes them. They need no network and run in `go test ./...`; the
// load itself runs only as `go run ./bench/load`.

func TestEchoedNeedsTheExactText(t *testing.T) {
	msg := message("abc123", 7)
	page := func(text string) []byte {
		var b bytes.Buffer
		template.Must(template.New("").Parse(`<p>x</p><textarea id="contact-message" name="message" rows="10" maxlength="5000" required>{{ . }}</textarea>`)).Execute(&b, text)
		return b.Bytes()
	}
	if !echoed(page(normalized(msg)), msg) {
		t.Errorf("the handler's escaping of the text is not read back as the text:\n%s", page(normalized(msg)))
	}
	if echoed(page(normalized(message("abc123", 8))), msg) {
		t.Error("another sender's text counts as this one's")
	}
	if echoed(page(strings.TrimSuffix(normalized(msg), "السادسة")), msg) {
		t.Error("a truncated text counts as shown back")
	}
	if echoed([]byte("<p>Try again later.</p>"), msg) {
		t.Error("a page without the form counts as showing the text")
	}
}

func TestTokenSurvivesQuotedPrintable(t *testing.T) {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	w.Write([]byte("Bericht:\n" + normalized(message("9f0e", 42)) + strings.Repeat(" lang", 40)))
	w.Close()
	body, err := readQP(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	m := tokenRE.FindSubmatch(body)
	if m == nil || string(m[1]) != "9f0e" || string(m[2]) != "000042" {
		t.Errorf("token not found in the decoded mail: %q", m)
	}
}

func TestSendersHaveTheirOwnAddress(t *testing.T) {
	seen := map[string]bool{}
	for s := range 70000 {
		ip := sourceIP(s)
		if ip[0] != 127 || seen[ip.String()] {
			t.Fatalf("sender %d: %s", s, ip)
		}
		seen[ip.String()] = true
	}
	if a, b := netlifyIP(1), netlifyIP(65537); a == b || !strings.HasPrefix(a, "2001:db8:0:1::") {
		t.Errorf("netlify addresses %s, %s", a, b)
	}
}

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(101-i))
	}
	if p := percentile(ds, 50); p != 50 {
		t.Errorf("p50 %d", p)
	}
	if p := percentile(ds, 99); p != 99 {
		t.Errorf("p99 %d", p)
	}
	if p := percentile(ds[:1], 99); p != 100 {
		t.Errorf("p99 of one %d", p)
	}
}
