package scheduler

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/prepared"
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
	candidates, err := s.settle(ctx, claimed, now)
	if err != nil {
		return nil, err
	}
	return s.applyFrequencyCap(ctx, candidates, now)
}

// Recheck applies the send-time rules again to invitations vetted earlier
// in a send that has taken a while (a large batch under a rate limit): it
// re-reads what can change meanwhile — the customer's opt-out, a bounced or
// unsubscribed address, the campaign paused or archived, a reminder
// answered — and settles those that may no longer go as Vet does. The
// frequency cap, already granted to these invitations, is not re-run.
func (s *Store) Recheck(ctx context.Context, vetted []Outgoing, now time.Time) ([]Outgoing, error) {
	if len(vetted) == 0 {
		return vetted, nil
	}
	ids := make(pq.Int64Array, len(vetted))
	for i, inv := range vetted {
		ids[i] = inv.ID
	}
	var fresh []struct {
		ID                int64  `db:"id"`
		CampaignState     string `db:"campaign_state"`
		OptedOut          bool   `db:"opted_out"`
		AddressSuppressed string `db:"address_suppressed"`
	}
	// Each connection of a long send asks every second: prepared, with
	// its plan kept (prepared.Opaque).
	st, err := s.stmts.Stmt(ctx, `
SELECT i.id, c.state AS campaign_state, cu.opted_out_at IS NOT NULL AS opted_out, COALESCE(sup.reason, '') AS address_suppressed
FROM `+sendTimeFacts+`
WHERE i.id = ANY (`+prepared.Opaque("$1::bigint[]")+`) AND i.state = 'queued'`)
	if err == nil {
		err = st.SelectContext(ctx, &fresh, ids)
	}
	if err != nil {
		return nil, fmt.Errorf("recheck %d invitations: %w", len(vetted), err)
	}
	byID := make(map[int64]int, len(fresh))
	for i, f := range fresh {
		byID[f.ID] = i
	}
	out := make([]Outgoing, 0, len(vetted))
	for _, inv := range vetted {
		i, ok := byID[inv.ID]
		if !ok {
			continue // no longer queued: settled elsewhere (answered, expired)
		}
		inv.CampaignState, inv.OptedOut, inv.AddressSuppressed = fresh[i].CampaignState, fresh[i].OptedOut, fresh[i].AddressSuppressed
		out = append(out, inv)
	}
	return s.settle(ctx, out, now)
}

// settle suppresses or puts back what may not go (opt-out, suppressed
// address, archived or paused campaign, answered reminder) and returns the
// rest.
func (s *Store) settle(ctx context.Context, claimed []Outgoing, now time.Time) ([]Outgoing, error) {
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
	return s.dropAnsweredReminders(ctx, candidates, now)
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

// applyFrequencyCap decides which first sends may go out and records them
// as their customer's last contact through customers.Store.ClaimContacts,
// in one statement: it locks each customer (in id order, so concurrent
// workers cannot deadlock) and only takes those the cap allows, re-checked
// on the latest row when another worker got there first. What it does not
// take is suppressed.
func (s *Store) applyFrequencyCap(ctx context.Context, invs []Outgoing, now time.Time) ([]Outgoing, error) {
	var cands []customers.Contact
	first := map[int64]bool{}
	var ready []Outgoing
	var capped []int64
	for _, inv := range invs {
		switch {
		case inv.Reminder():
			ready = append(ready, inv) // reminders do not count against the cap
		case !first[inv.CustomerID]:
			first[inv.CustomerID] = true
			cands = append(cands, customers.Contact{CustomerID: inv.CustomerID, InvitationID: inv.ID, CapDays: inv.CapDays})
		case inv.CapDays == 0:
			ready = append(ready, inv) // a second survey in this batch, from a campaign without a cap
		default:
			capped = append(capped, inv.ID) // a second survey in this very batch
		}
	}
	if len(cands) > 0 {
		granted, err := s.customers.ClaimContacts(ctx, cands, now)
		if err != nil {
			return nil, fmt.Errorf("frequency cap: %w", err)
		}
		ok := make(map[int64]bool, len(granted))
		for _, id := range granted {
			ok[id] = true
		}
		isCand := make(map[int64]bool, len(cands))
		for _, c := range cands {
			isCand[c.InvitationID] = true
		}
		for _, inv := range invs {
			switch {
			case !isCand[inv.ID]:
			case ok[inv.ID]:
				ready = append(ready, inv)
			default:
				capped = append(capped, inv.ID)
			}
		}
	}
	if len(capped) > 0 {
		if _, err := s.db.ExecContext(ctx, `UPDATE invitations SET state = 'suppressed', reason = $2, updated_at = $3
			WHERE id = ANY ($1) AND state = 'queued'`, pq.Array(capped), ReasonFrequencyCap, now); err != nil {
			return nil, fmt.Errorf("suppress capped invitations: %w", err)
		}
	}
	sort.Slice(ready, func(i, j int) bool { return ready[i].ID < ready[j].ID })
	return ready, nil
}
