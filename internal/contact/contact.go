// Package contact is the /api/contact handler: it checks a message sent with
// the contact form and mails it to Payoke's staff, without losing what the
// person wrote and without logging any of it.
package contact

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/payoke/site/internal/i18n"
	"github.com/payoke/site/internal/mail"
	"github.com/payoke/site/internal/netlify"
	"github.com/payoke/site/internal/siteconfig"
	"github.com/payoke/site/internal/web"
)

// sendTimeout bounds the delivery of one message, so the 503 page that keeps
// the text always arrives before Netlify stops the function at 10 s.
const sendTimeout = 6 * time.Second

// Options are the handler's dependencies and limits; zero limits take the
// defaults below.
type Options struct {
	Sender  mail.Sender
	To      []string // staff addresses
	Site    *siteconfig.Config
	Strings *i18n.Catalog
	// Pages are the site's page addresses (the contact page and its
	// thank-you page); default: the embedded site's (web.SitePages).
	Pages *web.Pages
	// SiteURL is the site's origin, trusted for cross-origin form posts
	// (same-origin posts are always accepted).
	SiteURL string
	Logger  *slog.Logger

	Now        func() time.Time // default time.Now
	RateLimit  int              // messages per client per RateWindow; default 5
	RateWindow time.Duration    // default 1 hour
	MaxClients int              // clients tracked at once (web.Limiter); default 10000
	MinFill    time.Duration    // time trap for JavaScript visitors; default 3s
	MaxBody    int64            // request body limit in bytes; default 128 KiB
	// ClientIP names the client for the rate limit; default: the host of
	// RemoteAddr.
	ClientIP func(*http.Request) string
}

type handler struct {
	Options
	limit   *web.Limiter
	checked http.Handler // post behind the same-origin check (web.SameOrigin)
	// langs matches Accept-Language over every language in config.toml
	// (help-only ones too); known holds the same codes, for the form's lang.
	langs *web.Languages
	known map[string]bool
	// fallback is fallbackLang, or the default language on a site without it.
	fallback string
	// form is the form as config.toml describes it; names are what it posts.
	form  siteconfig.ContactForm
	names []string
}

// New returns the /api/contact handler, or why it cannot serve: a form
// description it cannot mail, a page missing, SiteURL not an origin.
func New(o Options) (http.Handler, error) {
	if o.Site == nil || o.Strings == nil {
		return nil, errors.New("contact: site config and strings are required")
	}
	h := &handler{known: map[string]bool{}, form: o.Site.Params.Forms.Contact}
	var all []string
	for _, l := range o.Site.Languages {
		all = append(all, l.Lang)
		h.known[l.Lang] = true
	}
	if o.Pages == nil {
		o.Pages = web.SitePages()
	}
	if err := checkForm(h.form); err != nil {
		return nil, fmt.Errorf("contact: %w", err)
	}
	h.names = postedNames(h.form)
	if err := o.Pages.Require(o.Site.SiteLanguages(), web.PageContact, web.PageContactThanks); err != nil {
		return nil, fmt.Errorf("contact: %w", err)
	}
	h.fallback = fallbackLang
	if !h.known[fallbackLang] {
		h.fallback = o.Site.DefaultLanguage
	}
	// A help language translates the form and its main answers; any other
	// string shows in English rather than in Dutch. The strings name the
	// organisation of o.Site (web.Strings).
	o.Strings = web.Strings(o.Site, o.Strings).WithFallback(h.fallback)
	h.langs = web.NewLanguagesFrom(all, o.Site.DefaultLanguage)
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MinFill == 0 {
		o.MinFill = 3 * time.Second
	}
	if o.MaxBody == 0 {
		// 5,000 characters of a non-Latin script, percent-encoded, take up
		// to 60 KB; the rest of the form fits in the margin.
		o.MaxBody = 128 << 10
	}
	if o.ClientIP == nil {
		o.ClientIP = web.RemoteIP
	}
	if o.RateLimit == 0 {
		o.RateLimit = 5
	}
	if o.RateWindow == 0 {
		o.RateWindow = time.Hour
	}
	if o.MaxClients == 0 {
		o.MaxClients = 10000
	}
	h.Options = o
	h.limit = web.NewLimiter(o.RateLimit, o.RateWindow, o.MaxClients)
	checked, err := web.SameOrigin(o.SiteURL, http.HandlerFunc(h.post), http.HandlerFunc(h.crossSite))
	if err != nil {
		return nil, fmt.Errorf("contact: SiteURL: %w", err)
	}
	h.checked = checked
	return h, nil
}

