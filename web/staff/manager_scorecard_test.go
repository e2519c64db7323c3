package staff_test

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/reportfix"
	"github.com/followup/followup/users"
)

// TestScorecardPageCSVAndAPI reads the scorecard as managers do: the page,
// its CSV and its JSON; marketing may not read people's scores.
func TestScorecardPageCSVAndAPI(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	fx := reportfix.New(t, h.Schema.DB)
	day := func(d int) time.Time { return time.Date(2026, 10, d, 10, 0, 0, 0, time.UTC) }
	zoe := fx.User("zoe@x.test", "Zoé =Agent", "cx")
	fx.User("yann@x.test", "Yann", "cx") // nothing in the period
	r := fx.Reply(reportfix.Reply{At: day(5), Overall: reportfix.Score(10), Negative: true, Team: "north"})
	k := fx.Complaint(reportfix.Complaint{Response: r, OwnerID: &zoe, OpenedAt: day(5), DueAt: day(6), AcknowledgedAt: ptrTime(day(5)),
		ResolvedAt: ptrTime(day(7)), Recovery: "positive", Compensation: 2550})
	if _, err := h.Schema.DB.Exec(`UPDATE complaints SET team = 'north', advice = '{"suggested_cents": 2000, "max_cents": 2500}' WHERE id = $1`, k); err != nil {
		t.Fatal(err)
	}
	c, _ := signedIn(t, h, users.Manager)
	get := func(c *http.Client, path string) (int, string, http.Header) {
		t.Helper()
		resp, err := c.Get(h.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header
	}
	status, page, _ := get(c, "/manager/scorecard?from=2026-10-01&to=2026-10-31")
	for _, want := range []string{"Zoé =Agent", "Yann", "north", "100.0 %", "25.50 / 20.00", "/manager/export/scorecard.csv?"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if status != http.StatusOK {
		t.Fatalf("page: %d", status)
	}
	status, body, header := get(c, "/manager/export/scorecard.csv?from=2026-10-01&to=2026-10-31")
	if status != http.StatusOK || !strings.HasPrefix(header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(header.Get("Content-Disposition"), "followup-2026-10-01-2026-10-31-scorecard.csv") {
		t.Fatalf("csv: %d %v %s", status, header, body)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"line,key,name,handled,acknowledgement_due,acknowledged_on_time,acknowledged_on_time_rate,resolved_on_time,resolved_on_time_rate,recovery_answered,recovery_positive,recovery_rate,compensation_granted,compensation_advised,compensation_above_advice,reopened",
		"agent,2,Yann,0,0,0,,0,,0,0,,,,0,0",
		"agent,1,Zoé =Agent,1,1,1,1,0,0,1,1,1,25.50 EUR,20.00 EUR,1,0",
		"team,north,north,1,1,1,1,0,0,1,1,1,25.50 EUR,20.00 EUR,1,0",
		"total,,total,1,1,1,1,0,0,1,1,1,25.50 EUR,20.00 EUR,1,0",
	}
	var got []string
	for _, row := range rows {
		got = append(got, strings.Join(row, ","))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("csv:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	status, body, _ = get(h.API(t, users.Manager), "/api/v1/reports/scorecard?from=2026-10-01&to=2026-10-31")
	var sc struct {
		Agents []struct {
			Label   string `json:"label"`
			Handled int    `json:"handled"`
		} `json:"agents"`
	}
	if status != http.StatusOK || json.Unmarshal([]byte(body), &sc) != nil || len(sc.Agents) != 2 || sc.Agents[1].Handled != 1 {
		t.Errorf("api: %d %s", status, body)
	}
	if status, _, _ := get(h.API(t, users.Marketing), "/api/v1/reports/scorecard"); status != http.StatusForbidden {
		t.Errorf("marketing reads the scorecard: %d", status)
	}
	if status, _, _ := get(h.API(t, users.Manager), "/api/v1/reports/scorecard?from=2026-10-31&to=2026-10-01"); status != http.StatusBadRequest {
		t.Errorf("a period backwards: %d", status)
	}
}

func ptrTime(t time.Time) *time.Time { return &t }
