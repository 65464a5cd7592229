// Package webhook answers POST /api/stripe-webhook: it verifies Stripe's
// signature, then thanks donors and tells staff about gifts, failed payments
// and ended monthly gifts, each mail once.
//
// stripe-go v76 is pinned to Stripe API version 2023-10-16, and
// webhook.ConstructEvent refuses events of any other version (400). The
// endpoint in the Stripe dashboard must therefore be created with
// api_version=2023-10-16, whatever the account's default version is.
package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/payoke/site/internal/donation"
	"github.com/payoke/site/internal/i18n"
	"github.com/payoke/site/internal/mail"
	"github.com/payoke/site/internal/managegift/giftlink"
	"github.com/payoke/site/internal/siteconfig"
	"github.com/payoke/site/internal/web"
)

// MaxBody bounds an event; Stripe's events about one session or invoice are
// a few kilobytes.
const MaxBody = 256 << 10

// requestTimeout keeps the whole delivery (Stripe reads, mails) under the
// platform's 10 s, with room to answer 500; Stripe retries whatever fails.
// Each mail gives up after 5 s (internal/mail), however stuck the server.
const requestTimeout = 8 * time.Second

// releaseTimeout bounds freeing a claim after a failed mail, past requestTimeout
// if need be (a stuck mail server may have used it up): 8 s + 1.5 s < 10 s.
const releaseTimeout = 1500 * time.Millisecond

// Options are the handler's dependencies.
type Options struct {
	Site    *siteconfig.Config
	Strings *i18n.Catalog
	// Pages are the site's page addresses (the donate page the failed-payment
	// mail links to); default: the embedded site's (web.SitePages).
	Pages *web.Pages
	// Stripe reads and writes the sent-mail markers; nil: answer 503.
	Stripe *client.API
	Mail   mail.Sender
	// Secret is the endpoint's signing secret (whsec_…); empty: answer 503.
	Secret string
	// StaffTo receives staff notices (CONTACT_TO, read by mail.Recipients);
	// empty: the organisation's e-mail in config.toml.
	StaffTo []string
	// SiteURL starts the links in e-mails (SITE_URL).
	SiteURL string
	// Links signs the link to manage a monthly gift that the monthly
	// thank-you carries (MANAGE_GIFT_SECRET, as /api/manage-gift checks it);
	// nil: that mail asks the donor to call or write instead.
	Links  *giftlink.Signer
	Logger *slog.Logger
	// Tolerance is the oldest signature accepted; 0: stripe-go's 5 minutes.
	Tolerance time.Duration
}

type handler struct {
	Options
	marks   marks
	siteURL string
}

// NewFromEnv reads STRIPE_WEBHOOK_SECRET, STRIPE_SECRET_KEY, STRIPE_API_URL,
// SITE_URL, MANAGE_GIFT_SECRET, CONTACT_TO (default: the organisation's e-mail in config.toml)
// and the mail settings of mail.FromEnv. Without the Stripe secrets it
// returns a handler that answers 503, and logs what to set.
func NewFromEnv(getenv func(string) string, logger *slog.Logger) (http.Handler, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg, cat, err := web.LoadSite()
	if err != nil {
		return nil, err
	}
	sender, err := mail.FromEnv(getenv, logger)
	if err != nil {
		return nil, err
	}
	o := Options{Site: cfg, Strings: cat, Mail: sender, Secret: strings.TrimSpace(getenv("STRIPE_WEBHOOK_SECRET")),
		SiteURL: getenv("SITE_URL"), Logger: logger}
	if raw := getenv("CONTACT_TO"); strings.TrimSpace(raw) != "" {
		// The same reading as the contact form's: one address or a comma-separated list.
		if o.StaffTo, err = mail.Recipients(raw); err != nil {
			return nil, fmt.Errorf("webhook: CONTACT_TO: %w", err)
		}
	}
	if o.Stripe, err = donation.StripeFromEnv(getenv); err != nil {
		return nil, err
	}
	if o.Links, err = giftlink.FromEnv(getenv, cfg.Params.Donation.ManageLinkLifetime()); err != nil {
		logger.Warn("webhook: " + err.Error() + ", so monthly thank-you mails ask donors to call or write to change their gift instead of giving them a link")
	}
	if o.Stripe == nil || o.Secret == "" {
		logger.Warn("webhook: STRIPE_SECRET_KEY or STRIPE_WEBHOOK_SECRET is not set, so /api/stripe-webhook answers 503. " +
			"For a local run: `stripe listen --forward-to 127.0.0.1:1313/api/stripe-webhook` prints a whsec_… secret")
	}
	return New(o)
}

