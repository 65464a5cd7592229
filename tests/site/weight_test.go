package sitetest

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"image"
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"
	"path"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"

	"golang.org/x/net/html"
)

// Budgets for the first render (issue 9), gzip-compressed as a CDN sends them.
const (
	oneRoundTrip  = 14 * 1024 // home pages and get-help pages: the first TCP round trip
	twoRoundTrips = 28 * 1024 // every other page
	scriptBudget  = 5 * 1024  // all JavaScript of a page
)

// weight is what a page costs before it can render.
type weight struct {
	page          *page
	html, css, js int
	limit         int
	limitReason   string
	stylesheets   []string
	scripts       []string
}

func (w weight) total() int { return w.html + w.css + w.js }

// gzipSize is the size of b compressed with gzip's default level.
func gzipSize(b []byte) int {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Len()
}

// measure adds up the page's HTML and the stylesheets and scripts it references.
func (s *site) measure(p *page, gz map[string]int, limit int, reason string) weight {
	size := func(file string) int {
		if _, ok := gz[file]; !ok {
			gz[file] = gzipSize(s.files[file])
		}
		return gz[file]
	}
	w := weight{page: p, html: size(p.file), limit: limit, limitReason: reason}
	for _, r := range refs(p.doc) {
		u, err := p.url.Parse(r.value)
		if err != nil || !s.internal(u) || r.kind != loads {
			continue
		}
		file, ok, _ := s.lookup(u)
		if !ok {
			continue // TestInternalLinksResolve reports it
		}
		switch {
		case r.tag == "link" && path.Ext(file) == ".css":
			w.css += size(file)
			w.stylesheets = append(w.stylesheets, file)
		case r.tag == "script":
			w.js += size(file)
			w.scripts = append(w.scripts, file)
		}
	}
	return w
}

// budgets gives each page its limit: one round trip for the home page of
// every language, the get-help pages (the targets of the header's
// <a class="help-link">) and every page of a help-only language.
func (s *site) budgets() (map[*page]int, map[*page]string, []string) {
	var problems []string
	limit := map[*page]int{}
	reason := map[*page]string{}
	for _, p := range s.contentPages() {
		limit[p], reason[p] = twoRoundTrips, "page"
	}
	for _, l := range s.cfg.Languages {
		home := s.byFile[l.Lang+"/index.html"]
		if home == nil {
			problems = append(problems, fmt.Sprintf("/%s/ (the %s home page) is missing", l.Lang, l.Lang))
			continue
		}
		limit[home], reason[home] = oneRoundTrip, "home"
		if l.Params.HelpOnly {
			for _, p := range s.contentPages() {
				if p.lang == l.Lang {
					limit[p], reason[p] = oneRoundTrip, "help language"
				}
			}
			continue
		}
		found := 0
		for _, a := range elements(home.doc, "a") {
			if !hasToken(get(a, "class"), "help-link") {
				continue
			}
			u, err := home.url.Parse(get(a, "href"))
			if err != nil {
				continue
			}
			if file, ok, _ := s.lookup(u); ok && s.byFile[file] != nil {
				limit[s.byFile[file]], reason[s.byFile[file]] = oneRoundTrip, "get help"
				found++
			}
		}
		if found == 0 {
			problems = append(problems, fmt.Sprintf(`/%s/ has no <a class="help-link"> to a page; the page-weight test finds the get-help pages through them`, l.Lang))
		}
	}
	return limit, reason, problems
}

// TestPageWeight: HTML + CSS + JavaScript of each page, gzipped, within budget.
func TestPageWeight(t *testing.T) {
	s := load(t)
	limit, reason, problems := s.budgets()
	for _, pr := range problems {
		t.Error(pr)
	}
	gz := map[string]int{}
	var all []weight
	for _, p := range s.contentPages() {
		w := s.measure(p, gz, limit[p], reason[p])
		all = append(all, w)
		report(t, p.where(), checkWeight(w))
		report(t, p.where(), checkBlocking(p))
	}
	sort.Slice(all, func(i, j int) bool { return all[i].total() > all[j].total() })
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "page\tHTML\tCSS\tJS\ttotal\tbudget\t")
	for _, w := range all[:min(10, len(all))] {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d (%s)\t\n", w.page.url.Path, w.html, w.css, w.js, w.total(), w.limit, w.limitReason)
	}
	tw.Flush()
	for _, w := range all {
		if w.limit == oneRoundTrip {
			fmt.Fprintf(&b, "heaviest page with a one-round-trip budget: %s, %d of %d bytes (%s)\n", w.page.url.Path, w.total(), w.limit, w.limitReason)
			break
		}
	}
	t.Logf("the ten heaviest of %d pages, bytes gzipped (HTML + CSS + JS for the first render):\n%s", len(all), b.String())
}

