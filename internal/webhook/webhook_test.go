package webhook_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/payoke/site/internal/donate/stripemock"
	"github.com/payoke/site/internal/donation"
	"github.com/payoke/site/internal/mail"
	"github.com/payoke/site/internal/mail/mailtest"
	"github.com/payoke/site/internal/managegift/giftlink"
	"github.com/payoke/site/internal/testutil"
	"github.com/payoke/site/internal/web"
	pwebhook "github.com/payoke/site/internal/webhook"
)

// lifetime is how long the links work, as config.toml says.
var lifetime = testutil.Site().Params.Donation.ManageLinkLifetime()

var stripeMock *stripemock.Process

func TestMain(m *testing.M) { os.Exit(stripemock.Run(m, &stripeMock)) }

const secret = "whsec_test_secret"

// manageSecret is MANAGE_GIFT_SECRET: it signs the manage link of the monthly thank-you.
const manageSecret = "test-manage-gift-secret-0123456789abcdef"

type fixture struct {
	h    http.Handler
	px   *stripemock.Proxy
	smtp *mailtest.Server
	logs *bytes.Buffer // requests are served one at a time
}

// setup wires the real handler to stripe-mock (through a recording proxy)
// and to a real SMTP server.
func setup(t *testing.T) fixture { return setupMail(t, "") }

