package scheduler

import (
	"context"
	"time"
)

// The kinds of work the reconciler looks after, as named in its reports,
// its log lines, the metrics and FOLLOWUP_STALL_AFTER.
const (
	// WorkSendBatches are send batches claimed and not finished.
	WorkSendBatches = "send_batches"
	// WorkResponses are replies stored and not scored.
	WorkResponses = "responses"
	// WorkAlerts are alerts raised and not delivered on every channel.
	WorkAlerts = "alerts"
	// WorkComplaintEmails are emails owed to a complainant, due and not sent.
	WorkComplaintEmails = "complaint_emails"
	// WorkInboundMessages are messages received and stored, not yet parsed
	// and routed.
	WorkInboundMessages = "inbound_messages"
)

// Outcome is what putting one piece of pending work back on the queue did.
type Outcome int

// The outcomes of a requeue.
const (
	// AlreadyQueued: a task holds the work (waiting, scheduled, waiting
	// for its retry, or running). Nothing changed.
	AlreadyQueued Outcome = iota
	// Queued: no task held the work (Redis lost it, an enqueue failed); a
	// new one was queued.
	Queued
	// Revived: the work's task had been archived (its retries spent, or
	// refused as hopeless) or had completed while PostgreSQL still says the
	// work is pending; it was replaced by a new task with fresh retries.
	Revived
	// Held: the work's task is archived and its revival waits for a
	// backoff (it was refused as hopeless again after an earlier revival).
	Held
)

// String names the outcome as the metrics and log lines do.
func (o Outcome) String() string {
	switch o {
	case Queued:
		return "queued"
	case Revived:
		return "revived"
	case Held:
		return "held"
	default:
		return "already_queued"
	}
}

// Tally counts the outcomes of one kind of work in one pass.
type Tally struct {
	Queued, Revived, Held, AlreadyQueued int
}

// Add counts one outcome.
func (t *Tally) Add(o Outcome) {
	switch o {
	case Queued:
		t.Queued++
	case Revived:
		t.Revived++
	case Held:
		t.Held++
	default:
		t.AlreadyQueued++
	}
}

// Changed is how many tasks the pass queued or revived: the only ones
// worth a log line.
func (t Tally) Changed() int { return t.Queued + t.Revived }

// Watch measures, at each reconciliation pass, how long the oldest pending
// work of one kind has waited, from PostgreSQL's side.
type Watch struct {
	// After is how long work of this kind may wait before it is stalled;
	// 0 measures without ever calling it stalled.
	After time.Duration
	// Oldest returns since when the longest-waiting work has been due, or
	// the zero time when nothing waits.
	Oldest func(ctx context.Context, now time.Time) (time.Time, error)
}

// Waiting is how long one kind of work had waited at a pass.
type Waiting struct {
	// Since is when the oldest pending work became due; zero when none.
	Since time.Time
	// Age is how long it has waited (0 when nothing waits).
	Age time.Duration
	// After is the watch's threshold.
	After time.Duration
	// Stalled is set when Age is past After.
	Stalled bool
}

// Stall is work that has waited past its expected time. The runner reports
// each stall once (RunnerConfig.Stalled), when it begins; it is over when
// the kind's oldest work is back under the threshold.
type Stall struct {
	// Work is the kind of work (WorkAlerts...).
	Work string
	// Since is when the oldest pending work became due.
	Since time.Time
	// Waited is how long it had waited when the stall was seen.
	Waited time.Duration
	// After is the threshold it passed.
	After time.Duration
}
