package customers

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/followup/followup/invalid"
)

// Match is a customer found by Search.
type Match struct {
	ID               int64      `db:"id" json:"id"`
	ExternalRef      string     `db:"external_ref" json:"external_ref"`
	Email            string     `db:"email" json:"email"`
	Name             string     `db:"name" json:"name"`
	Locale           string     `db:"locale" json:"locale"`
	Segment          string     `db:"segment" json:"segment"`
	AnnualValueCents int64      `db:"annual_value_cents" json:"annual_value_cents"`
	Currency         *string    `db:"currency" json:"currency,omitempty"`
	OptedOutAt       *time.Time `db:"opted_out_at" json:"opted_out_at,omitempty"`
	ErasedAt         *time.Time `db:"erased_at" json:"erased_at,omitempty"`
}

// MaxSearch is the longest search text accepted.
const MaxSearch = 200

// SearchPattern checks a search text and returns it trimmed: empty, too
// long or multi-line text is refused with the field "q".
func SearchPattern(q string) (string, error) {
	q = strings.TrimSpace(q)
	switch {
	case q == "":
		return "", &invalid.FieldError{Field: "q", Message: "type part of a name, an email or a customer reference"}
	case len([]rune(q)) > MaxSearch:
		return "", &invalid.FieldError{Field: "q", Message: fmt.Sprintf("at most %d characters", MaxSearch)}
	case strings.ContainsAny(q, "\x00\r\n"):
		return "", &invalid.FieldError{Field: "q", Message: "one line of text"}
	}
	return q, nil
}

// likeEscape makes q match literally inside a LIKE pattern.
func likeEscape(q string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)
}

// SearchSQL is the condition matching the customers cu of a search: the
// exact external reference ($ref), or part of the name or email, ignoring
// case and accents ($part, a LIKE pattern made by SearchPart). Other
// packages' queries (the complaint queue) filter on it.
func SearchSQL(ref, part string) string {
	return fmt.Sprintf("(cu.external_ref = %s OR cu.search_text LIKE '%%' || customer_search_fold(%s) || '%%')", ref, part)
}

// SearchPart is the parameter of SearchSQL's part for the text q.
func SearchPart(q string) string { return likeEscape(q) }

// Search finds up to limit customers (1–200, default 50) whose external
// reference is q, or whose name or email contains q, ignoring case and
// accents: the exact reference first, then by name.
func (s *Store) Search(ctx context.Context, q string, limit int) ([]Match, error) {
	q, err := SearchPattern(q)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	out := []Match{}
	err = s.db.SelectContext(ctx, &out, `SELECT cu.id, cu.external_ref, cu.email, cu.name, cu.locale, cu.segment,
		cu.annual_value_cents, cu.currency, cu.opted_out_at, cu.erased_at
		FROM customers cu WHERE `+SearchSQL("$1", "$2")+`
		ORDER BY cu.external_ref = $1 DESC, cu.name, cu.id LIMIT $3`, q, SearchPart(q), limit)
	if err != nil {
		return nil, fmt.Errorf("search customers for %q: %w", q, err)
	}
	return out, nil
}

// MaxPage is the most customers one page of Page returns.
const MaxPage = 200

// Page returns customers by offset: those matching q as Search does (the
// exact external reference first, then by name), or every customer by id
// when q is empty; limit is 1–MaxPage (default 50). more says whether
// customers follow the page.
func (s *Store) Page(ctx context.Context, q string, limit, offset int) (out []Match, more bool, err error) {
	if limit <= 0 {
		limit = 50
	}
	if limit > MaxPage {
		return nil, false, &invalid.FieldError{Field: "limit", Message: fmt.Sprintf("at most %d customers a page", MaxPage)}
	}
	if offset < 0 {
		return nil, false, &invalid.FieldError{Field: "offset", Message: "a whole number, 0 or more"}
	}
	const cols = `SELECT cu.id, cu.external_ref, cu.email, cu.name, cu.locale, cu.segment,
		cu.annual_value_cents, cu.currency, cu.opted_out_at, cu.erased_at FROM customers cu `
	out = []Match{}
	if strings.TrimSpace(q) == "" {
		err = s.db.SelectContext(ctx, &out, cols+`ORDER BY cu.id LIMIT $1 OFFSET $2`, limit+1, offset)
	} else {
		if q, err = SearchPattern(q); err != nil {
			return nil, false, err
		}
		err = s.db.SelectContext(ctx, &out, cols+`WHERE `+SearchSQL("$1", "$2")+`
			ORDER BY cu.external_ref = $1 DESC, cu.name, cu.id LIMIT $3 OFFSET $4`, q, SearchPart(q), limit+1, offset)
	}
	if err != nil {
		return nil, false, fmt.Errorf("page of customers for %q: %w", q, err)
	}
	if len(out) > limit {
		return out[:limit], true, nil
	}
	return out, false, nil
}
