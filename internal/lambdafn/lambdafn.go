// Package lambdafn runs one of the site's handlers as a Netlify function:
// Netlify sends API Gateway (v1) proxy events to an AWS Lambda, and adds none
// of netlify.toml's [[headers]] to function responses, so the handler gets
// the functions' headers here.
package lambdafn

import (
	"context"
	"log/slog"
	"net/http"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/payoke/site/internal/headers"
)

// NewHandler builds a function's handler from its environment.
type NewHandler func(getenv func(string) string, logger *slog.Logger) (http.Handler, error)

// Proxy answers one API Gateway event.
type Proxy func(context.Context, events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error)

// NewProxy builds the handler with the functions' headers around it.
func NewProxy(getenv func(string) string, logger *slog.Logger, newHandler NewHandler) (Proxy, error) {
	h, err := newHandler(getenv, logger)
	if err != nil {
		return nil, err
	}
	if h, err = headers.API(h); err != nil {
		return nil, err
	}
	return httpadapter.New(h).ProxyWithContext, nil
}

// Main is a function's whole main: it reads the process environment, logs
// JSON to stderr (Netlify's function log) and serves events until stopped.
func Main(name string, newHandler NewHandler) {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil)).With("function", name)
	proxy, err := NewProxy(os.Getenv, logger, newHandler)
	if err != nil {
		logger.Error("cannot start", "err", err)
		os.Exit(1)
	}
	lambda.Start(proxy)
}
