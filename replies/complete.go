package replies

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/surveys"
)

// Complete adds the answers a customer gave when coming back through their
// link to a partial reply (one that left scale questions unanswered: the
// rating chosen in the email and a comment, say), in one transaction: the
// answers are merged over the earlier ones (a question left blank keeps
// its earlier answer), the reply is scored again, and its complaint, when
// it has one, is updated, never duplicated (see
// complaints.Store.ReplyCompleted): no second alert to the team, no second
// acknowledgement to the customer. A reply that becomes negative only now
// opens its complaint as a first answer would.
//
// A reply already complete, or answers that change nothing (a second
// click), leave everything as it is: Outcome.Updated is false. Whether the
// link is still alive is the caller's check (surveys.Invitation.CanComplete).
func (s *Service) Complete(ctx context.Context, inv surveys.Invitation, sv *surveys.Survey, answers surveys.Answers, locale string) (Outcome, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return Outcome{}, fmt.Errorf("complete reply to invitation %d: %w", inv.ID, err)
	}
	defer tx.Rollback()
	resp, err := s.surveys.LockPartial(ctx, tx, inv.ID)
	if errors.Is(err, surveys.ErrCompleted) {
		return Outcome{ResponseID: resp.ID}, nil
	}
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{ResponseID: resp.ID}
	merged := surveys.Merge(resp.Answers, answers)
	if same, err := sameAnswers(resp.Answers, merged); err != nil || same {
		return out, err
	}
	res, err := score(sv, merged, locale)
	if err != nil {
		return Outcome{}, fmt.Errorf("complete reply to invitation %d: %w", inv.ID, err)
	}
	now := s.clock.Now()
	if err := s.surveys.UpdateResponse(ctx, tx, resp.ID, sv, merged, *res, now); err != nil {
		return Outcome{}, err
	}
	out.Updated, out.Result = true, res
	completed := sv.Completed(merged)
	var work feedback.Work
	kept, found, err := s.complaints.ReplyCompleted(ctx, tx, resp.ID, *res, completed, now)
	switch {
	case err != nil:
		return Outcome{}, err
	case found:
		out.Kept = &kept
	case res.Negative:
		opened, err := s.complaints.OpenMany(ctx, tx, []complaints.ToOpen{{
			Response: surveys.Response{ID: resp.ID, CustomerID: inv.CustomerID},
			Result:   *res,
			Facts:    &complaints.Facts{AnnualValueCents: inv.AnnualValueCents, PrejudiceCents: inv.PrejudiceCents, Team: inv.Team},
		}}, now)
		if err != nil {
			return Outcome{}, err
		}
		out.Complaint = &opened[0]
		if opened[0].Created {
			if work, err = s.opened(ctx, tx, []feedback.OpenedComplaint{openedFor(opened[0], inv.CustomerName, sv.Comment(merged))}, now); err != nil {
				return Outcome{}, err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return Outcome{}, fmt.Errorf("complete reply to invitation %d: %w", inv.ID, err)
	}
	s.dispatch(ctx, work)
	if res.Negative && (resp.Negative == nil || !*resp.Negative) {
		s.countNegative(res)
	}
	if out.Complaint != nil && out.Complaint.Created && s.metrics != nil {
		s.metrics.ComplaintsOpened.WithLabelValues(out.Complaint.Priority.String()).Inc()
	}
	return out, nil
}

// sameAnswers reports whether two sets of answers say the same thing.
func sameAnswers(a, b surveys.Answers) (bool, error) {
	ra, err := json.Marshal(a)
	if err != nil {
		return false, fmt.Errorf("encode answers: %w", err)
	}
	rb, err := json.Marshal(b)
	if err != nil {
		return false, fmt.Errorf("encode answers: %w", err)
	}
	return bytes.Equal(ra, rb), nil
}
