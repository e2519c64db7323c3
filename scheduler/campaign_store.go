package scheduler

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/prepared"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followup/followup/invalid"
)

// Errors of the campaign store.
var (
	// ErrNotFound is a campaign that does not exist.
	ErrNotFound = errors.New("campaign not found")
	// ErrNameTaken is a campaign name already used.
	ErrNameTaken = errors.New("a campaign with this name already exists")
	// ErrArchived is a change to an archived campaign: archiving is final.
	ErrArchived = errors.New("the campaign is archived")
)

// TransitionError is a state change the campaign's state does not allow.
type TransitionError struct {
	Action string
	State  string
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("cannot %s a campaign that is %s", e.Action, e.State)
}

// Actions on a campaign's state, and the states they start from.
var transitions = map[string]struct {
	from []string
	to   string
}{
	"activate": {[]string{StateDraft}, StateActive},
	"pause":    {[]string{StateActive}, StatePaused},
	"resume":   {[]string{StatePaused}, StateActive},
	"archive":  {[]string{StateDraft, StateActive, StatePaused, StatusCompleted}, StateArchived},
}

// Store reads and writes campaigns and invitations.
type Store struct {
	db *sqlx.DB
	// customers writes the customers' last contact (frequency cap): the
	// customers package owns that table.
	customers *customers.Store
	// stmts keeps the hot statements prepared (the record of each email sent).
	stmts *prepared.Cache
}

// NewStore returns a Store on db.
func NewStore(db *sqlx.DB) *Store {
	return &Store{db: db, customers: customers.NewStore(db), stmts: prepared.New(db)}
}

type campaignRow struct {
	ID               int64          `db:"id"`
	Name             string         `db:"name"`
	SurveyID         int64          `db:"survey_id"`
	State            string         `db:"state"`
	Trigger          string         `db:"trigger_kind"`
	EventKinds       pq.StringArray `db:"event_kinds"`
	DelaySeconds     int64          `db:"delay_seconds"`
	RunAt            *time.Time     `db:"run_at"`
	Cron             string         `db:"cron_spec"`
	ScheduleTimeZone string         `db:"schedule_time_zone"`
	Audience         []byte         `db:"audience"`
	WindowStart      int            `db:"window_start_hour"`
	WindowEnd        int            `db:"window_end_hour"`
	WindowWeekdays   pq.Int64Array  `db:"window_weekdays"`
	CapDays          int            `db:"frequency_cap_days"`
	ReminderDays     pq.Int64Array  `db:"reminder_days"`
	TTLSeconds       int64          `db:"invitation_ttl_seconds"`
	NextRunAt        *time.Time     `db:"next_run_at"`
	LastRunAt        *time.Time     `db:"last_run_at"`
	CreatedAt        time.Time      `db:"created_at"`
	UpdatedAt        time.Time      `db:"updated_at"`
}

const campaignColumns = `id, name, survey_id, state, trigger_kind, event_kinds, delay_seconds, run_at, cron_spec,
	schedule_time_zone, audience, window_start_hour, window_end_hour, window_weekdays, frequency_cap_days,
	reminder_days, invitation_ttl_seconds, next_run_at, last_run_at, created_at, updated_at`

