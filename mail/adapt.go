package mail

import (
	"errors"
	"net/textproto"
	"strings"
	"sync"
	"time"
)

// sizer decides how many connections the pool may have open, between a
// floor and the configured ceiling. It starts at the floor and lets as
// many more open when every open one is busy and a sender waits (from 2 to
// 40 connections in five steps of 200 ms: growing by half, in eight, cost
// a blast of 20,000 emails to a relay 10 ms away a tenth of its rate). A
// window of a few hundred milliseconds cannot tell a gain from noise (a
// chunk of emails ends, a new connection spends its first round trips on
// its greeting), so the throughput judges a growth only over a second or
// more: one after which it fell stops growing (the relay, or this
// machine, is saturated) until a while has passed (the relay may have
// freed up). A relay that says it has too many connections (421
// when connecting, "too many connections") takes the size down to what is
// open and holds growth off for a while; a connection that breaks takes
// one off.
//
// The pool holds ceiling slot tokens in all: limit of them are in play
// (in its slots channel or held by open connections), the others are held
// back here.
type sizer struct {
	floor, ceiling int

	mu sync.Mutex
	// limit is how many connections may be open now.
	limit int
	// owed is how many connections to close as they come back, to bring
	// the open ones down to limit.
	owed int
	// sent counts the messages accepted, for the throughput.
	sent int64
	// lastGrowth is when the last connection was let in, with the count
	// and the throughput before it.
	lastGrowth       time.Time
	sentAtGrowth     int64
	rateBeforeGrowth float64
	// noGrowthUntil holds growth off after the relay pushed back.
	noGrowthUntil time.Time
}

// Tunables of the sizer.
const (
	// growEvery is the least time between two growths.
	growEvery = 200 * time.Millisecond
	// judgeAfter is the least window over which a growth is judged by the
	// throughput that followed it.
	judgeAfter = time.Second
	// probeAfter lets more connections be tried even though the last
	// growth lowered the throughput, once that long has passed.
	probeAfter = 10 * time.Second
	// fall is the throughput drop, after a growth, that stops growing.
	fall = 0.9
	// pushBack is how long growth stops after the relay refused a
	// connection for having too many.
	pushBack = 30 * time.Second
)

func newSizer(floor, ceiling int) *sizer {
	floor = min(max(floor, 1), ceiling)
	return &sizer{floor: floor, ceiling: ceiling, limit: floor}
}

// accepted counts a message the server accepted.
func (s *sizer) accepted() {
	s.mu.Lock()
	s.sent++
	s.mu.Unlock()
}

// grow is asked by a sender that would wait for a connection; it returns
// how many more connections may open (0: none).
func (s *sizer) grow(now time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.limit >= s.ceiling || s.owed > 0 || now.Before(s.noGrowthUntil) {
		return 0
	}
	since := now.Sub(s.lastGrowth)
	if !s.lastGrowth.IsZero() && since < growEvery {
		return 0
	}
	rate := s.rateBeforeGrowth // too short a window says nothing new
	if !s.lastGrowth.IsZero() && since >= judgeAfter {
		rate = float64(s.sent-s.sentAtGrowth) / since.Seconds()
		if rate < s.rateBeforeGrowth*fall && since < probeAfter {
			return 0
		}
	}
	more := min(s.ceiling, 2*s.limit) - s.limit
	s.limit += more
	s.lastGrowth, s.sentAtGrowth, s.rateBeforeGrowth = now, s.sent, rate
	return more
}

// shrink takes the limit down by n (not below the floor) and holds growth
// off until until; it returns how many open connections must now close.
func (s *sizer) shrink(n int, until time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cut := min(n, s.limit-s.floor)
	if cut > 0 {
		s.limit -= cut
		s.owed += cut
	}
	if until.After(s.noGrowthUntil) {
		s.noGrowthUntil = until
	}
}

// settleOne reports whether a connection coming back (or a slot freed)
// must be taken out of play to pay what shrink owes.
func (s *sizer) settleOne() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.owed == 0 {
		return false
	}
	s.owed--
	return true
}

// size is the limit now.
func (s *sizer) size() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limit
}

// tooManyConnections reports whether err is a relay refusing one more
// connection from us: 421 at connection time, or a reply that says so.
func tooManyConnections(err error) bool {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code == 421 {
		return true
	}
	var de *DeliveryError
	if errors.As(err, &de) && de.Code == 421 {
		return true
	}
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "too many connections") || strings.Contains(msg, "too many concurrent")
}
