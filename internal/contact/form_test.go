package contact

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/payoke/site/internal/siteconfig"
)

// withForm is our site with its contact form changed by edit.
func withForm(t *testing.T, edit func(*siteconfig.ContactForm)) *siteconfig.Config {
	t.Helper()
	cfg, _ := loadSite(t)
	c := *cfg
	f := &c.Params.Forms.Contact
	f.Topics, f.Fields = slices.Clone(f.Topics), slices.Clone(f.Fields)
	edit(f)
	return &c
}

// TestLimitsComeFromConfig: the server counts with config.toml's numbers.
func TestLimitsComeFromConfig(t *testing.T) {
	t.Parallel()
	cfg := withForm(t, func(f *siteconfig.ContactForm) {
		for i := range f.Fields {
			if f.Fields[i].Name == fieldName {
				f.Fields[i].MaxLength = 3
			}
		}
		f.Topics = slices.DeleteFunc(f.Topics, func(s string) bool { return s == "press" })
	})
	fx := newFixture(t, func(o *Options) { o.Site = cfg })
	v := valid("en")
	v.Set("name", "Zoë")
	if w := fx.post(v, nil); w.Code != http.StatusSeeOther {
		t.Fatalf("3 characters: status %d", w.Code)
	}
	fx.smtp.Wait(t, 1)
	v.Set("name", "Zoë J")
	v.Set("topic", "press")
	w := fx.post(v, nil)
	if body := w.Body.String(); w.Code != http.StatusBadRequest || !strings.Contains(body, `id="contact-name-error"`) ||
		!strings.Contains(body, `id="contact-topic-error"`) || !strings.Contains(body, " 3 ") {
		t.Errorf("5 characters, topic press: status %d\n%s", w.Code, body)
	}
}

func TestNewRefusesAFormItCannotMail(t *testing.T) {
	t.Parallel()
	for name, edit := range map[string]func(*siteconfig.ContactForm){
		"no form": func(f *siteconfig.ContactForm) { *f = siteconfig.ContactForm{} },
		"a field it does not mail": func(f *siteconfig.ContactForm) {
			f.Fields = append(f.Fields, siteconfig.FormField{Name: "age", Kind: "text", MaxLength: 3})
		},
		"no message": func(f *siteconfig.ContactForm) {
			f.Fields = slices.DeleteFunc(f.Fields, func(x siteconfig.FormField) bool { return x.Name == fieldMessage })
		},
		"message not required": func(f *siteconfig.ContactForm) {
			for i := range f.Fields {
				f.Fields[i].Required = false
			}
		},
		"no topic other": func(f *siteconfig.ContactForm) { f.Topics = []string{"help"} },
	} {
		_, cat := loadSite(t)
		cfg := withForm(t, edit)
		_, err := New(Options{Site: cfg, Strings: cat, SiteURL: siteURL})
		if err == nil || !strings.Contains(err.Error(), "params.forms.contact") {
			t.Errorf("%s: New says %v, want a word about params.forms.contact", name, err)
		}
	}
	// A field left out is mailed as not given.
	cfg := withForm(t, func(f *siteconfig.ContactForm) {
		f.Fields = slices.DeleteFunc(f.Fields, func(x siteconfig.FormField) bool { return x.Name == fieldPhone })
	})
	fx := newFixture(t, func(o *Options) { o.Site = cfg })
	if w := fx.post(valid("nl"), nil); w.Code != http.StatusSeeOther {
		t.Fatalf("without phone: status %d", w.Code)
	}
	if body := decodeQP(t, fx.smtp.Wait(t, 1).Body); strings.Contains(body, "+32 470 12 34 56") {
		t.Errorf("a field the form lacks was mailed:\n%s", body)
	}
}