// New checks o once and returns the webhook handler.
func New(o Options) (http.Handler, error) {
	if o.Site == nil || o.Strings == nil || o.Mail == nil {
		return nil, errors.New("webhook: site config, strings and a mail sender are required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if len(o.StaffTo) == 0 {
		o.StaffTo = []string{o.Site.Params.Organisation.Email}
	}
	base, _, err := web.SiteURL(o.SiteURL, o.Site.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("webhook: %w", err)
	}
	if o.Pages == nil {
		o.Pages = web.SitePages()
	}
	if err := o.Pages.Require(o.Site.SiteLanguages(), web.PageSupport); err != nil {
		return nil, fmt.Errorf("webhook: %w", err)
	}
	for _, l := range o.Site.SiteLanguages() {
		for _, id := range mailIDs {
			if _, err := o.Strings.T(l, id, nil); err != nil {
				return nil, err
			}
		}
	}
	return &handler{Options: o, marks: marks{o.Stripe}, siteURL: base}, nil
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if h.Stripe == nil || h.Secret == "" {
		h.Logger.Error("webhook: not configured, event refused")
		http.Error(w, "webhook not configured", http.StatusServiceUnavailable)
		return
	}
	payload, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		h.Logger.Warn("webhook: body too large")
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	} else if err != nil {
		http.Error(w, "could not read body", http.StatusBadRequest)
		return
	}
	// The signature is checked before anything in the payload is looked at.
	ev, err := webhook.ConstructEventWithOptions(payload, r.Header.Get("Stripe-Signature"), h.Secret,
		webhook.ConstructEventOptions{Tolerance: h.Tolerance})
	if err != nil {
		reason := "bad signature"
		switch {
		case errors.Is(err, webhook.ErrTooOld):
			reason = "stale signature"
		case errors.Is(err, webhook.ErrNotSigned), errors.Is(err, webhook.ErrInvalidHeader), errors.Is(err, webhook.ErrNoValidSignature):
		case ev.APIVersion != "" && ev.APIVersion != stripe.APIVersion:
			reason = "event API version " + ev.APIVersion + ", want " + stripe.APIVersion + ": create the endpoint with api_version=" + stripe.APIVersion
		default:
			reason = "unreadable event"
		}
		h.Logger.Warn("webhook: event refused", "reason", reason)
		http.Error(w, reason, http.StatusBadRequest)
		return
	}
	// stripe-go refuses signatures older than the tolerance, not newer ones:
	// a timestamp far ahead would keep a captured delivery replayable for
	// as long. Stripe signs as it sends, so more than MaxClockSkew ahead is
	// refused too.
	if ts, ok := signedAt(r.Header.Get("Stripe-Signature")); !ok || time.Until(ts) > MaxClockSkew {
		h.Logger.Warn("webhook: event refused", "reason", "signature from the future")
		http.Error(w, "signature from the future", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), requestTimeout)
	defer cancel()
	if err := h.handle(ctx, ev); err != nil {
		// 500: Stripe delivers the event again later; the markers keep
		// whatever did go out from going out twice.
		if errors.Is(err, errBusy) {
			// Another delivery of this event is at work: Stripe retries later,
			// and by then the mails are marked sent.
			h.Logger.Info("webhook: event left to another delivery", "event", ev.ID, "type", ev.Type)
			http.Error(w, "another delivery of this event is being handled, please retry", http.StatusServiceUnavailable)
			return
		}
		h.Logger.Error("webhook: event failed", "event", ev.ID, "type", ev.Type, "error", err.Error())
		http.Error(w, "event not handled, please retry", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "ok\n")
}

// MaxClockSkew is how far ahead of this clock a signature's timestamp may be.
const MaxClockSkew = 5 * time.Minute

// signedAt reads the t= of a Stripe-Signature header that stripe-go has
// accepted, as stripe-go does (the last t= counts).
func signedAt(header string) (time.Time, bool) {
	var ts time.Time
	ok := false
	for pair := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(pair, "=")
		if k != "t" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		ts, ok = time.Unix(n, 0), true
	}
	return ts, ok
}

