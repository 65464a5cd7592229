// Package stripestandin is the smallest stand-in for the Stripe API that the
// webhook's tests need beyond stripe-mock: objects that keep their metadata,
// and Stripe's idempotency layer. stripe-mock checks requests against
// Stripe's OpenAPI spec but keeps no state and ignores Idempotency-Key, so it
// cannot show whether ten simultaneous deliveries of one event send one
// thank-you. Code reaches this server exactly as it reaches Stripe or
// stripe-mock: STRIPE_API_URL=Server.URL, any sk_test_… key, stripe-go v76.
//
// Stripe behaviours it follows (https://docs.stripe.com/idempotency,
// https://docs.stripe.com/api/idempotent_requests, https://docs.stripe.com/metadata,
// https://docs.stripe.com/error-codes):
//
//   - A POST with an Idempotency-Key whose first request is still executing
//     is refused with 409, error type invalid_request_error and code
//     idempotency_key_in_use; nothing is saved for the refused request.
//   - Stripe saves the status code and body of the first request with a key
//     once the endpoint has begun executing, whatever the outcome (a 404 for
//     a missing object included). A later request with the same key and the
//     same parameters gets that saved answer again, with the header
//     Idempotent-Replayed: true, and is not executed.
//   - A later request with the same key and other parameters (or another
//     path) is refused with 400 and error type idempotency_error.
//   - Requests that fail validation (an unknown parameter, a metadata key
//     over 40 characters or a value over 500) or match no endpoint save
//     nothing: the key stays free. (An object pushed over 50 keys is found
//     while executing, so that refusal is saved.)
//   - Keys are kept at least 24 hours: here, for the life of the server.
//   - Idempotency-Key has no effect on GET.
//   - Responses echo the Idempotency-Key header of the request.
//   - Metadata: a POST of metadata[k]=v sets k and leaves the other keys as
//     they are; an empty value removes k; at most 50 keys, key names up to 40
//     characters, values up to 500 (otherwise 400, nothing changed).
//     Concurrent updates without a key all execute, the last write winning
//     per metadata key, as Stripe documents no lock a caller could rely on.
//   - An unknown object id answers 404 with code resource_missing; no
//     Authorization: Bearer key answers 401.
//
// Endpoints: GET and POST (metadata only) of /v1/payment_intents/{id},
// /v1/subscriptions/{id}, /v1/invoices/{id} and /v1/customers/{id}, the
// objects the webhook marks. Objects exist once a test adds them (Add).
//
// Not followed: every other endpoint and parameter (list, create, expand,
// search…); objects carry only id, object, metadata and the fields a test
// adds, not Stripe's full shape (stripe-mock's tests cover that); keys are
// not scoped per account or API key, and never pruned; no rate limits, no
// lock_timeout, no Stripe-Should-Retry header, no API-version handling, no
// livemode; a key's saved answer is not replayed to a request with another
// API key. Latency makes each POST stay "executing" for a while, so
// concurrent requests overlap as they can with the real API.
package stripestandin

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Request is one call the stand-in received, and what it answered.
type Request struct {
	Method, Path   string
	Form           url.Values
	IdempotencyKey string
	Status         int
	Replayed       bool
}

// Server is one stand-in, for one test.
type Server struct {
	URL string

	mu       sync.Mutex
	latency  time.Duration
	objects  map[string]map[string]any // path → object
	keys     map[string]*saved
	requests []Request
}

// saved is what the idempotency layer keeps for a key.
type saved struct {
	executing bool
	params    string // method, path and canonical form of the first request
	status    int
	body      []byte
}

var objectPath = regexp.MustCompile(`^/v1/(payment_intents|subscriptions|invoices|customers)/([A-Za-z0-9_]+)$`)

var objectNames = map[string]string{
	"payment_intents": "payment_intent", "subscriptions": "subscription",
	"invoices": "invoice", "customers": "customer",
}

// New starts a stand-in on 127.0.0.1 and stops it when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{objects: map[string]map[string]any{}, keys: map[string]*saved{}}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// SetLatency makes every later POST take d to execute, holding its
// idempotency key in use meanwhile.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// Add creates (or replaces) the object at path, e.g.
// Add("/v1/customers/cus_1", map[string]any{"email": "donor@example.org"}).
// fields may hold "metadata" as a map[string]string.
func (s *Server) Add(path string, fields map[string]any) {
	m := objectPath.FindStringSubmatch(path)
	if m == nil {
		panic("stripestandin: no endpoint for " + path)
	}
	o := map[string]any{"id": m[2], "object": objectNames[m[1]], "metadata": map[string]string{}}
	for k, v := range fields {
		o[k] = v
	}
	if md, ok := o["metadata"].(map[string]string); ok {
		o["metadata"] = copyMap(md)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.objects[path] = o
}

// Metadata returns a copy of the object's metadata (nil: no such object).
func (s *Server) Metadata(path string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.objects[path]
	if o == nil {
		return nil
	}
	return copyMap(o["metadata"].(map[string]string))
}

// Requests returns the calls received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, err := url.ParseQuery(string(body))
	if r.Method == http.MethodGet {
		form, err = r.URL.Query(), nil
	}
	key := ""
	if r.Method == http.MethodPost {
		key = r.Header.Get("Idempotency-Key")
	}
	rec := Request{Method: r.Method, Path: r.URL.Path, Form: form, IdempotencyKey: key}
	if key != "" {
		w.Header().Set("Idempotency-Key", key)
	}
	status, out := s.answer(r, form, err, key, &rec)
	rec.Status = status
	s.mu.Lock()
	s.requests = append(s.requests, rec)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Request-Id", fmt.Sprintf("req_standin_%d", time.Now().UnixNano()))
	if rec.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.WriteHeader(status)
	w.Write(out)
}

