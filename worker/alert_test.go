package worker_test

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/mail"
	"github.com/followup/followup/mail/capture"
	"github.com/followup/followup/users"
	"github.com/followup/followup/worker"
)

// receiver is a webhook endpoint that checks signatures, fails the first
// attempts, and counts what it got per alert id.
type receiver struct {
	secret   []byte
	failures int
	mu       sync.Mutex
	posts    int
	accepted map[string]int
	bad      int
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.posts++
	want := worker.Sign(r.secret, req.Header.Get("X-Followup-Timestamp"), body)
	if !hmac.Equal([]byte(want), []byte(req.Header.Get("X-Followup-Signature"))) {
		r.bad++
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var a worker.WebhookBody
	if err := json.Unmarshal(body, &a); err != nil || a.Text == "" || a.ID != req.Header.Get("X-Followup-Alert-Id") {
		r.bad++
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	if r.failures > 0 {
		r.failures--
		http.Error(w, "try later", http.StatusServiceUnavailable)
		return
	}
	r.accepted[a.ID]++
}

func TestAlertsAreSignedRetriedAndDeliveredOnce(t *testing.T) {
	t.Parallel()
	schema := testenv.NewSchema(t)
	ctx := context.Background()
	secret := []byte("webhook-secret-0123456789")
	rec := &receiver{secret: secret, failures: 2, accepted: map[string]int{}}
	hook := httptest.NewServer(rec)
	defer hook.Close()
	smtpSrv, err := capture.Start(capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer smtpSrv.Close()
	sender, _ := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: smtpSrv.Port(), TLS: mail.TLSNone, From: &netmail.Address{Address: "alerts@acme.test"}})
	us := users.NewStore(schema.DB)
	if _, err := us.Create(ctx, users.NewUser{Email: "agent@acme.test", Role: users.CX, Password: "long enough password"}); err != nil {
		t.Fatal(err)
	}
	if _, err := us.Create(ctx, users.NewUser{Email: "mkt@acme.test", Role: users.Marketing, Password: "long enough password"}); err != nil {
		t.Fatal(err)
	}
	store := feedback.NewStore(schema.DB)
	cid := int64(42)
	a := feedback.Alert{ID: "complaint-opened:42", Kind: "complaint_opened", ComplaintID: &cid,
		Text: "P1 complaint #42: Zoé (public), due 2026-11-23 14:00 UTC. “I will post it everywhere.” https://followup.acme.test/cx/complaints/42",
		Data: json.RawMessage(`{"priority":"P1","customer":"Zoé","escalations":["public"]}`), CreatedAt: time.Now()}
	for i := 0; i < 2; i++ {
		created, err := store.Raise(ctx, schema.DB, a)
		if err != nil || created != (i == 0) {
			t.Fatalf("raise %d: created %v, %v", i, created, err)
		}
	}
	h := &worker.AlertHandler{Alerts: store, Webhook: &worker.Webhook{URL: hook.URL, Secret: secret}, Mail: sender, Users: us,
		Base: "https://followup.acme.test", Clock: clock.Real{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	task, _ := worker.NewFeedbackAlertTask(worker.Queues{}, a.ID)
	var errs int
	for i := 0; i < 5; i++ { // asynq's retries
		if err := h.ProcessTask(ctx, task); err != nil {
			errs++
		}
	}
	if errs != 2 {
		t.Errorf("%d failed attempts, want 2 (the receiver refused twice)", errs)
	}
	if rec.bad != 0 || rec.posts != 3 || rec.accepted[a.ID] != 1 || len(rec.accepted) != 1 {
		t.Errorf("receiver: %d posts, %d bad, accepted %v; want 3 posts, one accepted alert", rec.posts, rec.bad, rec.accepted)
	}
	msgs := smtpSrv.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "agent@acme.test" {
		t.Fatalf("alert emails: %d (to %v), want one to the cx agent", len(msgs), msgs)
	}
	p, _ := msgs[0].Parsed()
	// The subject is a line to scan; the message and its link are the body.
	if p.Subject != "[followup] P1 · Zoé · New complaint #42 (public)" || !strings.Contains(p.Text(), a.Text) ||
		p.Header.Get("X-Followup-Alert-Id") != a.ID {
		t.Errorf("alert email %q: %q", p.Subject, p.Text())
	}
	got, _ := store.Get(ctx, a.ID)
	if got.WebhookDeliveredAt == nil || got.EmailDeliveredAt == nil || got.Attempts != 2 {
		t.Errorf("delivery record: %+v", got)
	}
}
