package replies

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/complaints"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/metrics"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
)

// Service stores and scores replies.
type Service struct {
	db      *sqlx.DB
	surveys *surveys.Store
	// invitations marks the invitations answered: scheduler owns them.
	invitations *scheduler.Store
	complaints  *complaints.Store
	clock       clock.Clock
	loop        *feedback.Loop
	metrics     *metrics.Metrics
	batch       batcher
}

// Options tune how concurrent submissions share transactions.
type Options struct {
	// MaxBatch bounds how many replies one transaction stores (default 256).
	MaxBatch int
	// MaxInFlight bounds how many batches are written at once (default 2).
	MaxInFlight int
	// Loop, when set, closes the internal loop in the same transaction as
	// the reply: the CX alert and the customer's acknowledgement when a
	// complaint opens, the double deviation when a recovery survey comes
	// back negative.
	Loop *feedback.Loop
	// Metrics counts replies, negative replies and complaints opened.
	Metrics *metrics.Metrics
}

// New returns a Service.
func New(db *sqlx.DB, sv *surveys.Store, inv *scheduler.Store, cs *complaints.Store, clk clock.Clock, opts Options) *Service {
	if clk == nil {
		clk = clock.Real{}
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 256
	}
	if opts.MaxInFlight <= 0 {
		opts.MaxInFlight = 2
	}
	s := &Service{db: db, surveys: sv, invitations: inv, complaints: cs, clock: clk, loop: opts.Loop, metrics: opts.Metrics}
	s.batch = batcher{maxBatch: opts.MaxBatch, maxInFlight: opts.MaxInFlight, write: s.writeBatch}
	return s
}

// Outcome is what happened to one reply.
type Outcome struct {
	ResponseID int64
	// Created is false when the invitation already had its response (a
	// double submission): nothing changed.
	Created bool
	// AlreadyScored is true when Score found the work done by an earlier run.
	AlreadyScored bool
	// Result is the scoring, when this call scored.
	Result *surveys.Result
	// Complaint is set when the reply is negative.
	Complaint *complaints.Opened
	// Updated is true when Complete changed a partial reply; Kept is then
	// its complaint, opened by the first part and updated.
	Updated bool
	Kept    *complaints.Completed
	// Deferred is true when Submit stored the reply without its scores
	// because scoring or opening the complaint failed (DeferredBy says
	// why): the caller must enqueue Score.
	Deferred   bool
	DeferredBy error
}

// Submit stores the answers to an invitation, scored, and opens the
// complaint of a negative reply, in one transaction: when the customer sees
// the thank-you page, the complaint is already in the CX queue. A second
// submission, even a concurrent one, keeps the first response and changes
// nothing.
//
// Concurrent submissions share transactions (see batcher): under a storm,
// hundreds of replies commit together; alone, a reply commits at once.
// Should scoring or opening the complaint fail, the reply is still stored,
// unscored, and the outcome says Deferred: the customer's answers are never
// lost to a failure on the complaint side.
func (s *Service) Submit(ctx context.Context, inv surveys.Invitation, sv *surveys.Survey, answers surveys.Answers, locale string) (Outcome, error) {
	p := &pending{sub: surveys.Submission{Invitation: inv, Survey: sv, Answers: answers, Locale: locale}, done: make(chan struct{})}
	p.sub.Result, p.scoreErr = score(sv, answers, locale)
	s.batch.add(p)
	select {
	case <-p.done:
		return p.out, p.err
	case <-ctx.Done():
		return Outcome{}, fmt.Errorf("submit invitation %d: %w", inv.ID, ctx.Err())
	}
}

// score scores a reply; a panic is an error, so the reply is still stored.
func score(sv *surveys.Survey, a surveys.Answers, locale string) (res *surveys.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("score reply: panic: %v", p)
		}
	}()
	r := sv.ScoreIn(a, locale)
	return &r, nil
}

// writeBatch stores a batch in one transaction. When that fails, each reply
// is written alone, and a reply that still fails scored is stored unscored.
func (s *Service) writeBatch(batch []*pending) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	now := s.clock.Now()
	err := s.write(ctx, batch, now, true)
	if err == nil {
		return
	}
	for _, p := range batch {
		if len(batch) > 1 {
			if err = s.write(ctx, []*pending{p}, now, true); err == nil {
				continue
			}
		}
		scoreErr := err
		if err := s.write(ctx, []*pending{p}, now, false); err != nil {
			p.err = fmt.Errorf("submit invitation %d: %w (after %v)", p.sub.Invitation.ID, err, scoreErr)
			continue
		}
		p.out.Deferred, p.out.DeferredBy = p.out.Created, scoreErr
	}
}

