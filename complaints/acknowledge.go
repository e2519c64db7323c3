package complaints

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followup/followup/internal/prepared"
)

// Mild is a complaint its survey may spare the acknowledgement: the lowest
// priority and no escalation signal.
func Mild(p Priority, escalations []string) bool { return p == P4 && len(escalations) == 0 }

// Acknowledgements is what AcknowledgeOpened decided.
type Acknowledgements struct {
	// Queued maps complaint ids to their acknowledgement message.
	Queued map[int64]int64
	// Skipped are mild complaints whose survey spares them the email.
	Skipped []int64
}

// acknowledgeSQL queues the acknowledgements of complaints $1, or records
// why not, in one statement (the entry's data is a MessageSettledEvent's).
var acknowledgeSQL = `
WITH c AS (
    -- The survey's setting is read only for mild complaints, by index
    -- lookups: a join would let the planner scan every response.
    SELECT c.id, CASE WHEN c.priority = 4 AND cardinality(c.escalations) = 0 THEN NOT (
        SELECT s.acknowledge_mild FROM responses r
        JOIN survey_versions v ON v.id = r.survey_version_id
        JOIN surveys s ON s.id = v.survey_id
        WHERE r.id = c.response_id) ELSE false END AS skip
    FROM complaints c
    WHERE c.id = ANY (` + opaqueIDs + `)
), m AS (
    INSERT INTO complaint_messages (complaint_id, kind, send_at, created_at)
    SELECT id, 'acknowledgement', $2, $3 FROM c WHERE NOT skip
    RETURNING id, complaint_id
), a AS (
    INSERT INTO complaint_events (complaint_id, kind, actor, data, created_at)
    SELECT id, 'acknowledgement_skipped', 'system', '{"reason": "mild case: the survey spares mild cases the acknowledgement"}', $3
    FROM c WHERE skip
)
SELECT c.id AS complaint_id, m.id AS message_id FROM c LEFT JOIN m ON m.complaint_id = c.id`

// opaqueIDs is the array of complaint ids of a batch statement, opaque to
// the planner so that its prepared plan is kept (prepared.Opaque).
var opaqueIDs = prepared.Opaque("$1::bigint[]")

// AcknowledgeOpened queues, inside the transaction that opened them, the
// acknowledgement of each complaint, to send at sendAt: the customer hears
// at once that they were read, who will contact them and by when. A mild
// complaint whose survey is configured so gets none; the trail says so.
// One statement for the whole batch.
func (s *Store) AcknowledgeOpened(ctx context.Context, tx *sqlx.Tx, ids []int64, sendAt, now time.Time) (Acknowledgements, error) {
	out := Acknowledgements{Queued: map[int64]int64{}}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ComplaintID int64  `db:"complaint_id"`
		MessageID   *int64 `db:"message_id"`
	}
	st, err := s.stmts.In(ctx, tx, acknowledgeSQL)
	if err == nil {
		err = st.SelectContext(ctx, &rows, pq.Int64Array(ids), sendAt, now)
	}
	if err != nil {
		return out, fmt.Errorf("acknowledge %d complaints: %w", len(ids), err)
	}
	for _, r := range rows {
		if r.MessageID != nil {
			out.Queued[r.ComplaintID] = *r.MessageID
		} else {
			out.Skipped = append(out.Skipped, r.ComplaintID)
		}
	}
	return out, nil
}
