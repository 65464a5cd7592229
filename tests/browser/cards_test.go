package browser

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// cardPages are the pages that list cards: each home page and each
// projects section.
var cardPages = []string{"/nl/", "/en/", "/fr/", "/nl/projecten/", "/en/projects/", "/fr/projets/"}

// cardJS finds card %d of main, scrolls its description into view and
// says where a click on the middle of the description lands.
const cardJS = `(() => {
  const card = document.querySelectorAll("main#main .card")[%d];
  const title = card && card.querySelector(".card-title a[href]");
  const ps = card ? [...card.querySelectorAll(":scope > p:not(.meta)")] : [];
  const p = ps[ps.length - 1];
  if (!title || !p) return {Title: title ? title.href : "", Text: card ? card.innerText.slice(0, 60) : ""};
  p.scrollIntoView({block: "center"});
  const r = p.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  const a = hit && hit.closest("a[href]");
  return {Title: title.href, HasText: true, Text: p.textContent.trim().slice(0, 60), Hit: hit ? hit.tagName.toLowerCase() + (hit.className ? "." + String(hit.className).split(/\s+/).join(".") : "") : "nothing", HitLink: a ? a.href : ""};
})()`

// testCards checks that a click on the description of each card, not its
// title, lands on the card's link, on the pages that list cards (on a phone
// with JavaScript, on a desktop without): the whole card is its link. Each
// card's middle is hit-tested on one load of the page; one card of each page
// and view (a different one each time) is then clicked, to see the click
// open the card's page.
func (s *suite) testCards(t *testing.T) {
	for k, page := range cardPages {
		for j, v := range []view{phone390, without(desktop)} {
			t.Run(page+" "+v.String(), func(t *testing.T) {
				t.Parallel()
				tb := s.openTab(t, v)
				tb.open(page)
				n := eval[int](tb, `document.querySelectorAll("main#main .card").length`)
				if n == 0 {
					t.Fatalf("%s: no .card in main", page)
				}
				type card struct {
					Title, Text, Hit, HitLink string
					HasText                   bool
				}
				cards := make([]card, n)
				for i := range n {
					c := eval[card](tb, fmt.Sprintf(cardJS, i))
					cards[i] = c
					switch {
					case !c.HasText:
						t.Errorf("%s at %s: card %d (%q) has no title link or no description", page, v, i+1, c.Text)
					case c.HitLink != c.Title:
						t.Errorf("%s at %s: a click on the description of card %d (%q…) lands on %s, not on the card's link to %s", page, v, i+1, c.Text, c.Hit, pathOf(c.Title))
					}
				}
				i := (2*k + j) % n
				if t.Failed() {
					return
				}
				desc := fmt.Sprintf(`[...document.querySelectorAll("main#main .card")[%d].querySelectorAll(":scope > p:not(.meta)")].pop()`, i)
				tb.follow("clicking the description of card "+fmt.Sprint(i+1), chromedp.Click(chromedp.JSPath(desc)))
				loc := tb.waitLocation("after clicking card "+fmt.Sprint(i+1), func(l string) bool { return pathOf(l) != page })
				if pathOf(loc) != pathOf(cards[i].Title) {
					t.Errorf("%s at %s: clicking the description of card %d led to %s, want %s", page, v, i+1, loc, pathOf(cards[i].Title))
				}
			})
		}
	}
}
