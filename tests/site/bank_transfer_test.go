package sitetest

// Giving by bank transfer (shortcode bank-transfer, issue 15). Payoke's
// account is not known yet, so config.toml leaves params.donation.iban, bic
// and accountHolder empty and the real build must say nothing about
// transfers. To see the section at all, TestBankTransferWithAnAccount builds
// a copy of the site with a second config file on top of config.toml (Hugo's
// --config a,b) holding an example account, and reads the QR code back.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	_ "golang.org/x/image/webp"
	"golang.org/x/net/html"

	root "github.com/payoke/site"
	"github.com/payoke/site/internal/hugobuild"
	"github.com/payoke/site/internal/i18n"
	"github.com/payoke/site/internal/siteconfig"
	"github.com/payoke/site/internal/testutil"
	"github.com/payoke/site/internal/web/webtest"
)

// The example account: BE71 0961 2345 6769 is the example IBAN of ISO 13616
// and the EPC, not anybody's account; BANKBEBB is a BIC of the right shape
// that names no bank we know of. The holder carries an "é" so the test sees
// the QR code's character set (UTF-8) at work.
const (
	exampleHolder = "Payoke vzw (voorbeeld, géén echte rekening)"
	exampleIBAN   = "BE71 0961 2345 6769"
	exampleBIC    = "BANKBEBB"
)

// ibanOrBIC finds the words a page about transfers would use.
var ibanOrBIC = regexp.MustCompile(`\b(IBAN|BIC|EPC)\b`)

// TestBankTransferHiddenWhileEmpty: with the settings empty (as in
// config.toml until Payoke's account is known), no page mentions an IBAN or
// a BIC, no page has the section, and no QR code is built.
func TestBankTransferHiddenWhileEmpty(t *testing.T) {
	s := load(t)
	if d := s.cfg.Params.Donation; strings.TrimSpace(d.IBAN) != "" {
		t.Skip("config.toml has an account for transfers; TestBankTransferWithAnAccount checks how it is shown")
	}
	for _, p := range s.contentPages() {
		body := elements(p.doc, "body")[0]
		if m := ibanOrBIC.FindString(webtest.Text(body)); m != "" {
			t.Errorf("%s: mentions %q, but config.toml has no account for transfers", p.where(), m)
		}
		for n := range body.Descendants() {
			if n.Type == html.ElementNode && hasToken(get(n, "class"), "bank-transfer") {
				t.Errorf("%s: has the bank-transfer section, but config.toml has no account for transfers", p.where())
			}
		}
	}
	for file := range s.files {
		if strings.HasPrefix(file, "images/qr/") {
			t.Errorf("%s: a QR code was built, but config.toml has no account for transfers", file)
		}
	}
	for _, lang := range s.cfg.SiteLanguages() {
		if supportPage(t, s, lang) == nil {
			t.Errorf("%s: no support page in the build", lang)
		}
	}
}

// TestBankTransferWithAnAccount: with an account set, each support page
// (nl, en, fr) shows the holder, the IBAN in groups of four that copy as one
// word, the BIC and the suggested communication, and a QR code, on this
// origin, with alt text, whose content is exactly the EPC069-12 text for
// that account (read back from the PNG and from its WebP).
func TestBankTransferWithAnAccount(t *testing.T) {
	s := withAccount(t)
	cat, err := i18n.Load(root.Files, s.cfg.DefaultLanguage, s.cfg.SiteLanguages()...)
	if err != nil {
		t.Fatal(err)
	}
	compact := strings.ReplaceAll(exampleIBAN, " ", "")
	for _, lang := range s.cfg.SiteLanguages() {
		t.Run(lang, func(t *testing.T) {
			p := supportPage(t, s, lang)
			if p == nil {
				t.Fatalf("no support page in %s", lang)
			}
			ref, err := cat.T(lang, "bank_transfer_reference", nil)
			if err != nil {
				t.Fatal(err)
			}
			var section *html.Node
			for _, n := range elements(p.doc, "section") {
				if hasToken(get(n, "class"), "bank-transfer") {
					section = n
				}
			}
			if section == nil {
				t.Fatalf("%s: no <section class=\"bank-transfer\"> although an account is set", p.where())
			}
			all := webtest.Text(section)
			for _, want := range []string{exampleHolder, compact, exampleBIC, ref} {
				if !strings.Contains(all, want) {
					t.Errorf("%s: the section does not show %q:\n%s", p.where(), want, all)
				}
			}

			// The IBAN: one element whose text is the number without spaces (what
			// a copy gives), made of groups of four that CSS spaces apart.
			iban := byClass(section, "iban")
			if iban == nil {
				t.Fatalf("%s: no element with class iban", p.where())
			}
			if got := webtest.Text(iban); got != compact {
				t.Errorf("%s: the IBAN copies as %q, want %q (no spaces)", p.where(), got, compact)
			}
			var groups []string
			for c := iban.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && c.Data == "span" {
					groups = append(groups, webtest.Text(c))
				} else if c.Type == html.TextNode {
					t.Errorf("%s: text %q between the IBAN's groups would be copied with it", p.where(), c.Data)
				}
			}
			if got, want := strings.Join(groups, " "), exampleIBAN; got != want {
				t.Errorf("%s: the IBAN reads in groups as %q, want %q", p.where(), got, want)
			}
			if got := webtest.Text(byClass(section, "bic")); got != exampleBIC {
				t.Errorf("%s: BIC %q, want %q", p.where(), got, exampleBIC)
			}
			if got := webtest.Text(byClass(section, "reference")); got != ref {
				t.Errorf("%s: communication %q, want %q", p.where(), got, ref)
			}

			// The QR code: an image of this site, with alt text naming the account.
			imgs := elements(section, "img")
			if len(imgs) != 1 {
				t.Fatalf("%s: %d images in the section, want the QR code alone", p.where(), len(imgs))
			}
			img := imgs[0]
			alt := get(img, "alt")
			for _, want := range []string{exampleHolder, exampleIBAN, ref} {
				if !strings.Contains(alt, want) {
					t.Errorf("%s: the QR code's alt text %q does not name %q", p.where(), alt, want)
				}
			}
			want := strings.Join([]string{"BCD", "002", "1", "SCT", exampleBIC, exampleHolder, compact, "", "", "", ref}, "\n")
			srcs := []string{get(img, "src")}
			for _, src := range elements(section, "source") {
				srcs = append(srcs, get(src, "srcset"))
			}
			for _, src := range srcs {
				u, err := p.url.Parse(src)
				if err != nil || !s.internal(u) {
					t.Errorf("%s: the QR code %q is not on this site", p.where(), src)
					continue
				}
				file, ok, hint := s.lookup(u)
				if !ok {
					t.Errorf("%s: the QR code %q is not in the build: %s", p.where(), src, hint)
					continue
				}
				got, err := decodeQR(s.files[file])
				if err != nil {
					t.Errorf("%s: %s cannot be read as a QR code: %v", p.where(), file, err)
					continue
				}
				if got != want {
					t.Errorf("%s: %s holds\n%q\nwant\n%q", p.where(), file, got, want)
				}
				t.Logf("%s: %s decodes to:\n%s", lang, file, numbered(got))
			}

			// The page keeps every rule the real build is held to.
			report(t, p.where(), checkEssentials(s, p))
			report(t, p.where(), checkAlt(p))
			report(t, p.where(), checkImages(s, p))
			report(t, p.where(), checkInline(p))
			report(t, p.where(), checkLinks(s, p))
			report(t, p.where(), checkOrigins(s, p))
			if n := len(elements(section, "script")); n > 0 {
				t.Errorf("%s: the section has %d scripts; it must work without JavaScript", p.where(), n)
			}
		})
	}
}

