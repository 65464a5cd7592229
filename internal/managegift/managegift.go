// Package managegift answers /api/manage-gift, which lets a monthly donor
// stop or change their gift without an account:
//
//   - POST email, lang: the Stripe customers with that address that have one
//     of our monthly donation subscriptions are sent, by e-mail, a signed link
//     (giftlink) that works for a few hours. The answer is always the same
//     303 to the "check your mailbox" page, known address or not, so the
//     form tells nobody who gives. (POST t, lang, with an expired link's
//     token, sends a new link to that customer's address on file.)
//   - GET ?t=…: a valid link opens a Stripe Billing Portal session for its
//     customer (303); an expired or forged one gets a page in the visitor's
//     language that offers to send a new link.
//
// Logs hold statuses, counts and timings, never an address or a customer id.
package managegift

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/mail"
	"strings"
	"time"
	"unicode"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"github.com/payoke/site/internal/donation"
	"github.com/payoke/site/internal/i18n"
	pmail "github.com/payoke/site/internal/mail"
	"github.com/payoke/site/internal/managegift/giftlink"
	"github.com/payoke/site/internal/netlify"
	"github.com/payoke/site/internal/siteconfig"
	"github.com/payoke/site/internal/web"
)

// MaxBody is the largest form read: an address, a language, a token.
const MaxBody = 4 << 10

// MaxEmail is the longest address accepted (RFC 5321's path limit).
const MaxEmail = 254

// requestTimeout bounds the whole request (Stripe calls, the mail) under
// the platform's 10 s.
const requestTimeout = 8 * time.Second

// maxCustomers is the most customers one address is looked up in.
const maxCustomers = 10

// Options are the handler's dependencies.
type Options struct {
	Site    *siteconfig.Config
	Strings *i18n.Catalog
	// Pages are the site's page addresses (the donate page and the "check
	// your mailbox" page); default: the embedded site's (web.SitePages).
	Pages *web.Pages
	// Stripe is nil without STRIPE_SECRET_KEY, Links nil without
	// MANAGE_GIFT_SECRET, Mail nil without a mail server: the handler then
	// answers 503 with a localized "call or write".
	Stripe *client.API
	Links  *giftlink.Signer
	Mail   pmail.Sender
	// SiteURL starts the links in mails and the portal's return page;
	// posts from its origin are trusted as the site's own (web.SameOrigin).
	SiteURL string
	Logger  *slog.Logger

	Now        func() time.Time // default time.Now
	RateLimit  int              // requests per client per RateWindow; default 5
	RateWindow time.Duration    // default 1 hour
	// AddressLimit is how many links one address (or customer) is sent per
	// RateWindow, whoever asks; default 3. Past it, nothing is sent and the
	// answer is the same 303, so no one can fill a donor's mailbox.
	AddressLimit int
	MaxClients   int // clients tracked at once (web.Limiter); default 10000
	// Ceiling bounds the requests that reach Stripe per minute for the
	// whole instance; default 60.
	Ceiling int
	// MinAnswer is the least time an answer to the e-mail form takes, so a
	// known address (Stripe lookups, a mail) and an unknown one take about
	// as long; default 2 s, negative: none (tests).
	MinAnswer time.Duration
	// ClientIP names the client for the rate limit; default web.RemoteIP.
	ClientIP func(*http.Request) string
}

type handler struct {
	Options
	siteURL   string
	langs     *web.Languages
	limit     *web.Limiter
	addresses *web.Limiter
	ceiling   *web.Ceiling
	checked   http.Handler // post behind the same-origin check
}

// NewFromEnv reads MANAGE_GIFT_SECRET, STRIPE_SECRET_KEY, STRIPE_API_URL,
// SITE_URL and the mail settings of mail.FromEnv. Without the secrets or
// (on Netlify) SMTP_URL it still returns a handler, one that answers 503
// with a localized "call or write", and it logs what to set.
func NewFromEnv(getenv func(string) string, logger *slog.Logger) (http.Handler, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg, cat, err := web.LoadSite()
	if err != nil {
		return nil, err
	}
	o := Options{Site: cfg, Strings: cat, SiteURL: getenv("SITE_URL"), Logger: logger, ClientIP: web.ClientIPFromEnv(getenv)}
	var missing []string
	if o.Links, err = giftlink.FromEnv(getenv, cfg.Params.Donation.ManageLinkLifetime()); err != nil {
		missing = append(missing, err.Error()+" (make one with `openssl rand -base64 32`)")
	}
	if o.Stripe, err = donation.StripeFromEnv(getenv); err != nil {
		return nil, err
	}
	if o.Stripe == nil {
		missing = append(missing, "STRIPE_SECRET_KEY is not set")
	}
	if netlify.Running(getenv) && strings.TrimSpace(getenv("SMTP_URL")) == "" {
		missing = append(missing, "SMTP_URL is not set") // an outbox inside a function is a dead end
	} else if o.Mail, err = pmail.FromEnv(getenv, logger); err != nil {
		return nil, err
	}
	if len(missing) > 0 {
		logger.Warn("manage-gift: " + strings.Join(missing, "; ") + ", so /api/manage-gift answers 503 and asks donors to call or write")
	}
	return New(o)
}

