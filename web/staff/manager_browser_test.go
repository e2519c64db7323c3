package staff_test

import (
	"encoding/csv"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/browser"
	"github.com/followup/followup/users"
)

// chartsDrawn is true when every canvas of the page holds a Chart.js chart
// that painted pixels.
const chartsDrawn = `(() => {
	const cs = [...document.querySelectorAll('canvas[data-chart]')];
	return cs.length > 0 && cs.every(c => {
		if (c.getAttribute('data-error') || !window.Chart || !Chart.getChart(c)) return false;
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
		let painted = 0;
		for (let i = 3; i < d.length; i += 4) if (d[i] > 0) painted++;
		return painted > 500;
	});
})()`

// TestManagerPagesInABrowser reads the reports with their charts, filters
// by a touchpoint, plans an action from a risk and changes it, and
// previews the weekly report, as a manager in Chromium.
func TestManagerPagesInABrowser(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true},
		Env: map[string]string{"FOLLOWUP_BAROMETER": "acknowledged_on_time>=90,satisfaction>=70"}})
	seedReports(t, h)
	mgr, _ := h.User(t, users.Manager)
	ctx := browser.New(t)
	if err := browser.SignIn(ctx, h.URL, mgr.Email, apptest.Password); err != nil {
		t.Fatal(err)
	}
	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return s
	}
	waitText := func(sel, want string) {
		t.Helper()
		if err := browser.WaitText(ctx, sel, want); err != nil {
			t.Fatal(err)
		}
	}

	do(chromedp.Navigate(h.URL + "/manager/?from=2026-10-05&to=2026-10-25&grain=week"))
	browser.WaitJS(ctx, t, chartsDrawn)
	if n := eval(`String(document.querySelectorAll('canvas[data-chart]').length)`); n != "6" {
		t.Errorf("%s charts on the dashboard, want 6", n)
	}
	// The charts hold the figures of the tables beside them.
	if got := eval(`JSON.stringify(Chart.getChart('chart-scores').data.labels)`); got != `["2026-W41","2026-W42","2026-W43"]` {
		t.Errorf("trend labels %s", got)
	}
	if got := eval(`JSON.stringify(Chart.getChart('chart-scores').data.datasets[3].data)`); got != `[50,null,45]` {
		t.Errorf("overall scores %s", got)
	}
	if got := eval(`Chart.getChart('chart-risks').data.labels[0] + '=' + Chart.getChart('chart-risks').data.datasets[0].data[0]`); got != "Time=2" {
		t.Errorf("first risk bar %s", got)
	}
	// The top risks over time: one line per risk, the empty week at 0.
	if got := eval(`JSON.stringify(Chart.getChart('chart-risk-trend').data.datasets.map(d => d.label + '=' + d.data.join('/')))`); got != `["Time=1/0/1","Financial=1/0/0"]` {
		t.Errorf("risk trend lines %s", got)
	}
	waitText("#risk-trend-table", "2026-W42")
	waitText("#trend-table", "2026-W42")
	waitText("#risks-table", "Time")
	waitText("#silent", "26 stay silent")
	waitText("#barometer", "acknowledged within their deadline")
	if p := os.Getenv("FOLLOWUP_SCREENSHOT_MANAGER"); p != "" {
		if b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			_ = os.WriteFile(p, b, 0o644)
		}
	}
	// Filter by a touchpoint from the breakdown table.
	do(chromedp.Click(chromedp.CSS(`#breakdown-table a[title="Only this touchpoint"]`)))
	waitText("p.chips", "touchpoint = Shop")
	browser.WaitJS(ctx, t, chartsDrawn)
	if got := eval(`JSON.stringify(Chart.getChart('chart-scores').data.datasets[3].data)`); got != `[20,null,null]` {
		t.Errorf("overall scores at the shop %s", got)
	}

	// Plan an action from the risks table.
	do(chromedp.Navigate(h.URL+"/manager/?from=2026-10-05&to=2026-10-25"),
		chromedp.Click(chromedp.CSS(`#risks-table a[href*="cause_value=temporal"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#a-title`)))
	if risk, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#a-cause_risk`))); risk != "temporal" {
		t.Errorf("risk pre-selected %q", risk)
	}
	if picked := eval(`document.querySelector('#a-cause_risk').selectedOptions[0].textContent`); picked != "Time" {
		t.Errorf("the risk is listed by its name: %q", picked)
	}
	do(chromedp.SendKeys(chromedp.CSS(`#a-title`), "Tell customers when it will be done"),
		chromedp.SetValue(chromedp.CSS(`#a-due_on`), "2099-10-31"),
		chromedp.Click(chromedp.CSS(`#new-action button[type=submit]`)))
	waitText("#new-action", "Owner is required") // no owner chosen: refused, nothing typed lost
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#a-title`))); v != "Tell customers when it will be done" {
		t.Errorf("title after the error %q", v)
	}
	do(chromedp.SetValue(chromedp.CSS(`#a-owner_id`), eval(`document.querySelector('#a-owner_id option:nth-child(2)').value`)),
		chromedp.SetValue(chromedp.CSS(`#a-starts_on`), "2026-10-14"),
		chromedp.Click(chromedp.CSS(`#new-action button[type=submit]`)))
	waitText("p.note", "Action plan created.")
	browser.WaitJS(ctx, t, chartsDrawn)
	waitText("#effect-table", "Replies showing the risk")
	waitText("#verdict", "Too few replies")
	do(chromedp.SetValue(chromedp.CSS(`#e-state`), "in_progress"), chromedp.Click(chromedp.CSS(`#edit-action button[type=submit]`)))
	waitText("p.note", "Changes saved.")
	waitText("#state", "In progress")
	do(chromedp.Navigate(h.URL + "/manager/actions"))
	waitText("#open-actions", "Tell customers when it will be done")

	// The weekly report, as the managers receive it, with its charts.
	do(chromedp.Navigate(h.URL + "/manager/report?week=2026-W43"))
	browser.WaitJS(ctx, t, `(() => { const d = document.querySelector('#report-frame').contentDocument;
		return !!d && !!d.body && d.body.innerText.includes('What changed') && d.images.length === 2 &&
			[...d.images].every(i => i.complete && i.naturalWidth > 500); })()`)
}