// setupMail is setup with mail sent to smtpURL instead ("": the fixture's server).
func setupMail(t *testing.T, smtpURL string) fixture {
	t.Helper()
	px := stripeMock.NewProxy(t)
	srv := mailtest.New(t)
	if smtpURL == "" {
		smtpURL = srv.URL()
	}
	sender, err := mail.FromEnv(func(k string) string {
		return map[string]string{"SMTP_URL": smtpURL, "MAIL_FROM": "Payoke <website@payoke.be>"}[k]
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg, cat, err := web.LoadSite()
	if err != nil {
		t.Fatal(err)
	}
	api, err := donation.NewStripeClient("sk_test_123", px.URL)
	if err != nil {
		t.Fatal(err)
	}
	links, err := giftlink.New(manageSecret, lifetime)
	if err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	h, err := pwebhook.New(pwebhook.Options{Site: cfg, Strings: cat, Stripe: api, Mail: sender, Secret: secret, Links: links,
		StaffTo: []string{"staff@payoke.be"}, SiteURL: "https://example.org", Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{h: h, px: px, smtp: srv, logs: logs}
}

func event(id, typ string, obj map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": id, "object": "event", "type": typ, "api_version": stripe.APIVersion, "livemode": false,
		"created": time.Now().Unix(), "data": map[string]any{"object": obj},
	})
	return b
}

func session(id, mode, status, lang, freq string, cents int64) map[string]any {
	s := map[string]any{
		"id": id, "object": "checkout.session", "mode": mode, "payment_status": status, "amount_total": cents,
		"currency": "eur", "livemode": false, "metadata": map[string]string{"lang": lang, "frequency": freq},
		"customer_details": map[string]any{"email": "donor@example.org"},
	}
	if mode == "subscription" {
		s["subscription"] = "sub_" + id
		s["customer"] = "cus_" + strings.TrimPrefix(id, "cs_")
	} else {
		s["payment_intent"] = "pi_" + id
	}
	return s
}

// deliver signs payload as Stripe does and posts it.
func (f fixture) deliver(t *testing.T, payload []byte, sign webhook.UnsignedPayload) *httptest.ResponseRecorder {
	t.Helper()
	sign.Payload = payload
	if sign.Secret == "" {
		sign.Secret = secret
	}
	sp := webhook.GenerateTestSignedPayload(&sign)
	r := httptest.NewRequest(http.MethodPost, "/api/stripe-webhook", bytes.NewReader(payload))
	r.Header.Set("Stripe-Signature", sp.Header)
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

type got = mailtest.Decoded

// mails reads what the SMTP server received, decoded; it fails unless
// there are exactly n.
func (f fixture) mails(t *testing.T, n int) []got {
	t.Helper()
	return f.smtp.Exactly(t, n)
}

func TestOneOffGiftThanksDonorAndStaffOnce(t *testing.T) {
	t.Parallel()
	f := setup(t)
	payload := event("evt_1", "checkout.session.completed", session("cs_1", "payment", "paid", "fr", "once", 2550))
	if w := f.deliver(t, payload, webhook.UnsignedPayload{}); w.Code != http.StatusOK {
		t.Fatalf("status %d %s", w.Code, w.Body)
	}
	m := f.mails(t, 2)
	testutil.WantIn(t, "donor To", m[0].To, "donor@example.org")
	testutil.WantIn(t, "donor subject", m[0].Subject, "Merci pour votre don à Payoke")
	testutil.WantIn(t, "donor body", m[0].Body, "Bonjour,", "25,50\u00a0€", "+32 3 201 16 90")
	testutil.WantIn(t, "donor Reply-To", m[0].ReplyTo, "admin@payoke.be")
	if strings.Contains(m[0].Body, "mensuel") {
		t.Error("one-off thanks talks about a monthly gift")
	}
	testutil.WantIn(t, "staff To", m[1].To, "staff@payoke.be")
	testutil.WantIn(t, "staff subject", m[1].Subject, "Online gift: €\u00a025,50 (Eenmalig)")
	testutil.WantIn(t, "staff body", m[1].Body, "https://dashboard.stripe.com/test/payments/pi_cs_1", "Taal: fr")
	if strings.Contains(m[1].Body, "donor@example.org") {
		t.Error("staff notice holds the donor's address")
	}

	// Stripe delivers the same event again (a lost 200, a retry): nothing new.
	if w := f.deliver(t, payload, webhook.UnsignedPayload{}); w.Code != http.StatusOK {
		t.Fatalf("second delivery: status %d", w.Code)
	}
	f.mails(t, 2)
	// Each mail is claimed, then marked sent, on the PaymentIntent (marks.go);
	// the second delivery writes nothing.
	var marks []string
	for _, r := range f.px.Requests() {
		if r.Method == http.MethodPost && r.Path == "/v1/payment_intents/pi_cs_1" {
			for k, v := range r.Form {
				if fields := strings.Split(v[0], ":"); len(fields) == 4 { // scope:gen:time:nonce
					v[0] = strings.Join(fields[:2], ":") + ":claimed"
				}
				marks = append(marks, k+"="+v[0]+" key "+r.Header.Get("Idempotency-Key"))
			}
		}
	}
	if want := []string{
		"metadata[payoke_mail_thanks_donor]=cs_1:0:claimed key payoke-claim-pi_cs_1-payoke_mail_thanks_donor-cs_1-g0",
		"metadata[payoke_mail_thanks_donor]=cs_1:sent key payoke-sent-pi_cs_1-payoke_mail_thanks_donor-cs_1-g0",
		"metadata[payoke_mail_thanks_staff]=cs_1:0:claimed key payoke-claim-pi_cs_1-payoke_mail_thanks_staff-cs_1-g0",
		"metadata[payoke_mail_thanks_staff]=cs_1:sent key payoke-sent-pi_cs_1-payoke_mail_thanks_staff-cs_1-g0",
	}; strings.Join(marks, "\n") != strings.Join(want, "\n") {
		t.Errorf("markers written:\n%s\nwant:\n%s", strings.Join(marks, "\n"), strings.Join(want, "\n"))
	}
}

// The monthly thank-you carries the donor's own link to manage the gift
// (GET /api/manage-gift?t=…, signed with MANAGE_GIFT_SECRET).
func TestMonthlyGiftMailCarriesAManageLink(t *testing.T) {
	t.Parallel()
	f := setup(t)
	payload := event("evt_2", "checkout.session.completed", session("cs_2", "subscription", "paid", "nl", "monthly", 1000))
	if w := f.deliver(t, payload, webhook.UnsignedPayload{}); w.Code != http.StatusOK {
		t.Fatalf("status %d %s", w.Code, w.Body)
	}
	m := f.mails(t, 2)
	testutil.WantIn(t, "donor subject", m[0].Subject, "Bedankt voor je gift aan Payoke")
	testutil.WantIn(t, "donor body", m[0].Body, "elke maand €\u00a010 geeft", "Open deze link:\r\nhttps://example.org/api/manage-gift?t=v1.cus_2.nl.",
		"werkt hij 4 uur")
	if strings.Contains(m[0].Body, "Bel ons op") {
		t.Error("the mail still says to call to change the gift")
	}
	tok := regexp.MustCompile(`manage-gift\?t=(\S+)`).FindStringSubmatch(m[0].Body)
	links, _ := giftlink.New(manageSecret, lifetime)
	if tok == nil {
		t.Fatal("no link")
	}
	if c, err := links.Verify(tok[1], time.Now()); err != nil || c.Customer != "cus_2" || c.Lang != "nl" {
		t.Errorf("link %q: %+v %v", tok[1], c, err)
	}
	testutil.WantIn(t, "staff body", m[1].Body, "subscriptions/sub_cs_2", "Elke maand")
	if strings.Contains(m[1].Body, "manage-gift") {
		t.Error("the staff notice holds the donor's link")
	}
	if strings.Contains(f.logs.String(), "cus_2") || strings.Contains(f.logs.String(), tok[1]) {
		t.Error("the log holds the customer or the link")
	}
	// The marker sits on the Subscription; a duplicate sends nothing.
	f.deliver(t, payload, webhook.UnsignedPayload{})
	f.mails(t, 2)
}

// Without MANAGE_GIFT_SECRET the monthly thank-you says to call or write.
func TestMonthlyGiftMailWithoutManageSecret(t *testing.T) {
	t.Parallel()
	srv := mailtest.New(t)
	px := stripeMock.NewProxy(t)
	env := map[string]string{"STRIPE_SECRET_KEY": "sk_test_123", "STRIPE_API_URL": px.URL, "STRIPE_WEBHOOK_SECRET": secret,
		"SMTP_URL": srv.URL(), "MAIL_FROM": "website@payoke.be", "SITE_URL": "https://example.org"}
	logs := &bytes.Buffer{}
	h, err := pwebhook.NewFromEnv(func(k string) string { return env[k] }, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	f := fixture{h: h, px: px, smtp: srv, logs: logs}
	if w := f.deliver(t, event("evt_2b", "checkout.session.completed", session("cs_2b", "subscription", "paid", "en", "monthly", 1000)),
		webhook.UnsignedPayload{}); w.Code != http.StatusOK {
		t.Fatalf("status %d %s", w.Code, w.Body)
	}
	m := f.mails(t, 2)
	testutil.WantIn(t, "donor body", m[0].Body, "To change or stop your monthly gift, call us on +32 3 201 16 90 or write to admin@payoke.be.")
	if strings.Contains(m[0].Body, "manage-gift") {
		t.Error("a link without a secret")
	}
	testutil.WantIn(t, "log", logs.String(), "MANAGE_GIFT_SECRET is not set")
}

func TestDelayedPaymentIsThankedWhenItSucceeds(t *testing.T) {
	t.Parallel()
	f := setup(t)
	s := session("cs_3", "payment", "unpaid", "en", "once", 5000)
	if w := f.deliver(t, event("evt_3a", "checkout.session.completed", s), webhook.UnsignedPayload{}); w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	f.mails(t, 0)
	s["payment_status"] = "paid"
	if w := f.deliver(t, event("evt_3b", "checkout.session.async_payment_succeeded", s), webhook.UnsignedPayload{}); w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	m := f.mails(t, 2)
	testutil.WantIn(t, "donor body", m[0].Body, "Thank you very much for your gift of €50.")
	// A different event about the same, already thanked session sends nothing.
	f.deliver(t, event("evt_3c", "checkout.session.completed", s), webhook.UnsignedPayload{})
	f.mails(t, 2)
}

func TestDelayedPaymentFailed(t *testing.T) {
	t.Parallel()
	f := setup(t)
	s := session("cs_4", "payment", "unpaid", "en", "once", 3000)
	if w := f.deliver(t, event("evt_4", "checkout.session.async_payment_failed", s), webhook.UnsignedPayload{}); w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	m := f.mails(t, 2)
	testutil.WantIn(t, "donor", m[0].Subject+m[0].Body, "did not go through", "nothing was charged", "https://example.org/en/support-us/")
	testutil.WantIn(t, "staff", m[1].Subject, "Online gift mislukt")
}

func TestMonthlyGiftEndedAndInvoiceFailed(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.px.Set("/v1/customers/cus_9", "email", "monthly@example.org")
	sub := map[string]any{"id": "sub_9", "object": "subscription", "customer": "cus_9", "status": "canceled",
		"metadata": map[string]string{"lang": "en", "frequency": "monthly"},
		"items": map[string]any{"object": "list", "data": []map[string]any{{"id": "si_1", "object": "subscription_item", "quantity": 1,
			"price": map[string]any{"id": "price_1", "object": "price", "unit_amount": 1500, "currency": "eur"}}}}}
	payload := event("evt_5", "customer.subscription.deleted", sub)
	for range 2 {
		if w := f.deliver(t, payload, webhook.UnsignedPayload{}); w.Code != http.StatusOK {
			t.Fatalf("status %d %s", w.Code, w.Body)
		}
	}
	m := f.mails(t, 2)
	testutil.WantIn(t, "donor", m[0].To+m[0].Subject, "monthly@example.org", "Your monthly gift to Payoke has stopped")
	testutil.WantIn(t, "staff", m[1].Subject, "Een maandelijkse gift is gestopt: €\u00a015")

	inv := map[string]any{"id": "in_7", "object": "invoice", "amount_due": 1500, "currency": "eur", "billing_reason": "subscription_cycle",
		"subscription_details": map[string]any{"metadata": map[string]string{"lang": "en", "frequency": "monthly"}}}
	for range 2 {
		if w := f.deliver(t, event("evt_6", "invoice.payment_failed", inv), webhook.UnsignedPayload{}); w.Code != http.StatusOK {
			t.Fatalf("status %d %s", w.Code, w.Body)
		}
	}
	m = f.mails(t, 3)
	testutil.WantIn(t, "staff", m[2].To+m[2].Subject+m[2].Body, "staff@payoke.be", "Betaling maandelijkse gift mislukt", "invoices/in_7")

	// A paid monthly invoice and unknown events are acknowledged without mail.
	for _, p := range [][]byte{event("evt_7", "invoice.paid", inv), event("evt_8", "customer.created", map[string]any{"id": "cus_1", "object": "customer"})} {
		if w := f.deliver(t, p, webhook.UnsignedPayload{}); w.Code != http.StatusOK {
			t.Fatalf("status %d", w.Code)
		}
	}
	f.mails(t, 3)
}

func TestSessionsOfOtherProductsAreIgnored(t *testing.T) {
	t.Parallel()
	f := setup(t)
	s := session("cs_x", "payment", "paid", "en", "once", 2500)
	s["metadata"] = map[string]string{}
	if w := f.deliver(t, event("evt_x", "checkout.session.completed", s), webhook.UnsignedPayload{}); w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	f.mails(t, 0)
	if n := len(f.px.Requests()); n != 0 {
		t.Errorf("%d Stripe calls for a foreign session", n)
	}
}

func TestRefusedDeliveries(t *testing.T) {
	t.Parallel()
	f := setup(t)
	good := event("evt_r", "checkout.session.completed", session("cs_r", "payment", "paid", "en", "once", 2500))
	var other map[string]any
	json.Unmarshal(good, &other)
	other["api_version"] = "2024-06-20"
	newer, _ := json.Marshal(other)
	for _, c := range []struct {
		name    string
		payload []byte
		sign    webhook.UnsignedPayload
		want    string
	}{
		{"wrong secret", good, webhook.UnsignedPayload{Secret: "whsec_other"}, "bad signature"},
		{"stale timestamp", good, webhook.UnsignedPayload{Timestamp: time.Now().Add(-10 * time.Minute)}, "stale signature"},
		{"other API version", newer, webhook.UnsignedPayload{}, "api_version=2023-10-16"},
		{"timestamp an hour ahead", good, webhook.UnsignedPayload{Timestamp: time.Now().Add(time.Hour)}, "signature from the future"},
		{"timestamp ten years ahead", good, webhook.UnsignedPayload{Timestamp: time.Now().AddDate(10, 0, 0)}, "signature from the future"},
		{"timestamp six minutes ahead", good, webhook.UnsignedPayload{Timestamp: time.Now().Add(6 * time.Minute)}, "signature from the future"},
	} {
		if w := f.deliver(t, c.payload, c.sign); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), c.want) {
			t.Errorf("%s: %d %q, want 400 %q", c.name, w.Code, w.Body, c.want)
		}
	}
	for _, r := range []*http.Request{
		httptest.NewRequest(http.MethodPost, "/api/stripe-webhook", bytes.NewReader(good)), // no signature
		httptest.NewRequest(http.MethodPost, "/api/stripe-webhook", bytes.NewReader(bytes.Repeat([]byte("x"), pwebhook.MaxBody+1))),
		httptest.NewRequest(http.MethodGet, "/api/stripe-webhook", nil),
	} {
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, r)
		want := map[string]int{http.MethodGet: 405}[r.Method]
		if want == 0 {
			want = 400
			if r.ContentLength > pwebhook.MaxBody {
				want = 413
			}
		}
		if w.Code != want {
			t.Errorf("%s %d bytes: %d, want %d", r.Method, r.ContentLength, w.Code, want)
		}
	}
	f.mails(t, 0)
	if n := len(f.px.Requests()); n != 0 {
		t.Errorf("%d Stripe calls before a valid signature", n)
	}
}

// Stripe's clock a little ahead of ours (four minutes) is no reason to refuse.
func TestSlightlyFutureTimestampAccepted(t *testing.T) {
	t.Parallel()
	f := setup(t)
	payload := event("evt_ahead", "checkout.session.completed", session("cs_ahead", "payment", "paid", "en", "once", 2500))
	if w := f.deliver(t, payload, webhook.UnsignedPayload{Timestamp: time.Now().Add(4 * time.Minute)}); w.Code != http.StatusOK {
		t.Fatalf("status %d %s", w.Code, w.Body)
	}
	f.mails(t, 2)
}

// When the mail server refuses, the event fails (Stripe retries) and
// nothing is marked; the retry then sends each mail once.
func TestMailFailureIsRetried(t *testing.T) {
	t.Parallel()
	f := setup(t)
	payload := event("evt_m", "checkout.session.completed", session("cs_m", "payment", "paid", "nl", "once", 2500))
	f.smtp.FailWith(errors.New("mailbox busy"))
	if w := f.deliver(t, payload, webhook.UnsignedPayload{}); w.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", w.Code)
	}
	f.smtp.FailWith(nil)
	if w := f.deliver(t, payload, webhook.UnsignedPayload{}); w.Code != http.StatusOK {
		t.Fatalf("retry: status %d", w.Code)
	}
	f.mails(t, 2)
	// The failed attempt freed its claim for the next generation, which the retry used.
	var keys []string
	for _, r := range f.px.Requests() {
		if r.Method == http.MethodPost {
			keys = append(keys, r.Header.Get("Idempotency-Key"))
		}
	}
	if want := "payoke-claim-pi_cs_m-payoke_mail_thanks_donor-cs_m-g0 payoke-release-pi_cs_m-payoke_mail_thanks_donor-cs_m-g0 " +
		"payoke-claim-pi_cs_m-payoke_mail_thanks_donor-cs_m-g1 payoke-sent-pi_cs_m-payoke_mail_thanks_donor-cs_m-g1"; !strings.HasPrefix(strings.Join(keys, " "), want) {
		t.Errorf("writes %q, want them to start %q", keys, want)
	}
}

