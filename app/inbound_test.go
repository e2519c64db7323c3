package app_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	netmail "net/mail"
	"net/smtp"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/inbound"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/mail/capture"
	"github.com/followup/followup/users"
)

const inboundDomain = "reply.acme.test"

// startInbound runs followup with two-way email on, its inbound listener
// on a free port, on a Monday morning (inside the send window).
func startInbound(t *testing.T, env map[string]string) *apptest.Harness {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	e := map[string]string{"FOLLOWUP_INBOUND_DOMAIN": inboundDomain, "FOLLOWUP_ACK_DELAY": "0s"}
	for k, v := range env {
		e[k] = v
	}
	h := apptest.Start(t, apptest.Options{Clock: clk, Env: e})
	if h.InboundAddr == "" {
		t.Fatal("the inbound listener is not running")
	}
	return h
}

// captured returns the captured email to addr whose subject has subject,
// with its envelope.
func captured(t *testing.T, h *apptest.Harness, addr, subject string) (*capture.Message, *capture.Parsed) {
	t.Helper()
	h.WaitMail(t, addr, subject)
	for _, m := range h.Capture.Messages() {
		p, err := m.Parsed()
		if err == nil && strings.Contains(p.Subject, subject) && len(m.To) == 1 && strings.EqualFold(strings.Trim(m.To[0], "<>"), addr) {
			return m, p
		}
	}
	t.Fatalf("no email to %s about %q", addr, subject)
	return nil, nil
}

// replyTo is the address a mail client answers: the email's Reply-To.
func replyTo(t *testing.T, p *capture.Parsed) string {
	t.Helper()
	a, err := netmail.ParseAddress(p.Header.Get("Reply-To"))
	if err != nil {
		t.Fatalf("Reply-To %q: %v", p.Header.Get("Reply-To"), err)
	}
	return a.Address
}

// deliver sends raw over SMTP to the inbound listener, as a relay would.
func deliver(t *testing.T, h *apptest.Harness, from, to string, raw string) {
	t.Helper()
	if err := smtp.SendMail(h.InboundAddr, nil, from, []string{to}, []byte(strings.ReplaceAll(raw, "\n", "\r\n"))); err != nil {
		t.Fatalf("deliver to %s: %v", to, err)
	}
}

func inboundState(t *testing.T, h *apptest.Harness, rcpt string) (state, kind, outcome string) {
	t.Helper()
	var row struct {
		State   string `db:"state"`
		Kind    string `db:"kind"`
		Outcome string `db:"outcome"`
	}
	if err := h.Schema.DB.Get(&row, `SELECT state, kind, outcome FROM inbound_messages WHERE rcpt_to = lower($1) ORDER BY id DESC LIMIT 1`, rcpt); err != nil {
		return "", "", ""
	}
	return row.State, row.Kind, row.Outcome
}

