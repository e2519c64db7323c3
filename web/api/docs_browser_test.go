package api_test

import (
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
)

// TestDocsPageShowsTheContractUnderItsCSP: /api/docs (Swagger UI, served
// from the binary) loads the contract and lists every operation, with no
// Content-Security-Policy violation in the console.
func TestDocsPageShowsTheContractUnderItsCSP(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	ops := 0
	for _, item := range h.Contract(t).Doc.Paths.Map() {
		ops += len(item.Operations())
	}
	ctx := browser.New(t)
	var mu sync.Mutex
	var console []string
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			mu.Lock()
			console = append(console, m.Text)
			mu.Unlock()
		}
	}()
	p := browser.Page{T: t, Ctx: ctx}
	p.Do(chromedp.Navigate(h.URL+"/api/docs"), chromedp.WaitVisible(chromedp.CSS(`.opblock`)))
	browser.WaitJS(ctx, t, fmt.Sprintf(`document.querySelectorAll('.opblock').length === %d`, ops))
	if title := p.Text(`.info .title`); !strings.Contains(title, "followup API") {
		t.Errorf("the page's title: %q", title)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`console.log("docs-done"), true`)); err != nil {
		t.Fatal(err)
	}
	wait.Until(t, 10*time.Second, "the console mark", func() bool {
		mu.Lock()
		defer mu.Unlock()
		for _, s := range console {
			if s == "docs-done" {
				return true
			}
		}
		return false
	})
	mu.Lock()
	defer mu.Unlock()
	for _, s := range console {
		if strings.Contains(s, "Content Security Policy") {
			t.Errorf("CSP violation: %s", s)
		}
	}
}