func (r campaignRow) campaign() (Campaign, error) {
	c := Campaign{
		ID: r.ID, Name: r.Name, SurveyID: r.SurveyID, State: r.State, Trigger: Trigger(r.Trigger),
		EventKinds: []string(r.EventKinds), Delay: time.Duration(r.DelaySeconds) * time.Second, RunAt: r.RunAt,
		Cron: r.Cron, ScheduleTimeZone: r.ScheduleTimeZone, FrequencyCapDays: r.CapDays,
		InvitationTTL: time.Duration(r.TTLSeconds) * time.Second, NextRunAt: r.NextRunAt, LastRunAt: r.LastRunAt,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
	if err := json.Unmarshal(r.Audience, &c.Audience); err != nil {
		return c, fmt.Errorf("audience of campaign %d: %w", r.ID, err)
	}
	days := make([]int, len(r.WindowWeekdays))
	for i, d := range r.WindowWeekdays {
		days[i] = int(d)
	}
	wd, err := WeekdaysFromNumbers(days)
	if err != nil {
		return c, fmt.Errorf("window of campaign %d: %w", r.ID, err)
	}
	c.Window = SendWindow{StartHour: r.WindowStart, EndHour: r.WindowEnd, Weekdays: wd}
	for _, d := range r.ReminderDays {
		c.ReminderDays = append(c.ReminderDays, int(d))
	}
	return c, nil
}

// params maps a campaign to the named parameters of its SQL.
func (c *Campaign) params() (map[string]any, error) {
	aud, err := json.Marshal(c.Audience)
	if err != nil {
		return nil, fmt.Errorf("encode audience: %w", err)
	}
	wd := c.Window.WeekdayNumbers()
	weekdays := make(pq.Int64Array, len(wd))
	for i, d := range wd {
		weekdays[i] = int64(d)
	}
	reminders := make(pq.Int64Array, len(c.ReminderDays))
	for i, d := range c.ReminderDays {
		reminders[i] = int64(d)
	}
	kinds := c.EventKinds
	if kinds == nil {
		kinds = []string{}
	}
	return map[string]any{
		"name": c.Name, "survey_id": c.SurveyID, "state": c.State, "trigger_kind": string(c.Trigger),
		"event_kinds": pq.StringArray(kinds), "delay_seconds": int64(c.Delay / time.Second), "run_at": c.RunAt,
		"cron_spec": c.Cron, "schedule_time_zone": c.ScheduleTimeZone, "audience": aud,
		"window_start_hour": c.Window.StartHour, "window_end_hour": c.Window.EndHour, "window_weekdays": weekdays,
		"frequency_cap_days": c.FrequencyCapDays, "reminder_days": reminders,
		"invitation_ttl_seconds": int64(c.InvitationTTL / time.Second), "next_run_at": c.NextRunAt,
	}, nil
}

// Create validates and stores a campaign. A campaign created active starts
// scheduling at once.
func (s *Store) Create(ctx context.Context, c Campaign, now time.Time) (Campaign, error) {
	c.applyDefaults()
	if fe := c.Validate(now); fe != nil {
		return c, fe
	}
	if c.State == StateActive {
		c.NextRunAt = c.NextRun(now)
	}
	p, err := c.params()
	if err != nil {
		return c, err
	}
	q, args, err := sqlx.Named(`INSERT INTO campaigns (name, survey_id, state, trigger_kind, event_kinds, delay_seconds, run_at,
		cron_spec, schedule_time_zone, audience, window_start_hour, window_end_hour, window_weekdays, frequency_cap_days,
		reminder_days, invitation_ttl_seconds, next_run_at)
		VALUES (:name, :survey_id, :state, :trigger_kind, :event_kinds, :delay_seconds, :run_at, :cron_spec,
		:schedule_time_zone, :audience, :window_start_hour, :window_end_hour, :window_weekdays, :frequency_cap_days,
		:reminder_days, :invitation_ttl_seconds, :next_run_at) RETURNING id`, p)
	if err != nil {
		return c, err
	}
	if err := s.db.GetContext(ctx, &c.ID, s.db.Rebind(q), args...); err != nil {
		return c, campaignWriteError(c, err)
	}
	return s.Get(ctx, c.ID)
}

// CreateEventCampaign stores a campaign triggered by service events; unset
// settings take their defaults. A shorthand of Create for code and tests.
func (s *Store) CreateEventCampaign(ctx context.Context, c Campaign) (Campaign, error) {
	c.Trigger = TriggerEvent
	return s.Create(ctx, c, time.Now())
}

// Update replaces a campaign's settings (not its state). Invitations
// already scheduled keep their time; new ones follow the new settings. Of
// the recovery campaign, only the send window changes.
func (s *Store) Update(ctx context.Context, id int64, c Campaign, now time.Time) (Campaign, error) {
	cur, err := s.Get(ctx, id)
	if err != nil {
		return c, err
	}
	if cur.State == StateArchived {
		return cur, fmt.Errorf("update campaign %d: %w", id, ErrArchived)
	}
	if cur.Trigger == TriggerRecovery {
		// followup's own campaign: its send window is marketing's to choose,
		// the rest (name, survey, trigger, no cap, no reminder) is followup's.
		w := c.Window
		c = cur
		c.Window = w
	}
	c.ID, c.State, c.LastRunAt = id, cur.State, cur.LastRunAt
	c.applyDefaults()
	if fe := c.Validate(now); fe != nil {
		return c, fe
	}
	if c.State == StateActive {
		c.NextRunAt = c.NextRun(now)
	}
	p, err := c.params()
	if err != nil {
		return c, err
	}
	p["id"] = id
	q, args, err := sqlx.Named(`UPDATE campaigns SET name = :name, survey_id = :survey_id, trigger_kind = :trigger_kind,
		event_kinds = :event_kinds, delay_seconds = :delay_seconds, run_at = :run_at, cron_spec = :cron_spec,
		schedule_time_zone = :schedule_time_zone, audience = :audience, window_start_hour = :window_start_hour,
		window_end_hour = :window_end_hour, window_weekdays = :window_weekdays, frequency_cap_days = :frequency_cap_days,
		reminder_days = :reminder_days, invitation_ttl_seconds = :invitation_ttl_seconds, next_run_at = :next_run_at,
		updated_at = now() WHERE id = :id AND state <> 'archived'`, p)
	if err != nil {
		return c, err
	}
	if _, err := s.db.ExecContext(ctx, s.db.Rebind(q), args...); err != nil {
		return c, campaignWriteError(c, err)
	}
	return s.Get(ctx, id)
}

func campaignWriteError(c Campaign, err error) error {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch {
		case pqErr.Code == "23505":
			return fmt.Errorf("campaign %q: %w", c.Name, ErrNameTaken)
		case pqErr.Code == "23503" && pqErr.Constraint == "campaigns_survey_id_fkey":
			return invalid.Field("survey_id", fmt.Sprintf("survey %d does not exist", c.SurveyID))
		}
	}
	return fmt.Errorf("save campaign %q: %w", c.Name, err)
}

