// Package lambdafn runs one of the site's handlers as a Netlify function:
// Netlify sends API Gateway (v1) proxy events to an AWS Lambda, and adds none
// of netlify.toml's [[headers]] to function responses, so the handler gets
// the functions' headers here.
//
// The adapter (aws-lambda-go-api-proxy's httpadapter) answers with every
// header, Location included, in multiValueHeaders only, and deployed Netlify
// Functions have been reported to ignore that field (netlify/cli#923:
// "Netlify does not support multiValueHeaders in Functions, but netlify dev
// does"; the same for Go functions in netlify/cli#4575). A 303 without its
// Location, or a page without its Content-Security-Policy, would be the
// result. So each header is written into `headers` as well (see
// singleValued); netlify dev applies `headers` and then multiValueHeaders,
// so a header written in both is still sent once.
package lambdafn

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"strings"

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
	adapter := httpadapter.New(h)
	return func(ctx context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		resp, err := adapter.ProxyWithContext(ctx, ev)
		resp.Headers = singleValued(resp.Headers, resp.MultiValueHeaders)
		return resp, err
	}, nil
}

// singleValued adds each header of multi to single, the response's
// `headers`, and returns it. A header with several values is joined with
// ", ", the one combination HTTP allows for a list-valued field (RFC 9110
// section 5.3); Set-Cookie, which cannot be combined, stays in
// multiValueHeaders alone, with its first value in `headers` so a platform
// that reads only `headers` still sends one (the site sets no cookies).
func singleValued(single map[string]string, multi map[string][]string) map[string]string {
	if len(multi) == 0 {
		return single
	}
	if single == nil {
		single = make(map[string]string, len(multi))
	}
	for name, values := range multi {
		switch {
		case len(values) == 0:
		case len(values) == 1 || http.CanonicalHeaderKey(name) == "Set-Cookie":
			single[name] = values[0]
		default:
			single[name] = strings.Join(values, ", ")
		}
	}
	return single
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
