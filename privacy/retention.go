package privacy

import (
	"context"
	"fmt"
	"time"
)

// Purged is what one retention pass erased, per kind of text: "responses"
// (comments, free-text answers and the evidence quoted from them),
// "complaint_messages" (the emails of complaints' conversations),
// "inbound_messages" (the mail received, raw and parsed) and "alerts" (the
// customers' words they quote).
type Purged struct {
	Cutoff time.Time        `json:"cutoff"`
	Rows   map[string]int64 `json:"rows"`
}

// Total is how many rows the pass changed.
func (p Purged) Total() int64 {
	var n int64
	for _, v := range p.Rows {
		n += v
	}
	return n
}

// Cutoff is the time before which comments and messages are purged for a
// retention of months at now.
func Cutoff(now time.Time, months int) time.Time { return now.AddDate(0, -months, 0) }

// Purge erases, in one transaction, the comments and messages written
// before the retention period of months ends at now, the way Erase does
// for one customer (replaced by "[erased]", the figures kept). months 0
// keeps everything and does nothing. A pass that finds nothing new changes
// no row.
func (s *Service) Purge(ctx context.Context, now time.Time, months int) (Purged, error) {
	p := Purged{Rows: map[string]int64{}}
	if months <= 0 {
		return p, nil
	}
	p.Cutoff = Cutoff(now, months)
	tx, err := s.DB.BeginTxx(ctx, nil)
	if err != nil {
		return p, fmt.Errorf("purge past retention: %w", err)
	}
	defer tx.Rollback()
	steps := []struct {
		kind string
		run  func() (int64, error)
	}{
		{"responses", func() (int64, error) { return s.Surveys.PurgeResponses(ctx, tx, p.Cutoff) }},
		{"complaint_messages", func() (int64, error) { return s.Complaints.PurgeMessages(ctx, tx, p.Cutoff) }},
		{"inbound_messages", func() (int64, error) { return s.Inbound.PurgeMessages(ctx, tx, p.Cutoff) }},
		{"alerts", func() (int64, error) { return s.Alerts.PurgeAlerts(ctx, tx, p.Cutoff) }},
	}
	for _, st := range steps {
		n, err := st.run()
		if err != nil {
			return p, err
		}
		p.Rows[st.kind] = n
	}
	if err := tx.Commit(); err != nil {
		return p, fmt.Errorf("purge past retention: %w", err)
	}
	return p, nil
}
