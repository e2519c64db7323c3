package corrections

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/followup/followup/invalid"
	"github.com/followup/followup/surveys"
)

// Kind is what an agent says the comment reading got wrong.
type Kind string

// Kinds of correction.
const (
	// NotComplaint: the reply is no complaint, whatever was read in it.
	NotComplaint Kind = "not_complaint"
	// MissedPublic: the customer intends to go public; the reading missed it.
	MissedPublic Kind = "missed_public"
	// MissedLegal: the customer mentions legal action; the reading missed it.
	MissedLegal Kind = "missed_legal"
	// MissedLeave: the customer intends to leave; the reading missed it.
	MissedLeave Kind = "missed_leave"
)

// Kinds lists the kinds of correction, in the order the pages show them.
var Kinds = []Kind{NotComplaint, MissedPublic, MissedLegal, MissedLeave}

// missed maps a missed-signal correction to the signal it adds.
var missed = map[Kind]surveys.SignalKind{
	MissedPublic: surveys.SignalPublic,
	MissedLegal:  surveys.SignalLegal,
	MissedLeave:  surveys.SignalLeave,
}

// Valid reports whether k is a kind of correction.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Signal is the signal a missed-signal correction adds to the reading;
// ok is false for NotComplaint.
func (k Kind) Signal() (kind surveys.SignalKind, ok bool) {
	kind, ok = missed[k]
	return kind, ok
}

// Term is the Signal.Term of a signal an agent added: what recognised it.
const Term = "agent correction"

// ErrNotFound is a correction of a response that does not exist.
var ErrNotFound = errors.New("response not found")

// ErrNotScored is a missed signal on a reply not scored yet: its scoring
// decides first whether it opens a complaint; correct it afterwards.
var ErrNotScored = errors.New("this reply is not scored yet: correct its reading once it is")

// checkKind refuses a kind that is not one of Kinds.
func checkKind(k Kind) error {
	if k.Valid() {
		return nil
	}
	names := make([]string, len(Kinds))
	for i, kk := range Kinds {
		names[i] = string(kk)
	}
	return &invalid.FieldError{Field: "kind", Message: fmt.Sprintf("%q is not a correction: use one of %s", string(k), strings.Join(names, ", "))}
}

// Correction is one correction of a reply's comment reading.
type Correction struct {
	ID         int64 `db:"id" json:"id"`
	ResponseID int64 `db:"response_id" json:"response_id"`
	// ComplaintID is the reply's complaint when the correction was made,
	// or the one it opened; nil when the reply has none.
	ComplaintID *int64 `db:"complaint_id" json:"complaint_id"`
	Kind        Kind   `db:"kind" json:"kind"`
	UserID      int64  `db:"user_id" json:"user_id"`
	// By is who corrected: their name, else their email.
	By        string    `db:"by_name" json:"by"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
}