// byClass returns the first element under n with the class, or nil.
func byClass(n *html.Node, class string) *html.Node {
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && hasToken(get(d, "class"), class) {
			return d
		}
	}
	return nil
}

// decodeQR reads the text of the QR code in a PNG or WebP file, as UTF-8.
func decodeQR(b []byte) (string, error) {
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	hints := map[gozxing.DecodeHintType]any{
		gozxing.DecodeHintType_CHARACTER_SET: "UTF-8",
		gozxing.DecodeHintType_PURE_BARCODE:  true,
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// numbered shows the EPC lines with their field numbers, for the log.
func numbered(text string) string {
	var b strings.Builder
	for i, l := range strings.Split(text, "\n") {
		fmt.Fprintf(&b, "%2d %q\n", i+1, l)
	}
	return b.String()
}

// supportPage is the built support page in lang: the page at the url of
// content/<lang>/support.md.
func supportPage(t *testing.T, s *site, lang string) *page {
	t.Helper()
	dir, err := hugobuild.Root(".")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, s.language(lang).ContentDir, "support.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "url:"); ok {
			file := strings.TrimPrefix(strings.Trim(strings.TrimSpace(v), `"'`), "/") + "index.html"
			return s.byFile[file]
		}
	}
	t.Fatalf("content/%s/support.md has no url line", lang)
	return nil
}

// accountBuild is the site built once with the example account.
var accountBuild struct {
	once sync.Once
	site *site
	err  error
}

// withAccount builds a copy of the site with the example account: a second
// config file on top of config.toml, which itself stays untouched.
func withAccount(t *testing.T) *site {
	t.Helper()
	accountBuild.once.Do(func() {
		accountBuild.site, accountBuild.err = buildWithAccount()
	})
	if accountBuild.err != nil {
		t.Fatal(accountBuild.err)
	}
	return accountBuild.site
}

func buildWithAccount() (*site, error) {
	dir, err := hugobuild.Root(".")
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "sitetest-bank-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	overlay := filepath.Join(tmp, "account.toml")
	account := fmt.Sprintf("[params.donation]\naccountHolder = %q\niban = %q\nbic = %q\n", exampleHolder, exampleIBAN, exampleBIC)
	if err := os.WriteFile(overlay, []byte(account), 0o644); err != nil {
		return nil, err
	}
	dest := filepath.Join(tmp, "public")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if _, err := hugobuild.Build(ctx, dir, dir, dest, "--config", filepath.Join(dir, "config.toml")+","+overlay); err != nil {
		return nil, err
	}
	cfg, err := siteconfig.Load(root.Files)
	if err != nil {
		return nil, err
	}
	cfg.Params.Donation.AccountHolder, cfg.Params.Donation.IBAN, cfg.Params.Donation.BIC = exampleHolder, exampleIBAN, exampleBIC
	files, err := testutil.ReadTree(dest)
	if err != nil {
		return nil, err
	}
	return newSite(cfg, files)
}
