package templates

import (
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/reports"
)

func f(v float64) *float64 { return &v }

func sampleWeekly() reports.WeeklyReport {
	from := time.Date(2026, 10, 19, 0, 0, 0, 0, time.UTC)
	cleared := from.AddDate(0, 0, 3)
	return reports.WeeklyReport{
		Week: "2026-W43", Previous: "2026-W42", From: from, To: from.AddDate(0, 0, 7),
		This: reports.Figures{Replies: 40, Negative: 10, NegativeRate: f(0.25), Scores: reports.Scores{Overall: f(62.5), Distributive: f(55),
			Procedural: f(48.25), Interactional: f(80)}, Sent: 100, Answered: 40, ResponseRate: f(0.4)},
		Last: reports.Figures{Replies: 50, Negative: 5, NegativeRate: f(0.1), Scores: reports.Scores{Overall: f(70), Distributive: f(60),
			Procedural: f(60), Interactional: f(80)}, Sent: 100, Answered: 50, ResponseRate: f(0.5)},
		Complaints:       reports.ComplaintFigures{Opened: 10, AckOnTimeRate: f(0.9)},
		LastComplaints:   reports.ComplaintFigures{Opened: 5, AckOnTimeRate: f(1)},
		TopRisks:         []reports.RiskChange{{Risk: "temporal", Replies: 8, Complaints: 6, LastWeek: 2}},
		WorstTouchpoints: []reports.Row{{Key: "courier", Figures: reports.Figures{Replies: 12, NegativeRate: f(0.5), Scores: reports.Scores{Overall: f(41)}}}},
		DoubleDeviations: []reports.DoubleDeviation{{ComplaintID: 77, Customer: "Zoé Tremblay", Priority: 1, Reason: "promise_missed", Owner: "Ana"}},
		ActionsOverdue: []reports.ActionPlan{{Title: "Call back within 4 hours", Cause: reports.Cause{Kind: "risk", Value: "temporal"},
			Owner: "Ana", DueOn: "2026-10-20"}},
		ActionsDue: []reports.ActionPlan{{Title: "Retrain couriers", Cause: reports.Cause{Kind: "touchpoint", Value: "courier"},
			Owner: "Bo", DueOn: "2026-10-30"}},
		Breaches:   []reports.Breach{{Indicator: "satisfaction", Op: ">=", Threshold: 70, Value: 62.5, StartedAt: from.AddDate(0, 0, 1), ClearedAt: &cleared}},
		Unreliable: []reports.Reliability{{Survey: "After delivery", Dimension: "procedural", Alpha: f(0.52), Replies: 35, Warning: true}},
		Silent:     reports.EstimateSilent(reports.Figures{Replies: 40, Negative: 10, Sent: 100, Answered: 40}),
	}
}

func TestWeeklyReportEmailInBothLocales(t *testing.T) {
	set, err := New(Brand{Name: "Acme", Color: "#1f5fa8"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		locale string
		want   []string
	}{
		{"en", []string{"Weekly report, week 2026-W43: satisfaction 62.5/100, 10 complaints", "October 19, 2026", "October 25, 2026",
			"−7.5", "+15.0 pts", "Time", "- Courier: ", "Complaint #77, Zoé Tremblay (P1): the promised deadline was missed",
			"http://x.test/cx/complaints/77", "Call back within 4 hours — risk: Time; owner Ana; due October 20, 2026",
			"Retrain couriers — touchpoint: Courier", "Satisfaction index (overall): 62.5/100 (threshold >= 70/100)", "back in range on October 22, 2026",
			"After delivery, Process: Cronbach's alpha 0.52 over 35 replies", "60 of the 100 customers surveyed", "about 15 unhappy customers",
			"may stand for 100 to 200 unhappy customers", "http://x.test/manager/"}},
		{"fr", []string{"Rapport hebdomadaire, semaine 2026-W43 : satisfaction 62,5/100, 10 réclamations", "19 octobre 2026",
			"−7,5", "+15,0 pts", "Temporel", "Réclamation n° 77", "le délai promis n'a pas été tenu", "risque : Temporel",
			"alpha de Cronbach de 0,52", "25,0 %", "seuls 5 à 10 % des clients mécontents"}},
	}
	for _, tc := range cases {
		t.Run(tc.locale, func(t *testing.T) {
			v := NewWeeklyReport(sampleWeekly(), tc.locale, "http://x.test", true)
			e, err := set.RenderEmail("report", tc.locale, v)
			if err != nil {
				t.Fatal(err)
			}
			all := e.Subject + "\n" + e.Text + "\n" + e.HTML
			for _, w := range tc.want {
				if !strings.Contains(e.Subject+"\n"+e.Text, w) {
					t.Errorf("text part lacks %q", w)
				}
			}
			for _, bad := range []string{"%!", "report.", "<no value>"} {
				if strings.Contains(all, bad) {
					t.Errorf("rendering left %q", bad)
				}
			}
			for _, cid := range []string{`src="cid:trend.png"`, `src="cid:risks.png"`} {
				if !strings.Contains(e.HTML, cid) {
					t.Errorf("HTML lacks %s", cid)
				}
			}
		})
	}
	// Without charts, no image is referenced.
	e, err := set.RenderEmail("report", "en", NewWeeklyReport(sampleWeekly(), "en", "http://x.test", false))
	if err != nil || strings.Contains(e.HTML, "cid:") {
		t.Errorf("charts off: %v, cid in HTML: %v", err, strings.Contains(e.HTML, "cid:"))
	}
	// A quiet week says so.
	quiet := NewWeeklyReport(reports.WeeklyReport{Week: "2026-W44", From: time.Now(), To: time.Now()}, "en", "http://x.test", false)
	if !strings.Contains(quiet.Subject, "no reply this week") || quiet.Silent[0] != T("en", "report.silent.none") {
		t.Errorf("quiet week: %q %q", quiet.Subject, quiet.Silent)
	}
}
