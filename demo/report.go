package demo

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lib/pq"

	"github.com/followup/followup/app"
)

type complaintRow struct {
	ID          int64          `db:"id"`
	Priority    int            `db:"priority"`
	Escalations pq.StringArray `db:"escalations"`
	Advice      string         `db:"advice"`
	Name        string         `db:"name"`
	Locale      string         `db:"locale"`
	DueAt       time.Time      `db:"due_at"`
	Overall     *float64       `db:"score_overall"`
	Comment     string         `db:"comment"`
}

type summary struct {
	Sent     int `db:"sent"`
	Replies  int `db:"replies"`
	Scored   int `db:"scored"`
	Negative int `db:"negative"`
	// Partial replies gave the email's rating and a comment only;
	// PartialComplaints of them opened a complaint.
	Partial           int `db:"partial"`
	PartialComplaints int `db:"partial_complaints"`
	Complaints        []complaintRow
}

// waitScored waits until the run's replies are all scored, then reads what
// happened from PostgreSQL.
func waitScored(ctx context.Context, a *app.App, run string, replies int) (summary, error) {
	prefix := "demo-" + run + "-%"
	deadline := time.Now().Add(30 * time.Second)
	var s summary
	for {
		err := a.DB.GetContext(ctx, &s, `SELECT
			(SELECT count(*) FROM invitations i JOIN customers c ON c.id = i.customer_id
			  WHERE c.external_ref LIKE $1 AND i.state IN ('sent', 'answered')) AS sent,
			count(r.id) AS replies,
			count(r.scored_at) AS scored,
			count(*) FILTER (WHERE r.negative) AS negative,
			count(*) FILTER (WHERE NOT r.completed) AS partial,
			count(*) FILTER (WHERE NOT r.completed AND EXISTS (SELECT 1 FROM complaints k WHERE k.response_id = r.id)) AS partial_complaints
			FROM responses r JOIN customers c ON c.id = r.customer_id WHERE c.external_ref LIKE $1`, prefix)
		if err != nil {
			return s, fmt.Errorf("read demo results: %w", err)
		}
		if s.Scored >= replies {
			break
		}
		if time.Now().After(deadline) {
			return s, fmt.Errorf("only %d of %d replies were scored in 30 s", s.Scored, replies)
		}
		select {
		case <-ctx.Done():
			return s, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	err := a.DB.SelectContext(ctx, &s.Complaints, `SELECT k.id, k.priority, k.escalations, k.advice->>'kind' AS advice, c.name, c.locale, k.due_at, r.score_overall, r.comment
		FROM complaints k JOIN customers c ON c.id = k.customer_id JOIN responses r ON r.id = k.response_id
		WHERE c.external_ref LIKE $1 ORDER BY k.due_at, k.id`, prefix)
	if err != nil {
		return s, fmt.Errorf("read demo complaints: %w", err)
	}
	return s, nil
}

// report writes the summary: what the run did, true after it stops.
func report(out io.Writer, s summary, lp loop, db Database) {
	fmt.Fprintf(out, "\nSummary\n")
	fmt.Fprintf(out, "  emails sent:       %d", lp.Emails.Total)
	if lp.Emails.Total > 0 {
		fmt.Fprintf(out, " (%s)", lp.Emails)
	}
	fmt.Fprintln(out)
	fmt.Fprintf(out, "  surveys delivered: %d\n", s.Sent)
	fmt.Fprintf(out, "  replies:           %d (%d negative)\n", s.Replies, s.Negative)
	fmt.Fprintf(out, "  partial replies:   %d (the rating clicked in the email and a comment, nothing else), %d of them opened a complaint\n",
		s.Partial, s.PartialComplaints)
	fmt.Fprintf(out, "  complaints opened: %d\n", len(s.Complaints))
	fmt.Fprintf(out, "  acknowledged:      %d (the customer was told who will contact them and by when)\n", lp.Acknowledged)
	fmt.Fprintf(out, "  alerts raised:     %d (to the CX team by email, and to FOLLOWUP_ALERT_WEBHOOK_URL when set)\n", lp.Alerts)
	if lp.Worked != 0 {
		fmt.Fprintf(out, "  worked by cx:      #%d taken, answered, compensated and resolved through the API;\n", lp.Worked)
		fmt.Fprintf(out, "                     its reply and resolution emails were sent, its recovery survey is planned\n")
	}
	if b := lp.Back; b.Replied != 0 {
		fmt.Fprintf(out, "  replied by email:  the customer of #%d answered the acknowledgement from their mail client: %q\n", b.Replied, excerpt(b.Words, 60))
		fmt.Fprintf(out, "                     the reply reached the inbound SMTP listener, is on the complaint's conversation with its photo\n")
		fmt.Fprintf(out, "                     of the parcel (parcel.jpg, a download), its owner (or the team) alerted\n")
	}
	if b := lp.Back; b.Bounced != "" {
		fmt.Fprintf(out, "  late bounce:       a relay reported %s unknown (Postfix's report, 5.1.1) after accepting its survey email:\n", b.Bounced)
		fmt.Fprintf(out, "                     the address is suppressed and its invitation marked bounced\n")
	}
	fmt.Fprintln(out)
	if len(s.Complaints) > 0 {
		tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  #\tprio\tcustomer\tdue\toverall\tsignals\tadvice\tcomment")
		for _, c := range s.Complaints {
			overall := "-"
			if c.Overall != nil {
				overall = fmt.Sprintf("%.0f", *c.Overall)
			}
			signals := strings.Join(c.Escalations, ",")
			if signals == "" {
				signals = "-"
			}
			fmt.Fprintf(tw, "  %d\tP%d\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Priority, c.Name, c.DueAt.Local().Format("Jan 2 15:04"),
				overall, signals, c.Advice, excerpt(c.Comment, 50))
		}
		tw.Flush()
	}
}

// reportKept says what outlives a --once run: its schema, how to open it,
// serve it again and drop it. The servers and the SMTP capture are gone,
// so no address of theirs is named.
func reportKept(out io.Writer, db Database) {
	fmt.Fprintf(out, "\nThe demo has stopped: its pages, API and captured emails are gone with it.\n")
	if db.Schema == "" {
		return
	}
	fmt.Fprintf(out, "What it wrote stays in PostgreSQL, schema %s:\n", db.Schema)
	fmt.Fprintf(out, "  inspect:        %s\n", db.Inspect())
	fmt.Fprintf(out, "  serve it again: followup demo --schema %s   (adds a run to it, then serves until Ctrl-C)\n", db.Schema)
	fmt.Fprintf(out, "  drop it:        %s\n", db.Drop())
	fmt.Fprintf(out, "                  (followup demo --clean drops every earlier demo_* schema)\n")
}

// reportServing says where to look while the demo keeps serving.
func reportServing(out io.Writer, base string, lp loop, handLink string, access demoAccess) {
	fmt.Fprintf(out, "\nWhere to look\n")
	fmt.Fprintf(out, "  captured emails:      %s/dev/mail\n", base)
	fmt.Fprintf(out, "  CX queue:             %s/cx/ (signed in as cx: take, reply, compensate, resolve)\n", base)
	if lp.Worked != 0 {
		fmt.Fprintf(out, "  the worked complaint: %s/cx/complaints/%d\n", base, lp.Worked)
	}
	fmt.Fprintf(out, "  open complaints:      %s/api/v1/complaints (API, with the cx token below)\n", base)
	fmt.Fprintf(out, "  campaigns:            %s/marketing/campaigns (signed in as marketing)\n", base)
	fmt.Fprintf(out, "  one complaint:        %s/api/v1/complaints/{id} (reply, signals, advice, history)\n", base)
	fmt.Fprintf(out, "  escalated (P1, P2):   %s/api/v1/complaints?priority=P1,P2\n", base)
	fmt.Fprintf(out, "  survey editor:        %s/marketing/surveys (signed in as marketing)\n", base)
	fmt.Fprintf(out, "  reports, barometer:   %s/manager/ (signed in as manager)\n", base)
	if handLink != "" {
		fmt.Fprintf(out, "  answer one by hand:   %s\n", handLink)
	}
	fmt.Fprintf(out, "  health:               %s/readyz\n", base)
	fmt.Fprintf(out, "\nSign in at %s/login (passwords are new each run):\n", base)
	for _, l := range access.logins {
		fmt.Fprintf(out, "  %-9s %-36s %s\n", l.role, l.email, l.password)
	}
	fmt.Fprintf(out, "\nThe complaints through the API, as cx:\n  curl -H 'Authorization: Bearer %s' %s/api/v1/complaints\n", access.cxToken, base)
}

func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
