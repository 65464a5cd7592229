package helplang

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// The help-only languages the issue names; config.toml must hold at least 12.
var wanted = []string{"ar", "ro", "bg", "hu", "sq", "es", "pt", "ru", "uk", "zh", "vi", "tr", "pl", "ti"}

func TestHelpLanguagesAreConfigured(t *testing.T) {
	built(t)
	ls := helpLanguages()
	if len(ls) < 12 {
		t.Errorf("config.toml has %d help-only languages, want at least 12", len(ls))
	}
	var have []string
	for _, l := range ls {
		have = append(have, l.Lang)
		if l.Label == "" || l.Locale == "" {
			t.Errorf("%s: label %q and locale %q must both be set", l.Lang, l.Label, l.Locale)
		}
		if l.Direction != "ltr" && l.Direction != "rtl" {
			t.Errorf("%s: direction %q, want ltr or rtl", l.Lang, l.Direction)
		}
		if l.Weight < 10 {
			t.Errorf("%s: weight %d, want 10 or more so nl, en and fr come first", l.Lang, l.Weight)
		}
	}
	missing := 0
	for _, w := range wanted {
		if !slices.Contains(have, w) {
			missing++
			t.Logf("not (yet) a help language: %s", w)
		}
	}
	if len(wanted)-missing < 12 {
		t.Errorf("only %d of the issue's languages are help languages, want at least 12", len(wanted)-missing)
	}
}

// TestHelpPages: each help-only language has its page at /<lang>/, in its own
// language and direction, with what a reader needs and nothing that leads nowhere.
func TestHelpPages(t *testing.T) {
	built(t)
	org := out.cfg.Params.Organisation
	for _, l := range helpLanguages() {
		t.Run(l.Lang, func(t *testing.T) {
			t.Parallel()
			file := l.Lang + "/index.html"
			doc := out.pages[file]
			if doc == nil {
				t.Fatalf("/%s/ was not built", l.Lang)
			}
			htmlEl := find(doc, tag("html"))[0]
			if got := attrOf(htmlEl, "lang"); got != l.Locale {
				t.Errorf(`<html lang=%q>, want %q`, got, l.Locale)
			}
			if got := attrOf(htmlEl, "dir"); got != l.Direction {
				t.Errorf(`<html dir=%q>, want %q`, got, l.Direction)
			}
			if h1 := find(doc, tag("h1")); len(h1) != 1 || textOf(h1[0]) == "" {
				t.Error("want exactly one non-empty <h1>")
			}
			if n := len(find(doc, has("class", "main-nav"))); n != 0 {
				t.Error("the main menu is shown, but its pages do not exist in this language")
			}

			// The quick exit speaks the page's language, and the text explains it by that name.
			label := quickExitLabel(t, doc)
			if want := out.strings.TOrID(l.Lang, "quick_exit", nil); label != want {
				t.Errorf("quick exit reads %q, want %q from i18n/%s.toml", label, want, l.Lang)
			}
			main := find(doc, tag("main"))[0]
			if !strings.Contains(textOf(main), label) {
				t.Errorf("the page text never names the quick exit button %q", label)
			}

			// How to call, write and visit, and when: from config.toml, not retyped.
			body := textOf(main)
			for _, fact := range []string{org.Phone, org.Email, org.Street, org.Opens, org.Closes, org.Emergency} {
				if !strings.Contains(body, fact) {
					t.Errorf("the page does not give %q", fact)
				}
			}
			for href, shown := range map[string]string{"tel:" + org.PhoneLink: org.Phone, "mailto:" + org.Email: org.Email} {
				links := find(main, has("href", href))
				if len(links) == 0 {
					t.Errorf("no link to %s", href)
				}
				for _, a := range links {
					if !ltrText(a, shown) {
						t.Errorf(`the link to %s needs %q marked dir="ltr" (on the link or a span around it), or right-to-left pages reorder it`, href, shown)
					}
				}
			}

			// The full help pages and the browse-safely pages in nl, en and fr.
			for _, sl := range siteLanguages() {
				for _, target := range []string{pageURL(t, sl.Lang, "help.md"), pageURL(t, sl.Lang, "browse-safely.md")} {
					a := find(doc, has("href", target))
					if len(a) == 0 {
						t.Errorf("no link to %s", target)
						continue
					}
					if attrOf(a[0], "lang") != sl.Locale || attrOf(a[0], "hreflang") != sl.Locale {
						t.Errorf("the link to %s needs lang and hreflang %q", target, sl.Locale)
					}
				}
			}

			// Every link inside the site leads to a page that was built.
			for _, a := range find(doc, tag("a")) {
				href := attrOf(a, "href")
				switch {
				case strings.HasPrefix(href, "#"):
					if len(find(doc, has("id", href[1:]))) == 0 {
						t.Errorf("link to %s, but no element has that id", href)
					}
				case strings.HasPrefix(href, "/"):
					if _, ok := out.files[fileOf(href)]; !ok {
						t.Errorf("link to %s, which was not built", href)
					}
				}
			}

			// Nothing else is built for a help-only language: no feed, no 404, no sections.
			for f := range out.files {
				if strings.HasPrefix(f, l.Lang+"/") && f != file && f != l.Lang+"/sitemap.xml" {
					t.Errorf("%s is built, but a help-only language should have only its page", f)
				}
			}
		})
	}
}

