package staff_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/hibiken/asynq"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/browser"
	"github.com/followup/followup/internal/wait"
	"github.com/followup/followup/users"
)

// TestQueueDashboardPauseInBrowser: an admin pauses a queue from the
// asynq dashboard in Chromium, its menu's "Pause" as a person would use
// it: the dashboard's fetch() carries no CSRF token, the browser marks it
// same-origin, and the queue is paused in Redis.
func TestQueueDashboardPauseInBrowser(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	queue := h.App.Queue.Queues().Default()
	client := asynq.NewClientFromRedisClient(h.App.Redis)
	if _, err := client.Enqueue(asynq.NewTask("test:dashboard", nil), asynq.Queue(queue), asynq.TaskID("t1")); err != nil {
		t.Fatal(err)
	}
	u, _ := h.User(t, users.Admin)
	ctx := browser.New(t)
	if err := browser.SignIn(ctx, h.URL, u.Email, apptest.Password); err != nil {
		t.Fatal(err)
	}
	p := browser.Page{T: t, Ctx: ctx}
	p.Do(chromedp.Navigate(h.URL + "/admin/queues/"))
	row := fmt.Sprintf(`document.querySelector('a[href="/admin/queues/queues/%s"]')?.closest("tr")`, queue)
	// The row's action buttons appear while the pointer is over its last
	// cell (React's onMouseEnter, from mouseover).
	browser.WaitJS(ctx, t, row+`?.querySelector("td:last-child") != null`)
	hover := row + `.querySelector("td:last-child").dispatchEvent(new MouseEvent("mouseover", {bubbles: true})), true`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](hover)); err != nil {
		t.Fatal(err)
	}
	pause := row + `?.querySelector('td:last-child button[title="Pause"]')`
	browser.WaitJS(ctx, t, pause+` != null`)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](pause+`.click(), true`)); err != nil {
		t.Fatal(err)
	}
	inspector := asynq.NewInspectorFromRedisClient(h.App.Redis)
	wait.Until(t, 20*time.Second, "the queue paused in Redis by the dashboard's button", func() bool {
		info, err := inspector.GetQueueInfo(queue)
		return err == nil && info.Paused
	})
	browser.WaitJS(ctx, t, row+`?.textContent.includes("paused")`)
}
