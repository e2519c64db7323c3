package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/clock"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/campaignfix"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/users"
)

// TestCampaignStatsAPI reads the figures of a campaign with a known
// fortnight (see campaignfix) through GET /api/v1/campaigns/{id}/stats.
func TestCampaignStatsAPI(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}, Clock: clock.NewFake(now)})
	fx := campaignfix.Build(t, h.Schema.DB, now)
	url := fmt.Sprintf("%s/api/v1/campaigns/%d/stats", h.URL, fx.CampaignID)
	mk := h.API(t, users.Marketing)

	read := func(query string) (int, []byte) {
		t.Helper()
		resp, err := mk.Get(url + query)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var raw json.RawMessage
		if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
			t.Fatalf("stats%s: %v", query, err)
		}
		return resp.StatusCode, raw
	}
	status, raw := read("?days=7")
	if status != http.StatusOK {
		t.Fatalf("stats: %d %s", status, raw)
	}
	// The names API clients read, with every figure.
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("stats are not JSON: %v", err)
	}
	for name, want := range map[string]any{
		"scheduled": 3.0, "sent": 11.0, "reminders_sent": 5.0, "answered": 5.0, "negative": 2.0, "failed": 3.0, "expired": 1.0,
		"response_rate": 0.4545, "negative_rate": 0.4,
		"suppressed": map[string]any{"opted_out": 2.0, "address_bounced": 1.0, "frequency_cap": 1.0},
		"failed_by":  map[string]any{"bounced": 2.0, "temporary": 1.0},
	} {
		if !reflect.DeepEqual(body[name], want) {
			t.Errorf("%s: %v, want %v", name, body[name], want)
		}
	}
	days, _ := body["days"].([]any)
	if len(days) != 7 || fmt.Sprint(days[4]) != fmt.Sprintf("map[answered:0 day:%s negative:0 sent:0]", fx.Day(-2)) ||
		fmt.Sprint(days[3]) != fmt.Sprintf("map[answered:1 day:%s negative:1 sent:4]", fx.Day(-3)) {
		t.Errorf("days: %v", days)
	}
	var got scheduler.Stats
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if want := fx.Want(); !reflect.DeepEqual(got, want) {
		t.Errorf("stats\n got %+v\nwant %+v", got, want)
	}

	// Thirty days by default, ending today.
	if status, raw := read(""); status != 200 || json.Unmarshal(raw, &got) != nil || len(got.Days) != 30 ||
		got.Days[29].Day != fx.Day(0) || got.Days[14].Day != fx.Day(-15) || got.Days[14].Sent != 1 {
		t.Errorf("default series: %d, %d days %+v", status, len(got.Days), got.Days)
	}
	for _, bad := range []string{"?days=0", "?days=367", "?days=week"} {
		if status, raw := read(bad); status != http.StatusBadRequest || json.Unmarshal(raw, &body) != nil || body["field"] != "days" {
			t.Errorf("stats%s: %d %s, want 400 naming days", bad, status, raw)
		}
	}
	for id, want := range map[string]int{"424242": http.StatusNotFound, "abc": http.StatusBadRequest} {
		resp, err := mk.Get(fmt.Sprintf("%s/api/v1/campaigns/%s/stats", h.URL, id))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("stats of campaign %s: %d, want %d", id, resp.StatusCode, want)
		}
	}
}
