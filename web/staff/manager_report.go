package staff

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/followup/followup/invalid"
	"github.com/followup/followup/reports"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/web"
)

// pageWeeklyReport shows a week's report as the managers receive it (in a
// frame: it is a whole email document), in either language.
func (s *Server) pageWeeklyReport(w http.ResponseWriter, r *http.Request) {
	week, err := s.ReportWeek(r.URL.Query().Get("week"))
	if p := web.ProblemOf(err); p.Status == http.StatusBadRequest {
		http.Error(w, invalid.Field(p.Field, p.Message).Error(), p.Status)
		return
	}
	locale := s.reportLocale(r.URL.Query().Get("lang"))
	loc := s.ReportZone()
	s.RenderStaff(w, r, http.StatusOK, "manager_report", templates.T(web.StaffLocale(r), "wr.title", week.String()), map[string]any{
		"Week": week.String(), "Prev": week.Prev().String(), "Next": reports.WeekOf(week.End(loc), loc).String(),
		"Locale": locale, "Frame": fmt.Sprintf("/manager/report/%s/email.html?lang=%s", week, locale),
		"JSON": "/api/v1/reports/weekly?week=" + week.String()})
}

// reportLocale is the preview's language: asked for, else the report's.
func (s *Server) reportLocale(asked string) string {
	if asked == "en" || asked == "fr" {
		return asked
	}
	if s.Barometer != nil && s.Barometer.Locale != "" {
		return s.Barometer.Locale
	}
	return "en"
}

// pageWeeklyFile serves the week's report email (email.html) and its
// charts (trend.png, risks.png), as the email carries them.
func (s *Server) pageWeeklyFile(w http.ResponseWriter, r *http.Request) {
	week, err := reports.ParseWeek(r.PathValue("week"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	locale := s.reportLocale(r.URL.Query().Get("lang"))
	rep, err := s.Reports.Weekly(r.Context(), week, s.Clock.Now(), s.ReportZone())
	if err != nil {
		s.StaffError(w, "weekly report", err)
		return
	}
	images, err := templates.WeeklyCharts(rep, locale)
	if err != nil {
		s.StaffError(w, "weekly report charts", err)
		return
	}
	name := r.PathValue("file")
	if name == "email.html" {
		view := s.Templates.WeeklyReport(rep, locale, "", true)
		if len(images) < 2 {
			view.RisksImage = ""
		}
		e, err := s.Templates.RenderEmail("report", locale, view)
		if err != nil {
			s.StaffError(w, "weekly report", err)
			return
		}
		// The email's images are its attachments; here they sit beside it.
		html := strings.ReplaceAll(e.HTML, `src="cid:`, `src="`)
		html = strings.ReplaceAll(html, `.png"`, `.png?lang=`+locale+`"`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(html))
		return
	}
	for _, img := range images {
		if img.Name == name {
			w.Header().Set("Content-Type", img.ContentType)
			w.Header().Set("Cache-Control", "private, max-age=300")
			_, _ = w.Write(img.Data)
			return
		}
	}
	http.NotFound(w, r)
}
