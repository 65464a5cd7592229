// Package siteconfig reads the parts of config.toml that the Go functions
// need (languages, organisation facts, donation limits) and validates them once.
package siteconfig

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// Organisation holds Payoke's contact facts.
type Organisation struct {
	Name      string `toml:"name"`
	Street    string `toml:"street"`
	Postcode  string `toml:"postcode"`
	Phone     string `toml:"phone"`
	PhoneLink string `toml:"phoneLink"`
	Email     string `toml:"email"`
	Opens     string `toml:"opens"`
	Closes    string `toml:"closes"`
	Emergency string `toml:"emergency"`
	// Legal identity, shown in the footer (Belgian law asks it of a vzw).
	LegalName string `toml:"legalName"`
	LegalForm string `toml:"legalForm"`
	// EnterpriseNumber is the KBO/BCE number, "0123.456.789"; empty until
	// known (`payoke check` warns). EnterpriseNumberProblem validates it.
	EnterpriseNumber string `toml:"enterpriseNumber"`
}

// Donation holds the donation settings; amounts are whole euros.
type Donation struct {
	Currency string `toml:"currency"`
	Presets  []int  `toml:"presets"`
	Minimum  int    `toml:"minimum"`
	Maximum  int    `toml:"maximum"`
	// ManageLinkHours is how long a manage-gift link works (giftlink).
	ManageLinkHours int `toml:"manageLinkHours"`
	// The account for gifts by bank transfer; all empty until known (the
	// site then says nothing about transfers and `payoke check` warns).
	// IBANProblem and BICProblem validate them; `payoke check` does.
	AccountHolder string `toml:"accountHolder"`
	IBAN          string `toml:"iban"`
	BIC           string `toml:"bic"`
}

// ManageLinkLifetime is ManageLinkHours as a duration.
func (d Donation) ManageLinkLifetime() time.Duration {
	return time.Duration(d.ManageLinkHours) * time.Hour
}

// Language is one site language.
type Language struct {
	Lang      string
	Label     string `toml:"label"`
	Locale    string `toml:"locale"`
	Direction string `toml:"direction"`
	Weight    int    `toml:"weight"`
	// ContentDir is the language's content folder, "content/<lang>" unless set.
	ContentDir string `toml:"contentDir"`
	Params     struct {
		City string `toml:"city"`
		// HelpOnly marks a language that has only the "get help" page.
		HelpOnly bool `toml:"helpOnly"`
	} `toml:"params"`
}

// Config is what the functions know about the site.
type Config struct {
	BaseURL         string `toml:"baseURL"`
	DefaultLanguage string `toml:"defaultContentLanguage"`
	Params          struct {
		QuickExit    string       `toml:"quickExit"`
		Organisation Organisation `toml:"organisation"`
		Donation     Donation     `toml:"donation"`
		Forms        Forms        `toml:"forms"`
	} `toml:"params"`
	LanguageMap map[string]Language `toml:"languages"`

	// Languages in weight order, filled by Load.
	Languages []Language `toml:"-"`
}

// Load reads and validates config.toml from fsys.
func Load(fsys fs.FS) (*Config, error) {
	b, err := fs.ReadFile(fsys, "config.toml")
	if err != nil {
		return nil, err
	}
	var c Config
	if err := toml.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("config.toml: %w", err)
	}
	if err := c.Params.Forms.readAsWritten(b); err != nil {
		return nil, fmt.Errorf("config.toml: %w", err)
	}
	for lang, l := range c.LanguageMap {
		l.Lang = lang
		if l.ContentDir == "" {
			l.ContentDir = "content/" + lang
		}
		c.Languages = append(c.Languages, l)
	}
	sort.Slice(c.Languages, func(i, j int) bool {
		if c.Languages[i].Weight != c.Languages[j].Weight {
			return c.Languages[i].Weight < c.Languages[j].Weight
		}
		return c.Languages[i].Lang < c.Languages[j].Lang
	})
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("config.toml: %w", err)
	}
	return &c, nil
}

func (c *Config) validate() error {
	var errs []error
	if u, err := url.Parse(c.BaseURL); err != nil || u.Scheme != "https" || u.Host == "" {
		errs = append(errs, fmt.Errorf("baseURL %q must be an https URL", c.BaseURL))
	}
	if _, ok := c.LanguageMap[c.DefaultLanguage]; !ok {
		errs = append(errs, fmt.Errorf("defaultContentLanguage %q is not among the languages", c.DefaultLanguage))
	}
	o := c.Params.Organisation
	for name, v := range map[string]string{"name": o.Name, "phone": o.Phone, "email": o.Email, "opens": o.Opens, "closes": o.Closes} {
		if v == "" {
			errs = append(errs, fmt.Errorf("params.organisation.%s is empty", name))
		}
	}
	d := c.Params.Donation
	if d.Currency != "EUR" {
		errs = append(errs, fmt.Errorf("params.donation.currency must be EUR, not %q", d.Currency))
	}
	if d.ManageLinkHours < 1 || d.ManageLinkHours > 24 {
		errs = append(errs, fmt.Errorf("params.donation.manageLinkHours must be 1 to 24 hours, not %d", d.ManageLinkHours))
	}
	if d.Minimum < 1 || d.Maximum <= d.Minimum {
		errs = append(errs, fmt.Errorf("params.donation: minimum %d and maximum %d do not make a range", d.Minimum, d.Maximum))
	}
	for _, p := range d.Presets {
		if p < d.Minimum || p > d.Maximum {
			errs = append(errs, fmt.Errorf("params.donation: preset %d is outside %d–%d", p, d.Minimum, d.Maximum))
		}
	}
	if err := c.Params.Forms.validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// SiteLanguages returns the full site languages (nl, en, fr), not the help-only ones.
func (c *Config) SiteLanguages() []string {
	var out []string
	for _, l := range c.Languages {
		if !l.Params.HelpOnly {
			out = append(out, l.Lang)
		}
	}
	return out
}

// IsSiteLanguage reports whether lang is one of the full site languages.
func (c *Config) IsSiteLanguage(lang string) bool {
	return slices.Contains(c.SiteLanguages(), lang)
}

// enterpriseNumberShape is how the KBO writes an enterprise number
// (0123.456.789), or the same ten digits without dots.
var enterpriseNumberShape = regexp.MustCompile(`^[01](?:[0-9]{3}\.[0-9]{3}\.[0-9]{3}|[0-9]{9})$`)

// EnterpriseNumberProblem says, in plain words, what is wrong with a Belgian
// enterprise number, or returns "" if it is valid: ten digits, written
// 0123.456.789 or 0123456789, the first 0 or 1, and the last two equal to
// 97 minus the first eight modulo 97.
func EnterpriseNumberProblem(number string) string {
	if !enterpriseNumberShape.MatchString(number) {
		return fmt.Sprintf("%q is not written like an enterprise number: ten digits starting with 0 or 1, as 0123.456.789 or 0123456789", number)
	}
	digits := strings.ReplaceAll(number, ".", "")
	body, _ := strconv.Atoi(digits[:8])
	check, _ := strconv.Atoi(digits[8:])
	if want := 97 - body%97; check != want {
		return fmt.Sprintf("%q is not a valid enterprise number: its last two digits should be %02d for the eight before them; check it on the KBO (kbopub.economie.fgov.be)", number, want)
	}
	return ""
}
