package check

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"
)

// field is one top-level front-matter entry: its text as written and its line.
type field struct {
	raw    string // scalar text without quotes; empty for lists and maps
	line   int
	quoted bool // written as a string ("…"), so never a date or a boolean
}

// page is one content file, split into front matter and body.
type page struct {
	file      string // path from the site root: content/en/about/history.md
	rel       string // path inside the language folder: about/history.md
	lang      language
	fields    map[string]field
	fmLine    int // line of the opening delimiter
	body      []string
	bodyStart int // line number of body[0]
	// broken is set when the front matter cannot be read: the page still
	// counts as present, but its fields are not checked again.
	broken bool
}

func (p *page) get(key string) (field, bool) {
	f, ok := p.fields[key]
	return f, ok
}

func (p *page) str(key string) string {
	return strings.TrimSpace(p.fields[key].raw)
}

func (p *page) isTrue(key string) bool {
	f, ok := p.fields[key]
	return ok && !f.quoted && f.raw == "true"
}

// parsePage splits a content file the way Hugo does: YAML between "---"
// lines or TOML between "+++" lines, then the Markdown body.
func parsePage(file, rel string, l language, b []byte) (*page, *Finding) {
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	p := &page{file: file, rel: rel, lang: l, fields: map[string]field{}, fmLine: 1}
	fail := func(line int, format string, args ...any) (*page, *Finding) {
		return nil, &Finding{File: file, Line: line, Severity: Error, Message: fmt.Sprintf(format, args...)}
	}
	if len(lines) == 0 || (strings.TrimSpace(lines[0]) != "---" && strings.TrimSpace(lines[0]) != "+++") {
		return fail(1, `the page has no front matter — the file must start with a line "---", then lines like "title: …" and "description: …", then another line "---"`)
	}
	delim := strings.TrimSpace(lines[0])
	end := -1
	for i := 1; i < len(lines); i++ {
		if strings.TrimRight(lines[i], " \t") == delim {
			end = i
			break
		}
	}
	if end < 0 {
		return fail(1, `the front matter is never closed — add a line "%s" after its last line`, delim)
	}
	fm := strings.Join(lines[1:end], "\n")
	p.body = lines[end+1:]
	p.bodyStart = end + 2
	var err error
	if delim == "---" {
		err = p.parseYAML(fm)
	} else {
		err = p.parseTOML(fm, lines[1:end])
	}
	if err != nil {
		line, msg := errorLine(err)
		p.broken, p.fields = true, map[string]field{}
		return p, &Finding{File: file, Line: line + 1, Severity: Error, Message: fmt.Sprintf("the front matter cannot be read (%s) — check for a missing colon, a stray quote, or a line that is not indented like the others", msg)}
	}
	return p, nil
}

func (p *page) parseYAML(fm string) error {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(fm), &doc); err != nil {
		return err
	}
	if len(doc.Content) == 0 {
		return nil // empty front matter: the field checks report what is missing
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return fmt.Errorf("line 1: expected lines of the form \"name: value\"")
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		f := field{line: k.Line + 1}
		if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
			f.raw = v.Value
			f.quoted = v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0
		}
		p.fields[k.Value] = f
	}
	return nil
}

var tomlKey = regexp.MustCompile(`^\s*("?)([A-Za-z0-9_-]+)("?)\s*=`)

func (p *page) parseTOML(fm string, lines []string) error {
	var m map[string]any
	if err := toml.Unmarshal([]byte(fm), &m); err != nil {
		return err
	}
	lineOf := map[string]int{}
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "[") {
			break // top-level keys come before the first table
		}
		if g := tomlKey.FindStringSubmatch(l); g != nil {
			lineOf[g[2]] = i + 2
		}
	}
	for k, v := range m {
		f := field{line: lineOf[k]}
		switch v := v.(type) {
		case string:
			f.raw, f.quoted = v, true
		case bool, int64, float64:
			f.raw = fmt.Sprint(v)
		case toml.LocalDate, toml.LocalDateTime:
			f.raw = fmt.Sprint(v)
		case interface{ Format(string) string }: // time.Time, an offset date-time
			f.raw = v.Format("2006-01-02T15:04:05Z07:00")
		}
		p.fields[k] = f
	}
	return nil
}

var lineInError = regexp.MustCompile(`line (\d+)`)

// errorLine pulls the line number out of a YAML or TOML error message.
func errorLine(err error) (int, string) {
	if de, ok := err.(*toml.DecodeError); ok {
		row, _ := de.Position()
		return row, de.Error()
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if g := lineInError.FindStringSubmatch(msg); g != nil {
		n, _ := strconv.Atoi(g[1])
		return n, msg
	}
	return 0, msg
}
