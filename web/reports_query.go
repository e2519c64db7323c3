package web

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/followup/followup/invalid"
	"github.com/followup/followup/reports"
	"github.com/followup/followup/surveys"
)

// ReportParams is a report query as the pages and the API take it: from
// and to are days (to included) in the report's time zone, grain is day,
// week or month, and each split (touchpoint, channel, team, campaign,
// segment) may be given to keep only its value. top is how many risks the
// risk trend follows (1 to 13, default 5).
type ReportParams struct {
	From, To string
	Grain    reports.Grain
	By       reports.Split
	Filters  map[reports.Split]string
	Top      int
}

// defaultSpan is how far back a report looks when from is not given.
var defaultSpan = map[reports.Grain]func(time.Time) time.Time{
	reports.Day:   func(t time.Time) time.Time { return t.AddDate(0, 0, -30) },
	reports.Week:  func(t time.Time) time.Time { return t.AddDate(0, 0, -7*12) },
	reports.Month: func(t time.Time) time.Time { return t.AddDate(-1, 0, 0) },
}

// ReportZone is where report days begin.
func (s *Server) ReportZone() *time.Location {
	if s.ReportLocation == nil {
		return time.UTC
	}
	return s.ReportLocation
}

// ReportQuery reads a report query from URL values; the error names the
// parameter at fault.
func (s *Server) ReportQuery(v url.Values) (reports.Query, ReportParams, error) {
	loc := s.ReportZone()
	p := ReportParams{Grain: reports.Grain(v.Get("grain")), By: reports.Split(v.Get("by")), Filters: map[reports.Split]string{},
		Top: reports.DefaultTopRisks}
	if p.Grain == "" {
		p.Grain = reports.Week
	}
	if !p.Grain.Valid() {
		return reports.Query{}, p, &invalid.FieldError{Field: "grain", Message: "must be day, week or month"}
	}
	if p.By == "" {
		p.By = reports.ByTouchpoint
	}
	if !p.By.Valid() {
		return reports.Query{}, p, &invalid.FieldError{Field: "by", Message: "must be touchpoint, channel, team, campaign or segment"}
	}
	if raw := v.Get("top"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > len(surveys.Risks) {
			return reports.Query{}, p, &invalid.FieldError{Field: "top", Message: fmt.Sprintf("must be a whole number from 1 to %d", len(surveys.Risks))}
		}
		p.Top = n
	}
	now := s.Clock.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	to := today
	if raw := v.Get("to"); raw != "" {
		d, err := time.ParseInLocation("2006-01-02", raw, loc)
		if err != nil {
			return reports.Query{}, p, &invalid.FieldError{Field: "to", Message: "must be a date as YYYY-MM-DD"}
		}
		to = d
	}
	from := reports.PeriodStart(defaultSpan[p.Grain](to).AddDate(0, 0, 1), p.Grain, loc)
	if raw := v.Get("from"); raw != "" {
		d, err := time.ParseInLocation("2006-01-02", raw, loc)
		if err != nil {
			return reports.Query{}, p, &invalid.FieldError{Field: "from", Message: "must be a date as YYYY-MM-DD"}
		}
		from = d
	}
	p.From, p.To = from.Format("2006-01-02"), to.Format("2006-01-02")
	for _, sp := range reports.Splits {
		if vals, ok := v[string(sp)]; ok && len(vals) > 0 {
			p.Filters[sp] = vals[0]
		}
	}
	q := reports.Query{From: from, To: to.AddDate(0, 0, 1), Grain: p.Grain, Location: loc, Filters: p.Filters}
	return q, p, q.Validate()
}

// Link is the managers' page (or a sibling at path) for p with set
// applied (key, value pairs) and the keys of drop removed.
func (p ReportParams) Link(path string, set []string, drop ...string) string {
	v := url.Values{"from": {p.From}, "to": {p.To}, "grain": {string(p.Grain)}, "by": {string(p.By)}}
	if p.Top != 0 && p.Top != reports.DefaultTopRisks {
		v.Set("top", strconv.Itoa(p.Top))
	}
	for sp, val := range p.Filters {
		v.Set(string(sp), val)
	}
	for i := 0; i+1 < len(set); i += 2 {
		v.Set(set[i], set[i+1])
	}
	for _, k := range drop {
		v.Del(k)
	}
	return path + "?" + v.Encode()
}
