package staff

import (
	"fmt"
	"testing"
	"time"

	"github.com/followup/followup/complaints"
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

// TestConversation: emails out and messages in, in the order they were
// sent or received (an email not sent yet at its due time), with the
// customer named as the author of what they wrote.
func TestConversation(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 12, 2, h, 0, 0, 0, time.UTC) }
	sent := func(h int) *time.Time { v := at(h); return &v }
	d := complaints.Detail{Customer: complaints.CustomerCard{Name: "Zoé Tremblay"}, Messages: []complaints.MessageInfo{
		{ID: 1, Kind: complaints.MessageAcknowledgement, State: "sent", SendAt: at(9), SentAt: sent(9), Author: "followup"},
		{ID: 2, Kind: complaints.MessageReply, State: "sent", SendAt: at(11), SentAt: sent(11), Author: "Sam"},
		{ID: 3, Kind: "inbound", State: "received", SendAt: at(10), SentAt: sent(10), Author: "followup"},
		{ID: 4, Kind: complaints.MessageResolution, State: "pending", SendAt: at(12), Author: "Sam"},
	}}
	got := conversation(d)
	var order []int64
	for _, m := range got {
		order = append(order, m.ID)
	}
	if fmt.Sprint(order) != "[1 3 2 4]" {
		t.Fatalf("order %v, want [1 3 2 4]", order)
	}
	if !got[1].In || got[1].Author != "Zoé Tremblay" || got[0].In || got[2].In {
		t.Errorf("directions: %+v", got)
	}
	if !got[3].Pending || got[2].Pending {
		t.Errorf("pending: %+v", got)
	}
}
