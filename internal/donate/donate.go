// Package donate answers POST /api/donate: it checks the gift (amount,
// once or monthly, language) and sends the donor to a Stripe Checkout page.
package donate

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"github.com/payoke/site/internal/donation"
	"github.com/payoke/site/internal/i18n"
	"github.com/payoke/site/internal/siteconfig"
	"github.com/payoke/site/internal/web"
)

// MaxBody is the largest form we read: three short fields and a token.
const MaxBody = 4 << 10

// requestTimeout bounds the whole request, Stripe's retry included.
const requestTimeout = 8 * time.Second

// tokenPattern is the shape of the random token donate.js puts in the form.
var tokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{16,64}$`)

// Options are the handler's dependencies.
type Options struct {
	Site    *siteconfig.Config
	Strings *i18n.Catalog
	// Pages are the site's page addresses (the donate and thank-you pages);
	// default: the embedded site's (web.SitePages).
	Pages *web.Pages
	// Stripe is nil when no secret key is set: the handler then answers 503.
	Stripe *client.API
	// SiteURL is the public origin the thank-you and cancel URLs start with;
	// posts from it are trusted as the site's own (web.SameOrigin).
	SiteURL string
	Logger  *slog.Logger

	Now        func() time.Time // default time.Now
	RateLimit  int              // Checkout Sessions per client per RateWindow; default 10
	RateWindow time.Duration    // default 10 minutes
	MaxClients int              // clients tracked at once (web.Limiter); default 10000
	// Ceiling is the most Checkout Sessions the instance asks Stripe for in
	// a minute, whoever asks; default 60 (Stripe allows 100 API calls a
	// second in live mode, 25 in test mode).
	Ceiling int
	// ClientIP names the client for the rate limit; default web.RemoteIP.
	ClientIP func(*http.Request) string
}

type handler struct {
	Options
	siteURL string
	langs   *web.Languages
	limit   *web.Limiter
	ceiling *web.Ceiling
	checked http.Handler // post behind the same-origin check
}

// NewFromEnv reads STRIPE_SECRET_KEY, STRIPE_API_URL (optional base URL, for
// stripe-mock) and SITE_URL (default: config.toml's baseURL). Without
// STRIPE_SECRET_KEY it still returns a handler, one that answers 503 with a
// clear localized message.
func NewFromEnv(getenv func(string) string, logger *slog.Logger) (http.Handler, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg, cat, err := web.LoadSite()
	if err != nil {
		return nil, err
	}
	o := Options{Site: cfg, Strings: cat, SiteURL: getenv("SITE_URL"), Logger: logger, ClientIP: web.ClientIPFromEnv(getenv)}
	if o.Stripe, err = donation.StripeFromEnv(getenv); err != nil {
		return nil, err
	}
	if o.Stripe == nil {
		logger.Warn("donate: STRIPE_SECRET_KEY is not set, so /api/donate answers 503. " +
			"Set a test key (sk_test_…, from https://dashboard.stripe.com/test/apikeys), " +
			"or run `go tool stripe-mock -http-port 12111` and set STRIPE_SECRET_KEY=sk_test_123 STRIPE_API_URL=http://127.0.0.1:12111")
	}
	return New(o)
}

// New checks o once and returns the /api/donate handler.
func New(o Options) (http.Handler, error) {
	if o.Site == nil || o.Strings == nil {
		return nil, errors.New("donate: site config and strings are required")
	}
	o.Strings = web.Strings(o.Site, o.Strings) // they name o.Site's organisation
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	base, origin, err := web.SiteURL(o.SiteURL, o.Site.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("donate: %w", err)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ClientIP == nil {
		o.ClientIP = web.RemoteIP
	}
	o.RateLimit = cmp.Or(o.RateLimit, 10)
	o.RateWindow = cmp.Or(o.RateWindow, 10*time.Minute)
	o.MaxClients = cmp.Or(o.MaxClients, 10000)
	o.Ceiling = cmp.Or(o.Ceiling, 60)
	if o.Pages == nil {
		o.Pages = web.SitePages()
	}
	h := &handler{Options: o, siteURL: base, langs: web.NewLanguages(o.Site),
		limit: web.NewLimiter(o.RateLimit, o.RateWindow, o.MaxClients), ceiling: web.NewCeiling(o.Ceiling, time.Minute)}
	if h.checked, err = web.SameOrigin(origin, http.HandlerFunc(h.post), http.HandlerFunc(h.crossSite)); err != nil {
		return nil, fmt.Errorf("donate: %w", err)
	}
	if err := o.Pages.Require(o.Site.SiteLanguages(), web.PageSupport, web.PageDonateThanks); err != nil {
		return nil, fmt.Errorf("donate: %w", err)
	}
	for _, l := range o.Site.SiteLanguages() {
		for _, id := range messageIDs {
			if _, err := o.Strings.T(l, id, nil); err != nil {
				return nil, fmt.Errorf("donate: string %s in %s: %w", id, l, err)
			}
		}
	}
	return h, nil
}

// gift is a checked donation.
type gift struct {
	Cents     int64
	Frequency string // once | monthly
	Lang      string
}

// input is the form as sent, shown back when something is wrong.
type input struct {
	Amount, Other, Frequency, Lang, Token string
}

// answer is one localized refusal: an HTTP status, the field it concerns
// (if any) and the message id.
type answer struct {
	Status int
	Field  string
	ID     string
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.refuse(w, r, h.langs.FromRequest(r), input{}, answer{http.StatusMethodNotAllowed, "", "donate_error_method"})
		return
	}
	h.checked.ServeHTTP(w, r)
}

// readInput reads the form in its language; when it cannot, it has answered
// and ok is false.
func (h *handler) readInput(w http.ResponseWriter, r *http.Request) (in input, lang string, ok bool) {
	lang = h.langs.FromRequest(r)
	if a := parseForm(w, r); a != nil {
		h.refuse(w, r, lang, in, *a)
		return in, lang, false
	}
	in = input{
		Amount:    r.PostForm.Get("amount"),
		Other:     r.PostForm.Get("amount_other"),
		Frequency: r.PostForm.Get("frequency"),
		Lang:      r.PostForm.Get("lang"),
		Token:     r.PostForm.Get("token"),
	}
	if h.Site.IsSiteLanguage(in.Lang) {
		lang = in.Lang
	}
	return in, lang, true
}

// crossSite refuses a post from another site: no Checkout Session, and the
// page shows the gift as chosen, to start from our own page.
func (h *handler) crossSite(w http.ResponseWriter, r *http.Request) {
	h.Logger.Warn("donate: cross-origin post refused")
	if in, lang, ok := h.readInput(w, r); ok {
		h.refuse(w, r, lang, in, answer{http.StatusForbidden, "", "donate_error_forbidden"})
	}
}

func (h *handler) post(w http.ResponseWriter, r *http.Request) {
	in, lang, ok := h.readInput(w, r)
	if !ok {
		return
	}
	g, a := h.check(in)
	if a != nil {
		h.Logger.Info("donate: refused", "status", a.Status, "field", a.Field, "reason", a.ID)
		h.refuse(w, r, lang, in, *a)
		return
	}
	if h.Stripe == nil {
		h.Logger.Warn("donate: refused, STRIPE_SECRET_KEY is not set")
		h.refuse(w, r, lang, in, answer{http.StatusServiceUnavailable, "", "donate_error_not_configured"})
		return
	}
	// Only a gift that will reach Stripe counts: a form to correct does not.
	now := h.Now()
	ok, retry, refund := h.limit.Reserve(h.ClientIP(r), now)
	if !ok {
		h.Logger.Warn("donate: rate limit reached")
		w.Header().Set("Retry-After", web.RetryAfter(retry))
		h.refuse(w, r, lang, in, answer{http.StatusTooManyRequests, "", "donate_error_busy"})
		return
	}
	if ok, retry := h.ceiling.Allow(now); !ok {
		refund() // the instance is busy, not this donor
		h.Logger.Warn("donate: checkout sessions per minute reached")
		w.Header().Set("Retry-After", web.RetryAfter(retry))
		h.refuse(w, r, lang, in, answer{http.StatusTooManyRequests, "", "donate_error_busy_site"})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), requestTimeout)
	defer cancel()
	s, err := h.Stripe.CheckoutSessions.New(h.sessionParams(ctx, g, idempotencyKey(in.Token, g)))
	if err != nil {
		// Not the donor's doing: the place is given back (the ceiling
		// keeps the call, which Stripe counted).
		refund()
		h.refuse(w, r, lang, in, h.stripeFailure(err))
		return
	}
	h.Logger.Info("donate: checkout session created", "frequency", g.Frequency, "lang", g.Lang, "cents", g.Cents)
	if web.WantsJSON(r) {
		web.WriteJSON(w, http.StatusOK, map[string]string{"url": s.URL})
		return
	}
	http.Redirect(w, r, s.URL, http.StatusSeeOther)
}

// parseForm reads a urlencoded or multipart body of at most MaxBody bytes.
func parseForm(w http.ResponseWriter, r *http.Request) *answer {
	if r.ContentLength > MaxBody {
		return &answer{http.StatusRequestEntityTooLarge, "", "donate_error_too_large"}
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
		return &answer{http.StatusBadRequest, "", "donate_error_form"} // the contract has no 415
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return &answer{http.StatusRequestEntityTooLarge, "", "donate_error_too_large"}
	case err != nil:
		return &answer{http.StatusBadRequest, "", "donate_error_form"}
	}
	return nil
}

// check validates the form. A typed amount wins over a preset: typing is
// the more deliberate act, and Checkout shows the sum before any payment.
func (h *handler) check(in input) (gift, *answer) {
	raw := in.Amount
	if strings.TrimSpace(in.Other) != "" || raw == "other" {
		raw = in.Other
	}
	cents, err := ParseAmount(raw)
	d := h.Site.Params.Donation
	switch {
	case errors.Is(err, ErrAmountMissing):
		return gift{}, &answer{http.StatusBadRequest, "amount", "donate_error_amount_missing"}
	case err != nil:
		return gift{}, &answer{http.StatusBadRequest, "amount", "donate_error_amount_format"}
	case cents < int64(d.Minimum)*100:
		return gift{}, &answer{http.StatusBadRequest, "amount", "donate_error_amount_min"}
	case cents > int64(d.Maximum)*100:
		return gift{}, &answer{http.StatusBadRequest, "amount", "donate_error_amount_max"}
	}
	if in.Frequency != donation.Once && in.Frequency != donation.Monthly {
		return gift{}, &answer{http.StatusBadRequest, "frequency", "donate_error_frequency"}
	}
	if !h.Site.IsSiteLanguage(in.Lang) {
		return gift{}, &answer{http.StatusBadRequest, "lang", "donate_error_lang"}
	}
	return gift{Cents: cents, Frequency: in.Frequency, Lang: in.Lang}, nil
}

// sessionParams describes the Checkout Session. Payment methods are left to
// the Stripe dashboard, so Bancontact, iDEAL, SEPA Direct Debit and cards can
// be switched on there without a code change.
func (h *handler) sessionParams(ctx context.Context, g gift, key string) *stripe.CheckoutSessionParams {
	meta := donation.Meta{Lang: g.Lang, Frequency: g.Frequency}.Encode()
	name := h.Strings.TOrID(g.Lang, "donate_product_"+g.Frequency, nil)
	price := &stripe.CheckoutSessionLineItemPriceDataParams{
		Currency:    stripe.String(strings.ToLower(h.Site.Params.Donation.Currency)),
		UnitAmount:  stripe.Int64(g.Cents),
		ProductData: &stripe.CheckoutSessionLineItemPriceDataProductDataParams{Name: stripe.String(name)},
	}
	p := &stripe.CheckoutSessionParams{
		Params:     stripe.Params{Context: ctx, IdempotencyKey: stripe.String(key)},
		LineItems:  []*stripe.CheckoutSessionLineItemParams{{PriceData: price, Quantity: stripe.Int64(1)}},
		Locale:     stripe.String(g.Lang),
		SuccessURL: stripe.String(h.siteURL + h.path(g.Lang, web.PageDonateThanks) + "?session_id={CHECKOUT_SESSION_ID}"),
		CancelURL:  stripe.String(h.siteURL + h.path(g.Lang, web.PageSupport)),
		Metadata:   meta,
	}
	if g.Frequency == donation.Monthly {
		price.Recurring = &stripe.CheckoutSessionLineItemPriceDataRecurringParams{Interval: stripe.String("month")}
		p.Mode = stripe.String(string(stripe.CheckoutSessionModeSubscription))
		p.SubscriptionData = &stripe.CheckoutSessionSubscriptionDataParams{Metadata: meta, Description: stripe.String(name)}
	} else {
		p.Mode = stripe.String(string(stripe.CheckoutSessionModePayment))
		p.SubmitType = stripe.String(string(stripe.CheckoutSessionSubmitTypeDonate))
		p.PaymentIntentData = &stripe.CheckoutSessionPaymentIntentDataParams{Metadata: meta, Description: stripe.String(name)}
	}
	return p
}

// idempotencyKey makes a double click (same page token, same gift) return
// the same session instead of a second one. Without the script's token,
// each request gets its own key, which still covers stripe-go's retry.
func idempotencyKey(token string, g gift) string {
	if !tokenPattern.MatchString(token) {
		token = rand.Text()
	}
	return fmt.Sprintf("donate-%s-%d-%s-%s", token, g.Cents, g.Frequency, g.Lang)
}

// stripeFailure maps a failed call: Stripe answered with an error → 502;
// Stripe not reached (network, timeout) → 503. Logs keep Stripe's type,
// code and request id, never its message, which can echo what was sent.
func (h *handler) stripeFailure(err error) answer {
	var se *stripe.Error
	if errors.As(err, &se) {
		h.Logger.Error("donate: stripe refused the session", "status", se.HTTPStatusCode,
			"type", se.Type, "code", se.Code, "request_id", se.RequestID)
		return answer{http.StatusBadGateway, "", "donate_error_stripe"}
	}
	h.Logger.Error("donate: stripe unreachable", "error", err.Error())
	return answer{http.StatusServiceUnavailable, "", "donate_error_unavailable"}
}

// refuse answers a with a localized message: JSON for scripts, otherwise a
// page that shows the form again with what the donor sent.
func (h *handler) refuse(w http.ResponseWriter, r *http.Request, lang string, in input, a answer) {
	msg := h.message(lang, a.ID)
	if web.WantsJSON(r) {
		web.WriteJSON(w, a.Status, map[string]map[string]string{"error": {"field": a.Field, "message": msg}})
		return
	}
	h.render(w, a.Status, h.pageData(lang, in, a, msg))
}

// message fills a message with the facts it may mention.
func (h *handler) message(lang, id string) string {
	d, o := h.Site.Params.Donation, h.Site.Params.Organisation
	return h.Strings.TOrID(lang, id, map[string]any{
		"Min":   donation.FormatEuro(lang, int64(d.Minimum)*100),
		"Max":   donation.FormatEuro(lang, int64(d.Maximum)*100),
		"Phone": o.Phone,
		"Email": o.Email,
	})
}

// path is the address of the page key in lang ("" if it has none).
func (h *handler) path(lang, key string) string {
	p, _ := h.Pages.Path(lang, key)
	return p
}
