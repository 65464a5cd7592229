package serve

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	site "github.com/payoke/site"
	"github.com/payoke/site/internal/headers"
	"github.com/payoke/site/internal/siteconfig"
)

// checkRootRoutes compares the "/" rules of netlify.toml with config.toml's
// languages: the /api rewrite first; then one forced 302 per language of
// config.toml, to /<lang>/, matching that language's two-letter code; then
// the fallback to the default language, last. It returns one line per problem.
func checkRootRoutes(routes []Route, cfg *siteconfig.Config) []string {
	var out []string
	if len(routes) == 0 || routes[0].From != "/api/*" {
		out = append(out, "the /api/* rewrite must be the first rule: a rule before it could catch the functions' requests")
	}
	known := map[string]bool{}
	for _, l := range cfg.Languages {
		known[l.Lang] = true
	}
	ruleFor := map[string]int{} // language → index of its rule
	fallback := -1
	lastRoot := -1
	for i, r := range routes {
		if r.From != "/" {
			continue
		}
		lastRoot = i
		where := fmt.Sprintf("netlify.toml, [[redirects]] from \"/\" to %q (rule %d)", r.To, i+1)
		if r.Status != http.StatusFound || !r.Force {
			out = append(out, fmt.Sprintf("%s: want status = 302 and force = true (Hugo writes a file at /, which an unforced rule never replaces), have status %d, force %v", where, r.Status, r.Force))
		}
		langs, conditional := r.Conditions["Language"]
		if !conditional {
			if fallback >= 0 {
				out = append(out, where+": a second rule without a condition; the first one already catches every visitor")
			}
			fallback = i
			if want := "/" + cfg.DefaultLanguage + "/"; r.To != want {
				out = append(out, fmt.Sprintf("%s: the fallback must go to the default language's home %s", where, want))
			}
			continue
		}
		if fallback >= 0 {
			out = append(out, where+": comes after the fallback rule, so it never applies")
		}
		if len(langs) == 0 {
			out = append(out, where+": Language = [] matches no one")
		}
		for _, l := range langs {
			switch {
			case !known[l]:
				out = append(out, fmt.Sprintf("%s: Language %q is not a language of config.toml", where, l))
			case r.To != "/"+l+"/":
				out = append(out, fmt.Sprintf("%s: Language %q must go to /%s/", where, l, l))
			}
			if _, dup := ruleFor[l]; dup {
				out = append(out, fmt.Sprintf("%s: Language %q already has rule %d; this one never applies", where, l, ruleFor[l]+1))
			} else {
				ruleFor[l] = i
			}
		}
	}
	for _, l := range cfg.Languages {
		if _, ok := ruleFor[l.Lang]; !ok {
			out = append(out, fmt.Sprintf("netlify.toml has no rule sending Accept-Language %q to /%s/: add [[redirects]] from = \"/\", to = \"/%s/\", status = 302, force = true, conditions = { Language = [%q] } before the Dutch fallback", l.Lang, l.Lang, l.Lang, l.Lang))
		}
	}
	switch {
	case fallback < 0:
		out = append(out, fmt.Sprintf("netlify.toml has no fallback rule from \"/\" to /%s/ without a condition", cfg.DefaultLanguage))
	case fallback != lastRoot:
		out = append(out, "the fallback rule from \"/\" must be the last rule from \"/\"")
	}
	return out
}

// checkLanguageHeaders: every language folder of config.toml has its own
// [[headers]] block giving its pages the page policy (the same as /nl/*).
func checkLanguageHeaders(rules []headers.Rule, cfg *siteconfig.Config) []string {
	var out []string
	policy := func(pattern string) (string, bool) {
		for _, r := range rules {
			if r.For == pattern {
				return r.Values["Content-Security-Policy"], true
			}
		}
		return "", false
	}
	want, _ := policy("/" + cfg.DefaultLanguage + "/*")
	if want == "" {
		return []string{fmt.Sprintf("netlify.toml has no Content-Security-Policy for /%s/*", cfg.DefaultLanguage)}
	}
	for _, l := range cfg.Languages {
		got, ok := policy("/" + l.Lang + "/*")
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("netlify.toml has no [[headers]] for = \"/%s/*\": copy the /%s/* block for it", l.Lang, cfg.DefaultLanguage))
		case got != want:
			out = append(out, fmt.Sprintf("netlify.toml: [[headers]] for = \"/%s/*\" has another Content-Security-Policy than /%s/*", l.Lang, cfg.DefaultLanguage))
		}
	}
	return out
}

