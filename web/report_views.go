package web

import (
	"context"
	"time"

	"github.com/followup/followup/corrections"
	"github.com/followup/followup/reports"
)

// Overview is everything the managers' page shows.
type Overview struct {
	From        string                   `json:"from"`
	To          string                   `json:"to"`
	Grain       reports.Grain            `json:"grain"`
	Filters     map[reports.Split]string `json:"filters"`
	Totals      reports.Figures          `json:"totals"`
	Trend       reports.Trend            `json:"trend"`
	Breakdown   reports.Breakdown        `json:"breakdown"`
	Risks       []reports.RiskCount      `json:"risks"`
	RiskTrend   reports.RiskTrend        `json:"risk_trend"`
	Complaints  reports.ComplaintFigures `json:"complaints"`
	Silent      reports.Silent           `json:"silent"`
	Reliability []reports.Reliability    `json:"reliability"`
	Barometer   BarometerStatus          `json:"barometer"`
	// ActionsOverdue and ActionsDue (within 7 days) are the open actions
	// that need a look.
	ActionsOverdue []reports.ActionPlan `json:"actions_overdue"`
	ActionsDue     []reports.ActionPlan `json:"actions_due"`
	// Corrections count the agents' corrections of the comment reading
	// made in the period, per kind (the split's filters do not apply).
	Corrections map[corrections.Kind]int `json:"corrections"`
}

// BarometerStatus is the barometer now and its recent breaches.
type BarometerStatus struct {
	WindowHours float64           `json:"window_hours"`
	MinSample   int               `json:"min_sample"`
	Readings    []reports.Reading `json:"readings"`
	// Breaches are open or started in the last 30 days, the latest first.
	Breaches []reports.Breach `json:"breaches"`
}

func (s *Server) BarometerStatus(ctx context.Context) (BarometerStatus, error) {
	st := BarometerStatus{Readings: []reports.Reading{}, Breaches: []reports.Breach{}}
	if s.Barometer == nil {
		return st, nil
	}
	st.WindowHours, st.MinSample = s.Barometer.Window.Hours(), s.Barometer.MinSample
	now := s.Clock.Now()
	var err error
	if len(s.Barometer.Thresholds) > 0 {
		if st.Readings, err = s.Barometer.Read(ctx, now); err != nil {
			return st, err
		}
	}
	st.Breaches, err = s.Reports.Breaches(ctx, now.AddDate(0, 0, -30), 50)
	return st, err
}

func (s *Server) Overview(ctx context.Context, q reports.Query, p ReportParams) (Overview, error) {
	o := Overview{From: p.From, To: p.To, Grain: q.Grain, Filters: p.Filters}
	var err error
	if o.Totals, err = s.Reports.Totals(ctx, q); err != nil {
		return o, err
	}
	if o.Trend, err = s.Reports.Trend(ctx, q); err != nil {
		return o, err
	}
	if o.Breakdown, err = s.Reports.Breakdown(ctx, q, p.By); err != nil {
		return o, err
	}
	if o.Risks, err = s.Reports.Risks(ctx, q); err != nil {
		return o, err
	}
	if o.RiskTrend, err = s.Reports.RiskTrend(ctx, q, p.Top); err != nil {
		return o, err
	}
	if o.Complaints, err = s.Reports.Complaints(ctx, q, s.Clock.Now()); err != nil {
		return o, err
	}
	o.Silent = reports.EstimateSilent(o.Totals)
	o.Corrections = map[corrections.Kind]int{}
	if s.Corrections != nil {
		if o.Corrections, err = s.Corrections.Counts(ctx, q.From, q.To); err != nil {
			return o, err
		}
	}
	if o.Reliability, err = s.Reports.Reliability(ctx, q); err != nil {
		return o, err
	}
	if o.Barometer, err = s.BarometerStatus(ctx); err != nil {
		return o, err
	}
	today := s.Clock.Now().In(s.ReportZone())
	todayS := today.Format("2006-01-02")
	if o.ActionsOverdue, err = s.Reports.Actions(ctx, reports.ActionFilter{Open: true, DueBefore: todayS}, todayS); err != nil {
		return o, err
	}
	soon, err := s.Reports.Actions(ctx, reports.ActionFilter{Open: true, DueBefore: today.AddDate(0, 0, 8).Format("2006-01-02")}, todayS)
	if err != nil {
		return o, err
	}
	o.ActionsDue = []reports.ActionPlan{}
	for _, a := range soon {
		if !a.Overdue {
			o.ActionsDue = append(o.ActionsDue, a)
		}
	}
	return o, nil
}

// ReportWeek reads ?week=2026-W45, by default the last full week.
func (s *Server) ReportWeek(v string) (reports.ISOWeek, error) {
	if v == "" {
		return reports.WeekOf(s.Clock.Now(), s.ReportZone()).Prev(), nil
	}
	return reports.ParseWeek(v)
}

// Today is the report's current day.
func (s *Server) Today() (time.Time, string) {
	now := s.Clock.Now().In(s.ReportZone())
	return now, now.Format("2006-01-02")
}