func checkWeight(w weight) []string {
	var out []string
	if w.total() > w.limit {
		out = append(out, fmt.Sprintf("weighs %d bytes gzipped (HTML %d + CSS %d %v + JS %d %v), over its budget of %d for a %s page by %d",
			w.total(), w.html, w.css, w.stylesheets, w.js, w.scripts, w.limit, w.limitReason, w.total()-w.limit))
	}
	if w.js > scriptBudget {
		out = append(out, fmt.Sprintf("loads %d bytes of JavaScript gzipped %v, over the %d-byte budget", w.js, w.scripts, scriptBudget))
	}
	return out
}

// checkBlocking: a script without defer stops the first render until it has
// loaded. (Scripts and styles from another origin are refused outright by
// TestNothingFromAnotherOrigin.)
func checkBlocking(p *page) []string {
	var out []string
	for _, sc := range elements(p.doc, "script") {
		_, deferred := attr(sc, "defer")
		_, async := attr(sc, "async")
		if src, ok := attr(sc, "src"); ok && !deferred && !async && get(sc, "type") != "module" {
			out = append(out, fmt.Sprintf("<script src=%q> blocks the first render: add defer", src))
		}
	}
	return out
}

// TestImagesAreLight: images are sized, lazy below the first one, and raster
// images come as WebP with a fallback.
func TestImagesAreLight(t *testing.T) {
	s := load(t)
	for _, p := range s.contentPages() {
		report(t, p.where(), checkImages(s, p))
	}
}

var rasterFallbacks = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true}

func checkImages(s *site, p *page) []string {
	var out []string
	for i, img := range elements(p.doc, "img") {
		src := get(img, "src")
		where := fmt.Sprintf("<img src=%q>", src)
		w, werr := strconv.Atoi(get(img, "width"))
		h, herr := strconv.Atoi(get(img, "height"))
		if werr != nil || herr != nil || w <= 0 || h <= 0 {
			out = append(out, where+" needs width and height in pixels, so the page does not jump while it loads")
		}
		if i > 0 && get(img, "loading") != "lazy" {
			out = append(out, where+` is not the first image: give it loading="lazy"`)
		}
		u, err := p.url.Parse(src)
		if err != nil || !s.internal(u) {
			continue // the link and origin tests report it
		}
		ext := strings.ToLower(path.Ext(u.Path))
		switch {
		case ext == ".svg":
		case rasterFallbacks[ext]:
			if !hasWebPSource(img) {
				out = append(out, where+` must sit in a <picture> with a <source type="image/webp"> (partial picture.html does this)`)
			}
		default:
			out = append(out, where+": use a JPEG, PNG or GIF fallback inside a <picture> with a WebP <source>, or an SVG")
		}
		file, ok, _ := s.lookup(u)
		if !ok || w <= 0 || h <= 0 {
			continue
		}
		if c, _, err := image.DecodeConfig(bytes.NewReader(s.files[file])); err == nil {
			if diff := w*c.Height - h*c.Width; diff*50 > c.Width*h || -diff*50 > c.Width*h {
				out = append(out, fmt.Sprintf("%s says %d×%d, but the file is %d×%d: the image would be distorted", where, w, h, c.Width, c.Height))
			}
		}
	}
	return out
}

// hasWebPSource reports whether img is the fallback of a <picture> offering WebP.
func hasWebPSource(img *html.Node) bool {
	pic := img.Parent
	if pic == nil || pic.Data != "picture" {
		return false
	}
	for _, src := range elements(pic, "source") {
		if get(src, "type") == "image/webp" && strings.Contains(get(src, "srcset"), ".webp") {
			return true
		}
	}
	return false
}
