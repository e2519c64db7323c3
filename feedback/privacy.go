package feedback

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// quotedWords is the customer's words an alert quotes (a reply by email:
// “…”), as a regular expression.
const quotedWords = `'“.*”'`

// EraseAlerts removes a customer from the alerts about their complaints,
// in tx: their name (in the text and in the data's "customer") and the
// words of theirs an alert quotes become "[erased]". It returns how many
// alerts changed.
func (s *Store) EraseAlerts(ctx context.Context, tx sqlx.ExecerContext, customerID int64, name string) (int64, error) {
	newText := `regexp_replace(erase_mention(a.text, $2), ` + quotedWords + `, '“[erased]”')`
	newData := `CASE WHEN jsonb_typeof(a.data) = 'object' AND a.data ? 'customer' AND a.data ->> 'customer' <> ''
		THEN a.data || '{"customer": "[erased]"}'::jsonb ELSE a.data END`
	res, err := tx.ExecContext(ctx, `UPDATE alerts a SET text = `+newText+`, data = `+newData+`
		WHERE a.complaint_id IN (SELECT id FROM complaints WHERE customer_id = $1)
		AND (a.text <> `+newText+` OR a.data <> `+newData+`)`, customerID, name)
	if err != nil {
		return 0, fmt.Errorf("erase the alerts about customer %d: %w", customerID, err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// PurgeAlerts removes the customers' words quoted by alerts raised before
// cutoff (the retention period); it returns how many alerts changed.
func (s *Store) PurgeAlerts(ctx context.Context, tx sqlx.ExecerContext, cutoff time.Time) (int64, error) {
	res, err := tx.ExecContext(ctx, `UPDATE alerts SET text = regexp_replace(text, `+quotedWords+`, '“[erased]”')
		WHERE created_at < $1 AND kind = $2 AND text ~ `+quotedWords+` AND text !~ '“\[erased\]”'`, cutoff, string(AlertCustomerReplied))
	if err != nil {
		return 0, fmt.Errorf("purge the alerts raised before %s: %w", cutoff.Format(time.RFC3339), err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
