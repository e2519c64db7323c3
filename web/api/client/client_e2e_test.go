package client_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/wait"
	"github.com/followup/followup/internal/webtest"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web/api/client"
)

func ptr[T any](v T) *T { return &v }

// as returns the generated client acting with the token of a person of
// role, as an integrator would set it up; the calls also go through the
// contract's check.
func as(t *testing.T, h *apptest.Harness, role users.Role) *client.ClientWithResponses {
	t.Helper()
	_, token := h.User(t, role)
	c, err := client.NewClientWithResponses(h.URL,
		client.WithHTTPClient(&http.Client{Timeout: 10 * time.Second, Transport: h.Contract(t).Transport(t, nil)}),
		client.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+token)
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTheGeneratedClientRunsTheLoop drives a real followup from the
// outside with the client generated from the contract: marketing creates a
// campaign and records a service event; the customer, emailed, answers
// badly; the CX agent finds the complaint in the queue, takes it, notes and
// resolves it; the manager reads it in the complaints report.
func TestTheGeneratedClientRunsTheLoop(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{})
	ctx := context.Background()
	marketing, cx, manager := as(t, h, users.Marketing), as(t, h, users.CX), as(t, h, users.Manager)

	list, err := marketing.ListSurveysWithResponse(ctx)
	if err != nil || list.JSON200 == nil || list.JSON200.Surveys == nil || len(*list.JSON200.Surveys) == 0 {
		t.Fatalf("list surveys: %v %d %s", err, list.StatusCode(), list.Body)
	}
	var survey client.SurveySummary
	for _, sv := range *list.JSON200.Surveys {
		if sv.Slug == surveys.Default().Slug {
			survey = sv
		}
	}
	created, err := marketing.CreateCampaignWithResponse(ctx, client.CampaignInput{
		Name: ptr("After delivery"), SurveyId: ptr(survey.Id), State: ptr("active"),
		Trigger:    &client.CampaignTriggerInput{Type: ptr("event"), EventKinds: &[]string{"delivery"}, DelayMinutes: ptr(0)},
		SendWindow: &client.SendWindowInput{StartHour: ptr(0), EndHour: ptr(24), Weekdays: &[]int{1, 2, 3, 4, 5, 6, 7}},
	})
	if err != nil || created.JSON201 == nil || created.JSON201.State == nil || *created.JSON201.State != "active" {
		t.Fatalf("create campaign: %v %d %s", err, created.StatusCode(), created.Body)
	}

	var body client.EventOrBatch
	if err := body.FromEventInput(client.EventInput{
		ExternalId: "order-1", Kind: "delivery", OccurredAt: time.Now().Add(-time.Hour).UTC().Format(time.RFC3339),
		Touchpoint: ptr("courier"),
		Customer:   client.CustomerInput{ExternalRef: "cust-1", Email: "ann@example.com", Name: ptr("Ann Client"), Locale: ptr("en")},
	}); err != nil {
		t.Fatal(err)
	}
	posted, err := marketing.PostEventsWithResponse(ctx, body)
	if err != nil || posted.JSON202 == nil {
		t.Fatalf("post event: %v %d %s", err, posted.StatusCode(), posted.Body)
	}
	accepted, err := posted.JSON202.AsEventAccepted()
	if err != nil || accepted.InvitationsScheduled != 1 || accepted.Duplicate {
		t.Fatalf("event accepted: %+v %v", accepted, err)
	}

	// The customer answers the survey they are emailed, badly.
	mail := h.WaitMail(t, "ann@example.com", "")
	var link string
	for _, l := range mail.Links() {
		if strings.Contains(l, surveys.SurveyPath) && !strings.Contains(l, "?") {
			link = l
		}
	}
	if link == "" {
		t.Fatalf("no survey link in %q", mail.Text())
	}
	form := webtest.FullAnswers(1, 1)
	for _, k := range []string{"lost_out", "bounced"} {
		form.Set(k, "5")
	}
	form.Set("comment", "The parcel arrived broken and nobody answered my calls.")
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(link, form)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer the survey: %d %s", resp.StatusCode, page)
	}

	// The CX agent finds the complaint and works it.
	var complaint client.Complaint
	wait.Until(t, 20*time.Second, "a complaint in the queue", func() bool {
		q, err := cx.ListComplaintsWithResponse(ctx, &client.ListComplaintsParams{})
		if err != nil || q.JSON200 == nil {
			t.Fatalf("list complaints: %v %d %s", err, q.StatusCode(), q.Body)
		}
		if q.JSON200.Complaints == nil || len(*q.JSON200.Complaints) == 0 {
			return false
		}
		complaint = (*q.JSON200.Complaints)[0]
		return q.JSON200.Counts.Open == 1
	})
	if complaint.CustomerEmail != "ann@example.com" || complaint.State != "open" {
		t.Fatalf("complaint %+v", complaint)
	}
	took, err := cx.TakeComplaintWithResponse(ctx, complaint.Id)
	if err != nil || took.JSON200 == nil || took.JSON200.Complaint.OwnerId == nil {
		t.Fatalf("take: %v %d %s", err, took.StatusCode(), took.Body)
	}
	noted, err := cx.NoteComplaintWithResponse(ctx, complaint.Id, client.NoteComplaintJSONRequestBody{Text: ptr("Called her back; a new parcel is on its way.")})
	if err != nil || noted.JSON200 == nil {
		t.Fatalf("note: %v %d %s", err, noted.StatusCode(), noted.Body)
	}
	resolved, err := cx.ResolveComplaintWithResponse(ctx, complaint.Id, client.ResolveComplaintJSONRequestBody{Summary: ptr("A new parcel was sent and delivered.")})
	if err != nil || resolved.JSON200 == nil || resolved.JSON200.Complaint.State != "resolved" {
		t.Fatalf("resolve: %v %d %s", err, resolved.StatusCode(), resolved.Body)
	}
	// Acting on it again is refused in the shared error shape.
	again, err := cx.ResolveComplaintWithResponse(ctx, complaint.Id, client.ResolveComplaintJSONRequestBody{Summary: ptr("A new parcel was sent and delivered.")})
	if err != nil || again.JSON409 == nil || again.JSON409.Error == "" {
		t.Fatalf("resolve twice: %v %d %s", err, again.StatusCode(), again.Body)
	}

	// The manager reads it in the complaints report.
	report, err := manager.ReportComplaintsWithResponse(ctx, &client.ReportComplaintsParams{})
	if err != nil || report.JSON200 == nil {
		t.Fatalf("report: %v %d %s", err, report.StatusCode(), report.Body)
	}
	if report.JSON200.Opened != 1 || report.JSON200.Resolved != 1 {
		t.Errorf("complaints report: %d opened, %d resolved; want 1 and 1", report.JSON200.Opened, report.JSON200.Resolved)
	}
}
