package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/webtest"
	"github.com/followup/followup/labels"
	"github.com/followup/followup/users"
)

// complainAbout records a service event of team for a new customer, waits
// for their survey and answers it very negatively: a P1 complaint.
func complainAbout(t *testing.T, h *apptest.Harness, ref, locale, team string, occurred time.Time, survey string) {
	t.Helper()
	ev := event(ref, locale, ref+"@example.com", occurred)
	ev["team"] = team
	if status, body := postJSON(t, h.API(t, users.Marketing), h.URL+"/api/v1/events", ev); status != http.StatusAccepted {
		t.Fatalf("event: %d %v", status, body)
	}
	link := surveyLinkIn(t, h.WaitMail(t, ref+"@example.com", survey))
	if resp, page := postForm(t, link, answers(1, 1, "Nothing arrived and nobody answers.")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer: %d %.300s", resp.StatusCode, page)
	}
}

// TestRenamedTeamInAcknowledgement: a French customer's acknowledgement
// names the team that served them in words, never by its code: words made
// from the code until an admin names it, then, from the next email on, the
// French name the admin gave on /admin/labels.
func TestRenamedTeamInAcknowledgement(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Env: map[string]string{"FOLLOWUP_ACK_DELAY": "0s"}})
	seedCampaign(t, h)
	const subject = "Nous avons bien reçu votre demande"

	complainAbout(t, h, "avant", "fr", "team-store", time.Now().Add(-3*time.Hour), "comment cela s'est-il passé")
	before := h.WaitMail(t, "avant@example.com", subject)
	if txt := before.Text(); !strings.Contains(txt, "(Team store)") || strings.Contains(txt, "team-store") {
		t.Errorf("before the team is named, the email should say its code in words:\n%s", txt)
	}

	admin, csrf := webtest.SignedIn(t, h, users.Admin)
	resp, err := admin.PostForm(h.URL+"/admin/labels", url.Values{"csrf": {csrf},
		labels.NameField(labels.Team, "fr", "team-store"): {"Boutique de Lyon"},
		labels.NameField(labels.Team, "en", "team-store"): {"Lyon store"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save the names: %d", resp.StatusCode)
	}

	complainAbout(t, h, "apres", "fr", "team-store", time.Now().Add(-3*time.Hour), "comment cela s'est-il passé")
	after := h.WaitMail(t, "apres@example.com", subject)
	for part, body := range map[string]string{"text": after.Text(), "html": after.HTML()} {
		if !strings.Contains(body, "(Boutique de Lyon)") || strings.Contains(body, "team-store") || strings.Contains(body, "Team store") {
			t.Errorf("%s part after the team was named in French:\n%s", part, body)
		}
	}
}

// TestTeamCalendarsGiveTheirOwnDeadlines: the same Friday instant (18:00
// in Paris, 12:00 in Montréal), a P1 complaint (4 business hours) of a team
// on the Québec calendar is due the same afternoon at 16:00 Montréal time,
// while one of a team on the default French calendar, whose day has ended,
// is due on Monday at 13:00 Paris time; each customer is promised their
// team's deadline.
func TestTeamCalendarsGiveTheirOwnDeadlines(t *testing.T) {
	t.Parallel()
	paris, _ := time.LoadLocation("Europe/Paris")
	montreal, _ := time.LoadLocation("America/Toronto")
	friday := time.Date(2026, 12, 4, 18, 0, 0, 0, paris)
	h := apptest.Start(t, apptest.Options{Clock: clock.NewFake(friday),
		Env: map[string]string{"FOLLOWUP_ACK_DELAY": "0s", "FOLLOWUP_BUSINESS_CALENDAR": "fr"}})
	seedCampaign(t, h)
	ctx := context.Background()
	if err := h.App.Labels.Save(ctx, labels.Edits{Calendars: []labels.TeamCalendar{{Team: "team-mtl", Spec: "qc"}}}, nil, friday); err != nil {
		t.Fatal(err)
	}
	if err := h.App.Names.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ref, team string
		want      time.Time
	}{
		{"mtl", "team-mtl", time.Date(2026, 12, 4, 16, 0, 0, 0, montreal)},
		{"paris", "team-paris", time.Date(2026, 12, 7, 13, 0, 0, 0, paris)},
	} {
		complainAbout(t, h, tc.ref, "en", tc.team, friday.Add(-3*time.Hour), "how did we do")
		var due time.Time
		if err := h.Schema.DB.Get(&due, `SELECT k.due_at FROM complaints k JOIN customers cu ON cu.id = k.customer_id
			WHERE cu.external_ref = $1 AND k.priority = 1`, tc.ref); err != nil {
			t.Fatalf("%s: P1 complaint: %v", tc.ref, err)
		}
		if !due.Equal(tc.want) {
			t.Errorf("%s: due %s, want %s", tc.team, due.In(tc.want.Location()), tc.want)
		}
		h.WaitMail(t, tc.ref+"@example.com", "We have received your request")
	}
}
