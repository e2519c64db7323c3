package templates

import (
	"github.com/followup/followup/reports"
	"github.com/followup/followup/surveys"
)

// The managers' pages format figures that may be missing (no reply, no
// rate); they are in English, like every staff page.
func init() {
	htmlFuncs["score"] = func(v *float64) string {
		if v == nil {
			return "–"
		}
		return Number("en", *v, 1)
	}
	htmlFuncs["share"] = func(v *float64) string {
		if v == nil {
			return "–"
		}
		return Percent("en", *v)
	}
	htmlFuncs["riskLabel"] = func(r surveys.Risk) string { return RiskLabel("en", r) }
	htmlFuncs["causeLabel"] = func(c reports.Cause) string { return CauseLabel("en", c) }
	htmlFuncs["indicatorValue"] = func(v any, unit string) string {
		switch x := v.(type) {
		case float64:
			return IndicatorValue("en", x, unit)
		case *float64:
			if x != nil {
				return IndicatorValue("en", *x, unit)
			}
		}
		return "–"
	}
	htmlFuncs["dimensionLabel"] = func(d string) string { return T("en", "dimension."+d) }
}