// NewFromEnv reads SMTP_URL, MAIL_FROM, CONTACT_TO, SITE_URL (+ OUTBOX_DIR)
// and returns the /api/contact handler.
//
// CONTACT_TO is a comma-separated list of staff addresses, read by
// mail.Recipients as the webhook reads it; it defaults to
// params.organisation.email in config.toml. SITE_URL
// defaults to the baseURL of config.toml. On Netlify (netlify.Running)
// the rate limit reads the client address from X-Nf-Client-Connection-Ip,
// which Netlify's proxy sets; elsewhere that header could be forged and is
// ignored.
func NewFromEnv(getenv func(string) string, logger *slog.Logger) (http.Handler, error) {
	cfg, cat, err := web.LoadSiteAllLanguages()
	if err != nil {
		return nil, err
	}
	sender, to, err := mailFromEnv(getenv, logger, cfg.Params.Organisation.Email)
	if err != nil {
		if !netlify.Running(getenv) {
			return nil, err
		}
		// In production a crash would show Netlify's bare error page and lose
		// the text; a 503 keeps it on screen with the phone number.
		if logger != nil {
			logger.Error("contact: mail is not configured; every message gets a 503 with its text kept", "err", err)
		}
		sender, to = unconfigured{err}, []string{cfg.Params.Organisation.Email}
	}
	_, origin, err := web.SiteURL(getenv("SITE_URL"), cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("contact: %w", err)
	}
	o := Options{Sender: sender, To: to, Site: cfg, Strings: cat, SiteURL: origin, Logger: logger,
		ClientIP: web.ClientIPFromEnv(getenv)}
	return New(o)
}

// mailFromEnv reads the mail settings and CONTACT_TO.
func mailFromEnv(getenv func(string) string, logger *slog.Logger, orgEmail string) (mail.Sender, []string, error) {
	if netlify.Running(getenv) && getenv("SMTP_URL") == "" {
		// An outbox inside a function would be a silent dead end.
		return nil, nil, errors.New("contact: SMTP_URL is not set")
	}
	sender, err := mail.FromEnv(getenv, logger)
	if err != nil {
		return nil, nil, err
	}
	rawTo := getenv("CONTACT_TO")
	if rawTo == "" {
		rawTo = orgEmail // as the README says, and as the webhook does
	}
	// The one CONTACT_TO parser, shared with the webhook.
	to, err := mail.Recipients(rawTo)
	if err != nil {
		return nil, nil, fmt.Errorf("contact: CONTACT_TO: %w", err)
	}
	return sender, to, nil
}

// unconfigured refuses every message: the mail settings are wrong.
type unconfigured struct{ err error }

func (u unconfigured) Send(context.Context, mail.Message) error { return u.err }

// fallbackLang answers when the form's lang is unknown and Accept-Language
// names no language of the site, and gives a help language the strings it
// does not translate; a site without it (config.toml) uses its default
// language instead.
const fallbackLang = "en"

