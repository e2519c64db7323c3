package web_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/browser"
	"github.com/followup/followup/internal/wait"
	"github.com/followup/followup/users"
)

// violations collects what the browser's console says about the
// Content-Security-Policy.
type violations struct {
	mu   sync.Mutex
	seen []string
}

func watchCSP(ctx context.Context) *violations {
	v := &violations{}
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			v.mu.Lock()
			v.seen = append(v.seen, m.Text)
			v.mu.Unlock()
		}
	}()
	return v
}

// until returns what the console said up to (and without) a mark logged
// by the page: every message before it has arrived.
func (v *violations) until(t *testing.T, ctx context.Context, mark string) []string {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`console.log(%q), true`, mark))); err != nil {
		t.Fatal(err)
	}
	var out []string
	wait.Until(t, 10*time.Second, "the console mark "+mark, func() bool {
		v.mu.Lock()
		defer v.mu.Unlock()
		out = out[:0]
		for _, s := range v.seen {
			if s == mark {
				return true
			}
			if strings.Contains(s, "Content Security Policy") {
				out = append(out, s)
			}
		}
		return false
	})
	v.mu.Lock()
	v.seen = nil
	v.mu.Unlock()
	return out
}

// TestPagesWorkUnderTheirCSP: the customers' survey page and the staff's
// pages (charts, the action plan's delete confirmation, an email preview)
// run under their Content-Security-Policy with no violation: the policy
// blocks nothing they need, and what it blocks (a planted inline style)
// is seen.
func TestPagesWorkUnderTheirCSP(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	link := invite(t, h, customer{ref: "csp", locale: "fr"}, 1)
	plan := newPlanTitled(t, h, users.CX, "Call back within 4 hours")
	var campaign int64
	if err := h.Schema.DB.QueryRow(`SELECT min(id) FROM campaigns`).Scan(&campaign); err != nil {
		t.Fatal(err)
	}
	ctx := browser.New(t)
	csp := watchCSP(ctx)
	p := browser.Page{T: t, Ctx: ctx}

	p.Do(chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`form button[type=submit]`)))
	brand, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()`))
	if err != nil || brand != "#1f5fa8" {
		t.Errorf("the brand colour on the survey page: %q %v (brand.css not applied?)", brand, err)
	}
	if got := csp.until(t, ctx, "survey-done"); len(got) > 0 {
		t.Errorf("survey page: %s", strings.Join(got, "\n"))
	}

	// The watcher sees what the policy blocks.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.head.insertAdjacentHTML('beforeend', '<style>p{color:red}</style>'), true`)); err != nil {
		t.Fatal(err)
	}
	if got := csp.until(t, ctx, "canary-done"); len(got) != 1 {
		t.Errorf("the planted inline style: %d violations seen, want 1: %q", len(got), got)
	}

	u, _ := h.User(t, users.Manager)
	if err := browser.SignIn(ctx, h.URL, u.Email, apptest.Password); err != nil {
		t.Fatal(err)
	}
	p.Do(chromedp.Navigate(h.URL+"/manager/"), chromedp.WaitVisible(chromedp.CSS(`main`)))
	browser.WaitJS(ctx, t, `[...document.querySelectorAll('canvas[data-chart]')].every(c => c.hasAttribute('data-drawn') || c.hasAttribute('data-error'))`)
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('canvas[data-error]').length`)); err != nil || n != 0 {
		t.Errorf("charts that failed to draw: %d %v", n, err)
	}
	if got := csp.until(t, ctx, "manager-done"); len(got) > 0 {
		t.Errorf("managers' page: %s", strings.Join(got, "\n"))
	}

	p.Do(chromedp.Navigate(fmt.Sprintf("%s/marketing/campaigns/%d/preview", h.URL, campaign)), chromedp.WaitVisible(chromedp.CSS(`iframe.mail`)))
	if got := csp.until(t, ctx, "preview-done"); len(got) > 0 {
		t.Errorf("email preview: %s", strings.Join(got, "\n"))
	}

	// Deleting a plan asks first (manager.js, no inline handler): declined,
	// nothing happens; accepted, the plan is deleted.
	p.Do(chromedp.Navigate(fmt.Sprintf("%s/actions/%d", h.URL, plan)), chromedp.WaitVisible(chromedp.CSS(`#delete-action`)))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.asked = ''; window.confirm = q => { window.asked = q; return false; }; true`)); err != nil {
		t.Fatal(err)
	}
	p.Do(chromedp.Click(chromedp.CSS(`#delete-action button[type=submit]`)))
	browser.WaitJS(ctx, t, `window.asked.startsWith('Delete this action plan')`)
	if n := rows(t, h, "action_plans"); n != 1 {
		t.Fatalf("declined: %d action plans, want 1", n)
	}
	if got := csp.until(t, ctx, "actions-done"); len(got) > 0 {
		t.Errorf("action plan page: %s", strings.Join(got, "\n"))
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.confirm = () => true; true`)); err != nil {
		t.Fatal(err)
	}
	p.Do(chromedp.Click(chromedp.CSS(`#delete-action button[type=submit]`)))
	wait.Until(t, 20*time.Second, "the plan deleted", func() bool { return rows(t, h, "action_plans") == 0 })
}
