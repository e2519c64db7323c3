package reports

import (
	"context"
	"fmt"
	"time"

	"github.com/followup/followup/surveys"
)

// TrendWeeks is how many weeks the weekly report's trend shows.
const TrendWeeks = 8

// WeeklyReport is what managers receive each week: what changed since the
// week before, the top risks, the worst touchpoints, the double
// deviations, the actions due and overdue.
type WeeklyReport struct {
	Week     string    `json:"week"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	Previous string    `json:"previous_week"`
	// This and Last are the service figures of the week and the week
	// before; Complaints and LastComplaints the complaints opened in them.
	This           Figures          `json:"this_week"`
	Last           Figures          `json:"last_week"`
	Complaints     ComplaintFigures `json:"complaints"`
	LastComplaints ComplaintFigures `json:"last_week_complaints"`
	// TopRisks are the week's most frequent risks (up to five, those that
	// showed), with the week before's count.
	TopRisks []RiskChange `json:"top_risks"`
	// WorstTouchpoints are the touchpoints with the highest negative rate
	// (up to five, with replies).
	WorstTouchpoints []Row             `json:"worst_touchpoints"`
	DoubleDeviations []DoubleDeviation `json:"double_deviations"`
	// ActionsDue are open and due in the seven days from the report's
	// day; ActionsOverdue are open past their due date.
	ActionsDue     []ActionPlan `json:"actions_due"`
	ActionsOverdue []ActionPlan `json:"actions_overdue"`
	// Breaches of the barometer open now or started during the week.
	Breaches []Breach `json:"barometer_breaches"`
	// Trend is the last TrendWeeks weeks, this one included; Risks every
	// risk this week (the charts).
	Trend Trend       `json:"trend"`
	Risks []RiskCount `json:"risks"`
	// Unreliable are the dimensions whose alpha fell under 0.7 over the
	// trend's weeks.
	Unreliable []Reliability `json:"unreliable"`
	Silent     Silent        `json:"silent"`
}

// RiskChange is a risk's count this week and the week before.
type RiskChange struct {
	Risk       surveys.Risk `json:"risk"`
	Replies    int          `json:"replies"`
	Complaints int          `json:"complaints"`
	LastWeek   int          `json:"last_week"`
}

// Weekly assembles the report on week, as of now (which decides the
// actions due and overdue).
func (s *Store) Weekly(ctx context.Context, week ISOWeek, now time.Time, loc *time.Location) (WeeklyReport, error) {
	from, to := week.Start(loc), week.End(loc)
	prev := week.Prev()
	r := WeeklyReport{Week: week.String(), From: from, To: to, Previous: prev.String()}
	this := Query{From: from, To: to, Grain: Week, Location: loc}
	last := Query{From: prev.Start(loc), To: from, Grain: Week, Location: loc}
	var err error
	if r.This, err = s.Totals(ctx, this); err != nil {
		return r, err
	}
	if r.Last, err = s.Totals(ctx, last); err != nil {
		return r, err
	}
	if r.Complaints, err = s.Complaints(ctx, this, now); err != nil {
		return r, err
	}
	if r.LastComplaints, err = s.Complaints(ctx, last, now); err != nil {
		return r, err
	}
	if r.Risks, err = s.Risks(ctx, this); err != nil {
		return r, err
	}
	lastRisks, err := s.Risks(ctx, last)
	if err != nil {
		return r, err
	}
	r.TopRisks = []RiskChange{}
	for _, rc := range r.Risks {
		if rc.Replies+rc.Complaints == 0 || len(r.TopRisks) == 5 {
			break
		}
		ch := RiskChange{Risk: rc.Risk, Replies: rc.Replies, Complaints: rc.Complaints}
		for _, l := range lastRisks {
			if l.Risk == rc.Risk {
				ch.LastWeek = l.Replies
			}
		}
		r.TopRisks = append(r.TopRisks, ch)
	}
	tps, err := s.Breakdown(ctx, this, ByTouchpoint)
	if err != nil {
		return r, err
	}
	r.WorstTouchpoints = []Row{}
	for _, row := range tps.Rows {
		if row.Replies > 0 && row.Key != "" && len(r.WorstTouchpoints) < 5 {
			r.WorstTouchpoints = append(r.WorstTouchpoints, row)
		}
	}
	if r.DoubleDeviations, err = s.DoubleDeviations(ctx, from, to, 50); err != nil {
		return r, err
	}
	today := now.In(loc)
	todayS := today.Format("2006-01-02")
	if r.ActionsOverdue, err = s.Actions(ctx, ActionFilter{Open: true, DueBefore: todayS}, todayS); err != nil {
		return r, err
	}
	inAWeek := time.Date(today.Year(), today.Month(), today.Day()+7, 0, 0, 0, 0, loc).Format("2006-01-02")
	soon, err := s.Actions(ctx, ActionFilter{Open: true, DueBefore: inAWeek}, todayS)
	if err != nil {
		return r, err
	}
	r.ActionsDue = []ActionPlan{}
	for _, a := range soon {
		if !a.Overdue {
			r.ActionsDue = append(r.ActionsDue, a)
		}
	}
	breaches, err := s.Breaches(ctx, from, 50)
	if err != nil {
		return r, err
	}
	r.Breaches = []Breach{}
	for _, b := range breaches {
		if b.ClearedAt == nil || b.StartedAt.Before(to) {
			r.Breaches = append(r.Breaches, b)
		}
	}
	trendQ := Query{From: week.Start(loc).AddDate(0, 0, -7*(TrendWeeks-1)), To: to, Grain: Week, Location: loc}
	if r.Trend, err = s.Trend(ctx, trendQ); err != nil {
		return r, err
	}
	rel, err := s.Reliability(ctx, trendQ)
	if err != nil {
		return r, err
	}
	r.Unreliable = []Reliability{}
	for _, x := range rel {
		if x.Warning {
			r.Unreliable = append(r.Unreliable, x)
		}
	}
	r.Silent = EstimateSilent(r.This)
	return r, nil
}

// OpenWeeklyReport records that week's report is due (once) and reports
// whether it still has to be sent.
func (s *Store) OpenWeeklyReport(ctx context.Context, week ISOWeek, now time.Time) (bool, error) {
	if _, err := s.db.ExecContext(ctx, `INSERT INTO weekly_reports (week, created_at) VALUES ($1, $2) ON CONFLICT (week) DO NOTHING`,
		week.String(), now); err != nil {
		return false, fmt.Errorf("open weekly report %s: %w", week, err)
	}
	var pending bool
	if err := s.db.GetContext(ctx, &pending, `SELECT sent_at IS NULL FROM weekly_reports WHERE week = $1`, week.String()); err != nil {
		return false, fmt.Errorf("weekly report %s: %w", week, err)
	}
	return pending, nil
}

// WeeklyReportDeliveries returns the addresses week's report was already
// delivered to, and whether the report is complete.
func (s *Store) WeeklyReportDeliveries(ctx context.Context, week ISOWeek) (map[string]bool, bool, error) {
	var sent *time.Time
	if err := s.db.GetContext(ctx, &sent, `SELECT sent_at FROM weekly_reports WHERE week = $1`, week.String()); err != nil {
		return nil, false, fmt.Errorf("weekly report %s: %w", week, err)
	}
	var emails []string
	if err := s.db.SelectContext(ctx, &emails, `SELECT email FROM weekly_report_deliveries WHERE week = $1`, week.String()); err != nil {
		return nil, false, fmt.Errorf("weekly report %s deliveries: %w", week, err)
	}
	out := make(map[string]bool, len(emails))
	for _, e := range emails {
		out[e] = true
	}
	return out, sent != nil, nil
}

// MarkWeeklyReportDelivered records that email received week's report.
func (s *Store) MarkWeeklyReportDelivered(ctx context.Context, week ISOWeek, email string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO weekly_report_deliveries (week, email, sent_at) VALUES ($1, $2, $3)
		ON CONFLICT DO NOTHING`, week.String(), email, now)
	if err != nil {
		return fmt.Errorf("record weekly report %s to %s: %w", week, email, err)
	}
	return nil
}

// FinishWeeklyReport records that week's report went to every recipient.
func (s *Store) FinishWeeklyReport(ctx context.Context, week ISOWeek, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE weekly_reports SET sent_at = $2,
		recipients = (SELECT count(*) FROM weekly_report_deliveries WHERE week = $1) WHERE week = $1 AND sent_at IS NULL`,
		week.String(), now)
	if err != nil {
		return fmt.Errorf("finish weekly report %s: %w", week, err)
	}
	return nil
}