// TestManagerCSVExports downloads what the charts show.
func TestManagerCSVExports(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	seedReports(t, h)
	c, _ := signedIn(t, h, users.Manager)
	get := func(name string) [][]string {
		t.Helper()
		resp, err := c.Get(h.URL + "/manager/export/" + name + "?from=2026-10-05&to=2026-10-25&by=team")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
			b, _ := io.ReadAll(resp.Body)
			t.Fatalf("%s: %d %s %s", name, resp.StatusCode, resp.Header, b)
		}
		rows, err := csv.NewReader(resp.Body).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	trend := get("trend.csv")
	if len(trend) != 4 || trend[0][0] != "period" || trend[1][0] != "2026-W41" || trend[1][8] != "50" || trend[2][2] != "0" || trend[2][8] != "" {
		t.Errorf("trend.csv: %v", trend)
	}
	teams := get("breakdown.csv")
	if teams[0][0] != "team" || teams[1][0] != "south" || teams[2][0] != "north" || teams[2][1] != "2" {
		t.Errorf("breakdown.csv: %v", teams)
	}
	rt := get("risk-trend.csv")
	if len(rt) != 7 || strings.Join(rt[0], ",") != "period,start,risk,label,replies,complaints" ||
		strings.Join(rt[1], ",") != "2026-W41,2026-10-05,temporal,Time,1,1" || strings.Join(rt[3], ",") != "2026-W42,2026-10-12,temporal,Time,0,0" ||
		strings.Join(rt[6], ",") != "2026-W43,2026-10-19,financial,Financial,0,0" {
		t.Errorf("risk-trend.csv: %v", rt)
	}
	risks := get("risks.csv")
	if len(risks) != 14 || risks[1][0] != "temporal" || risks[1][2] != "2" {
		t.Errorf("risks.csv: %v", risks)
	}
	get("reliability.csv")
	resp, err := c.Get(h.URL + "/manager/export/secrets.csv")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown export: %d", resp.StatusCode)
	}
}
