package staff_test

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hibiken/asynq"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
)

// TestQueueDashboardActions: the asynq dashboard's buttons call its API
// with fetch(), without the session's CSRF token. For an admin, a request
// the browser marks same-origin takes effect in Redis (pause a queue,
// archive a task, delete an archived task); one from another site is
// refused, and so is anyone but an admin. The same-origin check replaces
// the token under /admin/queues/ only: elsewhere a same-origin form
// without the token is still refused.
func TestQueueDashboardActions(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	queue := h.App.Queue.Queues().Default()
	client := asynq.NewClientFromRedisClient(h.App.Redis)
	inspector := asynq.NewInspectorFromRedisClient(h.App.Redis)
	// No worker runs: the task stays pending until the dashboard moves it.
	if _, err := client.Enqueue(asynq.NewTask("test:dashboard", nil), asynq.Queue(queue), asynq.TaskID("t1")); err != nil {
		t.Fatal(err)
	}
	admin, _ := signedIn(t, h, users.Admin)
	cx, _ := signedIn(t, h, users.CX)
	api := h.URL + "/admin/queues/api/queues/" + url.PathEscape(queue)
	do := func(c *http.Client, method, u string, header map[string]string) int {
		t.Helper()
		req, err := http.NewRequest(method, u, strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	paused := func() bool {
		t.Helper()
		info, err := inspector.GetQueueInfo(queue)
		if err != nil {
			t.Fatal(err)
		}
		return info.Paused
	}
	sameOrigin := map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": h.URL}
	crossSite := map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
	oldBrowser := map[string]string{"Origin": "https://evil.example"} // no Sec-Fetch-Site

	if code := do(admin, "POST", api+":pause", sameOrigin); code != http.StatusNoContent && code != http.StatusOK {
		t.Fatalf("admin pauses the queue (same origin): %d", code)
	}
	if !paused() {
		t.Fatal("the queue is not paused in Redis")
	}
	for name, header := range map[string]map[string]string{"cross-site": crossSite, "foreign Origin": oldBrowser} {
		if code := do(admin, "POST", api+":resume", header); code != http.StatusForbidden {
			t.Errorf("admin resumes from %s: %d, want 403", name, code)
		}
	}
	if code := do(cx, "POST", api+":resume", sameOrigin); code != http.StatusForbidden {
		t.Errorf("a CX agent resumes the queue: %d, want 403", code)
	}
	if !paused() {
		t.Fatal("a refused request resumed the queue")
	}
	if code := do(admin, "POST", api+":resume", sameOrigin); code != http.StatusNoContent && code != http.StatusOK {
		t.Errorf("admin resumes the queue: %d", code)
	}
	if paused() {
		t.Error("the queue is still paused")
	}

	if code := do(admin, "POST", api+"/pending_tasks/t1:archive", sameOrigin); code != http.StatusNoContent && code != http.StatusOK {
		t.Fatalf("admin archives the task: %d", code)
	}
	if info, err := inspector.GetTaskInfo(queue, "t1"); err != nil || info.State != asynq.TaskStateArchived {
		t.Fatalf("task after archive: %v %v", info, err)
	}
	if code := do(admin, "DELETE", api+"/archived_tasks/t1", crossSite); code != http.StatusForbidden {
		t.Errorf("admin deletes the task cross-site: %d, want 403", code)
	}
	if code := do(admin, "DELETE", api+"/archived_tasks/t1", sameOrigin); code != http.StatusNoContent && code != http.StatusOK {
		t.Fatalf("admin deletes the archived task: %d", code)
	}
	if _, err := inspector.GetTaskInfo(queue, "t1"); !errors.Is(err, asynq.ErrTaskNotFound) {
		t.Errorf("the deleted task: %v, want ErrTaskNotFound", err)
	}

	// Elsewhere the token is still required, whatever the browser says:
	// the guard refuses an admin's form without it, same origin or not.
	if code := do(admin, "POST", h.URL+"/admin/labels", sameOrigin); code != http.StatusForbidden {
		t.Errorf("an admin form without the CSRF token, same origin: %d, want 403", code)
	}
}