// A mail server that accepts and never answers: 500 (Stripe retries) well
// before the platform's 10 s limit.
func TestStuckMailServerAnswersInTime(t *testing.T) {
	t.Parallel()
	f := setupMail(t, mailtest.Silent(t))
	start := time.Now()
	w := f.deliver(t, event("evt_s", "checkout.session.completed", session("cs_s", "payment", "paid", "en", "once", 2500)), webhook.UnsignedPayload{})
	if took := time.Since(start); w.Code != http.StatusInternalServerError || took > 9*time.Second {
		t.Errorf("status %d after %v, want 500 within 9 s", w.Code, took)
	}
}

// The donor's address refused by the mail server: 500 for a retry, and
// neither the server's reply nor go-mail's error puts it in the log.
func TestRefusedDonorAddressStaysOutOfTheLog(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.smtp.RefuseRecipient("donor@example.org")
	w := f.deliver(t, event("evt_r", "checkout.session.completed", session("cs_r", "payment", "paid", "fr", "once", 2500)), webhook.UnsignedPayload{})
	if w.Code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", w.Code)
	}
	if logs := f.logs.String(); !strings.Contains(logs, "code 550") || strings.Contains(logs, "donor@") {
		t.Errorf("log:\n%s", logs)
	}
}

func TestNotConfiguredAnswers503(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h, err := pwebhook.NewFromEnv(func(k string) string { return map[string]string{"OUTBOX_DIR": dir}[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/api/stripe-webhook", strings.NewReader("{}")))
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("status %d", w.Code)
	}
}

// fromEnv builds the handler the way the deployed function does, from the
// environment, with Stripe at stripeURL and mail to srv.
func fromEnv(t *testing.T, stripeURL string, srv *mailtest.Server, extra map[string]string) http.Handler {
	t.Helper()
	env := map[string]string{
		"STRIPE_SECRET_KEY": "sk_test_123", "STRIPE_WEBHOOK_SECRET": secret, "STRIPE_API_URL": stripeURL,
		"SMTP_URL": srv.URL(), "MAIL_FROM": "Payoke <website@payoke.be>", "SITE_URL": "https://example.org",
	}
	for k, v := range extra {
		env[k] = v
	}
	h, err := pwebhook.NewFromEnv(func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// CONTACT_TO may be a comma-separated list (README): the staff notice goes
// to every address on it, as the contact form's messages do.
func TestStaffNoticeGoesToEveryContactTo(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.h = fromEnv(t, f.px.URL, f.smtp, map[string]string{"CONTACT_TO": "a@x.test, Staff B <b@x.test>"})
	payload := event("evt_list", "checkout.session.completed", session("cs_list", "payment", "paid", "en", "once", 2500))
	if w := f.deliver(t, payload, webhook.UnsignedPayload{}); w.Code != http.StatusOK {
		t.Fatalf("status %d %s", w.Code, w.Body)
	}
	m := f.mails(t, 2)
	if m[0].To != "donor@example.org" {
		t.Errorf("donor mail to %q", m[0].To)
	}
	if m[1].To != "a@x.test,b@x.test" {
		t.Errorf("staff notice to %q, want a@x.test and b@x.test", m[1].To)
	}
	// A CONTACT_TO that is no address list stops the function at start.
	if _, err := pwebhook.NewFromEnv(func(k string) string {
		return map[string]string{"CONTACT_TO": "staff at payoke", "OUTBOX_DIR": t.TempDir()}[k]
	}, nil); err == nil || !strings.Contains(err.Error(), "CONTACT_TO") {
		t.Errorf("bad CONTACT_TO: err %v", err)
	}
}
