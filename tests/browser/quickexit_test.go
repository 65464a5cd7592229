package browser

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// key presses and releases one key, as a keyboard would.
func key(name, code string, vk int64, modifiers int64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, input.DispatchKeyEventParams{
				Type: typ, Key: name, Code: code, WindowsVirtualKeyCode: vk, NativeVirtualKeyCode: vk, Modifiers: modifiers,
			}); err != nil {
				return err
			}
		}
		return nil
	})
}

var (
	escape = key("Escape", "Escape", 27, 0)
	shift  = key("Shift", "ShiftLeft", 16, 8) // 8: Shift held
)

// testQuickExit leaves a help page by the exit link (with JavaScript on and
// off), by Escape and by Shift pressed three times; with JavaScript the page
// is no longer in the history, so Back does not bring it back.
func (s *suite) testQuickExit(t *testing.T) {
	ways := []struct {
		name string
		noJS bool
		act  chromedp.Action[chromedp.Void]
	}{
		{"click", false, chromedp.Click(chromedp.ID("quick-exit"))},
		{"click", true, chromedp.Click(chromedp.ID("quick-exit"))},
		{"Escape", false, escape},
		{"Shift×3", false, chromedp.Steps(shift, shift, shift)},
	}
	for _, w := range ways {
		for _, page := range []string{"/nl/hulp/", "/fr/aide/langues/"} {
			v := phone
			v.NoJS = w.noJS
			t.Run(w.name+" "+page+" "+v.String(), func(t *testing.T) {
				t.Parallel()
				tb := s.openTab(t, v)
				tb.open("/en/")
				tb.open(page)
				exit := eval[string](tb, `document.getElementById("quick-exit").href`)
				if tb.sameOrigin(exit) {
					t.Fatalf("%s: the quick exit goes to %s, on this site", page, exit)
				}
				tb.follow("leaving by "+w.name, w.act)
				tb.waitLocation("after "+w.name, func(l string) bool { return l == exit })
				if w.noJS {
					return // without JavaScript the link is a plain link: Back returns, as with any link
				}
				entries, err := chromedp.Run(tb.ctx, chromedp.NavigationEntries())
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range entries.Entries {
					if strings.HasSuffix(e.URL, page) {
						t.Errorf("%s: still in the history after the exit: %v", page, e.URL)
					}
				}
				tb.back()
				if loc := tb.location(); strings.HasSuffix(loc, page) {
					t.Errorf("Back after the exit shows %s again", loc)
				}
			})
		}
	}
}
