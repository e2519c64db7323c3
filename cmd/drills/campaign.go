package main

import (
	"context"
	"fmt"
	"github.com/followup/followup/internal/haenv"
	"github.com/followup/followup/internal/procgroup"
	"time"
)

// outcome is what one drill measured.
type outcome struct {
	Drill    string
	Expected int // invitations of the campaign
	Received int // messages the sink answered 250 to
	Unique   int // distinct invitation Message-IDs among them
	Lost     int // Expected − Unique
	Dups     int // Received − Unique
	// Allowed is the duplicates the target allows: the SMTP connections
	// that were carrying mail at each fault, summed over the faults.
	Allowed int
	// Bound is the most connections that could have been in flight by
	// configuration: the pool size of the worker, times the faults.
	Bound int
	PG    states // invitations by state at the end, per PostgreSQL
	// SentNotReceived are invitations PostgreSQL calls sent that never
	// reached the sink; ReceivedNotSent the reverse.
	SentNotReceived, ReceivedNotSent int
	FaultEnd                         time.Time
	Finished                         bool
	Recovery                         time.Duration // fault end → campaign settled
	// Requests and Status5xx count the HTTP requests a drill made of the
	// edge and the 5xx among them.
	Requests, Status5xx int
	Notes               []string
	Failures            []string // why the verdict is FAIL; none: PASS
	Err                 error
}

func (o *outcome) note(format string, args ...any) {
	o.Notes = append(o.Notes, fmt.Sprintf(format, args...))
}

// campaignRun is a campaign being sent while a drill does its fault.
type campaignRun struct {
	e         *env
	out       *outcome
	worker    *procgroup.Proc
	scheduler *procgroup.Proc
	started   time.Time
}

// runCampaign starts the worker and the scheduler, resumes the campaign,
// calls fault (which returns once the fault is over, setting nothing: the
// fault's end is when it returns), then waits for the campaign to settle
// and counts. withWorker false leaves the worker to the fault to start.
func runCampaign(ctx context.Context, e *env, name string, withWorker bool, fault func(context.Context, *campaignRun) error) *outcome {
	out := &outcome{Drill: name, Expected: e.o.n}
	r := &campaignRun{e: e, out: out}
	var err error
	if withWorker {
		if r.worker, err = e.start("worker"); err != nil {
			out.Err = err
			return out
		}
	}
	if r.scheduler, err = e.start("scheduler"); err != nil {
		out.Err = err
		return out
	}
	time.Sleep(time.Second) // both roles up
	r.started = time.Now()
	if err := e.resume(ctx); err != nil {
		out.Err = fmt.Errorf("resume the campaign: %w", err)
		return out
	}
	if err := fault(ctx, r); err != nil {
		out.Err = err
	}
	out.FaultEnd = time.Now()
	if ctx.Err() == nil {
		r.settle(ctx)
	}
	r.count(context.WithoutCancel(ctx))
	return out
}

// waitProgress waits until the sink holds frac of the campaign's
// messages. A campaign that stops moving for o.stall is noted as
// stalled, and the fault comes anyway.
func (r *campaignRun) waitProgress(ctx context.Context, frac float64) error {
	want := int(frac * float64(r.e.o.n))
	last, moved := -1, time.Now()
	for {
		_, unique, _ := r.e.sink.counts()
		if unique >= want {
			return nil
		}
		if unique != last {
			last, moved = unique, time.Now()
		}
		if time.Since(moved) > r.e.o.stall {
			r.out.note("stalled: %d of %d delivered and nothing more for %s; the next fault comes anyway", unique, r.e.o.n, r.e.o.stall)
			return nil
		}
		if err := sleep(ctx, 20*time.Millisecond); err != nil {
			return err
		}
	}
}

// inFlight notes the connections carrying mail now, just before a fault.
func (r *campaignRun) inFlight() int {
	n := r.e.sink.busy(time.Second)
	r.out.Allowed += n
	r.out.Bound += r.e.o.pool
	return n
}

// restartWorker starts a new worker process after the old one died.
func (r *campaignRun) restartWorker() error {
	w, err := r.e.start("worker")
	if err != nil {
		return err
	}
	r.worker = w
	return nil
}

// settle waits until PostgreSQL holds no invitation of the campaign still
// to send (scheduled, queued, sending), or gives up o.giveUp after the
// fault's end.
func (r *campaignRun) settle(ctx context.Context) {
	out := r.out
	for {
		s, err := r.e.states(ctx)
		if err == nil && s.Pending == 0 {
			out.Finished = true
			out.Recovery = time.Since(out.FaultEnd)
			break
		}
		if time.Since(out.FaultEnd) > r.e.o.giveUp {
			out.Recovery = time.Since(out.FaultEnd)
			out.note("gave up %s after the fault: %d invitations still to send per PostgreSQL", r.e.o.giveUp, s.Pending)
			break
		}
		for _, p := range []*procgroup.Proc{r.worker, r.scheduler} {
			if p == nil {
				continue
			}
			if done, err := p.Exited(); done {
				out.note("%s exited (%v)", p.Name, err)
				if p == r.worker { // a crashed worker is a finding, not the end of the drill
					_ = r.restartWorker()
				}
			}
		}
		if sleep(ctx, 200*time.Millisecond) != nil {
			return
		}
	}
	_ = sleep(ctx, 2*time.Second) // late arrivals: a duplicate still on the wire
}

// count fills the outcome from the sink and PostgreSQL: only the
// campaign's own invitations count (the bad-input drill's events may make
// others).
func (r *campaignRun) count(ctx context.Context) {
	out := r.out
	if s, err := r.e.states(ctx); err == nil {
		out.PG = s
	}
	sent, err := haenv.SentOf(ctx, r.e.db, r.e.blast.CampaignID)
	if err != nil {
		out.Err = fmt.Errorf("count: %w", err)
		return
	}
	t := haenv.CountAt(sent, r.e.sink.received())
	out.Received, out.Unique, out.Dups = t.Received, t.Unique, t.Dups
	out.Lost = out.Expected - out.Unique
	out.SentNotReceived, out.ReceivedNotSent = t.SentNotReceived, t.ReceivedNotSent
}

// sleep waits d, or less when ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
