package scheduler

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/lib/pq"
)

// Vet applies the send-time rules to claimed invitations and returns those
// that may be sent now. Things change between scheduling and sending, so
// the rules are checked again here:
//
//   - a customer who opted out gets nothing: the invitation is suppressed;
//   - an address that bounced or unsubscribed (on any customer record) is
//     not emailed: suppressed with reason address_bounced or address_unsubscribed;
//   - an archived campaign sends nothing more: suppressed;
//   - a paused campaign waits: the invitation goes back to scheduled and
//     the sweep skips it until the campaign resumes;
//   - a reminder whose survey was answered meanwhile is dropped;
//   - the frequency cap: at most one survey per customer per N days across
//     all campaigns. Customers are locked while deciding, so when two
//     campaigns compete for one customer at the same moment, exactly one
//     email goes out and the other invitation is suppressed with the reason
//     frequency_cap. Reminders do not count against the cap.
func (s *Store) Vet(ctx context.Context, claimed []Outgoing, now time.Time) ([]Outgoing, error) {
	var optedOut, archived, paused []int64
	var candidates []Outgoing
	byAddress := map[string][]int64{}
	for _, inv := range claimed {
		switch {
		case inv.OptedOut:
			optedOut = append(optedOut, inv.ID)
		case inv.AddressSuppressed != "":
			byAddress[inv.AddressSuppressed] = append(byAddress[inv.AddressSuppressed], inv.ID)
		case inv.CampaignState == StateArchived:
			archived = append(archived, inv.ID)
		case inv.CampaignState != StateActive:
			paused = append(paused, inv.ID)
		default:
			candidates = append(candidates, inv)
		}
	}
	for reason, ids := range byAddress {
		if err := s.Suppress(ctx, ids, "address_"+reason, now); err != nil {
			return nil, err
		}
	}
	if err := errors.Join(
		s.Suppress(ctx, optedOut, ReasonOptedOut, now),
		s.Suppress(ctx, archived, ReasonCampaignArchived, now),
		// Paused: back to waiting; the sweep skips them until the campaign resumes.
		s.Reschedule(ctx, paused, now, ReasonCampaignPaused, false, now),
	); err != nil {
		return nil, err
	}
	candidates, err := s.dropAnsweredReminders(ctx, candidates, now)
	if err != nil {
		return nil, err
	}
	return s.applyFrequencyCap(ctx, candidates, now)
}

func (s *Store) dropAnsweredReminders(ctx context.Context, invs []Outgoing, now time.Time) ([]Outgoing, error) {
	var reminders []int64
	for _, inv := range invs {
		if inv.Reminder() {
			reminders = append(reminders, inv.ID)
		}
	}
	if len(reminders) == 0 {
		return invs, nil
	}
	var answered []int64
	if err := s.db.SelectContext(ctx, &answered, `UPDATE invitations i SET state = 'answered', answered_at = r.submitted_at,
		next_reminder_at = NULL, updated_at = $2
		FROM responses r WHERE r.invitation_id = i.id AND i.id = ANY ($1) AND i.state = 'queued' RETURNING i.id`,
		pq.Array(reminders), now); err != nil {
		return nil, fmt.Errorf("drop answered reminders: %w", err)
	}
	if len(answered) == 0 {
		return invs, nil
	}
	gone := map[int64]bool{}
	for _, id := range answered {
		gone[id] = true
	}
	out := invs[:0:0]
	for _, inv := range invs {
		if !gone[inv.ID] {
			out = append(out, inv)
		}
	}
	return out, nil
}

// applyFrequencyCap decides, under a lock on each customer, which first
// sends may go out, and records them as the customer's last contact.
func (s *Store) applyFrequencyCap(ctx context.Context, invs []Outgoing, now time.Time) ([]Outgoing, error) {
	var customers []int64
	seen := map[int64]bool{}
	for _, inv := range invs {
		if !inv.Reminder() && !seen[inv.CustomerID] {
			seen[inv.CustomerID] = true
			customers = append(customers, inv.CustomerID)
		}
	}
	if len(customers) == 0 {
		return invs, nil
	}
	sort.Slice(customers, func(i, j int) bool { return customers[i] < customers[j] })
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("frequency cap: %w", err)
	}
	defer tx.Rollback()
	type contact struct {
		ID         int64      `db:"id"`
		At         *time.Time `db:"last_contacted_at"`
		Invitation *int64     `db:"last_contact_invitation_id"`
		// Live is false when that invitation ended without reaching the
		// customer (failed, suppressed): it does not count.
		Live bool `db:"live"`
	}
	// Lock first, in id order so concurrent workers cannot deadlock; then
	// read, in a new statement that sees what the lock holder committed (a
	// locking join would re-check the customer row but not the joined one).
	if _, err := tx.ExecContext(ctx, `SELECT id FROM customers WHERE id = ANY ($1) ORDER BY id FOR UPDATE`, pq.Array(customers)); err != nil {
		return nil, fmt.Errorf("lock customers for the frequency cap: %w", err)
	}
	var rows []contact
	if err := tx.SelectContext(ctx, &rows, `SELECT cu.id, cu.last_contacted_at, cu.last_contact_invitation_id,
			COALESCE(li.state NOT IN ('failed', 'suppressed'), false) AS live
		FROM customers cu LEFT JOIN invitations li ON li.id = cu.last_contact_invitation_id
		WHERE cu.id = ANY ($1)`, pq.Array(customers)); err != nil {
		return nil, fmt.Errorf("read last contacts: %w", err)
	}
	last := make(map[int64]contact, len(rows))
	for _, r := range rows {
		last[r.ID] = r
	}
	var ready []Outgoing
	var capped, contactIDs, contactInvs []int64
	for _, inv := range invs {
		if inv.Reminder() {
			ready = append(ready, inv)
			continue
		}
		c := last[inv.CustomerID]
		mine := c.Invitation != nil && *c.Invitation == inv.ID
		if !mine && c.Live && c.At != nil && inv.CapDays > 0 && c.At.After(now.AddDate(0, 0, -inv.CapDays)) {
			capped = append(capped, inv.ID)
			continue
		}
		id := inv.ID
		last[inv.CustomerID] = contact{ID: inv.CustomerID, At: &now, Invitation: &id, Live: true}
		contactIDs = append(contactIDs, inv.CustomerID)
		contactInvs = append(contactInvs, inv.ID)
		ready = append(ready, inv)
	}
	if len(contactIDs) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE customers cu SET last_contacted_at = $3, last_contact_invitation_id = u.inv
			FROM unnest($1::bigint[], $2::bigint[]) AS u(id, inv) WHERE cu.id = ANY ($1) AND cu.id = u.id`,
			pq.Array(contactIDs), pq.Array(contactInvs), now); err != nil {
			return nil, fmt.Errorf("record last contact: %w", err)
		}
	}
	if len(capped) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE invitations SET state = 'suppressed', reason = $2, updated_at = $3
			WHERE id = ANY ($1) AND state = 'queued'`, pq.Array(capped), ReasonFrequencyCap, now); err != nil {
			return nil, fmt.Errorf("suppress capped invitations: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("frequency cap: %w", err)
	}
	return ready, nil
}
