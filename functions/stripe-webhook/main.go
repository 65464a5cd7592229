// Command stripe-webhook is the /api/stripe-webhook function on Netlify (see netlify.toml).
package main

import (
	"github.com/payoke/site/internal/lambdafn"
	"github.com/payoke/site/internal/webhook"
)

func main() { lambdafn.Main("stripe-webhook", webhook.NewFromEnv) }
