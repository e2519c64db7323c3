package demo

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/mail/capture"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
)

// Options tune the demo.
type Options struct {
	// Customers is how many customers get a service event (default 36).
	Customers int
	// Once stops after the simulated replies are processed; the report
	// then names only what outlives the run (the summary, the schema),
	// never an address of the servers that stopped. Otherwise the demo
	// keeps serving until ctx is cancelled and says where to look.
	Once bool
	// Database is the run's schema, named in the report; zero when the
	// caller gave the app a database of its own (tests).
	Database Database
	// Out receives the report.
	Out io.Writer
	// Listener serves HTTP (already bound).
	Listener net.Listener
	// Capture is the SMTP capture server the app sends to.
	Capture *capture.Server
	// InboundListener, when set and the app has an inbound domain, serves
	// the mail that comes back: a customer answers an acknowledgement by
	// email and a relay reports a late bounce.
	InboundListener net.Listener
}

// CampaignName is the demo's campaign.
const CampaignName = "Demo: follow-up after delivery, support ticket or appointment"

// Run seeds, simulates and reports, then (unless Once) keeps serving until
// ctx is cancelled.
func Run(ctx context.Context, a *app.App, opts Options) error {
	if opts.Customers <= 0 {
		opts.Customers = 36
	}
	out := opts.Out
	base := a.Cfg.BaseURL.String()
	if err := seed(ctx, a); err != nil {
		return err
	}
	access, err := seedUsers(ctx, a)
	if err != nil {
		return err
	}

	twoWayOn := a.Addresses != nil && opts.InboundListener != nil
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- a.Run(runCtx, app.Roles{HTTP: true, Worker: true, Scheduler: true, Inbound: twoWayOn},
			app.Extras{DevMail: opts.Capture.Handler("/dev/mail"), Captured: opts.Capture, Listener: opts.Listener, InboundListener: opts.InboundListener})
	}()
	// Whatever happens, the roles stop before the caller closes connections.
	var runErr error
	stopped := false
	defer func() {
		if !stopped {
			stop()
			<-done //nolint:errcheck // the caller's error is returned; this stop is cleanup
		}
	}()
	wait := func() error {
		stop()
		stopped = true
		runErr = <-done
		return runErr
	}
	if err := waitReady(ctx, base); err != nil {
		return err
	}

	run := randomRun()
	crowd := people(run, opts.Customers)
	fmt.Fprintf(out, "\nfollowup demo run %s: %d customers, campaign %q\n", run, len(crowd), CampaignName)
	if d := opts.Database; d.Schema != "" {
		if d.Created {
			fmt.Fprintf(out, "  database: a new schema, %s, migrated for this run\n", d.Schema)
		} else {
			fmt.Fprintf(out, "  database: reusing the schema %s (earlier runs' rows are still there)\n", d.Schema)
		}
	}
	before := opts.Capture.Count()
	client := &http.Client{Timeout: 10 * time.Second}
	for i, c := range crowd {
		if err := postEvent(ctx, client, base, access.token, c, i); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "  posted %d service events through the API\n", len(crowd))

	waitCtx, cancel := context.WithTimeout(ctx, 45*time.Second)
	msgs, err := opts.Capture.WaitFor(waitCtx, before+len(crowd))
	cancel()
	if err != nil {
		return fmt.Errorf("waiting for the survey emails: %w", err)
	}
	msgs = msgs[len(msgs)-len(crowd):]
	fmt.Fprintf(out, "  %d survey emails sent to the demo's SMTP capture\n", len(msgs))

	byEmail := map[string]customer{}
	for _, c := range crowd {
		byEmail[c.email] = c
	}
	var handLink string
	var lastSilent *capture.Message
	replies := 0
	for _, m := range msgs {
		c, ok := byEmail[strings.Trim(m.To[0], "<>")]
		if !ok {
			continue
		}
		link, err := surveyLink(m)
		if err != nil {
			return err
		}
		if c.persona.silent {
			if handLink == "" {
				handLink = link
			} else {
				lastSilent = m
			}
			continue
		}
		if err := answer(ctx, link, c); err != nil {
			return fmt.Errorf("answer survey of %s: %w", c.ref, err)
		}
		replies++
	}
	fmt.Fprintf(out, "  %d customers answered through the survey pages (the others stay silent)\n", replies)

	sum, err := waitScored(ctx, a, run, replies)
	if err != nil {
		return err
	}
	// The acknowledgements leave first: the customers hear from us at once.
	if _, err := waitLoop(ctx, a, run); err != nil {
		return err
	}
	var worked int64
	if len(sum.Complaints) > 0 {
		// The CX agent works the most urgent complaint through the API.
		worked = sum.Complaints[0].ID
		if err := workComplaint(ctx, client, base, access.cxToken, worked); err != nil {
			return fmt.Errorf("work complaint %d as cx: %w", worked, err)
		}
	}
	var back twoWay
	if twoWayOn {
		if back, err = emailBackOne(ctx, a, opts, sum, worked, lastSilent); err != nil {
			return err
		}
	}
	lp, err := waitLoop(ctx, a, run)
	if err != nil {
		return err
	}
	lp.Worked, lp.Back = worked, back
	lp.Emails = countEmails(ctx, a, after(opts.Capture.Messages(), before))
	report(out, sum, lp, opts.Database)

	if opts.Once {
		if err := wait(); err != nil {
			return err
		}
		reportKept(out, opts.Database)
		return nil
	}
	reportServing(out, base, lp, handLink, access)
	fmt.Fprintf(out, "\nServing until interrupted (Ctrl-C).\n")
	<-ctx.Done()
	if err := wait(); err != nil {
		return err
	}
	reportKept(out, opts.Database)
	return nil
}

