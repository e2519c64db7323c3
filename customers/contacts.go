package customers

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/lib/pq"
)

// Contact asks to record an email about to go to a customer as their last
// contact, if their frequency cap allows one now.
type Contact struct {
	CustomerID   int64
	InvitationID int64
	// CapDays is the least number of days between two contacts; 0 means no
	// cap.
	CapDays int
}

// ClaimContacts records each contact as its customer's last contact where
// the cap allows it, and returns the invitation ids it granted. A cap
// allows a contact when the customer's last contact is older than CapDays,
// is this very invitation (a retry), or did not go out (its invitation
// failed or was suppressed). Customers are locked in id order, so
// concurrent callers cannot deadlock, and the cap is checked on the latest
// row: when two callers compete for one customer, one of them is granted.
// A customer must appear at most once in contacts.
func (s *Store) ClaimContacts(ctx context.Context, contacts []Contact, now time.Time) ([]int64, error) {
	if len(contacts) == 0 {
		return nil, nil
	}
	sorted := append([]Contact(nil), contacts...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].CustomerID < sorted[j].CustomerID })
	custs, invIDs, caps := make(pq.Int64Array, len(sorted)), make(pq.Int64Array, len(sorted)), make(pq.Int64Array, len(sorted))
	for i, c := range sorted {
		custs[i], invIDs[i], caps[i] = c.CustomerID, c.InvitationID, int64(c.CapDays)
	}
	var granted pq.Int64Array
	err := s.db.SelectContext(ctx, &granted, `
UPDATE customers cu SET last_contacted_at = $2, last_contact_invitation_id = u.inv
FROM unnest($1::bigint[], $3::bigint[], $4::int[]) AS u(id, inv, cap)
WHERE cu.id = ANY ($1) AND cu.id = u.id
  AND (u.cap = 0 OR cu.last_contact_invitation_id IS NULL OR cu.last_contact_invitation_id = u.inv
       OR cu.last_contacted_at IS NULL OR cu.last_contacted_at <= $2::timestamptz - make_interval(days => u.cap)
       OR NOT EXISTS (SELECT 1 FROM invitations li WHERE li.id = cu.last_contact_invitation_id
                      AND li.state NOT IN ('failed', 'suppressed')))
RETURNING u.inv`, custs, now, invIDs, caps)
	if err != nil {
		return nil, fmt.Errorf("claim %d contacts: %w", len(contacts), err)
	}
	return granted, nil
}
