package donation

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
)

var errBadURL = errors.New("must be an absolute http(s) URL")

// StripeTimeout bounds one HTTP call to Stripe. With the single retry
// stripe-go may make, a request still ends well under the platform's 10 s.
const StripeTimeout = 4 * time.Second

// NewStripeClient builds a Stripe client with its own backend, so the key
// lives in this value and not in stripe-go's package globals. apiURL, when
// set, replaces https://api.stripe.com (stripe-mock in tests and local runs).
func NewStripeClient(key, apiURL string) (*client.API, error) {
	cfg := &stripe.BackendConfig{
		HTTPClient:        &http.Client{Timeout: StripeTimeout},
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull}, // we log ourselves, without personal data
		MaxNetworkRetries: stripe.Int64(1),
		EnableTelemetry:   stripe.Bool(false),
	}
	if apiURL != "" {
		u, err := url.Parse(apiURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, &url.Error{Op: "parse", URL: "STRIPE_API_URL", Err: errBadURL}
		}
		cfg.URL = stripe.String(apiURL)
	}
	b := stripe.GetBackendWithConfig(stripe.APIBackend, cfg)
	return client.New(key, &stripe.Backends{API: b, Connect: b, Uploads: b}), nil
}

// StripeFromEnv is the client for STRIPE_SECRET_KEY and STRIPE_API_URL, the
// one reading of those settings for every function; nil (and no error) when
// no key is set, which each function answers with its own 503.
func StripeFromEnv(getenv func(string) string) (*client.API, error) {
	key := strings.TrimSpace(getenv("STRIPE_SECRET_KEY"))
	if key == "" {
		return nil, nil
	}
	return NewStripeClient(key, getenv("STRIPE_API_URL"))
}
