package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/wait"
	"github.com/followup/followup/mail/capture"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/users"
	"github.com/followup/followup/worker"
)

// noRedirect keeps 303s visible to the test.
var noRedirect = &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func seedCampaign(t *testing.T, h *apptest.Harness) scheduler.Campaign {
	t.Helper()
	ctx := context.Background()
	sv, err := h.App.Surveys.EnsureDefault(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := h.App.Scheduler.CreateEventCampaign(ctx, scheduler.Campaign{
		Name: "after delivery", SurveyID: sv.ID, State: scheduler.StateActive,
		EventKinds: []string{"delivery"}, Delay: 2 * time.Hour, Window: scheduler.AlwaysOpen(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func event(ref, locale, email string, occurred time.Time) map[string]any {
	return map[string]any{
		"external_id": "evt-" + ref, "kind": "delivery", "occurred_at": occurred.UTC().Format(time.RFC3339),
		"channel": "web", "touchpoint": "courier",
		"customer": map[string]any{"external_ref": ref, "email": email, "name": "Client " + ref, "locale": locale, "time_zone": "Europe/Paris"},
	}
}

func postJSON(t *testing.T, c *http.Client, url string, body any) (int, map[string]any) {
	t.Helper()
	var raw []byte
	switch b := body.(type) {
	case string:
		raw = []byte(b)
	default:
		raw, _ = json.Marshal(b)
	}
	resp, err := c.Post(url, "application/json", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := noRedirect.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func postForm(t *testing.T, link string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := noRedirect.PostForm(link, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// answers fills the default questionnaire with one value per item (reverse
// items mirrored, so all items mean the same) and an overall rating.
func answers(overall, agree int, comment string) url.Values {
	f := url.Values{}
	f.Set("overall", fmt.Sprint(overall))
	for _, q := range surveys.Default().Questions {
		if q.Kind == surveys.Likert5 {
			v := agree
			if q.Reverse {
				v = 6 - agree
			}
			f.Set(q.Key, fmt.Sprint(v))
		}
	}
	f.Set("comment", comment)
	return f
}

func waitMail(t *testing.T, h *apptest.Harness, n int) []*capture.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs, err := h.Capture.WaitFor(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func mailTo(t *testing.T, msgs []*capture.Message, addr string) *capture.Parsed {
	t.Helper()
	for _, m := range msgs {
		for _, to := range m.To {
			if strings.Trim(to, "<>") == addr {
				p, err := m.Parsed()
				if err != nil {
					t.Fatal(err)
				}
				return p
			}
		}
	}
	t.Fatalf("no mail to %s", addr)
	return nil
}

func surveyLinkIn(t *testing.T, p *capture.Parsed) string {
	t.Helper()
	for _, l := range p.Links() {
		if strings.Contains(l, surveys.SurveyPath) && !strings.Contains(l, "?") {
			return l
		}
	}
	t.Fatalf("no survey link in %q", p.Text())
	return ""
}

type complaintJSON struct {
	ID         int64     `json:"id"`
	ResponseID int64     `json:"response_id"`
	Priority   string    `json:"priority"`
	State      string    `json:"state"`
	DueAt      time.Time `json:"due_at"`
	OpenedAt   time.Time `json:"opened_at"`
	Email      string    `json:"customer_email"`
}

func openComplaints(t *testing.T, h *apptest.Harness) []complaintJSON {
	t.Helper()
	resp, err := h.API(t, users.CX).Get(h.URL + "/api/v1/complaints")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Complaints []complaintJSON `json:"complaints"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body.Complaints
}

// waitScored waits until every response is scored.
func waitScored(t *testing.T, h *apptest.Harness, responses int) {
	t.Helper()
	wait.Until(t, 20*time.Second, fmt.Sprintf("%d responses to be scored", responses), func() bool {
		var n int
		if err := h.Schema.DB.Get(&n, `SELECT count(*) FROM responses WHERE scored_at IS NOT NULL`); err != nil {
			t.Fatal(err)
		}
		return n >= responses
	})
}

func count(t *testing.T, h *apptest.Harness, table string) int {
	t.Helper()
	return countOf(t, h, "SELECT count(*) FROM "+table)
}

// countOf runs a count query, failing the test when it fails.
func countOf(t *testing.T, h *apptest.Harness, query string, args ...any) int {
	t.Helper()
	var n int
	if err := h.Schema.DB.Get(&n, query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestReplyTravelsFromEventToComplaint is the walking skeleton: a service
// event schedules an invitation, the sweep and the worker email it in the
// customer's language with a working signed link, a negative answer opens
// exactly one complaint, a positive one opens none, and scoring again opens
// no second complaint.
func TestReplyTravelsFromEventToComplaint(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{})
	campaign := seedCampaign(t, h)

	occurred := time.Now().Add(-3 * time.Hour) // + 2 h delay: due an hour ago
	status, body := postJSON(t, h.API(t, users.Marketing), h.URL+"/api/v1/events", event("fr-1", "fr-CA", "marie@example.com", occurred))
	if status != http.StatusAccepted || body["invitations_scheduled"] != float64(1) {
		t.Fatalf("post event: %d %v", status, body)
	}
	status, _ = postJSON(t, h.API(t, users.Marketing), h.URL+"/api/v1/events", event("en-1", "en", "john@example.com", occurred))
	if status != http.StatusAccepted {
		t.Fatalf("post event: %d", status)
	}
	var scheduledFor time.Time
	if err := h.Schema.DB.Get(&scheduledFor, `SELECT scheduled_for FROM invitations WHERE campaign_id = $1 LIMIT 1`, campaign.ID); err != nil {
		t.Fatal(err)
	}
	if want := occurred.Add(2 * time.Hour); scheduledFor.Sub(want).Abs() > time.Second {
		t.Errorf("invitation scheduled for %s, want event time + delay %s", scheduledFor, want)
	}

	msgs := waitMail(t, h, 2)
	fr := mailTo(t, msgs, "marie@example.com")
	en := mailTo(t, msgs, "john@example.com")
	if !strings.Contains(fr.Subject, "comment cela s'est-il passé") || !strings.Contains(fr.Text(), "Bonjour Client fr-1") {
		t.Errorf("French customer got %q / %q", fr.Subject, fr.Text())
	}
	if !strings.Contains(en.Subject, "how did we do") || !strings.Contains(en.Text(), "Hello Client en-1") {
		t.Errorf("English customer got %q", en.Subject)
	}
	if got := strings.Join(fr.Structure, " "); got != "multipart/alternative text/plain text/html" {
		t.Errorf("MIME structure %q, want text then HTML in multipart/alternative", got)
	}
	if id := fr.Header.Get("Message-Id"); !strings.HasPrefix(id, "<invitation-") {
		t.Errorf("Message-ID %q is not the invitation's", id)
	}

	// The French link opens the French survey page.
	frLink := surveyLinkIn(t, fr)
	status, page := get(t, frLink)
	if status != http.StatusOK || !strings.Contains(page, `lang="fr"`) || !strings.Contains(page, "êtes-vous satisfait") {
		t.Fatalf("survey page: %d %.300s", status, page)
	}
	// A negative reply.
	resp, _ := postForm(t, frLink, answers(2, 1, "Colis abîmé, personne ne répond."))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", resp.StatusCode)
	}
	status, page = get(t, h.URL+resp.Header.Get("Location"))
	if status != http.StatusOK || !strings.Contains(page, "Merci") {
		t.Errorf("thank-you page: %d %.200s", status, page)
	}
	// A positive reply.
	resp, _ = postForm(t, surveyLinkIn(t, en), answers(9, 5, "Great service."))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", resp.StatusCode)
	}

	waitScored(t, h, 2)
	list := openComplaints(t, h)
	if len(list) != 1 {
		t.Fatalf("want exactly one complaint (the negative reply), got %d: %+v", len(list), list)
	}
	c := list[0]
	if c.Email != "marie@example.com" || c.State != "open" || c.Priority != "P1" {
		t.Errorf("complaint %+v: want marie's, open, P1 (all scores at the floor)", c)
	}
	if d := c.DueAt.Sub(c.OpenedAt); d != 4*time.Hour {
		t.Errorf("P1 deadline is %s after opening, want 4h", d)
	}

	// The scoring task delivered again, directly and through the queue,
	// opens no second complaint.
	task, _ := worker.NewResponseScoreTask(h.App.Queue.Queues(), c.ResponseID)
	if err := h.App.Handlers().Score.ProcessTask(context.Background(), task); err != nil {
		t.Fatal(err)
	}
	if err := h.App.Queue.EnqueueScore(context.Background(), c.ResponseID); err != nil {
		t.Fatal(err)
	}
	h.WaitIdle(t) // the queued duplicate has been scored
	if n := count(t, h, "complaints"); n != 1 {
		t.Errorf("after duplicate scoring: %d complaints, want 1", n)
	}
	if n := count(t, h, "complaint_events"); n != 1 {
		t.Errorf("after duplicate scoring: %d audit events, want 1 (opened)", n)
	}
	var states []string
	if err := h.Schema.DB.Select(&states, `SELECT state FROM invitations ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if strings.Join(states, ",") != "answered,answered" {
		t.Errorf("invitation states %v, want both answered", states)
	}
}

// TestConcurrentScoringOpensOneComplaint: a reply stored without its scores
// (the page defers scoring when opening the complaint fails) is scored by
// many duplicate tasks at once, and exactly one complaint opens.
func TestConcurrentScoringOpensOneComplaint(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true, Scheduler: true}})
	seedCampaign(t, h)
	postJSON(t, h.API(t, users.Marketing), h.URL+"/api/v1/events", event("c-1", "en", "c1@example.com", time.Now().Add(-3*time.Hour)))
	// No worker runs: send the batch by hand, then answer.
	var batch int64
	wait.Until(t, 10*time.Second, "the sweep to queue the invitation in a batch", func() bool {
		if err := h.Schema.DB.Get(&batch, `SELECT coalesce(max(batch_id), 0) FROM invitations WHERE state = 'queued'`); err != nil {
			t.Fatal(err)
		}
		return batch != 0
	})
	task, _ := worker.NewSurveySendTask(h.App.Queue.Queues(), batch)
	handlers := h.App.Handlers()
	if err := handlers.Send.ProcessTask(context.Background(), task); err != nil {
		t.Fatal(err)
	}
	msgs := waitMail(t, h, 1)
	p, _ := msgs[0].Parsed()
	// The complaints table refuses inserts for now: the page stores the
	// reply unscored rather than lose it.
	failComplaints(t, h)
	resp, _ := postForm(t, surveyLinkIn(t, p), answers(0, 1, "Awful."))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", resp.StatusCode)
	}
	var responseID int64
	if err := h.Schema.DB.Get(&responseID, `SELECT id FROM responses WHERE scored_at IS NULL`); err != nil {
		t.Fatalf("the reply must be stored unscored when the complaint cannot open: %v", err)
	}
	restoreComplaints(t, h)
	var wg sync.WaitGroup
	created := make(chan bool, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := handlers.Score.Score(context.Background(), responseID)
			if err != nil {
				t.Error(err)
				return
			}
			created <- out.Complaint != nil && out.Complaint.Created
		}()
	}
	wg.Wait()
	close(created)
	n := 0
	for c := range created {
		if c {
			n++
		}
	}
	if n != 1 || count(t, h, "complaints") != 1 || count(t, h, "complaint_events") != 1 {
		t.Errorf("20 concurrent scorings created %d complaints (table has %d), want 1", n, count(t, h, "complaints"))
	}
}

// failComplaints makes PostgreSQL refuse new complaints, as a broken
// database object would; restoreComplaints lifts it.
func failComplaints(t *testing.T, h *apptest.Harness) {
	t.Helper()
	if _, err := h.Schema.DB.Exec(`CREATE FUNCTION refuse_complaint() RETURNS trigger LANGUAGE plpgsql AS
		$$ BEGIN RAISE EXCEPTION 'complaints are refused by the test'; END $$;
		CREATE TRIGGER refuse_complaint BEFORE INSERT ON complaints FOR EACH ROW EXECUTE FUNCTION refuse_complaint();`); err != nil {
		t.Fatal(err)
	}
}

func restoreComplaints(t *testing.T, h *apptest.Harness) {
	t.Helper()
	if _, err := h.Schema.DB.Exec(`DROP TRIGGER refuse_complaint ON complaints; DROP FUNCTION refuse_complaint();`); err != nil {
		t.Fatal(err)
	}
}
