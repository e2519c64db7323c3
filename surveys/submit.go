package surveys

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Submission is one customer's answers to store.
type Submission struct {
	Invitation Invitation
	Survey     *Survey
	Answers    Answers
	Locale     string
	// Result, when set, stores the response already scored (the page
	// scores inline); otherwise it waits for the scoring task.
	Result *Result
}

// Insert stores one submission inside tx; see InsertMany.
func (s *Store) Insert(ctx context.Context, tx *sqlx.Tx, inv Invitation, sv *Survey, answers Answers, locale string, now time.Time, res *Result) (Submitted, error) {
	out, err := s.InsertMany(ctx, tx, []Submission{{Invitation: inv, Survey: sv, Answers: answers, Locale: locale, Result: res}}, now)
	if err != nil {
		return Submitted{}, err
	}
	return out[0], nil
}

// submissionRow is one response as InsertMany sends it: the whole batch
// travels as one JSON array, read by PostgreSQL's jsonb_to_recordset.
type submissionRow struct {
	Ord             int            `json:"ord"`
	InvitationID    int64          `json:"invitation_id"`
	CustomerID      int64          `json:"customer_id"`
	SurveyVersionID int64          `json:"survey_version_id"`
	Locale          string         `json:"locale"`
	Answers         Answers        `json:"answers"`
	Comment         string         `json:"comment"`
	Completed       bool           `json:"completed"`
	Scored          bool           `json:"scored"`
	Distributive    *float64       `json:"score_distributive"`
	Procedural      *float64       `json:"score_procedural"`
	Interactional   *float64       `json:"score_interactional"`
	Overall         *float64       `json:"score_overall"`
	NPS             *int           `json:"nps"`
	NPSCategory     *string        `json:"nps_category"`
	Negative        *bool          `json:"negative"`
	Reasons         []Reason       `json:"reasons"`
	Signals         []Signal       `json:"signals"`
	Risks           []Risk         `json:"risks"`
	RiskEvidence    []RiskEvidence `json:"risk_evidence"`
}

const insertResponsesSQL = `WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(ord int, invitation_id bigint, customer_id bigint,
        survey_version_id bigint, locale text, answers jsonb, comment text, completed boolean, scored boolean,
        score_distributive numeric, score_procedural numeric, score_interactional numeric, score_overall numeric,
        nps smallint, nps_category text, negative boolean, reasons jsonb, signals jsonb, risks text[], risk_evidence jsonb)
), r AS (
    INSERT INTO responses (invitation_id, customer_id, survey_version_id, locale, answers, comment, completed, submitted_at,
        scored_at, score_distributive, score_procedural, score_interactional, score_overall, nps, nps_category,
        negative, reasons, signals, risks, risk_evidence)
    SELECT DISTINCT ON (invitation_id) invitation_id, customer_id, survey_version_id, locale, answers, comment, completed, $2,
        CASE WHEN scored THEN $2::timestamptz END, score_distributive, score_procedural, score_interactional,
        score_overall, nps, nps_category, negative, coalesce(reasons, '[]'), coalesce(signals, '[]'),
        coalesce(risks, '{}'), coalesce(risk_evidence, '[]')
    FROM input ORDER BY invitation_id, ord
    ON CONFLICT (invitation_id) DO NOTHING
    RETURNING id, invitation_id
)
SELECT invitation_id, id FROM r`

// InsertMany stores submissions inside tx in one statement. An invitation
// that already has its response keeps it (Created false), also when it
// appears twice in subs. Results are in the order of subs. Marking the
// invitations answered is the caller's part, through their owner
// (scheduler.Store.MarkAnswered) in the same transaction: surveys writes
// no invitation.
func (s *Store) InsertMany(ctx context.Context, tx *sqlx.Tx, subs []Submission, now time.Time) ([]Submitted, error) {
	n := len(subs)
	batch := make([]submissionRow, n)
	for i, sub := range subs {
		row := submissionRow{Ord: i, InvitationID: sub.Invitation.ID, CustomerID: sub.Invitation.CustomerID,
			SurveyVersionID: sub.Survey.VersionID, Locale: sub.Locale, Answers: sub.Answers, Comment: sub.Survey.Comment(sub.Answers),
			Completed: sub.Survey.Completed(sub.Answers)}
		if r := sub.Result; r != nil {
			score := func(d Dimension) *float64 {
				if v, ok := r.Scores[d]; ok {
					return &v
				}
				return nil
			}
			row.Scored = true
			row.Distributive, row.Procedural = score(Distributive), score(Procedural)
			row.Interactional, row.Overall = score(Interactional), score(Overall)
			row.NPS, row.Negative = r.NPS, &r.Negative
			if r.NPSCategory != "" {
				row.NPSCategory = &r.NPSCategory
			}
			row.Reasons, row.Signals, row.Risks, row.RiskEvidence = r.Reasons, r.Signals, r.Risks, r.RiskEvidence
		}
		batch[i] = row
	}
	raw, err := json.Marshal(batch)
	if err != nil {
		return nil, fmt.Errorf("encode %d responses: %w", n, err)
	}
	st, err := s.stmts.In(ctx, tx, insertResponsesSQL)
	if err != nil {
		return nil, fmt.Errorf("insert %d responses: %w", n, err)
	}
	rows, err := st.QueryxContext(ctx, string(raw), now)
	if err != nil {
		return nil, fmt.Errorf("insert %d responses: %w", n, err)
	}
	created := map[int64]int64{}
	for rows.Next() {
		var inv, id int64
		if err := rows.Scan(&inv, &id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("insert %d responses: %w", n, err)
		}
		created[inv] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("insert %d responses: %w", n, err)
	}
	out := make([]Submitted, n)
	var missing pq.Int64Array
	first := map[int64]bool{}
	for i, sub := range subs {
		id, ok := created[sub.Invitation.ID]
		if ok && !first[sub.Invitation.ID] {
			out[i] = Submitted{ResponseID: id, Created: true}
			first[sub.Invitation.ID] = true
			continue
		}
		if !ok {
			missing = append(missing, sub.Invitation.ID)
		}
	}
	existing := map[int64]int64{}
	if len(missing) > 0 {
		// Answered before, possibly by a concurrent submission committed
		// after this statement's snapshot: a new statement sees it.
		rows, err := tx.QueryxContext(ctx, `SELECT invitation_id, id FROM responses WHERE invitation_id = ANY ($1)`, missing)
		if err != nil {
			return nil, fmt.Errorf("existing responses: %w", err)
		}
		for rows.Next() {
			var inv, id int64
			if err := rows.Scan(&inv, &id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("existing responses: %w", err)
			}
			existing[inv] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("existing responses: %w", err)
		}
	}
	for i, sub := range subs {
		if out[i].Created {
			continue
		}
		id, ok := created[sub.Invitation.ID]
		if !ok {
			id, ok = existing[sub.Invitation.ID]
		}
		if !ok {
			return nil, fmt.Errorf("response to invitation %d neither stored nor found", sub.Invitation.ID)
		}
		out[i] = Submitted{ResponseID: id}
	}
	return out, nil
}