// quickExitLabel is the visible text of the quick exit link (without its hidden hint).
func quickExitLabel(t *testing.T, doc *html.Node) string {
	t.Helper()
	links := find(doc, has("id", "quick-exit"))
	if len(links) != 1 {
		t.Fatalf(`want one <a id="quick-exit">, found %d`, len(links))
	}
	if got, want := attrOf(links[0], "href"), out.cfg.Params.QuickExit; got != want {
		t.Errorf("quick exit goes to %q, want %q", got, want)
	}
	var label string
	for c := links[0].FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			label += c.Data
		}
	}
	return strings.TrimSpace(label)
}

// TestHelpFrontMatter: each help page says whether a native speaker checked it.
func TestHelpFrontMatter(t *testing.T) {
	built(t)
	var unreviewed []string
	for _, l := range helpLanguages() {
		file := path.Join("content", l.Lang, "_index.md")
		fm := frontMatter(t, file)
		reviewed, ok := fm["reviewed"].(bool)
		if !ok {
			t.Errorf("%s: reviewed must be true or false (has a native speaker checked it?), is %v", file, fm["reviewed"])
		}
		if !reviewed {
			unreviewed = append(unreviewed, l.Lang)
		}
		if fm["translationKey"] != "help-short" {
			t.Errorf("%s: translationKey %v, want help-short", file, fm["translationKey"])
		}
		desc, _ := fm["description"].(string)
		if desc == "" || utf8.RuneCountInString(desc) > 160 {
			t.Errorf("%s: description must be one sentence of at most 160 characters, has %d", file, utf8.RuneCountInString(desc))
		}
	}
	t.Logf("not yet checked by a native speaker: %s", strings.Join(unreviewed, " "))
}

// TestEveryPageLinksToTheList: every page of the site links to the list of
// help languages: in nl, en and fr the list page in that language, on a
// help-only page the list further down the same page.
func TestEveryPageLinksToTheList(t *testing.T) {
	built(t)
	lists := map[string]string{}
	for _, l := range siteLanguages() {
		lists[l.Lang] = pageURL(t, l.Lang, "help-languages.md")
	}
	checked := 0
	for file, doc := range out.pages {
		if isRedirect(doc) {
			continue
		}
		checked++
		lang, _, _ := strings.Cut(file, "/")
		var targets []string
		switch l, ok := out.cfg.LanguageMap[lang]; {
		case ok && l.Params.HelpOnly:
			if len(find(doc, has("id", "help-languages"))) == 0 {
				t.Errorf("%s: no list of help languages (id=help-languages) on the page", file)
			}
			targets = []string{"#help-languages"}
		case ok:
			targets = []string{lists[lang]}
		default: // a page outside the language folders: any language's list will do
			for _, u := range lists {
				targets = append(targets, u)
			}
		}
		if !slices.ContainsFunc(targets, func(u string) bool { return len(find(doc, has("href", u))) > 0 }) {
			t.Errorf("%s: no link to the list of help languages (%s)", file, strings.Join(targets, " or "))
		}
	}
	if checked < 3*20 {
		t.Errorf("only %d pages checked; is the site there?", checked)
	}
}

// TestListNamesEveryLanguage: the list page in nl, en and fr and every help
// page name every help language in its own words, marked with lang, hreflang and dir.
func TestListNamesEveryLanguage(t *testing.T) {
	built(t)
	var files []string
	for _, l := range siteLanguages() {
		files = append(files, fileOf(pageURL(t, l.Lang, "help-languages.md")))
	}
	for _, l := range helpLanguages() {
		files = append(files, l.Lang+"/index.html")
	}
	for _, file := range files {
		doc := out.pages[file]
		if doc == nil {
			t.Errorf("%s was not built", file)
			continue
		}
		lists := find(doc, has("class", "help-language-list"))
		if len(lists) != 1 {
			t.Errorf(`%s: want one <ul class="help-language-list">, found %d`, file, len(lists))
			continue
		}
		links := find(lists[0], tag("a"))
		if len(links) != len(helpLanguages()) {
			t.Errorf("%s: the list has %d links, want one per help language (%d)", file, len(links), len(helpLanguages()))
		}
		for _, l := range helpLanguages() {
			a := find(lists[0], has("href", "/"+l.Lang+"/"))
			if len(a) != 1 {
				t.Errorf("%s: want one link to /%s/, found %d", file, l.Lang, len(a))
				continue
			}
			got := fmt.Sprintf("lang=%s hreflang=%s dir=%s %s", attrOf(a[0], "lang"), attrOf(a[0], "hreflang"), attrOf(a[0], "dir"), textOf(a[0]))
			if want := fmt.Sprintf("lang=%s hreflang=%s dir=%s %s", l.Locale, l.Locale, l.Direction, l.Label); got != want {
				t.Errorf("%s: link to /%s/ is %q, want %q", file, l.Lang, got, want)
			}
			current := attrOf(a[0], "aria-current") == "page"
			if here := file == l.Lang+"/index.html"; current != here {
				t.Errorf("%s: link to /%s/ has aria-current=page %v, want %v", file, l.Lang, current, here)
			}
		}
	}
}