// New checks o once and returns the /api/manage-gift handler.
func New(o Options) (http.Handler, error) {
	if o.Site == nil || o.Strings == nil {
		return nil, errors.New("manage-gift: site config and strings are required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	base, origin, err := web.SiteURL(o.SiteURL, o.Site.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("manage-gift: %w", err)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ClientIP == nil {
		o.ClientIP = web.RemoteIP
	}
	o.RateLimit = cmp.Or(o.RateLimit, 5)
	o.RateWindow = cmp.Or(o.RateWindow, time.Hour)
	o.AddressLimit = cmp.Or(o.AddressLimit, 3)
	o.MaxClients = cmp.Or(o.MaxClients, 10000)
	o.Ceiling = cmp.Or(o.Ceiling, 60)
	o.MinAnswer = cmp.Or(o.MinAnswer, 2*time.Second)
	if o.Pages == nil {
		o.Pages = web.SitePages()
	}
	h := &handler{Options: o, siteURL: base, langs: web.NewLanguages(o.Site),
		limit:     web.NewLimiter(o.RateLimit, o.RateWindow, o.MaxClients),
		addresses: web.NewLimiter(o.AddressLimit, o.RateWindow, o.MaxClients),
		ceiling:   web.NewCeiling(o.Ceiling, time.Minute)}
	if h.checked, err = web.SameOrigin(origin, http.HandlerFunc(h.post), http.HandlerFunc(h.crossSite)); err != nil {
		return nil, fmt.Errorf("manage-gift: %w", err)
	}
	if err := o.Pages.Require(o.Site.SiteLanguages(), web.PageSupport, web.PageManageGiftSent); err != nil {
		return nil, fmt.Errorf("manage-gift: %w", err)
	}
	for _, l := range o.Site.SiteLanguages() {
		for _, id := range messageIDs {
			if _, err := o.Strings.T(l, id, nil); err != nil {
				return nil, fmt.Errorf("manage-gift: string %s in %s: %w", id, l, err)
			}
		}
	}
	return h, nil
}

func (h *handler) configured() bool { return h.Stripe != nil && h.Links != nil && h.Mail != nil }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		h.open(w, r)
	case http.MethodPost:
		h.checked.ServeHTTP(w, r)
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		h.refuse(w, r, h.langs.FromRequest(r), input{}, answer{Status: http.StatusMethodNotAllowed, ID: "manage_gift_error_method"})
	}
}

// input is the form as sent, shown back when something is wrong.
type input struct {
	Email, Lang, Token string
}

// answer is one localized refusal.
type answer struct {
	Status int
	Field  string // "email" when the problem is the address
	ID     string // message id
	// Renew shows the "send me a new link" button for the input's token.
	Renew bool
}

// readInput reads the form in its language; when it cannot, it has
// answered and ok is false.
func (h *handler) readInput(w http.ResponseWriter, r *http.Request) (in input, lang string, ok bool) {
	lang = h.langs.FromRequest(r)
	if a := parseForm(w, r); a != nil {
		h.refuse(w, r, lang, in, *a)
		return in, lang, false
	}
	in = input{Email: r.PostForm.Get("email"), Lang: r.PostForm.Get("lang"), Token: r.PostForm.Get("t")}
	if h.Site.IsSiteLanguage(in.Lang) {
		lang = in.Lang
	}
	return in, lang, true
}

// parseForm reads a urlencoded or multipart body of at most MaxBody bytes.
func parseForm(w http.ResponseWriter, r *http.Request) *answer {
	if r.ContentLength > MaxBody {
		return &answer{Status: http.StatusRequestEntityTooLarge, ID: "manage_gift_error_form"}
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	switch mt {
	case "application/x-www-form-urlencoded":
		err = r.ParseForm()
	case "multipart/form-data":
		err = r.ParseMultipartForm(MaxBody)
	default:
		return &answer{Status: http.StatusBadRequest, ID: "manage_gift_error_form"}
	}
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return &answer{Status: http.StatusRequestEntityTooLarge, ID: "manage_gift_error_form"}
	} else if err != nil {
		return &answer{Status: http.StatusBadRequest, ID: "manage_gift_error_form"}
	}
	return nil
}

