// Package replies is the moment a customer's answer becomes knowledge: it
// stores the reply, scores it on the three dimensions of justice and, when it
// is negative, opens its complaint, all in one transaction. It orchestrates
// the surveys and complaints packages and, like them, knows nothing of HTTP
// or queues: the survey page calls Submit, the response:score task calls
// Score for replies stored without their scores.
package replies

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/complaints"
	"github.com/followup/followup/surveys"
)

// Service stores and scores replies.
type Service struct {
	db         *sqlx.DB
	surveys    *surveys.Store
	complaints *complaints.Store
	clock      clock.Clock
	batch      batcher
}

// Options tune how concurrent submissions share transactions.
type Options struct {
	// MaxBatch bounds how many replies one transaction stores (default 256).
	MaxBatch int
	// MaxInFlight bounds how many batches are written at once (default 2).
	MaxInFlight int
}

// New returns a Service.
func New(db *sqlx.DB, sv *surveys.Store, cs *complaints.Store, clk clock.Clock, opts Options) *Service {
	if clk == nil {
		clk = clock.Real{}
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 256
	}
	if opts.MaxInFlight <= 0 {
		opts.MaxInFlight = 2
	}
	s := &Service{db: db, surveys: sv, complaints: cs, clock: clk}
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
	p.sub.Result, p.scoreErr = score(sv, answers)
	s.batch.add(p)
	select {
	case <-p.done:
		return p.out, p.err
	case <-ctx.Done():
		return Outcome{}, fmt.Errorf("submit invitation %d: %w", inv.ID, ctx.Err())
	}
}

// score scores a reply; a panic is an error, so the reply is still stored.
func score(sv *surveys.Survey, a surveys.Answers) (res *surveys.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("score reply: panic: %v", p)
		}
	}()
	r := sv.Score(a)
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
	var open []complaints.ToOpen
	var owners []int
	for i, st := range stored {
		if st.Created && subs[i].Result != nil && subs[i].Result.Negative {
			inv := subs[i].Invitation
			open = append(open, complaints.ToOpen{
				Response: surveys.Response{ID: st.ResponseID, CustomerID: inv.CustomerID},
				Result:   *subs[i].Result,
				Facts:    &complaints.Facts{AnnualValueCents: inv.AnnualValueCents, PrejudiceCents: inv.PrejudiceCents},
			})
			owners = append(owners, i)
		}
	}
	var opened []complaints.Opened
	if len(open) > 0 {
		if opened, err = s.complaints.OpenMany(ctx, tx, open, now); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("submit %d replies: %w", len(batch), err)
	}
	for i, p := range batch {
		p.out = Outcome{ResponseID: stored[i].ResponseID, Created: stored[i].Created}
		if stored[i].Created {
			p.out.Result = subs[i].Result
			if subs[i].Result == nil && p.scoreErr != nil {
				p.out.Deferred, p.out.DeferredBy = true, p.scoreErr
			}
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
	res := sv.Score(resp.Answers)
	out.Result = &res
	if err := s.surveys.SaveScore(ctx, tx, responseID, res, now); err != nil {
		return Outcome{}, err
	}
	if res.Negative {
		opened, err := s.complaints.Open(ctx, tx, resp, res, now)
		if err != nil {
			return Outcome{}, err
		}
		out.Complaint = &opened
	}
	if err := tx.Commit(); err != nil {
		return Outcome{}, fmt.Errorf("score response %d: %w", responseID, err)
	}
	return out, nil
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
