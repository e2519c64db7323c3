package worker_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	netmail "net/mail"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/hibiken/asynq"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/internal/reportfix"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/mail"
	"github.com/followup/followup/mail/capture"
	"github.com/followup/followup/reports"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
	"github.com/followup/followup/worker"
)

// TestWeeklyReportRetryMailsOnlyWhoMissedIt: the mail server refuses one
// manager once; the retry mails that manager alone, and a finished week is
// never mailed again.
func TestWeeklyReportRetryMailsOnlyWhoMissedIt(t *testing.T) {
	t.Parallel()
	schema := testenv.NewSchema(t)
	ctx := context.Background()
	fx := reportfix.New(t, schema.DB)
	fx.Reply(reportfix.Reply{At: time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC), Touchpoint: "courier", Overall: reportfix.Score(40),
		Negative: true, Risks: []string{"temporal"}})
	us := users.NewStore(schema.DB)
	for _, email := range []string{"ana@acme.test", "bo@acme.test"} {
		if _, err := us.Create(ctx, users.NewUser{Email: email, Role: users.Manager, Password: "long enough password"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := us.Create(ctx, users.NewUser{Email: "agent@acme.test", Role: users.CX, Password: "long enough password"}); err != nil {
		t.Fatal(err)
	}
	smtpSrv, err := capture.Start(capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer smtpSrv.Close()
	var once sync.Once
	smtpSrv.OnRcpt(func(to string) error {
		refuse := false
		if to == "bo@acme.test" {
			once.Do(func() { refuse = true })
		}
		if refuse {
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
		}
		return nil
	})
	sender, _ := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: smtpSrv.Port(), TLS: mail.TLSNone, From: &netmail.Address{Address: "reports@acme.test"}})
	set, err := templates.New(templates.Brand{Name: "Acme", Color: "#1f5fa8"})
	if err != nil {
		t.Fatal(err)
	}
	store := reports.NewStore(schema.DB)
	h := &worker.ReportHandler{Reports: store, Users: us, Templates: set, Mail: sender, Base: "https://followup.acme.test",
		Locale: "en", Location: time.UTC, Clock: clock.NewFake(time.Date(2026, 10, 26, 7, 0, 0, 0, time.UTC)),
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	task, _ := worker.NewFeedbackReportTask(worker.Queues{}, "2026-W43")
	if err := h.ProcessTask(ctx, task); err == nil {
		t.Fatal("the refused recipient must make the task retry")
	}
	if err := h.ProcessTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	if err := h.ProcessTask(ctx, task); err != nil { // delivered twice by asynq: nothing more
		t.Fatal(err)
	}
	var to []string
	for _, m := range smtpSrv.Messages() {
		to = append(to, m.To...)
	}
	slices.Sort(to)
	if !slices.Equal(to, []string{"ana@acme.test", "bo@acme.test"}) {
		t.Errorf("recipients %v, want each manager once", to)
	}
	week, _ := reports.ParseWeek("2026-W43")
	done, complete, err := store.WeeklyReportDeliveries(ctx, week)
	if err != nil || !complete || len(done) != 2 {
		t.Errorf("deliveries %v complete %v (%v)", done, complete, err)
	}
	p, err := smtpSrv.Messages()[0].Parsed()
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != "Weekly report, week 2026-W43: satisfaction 40.0/100, 0 complaints" || p.Header.Get("X-Followup-Report") != "2026-W43" {
		t.Errorf("subject %q, header %q", p.Subject, p.Header.Get("X-Followup-Report"))
	}
	bad, _ := worker.NewFeedbackReportTask(worker.Queues{}, "week 43")
	if err := h.ProcessTask(ctx, bad); !errors.Is(err, asynq.SkipRetry) {
		t.Errorf("a malformed week must fail without retry: %v", err)
	}
}
