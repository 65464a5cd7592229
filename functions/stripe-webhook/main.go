// Command stripe-webhook is the /api/stripe-webhook function on Netlify (see netlify.toml).
package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/payoke/site/internal/headers"
	"github.com/payoke/site/internal/webhook"
)

func main() {
	proxy, err := newProxy(os.Getenv)
	if err != nil {
		slog.Error("stripe-webhook: cannot start", "err", err)
		os.Exit(1)
	}
	lambda.Start(proxy)
}

// newProxy builds the handler from the environment, adds the site's headers
// (Netlify adds none to functions) and takes the API Gateway events Netlify sends.
func newProxy(getenv func(string) string) (func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error), error) {
	h, err := webhook.NewFromEnv(getenv, slog.New(slog.NewJSONHandler(os.Stderr, nil)))
	if err != nil {
		return nil, err
	}
	if h, err = headers.API(h); err != nil {
		return nil, err
	}
	return httpadapter.New(h).ProxyWithContext, nil
}
