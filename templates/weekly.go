package templates

import (
	"fmt"
	"github.com/followup/followup/labels"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/followup/followup/reports"
	"github.com/followup/followup/surveys"
)

// WeeklyReport is the weekly report email's content, written for one
// locale: every figure is already formatted.
type WeeklyReport struct {
	Week, Subject    string
	Intro            string
	Figures          []WeeklyFigure
	Risks            []WeeklyRisk
	Touchpoints      []WeeklyTouchpoint
	DoubleDeviations []string
	ActionsOverdue   []string
	ActionsDue       []string
	Breaches         []string
	Unreliable       []string
	Silent           []string
	// TrendImage and RisksImage are the Content-IDs of the charts (empty:
	// no chart).
	TrendImage, RisksImage string
	ManagerURL             string
}

// WeeklyFigure is one row of "what changed".
type WeeklyFigure struct {
	Label, This, Last, Change string
	// Worse is true when the change is bad news.
	Worse bool
}

// WeeklyRisk is one of the week's top risks.
type WeeklyRisk struct {
	Label                       string
	Replies, Complaints, LastWk int
}

// WeeklyTouchpoint is one of the worst touchpoints.
type WeeklyTouchpoint struct {
	Name                  string
	Replies               int
	NegativeRate, Overall string
}