// thanksPath is the localized thank-you page (translationKey
// contact-thanks, content/<lang>/contact-thanks.md); in a help-only
// language (which has one page, its home) the "sent" state of that page,
// /<lang>/#sent (layouts/help-short.html). lang is always a language of
// config.toml, checked by readForm; "" is the default language.
func thanksPath(p *web.Pages, site *siteconfig.Config, lang string) string {
	lang = cmp.Or(lang, site.DefaultLanguage)
	if path, ok := p.Path(lang, web.PageContactThanks); ok {
		return path
	}
	return p.Home(lang) + "#" + site.Params.Forms.Contact.Sent
}

// contactPath is the page with the form: the contact page (translationKey
// contact) in a site language, the help page (the home) in a help-only
// language.
func contactPath(p *web.Pages, lang string) string {
	if path, ok := p.Path(lang, web.PageContact); ok {
		return path
	}
	return p.Home(lang)
}

// requestLang guesses the language before the form is read, from
// Accept-Language; the form's own lang field wins once it is read.
func (h *handler) requestLang(r *http.Request) string { return h.langs.FromRequest(r) }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.notice(w, r, h.requestLang(r), http.StatusMethodNotAllowed, "contact_method_title", "contact_method_text")
		return
	}
	h.checked.ServeHTTP(w, r)
}

// crossSite refuses a post from another site, and still shows its text back:
// nothing typed is lost, whatever the path.
func (h *handler) crossSite(w http.ResponseWriter, r *http.Request) {
	h.Logger.Warn("contact: cross-origin post refused")
	if f, lang, ok := h.readForm(w, r); ok {
		h.keepPage(w, r, lang, f, http.StatusForbidden, "contact_forbidden_title", "contact_forbidden_text")
	}
}

// readForm reads the form under the body limit, in the form's language if it
// names one; when it cannot, it has answered and ok is false.
func (h *handler) readForm(w http.ResponseWriter, r *http.Request) (f form, lang string, ok bool) {
	lang = h.requestLang(r)
	if r.ContentLength > h.MaxBody {
		h.tooLarge(w, r, lang)
		return f, lang, false
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.MaxBody)
	b, err := readBody(r, h.MaxBody, h.names)
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			h.tooLarge(w, r, lang)
			return f, lang, false
		}
		// The connection broke while the body came in.
		h.Logger.Info("contact: body could not be read")
		h.unreadable(w, r, lang, "")
		return f, lang, false
	}
	if b.unreadable {
		// Something came, and no field of the form in it: say so, with
		// the phone, and show any text that came.
		h.Logger.Info("contact: unreadable form")
		h.unreadable(w, r, lang, b.raw)
		return f, lang, false
	}
	f = parseForm(h.form, b.values)
	switch {
	case h.known[f.Lang]:
		lang = f.Lang
	case f.Lang != "":
		// Not a language of config.toml (a typo, a forged post, a header
		// injection attempt): it goes no further, not into the mail, not
		// into the page. Answer in the browser's language, else in English
		// (h.fallback: the default language on a site without English).
		h.Logger.Info("contact: unknown form language ignored")
		f.Lang = ""
		if l, ok := h.langs.Match(r); ok {
			lang = l
		} else {
			lang = h.fallback
		}
	}
	if len(b.broken) > 0 {
		// A broken escape: the text is shown as it was decoded, leniently,
		// for the sender to check; nothing is sent on a guess.
		h.Logger.Info("contact: broken escape in the form", "fields", len(b.broken))
		var ps []problem
		for _, name := range h.names {
			if b.broken[name] && name != fieldLang && name != fieldWebsite && name != fieldElapsed {
				ps = append(ps, problem{Field: name, ID: "contact_error_unreadable"})
			}
		}
		if len(ps) > 0 {
			h.formPage(w, r, lang, f, ps, http.StatusBadRequest)
			return f, lang, false
		}
	}
	return f, lang, true
}

