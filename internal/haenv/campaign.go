package haenv

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
)

// States counts a campaign's invitations by what PostgreSQL says of them.
type States struct {
	Sent    int `db:"sent"`    // sent (or answered)
	Pending int `db:"pending"` // scheduled, queued or sending: not settled
	Failed  int `db:"failed"`
	Other   int `db:"other"` // suppressed, expired
}

// CampaignStates reads the states of the campaign's invitations.
func CampaignStates(ctx context.Context, db *sqlx.DB, campaignID int64) (States, error) {
	var s States
	err := db.GetContext(ctx, &s, `SELECT
		count(*) FILTER (WHERE state IN ('sent', 'answered')) AS sent,
		count(*) FILTER (WHERE state IN ('scheduled', 'queued', 'sending')) AS pending,
		count(*) FILTER (WHERE state = 'failed') AS failed,
		count(*) FILTER (WHERE state IN ('suppressed', 'expired')) AS other
		FROM invitations WHERE campaign_id = $1`, campaignID)
	if err != nil {
		return s, fmt.Errorf("count the campaign's invitations: %w", err)
	}
	return s, nil
}

// Tally is a campaign's invitations counted at the sink by Message-ID and
// cross-checked with PostgreSQL.
type Tally struct {
	Expected int // invitations of the campaign
	Received int // their messages the sink answered 250 to
	Unique   int // distinct invitations among them
	Lost     int // Expected − Unique
	Dups     int // Received − Unique
	// SentNotReceived are invitations PostgreSQL calls sent that never
	// reached the sink; ReceivedNotSent the reverse.
	SentNotReceived, ReceivedNotSent int
	PG                               States
}

func (t Tally) String() string {
	return fmt.Sprintf("%d invitations: %d received, %d distinct, %d lost, %d duplicates; PostgreSQL: %d sent, %d pending, %d failed; "+
		"%d sent but not received, %d received but not sent", t.Expected, t.Received, t.Unique, t.Lost, t.Dups,
		t.PG.Sent, t.PG.Pending, t.PG.Failed, t.SentNotReceived, t.ReceivedNotSent)
}

// Count tallies the campaign's invitations at the sink and in PostgreSQL.
func Count(ctx context.Context, db *sqlx.DB, campaignID int64, sink *Sink) (Tally, error) {
	var t Tally
	var err error
	if t.PG, err = CampaignStates(ctx, db, campaignID); err != nil {
		return t, err
	}
	sent, err := SentOf(ctx, db, campaignID)
	if err != nil {
		return t, err
	}
	pg := t.PG
	t = CountAt(sent, sink.Received())
	t.PG = pg
	return t, nil
}

// SentOf reads whether each invitation of the campaign is sent (or
// answered), by id.
func SentOf(ctx context.Context, db *sqlx.DB, campaignID int64) (map[int64]bool, error) {
	var rows []struct {
		ID   int64 `db:"id"`
		Sent bool  `db:"sent"`
	}
	if err := db.SelectContext(ctx, &rows, `SELECT id, state IN ('sent', 'answered') AS sent FROM invitations WHERE campaign_id = $1`,
		campaignID); err != nil {
		return nil, fmt.Errorf("read the campaign's invitations: %w", err)
	}
	sent := make(map[int64]bool, len(rows))
	for _, row := range rows {
		sent[row.ID] = row.Sent
	}
	return sent, nil
}

// CountAt tallies the messages a sink received (by Message-ID) against the
// campaign's invitations (SentOf): only the campaign's own count. PG is
// left to the caller.
func CountAt(sent map[int64]bool, received map[string]int) Tally {
	t := Tally{Expected: len(sent)}
	atSink := map[int64]bool{}
	for id, n := range received {
		inv, ok := InvitationOf(id)
		if _, ours := sent[inv]; !ok || !ours {
			continue
		}
		atSink[inv] = true
		t.Received += n
	}
	t.Unique = len(atSink)
	t.Lost = t.Expected - t.Unique
	t.Dups = t.Received - t.Unique
	for id, isSent := range sent {
		switch {
		case isSent && !atSink[id]:
			t.SentNotReceived++
		case !isSent && atSink[id]:
			t.ReceivedNotSent++
		}
	}
	return t
}

// InvitationOf reads the invitation id of a Message-ID
// (invitation-42@domain; reminders, -r1, are not the campaign's first
// email and are not counted).
func InvitationOf(messageID string) (int64, bool) {
	rest, ok := strings.CutPrefix(messageID, "invitation-")
	if !ok {
		return 0, false
	}
	num, _, ok := strings.Cut(rest, "@")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(num, 10, 64)
	return id, err == nil
}
