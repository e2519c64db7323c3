package staff

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/followup/followup/corrections"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/reports"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

// managerRoutes serve the managers' pages: the dashboard with its charts
// and CSV exports, the weekly report's preview. The action plans, shared
// with every department, are at /actions (action_pages.go).
func (s *Server) managerRoutes(mux *web.Router) {
	if s.Reports == nil {
		return
	}
	mux.HandleFunc("GET /manager/{$}", web.Roles(users.Manager), s.pageManager)
	mux.HandleFunc("GET /manager/export/{name}", web.Roles(users.Manager), s.pageManagerCSV)
	mux.HandleFunc("GET /manager/report", web.Roles(users.Manager), s.pageWeeklyReport)
	mux.HandleFunc("GET /manager/report/{week}/{file}", web.Roles(users.Manager), s.pageWeeklyFile)
	s.scorecardRoutes(mux)
}

type filterChip struct {
	Split     reports.Split
	Value     string
	RemoveURL string
}

type breakdownView struct {
	reports.Row
	Label     string
	FilterURL string
}

type managerPage struct {
	web.Overview
	Params         web.ReportParams
	Splits         []reports.Split
	Grains         []reports.Grain
	Chips          []filterChip
	Breakdown      []breakdownView
	ScoresChart    string
	RatesChart     string
	VolumeChart    string
	RisksChart     string
	RiskTrendChart string
	SplitChart     string
	CSV            map[string]string
	JSONURL        string
	ReportWeek     string
	Problem        string
	BarometerDays  float64
	// BarometerWindow says in words how far back the barometer looks.
	BarometerWindow string
	// Corrected says how agents corrected the comment reading in the
	// period, in words.
	Corrected string
}

func (s *Server) pageManager(w http.ResponseWriter, r *http.Request) {
	q, p, err := s.ReportQuery(r.URL.Query())
	problem := web.ProblemOf(err)
	if problem.Status == http.StatusBadRequest {
		// Show the page with the defaults and say what was wrong.
		q, p, _ = s.ReportQuery(nil)
	} else if err != nil {
		s.StaffError(w, "report", err)
		return
	}
	o, err := s.Overview(r.Context(), q, p)
	if err != nil {
		s.StaffError(w, "report", err)
		return
	}
	locale := web.StaffLocale(r)
	page := managerPage{Overview: o, Params: p, Splits: reports.Splits, Grains: reports.Grains,
		ScoresChart: scoresChart(locale, o.Trend).String(), RatesChart: ratesChart(locale, o.Trend).String(), VolumeChart: volumeChart(locale, o.Trend).String(),
		RisksChart: risksChart(locale, o.Risks).String(), RiskTrendChart: riskTrendChart(locale, o.RiskTrend).String(), SplitChart: breakdownChart(locale, o.Breakdown, s.splitLabel).String(),
		BarometerWindow: reports.WindowWords(locale, time.Duration(o.Barometer.WindowHours*float64(time.Hour))),
		JSONURL:         p.Link("/api/v1/reports/overview", nil),
		ReportWeek:      reports.WeekOf(s.Clock.Now(), s.ReportZone()).Prev().String(),
		BarometerDays:   o.Barometer.WindowHours / 24,
		CSV: map[string]string{"trend": p.Link("/manager/export/trend.csv", nil), "risks": p.Link("/manager/export/risks.csv", nil),
			"risk-trend": p.Link("/manager/export/risk-trend.csv", nil),
			"breakdown":  p.Link("/manager/export/breakdown.csv", nil), "reliability": p.Link("/manager/export/reliability.csv", nil)}}
	page.Corrected = correctionsSummary(locale, o.Corrections)
	if problem.Status == http.StatusBadRequest {
		page.Problem = templates.T(locale, "mgr.filter.bad", problem.Field, problem.Message)
	}
	for _, sp := range reports.Splits {
		if v, ok := p.Filters[sp]; ok {
			page.Chips = append(page.Chips, filterChip{Split: sp, Value: s.splitLabel(locale, sp, v), RemoveURL: p.Link("/manager/", nil, string(sp))})
		}
	}
	for _, row := range o.Breakdown.Rows {
		page.Breakdown = append(page.Breakdown, breakdownView{Row: row, Label: s.splitLabel(locale, p.By, row.Key),
			FilterURL: p.Link("/manager/", []string{string(p.By), row.Key})})
	}
	s.RenderStaff(w, r, http.StatusOK, "manager", templates.T(locale, "mgr.title"), page)
}