// handle acts on the events the endpoint subscribes to; others get 200.
func (h *handler) handle(ctx context.Context, ev stripe.Event) error {
	log := h.Logger.With("event", ev.ID, "type", ev.Type)
	switch ev.Type {
	case "checkout.session.completed", "checkout.session.async_payment_succeeded", "checkout.session.async_payment_failed":
		var s stripe.CheckoutSession
		if err := json.Unmarshal(ev.Data.Raw, &s); err != nil {
			return err
		}
		g, ok := h.sessionGift(s)
		if !ok {
			log.Info("webhook: not a donation session, ignored")
			return nil
		}
		switch {
		case ev.Type == "checkout.session.async_payment_failed":
			return h.deliver(ctx, log, ev, g.marker("payoke_mail_failed"), h.failedMails(g))
		case ev.Type == "checkout.session.completed" && s.PaymentStatus == stripe.CheckoutSessionPaymentStatusUnpaid:
			// A delayed method (SEPA Direct Debit): thank when the money is in.
			log.Info("webhook: payment pending, thanks wait for async_payment_succeeded")
			return nil
		default:
			return h.deliver(ctx, log, ev, g.marker("payoke_mail_thanks"), h.thanksMails(g))
		}
	case "invoice.paid":
		var inv stripe.Invoice
		if err := json.Unmarshal(ev.Data.Raw, &inv); err != nil {
			return err
		}
		// The first invoice is thanked through its Checkout Session; monthly
		// renewals get Stripe's own receipt, not a mail from us every month.
		log.Info("webhook: monthly gift paid", "billing_reason", string(inv.BillingReason), "cents", inv.AmountPaid)
		return nil
	case "invoice.payment_failed":
		var inv stripe.Invoice
		if err := json.Unmarshal(ev.Data.Raw, &inv); err != nil {
			return err
		}
		var md map[string]string
		if inv.SubscriptionDetails != nil {
			md = inv.SubscriptionDetails.Metadata
		}
		meta, ok := donation.Decode(md, h.Pages)
		if !ok {
			log.Info("webhook: not a donation invoice, ignored")
			return nil
		}
		// Stripe retries the payment and tells the donor itself; staff hear of it.
		m := marker{Kind: "invoice", ID: inv.ID, Key: "payoke_mail_invoice_failed", Scope: inv.ID}
		g := gift{Cents: inv.AmountDue, Frequency: donation.Monthly, Lang: meta.Lang, Livemode: ev.Livemode}
		return h.deliver(ctx, log, ev, m, []outgoing{h.staffMail(g, "donate_staff_invoice_failed_subject", "invoices/"+inv.ID)})
	case "customer.subscription.deleted":
		var sub stripe.Subscription
		if err := json.Unmarshal(ev.Data.Raw, &sub); err != nil {
			return err
		}
		meta, ok := donation.Decode(sub.Metadata, h.Pages)
		if !ok || sub.Customer == nil {
			log.Info("webhook: not a donation subscription, ignored")
			return nil
		}
		g := gift{Frequency: donation.Monthly, Lang: meta.Lang, Livemode: ev.Livemode, Subscription: sub.ID, Customer: sub.Customer.ID}
		if sub.Items != nil && len(sub.Items.Data) > 0 && sub.Items.Data[0].Price != nil {
			g.Cents = sub.Items.Data[0].Price.UnitAmount * max(sub.Items.Data[0].Quantity, 1)
		}
		m := marker{Kind: "customer", ID: g.Customer, Key: "payoke_mail_ended", Scope: sub.ID}
		return h.deliver(ctx, log, ev, m, h.endedMails(g))
	}
	log.Info("webhook: event type not handled, ignored")
	return nil
}

// gift is what the mails say about one donation.
type gift struct {
	Cents        int64
	Frequency    string // once | monthly
	Lang         string
	Email        string // the donor's, for the thank-you only; never logged
	Livemode     bool
	Session      string
	PaymentID    string // one-off: the PaymentIntent
	Subscription string // monthly
	Customer     string
}

