package scheduler

import (
	"context"
	"fmt"
	"math"
	"time"
)

// Stats is what a campaign did.
type Stats struct {
	// Invited counts every invitation of the campaign, whatever became of it.
	Invited int `json:"invited"`
	// Scheduled is waiting to be sent (scheduled or queued).
	Scheduled int `json:"scheduled"`
	// Sent counts invitations whose email went out (answered and expired included).
	Sent          int `json:"sent"`
	RemindersSent int `json:"reminders_sent"`
	Answered      int `json:"answered"`
	// Completed and Partial split the replies: Completed answered every
	// scale question (the rating and each item of justice), Partial did
	// not (the email's rating and a comment, say) — and still counts.
	Completed int `json:"completed"`
	Partial   int `json:"partial"`
	Negative  int `json:"negative"`
	Failed    int `json:"failed"`
	Expired   int `json:"expired"`
	// Suppressed counts invitations withdrawn, by reason (opted_out,
	// frequency_cap, campaign_archived...).
	Suppressed map[string]int `json:"suppressed"`
	// FailedBy counts failures by cause, the first word of their reason
	// (bounced, rejected, temporary, render).
	FailedBy map[string]int `json:"failed_by"`
	// ResponseRate is Answered / Sent; NegativeRate is Negative / Answered.
	ResponseRate float64 `json:"response_rate"`
	NegativeRate float64 `json:"negative_rate"`
	// Days is the activity per day (UTC), oldest first.
	Days []DayStats `json:"days"`
}

// DayStats is one day of a campaign.
type DayStats struct {
	Day      string `json:"day" db:"day"`
	Sent     int    `json:"sent" db:"sent"`
	Answered int    `json:"answered" db:"answered"`
	Negative int    `json:"negative" db:"negative"`
}

// Stats computes a campaign's figures; days bounds the daily series.
func (s *Store) Stats(ctx context.Context, campaignID int64, days int, now time.Time) (Stats, error) {
	st := Stats{Suppressed: map[string]int{}, FailedBy: map[string]int{}, Days: []DayStats{}}
	if _, err := s.Get(ctx, campaignID); err != nil {
		return st, err
	}
	var rows []struct {
		State     string `db:"state"`
		Reason    string `db:"reason"`
		N         int    `db:"n"`
		WasSent   int    `db:"was_sent"`
		Reminders int    `db:"reminders"`
	}
	// A failure's cause is the first word of its reason: "bounced: 550 …",
	// "rejected: …", "temporary delivery failure after 8 attempts".
	if err := s.db.SelectContext(ctx, &rows, `SELECT state, CASE WHEN state = 'suppressed' THEN split_part(reason, ':', 1)
			WHEN state = 'failed' THEN split_part(split_part(reason, ':', 1), ' ', 1) ELSE '' END AS reason,
			count(*) AS n, count(sent_at) AS was_sent, COALESCE(sum(reminders_sent), 0) AS reminders
		FROM invitations WHERE campaign_id = $1 GROUP BY 1, 2`, campaignID); err != nil {
		return st, fmt.Errorf("stats of campaign %d: %w", campaignID, err)
	}
	for _, r := range rows {
		st.Invited += r.N
		st.Sent += r.WasSent
		st.RemindersSent += r.Reminders
		switch r.State {
		case InvitationScheduled, InvitationQueued:
			st.Scheduled += r.N
		case InvitationAnswered:
			st.Answered += r.N
		case InvitationExpired:
			st.Expired += r.N
		case InvitationFailed:
			st.Failed += r.N
			st.FailedBy[r.Reason] += r.N
		case InvitationSuppressed:
			st.Suppressed[r.Reason] += r.N
		}
	}
	if err := s.db.QueryRowxContext(ctx, `SELECT count(*) FILTER (WHERE r.negative), count(*) FILTER (WHERE r.completed),
			count(*) FILTER (WHERE NOT r.completed)
		FROM responses r JOIN invitations i ON i.id = r.invitation_id
		WHERE i.campaign_id = $1`, campaignID).Scan(&st.Negative, &st.Completed, &st.Partial); err != nil {
		return st, fmt.Errorf("replies of campaign %d: %w", campaignID, err)
	}
	st.ResponseRate = ratio(st.Answered, st.Sent)
	st.NegativeRate = ratio(st.Negative, st.Answered)
	if err := s.db.SelectContext(ctx, &st.Days, `
WITH days AS (
    SELECT generate_series(date_trunc('day', $2::timestamptz AT TIME ZONE 'UTC') - make_interval(days => $3 - 1),
                           date_trunc('day', $2::timestamptz AT TIME ZONE 'UTC'), interval '1 day') AS day
), sent AS (
    SELECT date_trunc('day', sent_at AT TIME ZONE 'UTC') AS day, count(*) AS n FROM invitations
    WHERE campaign_id = $1 AND sent_at IS NOT NULL GROUP BY 1
), answered AS (
    SELECT date_trunc('day', r.submitted_at AT TIME ZONE 'UTC') AS day, count(*) AS n, count(*) FILTER (WHERE r.negative) AS neg
    FROM responses r JOIN invitations i ON i.id = r.invitation_id WHERE i.campaign_id = $1 GROUP BY 1
)
SELECT to_char(d.day, 'YYYY-MM-DD') AS day, COALESCE(s.n, 0) AS sent, COALESCE(a.n, 0) AS answered, COALESCE(a.neg, 0) AS negative
FROM days d LEFT JOIN sent s ON s.day = d.day LEFT JOIN answered a ON a.day = d.day
ORDER BY d.day`, campaignID, now, days); err != nil {
		return st, fmt.Errorf("daily stats of campaign %d: %w", campaignID, err)
	}
	return st, nil
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return math.Round(float64(a)/float64(b)*10000) / 10000
}
