package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
)

// TestFridayEveningComplaintIsDueMonday: with the default calendar (Paris,
// Monday to Friday 09:00-18:00), a P1 complaint opened on Friday at 18:00,
// at closing time, is due 4 business hours later: Monday at 13:00, not in
// the night. The acknowledgement, sent at once, says so in the customer's
// language and zone: "lundi avant 13 h" in French, "by 13:00 on Monday" in
// English.
func TestFridayEveningComplaintIsDueMonday(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	friday := time.Date(2026, 12, 4, 18, 0, 0, 0, paris)
	clk := clock.NewFake(friday)
	h := apptest.Start(t, apptest.Options{Clock: clk, Env: map[string]string{"FOLLOWUP_ACK_DELAY": "0s", "FOLLOWUP_BUSINESS_CALENDAR": "fr"}})
	seedCampaign(t, h)
	for _, tc := range []struct{ ref, locale, survey, ack, promise, when string }{
		{"vendredi", "fr", "comment cela s'est-il passé", "Nous avons bien reçu votre demande", "vous contactera lundi avant 13 h au plus tard", "lundi avant 13 h"},
		{"friday", "en", "how did we do", "We have received your request", "will contact you by 13:00 on Monday at the latest", "by 13:00 on Monday"},
	} {
		email := tc.ref + "@example.com"
		if status, body := postJSON(t, h.API(t, users.Marketing), h.URL+"/api/v1/events",
			event(tc.ref, tc.locale, email, friday.Add(-3*time.Hour))); status != http.StatusAccepted {
			t.Fatalf("event: %d %v", status, body)
		}
		link := surveyLinkIn(t, h.WaitMail(t, email, tc.survey))
		if resp, page := postForm(t, link, answers(1, 1, "Nothing arrived and nobody answers.")); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("answer: %d %.300s", resp.StatusCode, page)
		}
		var c struct {
			Priority int       `db:"priority"`
			DueAt    time.Time `db:"due_at"`
		}
		if err := h.Schema.DB.Get(&c, `SELECT k.priority, k.due_at FROM complaints k JOIN customers cu ON cu.id = k.customer_id
			WHERE cu.external_ref = $1`, tc.ref); err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2026, 12, 7, 13, 0, 0, 0, paris); c.Priority != 1 || !c.DueAt.Equal(want) {
			t.Fatalf("%s: P%d due %s, want P1 due %s (Monday, 4 business hours after Friday's closing)", tc.ref, c.Priority, c.DueAt.In(paris), want)
		}
		ack := h.WaitMail(t, email, tc.ack)
		if txt := strings.Join(strings.Fields(ack.Text()), " "); !strings.Contains(txt, tc.promise) {
			t.Errorf("%s: acknowledgement does not say %q:\n%s", tc.ref, tc.promise, ack.Text())
		}
		if html := ack.HTML(); !strings.Contains(html, "<strong>"+tc.when+"</strong>") {
			t.Errorf("%s: the HTML acknowledgement does not say %q:\n%s", tc.ref, tc.when, html)
		}
	}
}