// unreadable answers a body with nothing of the form in it: 400, plainly,
// with the phone number; raw (text that came) is put in the message field.
func (h *handler) unreadable(w http.ResponseWriter, r *http.Request, lang, raw string) {
	text := h.Strings.TOrID(lang, "contact_unreadable_text", map[string]any{"Phone": h.Site.Params.Organisation.Phone})
	if web.WantsJSON(r) {
		writeError(w, http.StatusBadRequest, []jsonProblem{{Message: text}})
		return
	}
	page := h.newPage(lang, "contact_unreadable_title", "")
	page.Notice = text
	page.Form = h.formArgs(lang, form{Values: map[string]string{fieldMessage: raw}}, nil)
	h.render(w, http.StatusBadRequest, page)
}

func (h *handler) post(w http.ResponseWriter, r *http.Request) {
	f, lang, ok := h.readForm(w, r)
	if !ok {
		return
	}
	if f.Website != "" {
		// A robot filled the hidden field: answer as on success, send nothing.
		h.Logger.Info("contact: honeypot filled, nothing sent")
		h.success(w, r, lang)
		return
	}
	if ps := f.validate(h.form); len(ps) > 0 {
		h.Logger.Info("contact: form refused", "problems", len(ps))
		h.formPage(w, r, lang, f, ps, http.StatusBadRequest)
		return
	}
	if f.tooFast(h.MinFill) {
		h.Logger.Info("contact: form filled too fast")
		h.formPage(w, r, lang, f, []problem{{ID: "contact_error_too_fast"}}, http.StatusBadRequest)
		return
	}
	ok, retry, refund := h.limit.Reserve(h.ClientIP(r), h.Now())
	if !ok {
		h.Logger.Warn("contact: rate limit reached")
		w.Header().Set("Retry-After", web.RetryAfter(retry))
		h.keepPage(w, r, lang, f, http.StatusTooManyRequests, "contact_busy_title", "contact_busy_text")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), sendTimeout)
	defer cancel()
	if err := h.Sender.Send(ctx, h.message(f)); err != nil {
		// The error comes from the mail package and names no content.
		h.Logger.Error("contact: delivery failed", "err", err)
		// Not delivered, so not counted: the person may send it again.
		refund()
		h.keepPage(w, r, lang, f, http.StatusServiceUnavailable, "contact_failed_title", "contact_failed_text")
		return
	}
	h.Logger.Info("contact: message sent", "lang", lang, "topic", f.topic())
	h.success(w, r, lang)
}

func (h *handler) success(w http.ResponseWriter, r *http.Request, lang string) {
	if web.WantsJSON(r) {
		web.WriteJSON(w, http.StatusOK, map[string]string{"url": thanksPath(h.Pages, h.Site, lang)})
		return
	}
	web.NoStore(w, "text/html; charset=utf-8")
	w.Header().Set("Location", thanksPath(h.Pages, h.Site, lang))
	w.WriteHeader(http.StatusSeeOther)
}

func (h *handler) tooLarge(w http.ResponseWriter, r *http.Request, lang string) {
	h.Logger.Info("contact: body too large")
	// Close the connection rather than read the rest of a huge body.
	w.Header().Set("Connection", "close")
	h.notice(w, r, lang, http.StatusRequestEntityTooLarge, "contact_too_large_title", "contact_too_large_text")
}

type jsonProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// writeError answers a JSON client: the contract's {"error":{"field","message"}}
// with the first problem, and every problem under "errors".
func writeError(w http.ResponseWriter, status int, ps []jsonProblem) {
	web.WriteJSON(w, status, map[string]any{"error": ps[0], "errors": ps})
}

func (h *handler) render(w http.ResponseWriter, status int, p pageView) {
	if err := web.Render(w, status, pageTemplate, p); err != nil {
		h.Logger.Error("contact: page", "err", err)
	}
}

// notice is a page with a title, a sentence, the phone and a link back to the
// form, for answers given before the form was read.
func (h *handler) notice(w http.ResponseWriter, r *http.Request, lang string, status int, titleID, textID string) {
	if web.WantsJSON(r) {
		writeError(w, status, []jsonProblem{{Message: h.Strings.TOrID(lang, textID, nil)}})
		return
	}
	p := h.newPage(lang, titleID, textID)
	p.Back = contactPath(h.Pages, lang)
	h.render(w, status, p)
}

