package managegift

import (
	"context"
	"strings"

	"github.com/stripe/stripe-go/v76"

	"github.com/payoke/site/internal/donation"
	"github.com/payoke/site/internal/managegift/giftlink"
)

// A donation subscription is one the donate function made: Checkout copies
// subscription_data.metadata (a donation.Meta) onto the Subscription, and
// the webhook tells its own gifts by the same contract. Checkout in
// subscription mode makes a new Customer for each gift, so one donor may be
// several customers with one address.

// isOurs reports a subscription made by the donate form: a monthly gift in
// a site language.
func (h *handler) isOurs(md map[string]string) bool {
	m, ok := donation.Decode(md, h.Pages)
	return ok && m.Frequency == donation.Monthly
}

// donor is one customer with at least one of our monthly gifts.
type donor struct {
	ID, Email string
	Cents     []int64 // each gift's monthly amount
}

// result says what a request did, for the log: never who.
type result struct {
	path            string // email | renewal
	mails, failures int
}

// byEmail finds the donors with address email and mails them their links.
// err is set only when the first lookup fails: nothing about the address is
// known yet, so saying so gives nothing away. Every later failure is
// logged and answered like an unknown address.
func (h *handler) byEmail(ctx context.Context, email, lang string) (result, error) {
	res := result{path: "email"}
	// Stripe's email filter is case-sensitive: the address as typed, then
	// in lower case (as most people and Checkout's autofill write it).
	variants := []string{email}
	if low := strings.ToLower(email); low != email {
		variants = append(variants, low)
	}
	var customers []*stripe.Customer
	seen := map[string]bool{}
	for i, v := range variants {
		p := &stripe.CustomerListParams{Email: stripe.String(v)}
		p.Context = ctx
		p.Limit = stripe.Int64(maxCustomers)
		it := h.Stripe.Customers.List(p)
		for it.Next() && len(customers) < maxCustomers {
			if c := it.Customer(); !c.Deleted && !seen[c.ID] {
				seen[c.ID] = true
				customers = append(customers, c)
			}
		}
		if err := it.Err(); err != nil {
			if i == 0 {
				return res, err
			}
			h.stripeFailure("customer lookup", err)
			res.failures++
		}
	}
	// The address-wide limit counts every request that got this far, known
	// address or not, so reaching it tells nothing either.
	if ok, _, _ := h.addresses.Reserve("email:"+strings.ToLower(email), h.Now()); !ok {
		h.Logger.Info("manage-gift: links for this address per window reached, nothing sent")
		return res, nil
	}
	donors := h.donors(ctx, customers, &res)
	h.mailDonors(ctx, donors, lang, &res)
	return res, nil
}

// renew finds the customer of an expired link we signed and mails them a
// new one, at the address Stripe has for them now.
func (h *handler) renew(ctx context.Context, c giftlink.Claims, lang string) result {
	res := result{path: "renewal"}
	if ok, _, _ := h.addresses.Reserve("customer:"+c.Customer, h.Now()); !ok {
		h.Logger.Info("manage-gift: links for this customer per window reached, nothing sent")
		return res
	}
	p := &stripe.CustomerParams{}
	p.Context = ctx
	cust, err := h.Stripe.Customers.Get(c.Customer, p)
	if err != nil {
		h.stripeFailure("customer read", err)
		res.failures++
		return res
	}
	if cust.Deleted {
		return res
	}
	h.mailDonors(ctx, h.donors(ctx, []*stripe.Customer{cust}, &res), lang, &res)
	return res
}

// donors keeps the customers that have one of our gifts running
// (Stripe's default list: every subscription not canceled).
func (h *handler) donors(ctx context.Context, customers []*stripe.Customer, res *result) []donor {
	var out []donor
	for _, c := range customers {
		if c.Email == "" {
			continue
		}
		p := &stripe.SubscriptionListParams{Customer: stripe.String(c.ID)}
		p.Context = ctx
		p.Limit = stripe.Int64(20)
		it := h.Stripe.Subscriptions.List(p)
		d := donor{ID: c.ID, Email: c.Email}
		for it.Next() {
			s := it.Subscription()
			if !h.isOurs(s.Metadata) || s.Status == stripe.SubscriptionStatusCanceled || s.Status == stripe.SubscriptionStatusIncompleteExpired {
				continue
			}
			d.Cents = append(d.Cents, monthly(s))
		}
		if err := it.Err(); err != nil {
			h.stripeFailure("subscription lookup", err)
			res.failures++
			continue
		}
		if len(d.Cents) > 0 {
			out = append(out, d)
		}
	}
	return out
}

// monthly is what a subscription gives each month, in cents.
func monthly(s *stripe.Subscription) int64 {
	var cents int64
	if s.Items == nil {
		return 0
	}
	for _, it := range s.Items.Data {
		if it.Price != nil {
			cents += it.Price.UnitAmount * max(it.Quantity, 1)
		}
	}
	return cents
}
