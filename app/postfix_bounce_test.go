package app_test

import (
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/internal/postfixtest"
	"github.com/followup/followup/users"
)

// TestRealPostfixBounceSuppressesTheAddress: followup sends a survey
// email through a real Postfix (a private instance, its SMTP relay), which
// accepts it for a user of its domain who does not exist, then bounces it:
// Postfix's own delivery report goes over SMTP to the email's envelope
// sender, a signed VERP address routed by transport_maps to followup's
// inbound listener. The address is suppressed and the invitation marked
// bounced, as an SMTP-time refusal would have.
//
// With FOLLOWUP_SAVE_POSTFIX_DSN set to a path, the report as it arrived
// is written there (how inbound/testdata/dsn_postfix_real_unknown_user.eml
// was made).
func TestRealPostfixBounceSuppressesTheAddress(t *testing.T) {
	t.Parallel()
	postfixtest.Require(t)
	const domain = "bounce.test"
	port := postfixtest.FreePort(t)
	h := startInbound(t, map[string]string{"FOLLOWUP_SMTP_PORT": strconv.Itoa(port)})
	postfixtest.Start(t, postfixtest.Options{Port: port, Domain: domain, Relays: map[string]string{inboundDomain: h.InboundAddr}})
	seedCampaign(t, h)

	const email = "unknown@" + domain
	if status, body := postJSON(t, h.API(t, users.Marketing), h.URL+"/api/v1/events",
		event("unknown", "en", email, h.App.Clock.Now().Add(-3*time.Hour))); status != http.StatusAccepted {
		t.Fatalf("event: %d %v", status, body)
	}
	// Postfix takes the email: it is sent, not refused.
	wait30 := func(what string, cond func() bool) {
		t.Helper()
		eventually(t, what, cond)
	}
	wait30("the survey email taken by Postfix", func() bool {
		return countOf(t, h, `SELECT count(*) FROM invitations i JOIN customers c ON c.id = i.customer_id
			WHERE c.email = $1 AND i.sent_at IS NOT NULL`, email) == 1
	})
	wait30("Postfix's report received and routed", func() bool {
		return countOf(t, h, `SELECT count(*) FROM inbound_messages WHERE route_kind = 'bi' AND state = 'routed'`) == 1
	})
	if n := countOf(t, h, `SELECT count(*) FROM email_suppressions WHERE email = $1 AND reason = 'bounced'`, email); n != 1 {
		t.Errorf("the address is not suppressed after Postfix's report")
	}
	if n := countOf(t, h, `SELECT count(*) FROM invitations i JOIN customers c ON c.id = i.customer_id
		WHERE c.email = $1 AND i.state = 'failed' AND i.reason LIKE 'bounced:%5.1.1%'`, email); n != 1 {
		t.Errorf("%d invitations marked bounced (5.1.1), want 1", n)
	}
	// What came back is Postfix's RFC 3464 report, to the VERP address,
	// from the null sender, read as a bounce.
	var got struct {
		MailFrom string `db:"mail_from"`
		Kind     string `db:"kind"`
		Outcome  string `db:"outcome"`
		Raw      []byte `db:"raw"`
	}
	if err := h.Schema.DB.Get(&got, `SELECT mail_from, kind, outcome, raw FROM inbound_messages WHERE route_kind = 'bi'`); err != nil {
		t.Fatalf("the report stored: %v", err)
	}
	raw := string(got.Raw)
	if got.MailFrom != "" || got.Kind != "bounce" || !strings.Contains(raw, "X-Postfix-Queue-ID") ||
		!strings.Contains(raw, "report-type=delivery-status") || !strings.Contains(raw, `unknown user: "unknown"`) {
		t.Errorf("the report: from <%s>, kind %q, outcome %q:\n%.1500s", got.MailFrom, got.Kind, got.Outcome, raw)
	}
	if path := os.Getenv("FOLLOWUP_SAVE_POSTFIX_DSN"); path != "" {
		if err := os.WriteFile(path, got.Raw, 0o644); err != nil {
			t.Error(err)
		}
	}
}
