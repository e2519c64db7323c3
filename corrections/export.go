package corrections

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/lib/pq"

	"github.com/followup/followup/comments"
	"github.com/followup/followup/surveys"
)

// Counts returns how many corrections of each kind were made in [from,
// to); every kind is present, 0 when none.
func (s *Store) Counts(ctx context.Context, from, to time.Time) (map[Kind]int, error) {
	out := make(map[Kind]int, len(Kinds))
	for _, k := range Kinds {
		out[k] = 0
	}
	rows, err := s.db.QueryxContext(ctx, `SELECT kind, count(*) FROM comment_corrections
		WHERE created_at >= $1 AND created_at < $2 GROUP BY kind`, from, to)
	if err != nil {
		return nil, fmt.Errorf("count corrections: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k Kind
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, fmt.Errorf("count corrections: %w", err)
		}
		out[k] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count corrections: %w", err)
	}
	return out, nil
}

// Label positions in comments.Row.Labels.
const (
	labelNegative = iota
	labelPublic
	labelLegal
	labelLeave
	labelIncivility
)

// Labels are a corrected reply's corpus labels (negative, public, legal,
// leave, incivility): first what the reading stored — negative when the
// reply was negative or the comment angry, each other label when a signal
// of its kind was read — then the corrections in the order they were made:
// NotComplaint clears every label, a missed signal sets negative and its
// own label.
func Labels(negative bool, signals []surveys.Signal, kinds []Kind) [5]bool {
	var l [5]bool
	l[labelNegative] = negative || surveys.HasSignal(signals, surveys.SignalAnger)
	l[labelPublic] = surveys.HasSignal(signals, surveys.SignalPublic)
	l[labelLegal] = surveys.HasSignal(signals, surveys.SignalLegal)
	l[labelLeave] = surveys.HasSignal(signals, surveys.SignalLeave)
	l[labelIncivility] = surveys.HasSignal(signals, surveys.SignalIncivility)
	for _, k := range kinds {
		switch k {
		case NotComplaint:
			l = [5]bool{}
		case MissedPublic:
			l[labelNegative], l[labelPublic] = true, true
		case MissedLegal:
			l[labelNegative], l[labelLegal] = true, true
		case MissedLeave:
			l[labelNegative], l[labelLeave] = true, true
		}
	}
	return l
}

// Export returns the replies with a comment corrected since since (every
// correction when since is zero) as corpus rows, in reply order: id
// "r<response id>", the reply's language, its Labels and its comment. A
// reply's labels apply all its corrections, also those made before since.
func (s *Store) Export(ctx context.Context, since time.Time) ([]comments.Row, error) {
	var list []struct {
		ID       int64          `db:"id"`
		Locale   string         `db:"locale"`
		Comment  string         `db:"comment"`
		Negative bool           `db:"negative"`
		Signals  []byte         `db:"signals"`
		Kinds    pq.StringArray `db:"kinds"`
	}
	err := s.db.SelectContext(ctx, &list, `SELECT r.id, r.locale, r.comment, COALESCE(r.negative, false) AS negative, r.signals,
			array_agg(c.kind ORDER BY c.id) AS kinds
		FROM comment_corrections c JOIN responses r ON r.id = c.response_id
		WHERE btrim(r.comment) <> ''
		GROUP BY r.id
		HAVING max(c.created_at) >= $1
		ORDER BY r.id`, since)
	if err != nil {
		return nil, fmt.Errorf("export corrections: %w", err)
	}
	out := make([]comments.Row, 0, len(list))
	for _, r := range list {
		var signals []surveys.Signal
		if len(r.Signals) > 0 {
			if err := json.Unmarshal(r.Signals, &signals); err != nil {
				return nil, fmt.Errorf("decode signals of response %d: %w", r.ID, err)
			}
		}
		kinds := make([]Kind, len(r.Kinds))
		for i, k := range r.Kinds {
			kinds[i] = Kind(k)
		}
		lang := "en"
		if r.Locale == "fr" {
			lang = "fr"
		}
		out = append(out, comments.Row{ID: "r" + strconv.FormatInt(r.ID, 10), Lang: lang,
			Labels: Labels(r.Negative, signals, kinds), Text: r.Comment})
	}
	return out, nil
}
