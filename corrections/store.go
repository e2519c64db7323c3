package corrections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/metrics"
	"github.com/followup/followup/surveys"
)

// Options are a Store's optional parts.
type Options struct {
	// Loop, when set, closes the internal loop of a complaint a correction
	// opens: the CX alert and the customer's acknowledgement, in the same
	// transaction, enqueued after commit.
	Loop *feedback.Loop
	// Metrics, when set, counts the complaints corrections open.
	Metrics *metrics.Metrics
}

// Store reads and writes the corrections of comment readings.
type Store struct {
	db         *sqlx.DB
	surveys    *surveys.Store
	complaints *complaints.Store
	loop       *feedback.Loop
	metrics    *metrics.Metrics
}

// NewStore returns a Store on db; sv reads the replies, cs opens and
// annotates their complaints.
func NewStore(db *sqlx.DB, sv *surveys.Store, cs *complaints.Store, opts Options) *Store {
	return &Store{db: db, surveys: sv, complaints: cs, loop: opts.Loop, metrics: opts.Metrics}
}

// Added is the outcome of Add.
type Added struct {
	Correction
	// Created is false when the reply already had this correction:
	// nothing changed.
	Created bool
	// Opened is the complaint the correction opened, if it opened one.
	Opened *complaints.Opened
}

const selectCorrections = `SELECT c.id, c.response_id, c.complaint_id, c.kind, c.user_id,
	COALESCE(NULLIF(u.name, ''), u.email) AS by_name, c.created_at
FROM comment_corrections c JOIN users u ON u.id = c.user_id`

