package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/browser"
	"github.com/followup/followup/users"
)

// calmReply answers a survey as ref with fair ratings and a comment the
// reading takes for no complaint, and returns the response's id.
func calmReply(t *testing.T, h *apptest.Harness, ref, comment string) int64 {
	t.Helper()
	submit(t, invite(t, h, customer{ref: ref, locale: "en"}, 1), reply(10, 5, comment))
	var id int64
	if err := h.Schema.DB.Get(&id, `SELECT r.id FROM responses r JOIN customers c ON c.id = r.customer_id WHERE c.external_ref = $1`, ref); err != nil {
		t.Fatal(err)
	}
	var complaints int
	if err := h.Schema.DB.Get(&complaints, `SELECT count(*) FROM complaints WHERE response_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if complaints != 0 {
		t.Fatalf("the reading took %q for a complaint: the test needs a reply it misses", comment)
	}
	return id
}

// TestCorrectionsThroughTheAPI corrects the reading of a fair reply whose
// comment the reading missed: a bad kind is a 400 naming the field, an
// unknown reply a 404; "missed going public" opens exactly one complaint,
// alerted and acknowledged as usual, and sending it again changes
// nothing; "not a complaint" on it only adds to its trail. The complaint's
// detail lists the corrections; the reports count them.
func TestCorrectionsThroughTheAPI(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true, Worker: true}, Env: map[string]string{"FOLLOWUP_ACK_DELAY": "0s"}})
	cx := h.API(t, users.CX)
	agent, _ := h.User(t, users.CX)
	h.User(t, users.Manager)
	id := calmReply(t, h, "calm", "Thank you, everything was perfect.")
	base := fmt.Sprintf("%s/api/v1/responses/%d/corrections", h.URL, id)

	if status, body := act(t, cx, "POST", base, map[string]any{"kind": "maybe_public"}); status != 400 || body["field"] != "kind" {
		t.Errorf("a bad kind: %d %v", status, body)
	}
	if status, body := act(t, cx, "POST", base, map[string]any{"kind": "missed_public", "why": "x"}); status != 400 || body["field"] != "why" {
		t.Errorf("an unknown field: %d %v", status, body)
	}
	if status, body := act(t, cx, "POST", fmt.Sprintf("%s/api/v1/responses/%d/corrections", h.URL, id+1000), map[string]any{"kind": "missed_public"}); status != 404 {
		t.Errorf("an unknown reply: %d %v", status, body)
	}

	status, body := act(t, cx, "POST", base, map[string]any{"kind": "missed_public"})
	if status != 201 || body["created"] != true {
		t.Fatalf("missed_public: %d %v", status, body)
	}
	stored, _ := body["correction"].(map[string]any)
	opened, _ := body["opened_complaint_id"].(float64)
	if stored["kind"] != "missed_public" || stored["response_id"] != float64(id) || stored["by"] != "Test cx" || opened == 0 ||
		stored["complaint_id"] != opened {
		t.Fatalf("the correction stored: %v", body)
	}
	status, again := act(t, cx, "POST", base, map[string]any{"kind": "missed_public"})
	if status != 200 || again["created"] != false || again["opened_complaint_id"] != nil ||
		again["correction"].(map[string]any)["id"] != stored["id"] {
		t.Errorf("the same correction again: %d %v", status, again)
	}
	queue := list(t, h, "")
	if len(queue) != 1 || float64(queue[0].ID) != opened || !strings.Contains(strings.Join(queue[0].Escalations, ","), "public") ||
		(queue[0].Priority != "P1" && queue[0].Priority != "P2") {
		t.Fatalf("the queue: %+v", queue)
	}
	// The internal loop as for any complaint: the team alerted, the
	// customer acknowledged.
	h.WaitMail(t, agent.Email, fmt.Sprintf("complaint #%d", int64(opened)))
	h.WaitMail(t, "calm@example.com", "We have received your request")

	if status, body := act(t, cx, "POST", base, map[string]any{"kind": "not_complaint"}); status != 201 || body["opened_complaint_id"] != nil {
		t.Errorf("not_complaint: %d %v", status, body)
	}
	var detail struct {
		State       string `json:"state"`
		DecidedBy   string `json:"decided_by"`
		Corrections []struct {
			Kind string `json:"kind"`
			By   string `json:"by"`
		} `json:"corrections"`
		Audit []struct {
			Kind string         `json:"kind"`
			Data map[string]any `json:"data"`
		} `json:"audit"`
		Messages []struct {
			Kind string `json:"kind"`
		} `json:"messages"`
	}
	if status := getJSON(t, cx, fmt.Sprintf("%s/api/v1/complaints/%d", h.URL, int64(opened)), &detail); status != 200 {
		t.Fatalf("detail: %d", status)
	}
	if len(detail.Corrections) != 2 || detail.Corrections[0].Kind != "missed_public" || detail.Corrections[1].Kind != "not_complaint" ||
		detail.Corrections[1].By != "Test cx" {
		t.Errorf("corrections in the detail: %+v", detail.Corrections)
	}
	// The reading stored with the reply is the model's: it did not find
	// the reply negative.
	if detail.DecidedBy != "" || detail.State != "open" {
		t.Errorf("decided by %q, state %q", detail.DecidedBy, detail.State)
	}
	var trail []string
	for _, e := range detail.Audit {
		if e.Kind == "comment_corrected" {
			trail = append(trail, fmt.Sprint(e.Data["correction"], " ", e.Data["opened"]))
		}
	}
	if strings.Join(trail, "; ") != "missed_public true; not_complaint <nil>" {
		t.Errorf("trail: %q", trail)
	}
	if len(detail.Messages) != 1 || detail.Messages[0].Kind != "acknowledgement" {
		t.Errorf("emails about the complaint: %+v (not a complaint emails nobody)", detail.Messages)
	}

	// The managers' reports count the corrections of the period.
	var overview struct {
		Corrections map[string]int `json:"corrections"`
	}
	if status := getJSON(t, h.API(t, users.Manager), h.URL+"/api/v1/reports/overview", &overview); status != 200 ||
		overview.Corrections["missed_public"] != 1 || overview.Corrections["not_complaint"] != 1 || overview.Corrections["missed_legal"] != 0 {
		t.Errorf("overview: %d %v", status, overview.Corrections)
	}
	mgr, _ := signedIn(t, h, users.Manager)
	if status, page := pageGet(t, mgr, h.URL+"/manager/"); status != 200 ||
		!strings.Contains(page, "Comment reading corrected by agents: 1 not a complaint, 1 missed going public, 0 missed legal action, 0 missed leaving.") {
		t.Errorf("reports page: %d, no count of corrections", status)
	}
}

// TestCorrectionFormsKeepToTheCXPages: the page form returns to the page
// it came from, never elsewhere, and refuses a bad kind in words.
func TestCorrectionFormsKeepToTheCXPages(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	id := calmReply(t, h, "quiet", "Nothing to add, thanks.")
	c, csrf := signedIn(t, h, users.CX)
	post := fmt.Sprintf("%s/cx/responses/%d/corrections", h.URL, id)
	for _, tc := range []struct{ back, want string }{
		{"/cx/replies?page=1", fmt.Sprintf("/cx/replies?done=correct&page=1#reply-%d", id)},
		{"https://evil.example/cx/", fmt.Sprintf("/cx/replies?done=correct#reply-%d", id)},
		{"//evil.example/cx/", fmt.Sprintf("/cx/replies?done=correct#reply-%d", id)},
	} {
		status, loc := pagePost(t, c, post, url.Values{"csrf": {csrf}, "kind": {"not_complaint"}, "back": {tc.back}})
		if status != http.StatusSeeOther || loc != tc.want {
			t.Errorf("back %q: %d %q, want %q", tc.back, status, loc, tc.want)
		}
	}
	if status, _ := pagePost(t, c, post, url.Values{"csrf": {csrf}, "kind": {"whatever"}}); status != http.StatusBadRequest {
		t.Errorf("a bad kind: %d", status)
	}
	status, page := pageGet(t, c, h.URL+"/cx/replies")
	if status != 200 || !strings.Contains(page, "Nothing to add, thanks.") || !strings.Contains(page, "Not a complaint <span class=\"muted\">· Test cx") {
		t.Errorf("replies page: %d\n%s", status, page)
	}
}

// TestCorrectingTheReadingInABrowser: an agent finds, among the replies
// that opened no complaint, one whose comment the reading missed, and
// clicks "Missed: going public": the complaint opens and its page shows
// the correction, in its reading box and in its history.
func TestCorrectingTheReadingInABrowser(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	agent, _ := h.User(t, users.CX)
	id := calmReply(t, h, "subtle", "Thank you, everything was perfect.")

	ctx := browser.New(t)
	if err := browser.SignIn(ctx, h.URL, agent.Email, apptest.Password); err != nil {
		t.Fatal(err)
	}
	page := browser.Page{T: t, Ctx: ctx}
	do, text, waitText := page.Do, page.Text, page.WaitText

	do(chromedp.Navigate(h.URL+"/cx/"), chromedp.WaitVisible(chromedp.CSS(`#replies-link`)))
	do(chromedp.Click(chromedp.CSS(`#replies-link`)), chromedp.WaitVisible(chromedp.CSS(`#replies`)))
	row := fmt.Sprintf(`#reply-%d`, id)
	if got := text(row); !strings.Contains(got, "Thank you, everything was perfect.") || !strings.Contains(got, "Missed: going public") || strings.Contains(got, "Not a complaint") {
		t.Errorf("reply row: %q", got)
	}
	do(chromedp.Click(chromedp.CSS(row + ` button[data-kind="missed_public"]`)))
	waitText("#flash", "Complaint opened from your correction")
	if got := text(`#reading`); !strings.Contains(got, "Missed: going public · Test cx") || !strings.Contains(got, "did not find this reply negative") {
		t.Errorf("reading box: %q", got)
	}
	if got := text(`#audit`); !strings.Contains(got, "Comment reading corrected") || !strings.Contains(got, "this correction opened the complaint") {
		t.Errorf("history: %q", got)
	}
	if got := text(`#flagged`); !strings.Contains(got, "intends to go public") {
		t.Errorf("why it was flagged: %q", got)
	}

	do(chromedp.Click(chromedp.CSS(`#reading button[data-kind="not_complaint"]`)))
	waitText("#flash", "Correction of the comment reading recorded")
	if got := text(`#reading .corrections`); !strings.Contains(got, "Missed: going public") || !strings.Contains(got, "Not a complaint") {
		t.Errorf("corrections: %q", got)
	}
	if st := text(`#state`); st != "open" {
		t.Errorf("state after not a complaint: %q", st)
	}
}