// TestCustomerReplyByEmailLandsOnTheComplaint: the customer answers the
// acknowledgement from their mail client; the reply travels over SMTP to
// the inbound listener, lands on the complaint's conversation without the
// quoted original, its threat to go public raises the priority, and the
// team is alerted (the complaint has no owner yet).
func TestCustomerReplyByEmailLandsOnTheComplaint(t *testing.T) {
	t.Parallel()
	h := startInbound(t, nil)
	agent, _ := h.User(t, users.CX)
	seedCampaign(t, h)
	id, email := unhappy(t, h, "replier", "The parcel came a week late.", 3, 2)
	before := complaintOf(t, h, id)

	env, ack := captured(t, h, email, "We have received your request")
	rt := replyTo(t, ack)
	addrs, err := inbound.NewAddresser(inboundDomain, []byte(h.App.Cfg.Secret))
	if err != nil {
		t.Fatal(err)
	}
	if r, err := addrs.Verify(rt); err != nil || r != (inbound.Route{Kind: inbound.KindComplaint, ID: id}) {
		t.Fatalf("the acknowledgement's Reply-To %q routes to %v (%v), want complaint %d", rt, r, err, id)
	}
	if r, err := addrs.Verify(env.From); err != nil || r.Kind != inbound.KindMessageBounce {
		t.Fatalf("the acknowledgement's envelope sender %q routes to %v (%v), want its bounces", env.From, r, err)
	}

	// Before the customer writes, the complaint awaits no answer.
	if status, list := getJSON(t, h.API(t, users.CX), h.URL+"/api/v1/complaints?replied=true"); status != http.StatusOK || strings.Contains(list, fmt.Sprintf(`"id":%d,`, id)) {
		t.Errorf("the customer-replied view before any reply: %d %.300s", status, list)
	}

	const words = "Nobody called me. If I hear nothing today I will post the whole story on Facebook."
	deliver(t, h, email, rt, fmt.Sprintf(`From: Client replier <%s>
To: Acme <%s>
Subject: Re: %s
Message-ID: <reply-1@example.com>
In-Reply-To: <%s>
Content-Type: text/plain; charset=utf-8

%s

On Mon, Nov 23, 2026 at 10:00 AM Acme <%s> wrote:
> We have received your request.
`, email, rt, ack.Subject, ack.Header.Get("Message-Id"), words, rt))

	eventually(t, "the reply on the conversation", func() bool {
		return countOf(t, h, `SELECT count(*) FROM complaint_messages WHERE complaint_id = $1 AND direction = 'in'
			AND kind = 'customer_reply' AND body = $2`, id, words) == 1
	})
	// The queue's "customer replied" view lists it, marked.
	status, list := getJSON(t, h.API(t, users.CX), h.URL+"/api/v1/complaints?replied=true")
	if status != http.StatusOK || !strings.Contains(list, fmt.Sprintf(`"id":%d,`, id)) || !strings.Contains(list, `"customer_replied":true`) {
		t.Errorf("the customer-replied view: %d %.500s", status, list)
	}
	after := complaintOf(t, h, id)
	if after.Priority > 2 || (before.Priority > 2 && after.Priority == before.Priority) {
		t.Errorf("priority %d → %d: a threat to go public is at least P2", before.Priority, after.Priority)
	}
	if n := countOf(t, h, `SELECT count(*) FROM complaints WHERE id = $1 AND 'public' = ANY (escalations)`, id); n != 1 {
		t.Error("the public threat is not among the complaint's escalations")
	}
	if alert := h.WaitMail(t, agent.Email, "Customer replied on #"+fmt.Sprint(id)); !strings.Contains(alert.Text(), "Facebook") {
		t.Errorf("the team's alert does not quote the reply: %s", alert.Text())
	}
	status, detail := getJSON(t, h.API(t, users.CX), fmt.Sprintf("%s/api/v1/complaints/%d", h.URL, id))
	if status != http.StatusOK || !strings.Contains(detail, `"direction":"in"`) || !strings.Contains(detail, `"author":"Client replier"`) {
		t.Errorf("the complaint's conversation in the API: %d %.500s", status, detail)
	}
	if state, kind, _ := inboundState(t, h, rt); state != inbound.StateRouted || kind != inbound.KindReply {
		t.Errorf("inbound message %s/%s, want routed reply", state, kind)
	}
}

// TestAutoReplyToAnAcknowledgementSendsNothing is the loop test: an
// out-of-office answer to the acknowledgement is recorded on the
// conversation, alerts no one and gets no email back.
func TestAutoReplyToAnAcknowledgementSendsNothing(t *testing.T) {
	t.Parallel()
	h := startInbound(t, nil)
	seedCampaign(t, h)
	id, email := unhappy(t, h, "away", "The parcel came a week late.", 3, 2)
	_, ack := captured(t, h, email, "We have received your request")
	h.WaitIdle(t)
	emailsBefore, alertsBefore := h.Capture.Count(), count(t, h, "alerts")

	rt := replyTo(t, ack)
	deliver(t, h, email, rt, fmt.Sprintf(`From: <%s>
To: <%s>
Subject: Automatic reply: %s
Auto-Submitted: auto-replied
Message-ID: <ooo-1@example.com>

I am out of the office until Monday.
`, email, rt, ack.Subject))
	eventually(t, "the auto-reply routed", func() bool { state, _, _ := inboundState(t, h, rt); return state == inbound.StateRouted })
	h.WaitIdle(t)
	if n := countOf(t, h, `SELECT count(*) FROM complaint_messages WHERE complaint_id = $1 AND kind = 'auto_reply'`, id); n != 1 {
		t.Errorf("%d auto-replies recorded on the complaint, want 1", n)
	}
	if n := h.Capture.Count(); n != emailsBefore {
		t.Errorf("%d emails sent after an auto-reply, want none", n-emailsBefore)
	}
	if n := count(t, h, "alerts"); n != alertsBefore {
		t.Errorf("%d alerts raised by an auto-reply, want none", n-alertsBefore)
	}
}