// Add records that the user corrected the reading of a reply's comment,
// with its effects, in one transaction (see the package doc). The same
// kind twice on one reply is one correction: the second call returns the
// first with Created false and changes nothing. A kind that is not one of
// Kinds is an *invalid.FieldError naming "kind"; an unknown response ErrNotFound;
// a missed signal on a reply not scored yet, with no complaint,
// ErrNotScored.
func (s *Store) Add(ctx context.Context, responseID, userID int64, kind Kind, now time.Time) (Added, error) {
	if err := checkKind(kind); err != nil {
		return Added{}, err
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return Added{}, fmt.Errorf("correct response %d: %w", responseID, err)
	}
	defer tx.Rollback()
	// The reply's row lock orders the corrections of one reply: the second
	// of two concurrent ones sees the first, and the complaint it opened.
	reply, err := s.surveys.LockStored(ctx, tx, responseID)
	if errors.Is(err, surveys.ErrNotFound) {
		return Added{}, fmt.Errorf("correct response %d: %w", responseID, ErrNotFound)
	}
	if err != nil {
		return Added{}, err
	}
	var existing Correction
	err = tx.GetContext(ctx, &existing, selectCorrections+` WHERE c.response_id = $1 AND c.kind = $2`, responseID, kind)
	if err == nil {
		return Added{Correction: existing}, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return Added{}, fmt.Errorf("correction %s of response %d: %w", kind, responseID, err)
	}
	by, err := actor(ctx, tx, userID)
	if err != nil {
		return Added{}, err
	}
	out := Added{Created: true}
	complaintID, has, err := s.complaints.OfResponse(ctx, tx, responseID)
	if err != nil {
		return Added{}, err
	}
	var work feedback.Work
	signal, isMissed := kind.Signal()
	if !has && isMissed && reply.RecoveryOf == 0 {
		if reply.ScoredAt == nil {
			return Added{}, fmt.Errorf("correct response %d: %w", responseID, ErrNotScored)
		}
		opened, w, err := s.open(ctx, tx, reply, signal, now)
		if err != nil {
			return Added{}, err
		}
		work, complaintID, has = w, opened.ID, true
		if opened.Created {
			out.Opened = &opened
		}
	}
	var complaint *int64
	if has {
		complaint = &complaintID
	}
	err = tx.GetContext(ctx, &out.ID, `INSERT INTO comment_corrections (response_id, complaint_id, kind, user_id, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, responseID, complaint, kind, userID, now)
	if err != nil {
		return Added{}, fmt.Errorf("record correction %s of response %d: %w", kind, responseID, err)
	}
	out.Correction = Correction{ID: out.ID, ResponseID: responseID, ComplaintID: complaint, Kind: kind, UserID: userID,
		By: by.label, CreatedAt: now}
	if has {
		if err := s.complaints.RecordCommentCorrection(ctx, tx, complaintID, string(kind), out.Opened != nil, by.Actor, now); err != nil {
			return Added{}, err
		}
	}
	if err := tx.Commit(); err != nil {
		return Added{}, fmt.Errorf("correct response %d: %w", responseID, err)
	}
	if s.loop != nil && (len(work.Alerts) > 0 || len(work.Messages) > 0) {
		s.loop.Dispatch(context.WithoutCancel(ctx), work)
	}
	if out.Opened != nil && s.metrics != nil {
		s.metrics.ComplaintsOpened.WithLabelValues(out.Opened.Priority.String()).Inc()
	}
	return out, nil
}

// open opens the complaint of a reply whose reading missed signal: the
// stored result with the signal added, the comment as its evidence,
// assessed and opened as when a reply is scored, with the internal loop's
// alert and acknowledgement.
func (s *Store) open(ctx context.Context, tx *sqlx.Tx, reply surveys.Stored, signal surveys.SignalKind, now time.Time) (complaints.Opened, feedback.Work, error) {
	res := reply.Result
	res.Signals = append(append([]surveys.Signal{}, res.Signals...), surveys.Signal{Kind: signal, Term: Term, Evidence: reply.Comment})
	res.Reasons = append(append([]surveys.Reason{}, res.Reasons...), surveys.Reason{Kind: surveys.ReasonSignal, Signal: signal, Evidence: reply.Comment})
	res.Negative = true
	opened, err := s.complaints.Open(ctx, tx, surveys.Response{ID: reply.ID, CustomerID: reply.CustomerID}, res, now)
	if err != nil {
		return complaints.Opened{}, feedback.Work{}, err
	}
	if !opened.Created || s.loop == nil {
		return opened, feedback.Work{}, nil
	}
	inv, err := s.surveys.InvitationIn(ctx, tx, reply.InvitationID)
	if err != nil {
		return complaints.Opened{}, feedback.Work{}, err
	}
	esc := make([]string, len(opened.Assessment.Escalations))
	for i, e := range opened.Assessment.Escalations {
		esc[i] = string(e)
	}
	w, err := s.loop.Opened(ctx, tx, []feedback.OpenedComplaint{{ID: opened.ID, Priority: opened.Priority, DueAt: opened.DueAt,
		Escalations: esc, CustomerName: inv.CustomerName, Comment: reply.Comment}}, now)
	return opened, w, err
}

// person is who corrects, as the complaint's trail names them.
type person struct {
	complaints.Actor
	label string
}

// actor reads the user who corrects.
func actor(ctx context.Context, tx *sqlx.Tx, userID int64) (person, error) {
	var p person
	err := tx.QueryRowxContext(ctx, `SELECT id, email, name, role FROM users WHERE id = $1`, userID).
		Scan(&p.ID, &p.Email, &p.Name, &p.Role)
	if errors.Is(err, sql.ErrNoRows) {
		return p, &invalid.FieldError{Field: "user_id", Message: fmt.Sprintf("no user %d", userID)}
	}
	if err != nil {
		return p, fmt.Errorf("user %d: %w", userID, err)
	}
	p.label = p.Name
	if p.label == "" {
		p.label = p.Email
	}
	return p, nil
}

// List returns the corrections of one reply, oldest first.
func (s *Store) List(ctx context.Context, responseID int64) ([]Correction, error) {
	out := []Correction{}
	if err := s.db.SelectContext(ctx, &out, selectCorrections+` WHERE c.response_id = $1 ORDER BY c.id`, responseID); err != nil {
		return nil, fmt.Errorf("corrections of response %d: %w", responseID, err)
	}
	return out, nil
}

// ListFor returns the corrections of several replies, by reply, each
// oldest first.
func (s *Store) ListFor(ctx context.Context, responseIDs []int64) (map[int64][]Correction, error) {
	out := map[int64][]Correction{}
	if len(responseIDs) == 0 {
		return out, nil
	}
	var all []Correction
	if err := s.db.SelectContext(ctx, &all, selectCorrections+` WHERE c.response_id = ANY ($1) ORDER BY c.id`,
		pq.Int64Array(responseIDs)); err != nil {
		return nil, fmt.Errorf("corrections of %d responses: %w", len(responseIDs), err)
	}
	for _, c := range all {
		out[c.ResponseID] = append(out[c.ResponseID], c)
	}
	return out, nil
}