func loadConfig(t *testing.T) *siteconfig.Config {
	t.Helper()
	cfg, err := siteconfig.Load(site.Files)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// netlify.toml's root rules and headers cover exactly config.toml's languages.
func TestRootRedirectsMatchConfig(t *testing.T) {
	t.Parallel()
	cfg := loadConfig(t)
	routes, err := LoadRoutes(site.Files)
	if err != nil {
		t.Fatal(err)
	}
	hdrs, err := headers.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range append(checkRootRoutes(routes, cfg), checkLanguageHeaders(hdrs.Rules(), cfg)...) {
		t.Error(p)
	}
	if len(cfg.Languages) < 17 {
		t.Errorf("config.toml has %d languages; expected nl, en, fr and 14 help-only languages", len(cfg.Languages))
	}
}

// The checks above catch each way netlify.toml can drift from config.toml.
func TestRootRedirectCheckFindsFaults(t *testing.T) {
	t.Parallel()
	cfg := loadConfig(t)
	orig, err := site.Files.ReadFile("netlify.toml")
	if err != nil {
		t.Fatal(err)
	}
	rule := func(lang string) string {
		return fmt.Sprintf("[[redirects]]\n  from = \"/\"\n  to = \"/%s/\"\n  status = 302\n  force = true\n  conditions = { Language = [\"%s\"] }\n", lang, lang)
	}
	fallback := "[[redirects]]\n  from = \"/\"\n  to = \"/nl/\"\n  status = 302\n  force = true\n\n"
	// The /api/* rewrite with its rate-limit sub-table (kept last in the table).
	api := "[[redirects]]\n  from = \"/api/*\"\n  to = \"/.netlify/functions/:splat\"\n  status = 200\n  [redirects.rate_limit]\n    window_limit = 60\n    window_size = 60\n    aggregate_by = [\"ip\", \"domain\"]\n\n"
	for _, c := range []struct {
		name     string
		old, new string
		want     string
	}{
		{"a language without a rule", rule("ro"), "", `no rule sending Accept-Language "ro" to /ro/`},
		{"a rule for no language", rule("zh"), rule("zh") + "\n" + rule("de"), `Language "de" is not a language of config.toml`},
		{"a rule to the wrong page", rule("ti"), strings.Replace(rule("ti"), `to = "/ti/"`, `to = "/nl/"`, 1), `Language "ti" must go to /ti/`},
		{"a region in the value", `Language = ["zh"]`, `Language = ["zh-TW"]`, `Language "zh-TW" is not a language of config.toml`},
		{"not forced", rule("ar"), strings.Replace(rule("ar"), "force = true", "force = false", 1), "want status = 302 and force = true"},
		{"a rule after the fallback", rule("vi"), "", "comes after the fallback rule, so it never applies"},
		{"no fallback", fallback, "", "no fallback rule"},
		{"the functions not first", api, "", "the /api/* rewrite must be the first rule"},
		{"a language twice", rule("pl"), rule("pl") + "\n" + rule("pl"), `Language "pl" already has rule`},
		{"no headers for a language", "[[headers]]\n  for = \"/bg/*\"", "[[headers]]\n  for = \"/bg-old/*\"", `no [[headers]] for = "/bg/*"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(string(orig), c.old) {
				t.Fatalf("netlify.toml no longer holds %q; update this test", c.old)
			}
			text := strings.Replace(string(orig), c.old, c.new, 1)
			if c.name == "a rule after the fallback" {
				text = strings.Replace(text, fallback, fallback+rule("vi")+"\n", 1)
			}
			var got []string
			routes, err := LoadRoutes(fstest.MapFS{"netlify.toml": {Data: []byte(text)}})
			if err != nil {
				got = append(got, err.Error())
			} else {
				got = append(got, checkRootRoutes(routes, cfg)...)
			}
			hdrs, err := headers.Parse([]byte(text))
			if err != nil {
				got = append(got, err.Error())
			} else {
				got = append(got, checkLanguageHeaders(hdrs.Rules(), cfg)...)
			}
			if !slices.ContainsFunc(got, func(g string) bool { return strings.Contains(g, c.want) }) {
				t.Errorf("no problem mentions %q; got:\n%s", c.want, strings.Join(got, "\n"))
			}
		})
	}
}

// FirstLanguage follows Netlify's rule: the first listed entry, two letters.
func TestFirstLanguage(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                        "",
		"*":                       "*",
		"nl-BE":                   "nl",
		"ro-RO,ro;q=0.9,en;q=0.5": "ro",
		"en;q=0.1,ro":             "en",
		"zh-Hans":                 "zh",
		"zh-TW,zh;q=0.9":          "zh",
		"pt-BR":                   "pt",
		" fr-BE , nl":             "fr",
		"ti":                      "ti",
		"fil":                     "fi",
	} {
		if got := FirstLanguage(in); got != want {
			t.Errorf("FirstLanguage(%q) = %q, want %q", in, got, want)
		}
	}
}

// The root through the real handler and the real netlify.toml.
func TestLanguageRedirect(t *testing.T) {
	t.Parallel()
	h, _ := newTestHandler(t)
	cases := map[string]string{
		"":                        "/nl/",
		"*":                       "/nl/",
		"nl-BE":                   "/nl/",
		"en-GB":                   "/en/",
		"en-GB,en;q=0.9":          "/en/",
		"fr-BE":                   "/fr/",
		"fr-BE,fr;q=0.9,nl;q=0.8": "/fr/",
		"ro-RO,ro;q=0.9,en;q=0.5": "/ro/",
		"en;q=0.1,ro":             "/en/", // first listed wins, as on Netlify
		"ar":                      "/ar/",
		"zh-CN":                   "/zh/",
		"zh-TW":                   "/zh/",
		"zh-Hans":                 "/zh/",
		"pt-BR":                   "/pt/",
		"ti":                      "/ti/",
		"de-DE,de;q=0.9":          "/nl/",
		"de-DE,de;q=0.9,en;q=0.5": "/nl/",
		"EN":                      "/en/",
	}
	// Every language of config.toml, with a region and a second choice.
	for _, l := range loadConfig(t).Languages {
		cases[l.Lang+"-XX,"+l.Lang+";q=0.9,de;q=0.5"] = "/" + l.Lang + "/"
	}
	for accept, want := range cases {
		resp := get(t, h, "/", "Accept-Language", accept)
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != want {
			t.Errorf("Accept-Language %q: %d to %q, want 302 to %q", accept, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
	// Without the header at all.
	if resp := get(t, h, "/"); resp.Header.Get("Location") != "/nl/" {
		t.Errorf("no Accept-Language: to %q, want /nl/", resp.Header.Get("Location"))
	}
}
