package siteconfig

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/pelletier/go-toml/v2"
)

// Forms are the forms config.toml describes, [params.forms.<name>].
type Forms struct {
	Contact ContactForm `toml:"contact"`
}

// ContactForm is [params.forms.contact]: the contact form's topics and
// fields, in the order it shows them. layouts/_partials/forms/contact.html
// is its markup, run by Hugo (the contact-form shortcode) and by
// internal/contact, which shows it again and enforces its limits. A site
// without the section has no contact form: Load accepts it, the shortcode
// and the contact function refuse it.
type ContactForm struct {
	Topics []string    `toml:"topics"`
	Fields []FormField `toml:"fields"`
	// Sent is the id of the note on a help-only language's page that the
	// function sends a visitor back to after a message: /<lang>/#<sent>
	// (layouts/help-short.html shows it only then).
	Sent string `toml:"sent"`
	// FieldsAsWritten are the same fields as Hugo's templates see
	// site.Params.forms.contact.fields: maps of the keys as config.toml
	// writes them (.name, .maxlength…), so that the one partial reads them
	// alike in Hugo and in Go. Filled by Load.
	FieldsAsWritten []map[string]any `toml:"-"`
}

// FormField is one field of a form.
type FormField struct {
	Name string `toml:"name"` // the name posted; the id is <form>-<name>
	// Kind is "textarea" (Rows lines high) or an input type: text, email, tel.
	Kind      string `toml:"kind"`
	Rows      int    `toml:"rows"`
	MaxLength int    `toml:"maxlength"` // in characters, checked again by the function
	Required  bool   `toml:"required"`
	// Label and Hint are i18n ids; the partial says which it takes when
	// they are not set (for the contact form: contact_<name>, <label>_hint).
	Label string `toml:"label"`
	Hint  string `toml:"hint"`
}

// Multiline reports whether the field takes several lines (a textarea).
func (f FormField) Multiline() bool { return f.Kind == "textarea" }

// Described reports whether config.toml has the section.
func (c ContactForm) Described() bool { return len(c.Fields) > 0 || len(c.Topics) > 0 }

// Field returns the field called name.
func (c ContactForm) Field(name string) (FormField, bool) {
	for _, f := range c.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return FormField{}, false
}

// formName is what a field's or topic's name may be: it goes into ids,
// names and i18n ids.
var formName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

var inputKinds = map[string]bool{"textarea": true, "text": true, "email": true, "tel": true}

// fieldKeys are the keys a field may have, spelt as the partial reads them:
// Go would take maxLength for maxlength, Hugo's templates would not.
var fieldKeys = map[string]bool{"name": true, "kind": true, "rows": true, "maxlength": true, "required": true, "label": true, "hint": true}

// readAsWritten fills what Hugo's templates see of the forms (see
// FieldsAsWritten) from config.toml's bytes.
func (forms *Forms) readAsWritten(b []byte) error {
	var raw struct {
		Params struct {
			Forms struct {
				Contact struct {
					Fields []map[string]any `toml:"fields"`
				} `toml:"contact"`
			} `toml:"forms"`
		} `toml:"params"`
	}
	if err := toml.Unmarshal(b, &raw); err != nil {
		return err
	}
	forms.Contact.FieldsAsWritten = raw.Params.Forms.Contact.Fields
	return nil
}

func (forms Forms) validate() error {
	c := forms.Contact
	if !c.Described() {
		return nil
	}
	var errs []error
	bad := func(format string, a ...any) {
		errs = append(errs, fmt.Errorf("params.forms.contact: "+format, a...))
	}
	if len(c.Topics) == 0 {
		bad("topics is empty")
	}
	if !formName.MatchString(c.Sent) {
		bad("sent %q is not an id of lower-case letters, digits and _", c.Sent)
	}
	seen := map[string]bool{}
	for _, t := range c.Topics {
		if !formName.MatchString(t) || seen[t] {
			bad("topic %q is not a new name of lower-case letters, digits and _", t)
		}
		seen[t] = true
	}
	if len(c.Fields) == 0 {
		bad("no fields")
	}
	seen = map[string]bool{}
	for i, f := range c.Fields {
		switch {
		case !formName.MatchString(f.Name) || seen[f.Name]:
			bad("field %d: name %q is not a new name of lower-case letters, digits and _", i+1, f.Name)
		case !inputKinds[f.Kind]:
			bad("field %s: kind %q is none of textarea, text, email, tel", f.Name, f.Kind)
		case f.Multiline() != (f.Rows > 0):
			bad("field %s: rows %d: a textarea needs rows, an input has none", f.Name, f.Rows)
		case f.MaxLength < 1:
			bad("field %s: maxlength %d must be at least 1", f.Name, f.MaxLength)
		}
		seen[f.Name] = true
		if i < len(c.FieldsAsWritten) {
			for k := range c.FieldsAsWritten[i] {
				if !fieldKeys[k] {
					bad("field %s: unknown key %q (name, kind, rows, maxlength, required, label, hint)", f.Name, k)
				}
			}
		}
	}
	return errors.Join(errs...)
}
