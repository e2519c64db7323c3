package browser

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/followup/followup/internal/wait"
)

// Path finds the Chromium binary: $FOLLOWUP_CHROMIUM, else chromium or
// chromium-browser or google-chrome on PATH.
func Path() string {
	if p := os.Getenv("FOLLOWUP_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts a headless Chromium for the test and returns a chromedp
// context on a fresh tab; everything stops when the test ends. A missing
// browser fails the test: run scripts/ensure-chromium.sh.
func New(t testing.TB) context.Context {
	t.Helper()
	path := Path()
	if path == "" {
		t.Fatal("no Chromium found: run scripts/ensure-chromium.sh (or set FOLLOWUP_CHROMIUM)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	// The first call starts the browser; it must not carry a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium at %s: %v", path, err)
	}
	tctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancelTimeout)
	return tctx
}

// WaitText waits (up to 20 s: a loaded machine can be slow to answer a
// form) until the first element matching the CSS selector sel contains
// want and the page has finished loading, so the test's next click lands
// where the finished layout puts its target. It tolerates the page
// navigating meanwhile (after a click on a submit button, the old page can
// still answer for a moment). On failure it says what the element showed
// last.
func WaitText(ctx context.Context, sel, want string) error {
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q);
		return {ready: document.readyState === "complete", text: e ? e.textContent : null}; })()`, sel)
	type look struct {
		Ready bool    `json:"ready"`
		Text  *string `json:"text"`
	}
	var last error
	var seen look
	if wait.For(20*time.Second, func() bool {
		// Each try is bounded: an evaluation caught by a navigation can hang.
		try, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		l, err := chromedp.Run(try, chromedp.Evaluate[look](js))
		last = err
		if err == nil {
			seen = l
		}
		return err == nil && l.Ready && l.Text != nil && strings.Contains(*l.Text, want)
	}) {
		return nil
	}
	now := "no such element"
	if seen.Text != nil {
		now = fmt.Sprintf("%q", strings.Join(strings.Fields(*seen.Text), " "))
	}
	return fmt.Errorf("%s never showed %q (it showed %s, page loaded: %v; last error: %v)", sel, want, now, seen.Ready, last)
}

// SignIn signs in through the login page at base.
func SignIn(ctx context.Context, base, email, password string) error {
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#l-email`)),
		chromedp.SendKeys(chromedp.CSS(`#l-email`), email),
		chromedp.SendKeys(chromedp.CSS(`#l-password`), password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
	); err != nil {
		return fmt.Errorf("sign in as %s: %w", email, err)
	}
	return WaitText(ctx, "form.signout", "") // in the person's language
}

// AcceptLanguage makes the tab ask for pages in the languages of header
// (an Accept-Language value such as "fr-CA,fr;q=0.9"), as a browser set
// to them does.
func AcceptLanguage(header string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		ua, err := chromedp.Run(ctx, chromedp.Evaluate[string](`navigator.userAgent`))
		if err != nil {
			return fmt.Errorf("read the user agent: %w", err)
		}
		var tags []string // navigator.languages: the tags without their weights
		for _, part := range strings.Split(header, ",") {
			tag, _, _ := strings.Cut(part, ";")
			tags = append(tags, strings.TrimSpace(tag))
		}
		if _, err := cdp.Call(ctx, t, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: ua, AcceptLanguage: strings.Join(tags, ",")}); err != nil {
			return err
		}
		// The header of every request, navigations included.
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		_, err = cdp.Call(ctx, t, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": header}})
		return err
	})
}

// Page drives a browser tab for a test: each step that fails fails the test.
type Page struct {
	T   testing.TB
	Ctx context.Context
}

// Do runs steps.
func (p Page) Do(steps ...chromedp.Action[chromedp.Void]) {
	p.T.Helper()
	if err := chromedp.Do(p.Ctx, steps...); err != nil {
		p.T.Fatal(err)
	}
}

// Text returns the text of the first element matching the CSS selector sel.
func (p Page) Text(sel string) string {
	p.T.Helper()
	s, err := chromedp.Run(p.Ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		p.T.Fatalf("read %s: %v", sel, err)
	}
	return s
}

// WaitText waits until sel contains want (see WaitText).
func (p Page) WaitText(sel, want string) {
	p.T.Helper()
	if err := WaitText(p.Ctx, sel, want); err != nil {
		p.T.Fatal(err)
	}
}

// WaitJS waits (up to 20 s, as browser.WaitText) until the expression is
// true in the page (it tolerates navigations meanwhile).
func WaitJS(ctx context.Context, t testing.TB, js string) {
	t.Helper()
	var last error
	if !wait.For(20*time.Second, func() bool {
		try, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		ok, err := chromedp.Run(try, chromedp.Evaluate[bool](js))
		last = err
		return err == nil && ok
	}) {
		t.Fatalf("never true: %s (last error: %v)", js, last)
	}
}
