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
	// One statement per cap (a claim's contacts usually share one
	// campaign's), each its own transaction.
	byCap := map[int][]Contact{}
	for _, c := range contacts {
		byCap[c.CapDays] = append(byCap[c.CapDays], c)
	}
	var granted []int64
	for capDays, group := range byCap {
		g, err := s.claimContacts(ctx, group, capDays, now)
		if err != nil {
			return nil, err
		}
		granted = append(granted, g...)
	}
	return granted, nil
}

// claimContactsSQL records the contacts whose cap allows them, one narrow
// row per customer (customer_contacts) inserted or updated in customer
// order: the conflict's row lock serialises competitors, and the WHERE of
// DO UPDATE checks the cap on the latest version of the row.
const claimContactsSQL = `
INSERT INTO customer_contacts AS ct (customer_id, last_contacted_at, last_contact_invitation_id)
SELECT u.id, $2, u.inv FROM unnest($1::bigint[], $3::bigint[]) WITH ORDINALITY AS u(id, inv, n)
ORDER BY u.n
ON CONFLICT (customer_id) DO UPDATE SET last_contacted_at = EXCLUDED.last_contacted_at,
    last_contact_invitation_id = EXCLUDED.last_contact_invitation_id
WHERE $4::int = 0
   OR ct.last_contact_invitation_id = EXCLUDED.last_contact_invitation_id
   OR ct.last_contacted_at <= $2::timestamptz - make_interval(days => $4::int)
   OR NOT EXISTS (SELECT 1 FROM invitations li WHERE li.id = ct.last_contact_invitation_id
                  AND li.state NOT IN ('failed', 'suppressed'))
RETURNING ct.last_contact_invitation_id`

// claimContacts claims contacts that share one cap.
func (s *Store) claimContacts(ctx context.Context, contacts []Contact, capDays int, now time.Time) ([]int64, error) {
	sort.Slice(contacts, func(i, j int) bool { return contacts[i].CustomerID < contacts[j].CustomerID })
	custs, invIDs := make(pq.Int64Array, len(contacts)), make(pq.Int64Array, len(contacts))
	for i, c := range contacts {
		custs[i], invIDs[i] = c.CustomerID, c.InvitationID
	}
	var granted pq.Int64Array
	if err := s.db.SelectContext(ctx, &granted, claimContactsSQL, custs, now, invIDs, capDays); err != nil {
		return nil, fmt.Errorf("claim %d contacts: %w", len(contacts), err)
	}
	return granted, nil
}
