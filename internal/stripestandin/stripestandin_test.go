package stripestandin_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"

	"github.com/payoke/site/internal/donation"
	"github.com/payoke/site/internal/stripestandin"
)

// The documented rules, through stripe-go as the webhook uses it.
func TestIdempotencyRules(t *testing.T) {
	t.Parallel()
	s := stripestandin.New(t)
	s.Add("/v1/payment_intents/pi_1", map[string]any{"metadata": map[string]string{"lang": "nl"}})
	api, err := donation.NewStripeClient("sk_test_123", s.URL)
	if err != nil {
		t.Fatal(err)
	}
	update := func(key, v string) (*stripe.PaymentIntent, error) {
		p := &stripe.PaymentIntentParams{Metadata: map[string]string{"k": v}}
		p.IdempotencyKey = stripe.String(key)
		return api.PaymentIntents.Update("pi_1", p)
	}
	pi, err := update("key-1", "a")
	if err != nil || pi.Metadata["k"] != "a" || pi.Metadata["lang"] != "nl" || pi.LastResponse.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first: %v %+v", err, pi)
	}
	// Same key, same parameters: the saved answer, marked as replayed, not executed again.
	if _, err := update("key-2", "b"); err != nil {
		t.Fatal(err)
	}
	pi, err = update("key-1", "a")
	if err != nil || pi.LastResponse.Header.Get("Idempotent-Replayed") != "true" || pi.Metadata["k"] != "a" {
		t.Fatalf("replay: %v %+v", err, pi)
	}
	if md := s.Metadata("/v1/payment_intents/pi_1"); md["k"] != "b" {
		t.Errorf("a replay executed again: %q", md)
	}
	// Same key, other parameters: idempotency_error.
	var se *stripe.Error
	if _, err := update("key-1", "c"); !errors.As(err, &se) || se.Type != stripe.ErrorTypeIdempotency || se.HTTPStatusCode != 400 {
		t.Errorf("other parameters: %v", err)
	}
	// An empty value removes a key.
	if pi, err := update("key-3", ""); err != nil || pi.Metadata["k"] != "" || len(pi.Metadata) != 1 {
		t.Errorf("unset: %v %q", err, pi.Metadata)
	}
	// A missing object: 404 resource_missing.
	if _, err := api.PaymentIntents.Get("pi_none", nil); !errors.As(err, &se) || se.Code != stripe.ErrorCodeResourceMissing {
		t.Errorf("missing: %v", err)
	}
}

func TestKeyInUseWhileExecuting(t *testing.T) {
	t.Parallel()
	s := stripestandin.New(t)
	s.Add("/v1/customers/cus_1", nil)
	s.SetLatency(300 * time.Millisecond)
	api, _ := donation.NewStripeClient("sk_test_123", s.URL)
	var wg sync.WaitGroup
	errs := make([]error, 5)
	for i := range errs {
		wg.Go(func() {
			p := &stripe.CustomerParams{Metadata: map[string]string{"k": "v"}}
			p.IdempotencyKey = stripe.String("same")
			_, errs[i] = api.Customers.Update("cus_1", p)
		})
	}
	wg.Wait()
	var inUse, executed, replayed int
	for _, r := range s.Requests() {
		switch {
		case r.Status == 409:
			inUse++
		case r.Replayed:
			replayed++
		case r.Status == 200:
			executed++
		}
	}
	if executed != 1 || inUse == 0 {
		t.Errorf("executed %d, 409 %d, replayed %d: %+v", executed, inUse, replayed, s.Requests())
	}
	for _, err := range errs {
		var se *stripe.Error
		if err != nil && (!errors.As(err, &se) || se.Code != stripe.ErrorCodeIdempotencyKeyInUse) {
			t.Errorf("error %v", err)
		}
	}
}