// write stores replies, scored when scored is true and the reply could be
// scored, and opens the complaints of the negative ones, in one transaction.
func (s *Service) write(ctx context.Context, batch []*pending, now time.Time, scored bool) error {
	subs := make([]surveys.Submission, len(batch))
	for i, p := range batch {
		subs[i] = p.sub
		if !scored {
			subs[i].Result = nil
		}
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("submit %d replies: %w", len(batch), err)
	}
	defer tx.Rollback()
	stored, err := s.surveys.InsertMany(ctx, tx, subs, now)
	if err != nil {
		return err
	}
	var answered []int64
	for i, st := range stored {
		if st.Created {
			answered = append(answered, subs[i].Invitation.ID)
		}
	}
	if err := s.invitations.MarkAnswered(ctx, tx, answered, now); err != nil {
		return err
	}
	var open []complaints.ToOpen
	var owners []int
	var work feedback.Work
	for i, st := range stored {
		res := subs[i].Result
		if !st.Created || res == nil {
			continue
		}
		inv := subs[i].Invitation
		if inv.ComplaintID != nil {
			// A recovery survey: its reply judges the complaint's recovery
			// and never opens a complaint of its own.
			w, err := s.recovered(ctx, tx, *inv.ComplaintID, st.ResponseID, res.Negative, inv.CustomerName, now)
			if err != nil {
				return err
			}
			work.Alerts, work.Messages = append(work.Alerts, w.Alerts...), append(work.Messages, w.Messages...)
			continue
		}
		if res.Negative {
			open = append(open, complaints.ToOpen{
				Response: surveys.Response{ID: st.ResponseID, CustomerID: inv.CustomerID},
				Result:   *res,
				Facts:    &complaints.Facts{AnnualValueCents: inv.AnnualValueCents, PrejudiceCents: inv.PrejudiceCents, Team: inv.Team},
			})
			owners = append(owners, i)
		}
	}
	var opened []complaints.Opened
	if len(open) > 0 {
		if opened, err = s.complaints.OpenMany(ctx, tx, open, now); err != nil {
			return err
		}
		var fresh []feedback.OpenedComplaint
		for j, o := range opened {
			if o.Created {
				sub := subs[owners[j]]
				fresh = append(fresh, openedFor(o, sub.Invitation.CustomerName, sub.Survey.Comment(sub.Answers)))
			}
		}
		w, err := s.opened(ctx, tx, fresh, now)
		if err != nil {
			return err
		}
		work.Alerts, work.Messages = append(work.Alerts, w.Alerts...), append(work.Messages, w.Messages...)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("submit %d replies: %w", len(batch), err)
	}
	s.dispatch(ctx, work)
	for i, p := range batch {
		p.out = Outcome{ResponseID: stored[i].ResponseID, Created: stored[i].Created}
		if stored[i].Created {
			p.out.Result = subs[i].Result
			if subs[i].Result == nil && p.scoreErr != nil {
				p.out.Deferred, p.out.DeferredBy = true, p.scoreErr
			}
			s.countStored()
			s.countNegative(subs[i].Result)
		}
	}
	for _, o := range opened {
		if o.Created && s.metrics != nil {
			s.metrics.ComplaintsOpened.WithLabelValues(o.Priority.String()).Inc()
		}
	}
	for j, i := range owners {
		o := opened[j]
		batch[i].out.Complaint = &o
	}
	return nil
}

