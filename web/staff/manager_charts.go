package staff

import (
	"encoding/json"
	"math"

	"github.com/followup/followup/reports"
	"github.com/followup/followup/templates"
)

// chartSpec is what manager.js hands to Chart.js: the pages put it in the
// canvas's data-chart attribute.
type chartSpec struct {
	Type       string         `json:"type"` // line or bar
	Title      string         `json:"title,omitempty"`
	Labels     []string       `json:"labels"`
	Datasets   []chartDataset `json:"datasets"`
	YMin       *float64       `json:"y_min,omitempty"`
	YMax       *float64       `json:"y_max,omitempty"`
	Horizontal bool           `json:"horizontal,omitempty"`
	// Unit follows the values on the axis and in tooltips ("%").
	Unit string `json:"unit,omitempty"`
}

type chartDataset struct {
	Label string     `json:"label"`
	Data  []*float64 `json:"data"`
	Color string     `json:"color,omitempty"`
}

func (c chartSpec) String() string {
	b, _ := json.Marshal(c)
	return string(b)
}

func fp(v float64) *float64 { return &v }

// percent turns a share (0–1) into a percentage for a chart.
func percent(v *float64) *float64 {
	if v == nil {
		return nil
	}
	return fp(math.Round(*v*1000) / 10)
}

// scoresChart is the trend of the scores per dimension.
func scoresChart(locale string, t reports.Trend) chartSpec {
	c := chartSpec{Type: "line", Title: templates.T(locale, "chart.scores"), YMin: fp(0), YMax: fp(100)}
	ds := []chartDataset{{Label: templates.T(locale, "dimension.distributive")}, {Label: templates.T(locale, "dimension.procedural")},
		{Label: templates.T(locale, "dimension.interactional")}, {Label: templates.T(locale, "dimension.overall")}}
	for _, p := range t.Points {
		c.Labels = append(c.Labels, p.Period)
		ds[0].Data = append(ds[0].Data, p.Distributive)
		ds[1].Data = append(ds[1].Data, p.Procedural)
		ds[2].Data = append(ds[2].Data, p.Interactional)
		ds[3].Data = append(ds[3].Data, p.Overall)
	}
	c.Datasets = ds
	return c
}

// ratesChart is the trend of the negative and response rates.
func ratesChart(locale string, t reports.Trend) chartSpec {
	c := chartSpec{Type: "line", Title: templates.T(locale, "chart.rates"), YMin: fp(0), YMax: fp(100), Unit: "%"}
	ds := []chartDataset{{Label: templates.T(locale, "chart.negative"), Color: "#d55e00"}, {Label: templates.T(locale, "chart.response"), Color: "#0072b2"}}
	for _, p := range t.Points {
		c.Labels = append(c.Labels, p.Period)
		ds[0].Data = append(ds[0].Data, percent(p.NegativeRate))
		ds[1].Data = append(ds[1].Data, percent(p.ResponseRate))
	}
	c.Datasets = ds
	return c
}

// volumeChart is the replies and complaints per period.
func volumeChart(locale string, t reports.Trend) chartSpec {
	c := chartSpec{Type: "bar", Title: templates.T(locale, "chart.volume")}
	ds := []chartDataset{{Label: templates.T(locale, "chart.replies"), Color: "#56b4e9"}, {Label: templates.T(locale, "chart.opened"), Color: "#d55e00"}}
	for _, p := range t.Points {
		c.Labels = append(c.Labels, p.Period)
		ds[0].Data = append(ds[0].Data, fp(float64(p.Replies)))
		ds[1].Data = append(ds[1].Data, fp(float64(p.Complaints)))
	}
	c.Datasets = ds
	return c
}

