package staff

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"time"

	"github.com/followup/followup/businesshours"
	"github.com/followup/followup/complaints"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/web"
)

// The CX workspace's pages (queue, complaint, customer) speak the viewer's
// language and show times in the viewer's time zone: the one their browser
// said (a cookie set by /static/cx.js, read from the next page on: the
// pages never reload themselves), else the team calendar's.

// zoneCookie holds the IANA time zone the viewer's browser reported.
const zoneCookie = "followup_tz"

var zoneName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}$`)

// viewerZone is where the workspace shows times, and whether the viewer's
// browser said so ("browser") or the team's calendar did ("team").
type viewerZone struct {
	Loc    *time.Location
	Source string
}

// Name is the zone's IANA name.
func (z viewerZone) Name() string { return z.Loc.String() }

// At writes t (a time.Time or *time.Time; nil writes nothing) in the
// viewer's zone, as "2006-01-02 15:04".
func (z viewerZone) At(t any) string {
	switch v := t.(type) {
	case time.Time:
		return v.In(z.Loc).Format("2006-01-02 15:04")
	case *time.Time:
		if v == nil {
			return ""
		}
		return v.In(z.Loc).Format("2006-01-02 15:04")
	}
	return ""
}

// Day writes t's date in the viewer's zone.
func (z viewerZone) Day(t time.Time) string { return t.In(z.Loc).Format("2006-01-02") }

// zoneOf picks the viewer's zone: the browser's, when its cookie names a
// zone this machine knows, else the team calendar's (UTC without one).
func (s *Server) zoneOf(r *http.Request) viewerZone {
	if c, err := r.Cookie(zoneCookie); err == nil && len(c.Value) <= 64 && zoneName.MatchString(c.Value) {
		if loc, err := time.LoadLocation(c.Value); err == nil {
			return viewerZone{Loc: loc, Source: "browser"}
		}
	}
	if cal := s.Complaints.Policy().Calendar; cal != nil && cal.Zone != nil {
		return viewerZone{Loc: cal.Zone, Source: "team"}
	}
	return viewerZone{Loc: time.UTC, Source: "team"}
}

// cxLocale is the language of the workspace's pages: the person's own
// choice, else the browser's Accept-Language, else English (web.StaffLocale).
func cxLocale(r *http.Request) string { return web.StaffLocale(r) }

// renderCX writes a workspace page in locale.
func (s *Server) renderCX(w http.ResponseWriter, r *http.Request, status int, locale, page, title string, data any) {
	s.RenderPage(w, status, page, s.StaffPage(r, locale, title, data))
}

// spanText writes a duration as people scan it in a table: "12 min",
// "3 h 05", "27 h" (business hours are counted in hours, a working day
// being whatever the calendar says), always positive.
func spanText(locale string, d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch m := int(d.Minutes()); {
	case m < 60:
		return templates.T(locale, "cx.dur.min", m)
	case m < 10*60:
		return templates.T(locale, "cx.dur.hmin", m/60, m%60)
	default:
		return templates.T(locale, "cx.dur.h", m/60)
	}
}

// ageText writes how long ago something happened in wall-clock time:
// minutes, hours, then days and hours ("3 d 4 h", "3 j 4 h").
func ageText(locale string, d time.Duration) string {
	if d < 0 {
		d = 0
	}
	if d < 48*time.Hour {
		if d < time.Hour {
			return templates.T(locale, "cx.dur.min", int(d.Minutes()))
		}
		return templates.T(locale, "cx.dur.h", int(d.Hours()))
	}
	days := int(d.Hours()) / 24
	return templates.T(locale, "cx.dur.dh", days, int(d.Hours())-days*24)
}

// timeLeft is the business time left before a deadline: Text is positive
// ("3 h 05") or, when overdue, negative ("−3 h 05"); Late says which.
type timeLeft struct {
	Text string
	Late bool
	// Done is a resolved complaint: nothing is left to count.
	Done bool
}

// leftText writes the business time left, d (negative when overdue).
func leftText(locale string, d time.Duration, resolved bool) timeLeft {
	switch {
	case resolved:
		return timeLeft{Text: "—", Done: true}
	case d < 0:
		return timeLeft{Text: "−" + spanText(locale, d), Late: true}
	}
	return timeLeft{Text: spanText(locale, d)}
}

// money writes an amount with its currency: "1,250.00 EUR" reads the
// same in both languages but for the separators.
func moneyText(locale string, cents int64, currency string) string {
	whole, frac := cents/100, cents%100
	s := fmt.Sprint(whole)
	sep := ","
	if locale == "fr" {
		sep = "\u202f"
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	dec := "."
	if locale == "fr" {
		dec = ","
	}
	return fmt.Sprintf("%s%s%02d %s", s, dec, frac, currency)
}

// problemText is why an action was refused, in locale when the reason is
// one the page knows in words (someone else owns the complaint), else the
// domain's own message.
func problemText(locale string, err error) string {
	var na *complaints.NotAllowedError
	if errors.As(err, &na) && na.Owner != "" {
		return templates.T(locale, "cx.refused.owned", na.Owner)
	}
	return web.ProblemOf(err).Message
}

// segmentOf names the customer's segment in locale: the data's as it is,
// else one derived from the annual value (customers.SegmentOf, with the
// key-customer threshold of the complaint policy), derived then true.
func (s *Server) segmentOf(locale, stored string, cents int64) (string, bool) {
	seg, derived := customers.SegmentOf(stored, cents, s.Complaints.Policy().KeyCustomerCents)
	if !derived {
		return seg, false
	}
	return templates.T(locale, "cx.segment."+seg), true
}

// calendars are the business calendars time left is counted in: each
// team's own, else the default one.
type calendars struct {
	teams map[string]*businesshours.Calendar
	def   *businesshours.Calendar
}

// calendars reads them once for a page.
func (s *Server) calendars(ctx context.Context) (calendars, error) {
	teams, def, err := s.Complaints.Calendars(ctx)
	return calendars{teams, def}, err
}

// left is the business time from now to due in team's calendar, negative
// when overdue.
func (c calendars) left(team string, now, due time.Time) time.Duration {
	cal := c.def
	if t, ok := c.teams[team]; ok && team != "" {
		cal = t
	}
	return cal.Between(now, due)
}
