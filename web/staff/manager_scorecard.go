package staff

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/followup/followup/invalid"
	"github.com/followup/followup/reports"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

// scorecardRoutes serve the internal scoring: the scorecard per agent and
// per team over a period, and its CSV.
func (s *Server) scorecardRoutes(mux *web.Router) {
	if s.Reports == nil {
		return
	}
	mux.HandleFunc("GET /manager/scorecard", web.Roles(users.Manager), s.pageScorecard)
	mux.HandleFunc("GET /manager/export/scorecard.csv", web.Roles(users.Manager), s.pageScorecardCSV)
}

type scorecardPage struct {
	reports.Scorecard
	Params  web.ReportParams
	CSV     string
	JSONURL string
	Problem string
}

func (s *Server) pageScorecard(w http.ResponseWriter, r *http.Request) {
	q, p, err := s.ReportQuery(r.URL.Query())
	problem := web.ProblemOf(err)
	if problem.Status == http.StatusBadRequest {
		q, p, _ = s.ReportQuery(nil)
	} else if err != nil {
		s.StaffError(w, "scorecard", err)
		return
	}
	sc, err := s.Reports.Scorecard(r.Context(), q.From, q.To, s.Clock.Now())
	if err != nil {
		s.StaffError(w, "scorecard", err)
		return
	}
	page := scorecardPage{Scorecard: sc, Params: p, CSV: p.Link("/manager/export/scorecard.csv", nil),
		JSONURL: p.Link("/api/v1/reports/scorecard", nil)}
	if problem.Status == http.StatusBadRequest {
		page.Problem = templates.T(web.StaffLocale(r), "sc.bad", problem.Field, problem.Message)
	}
	s.RenderStaff(w, r, http.StatusOK, "manager_scorecard", templates.T(web.StaffLocale(r), "sc.title"), page)
}

// pageScorecardCSV exports the scorecard: one row per agent, per team and
// the total, the kind of line first.
func (s *Server) pageScorecardCSV(w http.ResponseWriter, r *http.Request) {
	q, p, err := s.ReportQuery(r.URL.Query())
	if p := web.ProblemOf(err); p.Status == http.StatusBadRequest {
		http.Error(w, invalid.Field(p.Field, p.Message).Error(), p.Status)
		return
	} else if err != nil {
		s.StaffError(w, "export", err)
		return
	}
	sc, err := s.Reports.Scorecard(r.Context(), q.From, q.To, s.Clock.Now())
	if err != nil {
		s.StaffError(w, "export", err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="followup-%s-%s-scorecard.csv"`, p.From, p.To))
	cw := csv.NewWriter(w)
	_ = cw.WriteAll(ScorecardRows(sc))
}

// ScorecardRows are the scorecard's CSV rows, the header first.
func ScorecardRows(sc reports.Scorecard) [][]string {
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	rows := [][]string{{"line", "key", "name", "handled", "acknowledgement_due", "acknowledged_on_time", "acknowledged_on_time_rate",
		"resolved_on_time", "resolved_on_time_rate", "recovery_answered", "recovery_positive", "recovery_rate",
		"compensation_granted", "compensation_advised", "compensation_above_advice", "reopened"}}
	line := func(kind string, l reports.ScoreLine) {
		rows = append(rows, []string{kind, csvText(l.Key), csvText(l.Label), strconv.Itoa(l.Handled), strconv.Itoa(l.AckDue),
			strconv.Itoa(l.AckOnTime), num(l.AckOnTimeRate), strconv.Itoa(l.ResolvedOnTime), num(l.ResolvedOnTimeRate),
			strconv.Itoa(l.RecoveryAnswered), strconv.Itoa(l.RecoveryPositive), num(l.RecoveryRate),
			perCurrency(l.Compensation, func(c reports.CurrencyAmounts) int64 { return c.GrantedCents }),
			perCurrency(l.Compensation, func(c reports.CurrencyAmounts) int64 { return c.AdvisedCents }),
			strconv.Itoa(l.AboveAdvice), strconv.Itoa(l.Reopened)})
	}
	for _, l := range sc.Agents {
		line("agent", l)
	}
	for _, l := range sc.Teams {
		line("team", l)
	}
	line("total", sc.Total)
	return rows
}

// perCurrency writes one amount per currency ("25.50 EUR; 10.00 CAD"):
// amounts of different currencies are never added.
func perCurrency(amounts []reports.CurrencyAmounts, cents func(reports.CurrencyAmounts) int64) string {
	parts := make([]string, len(amounts))
	for i, a := range amounts {
		parts[i] = templates.Money(cents(a)) + " " + a.Currency
	}
	return strings.Join(parts, "; ")
}
