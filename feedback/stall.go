package feedback

import (
	"fmt"
	"strings"
	"time"

	"github.com/followup/followup/scheduler"
)

// workNames say in words what each kind of work the reconciler watches is.
var workNames = map[string]string{
	scheduler.WorkSendBatches:     "survey emails (send batches)",
	scheduler.WorkResponses:       "the scoring of replies",
	scheduler.WorkAlerts:          "alerts to the team",
	scheduler.WorkComplaintEmails: "emails to complainants (acknowledgements, replies, resolutions)",
	scheduler.WorkInboundMessages: "emails received (replies, bounces) to read",
}

// StalledAlert is the alert telling the admins that work has waited past
// its expected time. Its id names the kind of work and when the oldest
// waiting work became due, so a stall is alerted once even when a new
// scheduler leader sees it again. queuesURL links to the queue dashboard.
func StalledAlert(s scheduler.Stall, queuesURL string, now time.Time) (Alert, error) {
	a, err := NewAlert(fmt.Sprintf("work-stalled:%s:%d", s.Work, s.Since.Unix()), WorkStalledAlert{Work: s.Work,
		WaitingSince: s.Since.UTC(), WaitedSeconds: int64(s.Waited / time.Second), ExpectedSeconds: int64(s.After / time.Second)})
	name := workNames[s.Work]
	if name == "" {
		name = s.Work
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Work stalled: %s have waited %s (expected within %s), the oldest since %s.", name,
		span(s.Waited), span(s.After), stamp(s.Since))
	b.WriteString(" The reconciler queues it again and revives archived tasks; if it still waits, look for the cause (SMTP server, database, workers) in the logs and the queues")
	if queuesURL != "" {
		b.WriteString(": " + queuesURL)
	}
	b.WriteString(".")
	a.Audience, a.Text, a.CreatedAt = AudienceAdmins, b.String(), now
	return a, err
}

// span is a duration as an admin reads it at a glance: 2h5m, 1h, 45m, 30s.
func span(d time.Duration) string {
	if d < time.Minute {
		return d.Round(time.Second).String()
	}
	out := strings.TrimSuffix(d.Round(time.Minute).String(), "0s") // 2h5m, 1h0m, 45m
	if strings.HasSuffix(out, "h0m") {
		out = strings.TrimSuffix(out, "0m")
	}
	return out
}
