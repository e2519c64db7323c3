package complaints

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// ExportComplaints returns every complaint of a customer, oldest first, as
// JSON objects holding every column of the complaint with its
// conversation ("messages": the emails to and from the customer), its
// trail ("events") and its compensation ("compensation": the grants and
// requests).
func (s *Store) ExportComplaints(ctx context.Context, tx sqlx.QueryerContext, customerID int64) ([]json.RawMessage, error) {
	var rows []string
	err := sqlx.SelectContext(ctx, tx, &rows, `SELECT (to_jsonb(c) - 'customer_id' || jsonb_build_object(
		'messages', (SELECT coalesce(jsonb_agg(to_jsonb(m) - 'complaint_id' ORDER BY m.id), '[]') FROM complaint_messages m WHERE m.complaint_id = c.id),
		'events', (SELECT coalesce(jsonb_agg(to_jsonb(e) - 'complaint_id' ORDER BY e.id), '[]') FROM complaint_events e WHERE e.complaint_id = c.id),
		'compensation', (SELECT coalesce(jsonb_agg(to_jsonb(g) - 'complaint_id' ORDER BY g.id), '[]') FROM compensation_grants g WHERE g.complaint_id = c.id)
		))::text FROM complaints c WHERE c.customer_id = $1 ORDER BY c.opened_at, c.id`, customerID)
	if err != nil {
		return nil, fmt.Errorf("export complaints of customer %d: %w", customerID, err)
	}
	out := make([]json.RawMessage, len(rows))
	for i, r := range rows {
		out[i] = json.RawMessage(r)
	}
	return out, nil
}

// erasedEventData is the data of a complaint_events row e with the free
// text people wrote (notes, replies, summaries, compensation notes and the
// managers' reasons) replaced by "[erased]"; codes, amounts and times stay.
const erasedEventData = `(SELECT coalesce(jsonb_object_agg(d.k, CASE WHEN jsonb_typeof(d.v) = 'string' AND d.v #>> '{}' <> ''
	AND (d.k IN ('text', 'body', 'subject', 'note', 'why', 'summary')
	     OR (d.k = 'reason' AND e.kind IN ('compensation_approved', 'compensation_refused', 'reopened')))
	THEN to_jsonb('[erased]'::text) ELSE d.v END), '{}'::jsonb) FROM jsonb_each(e.data) AS d(k, v))`

// erasedText is a text column col made "[erased]" unless it is empty.
func erasedText(col string) string {
	return fmt.Sprintf("CASE WHEN %[1]s = '' THEN '' ELSE '[erased]' END", col)
}

// EraseComplaints replaces, in tx, what was written by or about a customer
// in their complaints: the subject and body of every email of the
// conversation (kept with their direction, kind, state and times for the
// CX history), the address in a failure's reason, the notes, replies and
// reasons of the trail, the resolution, the evidence quoted from their
// comment and the compensation notes. An email still waiting to be sent is
// skipped. Priorities, deadlines, states and amounts stay for the reports.
// It returns the rows changed per table.
func (s *Store) EraseComplaints(ctx context.Context, tx sqlx.ExtContext, customerID int64, email string) (map[string]int64, error) {
	counts := map[string]int64{}
	steps := []struct {
		table, sql string
		mention    bool
	}{
		{"complaint_messages", `UPDATE complaint_messages m SET state = 'skipped', reason = 'the customer was erased'
			FROM complaints c WHERE c.id = m.complaint_id AND c.customer_id = $1 AND m.state = 'pending'`, false},
		{"complaint_messages", `UPDATE complaint_messages m SET subject = ` + erasedText("m.subject") + `, body = ` + erasedText("m.body") + `,
			reason = erase_mention(m.reason, $2)
			FROM complaints c WHERE c.id = m.complaint_id AND c.customer_id = $1
			AND (m.subject NOT IN ('', '[erased]') OR m.body NOT IN ('', '[erased]') OR m.reason <> erase_mention(m.reason, $2))`, true},
		{"complaint_events", `UPDATE complaint_events e SET data = ` + erasedEventData + `
			FROM complaints c WHERE c.id = e.complaint_id AND c.customer_id = $1 AND e.data <> ` + erasedEventData, false},
		{"complaints", `UPDATE complaints c SET resolution = ` + erasedText("c.resolution") + `,
			reasons = erase_evidence(c.reasons), priority_reasons = erase_evidence(c.priority_reasons)
			WHERE c.customer_id = $1 AND (c.resolution NOT IN ('', '[erased]')
			OR c.reasons <> erase_evidence(c.reasons) OR c.priority_reasons <> erase_evidence(c.priority_reasons))`, false},
		{"compensation_grants", `UPDATE compensation_grants g SET note = ` + erasedText("g.note") + `, decision_reason = ` + erasedText("g.decision_reason") + `
			FROM complaints c WHERE c.id = g.complaint_id AND c.customer_id = $1
			AND (g.note NOT IN ('', '[erased]') OR g.decision_reason NOT IN ('', '[erased]'))`, false},
	}
	for _, st := range steps {
		args := []any{customerID}
		if st.mention {
			args = append(args, email)
		}
		res, err := tx.ExecContext(ctx, st.sql, args...)
		if err != nil {
			return nil, fmt.Errorf("erase %s of customer %d: %w", st.table, customerID, err)
		}
		n, _ := res.RowsAffected()
		counts[st.table] += n
	}
	return counts, nil
}

// PurgeMessages replaces, in tx, the subject and body of the complaint
// emails written before cutoff (the retention period), and the replies'
// text kept in the trail, by "[erased]"; it returns how many emails
// changed.
func (s *Store) PurgeMessages(ctx context.Context, tx sqlx.ExecerContext, cutoff time.Time) (int64, error) {
	res, err := tx.ExecContext(ctx, `UPDATE complaint_messages m SET subject = `+erasedText("m.subject")+`, body = `+erasedText("m.body")+`
		WHERE m.created_at < $1 AND m.state <> 'pending' AND (m.subject NOT IN ('', '[erased]') OR m.body NOT IN ('', '[erased]'))`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("purge the complaint emails written before %s: %w", cutoff.Format(time.RFC3339), err)
	}
	n, _ := res.RowsAffected()
	if _, err := tx.ExecContext(ctx, `UPDATE complaint_events e SET data = `+erasedEventData+`
		WHERE e.created_at < $1 AND e.kind IN ('reply', 'customer_emailed') AND e.data <> `+erasedEventData, cutoff); err != nil {
		return 0, fmt.Errorf("purge the replies in complaint trails before %s: %w", cutoff.Format(time.RFC3339), err)
	}
	return n, nil
}
