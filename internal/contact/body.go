package contact

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// body is what could be read of a posted form.
type body struct {
	values url.Values
	// broken names the fields whose percent-encoding was broken: their
	// values were decoded leniently and must be checked by the sender.
	broken map[string]bool
	// raw is the body itself when no field of the form could be read from
	// it and it is text: shown back, so nothing typed is lost.
	raw string
	// unreadable: something arrived, and no field of the form in it.
	unreadable bool
}

// readBody reads r's body, already under the body limit, as a form that
// posts names (postedNames): urlencoded (also
// when Content-Type is missing), multipart/form-data or text/plain, as a
// browser may send them. An error is a read error, *http.MaxBytesError
// included; what cannot be parsed is reported in the body instead.
func readBody(r *http.Request, maxBody int64, names []string) (body, error) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return body{}, err
	}
	b := body{broken: map[string]bool{}}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "multipart/form-data":
		b.values, b.broken = readMultipart(data, params["boundary"], maxBody)
	case "text/plain":
		b.values = readPlain(data)
	default:
		// application/x-www-form-urlencoded, or no type (or one a client
		// got wrong): read it as a form if it is one.
		b.values, b.broken = readURLEncoded(string(data))
	}
	if len(bytes.TrimSpace(data)) > 0 && !hasAny(b.values, names) {
		b.unreadable, b.values, b.broken = true, url.Values{}, map[string]bool{}
		if utf8.Valid(data) {
			b.raw = string(data)
		}
	}
	return b, nil
}

func hasAny(v url.Values, names []string) bool {
	for _, k := range names {
		if _, ok := v[k]; ok {
			return true
		}
	}
	return false
}

// readMultipart reads the fields of a multipart/form-data body; files are
// skipped. A body cut short keeps what was read, the last field as broken.
func readMultipart(data []byte, boundary string, maxBody int64) (url.Values, map[string]bool) {
	v, broken := url.Values{}, map[string]bool{}
	if boundary == "" {
		return v, broken
	}
	mr := multipart.NewReader(bytes.NewReader(data), boundary)
	for {
		p, err := mr.NextPart()
		if err != nil {
			return v, broken
		}
		name := p.FormName()
		if name == "" || p.FileName() != "" {
			continue
		}
		value, err := io.ReadAll(io.LimitReader(p, maxBody))
		if err != nil {
			if len(value) > 0 {
				v.Add(name, strings.ToValidUTF8(string(value), "\uFFFD"))
				broken[name] = true
			}
			return v, broken
		}
		v.Add(name, string(value))
	}
}

// readPlain reads an enctype="text/plain" body: one name=value per line,
// nothing encoded.
func readPlain(data []byte) url.Values {
	v := url.Values{}
	for line := range strings.SplitSeq(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
		if k, val, ok := strings.Cut(line, "="); ok && k != "" {
			v.Add(k, val)
		}
	}
	return v
}

// readURLEncoded reads an urlencoded body as url.ParseQuery does, except
// that a broken escape ("%zz", a lone "%") does not lose the field: its
// value is decoded leniently (valid escapes decoded, the rest kept as it
// is) and its name reported in broken.
func readURLEncoded(s string) (url.Values, map[string]bool) {
	v, broken := url.Values{}, map[string]bool{}
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		k, val, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			key = lenientUnescape(k)
		}
		value, err := url.QueryUnescape(val)
		if err != nil {
			value = lenientUnescape(val)
			broken[key] = true
		}
		v.Add(key, value)
	}
	return v, broken
}

// lenientUnescape decodes '+' and every well-formed %XX, keeps any other
// '%' as it is, and turns bytes that are not UTF-8 into U+FFFD, so the text
// can be shown back.
func lenientUnescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b.WriteByte(' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return strings.ToValidUTF8(b.String(), "\uFFFD")
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
