package staff

import (
	"testing"

	"github.com/followup/followup/surveys"
)

func TestReasonText(t *testing.T) {
	for _, tc := range []struct {
		r    surveys.Reason
		want string
	}{
		{surveys.Reason{Kind: surveys.ReasonLowScore, Dimension: surveys.Procedural, Score: 12.5, Threshold: 50},
			"Process (procedural) score 12/100, under the survey's threshold of 50"},
		{surveys.Reason{Kind: surveys.ReasonLowScore, Dimension: surveys.Overall, Score: 40, Threshold: 45},
			"Overall score 40/100, under the survey's threshold of 45"},
		{surveys.Reason{Kind: surveys.ReasonDetractor, Dimension: surveys.Overall, Score: 0},
			"Rated 0 out of 10: a detractor (0 to 6)"},
		{surveys.Reason{Kind: surveys.ReasonSignal, Signal: surveys.SignalLegal, Evidence: "avocat"},
			"Comment: the customer mentions legal or regulatory action: “avocat”"},
		{surveys.Reason{Kind: surveys.ReasonSignal, Signal: surveys.SignalLeave},
			"Comment: the customer intends to leave"},
		{surveys.Reason{Kind: "new_rule"}, "new rule"},
	} {
		if got := reasonText(tc.r); got != tc.want {
			t.Errorf("%+v:\n got %q\nwant %q", tc.r, got, tc.want)
		}
	}
}
