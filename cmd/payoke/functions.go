package main

import (
	"github.com/payoke/site/internal/contact"
	"github.com/payoke/site/internal/donate"
	"github.com/payoke/site/internal/managegift"
	"github.com/payoke/site/internal/serve"
	"github.com/payoke/site/internal/webhook"
)

// functions are the handlers mounted at /api/<name>, as on Netlify, where
// each is functions/<name>/main.go.
func functions() []serve.Function {
	return []serve.Function{
		{Name: "donate", New: donate.NewFromEnv},
		{Name: "contact", New: contact.NewFromEnv},
		{Name: "stripe-webhook", New: webhook.NewFromEnv},
		{Name: "manage-gift", New: managegift.NewFromEnv},
	}
}
