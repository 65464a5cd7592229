package main

import (
	"github.com/payoke/site/internal/contact"
	"github.com/payoke/site/internal/donate"
	"github.com/payoke/site/internal/serve"
)

// functions are the handlers mounted at /api/<name>, as on Netlify, where
// each is functions/<name>/main.go.
//
// WIRING PENDING: webhook.NewFromEnv (/api/stripe-webhook) is added here once
// internal/webhook has it.
func functions() []serve.Function {
	return []serve.Function{
		{Name: "donate", New: donate.NewFromEnv},
		{Name: "contact", New: contact.NewFromEnv},
	}
}