// crossSite refuses a post from another site, showing the address typed.
func (h *handler) crossSite(w http.ResponseWriter, r *http.Request) {
	h.Logger.Warn("manage-gift: cross-origin post refused")
	if in, lang, ok := h.readInput(w, r); ok {
		h.refuse(w, r, lang, in, answer{Status: http.StatusForbidden, ID: "manage_gift_error_forbidden", Renew: in.Token != ""})
	}
}

// checkEmail returns the address as Stripe may hold it, or false: one bare
// address, ASCII, with a dot in its domain, as the contact form accepts.
func checkEmail(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > MaxEmail {
		return "", false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", false
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || !strings.Contains(s[at+1:], ".") || strings.HasSuffix(s, ".") {
		return "", false
	}
	for _, r := range s {
		if r > unicode.MaxASCII || r <= ' ' || r == 0x7f {
			return "", false
		}
	}
	return s, true
}

func (h *handler) post(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	in, lang, ok := h.readInput(w, r)
	if !ok {
		return
	}
	var claims giftlink.Claims
	var email string
	if in.Token != "" {
		// "Send me a new link" from an expired link's page.
		if !h.configured() {
			h.notConfigured(w, r, lang, in)
			return
		}
		c, err := h.Links.Verify(in.Token, h.Now())
		if errors.Is(err, giftlink.ErrForged) {
			h.Logger.Info("manage-gift: renewal with a forged link refused", "status", http.StatusBadRequest)
			h.refuse(w, r, lang, input{Lang: lang}, answer{Status: http.StatusBadRequest, ID: "manage_gift_link_forged"})
			return
		}
		claims = c
	} else {
		var valid bool
		if email, valid = checkEmail(in.Email); !valid {
			h.Logger.Info("manage-gift: refused", "status", http.StatusBadRequest, "reason", "email")
			h.refuse(w, r, lang, in, answer{Status: http.StatusBadRequest, Field: "email", ID: "manage_gift_error_email"})
			return
		}
		if !h.configured() {
			h.notConfigured(w, r, lang, in)
			return
		}
	}
	now := h.Now()
	ok, retry, refund := h.limit.Reserve(h.ClientIP(r), now)
	if !ok {
		h.Logger.Warn("manage-gift: rate limit reached", "status", http.StatusTooManyRequests)
		w.Header().Set("Retry-After", web.RetryAfter(retry))
		h.refuse(w, r, lang, in, answer{Status: http.StatusTooManyRequests, ID: "manage_gift_error_busy", Renew: in.Token != ""})
		return
	}
	if ok, retry := h.ceiling.Allow(now); !ok {
		refund() // the instance is busy, not this visitor
		h.Logger.Warn("manage-gift: requests per minute reached", "status", http.StatusTooManyRequests)
		w.Header().Set("Retry-After", web.RetryAfter(retry))
		h.refuse(w, r, lang, in, answer{Status: http.StatusTooManyRequests, ID: "manage_gift_error_busy_site", Renew: in.Token != ""})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), requestTimeout)
	defer cancel()

	// From here on, what happens depends on whether Stripe knows the address;
	// what the visitor sees must not. Only a failure that comes before
	// anything about the address is known (the first lookup) is shown.
	var res result
	if in.Token != "" {
		res = h.renew(ctx, claims, lang)
	} else {
		var err error
		if res, err = h.byEmail(ctx, email, lang); err != nil {
			refund() // not the visitor's doing
			h.stripeFailure("customer lookup", err)
			h.refuse(w, r, lang, in, answer{Status: http.StatusServiceUnavailable, ID: "manage_gift_error_unavailable"})
			return
		}
	}
	h.Logger.Info("manage-gift: link request answered", "status", http.StatusSeeOther, "path", res.path,
		"mails", res.mails, "failures", res.failures, "ms", time.Since(start).Milliseconds())
	if in.Token == "" && h.MinAnswer > 0 {
		// A known address costs Stripe lookups and a mail; pad the answer
		// so its timing says little about which it was.
		select {
		case <-time.After(time.Until(start.Add(h.MinAnswer))):
		case <-r.Context().Done():
		}
	}
	h.sent(w, r, lang)
}

