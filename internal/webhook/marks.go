package webhook

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
)

// The function keeps no state, and Stripe may deliver one event several
// times, even at once. What has been mailed is written on the Stripe object
// the mails are about, as metadata, and Stripe's idempotency layer decides
// which delivery sends each mail:
//
//  1. Before a mail, a delivery claims it: a metadata update whose
//     Idempotency-Key is made of the object, the mail and a generation
//     number, and whose value holds the time and a nonce of this attempt.
//     Stripe executes one request per key. Any other delivery using the key
//     is refused: 409 idempotency_key_in_use while the first is executing,
//     400 idempotency_error once it is done, since its nonce differs. A
//     200 marked Idempotent-Replayed can only answer this very attempt
//     (stripe-go's own retry after a lost response), so it counts as won.
//  2. The winner sends the mail and marks it sent ("<scope>:sent").
//  3. A delivery that loses answers 200 if the mail is marked sent by
//     then, and 503 otherwise: Stripe retries later.
//  4. A winner whose mail fails releases the claim: the value becomes
//     "<scope>:<generation+1>", so Stripe's retry claims a key never used.
//  5. A claim older than claimStale without a sent mark belongs to a
//     delivery that died (it cannot live that long: requestTimeout); the
//     next delivery releases it the same way, then claims.
//
// Every write is keyed, so a write and its retries execute once. The one
// case that still mails twice: a delivery dies after the mail server took
// a mail and before the sent mark is written (or the mark fails, logged);
// after claimStale a later delivery sends it again. Never thanking would
// be worse.
//
// Objects and keys: a one-off gift marks its PaymentIntent and a monthly gift
// its Subscription (payoke_mail_thanks_donor, _staff; payoke_mail_failed_…);
// a failed monthly payment marks its Invoice (payoke_mail_invoice_failed_staff);
// an ended monthly gift marks the Customer (payoke_mail_ended_…), since
// Stripe no longer lets a cancelled Subscription change. A value names its
// scope (session, invoice or subscription id); another scope counts as
// nothing. The earlier marker, "<scope>:donor,staff" under the key without
// a part, is still read as sent.

// claimStale is when an unfinished claim is taken for a dead delivery's.
const claimStale = 2 * time.Minute

// errBusy: another delivery holds the claim on a mail not yet sent.
var errBusy = errors.New("webhook: another delivery is sending this mail")

// marker names where one set of mails is recorded.
type marker struct {
	Kind  string // payment_intent | subscription | invoice | customer
	ID    string
	Key   string // metadata key prefix; each mail adds "_<part>"
	Scope string // what the mails are about (session, invoice or subscription id)
}

// object is what the handler needs from a marked Stripe object.
type object struct {
	Metadata map[string]string
	Email    string // customers only
}

// claimState is one mail's state on its object.
type claimState struct {
	Sent    bool
	Gen     int       // generation whose key is next to use, or in use
	Claimed bool      // someone holds Gen
	At      time.Time // when it was claimed
}

// state reads part's state from md.
func state(md map[string]string, m marker, part string) claimState {
	if slices.Contains(legacySent(md, m), part) {
		return claimState{Sent: true}
	}
	f := strings.Split(md[m.Key+"_"+part], ":")
	if len(f) < 2 || f[0] != m.Scope {
		return claimState{}
	}
	if f[1] == "sent" {
		return claimState{Sent: true}
	}
	gen, err := strconv.Atoi(f[1])
	if err != nil || gen < 0 {
		return claimState{}
	}
	st := claimState{Gen: gen}
	if len(f) == 4 {
		if unix, err := strconv.ParseInt(f[2], 10, 64); err == nil {
			st.Claimed, st.At = true, time.Unix(unix, 0)
		}
	}
	return st
}

// legacySent lists the parts the earlier marker ("<scope>:donor,staff") records.
func legacySent(md map[string]string, m marker) []string {
	scope, parts, ok := strings.Cut(md[m.Key], ":")
	if !ok || scope != m.Scope || parts == "" {
		return nil
	}
	return strings.Split(parts, ",")
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

// claim tries to take generation gen of part's mail. won is false when
// another delivery has used, or is using, the key.
func (s marks) claim(ctx context.Context, m marker, part string, gen int, now time.Time) (won bool, err error) {
	value := fmt.Sprintf("%s:%d:%d:%s", m.Scope, gen, now.Unix(), rand.Text())
	err = s.write(ctx, m, part, value, s.idemKey("claim", m, part, gen))
	var se *stripe.Error
	if errors.As(err, &se) && (se.Type == stripe.ErrorTypeIdempotency || se.Code == stripe.ErrorCodeIdempotencyKeyInUse) {
		return false, nil
	}
	// A replay can only be of this attempt's own request: its nonce is in the parameters.
	return err == nil, err
}

// release frees part's mail for generation gen+1, after gen failed or died.
// Whoever releases gen writes the same thing under the same key.
func (s marks) release(ctx context.Context, m marker, part string, gen int) error {
	return s.write(ctx, m, part, fmt.Sprintf("%s:%d", m.Scope, gen+1), s.idemKey("release", m, part, gen))
}

// sent marks part's mail as sent by the holder of generation gen.
func (s marks) sent(ctx context.Context, m marker, part string, gen int) error {
	return s.write(ctx, m, part, m.Scope+":sent", s.idemKey("sent", m, part, gen))
}

func (s marks) idemKey(op string, m marker, part string, gen int) string {
	return fmt.Sprintf("payoke-%s-%s-%s_%s-%s-g%d", op, m.ID, m.Key, part, m.Scope, gen)
}

// write sets one metadata value with an idempotency key. (Whether Stripe
// answered Idempotent-Replayed does not matter to any caller: claims tell
// attempts apart by their nonce, and the other writes are the same
// whoever makes them.)
func (s marks) write(ctx context.Context, m marker, part, value, key string) error {
	p := stripe.Params{Context: ctx, IdempotencyKey: stripe.String(key)}
	md := map[string]string{m.Key + "_" + part: value}
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