// risksChart is the risks' bars: replies and complaints showing each.
func risksChart(locale string, risks []reports.RiskCount) chartSpec {
	c := chartSpec{Type: "bar", Title: templates.T(locale, "mgr.risks"), Horizontal: true}
	ds := []chartDataset{{Label: templates.T(locale, "chart.replies")}, {Label: templates.T(locale, "chart.complaints"), Color: "#d55e00"}}
	for _, r := range risks {
		c.Labels = append(c.Labels, templates.RiskLabel(locale, r.Risk))
		ds[0].Data = append(ds[0].Data, fp(float64(r.Replies)))
		ds[1].Data = append(ds[1].Data, fp(float64(r.Complaints)))
	}
	c.Datasets = ds
	return c
}

// riskTrendChart follows the top risks period by period: one line per
// risk, the replies showing it. A reply may show several risks, so the
// lines are not stacked.
func riskTrendChart(locale string, t reports.RiskTrend) chartSpec {
	c := chartSpec{Type: "line", Title: templates.T(locale, "chart.risktrend"), YMin: fp(0), Labels: []string{}}
	ds := make([]chartDataset, len(t.Risks))
	for i, r := range t.Risks {
		ds[i].Label = templates.RiskLabel(locale, r)
	}
	for _, p := range t.Points {
		c.Labels = append(c.Labels, p.Period)
		for i, rc := range p.Risks {
			ds[i].Data = append(ds[i].Data, fp(float64(rc.Replies)))
		}
	}
	c.Datasets = ds
	return c
}

// breakdownChart is the negative rate per value of a split.
func breakdownChart(locale string, b reports.Breakdown, name func(string, reports.Split, string) string) chartSpec {
	c := chartSpec{Type: "bar", Title: templates.T(locale, "chart.split", templates.T(locale, "split."+string(b.By))), Horizontal: true, YMin: fp(0), YMax: fp(100), Unit: "%"}
	ds := chartDataset{Label: templates.T(locale, "chart.negative"), Color: "#d55e00"}
	for _, r := range b.Rows {
		if r.Replies == 0 {
			continue
		}
		c.Labels = append(c.Labels, name(locale, b.By, r.Key))
		ds.Data = append(ds.Data, percent(r.NegativeRate))
	}
	c.Datasets = []chartDataset{ds}
	return c
}

// effectChart puts an action's before and after side by side.
func effectChart(locale string, e reports.Effectiveness) chartSpec {
	c := chartSpec{Type: "bar", Title: templates.T(locale, "chart.effect"), YMin: fp(0), YMax: fp(100),
		Labels: []string{templates.T(locale, "dimension.distributive"), templates.T(locale, "dimension.procedural"),
			templates.T(locale, "dimension.interactional"), templates.T(locale, "dimension.overall"), templates.T(locale, "chart.negative.pct")}}
	side := func(label, color string, s reports.EffectSide) chartDataset {
		f := s.Figures
		return chartDataset{Label: label, Color: color, Data: []*float64{f.Distributive, f.Procedural, f.Interactional, f.Overall, percent(f.NegativeRate)}}
	}
	c.Datasets = []chartDataset{side(templates.T(locale, "chart.before"), "#999999", e.Before), side(templates.T(locale, "chart.after"), "#0072b2", e.After)}
	if e.Measure == "risk_rate" {
		c.Labels = append(c.Labels, templates.T(locale, "chart.riskrate"))
		c.Datasets[0].Data = append(c.Datasets[0].Data, percent(e.Before.RiskRate))
		c.Datasets[1].Data = append(c.Datasets[1].Data, percent(e.After.RiskRate))
	}
	return c
}

// splitLabel names a split's value: a touchpoint, a channel or a team by
// its display name (never its code); replies without one are "(none)".
func (s *Server) splitLabel(locale string, by reports.Split, k string) string {
	switch {
	case k == "":
		return templates.T(locale, "chart.none")
	case by == reports.ByTouchpoint || by == reports.ByChannel || by == reports.ByTeam:
		return s.Templates.Label(locale, string(by), k)
	}
	return k
}