// TestLateBounceSuppressesTheAddress: a relay that accepted a survey email
// reports an hour later that the mailbox does not exist, in Postfix's
// format, to the email's envelope sender: the address is suppressed and
// the invitation marked bounced, as an SMTP-time refusal does.
func TestLateBounceSuppressesTheAddress(t *testing.T) {
	t.Parallel()
	h := startInbound(t, nil)
	seedCampaign(t, h)
	const email = "gone@example.com"
	if status, body := postJSON(t, h.API(t, users.Marketing), h.URL+"/api/v1/events",
		event("gone", "en", email, h.App.Clock.Now().Add(-3*time.Hour))); status != http.StatusAccepted {
		t.Fatalf("event: %d %v", status, body)
	}
	env, _ := captured(t, h, email, "how did we do")
	raw, err := os.ReadFile("../inbound/testdata/dsn_postfix.eml")
	if err != nil {
		t.Fatal(err)
	}
	dsn := strings.ReplaceAll(strings.ReplaceAll(string(raw), "bi7-abcdefghijklmnop@reply.acme.test", env.From), "nobody@example.com", email)
	deliver(t, h, "", env.From, dsn)
	eventually(t, "the address suppressed", func() bool {
		return countOf(t, h, `SELECT count(*) FROM email_suppressions WHERE email = $1 AND reason = 'bounced'`, email) == 1
	})
	// The invitation is marked after the address is suppressed, in a
	// statement of its own: wait for it too.
	eventually(t, "the invitation marked bounced", func() bool {
		return countOf(t, h, `SELECT count(*) FROM invitations WHERE state = 'failed' AND reason LIKE 'bounced:%5.1.1%'`) == 1
	})
}

// TestSurveyReplyByEmailIsTheAnswer: a customer who answers the survey
// email in words instead of clicking is heard: the words are the
// invitation's answer comment, scored as a survey comment is, and open a
// complaint when negative.
func TestSurveyReplyByEmailIsTheAnswer(t *testing.T) {
	t.Parallel()
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	keyFile := filepath.Join(t.TempDir(), "dkim.pem")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	h := startInbound(t, map[string]string{"FOLLOWUP_DKIM_KEY_FILE": keyFile, "FOLLOWUP_DKIM_SELECTOR": "fu2026"})
	seedCampaign(t, h)
	const email = "words@example.com"
	if status, body := postJSON(t, h.API(t, users.Marketing), h.URL+"/api/v1/events",
		event("words", "fr", email, h.App.Clock.Now().Add(-3*time.Hour))); status != http.StatusAccepted {
		t.Fatalf("event: %d %v", status, body)
	}
	env, inv := captured(t, h, email, "comment cela s'est-il passé")
	if !strings.Contains(string(env.Raw), "s=fu2026") || inv.Header.Get("DKIM-Signature") == "" {
		t.Error("the survey email is not DKIM-signed with the configured key")
	}
	rt := replyTo(t, inv)
	const words = "Livreur très impoli, colis abîmé, et personne ne répond. Je vais porter plainte et le dire sur Facebook."
	deliver(t, h, email, rt, fmt.Sprintf(`From: <%s>
To: <%s>
Subject: Re: %s
Message-ID: <words-1@example.fr>
Content-Type: text/plain; charset=utf-8

%s

Le lun. 23 nov. 2026 à 10:00, Acme <%s> a écrit :
> Comment cela s'est-il passé ?
`, email, rt, inv.Subject, words, rt))
	eventually(t, "the reply stored as the answer", func() bool {
		return countOf(t, h, `SELECT count(*) FROM responses r JOIN invitations i ON i.id = r.invitation_id
			WHERE i.state = 'answered' AND r.comment = $1`, words) == 1
	})
	eventually(t, "a complaint opened", func() bool {
		return countOf(t, h, `SELECT count(*) FROM complaints k JOIN customers c ON c.id = k.customer_id WHERE c.email = $1`, email) == 1
	})
}

