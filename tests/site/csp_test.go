package sitetest

import (
	"fmt"
	"github.com/payoke/site/internal/web/webtest"
	"strings"
	"testing"
)

// TestNoInlineCode: the Content-Security-Policy forbids 'unsafe-inline', so an
// inline <script>, a <style> element, a style="" attribute or an on…=""
// handler would silently not work. JSON data blocks (JSON-LD) are not run
// and are allowed.
func TestNoInlineCode(t *testing.T) {
	s := load(t)
	for _, p := range s.pages {
		report(t, p.where(), checkInline(p))
	}
}

func checkInline(p *page) []string {
	var out []string
	for _, n := range elements(p.doc, "") {
		switch n.Data {
		case "script":
			typ := strings.ToLower(get(n, "type"))
			if _, ok := attr(n, "src"); !ok && typ != "application/ld+json" && typ != "application/json" {
				out = append(out, fmt.Sprintf("inline <script> (%.60q): move the code to assets/js/ and import it from main.js", webtest.Text(n)))
			}
		case "style":
			out = append(out, "<style> element: move the rules to assets/css/components/")
		}
		for _, a := range n.Attr {
			switch {
			case a.Key == "style":
				out = append(out, fmt.Sprintf("<%s style=%q>: use a class and put the rule in assets/css/components/", n.Data, a.Val))
			case strings.HasPrefix(a.Key, "on"):
				out = append(out, fmt.Sprintf("<%s %s=…>: inline event handlers are blocked by the CSP; use addEventListener in assets/js/", n.Data, a.Key))
			}
		}
	}
	return out
}

// TestImagesHaveAlt: every <img> has an alt attribute. An empty alt marks a
// decorative image, and it must say so on purpose with aria-hidden="true" or
// role="presentation"/"none": a template that forgets its alt text would
// otherwise print alt="" and pass unnoticed.
func TestImagesHaveAlt(t *testing.T) {
	s := load(t)
	for _, p := range s.contentPages() {
		report(t, p.where(), checkAlt(p))
	}
}

func checkAlt(p *page) []string {
	var out []string
	for _, img := range elements(p.doc, "img") {
		alt, ok := attr(img, "alt")
		decorative := get(img, "aria-hidden") == "true" || hasToken(get(img, "role"), "presentation") || hasToken(get(img, "role"), "none")
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("<img src=%q> has no alt attribute: describe the image", get(img, "src")))
		case strings.TrimSpace(alt) == "" && !decorative:
			out = append(out, fmt.Sprintf(`<img src=%q> has an empty alt: describe the image, or mark it decorative with aria-hidden="true"`, get(img, "src")))
		}
	}
	return out
}
