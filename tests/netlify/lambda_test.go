package netlify

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/payoke/site/internal/donate/stripemock"
	"github.com/payoke/site/internal/headers"
	"github.com/payoke/site/internal/mail/mailtest"
)

// TestArchivesAnswerAsLambda runs the bootstrap of each zip netlify build
// made, the file Netlify deploys, under Netlify's own Lambda emulator (the
// local-functions-proxy netlify dev uses: it starts the binary as a Lambda
// runtime, hands it one API Gateway v1 event and prints the response), and
// checks the response as deployed Netlify reads it: status, and every
// header, Location included, in `headers` (netlify/cli#923: deployed
// functions ignore multiValueHeaders).
func TestArchivesAnswerAsLambda(t *testing.T) {
	tl := needTools(t)
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("the archives hold linux/amd64 binaries; this machine cannot run them")
	}
	lfp := filepath.Join(tl.root, "tests", "netlify", "node_modules", "@netlify", "local-functions-proxy-linux-x64", "bin", "local-functions-proxy")
	if _, err := os.Stat(lfp); err != nil {
		require(t, err)
	}
	b := sharedBuild(t, tl)
	hdrs, err := headers.Load(os.DirFS(b.dir))
	if err != nil {
		t.Fatal(err)
	}
	api := hdrs.For(headers.APIPath)

	proc, err := stripemock.Start()
	if err != nil {
		t.Fatalf("stripe-mock: %v", err)
	}
	t.Cleanup(proc.Close)
	stripe := proc.NewProxy(t)
	smtp := mailtest.New(t)
	env := []string{
		"SITE_URL=https://www.payoke.be",
		"STRIPE_SECRET_KEY=sk_test_123",
		"STRIPE_API_URL=" + stripe.URL,
		"STRIPE_WEBHOOK_SECRET=" + webhookSecret,
		"SMTP_URL=" + smtp.URL(),
		"MAIL_FROM=Payoke <website@payoke.be>",
		"CONTACT_TO=staff@payoke.be",
		"MANAGE_GIFT_SECRET=lambda-test-manage-gift-secret-0123456789",
	}
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Host": "www.payoke.be"}
	signed := checkoutEvent(7)
	sig := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: signed, Secret: webhookSecret})

	for _, tc := range []struct {
		name, fn string
		event    events.APIGatewayProxyRequest
		status   int
		location string // a pattern; "" for none
		body     string
	}{
		{name: "donate once", fn: "donate", status: http.StatusSeeOther, location: `^https://checkout\.stripe\.com/`,
			event: events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/api/donate", Headers: form, Body: "amount=25&frequency=once&lang=en"}},
		{name: "donate monthly", fn: "donate", status: http.StatusSeeOther, location: `^https://checkout\.stripe\.com/`,
			event: events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/api/donate", Headers: form, Body: "amount=10&frequency=monthly&lang=fr"}},
		{name: "donate 400", fn: "donate", status: http.StatusBadRequest, body: `value="abc"`,
			event: events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/api/donate", Headers: form, Body: "amount=abc&frequency=once&lang=en"}},
		{name: "contact 303", fn: "contact", status: http.StatusSeeOther, location: `^/en/contact/thank-you/$`,
			event: events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/api/contact", Headers: form, Body: "message=Please+call+me&name=Ana+Test&lang=en"}},
		{name: "contact 400", fn: "contact", status: http.StatusBadRequest, body: "Please call me tonight",
			event: events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/api/contact", Headers: form, Body: "message=Please+call+me+tonight&email=nope&lang=en"}},
		{name: "manage-gift", fn: "manage-gift", status: http.StatusSeeOther, location: `^/en/.*check-your-mailbox/$`,
			event: events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/api/manage-gift", Headers: form, Body: "email=someone%40example.org&lang=en"}},
		{name: "webhook signed", fn: "stripe-webhook", status: http.StatusOK,
			event: events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/api/stripe-webhook", Body: string(signed),
				Headers: map[string]string{"Content-Type": "application/json", "Stripe-Signature": sig.Header}}},
		{name: "webhook forged", fn: "stripe-webhook", status: http.StatusBadRequest,
			event: events.APIGatewayProxyRequest{HTTPMethod: "POST", Path: "/api/stripe-webhook", Body: string(signed),
				Headers: map[string]string{"Content-Type": "application/json", "Stripe-Signature": "t=1,v1=00"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bin := extractBootstrap(t, filepath.Join(b.dir, ".netlify", "functions", tc.fn+".zip"))
			resp := invokeLambda(t, lfp, bin, tc.fn, tc.event, tl.env(env...))
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d; body %.300s", resp.StatusCode, tc.status, resp.Body)
			}
			loc := resp.Headers["Location"]
			if tc.location == "" && loc != "" || tc.location != "" && !regexp.MustCompile(tc.location).MatchString(loc) {
				t.Errorf(`headers["Location"] = %q, want %s (multiValueHeaders: %q)`, loc, tc.location, resp.MultiValueHeaders["Location"])
			}
			for name, values := range api {
				if got := resp.Headers[name]; got != values[0] {
					t.Errorf(`headers[%q] = %q, want %q`, name, got, values[0])
				}
			}
			for name, values := range resp.MultiValueHeaders {
				if got := resp.Headers[name]; got != strings.Join(values, ", ") {
					t.Errorf(`headers[%q] = %q, multiValueHeaders has %q`, name, got, values)
				}
			}
			if resp.IsBase64Encoded {
				t.Errorf("isBase64Encoded: an HTML or empty body should go as text")
			}
			if tc.body != "" && !strings.Contains(resp.Body, tc.body) {
				t.Errorf("the body lacks %q: %.300s", tc.body, resp.Body)
			}
		})
	}
	staff, donor := 0, 0
	for _, m := range smtp.Messages() {
		switch strings.Join(m.To, ",") {
		case "staff@payoke.be":
			staff++
		case "donor7@example.org":
			donor++
		}
	}
	if staff != 2 || donor != 1 {
		t.Errorf("mail to staff %d, to the donor %d; want 2 (the contact message, the webhook's notice) and 1 (the thank-you)", staff, donor)
	}
}

// extractBootstrap writes a zip's bootstrap into a temporary folder.
func extractBootstrap(t *testing.T, path string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != "bootstrap" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		data, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		bin := filepath.Join(t.TempDir(), "bootstrap")
		if err := os.WriteFile(bin, data, 0o755); err != nil {
			t.Fatal(err)
		}
		return bin
	}
	t.Fatalf("%s holds no bootstrap", path)
	return ""
}

// invokeLambda hands one event to bin through Netlify's local functions
// proxy, with the event fields netlify dev adds, and decodes the response.
func invokeLambda(t *testing.T, lfp, bin, name string, ev events.APIGatewayProxyRequest, env []string) events.APIGatewayProxyResponse {
	t.Helper()
	ev.RequestContext.HTTPMethod = ev.HTTPMethod
	event, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, lfp, "--event", string(event), "--command", bin,
		"--working-dir", filepath.Dir(bin), "--name", name, "--timeout", "10s")
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("local-functions-proxy: %v\n%s", err, stderr.String())
	}
	var resp events.APIGatewayProxyResponse
	if err := json.Unmarshal(stdout.Bytes(), &resp); err != nil {
		t.Fatalf("the function's answer is not a Lambda response: %v\n%.500s\n%s", err, stdout.String(), stderr.String())
	}
	return resp
}
