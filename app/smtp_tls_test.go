package app_test

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/mail/capture"
	"github.com/followup/followup/users"
)

// TestSurveyMailOverSTARTTLSWithAuth configures followup as an operator
// would for a relay with a private CA: FOLLOWUP_SMTP_TLS=mandatory,
// FOLLOWUP_SMTP_CA_FILE and credentials. The survey email arrives over TLS,
// sent by the authenticated user.
func TestSurveyMailOverSTARTTLSWithAuth(t *testing.T) {
	t.Parallel()
	cert, err := capture.SelfSigned("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "relay-ca.pem")
	if err := os.WriteFile(caFile, cert.PEM, 0o600); err != nil {
		t.Fatal(err)
	}
	h := apptest.Start(t, apptest.Options{
		Capture: capture.Options{TLS: cert.TLS, Users: map[string]string{"followup": "relay-password"}},
		Env: map[string]string{"FOLLOWUP_SMTP_TLS": "mandatory", "FOLLOWUP_SMTP_CA_FILE": caFile,
			"FOLLOWUP_SMTP_USERNAME": "followup", "FOLLOWUP_SMTP_PASSWORD": "relay-password"},
	})
	seedCampaign(t, h)
	const email = "tls@example.com"
	if status, body := postJSON(t, h.API(t, users.Marketing), h.URL+"/api/v1/events",
		event("tls", "en", email, h.App.Clock.Now().Add(-3*time.Hour))); status != http.StatusAccepted {
		t.Fatalf("event: %d %v", status, body)
	}
	h.WaitMail(t, email, "how did we do")
	// Without the CA file the certificate would not verify, and mandatory
	// TLS would send nothing.
	for _, m := range h.Capture.Messages() {
		if !m.TLS || m.User != "followup" {
			t.Errorf("message %d to %v: TLS=%v user=%q; want TLS, user followup", m.Seq, m.To, m.TLS, m.User)
		}
	}
	for _, a := range h.Capture.Auths() {
		if !a.TLS || !a.OK {
			t.Errorf("AUTH %+v: credentials must go over TLS, and be right", a)
		}
	}
}
