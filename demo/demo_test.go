package demo_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/demo"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/mail/capture"
)

// TestDemoOnce runs the demo as "followup demo --once" does and checks its
// report against the database.
func TestDemoOnce(t *testing.T) {
	t.Parallel()
	schema := testenv.NewSchema(t)
	queues := testenv.NewQueues(t)
	smtpSrv, err := capture.Start(capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer smtpSrv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	env := apptest.Env(schema, queues, smtpSrv, ln)
	env["FOLLOWUP_SWEEP_INTERVAL"] = "100ms"
	env["FOLLOWUP_ACK_DELAY"] = "0s"
	env["FOLLOWUP_INBOUND_DOMAIN"] = "reply.demo.test"
	inboundLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := apptest.Config(t, env)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	start := time.Now()
	if err := demo.Run(ctx, a, demo.Options{Customers: 24, Once: true, Out: &out, Listener: ln, Capture: smtpSrv, InboundListener: inboundLn}); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	t.Logf("demo took %s\n%s", time.Since(start), out.String())
	report := out.String()

	var sent, replies, complaints int
	if err := schema.DB.Get(&sent, `SELECT count(*) FROM invitations WHERE sent_at IS NOT NULL`); err != nil {
		t.Fatal(err)
	}
	if err := schema.DB.Get(&replies, `SELECT count(*) FROM responses`); err != nil {
		t.Fatal(err)
	}
	if err := schema.DB.Get(&complaints, `SELECT count(*) FROM complaints`); err != nil {
		t.Fatal(err)
	}
	surveyMails := 0
	for _, m := range smtpSrv.Messages() {
		if bytes.Contains(m.Raw, []byte("Message-ID: <invitation-")) {
			surveyMails++
		}
	}
	if sent != 24 || surveyMails != 24 {
		t.Errorf("%d invitations sent, %d survey emails captured; want 24", sent, surveyMails)
	}
	var acked, resolved, recovery int
	if err := schema.DB.Get(&acked, `SELECT count(*) FROM complaints WHERE acknowledged_at IS NOT NULL`); err != nil {
		t.Fatal(err)
	}
	if err := schema.DB.Get(&resolved, `SELECT count(*) FROM complaint_messages WHERE kind = 'resolution' AND state = 'sent'`); err != nil {
		t.Fatal(err)
	}
	if err := schema.DB.Get(&recovery, `SELECT count(*) FROM invitations WHERE complaint_id IS NOT NULL AND state = 'scheduled'`); err != nil {
		t.Fatal(err)
	}
	if acked != complaints || resolved != 1 || recovery != 1 {
		t.Errorf("%d of %d complaints acknowledged, %d resolution emails, %d recovery surveys planned; want all, 1, 1", acked, complaints, resolved, recovery)
	}
	if replies != 22 || complaints < 8 || complaints >= replies { // 2 of 24 stay silent; a third or so are unhappy
		t.Errorf("%d replies, %d complaints", replies, complaints)
	}
	// Every email the capture received is counted, by kind: the survey
	// invitations, and the acknowledgements, reply, resolution and alerts
	// the complaints brought.
	for _, want := range []string{
		"emails sent:       " + strconv.Itoa(smtpSrv.Count()) + " (24 survey invitations, " + strconv.Itoa(acked) + " acknowledgements, 1 reply from the CX agent, 1 resolution, ",
		" alert emails to the team)",
		"surveys delivered: 24",
		"replies:           " + strconv.Itoa(replies),
		"complaints opened: " + strconv.Itoa(complaints),
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// The servers have stopped: the report names none of their addresses.
	for _, gone := range []string{"http://", ln.Addr().String(), smtpSrv.Addr(), "/dev/mail"} {
		if strings.Contains(report, gone) {
			t.Errorf("the report of a stopped demo names %q", gone)
		}
	}
	// The customers threatening to go public are escalated: P2 or higher,
	// with the public signal, and their known prejudice is advised at 70–80 %.
	var public []struct {
		Priority    int    `db:"priority"`
		Escalations string `db:"escalations"`
		Advice      string `db:"advice"`
	}
	if err := schema.DB.Select(&public, `SELECT k.priority, array_to_string(k.escalations, ',') AS escalations, k.advice->>'kind' AS advice
		FROM complaints k JOIN responses r ON r.id = k.response_id WHERE r.comment ILIKE '%facebook%' OR r.comment ILIKE '%twitter%'`); err != nil {
		t.Fatal(err)
	}
	if len(public) == 0 {
		t.Errorf("no complaint from the customers threatening to go public")
	}
	for _, c := range public {
		if c.Priority > 2 || !strings.Contains(c.Escalations, "public") || c.Advice != "reimbursement" {
			t.Errorf("going-public complaint: %+v; want P2 or higher, the public signal, a reimbursement advice", c)
		}
	}
	// The customers who only clicked a rating in the email and wrote one
	// line are partial replies, and each opened its complaint.
	var partial, partialComplaints int
	if err := schema.DB.QueryRow(`SELECT count(*), count(k.id) FROM responses r LEFT JOIN complaints k ON k.response_id = r.id
		WHERE NOT r.completed`).Scan(&partial, &partialComplaints); err != nil {
		t.Fatal(err)
	}
	if partial == 0 || partialComplaints != partial ||
		!strings.Contains(report, fmt.Sprintf("partial replies:   %d (", partial)) ||
		!strings.Contains(report, fmt.Sprintf("%d of them opened a complaint", partial)) {
		t.Errorf("%d partial replies, %d complaints from them; report: %s", partial, partialComplaints, report)
	}
	// Two-way email: a customer answered an acknowledgement by email with a
	// photo and a relay reported a late bounce; both landed.
	var inReplies, photos, bounced int
	if err := schema.DB.QueryRow(`SELECT (SELECT count(*) FROM complaint_messages WHERE direction = 'in' AND kind = 'customer_reply'),
		(SELECT count(*) FROM inbound_attachments WHERE kept AND sniffed_type = 'image/jpeg'),
		(SELECT count(*) FROM email_suppressions WHERE reason = 'bounced')`).Scan(&inReplies, &photos, &bounced); err != nil {
		t.Fatal(err)
	}
	if inReplies != 1 || photos != 1 || bounced != 1 || !strings.Contains(report, "replied by email:") || !strings.Contains(report, "parcel.jpg") ||
		!strings.Contains(report, "late bounce:") {
		t.Errorf("%d email replies on complaints (%d photos), %d addresses bounced late; want 1 (1) and 1, said in the report", inReplies, photos, bounced)
	}
}
