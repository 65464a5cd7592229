package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// baselineDir holds the bare layout set, inside the temporary site.
const baselineDir = "layouts-baseline"

// benchConfig is added to config.toml for both builds: Hugo's built-in RSS
// template (used by the baseline) would otherwise list every page in every
// feed, where ours lists 20.
const benchConfig = "bench.toml"

// words per language, to make bodies that read like text to the Markdown
// parser and the minifier (no lorem ipsum: real words, nonsense order).
var words = map[string][]string{
	"nl": strings.Fields("slachtoffers begeleiding opvang Antwerpen mensenhandel uitbuiting project partners hulp " +
		"vertrouwelijk gratis traject verblijf werk advocaat politie sociaal assistent woning taal les vorming " +
		"netwerk Europa samenwerking dossier onderzoek verslag jaar team vrijwilligers steun campagne"),
	"en": strings.Fields("victims counselling shelter Antwerp trafficking exploitation project partners help " +
		"confidential free pathway residence work lawyer police social worker housing language lesson training " +
		"network Europe cooperation case research report year team volunteers support campaign"),
	"fr": strings.Fields("victimes accompagnement accueil Anvers traite exploitation projet partenaires aide " +
		"confidentiel gratuit parcours séjour travail avocat police assistant social logement langue cours formation " +
		"réseau Europe coopération dossier recherche rapport année équipe bénévoles soutien campagne"),
}

// titles of the two synthetic kinds, per language.
var titles = map[string]map[string]string{
	"nl": {"news": "Nieuwsbericht", "projects": "Project"},
	"en": {"news": "News item", "projects": "Project"},
	"fr": {"news": "Actualité", "projects": "Projet"},
}

// historyLink is a link every synthetic page carries to an existing page, so
// our render-link hook resolves it as it would in real content.
var historyLink = map[string]string{"nl": "geschiedenis", "en": "history", "fr": "histoire"}

// generate writes n news and n project pages per language into the site at
// src and returns how many it wrote. Pages are linked across languages by
// translationKey and to their predecessor, as staff would link them.
func generate(src string, langs []string, n int) (int, error) {
	start := time.Date(2000, 1, 1, 9, 0, 0, 0, time.UTC)
	count := 0
	for _, lang := range langs {
		ws, ok := words[lang]
		if !ok {
			return 0, fmt.Errorf("no synthetic words for language %q: add them to bench/buildscale", lang)
		}
		rng := rand.New(rand.NewPCG(uint64(n), uint64(len(lang))))
		for _, section := range []string{"news", "projects"} {
			dir := filepath.Join(src, "content", lang, section)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return 0, err
			}
			for i := range n {
				var b strings.Builder
				date := start.Add(time.Duration(i) * 6 * time.Hour)
				fmt.Fprintf(&b, "---\ntitle: %q\ndescription: %q\ntranslationKey: bench-%s-%05d\nslug: bench-%05d\ndate: %s\n---\n\n",
					fmt.Sprintf("%s %05d: %s", titles[lang][section], i, sentence(rng, ws, 4)),
					sentence(rng, ws, 16)+".", section, i, i, date.Format(time.RFC3339))
				for range 2 {
					b.WriteString(paragraph(rng, ws) + "\n\n")
				}
				fmt.Fprintf(&b, "## %s\n\n", sentence(rng, ws, 3))
				for range 3 {
					fmt.Fprintf(&b, "- %s\n", sentence(rng, ws, 6))
				}
				fmt.Fprintf(&b, "\n%s [%s](/about/history).", paragraph(rng, ws), historyLink[lang])
				if i > 0 {
					fmt.Fprintf(&b, " [%s](/%s/bench-%05d)", sentence(rng, ws, 2), section, i-1)
				}
				b.WriteString("\n")
				name := filepath.Join(dir, fmt.Sprintf("bench-%05d.md", i))
				if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
					return 0, err
				}
				count++
			}
		}
	}
	return count, os.WriteFile(filepath.Join(src, benchConfig), []byte("[services.rss]\nlimit = 20\n"), 0o644)
}

func sentence(rng *rand.Rand, ws []string, n int) string {
	out := make([]string, n)
	for i := range out {
		out[i] = ws[rng.IntN(len(ws))]
	}
	s := strings.Join(out, " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

func paragraph(rng *rand.Rand, ws []string) string {
	parts := make([]string, 5)
	for i := range parts {
		parts[i] = sentence(rng, ws, 8+rng.IntN(8)) + "."
	}
	return strings.Join(parts, " ")
}

// baseline is the bare layout set: the same content rendering (.Content, with
// our shortcodes and render hooks, which the content needs), the same pages
// and pagination, but no partials, menus, language links or asset pipeline.
var baseline = map[string]string{
	"baseof.html": `<!doctype html>
<html lang="{{ site.Language.Locale }}">
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body>
</html>
`,
	"home.html": `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}
`,
	"page.html": `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}
`,
	"section.html": `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
{{ $pager := .Paginate .RegularPages.ByDate.Reverse }}
<ul>{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ with $pager.Next }}<a href="{{ .URL }}">next</a>{{ end }}{{ end }}
`,
}

// writeBaseline writes the baseline layouts next to ours. Shortcodes, render
// hooks and the partials they call are copied, as the content uses them.
func writeBaseline(src string) error {
	dir := filepath.Join(src, baselineDir)
	for _, sub := range []string{"_shortcodes", "_markup", "_partials"} {
		if err := copyTree(filepath.Join(src, "layouts", sub), filepath.Join(dir, sub)); err != nil {
			return err
		}
	}
	for name, text := range baseline {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}
