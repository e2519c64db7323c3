package benchenv

import (
	"context"
	"fmt"
	"net"
	"os/exec"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
)

// Blast is a paused campaign whose every invitation is due: resuming it
// makes them all go at once.
type Blast struct {
	CampaignID int64
	SurveyID   int64
	VersionID  int64
}

// SeedBlast creates the default survey, a paused, always-open event
// campaign and n customers, each with one invitation of the campaign due a
// minute ago, with SQL of its own (bulk rows no store writes at this
// speed). Only for a throwaway schema.
func SeedBlast(ctx context.Context, db *sqlx.DB, n int) (Blast, error) {
	sv, err := surveys.NewStore(db).EnsureDefault(ctx)
	if err != nil {
		return Blast{}, fmt.Errorf("default survey: %w", err)
	}
	camp, err := scheduler.NewStore(db).CreateEventCampaign(ctx, scheduler.Campaign{Name: "blast", SurveyID: sv.ID,
		State: scheduler.StatePaused, EventKinds: []string{"delivery"}, Window: scheduler.AlwaysOpen(), FrequencyCapDays: 30})
	if err != nil {
		return Blast{}, fmt.Errorf("create campaign: %w", err)
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{{`
INSERT INTO customers (external_ref, email, name, locale, time_zone)
SELECT 'c' || g, 'customer' || g || '@bench.example', 'Customer ' || g,
       (ARRAY['en', 'fr'])[1 + g % 2], (ARRAY['Europe/Paris', 'America/Montreal', 'Asia/Tokyo', 'UTC'])[1 + g % 4]
FROM generate_series(1, $1) g`, []any{n}}, {`
INSERT INTO invitations (campaign_id, customer_id, survey_version_id, occurrence, scheduled_for)
SELECT $1, c.id, $2, now() - interval '1 hour', now() - interval '1 minute' FROM customers c`, []any{camp.ID, sv.VersionID}}, {`
INSERT INTO due_sends (invitation_id, kind, due_at, campaign_id, customer_id)
SELECT id, 'invitation', scheduled_for, campaign_id, customer_id FROM invitations WHERE campaign_id = $1`, []any{camp.ID}}} {
		if _, err := db.ExecContext(ctx, q.sql, q.args...); err != nil {
			return Blast{}, fmt.Errorf("seed %d invitations: %w", n, err)
		}
	}
	// Only the seeded tables: a plain ANALYZE walks every schema of the
	// database and fails on a table another test drops meanwhile.
	if _, err := db.ExecContext(ctx, `ANALYZE customers, invitations, due_sends`); err != nil {
		return Blast{}, fmt.Errorf("analyze the seeded tables: %w", err)
	}
	return Blast{CampaignID: camp.ID, SurveyID: sv.ID, VersionID: sv.VersionID}, nil
}

// FreePort returns a TCP port free on 127.0.0.1 when it is called.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// BuildFollowup builds the followup binary as path, from the module at
// the working directory (any directory of the module).
func BuildFollowup(path string) error {
	if out, err := exec.Command("go", "build", "-o", path, "github.com/followup/followup/cmd/followup").CombinedOutput(); err != nil {
		return fmt.Errorf("build followup: %v\n%s", err, out)
	}
	return nil
}
