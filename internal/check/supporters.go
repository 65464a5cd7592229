package check

import (
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// supportersFile lists sponsors, one [[supporter]] block each, read by the
// supporters shortcode. It is language-neutral, so it lives in data/, not content/.
const supportersFile = "data/supporters.toml"

func checkSupporters(s *site, rep *Report) {
	b, err := os.ReadFile(filepath.Join(s.root, supportersFile))
	if os.IsNotExist(err) {
		return
	}
	var data struct {
		Supporter []struct {
			Name any `toml:"name"` // one name, or one per language

			URL  string `toml:"url"`
			Logo string `toml:"logo"`
		} `toml:"supporter"`
	}
	if err == nil {
		err = toml.Unmarshal(b, &data)
	}
	if err != nil {
		line, msg := errorLine(err)
		rep.errorf(supportersFile, line, "the file cannot be read (%s) — each supporter starts with a line [[supporter]] followed by name = \"…\", url = \"…\" and logo = \"…\"", msg)
		return
	}
	// The line of each [[supporter]] block, in order.
	var starts []int
	for i, line := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(line) == "[[supporter]]" {
			starts = append(starts, i+1)
		}
	}
	for i, sup := range data.Supporter {
		line := 0
		if i < len(starts) {
			line = starts[i]
		}
		name := ""
		switch n := sup.Name.(type) {
		case string:
			name = strings.TrimSpace(n)
		case map[string]any:
			for _, lang := range s.siteLangs {
				v, _ := n[lang].(string)
				if strings.TrimSpace(v) == "" {
					rep.errorf(supportersFile, line, "this supporter has no name in %s — write name = { nl = \"…\", en = \"…\", fr = \"…\" }", s.lang(lang).name)
				} else if name == "" {
					name = v
				}
			}
		}
		if name == "" && !isMap(sup.Name) {
			rep.errorf(supportersFile, line, "this supporter has no name — add name = \"…\"; it is also the text that describes the logo")
		}
		if sup.URL != "" && !strings.HasPrefix(sup.URL, "https://") {
			rep.errorf(supportersFile, line, "the website of %q must start with https://", sup.Name)
		}
		if sup.Logo != "" && !s.exists(path.Join("assets", sup.Logo)) {
			rep.errorf(supportersFile, line, "the logo %q of %q is not in assets/ — put the file in assets/images/supporters/ and write logo = \"images/supporters/%s\"", sup.Logo, name, path.Base(sup.Logo))
		}
	}
}

func isMap(v any) bool {
	_, ok := v.(map[string]any)
	return ok
}