// Score scores a response stored without its scores and opens its
// complaint when negative. Run twice or concurrently, it scores once and
// opens one complaint: the response row is locked while scoring and
// complaints are unique per response.
func (s *Service) Score(ctx context.Context, responseID int64) (Outcome, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return Outcome{}, fmt.Errorf("score response %d: %w", responseID, err)
	}
	defer tx.Rollback()
	resp, ok, err := s.surveys.LockUnscored(ctx, tx, responseID)
	if err != nil {
		return Outcome{}, err
	}
	out := Outcome{ResponseID: responseID}
	if !ok {
		out.AlreadyScored = true
		return out, nil
	}
	sv, err := s.surveys.Version(ctx, resp.SurveyVersionID)
	if err != nil {
		return Outcome{}, err
	}
	now := s.clock.Now()
	res := sv.ScoreIn(resp.Answers, resp.Locale)
	out.Result = &res
	if err := s.surveys.SaveScore(ctx, tx, responseID, res, now); err != nil {
		return Outcome{}, err
	}
	inv, err := s.surveys.InvitationIn(ctx, tx, resp.InvitationID)
	if err != nil {
		return Outcome{}, err
	}
	var work feedback.Work
	switch {
	case inv.ComplaintID != nil:
		if work, err = s.recovered(ctx, tx, *inv.ComplaintID, responseID, res.Negative, inv.CustomerName, now); err != nil {
			return Outcome{}, err
		}
	case res.Negative:
		opened, err := s.complaints.Open(ctx, tx, resp, res, now)
		if err != nil {
			return Outcome{}, err
		}
		out.Complaint = &opened
		if opened.Created {
			if work, err = s.opened(ctx, tx, []feedback.OpenedComplaint{openedFor(opened, inv.CustomerName, sv.Comment(resp.Answers))}, now); err != nil {
				return Outcome{}, err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return Outcome{}, fmt.Errorf("score response %d: %w", responseID, err)
	}
	s.dispatch(ctx, work)
	if resp.Negative == nil {
		// Judged for the first time: a reply stored unscored, not one an
		// operator sent back to be scored again.
		s.countNegative(&res)
	}
	if out.Complaint != nil && out.Complaint.Created && s.metrics != nil {
		s.metrics.ComplaintsOpened.WithLabelValues(out.Complaint.Priority.String()).Inc()
	}
	return out, nil
}

// openedFor describes a complaint just opened for its alert.
func openedFor(o complaints.Opened, customer, comment string) feedback.OpenedComplaint {
	esc := make([]string, len(o.Assessment.Escalations))
	for i, e := range o.Assessment.Escalations {
		esc[i] = string(e)
	}
	return feedback.OpenedComplaint{ID: o.ID, Priority: o.Priority, DueAt: o.DueAt, Escalations: esc,
		CustomerName: customer, Comment: comment}
}

// opened closes the internal loop of complaints just opened, inside tx.
func (s *Service) opened(ctx context.Context, tx *sqlx.Tx, list []feedback.OpenedComplaint, now time.Time) (feedback.Work, error) {
	if s.loop == nil || len(list) == 0 {
		return feedback.Work{}, nil
	}
	return s.loop.Opened(ctx, tx, list, now)
}

// recovered records a recovery survey's reply, inside tx.
func (s *Service) recovered(ctx context.Context, tx *sqlx.Tx, complaintID, responseID int64, negative bool, customer string, now time.Time) (feedback.Work, error) {
	if s.loop == nil {
		_, err := s.complaints.RecordRecovery(ctx, tx, complaintID, responseID, negative, now)
		return feedback.Work{}, err
	}
	return s.loop.Recovered(ctx, tx, complaintID, responseID, negative, customer, now)
}

// dispatch hands committed work to the workers.
func (s *Service) dispatch(ctx context.Context, w feedback.Work) {
	if s.loop != nil && (len(w.Alerts) > 0 || len(w.Messages) > 0) {
		s.loop.Dispatch(context.WithoutCancel(ctx), w)
	}
}

// countStored counts a reply when it is first stored, scored or not: a
// reply scored later, or scored again, is not counted again.
func (s *Service) countStored() {
	if s.metrics != nil {
		s.metrics.Replies.Inc()
	}
}

// countNegative counts a reply judged negative.
func (s *Service) countNegative(res *surveys.Result) {
	if s.metrics != nil && res != nil && res.Negative {
		s.metrics.NegativeReplies.Inc()
	}
}

// pending is one submission waiting for its transaction.
type pending struct {
	sub      surveys.Submission
	scoreErr error
	out      Outcome
	err      error
	done     chan struct{}
}

// batcher groups concurrent submissions into shared transactions, the way
// PostgreSQL groups commits: a submission that finds a writer free is
// written at once, alone; submissions that arrive while maxInFlight batches
// are being written wait and go together in the next one. A storm costs a
// few transactions per batch instead of one per reply, and a quiet minute
// adds no delay.
type batcher struct {
	maxBatch, maxInFlight int
	write                 func([]*pending)

	mu       sync.Mutex
	queue    []*pending
	inFlight int
	batches  int64
	replies  int64
}

// BatchStats says how many transactions the submissions so far took.
type BatchStats struct {
	Batches, Replies int64
}

// BatchStats reports how submissions shared transactions, for benchmarks
// and metrics.
func (s *Service) BatchStats() BatchStats {
	s.batch.mu.Lock()
	defer s.batch.mu.Unlock()
	return BatchStats{Batches: s.batch.batches, Replies: s.batch.replies}
}

func (b *batcher) add(p *pending) {
	b.mu.Lock()
	b.queue = append(b.queue, p)
	if b.inFlight < b.maxInFlight {
		b.inFlight++
		b.mu.Unlock()
		go b.drain()
		return
	}
	b.mu.Unlock()
}

// drain writes batches until the queue is empty, then frees its slot.
func (b *batcher) drain() {
	for {
		b.mu.Lock()
		if len(b.queue) == 0 {
			b.inFlight--
			b.mu.Unlock()
			return
		}
		n := min(len(b.queue), b.maxBatch)
		batch := make([]*pending, n)
		copy(batch, b.queue)
		b.queue = b.queue[n:]
		b.batches++
		b.replies += int64(n)
		b.mu.Unlock()
		b.write(batch)
		for _, p := range batch {
			close(p.done)
		}
	}
}