// Get returns one campaign.
func (s *Store) Get(ctx context.Context, id int64) (Campaign, error) {
	var r campaignRow
	err := s.db.GetContext(ctx, &r, `SELECT `+campaignColumns+` FROM campaigns WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Campaign{}, fmt.Errorf("campaign %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Campaign{}, fmt.Errorf("campaign %d: %w", id, err)
	}
	return r.campaign()
}

// ByName returns the campaign called name.
func (s *Store) ByName(ctx context.Context, name string) (Campaign, error) {
	var r campaignRow
	err := s.db.GetContext(ctx, &r, `SELECT `+campaignColumns+` FROM campaigns WHERE name = $1`, name)
	if errors.Is(err, sql.ErrNoRows) {
		return Campaign{}, fmt.Errorf("campaign %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return Campaign{}, fmt.Errorf("campaign %q: %w", name, err)
	}
	return r.campaign()
}

// List returns every campaign, archived ones last, newest first.
func (s *Store) List(ctx context.Context) ([]Campaign, error) {
	var rows []campaignRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+campaignColumns+` FROM campaigns
		ORDER BY state = 'archived', created_at DESC, id DESC`); err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	out := make([]Campaign, 0, len(rows))
	for _, r := range rows {
		c, err := r.campaign()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Transition applies an action (activate, pause, resume, archive) to a
// campaign. The action is checked against the campaign's status: a
// completed one-off cannot be paused or resumed, only archived. Pausing
// takes effect at once: the sweep and the workers check the state before
// every send. Archiving withdraws the invitations not yet sent; those a
// worker is sending at that moment are settled by it, so an email the
// server accepted is recorded sent.
func (s *Store) Transition(ctx context.Context, id int64, action string, now time.Time) (Campaign, error) {
	c, _, err := s.transition(ctx, id, action, now)
	return c, err
}

// Archive archives a campaign (see Transition) and returns how many
// invitations it withdrew: those scheduled and not yet sent, first emails
// and reminders alike.
func (s *Store) Archive(ctx context.Context, id int64, now time.Time) (Campaign, int, error) {
	return s.transition(ctx, id, "archive", now)
}

// withdrawableSQL are the invitations archiving a campaign withdraws: due
// later, or queued in a batch no worker is sending yet.
const withdrawableSQL = `campaign_id = $1 AND (state = 'scheduled' OR (state = 'queued' AND NOT EXISTS (
	SELECT 1 FROM send_batches b WHERE b.id = i.batch_id AND b.state = 'sending')))`

// Withdrawable counts the invitations archiving the campaign would withdraw
// now (see Archive), for the confirmation people are asked.
func (s *Store) Withdrawable(ctx context.Context, id int64) (int, error) {
	var n int
	if err := s.db.GetContext(ctx, &n, `SELECT count(*) FROM invitations i WHERE `+withdrawableSQL, id); err != nil {
		return 0, fmt.Errorf("pending invitations of campaign %d: %w", id, err)
	}
	return n, nil
}

func (s *Store) transition(ctx context.Context, id int64, action string, now time.Time) (Campaign, int, error) {
	t, ok := transitions[action]
	if !ok {
		return Campaign{}, 0, fmt.Errorf("unknown campaign action %q", action)
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return Campaign{}, 0, err
	}
	defer tx.Rollback()
	var r campaignRow
	err = tx.GetContext(ctx, &r, `SELECT `+campaignColumns+` FROM campaigns WHERE id = $1 FOR UPDATE`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Campaign{}, 0, fmt.Errorf("campaign %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Campaign{}, 0, fmt.Errorf("campaign %d: %w", id, err)
	}
	c, err := r.campaign()
	if err != nil {
		return c, 0, err
	}
	if !slices.Contains(t.from, c.Status()) {
		return c, 0, &TransitionError{Action: action, State: c.Status()}
	}
	if action == "activate" && c.Trigger == TriggerOnce && c.LastRunAt == nil && c.RunAt != nil && c.RunAt.Before(now.Add(-time.Minute)) {
		return c, 0, invalid.Field("trigger.run_at", "is in the past: set a new date before activating")
	}
	c.State = t.to
	c.NextRunAt = nil
	if c.State == StateActive {
		c.NextRunAt = c.NextRun(now)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET state = $2, next_run_at = $3, updated_at = $4 WHERE id = $1`,
		id, c.State, c.NextRunAt, now); err != nil {
		return c, 0, fmt.Errorf("%s campaign %d: %w", action, id, err)
	}
	var withdrawn int64
	if c.State == StateArchived {
		// Invitations a worker is sending right now are left to it: it checks
		// the campaign's state before each group of emails, records what the
		// server accepted as sent and withdraws the rest. A queued reminder
		// withdrawn leaves its invitation sent (its first email went).
		res, err := tx.ExecContext(ctx, `UPDATE invitations i SET
			state = CASE WHEN state = 'queued' AND send_kind = 'reminder' THEN 'sent' ELSE 'suppressed' END,
			next_reminder_at = NULL, reason = $2, updated_at = $3
			WHERE `+withdrawableSQL, id, ReasonCampaignArchived, now)
		if err != nil {
			return c, 0, fmt.Errorf("withdraw invitations of campaign %d: %w", id, err)
		}
		withdrawn, _ = res.RowsAffected()
		if _, err := tx.ExecContext(ctx, `DELETE FROM due_sends WHERE campaign_id = $1`, id); err != nil {
			return c, 0, fmt.Errorf("withdraw the sends of campaign %d: %w", id, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return c, 0, fmt.Errorf("%s campaign %d: %w", action, id, err)
	}
	return c, int(withdrawn), nil
}

// SetState forces a campaign's state, without the transition rules. For
// tests and the demo; people use Transition.
func (s *Store) SetState(ctx context.Context, id int64, state string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE campaigns SET state = $2, updated_at = now() WHERE id = $1`, id, state)
	if err != nil {
		return fmt.Errorf("set campaign %d %s: %w", id, state, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("campaign %d: %w", id, ErrNotFound)
	}
	return nil
}

// AlwaysOpen is a send window open every hour of every day.
func AlwaysOpen() SendWindow {
	return SendWindow{StartHour: 0, EndHour: 24, Weekdays: []time.Weekday{0, 1, 2, 3, 4, 5, 6}}
}

// CurrentSurveyVersion returns the latest version of a survey: the one new
// invitations use.
func (s *Store) CurrentSurveyVersion(ctx context.Context, surveyID int64) (int64, error) {
	var id int64
	err := s.db.GetContext(ctx, &id, `SELECT id FROM survey_versions WHERE survey_id = $1 ORDER BY version DESC LIMIT 1`, surveyID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, invalid.Field("survey_id", fmt.Sprintf("survey %d does not exist", surveyID))
	}
	if err != nil {
		return 0, fmt.Errorf("current version of survey %d: %w", surveyID, err)
	}
	return id, nil
}

// SurveyChoice is a survey a campaign can use.
type SurveyChoice struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
	Slug string `db:"slug"`
}

// SurveyChoices lists the surveys a campaign can use, by name.
func (s *Store) SurveyChoices(ctx context.Context) ([]SurveyChoice, error) {
	var out []SurveyChoice
	if err := s.db.SelectContext(ctx, &out, `SELECT id, name, slug FROM surveys ORDER BY name, id`); err != nil {
		return nil, fmt.Errorf("list surveys: %w", err)
	}
	return out, nil
}
