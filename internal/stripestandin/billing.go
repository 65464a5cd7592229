package stripestandin

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Billing is the stand-in with the endpoints that managing a monthly gift
// needs beyond stripe-mock, which answers every list with the same fixture
// whatever the filter: a customer list that holds exactly the customers
// with one e-mail address, their subscriptions, and Billing Portal sessions.
// It answers the objects' own endpoints as Server does.
//
// Stripe behaviours it follows (https://docs.stripe.com/api/customers/list,
// https://docs.stripe.com/api/subscriptions/list,
// https://docs.stripe.com/api/pagination,
// https://docs.stripe.com/api/customer_portal/sessions/create,
// https://docs.stripe.com/error-codes):
//
//   - GET /v1/customers: a list object {object: "list", url, has_more, data},
//     newest first (by "created", then by id); email is a case-sensitive
//     filter on the whole address; deleted customers are not listed.
//   - GET /v1/subscriptions: customer filters by customer id; without
//     status, every subscription that is not canceled is listed; status=all
//     lists all, status=ended canceled and incomplete_expired, any other
//     status that one only.
//   - Both: limit from 1 to 100, default 10 (otherwise 400
//     parameter_invalid_integer); starting_after=<id> lists what follows
//     that object (an id not in the list: 400 resource_missing); expand[]
//     is accepted and ignored; any other parameter is refused with 400
//     parameter_unknown.
//   - POST /v1/billing_portal/sessions: customer is required (400
//     parameter_missing); a customer that does not exist or is deleted is
//     400 resource_missing ("No such customer"); return_url must be an
//     absolute URL and locale one of Stripe's portal locales (400
//     parameter_invalid_string otherwise); the answer is a
//     billing_portal.session with a url on https://billing.stripe.com. The
//     account's default portal configuration is used.
//
// Not followed: ending_before, created and the other filters, search,
// total_count, flow_data, configuration, on_behalf_of, idempotency on
// sessions; a session's URL opens nothing.
type Billing struct {
	*Server

	mu   sync.Mutex
	fail map[string]bool // "GET /v1/subscriptions" → answer 500
	seq  int
}

// NewBilling starts a Billing stand-in on 127.0.0.1 and stops it when the
// test ends. Add customers ("/v1/customers/cus_1", with "email" and
// "created") and subscriptions ("/v1/subscriptions/sub_1", with "customer",
// "status", "metadata" and "items").
func NewBilling(t testing.TB) *Billing {
	t.Helper()
	b := &Billing{Server: &Server{objects: map[string]map[string]any{}, keys: map[string]*saved{}}, fail: map[string]bool{}}
	srv := httptest.NewServer(http.HandlerFunc(b.serveBilling))
	t.Cleanup(srv.Close)
	b.URL = srv.URL
	return b
}

// Fail makes method on path (e.g. "GET", "/v1/subscriptions") answer 500
// api_error, as Stripe does when it fails; fail false restores it.
func (b *Billing) Fail(method, path string, fail bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.fail[method+" "+path] = fail
}

func (b *Billing) serveBilling(w http.ResponseWriter, r *http.Request) {
	list := r.Method == http.MethodGet && (r.URL.Path == "/v1/customers" || r.URL.Path == "/v1/subscriptions")
	portal := r.Method == http.MethodPost && r.URL.Path == "/v1/billing_portal/sessions"
	b.mu.Lock()
	failing := b.fail[r.Method+" "+r.URL.Path]
	b.mu.Unlock()
	if !list && !portal && !failing {
		b.serve(w, r) // the objects' own endpoints
		return
	}
	body, _ := io.ReadAll(r.Body)
	form, err := url.ParseQuery(string(body))
	if r.Method == http.MethodGet {
		form, err = r.URL.Query(), nil
	}
	var status int
	var out []byte
	switch {
	case !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer sk_"):
		status, out = errorBody(http.StatusUnauthorized, "invalid_request_error", "", "Invalid API Key provided.")
	case failing:
		status, out = errorBody(http.StatusInternalServerError, "api_error", "", "stand-in failure")
	case err != nil:
		status, out = errorBody(http.StatusBadRequest, "invalid_request_error", "parameter_invalid_string", "The request body could not be read.")
	case list:
		status, out = b.list(r.URL.Path, form)
	default:
		status, out = b.portalSession(form)
	}
	b.Server.mu.Lock()
	b.requests = append(b.requests, Request{Method: r.Method, Path: r.URL.Path, Form: form, Status: status})
	b.Server.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Request-Id", fmt.Sprintf("req_standin_%d", time.Now().UnixNano()))
	w.WriteHeader(status)
	w.Write(out)
}

var subscriptionStatuses = []string{"active", "all", "canceled", "ended", "incomplete", "incomplete_expired", "past_due", "paused", "trialing", "unpaid"}