// TestReconcilerParsesWhatWasNeverQueued: a message stored whose parsing
// was never queued (Redis lost it) is parsed by the reconciler's pass.
func TestReconcilerParsesWhatWasNeverQueued(t *testing.T) {
	t.Parallel()
	h := startInbound(t, nil)
	addrs, _ := inbound.NewAddresser(inboundDomain, []byte(h.App.Cfg.Secret))
	to := addrs.Address(inbound.KindComplaint, 999999) // no such complaint: unmatched
	if _, err := h.App.Inbound.Receive(t.Context(), []inbound.Received{{Source: inbound.SourceSMTP, MailFrom: "x@example.com",
		RcptTo: to, Route: inbound.Route{Kind: inbound.KindComplaint, ID: 999999},
		Raw: []byte("From: x@example.com\r\nSubject: hello\r\n\r\nIs anyone there?\r\n"), At: h.App.Clock.Now().Add(-time.Minute)}}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the message parsed by the reconciler", func() bool {
		state, _, _ := inboundState(t, h, to)
		return state == inbound.StateUnmatched
	})
}

func getJSON(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// TestReplyReopensAResolvedComplaintWithinThePeriod: a reply to the
// resolution email reopens the complaint within
// FOLLOWUP_INBOUND_REOPEN_WITHIN; after it, the reply is kept on the
// conversation and the complaint stays resolved.
func TestReplyReopensAResolvedComplaintWithinThePeriod(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	h := apptest.Start(t, apptest.Options{Clock: clk, Env: map[string]string{"FOLLOWUP_INBOUND_DOMAIN": inboundDomain,
		"FOLLOWUP_ACK_DELAY": "0s", "FOLLOWUP_INBOUND_REOPEN_WITHIN": "48h"}})
	cxAPI := h.API(t, users.CX)
	seedCampaign(t, h)
	soon, soonEmail := unhappy(t, h, "soon", "The repair failed.", 2, 1)
	late, lateEmail := unhappy(t, h, "late", "The repair failed.", 2, 1)
	for _, id := range []int64{soon, late} {
		if status, body := postJSON(t, cxAPI, fmt.Sprintf("%s/api/v1/complaints/%d/resolve", h.URL, id),
			map[string]string{"summary": "We replaced the part and refunded the repair."}); status != http.StatusOK {
			t.Fatalf("resolve %d: %d %v", id, status, body)
		}
	}
	answer := func(email, words string) string {
		t.Helper()
		_, res := captured(t, h, email, "here is what we did")
		rt := replyTo(t, res)
		deliver(t, h, email, rt, fmt.Sprintf("From: <%s>\nTo: <%s>\nSubject: Re: %s\nMessage-ID: <%s@example.com>\n\n%s\n",
			email, rt, res.Subject, strings.Split(email, "@")[0], words))
		return rt
	}
	rt := answer(soonEmail, "It broke again this morning.")
	eventually(t, "the reply routed", func() bool { state, _, _ := inboundState(t, h, rt); return state == inbound.StateRouted })
	if c := complaintOf(t, h, soon); c.State == "resolved" || c.Reopened != 1 {
		t.Errorf("a reply within the period: %+v, want reopened", c)
	}

	clk.Advance(72 * time.Hour)
	rt = answer(lateEmail, "It broke again, three days later.")
	eventually(t, "the late reply routed", func() bool { state, _, _ := inboundState(t, h, rt); return state == inbound.StateRouted })
	if c := complaintOf(t, h, late); c.State != "resolved" || c.Reopened != 0 {
		t.Errorf("a reply after the period: %+v, want still resolved", c)
	}
	if n := countOf(t, h, `SELECT count(*) FROM complaint_messages WHERE complaint_id = $1 AND direction = 'in'`, late); n != 1 {
		t.Errorf("the late reply is not kept on the conversation (%d)", n)
	}
}
