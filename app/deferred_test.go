package app_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
	"github.com/followup/followup/worker"
)

// TestReplyIsKeptWhenTheComplaintCannotOpen: when opening the complaint
// fails, the page still stores the customer's answers (unscored) and thanks
// them; the scoring task retries and opens the complaint once the failure
// clears.
func TestReplyIsKeptWhenTheComplaintCannotOpen(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{})
	seedCampaign(t, h)
	postJSON(t, h.API(t, users.Marketing), h.URL+"/api/v1/events", event("d-1", "en", "d1@example.com", time.Now().Add(-3*time.Hour)))
	msgs := waitMail(t, h, 1)
	p, _ := msgs[0].Parsed()
	failComplaints(t, h)
	resp, _ := postForm(t, surveyLinkIn(t, p), answers(1, 1, "Nobody called back. I will see you in small claims court."))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit while complaints fail: %d, want the thank-you redirect", resp.StatusCode)
	}
	if n := count(t, h, "responses"); n != 1 {
		t.Fatalf("%d responses stored, want the reply kept", n)
	}
	// The worker tries and fails at least once (the page queued the scoring).
	failed := h.App.Metrics.TaskErrors.WithLabelValues(worker.TypeResponseScore)
	eventually(t, "the worker to try scoring the reply and fail", func() bool { return testutil.ToFloat64(failed) >= 1 })
	if n := count(t, h, "complaints"); n != 0 {
		t.Fatalf("%d complaints while the table refuses them", n)
	}
	restoreComplaints(t, h)
	waitScored(t, h, 1)
	list := openComplaints(t, h)
	if len(list) != 1 || list[0].Priority != "P1" {
		t.Fatalf("after the failure cleared: %+v, want one P1 complaint", list)
	}
}
