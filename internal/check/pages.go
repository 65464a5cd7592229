package check

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// maxDescription is about where search engines cut a description.
const maxDescription = 160

// dateFields are the front-matter dates Hugo reads.
var dateFields = []string{"date", "publishDate", "lastmod", "expiryDate"}

var plainDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// validDate accepts what the brief promises staff: 2026-03-01 or a full
// RFC 3339 time such as 2026-03-01T10:00:00+01:00.
func validDate(s string) bool {
	if plainDate.MatchString(s) {
		_, err := time.Parse(time.DateOnly, s)
		return err == nil
	}
	_, err := time.Parse(time.RFC3339Nano, s)
	return err == nil
}

// isPlaceholder spots the example text the archetypes leave for staff to replace.
func isPlaceholder(s string) bool {
	return strings.HasPrefix(strings.ToUpper(strings.TrimSpace(s)), "TODO")
}

func checkFrontMatter(s *site, rep *Report) {
	for _, p := range s.pages {
		if p.broken {
			continue // reported once already: the front matter cannot be read
		}
		draft := p.isTrue("draft")
		for _, key := range []string{"title", "description"} {
			f, ok := p.get(key)
			line := p.fmLine
			if ok {
				line = f.line
			}
			switch {
			case strings.TrimSpace(f.raw) == "":
				rep.errorf(p.file, line, "the %s is missing — add a line \"%s: …\" to the front matter%s", key, key, fieldHint[key])
			case isPlaceholder(f.raw) && !draft:
				rep.errorf(p.file, line, "the %s still has the example text %q — replace it with your own words", key, f.raw)
			}
		}
		if d, ok := p.get("description"); ok {
			if n := utf8.RuneCountInString(strings.TrimSpace(d.raw)); n > maxDescription {
				rep.warnf(p.file, d.line, "the description is %d characters long; search engines cut it after about %d — shorten it to one plain sentence", n, maxDescription)
			}
		}
		for _, key := range dateFields {
			f, ok := p.get(key)
			if !ok || strings.TrimSpace(f.raw) == "" {
				continue
			}
			if !validDate(strings.TrimSpace(f.raw)) {
				rep.errorf(p.file, f.line, "the %s %q is not in the form the site understands — write year-month-day with dashes, like \"%s: 2026-03-01\"", key, f.raw, key)
			}
		}
		if u, ok := p.get("url"); ok && u.raw != "" && !strings.HasPrefix(u.raw, "/"+p.lang.code+"/") {
			rest := strings.TrimLeft(u.raw, "/")
			if first, after, found := strings.Cut(rest, "/"); found && s.lang(first).contentDir != "" {
				rest = after // it starts with another language: suggest the same address in this one
			}
			rep.errorf(p.file, u.line, "the address (url) %q must start with \"/%s/\", the language of this page, like \"url: /%s/%s\"", u.raw, p.lang.code, p.lang.code, rest)
		}
		if !draft {
			for i, line := range p.body {
				if isPlaceholder(line) {
					rep.errorf(p.file, p.bodyStart+i, "this line is still the example text from the template — replace it with your own words, or delete it")
				}
			}
		}
		if draft {
			if f, ok := p.get("draft"); ok {
				rep.warnf(p.file, f.line, "this page is a draft and will not be published — remove the line \"draft: true\" when it is ready")
			}
		}
		if p.lang.helpOnly && !p.isTrue("reviewed") {
			line := p.fmLine
			if f, ok := p.get("reviewed"); ok {
				line = f.line
			}
			rep.warnf(p.file, line, "not yet checked by a native speaker — when a native speaker of %s has read this page and found it right, set \"reviewed: true\" in the front matter", p.lang.name)
		}
		if !p.lang.helpOnly && p.str("translationKey") == "" {
			rep.errorf(p.file, p.fmLine, "the translationKey is missing — add a line \"translationKey: …\" with a short English name that is the same in the Dutch, English and French versions of this page")
		}
	}
}

var fieldHint = map[string]string{
	"title":       " (the heading readers see)",
	"description": " (one sentence of at most 160 characters, shown by search engines and in lists)",
}

// checkTranslations compares the site languages: every page exists in each
// of them (unless marked singleLanguage), and translationKeys agree.
func checkTranslations(s *site, rep *Report) {
	type key struct{ lang, v string }
	byRel := map[key]*page{}
	byKey := map[key][]*page{}
	var pages []*page
	for _, p := range s.pages {
		if !slices.Contains(s.siteLangs, p.lang.code) {
			continue
		}
		pages = append(pages, p)
		byRel[key{p.lang.code, p.rel}] = p
		if k := p.str("translationKey"); k != "" {
			byKey[key{p.lang.code, k}] = append(byKey[key{p.lang.code, k}], p)
		}
	}

	// Two pages in one language claiming the same translationKey.
	for k, ps := range byKey {
		for _, p := range ps[1:] {
			rep.errorf(p.file, p.fields["translationKey"].line, "the translationKey %q is also used by %s — each page in a language needs its own translationKey", k.v, ps[0].file)
		}
	}

	// Same file in two languages with different translationKeys.
	for _, p := range pages {
		ref := s.reference(p, func(lang string) *page { return byRel[key{lang, p.rel}] })
		if ref == nil || ref == p {
			continue
		}
		a, b := p.str("translationKey"), ref.str("translationKey")
		if a != "" && b != "" && a != b {
			rep.errorf(p.file, p.fields["translationKey"].line, "the translationKey %q differs from %q in the %s version, %s — use the same translationKey in every language", a, b, ref.lang.name, ref.file)
		}
	}

	// A page that is missing in some languages: report once per page, at
	// the version in the first language that has it.
	reported := map[*page]bool{}
	for _, p := range pages {
		if reported[p] || p.isTrue("singleLanguage") {
			continue
		}
		group := []*page{p}
		var missing []string
		for _, lang := range s.siteLangs {
			if lang == p.lang.code {
				continue
			}
			q := byRel[key{lang, p.rel}]
			if q == nil && p.str("translationKey") != "" {
				if ps := byKey[key{lang, p.str("translationKey")}]; len(ps) > 0 {
					q = ps[0]
				}
			}
			if q == nil {
				missing = append(missing, lang)
			} else {
				group = append(group, q)
			}
		}
		for _, q := range group {
			reported[q] = true
		}
		if len(missing) == 0 {
			continue
		}
		var have, need, files []string
		for _, q := range group {
			have = append(have, q.lang.name)
		}
		for _, lang := range missing {
			l := s.lang(lang)
			need = append(need, l.name)
			files = append(files, l.contentDir+"/"+p.rel)
		}
		rep.errorf(group[0].file, 1, "this page exists in %s but not in %s — add %s with the translation, or, if the page is meant for %s readers only, add \"singleLanguage: true\" to its front matter", and(have), and(need), and(files), or(have))
	}
}

// reference returns the version of p that the other languages follow: the
// one in the default language, or else in the first language that has it.
func (s *site) reference(p *page, in func(lang string) *page) *page {
	if q := in(s.defaultLang); q != nil {
		return q
	}
	for _, lang := range s.siteLangs {
		if q := in(lang); q != nil {
			return q
		}
	}
	return nil
}

func and(xs []string) string { return join(xs, "and") }
func or(xs []string) string  { return join(xs, "or") }

func join(xs []string, word string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return fmt.Sprintf("%s %s %s", strings.Join(xs[:len(xs)-1], ", "), word, xs[len(xs)-1])
}
