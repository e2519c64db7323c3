package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"time"

	"github.com/followup/followup/app"
)

// loop is what the internal loop did during the run.
type loop struct {
	Acknowledged int `db:"acknowledged"`
	Alerts       int `db:"alerts"`
	// Worked is the complaint the demo's CX agent took, answered,
	// compensated and resolved; 0 when there was none.
	Worked int64 `db:"-"`
	// Emails are the emails of every kind sent during the run.
	Emails emailCount `db:"-"`
	// Back is the mail that came back by email (two-way email on).
	Back twoWay `db:"-"`
}

// workComplaint plays the CX agent on the most urgent complaint, through
// the API like any client: take it, reply from the template with its
// brackets filled in, record the compensation advised, resolve it.
func workComplaint(ctx context.Context, client *http.Client, base, token string, id int64) error {
	call := func(method, path string, in, out any) error {
		var body bytes.Buffer
		if in != nil {
			if err := json.NewEncoder(&body).Encode(in); err != nil {
				return err
			}
		}
		req, err := http.NewRequestWithContext(ctx, method, base+path, &body)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			var e map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&e)
			return fmt.Errorf("%s %s: %s %v", method, path, resp.Status, e)
		}
		if out != nil {
			return json.NewDecoder(resp.Body).Decode(out)
		}
		return nil
	}
	path := fmt.Sprintf("/api/v1/complaints/%d", id)
	if err := call("POST", path+"/take", nil, nil); err != nil {
		return err
	}
	var draft struct {
		Locale string `json:"locale"`
		Body   string `json:"body"`
	}
	if err := call("GET", path+"/reply-draft", nil, &draft); err != nil {
		return err
	}
	when := time.Now().Add(48 * time.Hour)
	fill := map[string][]string{
		"en": {"which items arrived damaged, if any", "a full refund of the delivery and a replacement sent by express courier",
			when.Format("Monday January 2"), "You will receive the tracking number by email as soon as it leaves."},
		"fr": {"quels articles sont arrivés endommagés, le cas échéant", "le remboursement complet de la livraison et un remplacement envoyé en express",
			fmt.Sprintf("%d/%d", when.Day(), int(when.Month())), "Vous recevrez le numéro de suivi par courriel dès son départ."},
	}[draft.Locale]
	if fill == nil {
		return fmt.Errorf("no demo text for locale %q", draft.Locale)
	}
	i := 0
	body := regexp.MustCompile(`\[[^\]]+\]`).ReplaceAllStringFunc(draft.Body, func(string) string {
		s := fill[min(i, len(fill)-1)]
		i++
		return s
	})
	if err := call("POST", path+"/replies", map[string]any{"body": body}, nil); err != nil {
		return err
	}
	if err := call("POST", path+"/compensation", map[string]any{"amount": "25.00", "note": "refund of the delivery fee"}, nil); err != nil {
		return err
	}
	return call("POST", path+"/resolve", map[string]any{"summary": "We refunded the delivery fee (25.00) and sent a replacement by express courier; it arrives within two days."}, nil)
}

// waitLoop waits until the emails the internal loop owes the run's
// customers are out, and counts them and the alerts.
func waitLoop(ctx context.Context, a *app.App, run string) (loop, error) {
	prefix := "demo-" + run + "-%"
	deadline := time.Now().Add(30 * time.Second)
	for {
		// The alerts' emails count too: the summary counts every email.
		var pending int
		err := a.DB.GetContext(ctx, &pending, `SELECT
			(SELECT count(*) FROM complaint_messages m JOIN complaints k ON k.id = m.complaint_id
			  JOIN customers c ON c.id = k.customer_id WHERE c.external_ref LIKE $1 AND m.state = 'pending' AND m.send_at <= now())
			+ (SELECT count(*) FROM alerts a JOIN complaints k ON k.id = a.complaint_id
			  JOIN customers c ON c.id = k.customer_id WHERE c.external_ref LIKE $1 AND a.email_delivered_at IS NULL)`, prefix)
		if err != nil {
			return loop{}, fmt.Errorf("read demo emails: %w", err)
		}
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			return loop{}, fmt.Errorf("%d complaint or alert emails still unsent after 30 s", pending)
		}
		select {
		case <-ctx.Done():
			return loop{}, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	var l loop
	err := a.DB.GetContext(ctx, &l, `SELECT
		(SELECT count(*) FROM complaints k JOIN customers c ON c.id = k.customer_id WHERE c.external_ref LIKE $1 AND k.acknowledged_at IS NOT NULL) AS acknowledged,
		(SELECT count(*) FROM alerts a JOIN complaints k ON k.id = a.complaint_id JOIN customers c ON c.id = k.customer_id WHERE c.external_ref LIKE $1) AS alerts`, prefix)
	if err != nil {
		return l, fmt.Errorf("read demo loop: %w", err)
	}
	return l, nil
}
