package sitetest

import (
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// elements returns every element of doc named tag ("" for all), in document order.
func elements(doc *html.Node, tag string) []*html.Node {
	var out []*html.Node
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && (tag == "" || n.Data == tag) {
			out = append(out, n)
		}
	}
	return out
}

// attr returns the value of the attribute key on n and whether it is there.
func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key && (a.Namespace == "" || a.Namespace == "xlink") {
			return a.Val, true
		}
	}
	return "", false
}

// get returns the attribute value, or "" if absent.
func get(n *html.Node, key string) string {
	v, _ := attr(n, key)
	return v
}

// hasToken reports whether the space-separated attribute value holds tok.
func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(strings.ToLower(list)) {
		if f == tok {
			return true
		}
	}
	return false
}

// refreshTarget returns the URL of a <meta http-equiv="refresh">, or "".
func refreshTarget(doc *html.Node) string {
	for _, m := range elements(doc, "meta") {
		if !strings.EqualFold(get(m, "http-equiv"), "refresh") {
			continue
		}
		_, after, ok := strings.Cut(get(m, "content"), "=")
		if ok {
			return strings.Trim(strings.TrimSpace(after), `'"`)
		}
	}
	return ""
}

// alternates returns the page's <link rel="alternate" hreflang> as hreflang → href.
func alternates(doc *html.Node) map[string]string {
	out := map[string]string{}
	for _, l := range elements(doc, "link") {
		if hl, ok := attr(l, "hreflang"); ok && hasToken(get(l, "rel"), "alternate") {
			out[hl] = get(l, "href")
		}
	}
	return out
}

// A ref is one URL in a page.
type ref struct {
	tag, attr, value string
	kind             refKind
}

type refKind int

const (
	navigates refKind = iota // a link the reader may follow
	loads                    // fetched by the browser to show the page
	submits                  // where a form sends what the reader typed
)

// Links that name another document without fetching it.
var navigationRels = []string{"alternate", "canonical", "author", "license", "me", "help", "next", "prev", "search", "bookmark"}

// refs returns every URL in doc: links, resources, form actions, refresh targets.
func refs(doc *html.Node) []ref {
	var out []ref
	add := func(n *html.Node, key string, kind refKind) {
		if v, ok := attr(n, key); ok {
			out = append(out, ref{n.Data, key, strings.TrimSpace(v), kind})
		}
	}
	addSrcset := func(n *html.Node) {
		v, ok := attr(n, "srcset")
		if !ok {
			return
		}
		for _, cand := range strings.Split(v, ",") {
			if f := strings.Fields(cand); len(f) > 0 {
				out = append(out, ref{n.Data, "srcset", f[0], loads})
			}
		}
	}
	for _, n := range elements(doc, "") {
		switch n.Data {
		case "a", "area":
			add(n, "href", navigates)
		case "link":
			kind := navigates
			for _, r := range strings.Fields(strings.ToLower(get(n, "rel"))) {
				if !slices.Contains(navigationRels, r) {
					kind = loads
				}
			}
			add(n, "href", kind)
			addSrcset(n)
		case "script", "iframe", "frame", "embed", "track", "audio", "input":
			add(n, "src", loads)
		case "img", "source":
			add(n, "src", loads)
			addSrcset(n)
		case "video":
			add(n, "src", loads)
			add(n, "poster", loads)
		case "object":
			add(n, "data", loads)
		case "image", "use", "feImage":
			add(n, "href", loads)
		case "form":
			add(n, "action", submits)
		case "button":
			add(n, "formaction", submits)
		case "meta":
			if strings.EqualFold(get(n, "http-equiv"), "refresh") {
				out = append(out, ref{"meta", "http-equiv=refresh", refreshTarget(n.Parent), navigates})
			}
		}
	}
	return out
}
