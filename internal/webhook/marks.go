package webhook

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
)

// The function keeps no state, so what has been mailed is written on the
// Stripe object the mails are about, as metadata: "<scope>:donor,staff".
// A second delivery of the same event (or a later event about the same
// gift) reads the marker first and sends only what is not yet listed.
//
// Objects and keys: a one-off gift marks its PaymentIntent and a monthly gift
// its Subscription (payoke_mail_thanks, payoke_mail_failed); a failed monthly
// payment marks its Invoice; an ended monthly gift marks the Customer, since
// Stripe no longer lets a cancelled Subscription change.

// marker names where one set of mails is recorded.
type marker struct {
	Kind  string // payment_intent | subscription | invoice | customer
	ID    string
	Key   string // metadata key
	Scope string // what the mails are about (session, invoice or subscription id)
}

// object is what the handler needs from a marked Stripe object.
type object struct {
	Metadata map[string]string
	Email    string // customers only
}

// marks reads and writes markers on Stripe objects.
type marks struct{ api *client.API }

func (s marks) get(ctx context.Context, m marker) (object, error) {
	p := stripe.Params{Context: ctx}
	switch m.Kind {
	case "payment_intent":
		o, err := s.api.PaymentIntents.Get(m.ID, &stripe.PaymentIntentParams{Params: p})
		if err != nil {
			return object{}, err
		}
		return object{Metadata: o.Metadata}, nil
	case "subscription":
		o, err := s.api.Subscriptions.Get(m.ID, &stripe.SubscriptionParams{Params: p})
		if err != nil {
			return object{}, err
		}
		return object{Metadata: o.Metadata}, nil
	case "invoice":
		o, err := s.api.Invoices.Get(m.ID, &stripe.InvoiceParams{Params: p})
		if err != nil {
			return object{}, err
		}
		return object{Metadata: o.Metadata}, nil
	case "customer":
		o, err := s.api.Customers.Get(m.ID, &stripe.CustomerParams{Params: p})
		if err != nil {
			return object{}, err
		}
		return object{Metadata: o.Metadata, Email: o.Email}, nil
	}
	return object{}, fmt.Errorf("webhook: no marker on %q objects", m.Kind)
}

// set records parts as sent. The idempotency key makes a retried update harmless.
func (s marks) set(ctx context.Context, m marker, parts []string, eventID string) error {
	value := m.Scope + ":" + strings.Join(parts, ",")
	p := stripe.Params{Context: ctx, IdempotencyKey: stripe.String(eventID + "-" + m.Key + "-" + value)}
	md := map[string]string{m.Key: value}
	var err error
	switch m.Kind {
	case "payment_intent":
		_, err = s.api.PaymentIntents.Update(m.ID, &stripe.PaymentIntentParams{Params: p, Metadata: md})
	case "subscription":
		_, err = s.api.Subscriptions.Update(m.ID, &stripe.SubscriptionParams{Params: p, Metadata: md})
	case "invoice":
		_, err = s.api.Invoices.Update(m.ID, &stripe.InvoiceParams{Params: p, Metadata: md})
	case "customer":
		_, err = s.api.Customers.Update(m.ID, &stripe.CustomerParams{Params: p, Metadata: md})
	default:
		err = fmt.Errorf("webhook: no marker on %q objects", m.Kind)
	}
	return err
}

// sent lists the parts a marker value records for scope.
func sent(md map[string]string, m marker) []string {
	scope, parts, ok := strings.Cut(md[m.Key], ":")
	if !ok || scope != m.Scope || parts == "" {
		return nil
	}
	return slices.DeleteFunc(strings.Split(parts, ","), func(s string) bool { return s == "" })
}