func seed(ctx context.Context, a *app.App) error {
	sv, err := a.Surveys.EnsureDefault(ctx)
	if err != nil {
		return fmt.Errorf("seed survey: %w", err)
	}
	c, err := a.Scheduler.ByName(ctx, CampaignName)
	if errors.Is(err, scheduler.ErrNotFound) {
		c, err = a.Scheduler.CreateEventCampaign(ctx, scheduler.Campaign{
			Name: CampaignName, SurveyID: sv.ID, State: scheduler.StateActive,
			EventKinds: []string{"delivery", "ticket_closed", "appointment"},
			Delay:      24 * time.Hour, InvitationTTL: 14 * 24 * time.Hour,
			// Any hour, so the demo sends whenever it runs; real campaigns
			// default to 9:00–19:00 Monday–Saturday in the customer's zone.
			Window: scheduler.AlwaysOpen(), ReminderDays: []int{3, 7},
		})
	}
	if err != nil {
		return fmt.Errorf("seed campaign: %w", err)
	}
	if c.State != scheduler.StateActive {
		if err := a.Scheduler.SetState(ctx, c.ID, scheduler.StateActive); err != nil {
			return fmt.Errorf("seed campaign: %w", err)
		}
	}
	if !slices.Equal(c.Window.Weekdays, scheduler.AlwaysOpen().Weekdays) || c.Window.StartHour != 0 || c.Window.EndHour != 24 {
		// A campaign left by an older demo, or edited since: the demo
		// sends whenever it runs, Sundays and nights included.
		c.Window = scheduler.AlwaysOpen()
		if _, err := a.Scheduler.Update(ctx, c.ID, c, a.Clock.Now()); err != nil {
			return fmt.Errorf("seed campaign: %w", err)
		}
	}
	return nil
}

func waitReady(ctx context.Context, base string) error {
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("the HTTP server at %s did not become ready", base)
}

// postEvent sends a service event that happened a day and a bit ago: the
// campaign's one-day delay has passed, so the survey is due at once.
func postEvent(ctx context.Context, client *http.Client, base, token string, c customer, i int) error {
	ev := map[string]any{
		"external_id": c.ref + "-e1",
		"kind":        c.kind,
		"occurred_at": time.Now().Add(-25*time.Hour - time.Duration(i)*time.Minute).UTC().Format(time.RFC3339),
		"channel":     c.channel,
		"touchpoint":  c.touchpoint,
		"team":        "team-" + c.touchpoint,
		"customer": map[string]any{
			"external_ref": c.ref, "email": c.email, "name": c.name, "locale": c.locale,
			"time_zone": c.tz, "annual_value_cents": c.value, "segment": "retail",
		},
	}
	if c.persona.prejudice > 0 {
		ev["prejudice_cents"] = c.persona.prejudice
	}
	body, _ := json.Marshal(ev)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/events", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("post event: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("post event: %s: %s", resp.Status, b)
	}
	return nil
}

func surveyLink(m *capture.Message) (string, error) {
	p, err := m.Parsed()
	if err != nil {
		return "", err
	}
	for _, l := range p.Links() {
		if strings.Contains(l, surveys.SurveyPath) && !strings.Contains(l, "?") {
			return l, nil
		}
	}
	return "", fmt.Errorf("no survey link in message %d", m.Seq)
}

// answer opens the survey page like a person would, then submits it.
func answer(ctx context.Context, link string, c customer) error {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Timeout: 10 * time.Second, Jar: jar}
	if c.persona.partial {
		link += "?score=" + strconv.Itoa(c.persona.overall) // the rating clicked in the email
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body) // drained so the connection is reused
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("open %s: %s", link, resp.Status)
	}
	form := c.persona.form(c.locale)
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, link, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body) // drained so the connection is reused
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("submit %s: %s", link, resp.Status)
	}
	return nil
}

func randomRun() string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