// Number writes v with decimals as people of locale read it (a decimal
// comma in French).
func Number(locale string, v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if locale == "fr" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// Percent writes a share (0–1) as a percentage.
func Percent(locale string, share float64) string {
	return Number(locale, share*100, 1) + " %"
}

// signed writes a change with its sign; zero is written without one.
func signed(locale string, v float64, decimals int, unit string) string {
	if math.Abs(v) < math.Pow(10, -float64(decimals))/2 {
		return Number(locale, 0, decimals) + unit
	}
	s := Number(locale, math.Abs(v), decimals) + unit
	if v < 0 {
		return "−" + s
	}
	return "+" + s
}

// NewWeeklyReport writes r for locale; base is the public URL (links to
// the managers' pages); charts says whether the chart images are attached.
func NewWeeklyReport(r reports.WeeklyReport, locale, base string, charts bool) WeeklyReport {
	return newWeeklyReport(r, locale, base, charts, nil)
}

// WeeklyReport is NewWeeklyReport with the names admins gave teams and
// touchpoints (SetNames).
func (s *Set) WeeklyReport(r reports.WeeklyReport, locale, base string, charts bool) WeeklyReport {
	return newWeeklyReport(r, locale, base, charts, s.admin)
}

func newWeeklyReport(r reports.WeeklyReport, locale, base string, charts bool, admin labels.Lookup) WeeklyReport {
	t := func(key string, args ...any) string { return T(locale, key, args...) }
	none := t("report.none")
	v := WeeklyReport{Week: r.Week, ManagerURL: base + "/manager/"}
	last := r.To.AddDate(0, 0, -1)
	v.Intro = t("report.intro", r.Week, FormatDate(locale, r.From), FormatDate(locale, last))
	if r.This.Overall != nil {
		v.Subject = t("report.subject", r.Week, t("report.subject.figure", Number(locale, *r.This.Overall, 1), r.Complaints.Opened))
	} else {
		v.Subject = t("report.subject", r.Week, t("report.subject.quiet"))
	}
	if charts {
		v.TrendImage, v.RisksImage = "trend.png", "risks.png"
	}
	// A figure: this week, last week, the change; higherIsBetter says
	// which way is bad news.
	score := func(label string, a, b *float64, higherIsBetter bool) {
		f := WeeklyFigure{Label: label, This: none, Last: none}
		if a != nil {
			f.This = Number(locale, *a, 1)
		}
		if b != nil {
			f.Last = Number(locale, *b, 1)
		}
		if a != nil && b != nil {
			f.Change = signed(locale, *a-*b, 1, "")
			f.Worse = (*a < *b) == higherIsBetter && *a != *b
		}
		v.Figures = append(v.Figures, f)
	}
	share := func(label string, a, b *float64, higherIsBetter bool) {
		f := WeeklyFigure{Label: label, This: none, Last: none}
		if a != nil {
			f.This = Percent(locale, *a)
		}
		if b != nil {
			f.Last = Percent(locale, *b)
		}
		if a != nil && b != nil {
			f.Change = signed(locale, (*a-*b)*100, 1, " pts")
			f.Worse = (*a < *b) == higherIsBetter && *a != *b
		}
		v.Figures = append(v.Figures, f)
	}
	count := func(label string, a, b int, higherIsBetter bool) {
		af, bf := float64(a), float64(b)
		v.Figures = append(v.Figures, WeeklyFigure{Label: label, This: strconv.Itoa(a), Last: strconv.Itoa(b),
			Change: signed(locale, af-bf, 0, ""), Worse: (a < b) == higherIsBetter && a != b})
	}
	count(t("report.replies"), r.This.Replies, r.Last.Replies, true)
	share(t("report.response_rate"), r.This.ResponseRate, r.Last.ResponseRate, true)
	share(t("report.negative_rate"), r.This.NegativeRate, r.Last.NegativeRate, false)
	score(t("report.satisfaction"), r.This.Overall, r.Last.Overall, true)
	score(t("dimension.distributive"), r.This.Distributive, r.Last.Distributive, true)
	score(t("dimension.procedural"), r.This.Procedural, r.Last.Procedural, true)
	score(t("dimension.interactional"), r.This.Interactional, r.Last.Interactional, true)
	count(t("report.complaints"), r.Complaints.Opened, r.LastComplaints.Opened, false)
	share(t("report.ack_on_time"), r.Complaints.AckOnTimeRate, r.LastComplaints.AckOnTimeRate, true)
	share(t("report.recovery_rate"), r.Complaints.RecoveryRate, r.LastComplaints.RecoveryRate, true)
	// The week's double deviations are listed below; the week before's are not counted.
	v.Figures = append(v.Figures, WeeklyFigure{Label: t("report.double_deviations"), This: strconv.Itoa(len(r.DoubleDeviations)),
		Last: none, Worse: len(r.DoubleDeviations) > 0})

	for _, rc := range r.TopRisks {
		v.Risks = append(v.Risks, WeeklyRisk{Label: labels.Resolve(locale, labels.Risk, string(rc.Risk), admin, BuiltinName), Replies: rc.Replies, Complaints: rc.Complaints, LastWk: rc.LastWeek})
	}
	for _, row := range r.WorstTouchpoints {
		tp := WeeklyTouchpoint{Name: labels.Resolve(locale, labels.Touchpoint, row.Key, admin, BuiltinName), Replies: row.Replies, NegativeRate: none, Overall: none}
		if row.NegativeRate != nil {
			tp.NegativeRate = Percent(locale, *row.NegativeRate)
		}
		if row.Overall != nil {
			tp.Overall = Number(locale, *row.Overall, 1)
		}
		v.Touchpoints = append(v.Touchpoints, tp)
	}
	for _, d := range r.DoubleDeviations {
		owner := d.Owner
		if owner == "" {
			owner = none
		}
		v.DoubleDeviations = append(v.DoubleDeviations, t("report.dd.line", d.ComplaintID, d.Customer, d.Priority, t("report.dd."+d.Reason), owner)+
			" "+fmt.Sprintf("%s/cx/complaints/%d", base, d.ComplaintID))
	}
	action := func(a reports.ActionPlan) string {
		return t("report.actions.line", a.Title, causeLabel(locale, a.Cause, admin), a.Owner, FormatDate(locale, mustDay(a.DueOn)))
	}
	for _, a := range r.ActionsOverdue {
		v.ActionsOverdue = append(v.ActionsOverdue, action(a))
	}
	for _, a := range r.ActionsDue {
		v.ActionsDue = append(v.ActionsDue, action(a))
	}
	for _, b := range r.Breaches {
		in, _ := reports.IndicatorByName(b.Indicator)
		line := t("report.barometer.line", in.LabelIn(locale), IndicatorValue(locale, b.Value, in.Unit), b.Op,
			IndicatorValue(locale, b.Threshold, in.Unit), FormatDate(locale, b.StartedAt))
		if b.ClearedAt != nil {
			line += t("report.barometer.cleared", FormatDate(locale, *b.ClearedAt))
		}
		v.Breaches = append(v.Breaches, line)
	}
	for _, u := range r.Unreliable {
		v.Unreliable = append(v.Unreliable, t("report.reliability.line", u.Survey, t("dimension."+u.Dimension),
			Number(locale, *u.Alpha, 2), u.Replies))
	}
	s := r.Silent
	if s.Sent == 0 || s.NegativeRate == nil || s.Extrapolated == nil {
		v.Silent = []string{t("report.silent.none")}
	} else {
		v.Silent = []string{
			t("report.silent.extrapolated", s.Unanswered, s.Sent, Percent(locale, *s.NegativeRate), *s.Extrapolated),
			t("report.silent.seeds", s.Negative, s.SeedTotalLow, s.SeedTotalHigh),
		}
	}
	return v
}

// RiskLabel names a risk of dissatisfaction in locale.
func RiskLabel(locale string, r surveys.Risk) string {
	if l, ok := surveys.RiskLabels[r]; ok {
		return l.In(locale)
	}
	return string(r)
}

// CauseLabel describes what an action plan addresses, naming its team or
// touchpoint with the built-in rule (see Set.CauseLabel for the admins'
// names).
func CauseLabel(locale string, c reports.Cause) string { return causeLabel(locale, c, nil) }

// CauseLabel describes what an action plan addresses, in the names admins
// gave.
func (s *Set) CauseLabel(locale string, c reports.Cause) string {
	return causeLabel(locale, c, s.admin)
}

func causeLabel(locale string, c reports.Cause, admin labels.Lookup) string {
	value := c.Value
	switch c.Kind {
	case reports.CauseRisk:
		value = RiskLabel(locale, surveys.Risk(c.Value))
	case reports.CauseTeam, reports.CauseTouchpoint:
		value = labels.Resolve(locale, labels.Kind(c.Kind), c.Value, admin, BuiltinName)
	}
	return T(locale, "report.cause."+c.Kind, value)
}

// IndicatorValue writes a barometer value in its unit.
func IndicatorValue(locale string, v float64, unit string) string {
	s := Number(locale, v, 1)
	if v == math.Trunc(v) {
		s = Number(locale, v, 0)
	}
	switch unit {
	case "%":
		return s + " %"
	case "/100":
		return s + "/100"
	}
	return s
}

func mustDay(s string) time.Time {
	d, _ := time.Parse("2006-01-02", s)
	return d
}