// sent is the one answer to every request that got as far as Stripe.
func (h *handler) sent(w http.ResponseWriter, r *http.Request, lang string) {
	if web.WantsJSON(r) {
		web.WriteJSON(w, http.StatusOK, map[string]string{"url": h.path(lang, web.PageManageGiftSent)})
		return
	}
	web.NoStore(w, "text/html; charset=utf-8")
	w.Header().Set("Location", h.path(lang, web.PageManageGiftSent))
	w.WriteHeader(http.StatusSeeOther)
}

func (h *handler) notConfigured(w http.ResponseWriter, r *http.Request, lang string, in input) {
	h.Logger.Warn("manage-gift: refused, not configured (MANAGE_GIFT_SECRET, STRIPE_SECRET_KEY or SMTP_URL)", "status", http.StatusServiceUnavailable)
	h.refuse(w, r, lang, in, answer{Status: http.StatusServiceUnavailable, ID: "manage_gift_error_not_configured"})
}

// stripeFailure logs a failed call by Stripe's type, code and request id,
// never its message, which can echo what was sent (the address).
func (h *handler) stripeFailure(what string, err error) {
	var se *stripe.Error
	if errors.As(err, &se) {
		h.Logger.Error("manage-gift: stripe refused the "+what, "http_status", se.HTTPStatusCode,
			"type", se.Type, "code", se.Code, "request_id", se.RequestID)
		return
	}
	h.Logger.Error("manage-gift: stripe unreachable for the " + what)
}

// open answers GET ?t=…: a valid link opens the donor's portal.
func (h *handler) open(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	lang := h.langs.FromRequest(r)
	if !h.configured() {
		h.notConfigured(w, r, lang, input{})
		return
	}
	c, err := h.Links.Verify(r.URL.Query().Get("t"), h.Now())
	if err == nil || errors.Is(err, giftlink.ErrExpired) {
		if h.Site.IsSiteLanguage(c.Lang) {
			lang = c.Lang
		}
	}
	switch {
	case errors.Is(err, giftlink.ErrExpired):
		h.Logger.Info("manage-gift: expired link", "status", http.StatusGone)
		h.refuse(w, r, lang, input{Lang: lang, Token: r.URL.Query().Get("t")},
			answer{Status: http.StatusGone, ID: "manage_gift_link_expired", Renew: true})
		return
	case err != nil:
		h.Logger.Info("manage-gift: forged or broken link", "status", http.StatusBadRequest)
		h.refuse(w, r, lang, input{Lang: lang}, answer{Status: http.StatusBadRequest, ID: "manage_gift_link_forged"})
		return
	}
	if ok, retry := h.ceiling.Allow(h.Now()); !ok {
		h.Logger.Warn("manage-gift: requests per minute reached", "status", http.StatusTooManyRequests)
		w.Header().Set("Retry-After", web.RetryAfter(retry))
		h.refuse(w, r, lang, input{Lang: lang}, answer{Status: http.StatusTooManyRequests, ID: "manage_gift_portal_busy"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), requestTimeout)
	defer cancel()
	s, err := h.Stripe.BillingPortalSessions.New(&stripe.BillingPortalSessionParams{
		Params:    stripe.Params{Context: ctx},
		Customer:  stripe.String(c.Customer),
		ReturnURL: stripe.String(h.siteURL + h.path(lang, web.PageSupport)),
		Locale:    stripe.String(lang),
	})
	if err != nil {
		h.stripeFailure("portal session", err)
		if se, ok := errors.AsType[*stripe.Error](err); ok && se.Code == stripe.ErrorCodeResourceMissing {
			// The customer is gone: no gift left to manage.
			h.refuse(w, r, lang, input{Lang: lang}, answer{Status: http.StatusGone, ID: "manage_gift_link_gone"})
			return
		}
		h.refuse(w, r, lang, input{Lang: lang}, answer{Status: http.StatusServiceUnavailable, ID: "manage_gift_portal_unavailable"})
		return
	}
	h.Logger.Info("manage-gift: portal opened", "status", http.StatusSeeOther, "ms", time.Since(start).Milliseconds())
	web.NoStore(w, "text/html; charset=utf-8")
	http.Redirect(w, r, s.URL, http.StatusSeeOther)
}

// path is the address of the page key in lang ("" if it has none).
func (h *handler) path(lang, key string) string {
	p, _ := h.Pages.Path(lang, key)
	return p
}
