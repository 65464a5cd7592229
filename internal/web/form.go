package web

import (
	"fmt"
	"html/template"
	"io/fs"

	site "github.com/payoke/site"
	"github.com/payoke/site/internal/i18n"
)

// A form is written once, in layouts/_partials/forms/<name>.html: the site's
// shortcode shows it on the page, and the function shows it again, with what
// the person typed and what to correct. So that Hugo and html/template can
// both run it, such a partial uses only what both have: the built-ins (if,
// with, range, eq, index, printf…), T for a string of the page's language
// (with an optional argument map) and dict to make that map. Its one
// argument holds Lang, Values (field → what was typed) and Errors (field →
// message), and what the form itself needs (its description in config.toml).
const formsDir = "layouts/_partials/forms"

// formFuncs are the functions a form may call, as Hugo names them: T says
// id in lang (the id itself if cat lacks it, as Hugo shows a missing string
// when not told to fail); before Render binds a catalog, T is a stand-in.
func formFuncs(cat *i18n.Catalog, lang string) template.FuncMap {
	return template.FuncMap{
		"T": func(id string, args ...any) string {
			if cat == nil {
				return id
			}
			var data map[string]any
			if len(args) > 0 {
				data, _ = args[0].(map[string]any)
			}
			return cat.TOrID(lang, id, data)
		},
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: %d arguments, want pairs", len(kv))
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
	}
}

// parseForms adds each named form to t as the template "form-<name>".
func parseForms(t *template.Template, names []string) error {
	for _, name := range names {
		b, err := fs.ReadFile(site.Files, formsDir+"/"+name+".html")
		if err != nil {
			return fmt.Errorf("form %s: %w", name, err)
		}
		if _, err := t.New("form-" + name).Parse(string(b)); err != nil {
			return fmt.Errorf("form %s (%s/%s.html): %w", name, formsDir, name, err)
		}
	}
	return nil
}