// correctionsSummary says how many corrections of each kind were made:
// "3 not a complaint, 2 missed going public, 0 missed legal action, 1
// missed leaving".
func correctionsSummary(locale string, counts map[corrections.Kind]int) string {
	parts := make([]string, len(corrections.Kinds))
	for i, k := range corrections.Kinds {
		parts[i] = templates.T(locale, "mgr.corrections."+string(k), counts[k])
	}
	return strings.Join(parts, ", ")
}

// pageManagerCSV exports a chart's figures as CSV (trend, breakdown,
// risks, risk trend, reliability), with the page's query.
func (s *Server) pageManagerCSV(w http.ResponseWriter, r *http.Request) {
	q, p, err := s.ReportQuery(r.URL.Query())
	if p := web.ProblemOf(err); p.Status == http.StatusBadRequest {
		http.Error(w, invalid.Field(p.Field, p.Message).Error(), p.Status)
		return
	} else if err != nil {
		s.StaffError(w, "export", err)
		return
	}
	name := r.PathValue("name")
	var rows [][]string
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	figures := func(f reports.Figures) []string {
		return []string{strconv.Itoa(f.Replies), strconv.Itoa(f.Negative), num(f.NegativeRate), num(f.Distributive), num(f.Procedural),
			num(f.Interactional), num(f.Overall), strconv.Itoa(f.Complaints), strconv.Itoa(f.Sent), strconv.Itoa(f.Answered), num(f.ResponseRate)}
	}
	header := []string{"replies", "negative", "negative_rate", "distributive", "procedural", "interactional", "overall",
		"complaints", "sent", "answered", "response_rate"}
	switch name {
	case "trend.csv":
		t, err := s.Reports.Trend(r.Context(), q)
		if err != nil {
			s.StaffError(w, "export", err)
			return
		}
		rows = append(rows, append([]string{"period", "start"}, header...))
		for _, pt := range t.Points {
			rows = append(rows, append([]string{pt.Period, pt.Start}, figures(pt.Figures)...))
		}
	case "breakdown.csv":
		b, err := s.Reports.Breakdown(r.Context(), q, p.By)
		if err != nil {
			s.StaffError(w, "export", err)
			return
		}
		rows = append(rows, append([]string{string(p.By)}, header...))
		for _, row := range b.Rows {
			rows = append(rows, append([]string{csvText(row.Key)}, figures(row.Figures)...))
		}
	case "risks.csv":
		risks, err := s.Reports.Risks(r.Context(), q)
		if err != nil {
			s.StaffError(w, "export", err)
			return
		}
		rows = append(rows, []string{"risk", "label", "replies", "complaints"})
		for _, rc := range risks {
			rows = append(rows, []string{string(rc.Risk), templates.RiskLabel("en", rc.Risk), strconv.Itoa(rc.Replies), strconv.Itoa(rc.Complaints)})
		}
	case "risk-trend.csv":
		t, err := s.Reports.RiskTrend(r.Context(), q, p.Top)
		if err != nil {
			s.StaffError(w, "export", err)
			return
		}
		// One row per period and risk, empty periods included.
		rows = append(rows, []string{"period", "start", "risk", "label", "replies", "complaints"})
		for _, pt := range t.Points {
			for _, rc := range pt.Risks {
				rows = append(rows, []string{pt.Period, pt.Start, string(rc.Risk), templates.RiskLabel("en", rc.Risk),
					strconv.Itoa(rc.Replies), strconv.Itoa(rc.Complaints)})
			}
		}
	case "reliability.csv":
		rel, err := s.Reports.Reliability(r.Context(), q)
		if err != nil {
			s.StaffError(w, "export", err)
			return
		}
		rows = append(rows, []string{"survey", "dimension", "items", "replies", "alpha", "warning", "undefined"})
		for _, x := range rel {
			rows = append(rows, []string{csvText(x.Survey), x.Dimension, strconv.Itoa(len(x.Items)), strconv.Itoa(x.Replies), num(x.Alpha),
				strconv.FormatBool(x.Warning), x.Undefined})
		}
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="followup-%s-%s-%s"`, p.From, p.To, name))
	cw := csv.NewWriter(w)
	_ = cw.WriteAll(rows)
}

// csvText keeps a text cell from being read as a formula by spreadsheets
// (a touchpoint named "=HYPERLINK(...)").
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
