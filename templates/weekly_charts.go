package templates

import (
	"github.com/followup/followup/reports"
	"github.com/followup/followup/reports/charts"
)

// Image is a picture an email shows inline, by its name (cid:NAME).
type Image struct {
	Name, ContentType string
	Data              []byte
}

// WeeklyCharts draws the report's charts: the scores per dimension over
// the trend's weeks (trend.png) and, when a risk showed, the week's risks
// (risks.png).
func WeeklyCharts(r reports.WeeklyReport, locale string) ([]Image, error) {
	labels := make([]string, len(r.Trend.Points))
	series := []charts.Series{
		{Name: T(locale, "dimension.distributive")}, {Name: T(locale, "dimension.procedural")},
		{Name: T(locale, "dimension.interactional")}, {Name: T(locale, "dimension.overall")},
	}
	for i, p := range r.Trend.Points {
		labels[i] = p.Period
		series[0].Values = append(series[0].Values, p.Distributive)
		series[1].Values = append(series[1].Values, p.Procedural)
		series[2].Values = append(series[2].Values, p.Interactional)
		series[3].Values = append(series[3].Values, p.Overall)
	}
	trend, err := charts.Lines(T(locale, "report.trend.title"), labels, series, 0, 100)
	if err != nil {
		return nil, err
	}
	out := []Image{{Name: "trend.png", ContentType: "image/png", Data: trend}}
	var names []string
	var counts []float64
	for _, rc := range r.Risks {
		if rc.Replies > 0 && len(names) < 8 {
			names = append(names, RiskLabel(locale, rc.Risk))
			counts = append(counts, float64(rc.Replies))
		}
	}
	if len(names) > 0 {
		risks, err := charts.Bars(T(locale, "report.risks.title"), names, counts)
		if err != nil {
			return nil, err
		}
		out = append(out, Image{Name: "risks.png", ContentType: "image/png", Data: risks})
	}
	return out, nil
}