// formPage shows the form again with its values and each problem beside its field.
func (h *handler) formPage(w http.ResponseWriter, r *http.Request, lang string, f form, ps []problem, status int) {
	errs := map[string]string{}
	var shown []web.Problem
	var js []jsonProblem
	for _, p := range ps {
		text := h.Strings.TOrID(lang, p.ID, map[string]any{"Max": p.Max})
		if _, dup := errs[p.Field]; p.Field != "" && !dup {
			errs[p.Field] = text
		}
		sp := web.Problem{Text: text}
		if p.Field != "" {
			sp.Href = "#contact-" + p.Field
		}
		shown = append(shown, sp)
		js = append(js, jsonProblem{Field: p.Field, Message: text})
	}
	if web.WantsJSON(r) {
		writeError(w, status, js)
		return
	}
	page := h.newPage(lang, "contact_errors_title", "")
	page.Problems = shown
	page.Form = h.formArgs(lang, f, errs)
	h.render(w, status, page)
}

// keepPage answers a failure after a valid form: the message stays on screen,
// in the form, ready to copy or send again, with the phone number.
func (h *handler) keepPage(w http.ResponseWriter, r *http.Request, lang string, f form, status int, titleID, textID string) {
	if web.WantsJSON(r) {
		writeError(w, status, []jsonProblem{{Message: h.Strings.TOrID(lang, textID, nil)}})
		return
	}
	page := h.newPage(lang, titleID, textID)
	page.Form = h.formArgs(lang, f, nil)
	h.render(w, status, page)
}

// message writes the staff e-mail in the site's default language. No visitor
// text goes into a header: the subject holds only the topic's label, and the
// e-mail address, once checked, only Reply-To.
func (h *handler) message(f form) mail.Message {
	staff := h.Site.DefaultLanguage
	t := func(id string) string { return h.Strings.TOrID(staff, id, nil) }
	orNone := func(s string) string {
		if s == "" {
			return t("contact_mail_not_given")
		}
		return s
	}
	topic := t("contact_topic_" + f.topic())
	// f.Lang is a language of config.toml or empty (readForm): never raw input.
	langLabel := ""
	for _, l := range h.Site.Languages {
		if l.Lang == f.Lang && h.known[f.Lang] {
			langLabel = l.Label + " (" + l.Lang + ")"
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", t("contact_mail_intro"))
	fmt.Fprintf(&b, "%s: %s\n", t("contact_mail_topic"), topic)
	fmt.Fprintf(&b, "%s: %s\n", t("contact_mail_language"), orNone(langLabel))
	fmt.Fprintf(&b, "%s: %s\n", t("contact_mail_name"), orNone(f.Values[fieldName]))
	fmt.Fprintf(&b, "%s: %s\n", t("contact_mail_email"), orNone(f.Values[fieldEmail]))
	fmt.Fprintf(&b, "%s: %s\n\n", t("contact_mail_phone"), orNone(f.Values[fieldPhone]))
	fmt.Fprintf(&b, "%s:\n%s\n\n", t("contact_mail_safe"), orNone(f.Values[fieldSafe]))
	fmt.Fprintf(&b, "%s:\n%s\n\n", t("contact_mail_message"), f.Values[fieldMessage])
	fmt.Fprintf(&b, "-- \n%s\n", t("contact_mail_reply"))
	m := mail.Message{
		To:      h.To,
		Subject: oneLine(h.Strings.TOrID(staff, "contact_mail_subject", map[string]any{"Topic": topic})),
		Body:    b.String(),
	}
	if addr, ok := replyTo(f.Values[fieldEmail]); ok {
		m.ReplyTo = addr
	}
	return m
}

// oneLine drops anything that could end a header line.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }), " ")
}
