package helplang

import (
	"path"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// helpPage is one of the 17 help pages: the nl/en/fr help page or a help-only home.
type helpPage struct {
	lang, file string
	helpOnly   bool
}

func helpPages(t *testing.T) []helpPage {
	t.Helper()
	var ps []helpPage
	for _, l := range siteLanguages() {
		ps = append(ps, helpPage{l.Lang, fileOf(pageURL(t, l.Lang, "help.md")), false})
	}
	for _, l := range helpLanguages() {
		ps = append(ps, helpPage{l.Lang, l.Lang + "/index.html", true})
	}
	return ps
}

// callBlock returns main's call block, failing t unless it comes right under
// the h1 (only hidden elements between them) and before any h2: on a phone,
// that is the first screen.
func callBlock(t *testing.T, doc *html.Node) *html.Node {
	t.Helper()
	mains := find(doc, tag("main"))
	if len(mains) != 1 {
		t.Fatalf("want one <main>, found %d", len(mains))
	}
	var order []*html.Node // h1, h2 and the call block, in document order
	for n := range mains[0].Descendants() {
		if n.Type == html.ElementNode && (n.Data == "h1" || n.Data == "h2" || hasClass(n, "help-call")) {
			order = append(order, n)
		}
	}
	i := slices.IndexFunc(order, func(n *html.Node) bool { return hasClass(n, "help-call") })
	if i < 0 {
		t.Fatal(`no call block (class="help-call") in main`)
	}
	block := order[i]
	if i != 1 || order[0].Data != "h1" {
		t.Fatalf("the call block must follow the h1 before any h2; found it after %d headings", i)
	}
	next := order[0].NextSibling
	for next != nil && (next.Type != html.ElementNode || hasAttr(next, "hidden")) {
		next = next.NextSibling
	}
	if next != block {
		t.Errorf("the call block is not the first thing shown under the h1")
	}
	return block
}

func hasClass(n *html.Node, c string) bool {
	return slices.Contains(strings.Fields(attrOf(n, "class")), c)
}

func hasAttr(n *html.Node, key string) bool {
	return slices.ContainsFunc(n.Attr, func(a html.Attribute) bool { return a.Key == key })
}

// TestCallBlock: on every help page, Payoke's phone (tel: to phoneLink, the
// number dir="ltr") and the emergency number (tel:112) are links in a call
// block right under the h1, with the opening hours, in the page's language.
func TestCallBlock(t *testing.T) {
	built(t)
	org := out.cfg.Params.Organisation
	if org.Emergency != "112" {
		t.Errorf("params.organisation.emergency is %q: the help pages promise 112", org.Emergency)
	}
	pages := helpPages(t)
	if len(pages) != 17 {
		t.Errorf("%d help pages, want 17 (nl, en, fr and 14 help languages)", len(pages))
	}
	for _, p := range pages {
		t.Run(p.lang, func(t *testing.T) {
			doc := out.pages[p.file]
			if doc == nil {
				t.Fatalf("%s was not built", p.file)
			}
			block := callBlock(t, doc)
			phone := find(block, has("href", "tel:"+org.PhoneLink))
			if len(phone) != 1 {
				t.Fatalf("want one tel:%s link in the call block, found %d", org.PhoneLink, len(phone))
			}
			if !ltrText(phone[0], org.Phone) {
				t.Errorf(`the call block's phone link needs %q in an element with dir="ltr"`, org.Phone)
			}
			label := out.strings.TOrID(p.lang, "help_call_payoke", nil)
			if !strings.Contains(textOf(phone[0]), label) {
				t.Errorf("the phone link reads %q, want it to say %q", textOf(phone[0]), label)
			}
			emergency := find(block, has("href", "tel:"+org.Emergency))
			if len(emergency) != 1 {
				t.Fatalf("want one tel:%s link in the call block, found %d", org.Emergency, len(emergency))
			}
			if want := out.strings.TOrID(p.lang, "help_call_emergency", map[string]any{"Number": org.Emergency}); textOf(emergency[0]) != want {
				t.Errorf("the emergency link reads %q, want %q", textOf(emergency[0]), want)
			}
			hours := out.strings.TOrID(p.lang, "opening_hours", map[string]any{"Opens": org.Opens, "Closes": org.Closes})
			if !strings.Contains(textOf(block), hours) {
				t.Errorf("the call block does not give the hours %q", hours)
			}
		})
	}
}

// formKeys are the strings layouts/_shortcodes/contact-form.html shows.
var formKeys = []string{
	"contact_anonymous", "contact_topic", "contact_topic_help", "contact_topic_report",
	"contact_topic_training", "contact_topic_press", "contact_topic_sponsorship", "contact_topic_other",
	"contact_message", "contact_message_prompt", "contact_name", "contact_name_hint",
	"contact_email", "contact_email_hint", "contact_phone", "contact_phone_hint",
	"contact_safe", "contact_safe_hint", "contact_website", "contact_confidential", "contact_send",
}

// TestHelpLanguageForms: each help-language page has the contact form,
// posting its language, and every word of the form comes from that
// language's own i18n file: no Dutch or English label, no missing key.
func TestHelpLanguageForms(t *testing.T) {
	built(t)
	for _, l := range helpLanguages() {
		t.Run(l.Lang, func(t *testing.T) {
			doc := out.pages[l.Lang+"/index.html"]
			if doc == nil {
				t.Fatalf("/%s/ was not built", l.Lang)
			}
			forms := find(doc, has("action", "/api/contact"))
			if len(forms) != 1 || forms[0].Data != "form" || attrOf(forms[0], "method") != "post" {
				t.Fatalf(`want one <form method="post" action="/api/contact">, found %d`, len(forms))
			}
			form := forms[0]
			langs := find(form, has("name", "lang"))
			if len(langs) != 1 || attrOf(langs[0], "type") != "hidden" || attrOf(langs[0], "value") != l.Lang {
				t.Errorf(`want <input type="hidden" name="lang" value=%q>`, l.Lang)
			}
			own := map[string]string{} // text → key, from this language's file only
			for _, k := range formKeys {
				s, err := out.strings.T(l.Lang, k, nil)
				if err != nil {
					t.Errorf("i18n/%s.toml lacks %s, which the form shows", l.Lang, k)
					continue
				}
				own[s] = k
			}
			// Every text the form shows: labels, hints, options, paragraphs, the button.
			var texts []string
			for n := range form.Descendants() {
				if n.Type == html.TextNode && strings.TrimSpace(n.Data) != "" {
					texts = append(texts, strings.Join(strings.Fields(n.Data), " "))
				}
			}
			if len(texts) < len(formKeys) {
				t.Errorf("the form shows %d texts, want at least %d", len(texts), len(formKeys))
			}
			for _, s := range texts {
				if _, ok := own[s]; !ok {
					t.Errorf("the form shows %q, which is not one of i18n/%s.toml's form strings", s, l.Lang)
				}
			}
		})
	}
}

// TestHelpSentState: the contact function sends a help-language visitor to
// /<lang>/#sent; that page has the hidden "sent" note in its language.
func TestHelpSentState(t *testing.T) {
	built(t)
	for _, l := range helpLanguages() {
		doc := out.pages[l.Lang+"/index.html"]
		if doc == nil {
			t.Errorf("/%s/ was not built", l.Lang)
			continue
		}
		sent := find(doc, has("id", "sent"))
		if len(sent) != 1 {
			t.Errorf("/%s/: want one element id=sent, found %d", l.Lang, len(sent))
			continue
		}
		if !hasAttr(sent[0], "hidden") {
			t.Errorf("/%s/: the sent note must be hidden until it is the target", l.Lang)
		}
		if want := out.strings.TOrID(l.Lang, "help_sent_title", nil); !strings.Contains(textOf(sent[0]), want) {
			t.Errorf("/%s/: the sent note does not say %q", l.Lang, want)
		}
	}
}

// TestBrowseSafelyFromEveryHelpPage: every help page links the browse-safely
// advice: the nl/en/fr help page in its call block, a help-only page at least
// one of the three.
func TestBrowseSafelyFromEveryHelpPage(t *testing.T) {
	built(t)
	var all []string
	for _, l := range siteLanguages() {
		all = append(all, pageURL(t, l.Lang, "browse-safely.md"))
	}
	for _, p := range helpPages(t) {
		doc := out.pages[p.file]
		if doc == nil {
			t.Errorf("%s was not built", p.file)
			continue
		}
		where, targets := doc, all
		if !p.helpOnly {
			where = callBlock(t, doc)
			targets = []string{pageURL(t, p.lang, "browse-safely.md")}
		}
		if !slices.ContainsFunc(targets, func(u string) bool { return len(find(where, has("href", u))) > 0 }) {
			t.Errorf("%s: no link to the browse-safely page (%s)", p.file, strings.Join(targets, " or "))
		}
	}
}

// TestHonestAboutTranslations: a help page not checked by a native speaker
// (reviewed: false) says so, in its language; the list pages say which are
// unchecked; the promise of being able to write in any language is gone.
func TestHonestAboutTranslations(t *testing.T) {
	built(t)
	var unreviewed []string
	for _, l := range helpLanguages() {
		reviewed, _ := frontMatter(t, path.Join("content", l.Lang, "_index.md"))["reviewed"].(bool)
		note := out.strings.TOrID(l.Lang, "help_not_reviewed", nil)
		doc := out.pages[l.Lang+"/index.html"]
		if doc == nil {
			t.Errorf("/%s/ was not built", l.Lang)
			continue
		}
		shown := strings.Contains(textOf(find(doc, tag("main"))[0]), note)
		if shown == reviewed {
			t.Errorf("/%s/: reviewed is %v, yet the note %q is shown: %v", l.Lang, reviewed, note, shown)
		}
		if !reviewed {
			unreviewed = append(unreviewed, l.Label)
		}
	}
	for _, l := range siteLanguages() {
		file := fileOf(pageURL(t, l.Lang, "help-languages.md"))
		doc := out.pages[file]
		if doc == nil {
			t.Errorf("%s was not built", file)
			continue
		}
		var want string
		switch {
		case len(unreviewed) == len(helpLanguages()):
			want = out.strings.TOrID(l.Lang, "help_languages_unreviewed_all", nil)
		case len(unreviewed) > 0:
			want = out.strings.TOrID(l.Lang, "help_languages_unreviewed_some", map[string]any{"Languages": strings.Join(unreviewed, ", ")})
		}
		if text := textOf(find(doc, tag("main"))[0]); want != "" && !strings.Contains(text, want) {
			t.Errorf("%s does not say %q", file, want)
		}
	}
	// Claims no source supports, once on these pages.
	gone := []string{
		"with care", "zorgvuldig vertaald", "avec soin",
		"in your own language", "in je eigen taal", "dans votre propre langue", "in any language", "in de taal die jij wilt", "dans la langue de votre choix",
		"Ne poți scrie în limba ta", "يمكنك أن تكتب لنا بلغتك", "Можете да ни пишете на своя език", "Puedes escribirnos en tu idioma",
		"Írhat nekünk a saját nyelvén", "Możesz napisać do nas w swoim języku", "Pode escrever na sua própria língua",
		"Вы можете написать нам на своём языке", "Mund të na shkruani në gjuhën tuaj", "ብቋንቋኻ ክትጽሕፈልና", "Bize kendi dilinizde yazabilirsiniz",
		"Ви можете написати нам своєю мовою", "Bạn có thể viết cho chúng tôi bằng tiếng của bạn", "您可以用自己的语言给我们写信",
		"day and night", "dag en nacht", "jour et nuit",
	}
	files := []string{}
	for _, p := range helpPages(t) {
		files = append(files, p.file)
	}
	for _, l := range siteLanguages() {
		files = append(files, fileOf(pageURL(t, l.Lang, "help-languages.md")))
	}
	for _, f := range files {
		doc := out.pages[f]
		if doc == nil {
			continue
		}
		text := textOf(find(doc, tag("main"))[0])
		for _, g := range gone {
			if strings.Contains(text, g) {
				t.Errorf("%s says %q, which the sources do not support", f, g)
			}
		}
	}
}