// answer runs the idempotency layer around execute.
func (s *Server) answer(r *http.Request, form url.Values, parseErr error, key string, rec *Request) (int, []byte) {
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer sk_") {
		return errorBody(http.StatusUnauthorized, "invalid_request_error", "", "Invalid API Key provided.")
	}
	m := objectPath.FindStringSubmatch(r.URL.Path)
	if m == nil || (r.Method != http.MethodGet && r.Method != http.MethodPost) {
		return errorBody(http.StatusNotFound, "invalid_request_error", "", "Unrecognized request URL ("+r.Method+": "+r.URL.Path+").")
	}
	if parseErr != nil {
		return errorBody(http.StatusBadRequest, "invalid_request_error", "parameter_invalid_string", "The request body could not be read.")
	}
	md, status, out := validate(r.Method, form)
	if status != 0 {
		return status, out // failed validation: nothing saved under the key
	}
	if key == "" {
		return s.execute(r.Method, r.URL.Path, m[2], md)
	}
	params := r.Method + " " + r.URL.Path + "?" + form.Encode()
	s.mu.Lock()
	sv := s.keys[key]
	switch {
	case sv != nil && sv.executing:
		s.mu.Unlock()
		return errorBody(http.StatusConflict, "invalid_request_error", "idempotency_key_in_use",
			"There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): "+key+". Please try again later.")
	case sv != nil && sv.params != params:
		s.mu.Unlock()
		return errorBody(http.StatusBadRequest, "idempotency_error", "",
			"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '"+key+"' if you meant to execute a different request.")
	case sv != nil:
		s.mu.Unlock()
		rec.Replayed = true
		return sv.status, sv.body
	}
	sv = &saved{executing: true, params: params}
	s.keys[key] = sv
	s.mu.Unlock()
	status, out = s.execute(r.Method, r.URL.Path, m[2], md)
	s.mu.Lock()
	sv.executing, sv.status, sv.body = false, status, out
	s.mu.Unlock()
	return status, out
}

// validate accepts metadata[...] on POST (within Stripe's limits) and
// nothing else; it returns the metadata to write.
func validate(method string, form url.Values) (map[string]string, int, []byte) {
	md := map[string]string{}
	for k, v := range form {
		name, ok := strings.CutPrefix(k, "metadata[")
		name, ok2 := strings.CutSuffix(name, "]")
		if method == http.MethodGet || !ok || !ok2 || len(v) != 1 {
			if method == http.MethodGet && (k == "expand[]" || strings.HasPrefix(k, "expand[")) {
				continue
			}
			st, b := errorBody(http.StatusBadRequest, "invalid_request_error", "parameter_unknown", "Received unknown parameter: "+k)
			return nil, st, b
		}
		if len(name) == 0 || len(name) > 40 || len(v[0]) > 500 {
			st, b := errorBody(http.StatusBadRequest, "invalid_request_error", "parameter_invalid_string",
				"Metadata keys can be at most 40 characters and values at most 500: "+k)
			return nil, st, b
		}
		md[name] = v[0]
	}
	return md, 0, nil
}

func (s *Server) execute(method, path, id string, md map[string]string) (int, []byte) {
	if method == http.MethodPost {
		s.mu.Lock()
		d := s.latency
		s.mu.Unlock()
		time.Sleep(d)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.objects[path]
	if o == nil {
		kind := objectNames[objectPath.FindStringSubmatch(path)[1]]
		return errorBody(http.StatusNotFound, "invalid_request_error", "resource_missing", "No such "+kind+": '"+id+"'")
	}
	if method == http.MethodPost {
		cur := o["metadata"].(map[string]string)
		next := copyMap(cur)
		for k, v := range md {
			if v == "" {
				delete(next, k)
			} else {
				next[k] = v
			}
		}
		if len(next) > 50 {
			return errorBody(http.StatusBadRequest, "invalid_request_error", "parameter_invalid_string",
				"An object can have at most 50 metadata keys.")
		}
		o["metadata"] = next
	}
	b, err := json.Marshal(o)
	if err != nil {
		return errorBody(http.StatusInternalServerError, "api_error", "", err.Error())
	}
	return http.StatusOK, b
}

func errorBody(status int, typ, code, msg string) (int, []byte) {
	e := map[string]string{"type": typ, "message": msg}
	if code != "" {
		e["code"] = code
	}
	b, _ := json.Marshal(map[string]any{"error": e})
	return status, b
}
