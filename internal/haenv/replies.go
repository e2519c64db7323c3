package haenv

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followup/followup/surveys"
)

// Replier answers a campaign's sent invitations over HTTP, as customers
// do on the survey page, each with a negative reply that must open a
// complaint.
type Replier struct {
	DB         *sqlx.DB
	CampaignID int64
	Links      surveys.Links
	Client     *http.Client

	mu   sync.Mutex
	used []int64
	// Failures are the submissions serve did not answer with its 303.
	failures []string
}

// NewReplier signs links with secret for serve at base.
func NewReplier(db *sqlx.DB, campaignID int64, secret []byte, base string) (*Replier, error) {
	signer, err := surveys.NewSigner(secret)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	return &Replier{DB: db, CampaignID: campaignID, Links: surveys.Links{Signer: signer, Base: u},
		Client: &http.Client{Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}, nil
}

// NegativeReply is the form of a very unhappy customer: lowest ratings, a
// damaged parcel and a threat to go public.
func NegativeReply() url.Values {
	form := url.Values{"overall": {"1"}}
	for _, q := range surveys.Default().Questions {
		if q.Kind == surveys.Likert5 {
			n := 1
			if q.Reverse {
				n = 5
			}
			form.Set(q.Key, strconv.Itoa(n))
		}
	}
	form.Set("comment", "Parcel arrived broken, nobody answers and I am still waiting for my refund. I will post this on Facebook.")
	form["what_went_wrong"] = []string{"damage", "no_follow_up"}
	return form
}

// Submit answers one invitation already sent and not yet answered, and
// returns its id; a submission serve does not answer with 303 is kept in
// Failures (the customer was told something went wrong).
func (r *Replier) Submit(ctx context.Context) (int64, error) {
	r.mu.Lock()
	used := append([]int64{}, r.used...)
	r.mu.Unlock()
	var id int64
	if err := r.DB.GetContext(ctx, &id, `SELECT id FROM invitations WHERE campaign_id = $1 AND state = 'sent' AND id <> ALL($2)
		ORDER BY id LIMIT 1`, r.CampaignID, pq.Array(used)); err != nil {
		return 0, fmt.Errorf("pick a sent invitation to answer: %w", err)
	}
	r.mu.Lock()
	r.used = append(r.used, id)
	r.mu.Unlock()
	link := r.Links.Survey(id, time.Now().Add(24*time.Hour))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, link, strings.NewReader(NegativeReply().Encode()))
	if err != nil {
		return id, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := r.Client.Do(req)
	if err != nil {
		r.fail(fmt.Sprintf("invitation %d: %v", id, err))
		return id, nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		r.fail(fmt.Sprintf("invitation %d: status %d: %s", id, resp.StatusCode, body))
	}
	return id, nil
}

func (r *Replier) fail(s string) {
	r.mu.Lock()
	r.failures = append(r.failures, s)
	r.mu.Unlock()
}

// Answered are the invitations answered so far; Failures the submissions
// that got no 303.
func (r *Replier) Answered() []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int64{}, r.used...)
}

// Failures are the submissions serve did not answer with its 303.
func (r *Replier) Failures() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string{}, r.failures...)
}

// Outcome is what became of the replies: stored, scored, complaints opened.
type Outcome struct {
	Stored     int `db:"stored"`
	Scored     int `db:"scored"`
	Negative   int `db:"negative"`
	Complaints int `db:"complaints"`
}

// Outcome reads, in PostgreSQL, what became of the answered invitations.
func (r *Replier) Outcome(ctx context.Context) (Outcome, error) {
	var o Outcome
	err := r.DB.GetContext(ctx, &o, `SELECT count(*) AS stored,
		count(*) FILTER (WHERE r.scored_at IS NOT NULL) AS scored,
		count(*) FILTER (WHERE r.negative) AS negative,
		(SELECT count(*) FROM complaints c JOIN responses r2 ON r2.id = c.response_id WHERE r2.invitation_id = ANY($1)) AS complaints
		FROM responses r WHERE r.invitation_id = ANY($1)`, pq.Array(r.Answered()))
	if err != nil {
		return o, fmt.Errorf("read the replies' outcome: %w", err)
	}
	return o, nil
}