func (b *Billing) list(path string, form url.Values) (int, []byte) {
	kind, filter := "customer", "email"
	if path == "/v1/subscriptions" {
		kind, filter = "subscription", "customer"
	}
	limit := 10
	for k, v := range form {
		switch {
		case k == filter || k == "starting_after" || k == "expand[]" || strings.HasPrefix(k, "expand["):
		case k == "status" && kind == "subscription":
			if !slices.Contains(subscriptionStatuses, v[0]) {
				return errorBody(http.StatusBadRequest, "invalid_request_error", "parameter_invalid_string", "Invalid status: must be one of "+strings.Join(subscriptionStatuses, ", "))
			}
		case k == "limit":
			n, err := strconv.Atoi(v[0])
			if err != nil || n < 1 || n > 100 {
				return errorBody(http.StatusBadRequest, "invalid_request_error", "parameter_invalid_integer", "Invalid integer: limit must be between 1 and 100")
			}
			limit = n
		default:
			return errorBody(http.StatusBadRequest, "invalid_request_error", "parameter_unknown", "Received unknown parameter: "+k)
		}
	}
	b.Server.mu.Lock()
	var data []map[string]any
	for p, o := range b.objects {
		if !strings.HasPrefix(p, path+"/") || o["deleted"] == true {
			continue
		}
		if want, ok := form[filter]; ok && fmt.Sprint(o[filter]) != want[0] {
			continue // email: case-sensitive, whole value
		}
		if kind == "subscription" && !statusMatches(fmt.Sprint(o["status"]), form.Get("status")) {
			continue
		}
		data = append(data, copyObject(o))
	}
	b.Server.mu.Unlock()
	slices.SortFunc(data, func(x, y map[string]any) int {
		cx, cy := toInt(x["created"]), toInt(y["created"])
		if cx != cy {
			return int(cy - cx) // newest first
		}
		return strings.Compare(fmt.Sprint(y["id"]), fmt.Sprint(x["id"]))
	})
	if after := form.Get("starting_after"); after != "" {
		i := slices.IndexFunc(data, func(o map[string]any) bool { return o["id"] == after })
		if i < 0 {
			return errorBody(http.StatusBadRequest, "invalid_request_error", "resource_missing", "No such "+kind+": '"+after+"'")
		}
		data = data[i+1:]
	}
	more := len(data) > limit
	if more {
		data = data[:limit]
	}
	if data == nil {
		data = []map[string]any{}
	}
	out, _ := json.Marshal(map[string]any{"object": "list", "url": path, "has_more": more, "data": data})
	return http.StatusOK, out
}

func statusMatches(status, want string) bool {
	switch want {
	case "":
		return status != "canceled"
	case "all":
		return true
	case "ended":
		return status == "canceled" || status == "incomplete_expired"
	}
	return status == want
}

// portalLocales are the locales a portal session accepts (Stripe's API
// reference for billing_portal.session, API version 2023-10-16).
var portalLocales = strings.Fields(`auto bg cs da de el en en-AU en-CA en-GB en-IE en-IN en-NZ en-SG es es-419 et fi fil fr fr-CA
	hr hu id it ja ko lt lv ms mt nb nl pl pt pt-BR ro ru sk sl sv th tr vi zh zh-HK zh-TW`)

func (b *Billing) portalSession(form url.Values) (int, []byte) {
	for k := range form {
		switch k {
		case "customer", "return_url", "locale":
		default:
			if !strings.HasPrefix(k, "expand[") {
				return errorBody(http.StatusBadRequest, "invalid_request_error", "parameter_unknown", "Received unknown parameter: "+k)
			}
		}
	}
	cus := form.Get("customer")
	if cus == "" {
		return errorBody(http.StatusBadRequest, "invalid_request_error", "parameter_missing", "Missing required param: customer.")
	}
	if ru := form.Get("return_url"); ru != "" {
		if u, err := url.Parse(ru); err != nil || u.Scheme == "" || u.Host == "" {
			return errorBody(http.StatusBadRequest, "invalid_request_error", "url_invalid", "Not a valid URL")
		}
	}
	if l, ok := form["locale"]; ok && !slices.Contains(portalLocales, l[0]) {
		return errorBody(http.StatusBadRequest, "invalid_request_error", "parameter_invalid_string", "Invalid locale: "+l[0])
	}
	b.Server.mu.Lock()
	o := b.objects["/v1/customers/"+cus]
	b.Server.mu.Unlock()
	if o == nil || o["deleted"] == true {
		return errorBody(http.StatusBadRequest, "invalid_request_error", "resource_missing", "No such customer: '"+cus+"'")
	}
	b.mu.Lock()
	b.seq++
	id := fmt.Sprintf("bps_standin%d", b.seq)
	b.mu.Unlock()
	locale := any(nil)
	if l := form.Get("locale"); l != "" {
		locale = l
	}
	out, _ := json.Marshal(map[string]any{
		"id": id, "object": "billing_portal.session", "configuration": "bpc_standin_default", "created": time.Now().Unix(),
		"customer": cus, "livemode": false, "locale": locale, "on_behalf_of": nil, "flow": nil,
		"return_url": form.Get("return_url"), "url": "https://billing.stripe.com/p/session/test_" + id,
	})
	return http.StatusOK, out
}

func copyObject(o map[string]any) map[string]any {
	c := make(map[string]any, len(o))
	for k, v := range o {
		c[k] = v
	}
	return c
}

func toInt(v any) int64 {
	switch n := v.(type) {
	case int:
		return int64(n)
	case int64:
		return n
	case float64:
		return int64(n)
	}
	return 0
}
