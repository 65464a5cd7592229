package siteconfig_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	site "github.com/payoke/site"
	"github.com/payoke/site/internal/siteconfig"
)

func TestContactFormDescribed(t *testing.T) {
	c, err := siteconfig.Load(site.Files)
	if err != nil {
		t.Fatal(err)
	}
	f := c.Params.Forms.Contact
	if got := strings.Join(f.Topics, " "); got != "help report training press sponsorship other" {
		t.Errorf("topics %q", got)
	}
	var names []string
	for i, field := range f.Fields {
		names = append(names, field.Name)
		// The partial reads the fields as written; they say the same.
		raw := f.FieldsAsWritten[i]
		if raw["name"] != field.Name || raw["kind"] != field.Kind || raw["maxlength"] != int64(field.MaxLength) {
			t.Errorf("field %d: as written %v, read %+v", i, raw, field)
		}
	}
	if got := strings.Join(names, " "); got != "message name email phone safe_contact" || len(f.FieldsAsWritten) != len(f.Fields) {
		t.Errorf("fields %q, %d as written", got, len(f.FieldsAsWritten))
	}
	if m, _ := f.Field("message"); !m.Required || !m.Multiline() || m.MaxLength != 5000 {
		t.Errorf("message %+v", m)
	}
}

// withContactForm is our config.toml with section in place of its
// [params.forms.contact].
func withContactForm(t *testing.T, section string) fstest.MapFS {
	t.Helper()
	b, err := fs.ReadFile(site.Files, "config.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start := strings.Index(s, "[params.forms.contact]")
	end := strings.Index(s, "\n[languages]")
	if start < 0 || end < start {
		t.Fatal("config.toml: no [params.forms.contact] before [languages]")
	}
	return fstest.MapFS{"config.toml": {Data: []byte(s[:start] + section + s[end:])}}
}

func TestLoadRejectsBadContactForm(t *testing.T) {
	const field = "[[params.forms.contact.fields]]\n"
	ok := "[params.forms.contact]\ntopics = [\"help\", \"other\"]\nsent = \"sent\"\n" + field + "name = \"message\"\nkind = \"textarea\"\nrows = 4\nmaxlength = 10\n"
	if _, err := siteconfig.Load(withContactForm(t, ok)); err != nil {
		t.Fatalf("a valid form is refused: %v", err)
	}
	// A site without a contact form loads; the contact function refuses it.
	if c, err := siteconfig.Load(withContactForm(t, "")); err != nil || c.Params.Forms.Contact.Described() {
		t.Fatalf("no form: %v", err)
	}
	for name, section := range map[string]string{
		"no topics":           strings.Replace(ok, `topics = ["help", "other"]`, "topics = []", 1),
		"no sent note":        strings.Replace(ok, `sent = "sent"`, "", 1),
		"sent not an id":      strings.Replace(ok, `sent = "sent"`, `sent = "#sent"`, 1),
		"topic twice":         strings.Replace(ok, `"help", "other"`, `"help", "help"`, 1),
		"topic not an id":     strings.Replace(ok, `"help"`, `"Help me"`, 1),
		"name twice":          ok + field + "name = \"message\"\nkind = \"text\"\nmaxlength = 10\n",
		"name not an id":      strings.Replace(ok, `name = "message"`, `name = "my message"`, 1),
		"no maxlength":        strings.Replace(ok, "maxlength = 10", "maxlength = 0", 1),
		"maxLength":           strings.Replace(ok, "maxlength = 10", "maxLength = 10", 1),
		"unknown key":         ok + "autocomplete = \"name\"\n",
		"unknown kind":        strings.Replace(ok, `kind = "textarea"`, `kind = "checkbox"`, 1),
		"textarea, no rows":   strings.Replace(ok, "rows = 4\n", "", 1),
		"input with rows":     strings.Replace(ok, `kind = "textarea"`, `kind = "text"`, 1),
		"topics and no field": "[params.forms.contact]\ntopics = [\"other\"]\n",
	} {
		if _, err := siteconfig.Load(withContactForm(t, section)); err == nil || !strings.Contains(err.Error(), "params.forms.contact") {
			t.Errorf("%s: error %v, want one about params.forms.contact", name, err)
		}
	}
}
