package check

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

var (
	tableHeader = regexp.MustCompile(`^\s*\[\s*"?([^\]"]+)"?\s*\]\s*(#.*)?$`)
	topLevelKey = regexp.MustCompile(`^\s*"?([^"=\s]+)"?\s*=`)
)

// stringFile is one i18n/<lang>.toml: its keys and the line of each.
type stringFile struct {
	lang language
	file string
	keys map[string]int
}

// readStrings reads the interface strings of one language; nil if the file
// is missing or broken (then the finding is already added).
func (s *site) readStrings(rep *Report, l language) *stringFile {
	file := "i18n/" + l.code + ".toml"
	b, err := os.ReadFile(filepath.Join(s.root, file))
	if os.IsNotExist(err) {
		rep.errorf(file, 0, "the file of interface texts for %s is missing — copy i18n/%s.toml to %s and translate each \"other = …\" line", l.name, s.defaultLang, file)
		return nil
	}
	var m map[string]any
	if err == nil {
		err = toml.Unmarshal(b, &m)
	}
	if err != nil {
		line, msg := errorLine(err)
		rep.errorf(file, line, "the file cannot be read (%s) — each text looks like [name] on one line and other = \"…\" on the next", msg)
		return nil
	}
	sf := &stringFile{lang: l, file: file, keys: map[string]int{}}
	inTable := false
	for i, line := range strings.Split(string(b), "\n") {
		if g := tableHeader.FindStringSubmatch(line); g != nil {
			sf.keys[strings.TrimSpace(g[1])] = i + 1
			inTable = true
		} else if g := topLevelKey.FindStringSubmatch(line); g != nil && !inTable {
			sf.keys[g[1]] = i + 1
		}
	}
	for k := range m { // keys the line scan did not see still count
		if _, ok := sf.keys[k]; !ok {
			sf.keys[k] = 0
		}
	}
	return sf
}

// checkStrings compares the key sets of the i18n files: nl, en and fr have
// the same keys; the help-only languages share one set, drawn from nl's.
func checkStrings(s *site, rep *Report) {
	var full, help []*stringFile
	var def *stringFile
	for _, l := range s.langs {
		sf := s.readStrings(rep, l)
		if sf == nil {
			continue
		}
		if l.helpOnly {
			help = append(help, sf)
		} else {
			full = append(full, sf)
		}
		if l.code == s.defaultLang {
			def = sf
		}
	}
	sameKeys(rep, full, "every site language needs every text")
	sameKeys(rep, help, "every help language needs the same texts")
	if def == nil {
		return
	}
	for _, sf := range help {
		for k, line := range sf.keys {
			if _, ok := def.keys[k]; !ok {
				rep.errorf(sf.file, line, "the text %q is not in %s — a help language may only translate texts that the %s file has; check the spelling of the name", k, def.file, def.lang.name)
			}
		}
	}
}

// sameKeys reports each key that some files have and others lack, once, at
// the first file that has it.
func sameKeys(rep *Report, files []*stringFile, why string) {
	seen := map[string]bool{}
	for i, sf := range files {
		for k, line := range sf.keys {
			if seen[k] {
				continue
			}
			seen[k] = true
			var missing []string
			for j, other := range files {
				if _, ok := other.keys[k]; !ok && j != i {
					missing = append(missing, other.file)
				}
			}
			if len(missing) > 0 {
				rep.errorf(sf.file, line, "the text %q is here but missing from %s — add it there, translated (%s)", k, and(missing), why)
			}
		}
	}
}
