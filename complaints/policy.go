// Package complaints owns the complaint opened on a negative reply: its
// priority and deadline, its lifecycle and its audit trail. It knows nothing
// of HTTP, queues or email.
package complaints

import (
	"fmt"
	"time"

	"github.com/followup/followup/surveys"
)

// Priority ranks complaints: P1 is the most urgent.
type Priority int

// Priorities.
const (
	P1 Priority = 1
	P2 Priority = 2
	P3 Priority = 3
	P4 Priority = 4
)

func (p Priority) String() string { return fmt.Sprintf("P%d", int(p)) }

// Valid reports whether p is P1 to P4.
func (p Priority) Valid() bool { return p >= P1 && p <= P4 }

// Policy turns a scored reply into a priority and a deadline.
type Policy struct {
	// Deadlines is how long the CX team has to act, per priority.
	Deadlines map[Priority]time.Duration
}

// DefaultDeadlines is the deadline table used when none is configured.
var DefaultDeadlines = map[Priority]time.Duration{
	P1: 4 * time.Hour,
	P2: 24 * time.Hour,
	P3: 72 * time.Hour,
	P4: 7 * 24 * time.Hour,
}

// DefaultPolicy returns the policy with the default deadline table.
func DefaultPolicy() Policy { return Policy{Deadlines: DefaultDeadlines} }

// Priority ranks a negative reply by how low its lowest score is: under 20
// is P1, under 35 P2, under 50 P3, otherwise (a detractor with fair scores)
// P4.
func (p Policy) Priority(r surveys.Result) Priority {
	switch lo := r.Lowest(); {
	case lo < 20:
		return P1
	case lo < 35:
		return P2
	case lo < 50:
		return P3
	default:
		return P4
	}
}

// Deadline returns when a complaint of priority pr opened at opened is due.
func (p Policy) Deadline(pr Priority, opened time.Time) time.Time {
	d, ok := p.Deadlines[pr]
	if !ok {
		d = DefaultDeadlines[pr]
	}
	return opened.Add(d)
}