// sessionGift reads a Checkout Session made by the donate function.
func (h *handler) sessionGift(s stripe.CheckoutSession) (gift, bool) {
	meta, ok := donation.Decode(s.Metadata, h.Pages)
	if !ok {
		return gift{}, false
	}
	g := gift{Cents: s.AmountTotal, Frequency: meta.Frequency, Lang: meta.Lang,
		Livemode: s.Livemode, Session: s.ID}
	if s.CustomerDetails != nil {
		g.Email = s.CustomerDetails.Email
	}
	if s.PaymentIntent != nil {
		g.PaymentID = s.PaymentIntent.ID
	}
	if s.Subscription != nil {
		g.Subscription = s.Subscription.ID
	}
	if s.Customer != nil {
		g.Customer = s.Customer.ID
	}
	if g.PaymentID == "" && g.Subscription == "" {
		return gift{}, false
	}
	return g, true
}

// marker puts a session's mails on its PaymentIntent or Subscription.
func (g gift) marker(key string) marker {
	if g.Subscription != "" {
		return marker{Kind: "subscription", ID: g.Subscription, Key: key, Scope: g.Session}
	}
	return marker{Kind: "payment_intent", ID: g.PaymentID, Key: key, Scope: g.Session}
}

// outgoing is one mail and the name it has in the marker.
type outgoing struct {
	Part string // donor | staff
	Msg  mail.Message
	// NeedsCustomerEmail: the donor's address comes from the Customer read with the marker.
	NeedsCustomerEmail bool
}

// deliver sends, in order, each mail not yet marked sent, claiming it
// first (marks.go). A mail that fails returns an error (500, Stripe
// retries) and frees its claim; a mail another delivery holds returns
// errBusy (503, Stripe retries) unless it is sent meanwhile. A sent mark
// that cannot be written is logged, and the mail counts as sent.
func (h *handler) deliver(ctx context.Context, log *slog.Logger, ev stripe.Event, m marker, mails []outgoing) error {
	obj, err := h.marks.get(ctx, m)
	if err != nil {
		return err
	}
	for _, o := range mails {
		st := state(obj.Metadata, m, o.Part)
		if st.Sent {
			log.Info("webhook: mail already sent, not again", "part", o.Part)
			continue
		}
		if o.NeedsCustomerEmail {
			if obj.Email == "" {
				log.Info("webhook: no donor address, donor mail skipped")
				continue
			}
			o.Msg.To = []string{obj.Email}
		}
		if len(o.Msg.To) == 0 || o.Msg.To[0] == "" {
			log.Info("webhook: no address, mail skipped", "part", o.Part)
			continue
		}
		if st.Claimed {
			if time.Since(st.At) < claimStale {
				log.Info("webhook: another delivery is sending this mail", "part", o.Part)
				return errBusy
			}
			log.Warn("webhook: a claim without a sent mark, left by a delivery long gone; trying again", "part", o.Part)
			if err := h.marks.release(ctx, m, o.Part, st.Gen); err != nil {
				return err
			}
			st.Gen++
		}
		won, err := h.marks.claim(ctx, m, o.Part, st.Gen, time.Now())
		if err != nil {
			return err
		}
		if !won {
			if obj, err = h.marks.get(ctx, m); err != nil {
				return err
			}
			if state(obj.Metadata, m, o.Part).Sent {
				log.Info("webhook: mail sent by another delivery", "part", o.Part)
				continue
			}
			log.Info("webhook: another delivery claimed this mail", "part", o.Part)
			return errBusy
		}
		if err := h.Mail.Send(ctx, o.Msg); err != nil {
			// ctx may be spent by a stuck mail server; the release gets its own time.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
			if rerr := h.marks.release(rctx, m, o.Part, st.Gen); rerr != nil {
				log.Error("webhook: mail failed and its claim not freed; a retry waits until it is stale", "part", o.Part, "error", rerr.Error())
			}
			cancel()
			return err
		}
		log.Info("webhook: mail sent", "part", o.Part)
		if err := h.marks.sent(ctx, m, o.Part, st.Gen); err != nil {
			log.Error("webhook: mail sent but not marked; a delivery after the claim is stale would send it again", "part", o.Part, "error", err.Error())
		}
	}
	return nil
}
