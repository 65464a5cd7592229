package donate

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"net/http"
	"strconv"
)

// messageIDs are the strings this package needs; New checks every language has them.
var messageIDs = []string{
	"donate_amount_legend", "donate_amount_other", "donate_amount_other_label", "donate_amount_hint",
	"donate_frequency_legend", "donate_once", "donate_monthly", "donate_button", "donate_back",
	"donate_error_title", "donate_error_unavailable_title", "donate_call_us",
	"donate_error_method", "donate_error_form", "donate_error_too_large", "donate_error_amount_missing",
	"donate_error_amount_format", "donate_error_amount_min", "donate_error_amount_max",
	"donate_error_frequency", "donate_error_lang", "donate_error_not_configured",
	"donate_error_stripe", "donate_error_unavailable", "donate_product_once", "donate_product_monthly",
}

// The function has no access to Hugo's fingerprinted stylesheet, so the page
// carries a few rules of its own, allowed by their hash in the CSP header.
const pageStyle = `body{margin:0;font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#1b1f24}
main{max-width:42rem;margin-inline:auto;padding:1rem}h1{color:#0b3c6f;line-height:1.25}a{color:#0b4f9c}
form{display:grid;gap:1.25rem}fieldset{border:0;padding:0;margin:0}legend,label.block{font-weight:700}
.choices{display:flex;flex-wrap:wrap;gap:.5rem}.choice{display:inline-flex;align-items:center;gap:.5rem;min-height:2.75rem;padding:.25rem .75rem;border:2px solid #c9d3df;border-radius:.5rem}
input[type=text]{font:inherit;min-height:2.75rem;padding:.5rem .75rem;border:2px solid #4a5563;border-radius:.5rem;inline-size:100%;max-inline-size:12rem}
.error{color:#a3231b;font-weight:700;margin:0}.alert{border-inline-start:6px solid #a3231b;padding:.5rem 1rem;background:#fdf0ef}
button{font:inherit;font-weight:700;min-height:2.75rem;padding:.6rem 1.5rem;color:#fff;background:#0b4f9c;border:2px solid #0b4f9c;border-radius:.5rem;justify-self:start;cursor:pointer}
:focus-visible{outline:3px solid #1b1f24;outline-offset:2px;box-shadow:0 0 0 6px #ffbf47}`

const pageHTML = `<!doctype html>
<html lang="{{.Lang}}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}} – Payoke</title>
<style>{{.Style}}</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
{{with .Alert}}<p class="alert" role="alert">{{.}}</p>{{end}}
<form method="post" action="/api/donate">
<fieldset{{if eq .Field "amount"}} aria-describedby="amount-error"{{end}}>
<legend>{{.T "donate_amount_legend"}}</legend>
{{if eq .Field "amount"}}<p class="error" id="amount-error">{{.FieldMessage}}</p>{{end}}
<div class="choices">
{{range .Presets}}<label class="choice"><input type="radio" name="amount" value="{{.Value}}"{{if .Checked}} checked{{end}}> {{.Label}}</label>
{{end}}<label class="choice"><input type="radio" name="amount" value="other"{{if .OtherChecked}} checked{{end}}> {{.T "donate_amount_other"}}</label>
</div>
<p><label class="block" for="amount-other">{{.T "donate_amount_other_label"}}</label><br>
<input type="text" id="amount-other" name="amount_other" inputmode="decimal" autocomplete="off" value="{{.Other}}" aria-describedby="amount-hint{{if eq .Field "amount"}} amount-error{{end}}"{{if eq .Field "amount"}} aria-invalid="true" autofocus{{end}}></p>
<p id="amount-hint">{{.Hint}}</p>
</fieldset>
<fieldset{{if eq .Field "frequency"}} aria-describedby="frequency-error"{{end}}>
<legend>{{.T "donate_frequency_legend"}}</legend>
{{if eq .Field "frequency"}}<p class="error" id="frequency-error">{{.FieldMessage}}</p>{{end}}
<div class="choices">
<label class="choice"><input type="radio" name="frequency" value="once"{{if ne .Frequency "monthly"}} checked{{end}}> {{.T "donate_once"}}</label>
<label class="choice"><input type="radio" name="frequency" value="monthly"{{if eq .Frequency "monthly"}} checked{{end}}> {{.T "donate_monthly"}}</label>
</div>
</fieldset>
<input type="hidden" name="lang" value="{{.Lang}}">
<button type="submit">{{.T "donate_button"}}</button>
</form>
<p>{{.CallUs}} <a href="tel:{{.PhoneLink}}">{{.Phone}}</a></p>
<p><a href="{{.Back}}">{{.T "donate_back"}}</a></p>
</main>
</body>
</html>
`

type page struct {
	tmpl *template.Template
	csp  string
}

func newPage() (*page, error) {
	t, err := template.New("donate").Parse(pageHTML)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(pageStyle))
	csp := "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
		"form-action 'self' https://checkout.stripe.com; base-uri 'none'; frame-ancestors 'none'"
	return &page{tmpl: t, csp: csp}, nil
}

type preset struct {
	Value, Label string
	Checked      bool
}

// pageData is what the answer page shows; T looks strings up in its language.
type pageData struct {
	h                        *handler
	Lang, Title, Alert       string
	Field, FieldMessage      string
	Presets                  []preset
	OtherChecked             bool
	Other, Frequency, Hint   string
	CallUs, Phone, PhoneLink string
	Back                     string
	Style                    template.CSS
}

func (d pageData) T(id string) string { return d.h.message(d.Lang, id) }

func (h *handler) pageData(lang string, in input, a answer, msg string) pageData {
	o := h.Site.Params.Organisation
	d := pageData{
		h: h, Lang: lang, Title: h.message(lang, "donate_error_title"),
		Other: in.Other, Frequency: in.Frequency,
		Hint:   h.message(lang, "donate_amount_hint"),
		CallUs: h.message(lang, "donate_call_us"), Phone: o.Phone, PhoneLink: o.PhoneLink,
		Back: SupportPath(lang), Style: template.CSS(pageStyle),
	}
	if a.Status >= 500 {
		d.Title = h.message(lang, "donate_error_unavailable_title")
	}
	if a.Field == "amount" || a.Field == "frequency" { // the fields the page shows
		d.Field, d.FieldMessage = a.Field, msg
	} else {
		d.Alert = msg
	}
	matched := false
	for _, p := range h.Site.Params.Donation.Presets {
		v := strconv.Itoa(p)
		c := in.Amount == v && in.Other == ""
		matched = matched || c
		d.Presets = append(d.Presets, preset{Value: v, Label: FormatEuro(lang, int64(p)*100), Checked: c})
	}
	if !matched && (in.Other != "" || in.Amount != "") {
		d.OtherChecked = true
		if d.Other == "" && in.Amount != "other" {
			d.Other = in.Amount // an amount sent straight in the amount field
		}
	}
	return d
}

func (p *page) render(w http.ResponseWriter, status int, d pageData) {
	var buf bytes.Buffer
	if err := p.tmpl.Execute(&buf, d); err != nil {
		d.h.Logger.Error("donate: answer page", "error", err.Error())
		http.Error(w, http.StatusText(status), status)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Security-Policy", p.csp)
	hd.Set("Cache-Control", "no-store")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