// TestArabicIsRightToLeft: the Arabic page runs right to left, and the CSS
// mirrors with it because it uses logical properties only.
func TestArabicIsRightToLeft(t *testing.T) {
	built(t)
	doc := out.pages["ar/index.html"]
	if doc == nil {
		t.Fatal("/ar/ was not built")
	}
	if got := attrOf(find(doc, tag("html"))[0], "dir"); got != "rtl" {
		t.Errorf(`/ar/ has <html dir=%q>, want "rtl"`, got)
	}
	physical := regexp.MustCompile(`(?i)(margin|padding|border)-(left|right)|[;{\s](left|right)\s*:|float\s*:\s*(left|right)|text-align\s*:\s*(left|right)`)
	css := 0
	for f, b := range out.files {
		if path.Ext(f) != ".css" {
			continue
		}
		css++
		for _, m := range physical.FindAllString(string(b), -1) {
			t.Errorf("%s uses %q: use the logical property (…-inline-start/end, inset-inline-…, text-align: start) so right-to-left pages mirror", f, m)
		}
	}
	if css == 0 {
		t.Error("no stylesheet was built")
	}
}

// TestHelpPagesAreAlternates: the nl/en/fr help pages and every help-only page
// are one page at two lengths, so each lists all the others as alternates.
func TestHelpPagesAreAlternates(t *testing.T) {
	built(t)
	want := map[string]string{}
	var files []string
	for _, l := range siteLanguages() {
		u := pageURL(t, l.Lang, "help.md")
		want[l.Locale], files = u, append(files, fileOf(u))
	}
	for _, l := range helpLanguages() {
		want[l.Locale], files = "/"+l.Lang+"/", append(files, l.Lang+"/index.html")
	}
	want["x-default"] = want[out.cfg.LanguageMap[out.cfg.DefaultLanguage].Locale]
	for _, file := range files {
		doc := out.pages[file]
		if doc == nil {
			t.Errorf("%s was not built", file)
			continue
		}
		got := map[string]string{}
		for _, l := range find(doc, has("rel", "alternate")) {
			if h := attrOf(l, "hreflang"); h != "" {
				got[h] = strings.TrimPrefix(attrOf(l, "href"), strings.TrimSuffix(out.cfg.BaseURL, "/"))
			}
		}
		for locale, u := range want {
			if got[locale] != u {
				t.Errorf("%s: hreflang %s is %q, want %q", file, locale, got[locale], u)
			}
		}
	}
}

// TestSwitcherKeepsToSiteLanguages: the nl/en/fr language switcher does not
// list the help-only languages (they have the list page instead).
func TestSwitcherKeepsToSiteLanguages(t *testing.T) {
	built(t)
	for file, doc := range out.pages {
		for _, nav := range find(doc, has("class", "language-switcher")) {
			for _, a := range find(nav, tag("a")) {
				for _, l := range helpLanguages() {
					if attrOf(a, "lang") == l.Locale {
						t.Errorf("%s: the language switcher lists the help-only language %s", file, l.Lang)
					}
				}
			}
		}
	}
}

// TestFontsCoverTheScripts: the stylesheet names system fonts for the scripts
// that common Latin fonts lack, and loads no font files.
func TestFontsCoverTheScripts(t *testing.T) {
	built(t)
	var css strings.Builder
	for f, b := range out.files {
		if path.Ext(f) == ".css" {
			css.Write(b)
		}
		if slices.Contains([]string{".woff", ".woff2", ".ttf", ".otf"}, path.Ext(f)) {
			t.Errorf("%s: the site uses system fonts only", f)
		}
	}
	for script, fonts := range map[string][]string{
		"Arabic":             {"Noto Sans Arabic", "Noto Naskh Arabic", "Geeza Pro"},
		"Ethiopic":           {"Noto Sans Ethiopic", "Nyala", "Ebrima"},
		"Simplified Chinese": {"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC"},
	} {
		if !slices.ContainsFunc(fonts, func(f string) bool { return strings.Contains(css.String(), f) }) {
			t.Errorf("the font stack names no %s font (one of %q)", script, fonts)
		}
	}
	if strings.Contains(css.String(), "@font-face") {
		t.Error("@font-face in the stylesheet: use the system font stack")
	}
}
