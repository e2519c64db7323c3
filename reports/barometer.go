package reports

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/feedback"
)

// Threshold is the range an indicator must stay in: at least (>=) or at
// most (<=) Value, in the indicator's unit.
type Threshold struct {
	Indicator string  `json:"indicator"`
	Op        string  `json:"op"`
	Value     float64 `json:"value"`
}

// In reports whether v is within the threshold's range.
func (t Threshold) In(v float64) bool {
	if t.Op == "<=" {
		return v <= t.Value
	}
	return v >= t.Value
}

// String writes the threshold as configured: satisfaction>=70.
func (t Threshold) String() string {
	return t.Indicator + t.Op + strconv.FormatFloat(t.Value, 'f', -1, 64)
}

// ValidateThresholds checks the barometer's thresholds: known indicators, each once,
// at most MaxIndicators.
func ValidateThresholds(ts []Threshold) error {
	if len(ts) > MaxIndicators {
		return fmt.Errorf("a barometer watches at most %d indicators, not %d", MaxIndicators, len(ts))
	}
	seen := map[string]bool{}
	for _, t := range ts {
		if _, ok := IndicatorByName(t.Indicator); !ok {
			return fmt.Errorf("unknown barometer indicator %q", t.Indicator)
		}
		if t.Op != ">=" && t.Op != "<=" {
			return fmt.Errorf("indicator %s: the comparison must be >= or <=", t.Indicator)
		}
		if seen[t.Indicator] {
			return fmt.Errorf("indicator %s is watched twice", t.Indicator)
		}
		seen[t.Indicator] = true
	}
	return nil
}

// Barometer watches a few indicators against their thresholds. A breach
// alerts the managers once (feedback alert, delivered by webhook and
// email) and is recorded until the indicator is back in range.
type Barometer struct {
	Store      *Store
	Alerts     *feedback.Store
	Thresholds []Threshold
	// Window is how far back the indicators look (7 days by default).
	Window time.Duration
	// MinSample is the fewest replies or complaints a rate or mean needs
	// to count.
	MinSample int
	// Locale is the language of the alerts (en or fr).
	Locale string
	// Link, when set, ends the alerts (the managers' reports page).
	Link string
}

// Reading is an indicator's current value against its threshold.
type Reading struct {
	Indicator Indicator `json:"indicator"`
	Label     string    `json:"label"`
	Threshold Threshold `json:"threshold"`
	Measure
	// Status is ok, breach, or unknown (too few replies or complaints, or
	// out of range on none: an empty sample never breaches).
	Status string `json:"status"`
}

// Breach is a recorded excursion of an indicator out of its range.
type Breach struct {
	ID           int64      `json:"id" db:"id"`
	Indicator    string     `json:"indicator" db:"indicator"`
	Op           string     `json:"op" db:"op"`
	Threshold    float64    `json:"threshold" db:"threshold"`
	Value        float64    `json:"value" db:"value"`
	Sample       int        `json:"sample" db:"sample"`
	StartedAt    time.Time  `json:"started_at" db:"started_at"`
	AlertID      string     `json:"alert_id" db:"alert_id"`
	ClearedAt    *time.Time `json:"cleared_at" db:"cleared_at"`
	ClearedValue *float64   `json:"cleared_value" db:"cleared_value"`
	// ClearedReason is in_range, or unwatched when the indicator left the
	// barometer's configuration.
	ClearedReason string `json:"cleared_reason" db:"cleared_reason"`
}

// CheckResult is what one check found and did.
type CheckResult struct {
	Readings []Reading
	Opened   []Breach
	Cleared  []Breach
	// AlertIDs are the alerts raised: enqueue their delivery.
	AlertIDs []string
}

func (b *Barometer) window() time.Duration {
	if b.Window <= 0 {
		return 7 * 24 * time.Hour
	}
	return b.Window
}

// Read returns the current readings, without recording anything.
func (b *Barometer) Read(ctx context.Context, now time.Time) ([]Reading, error) {
	ms, err := b.Store.Measures(ctx, now, b.window(), b.MinSample)
	if err != nil {
		return nil, err
	}
	out := make([]Reading, 0, len(b.Thresholds))
	for _, t := range b.Thresholds {
		in, _ := IndicatorByName(t.Indicator)
		r := Reading{Indicator: in, Label: in.LabelIn(b.Locale), Threshold: t, Measure: ms[t.Indicator], Status: "unknown"}
		switch {
		case r.Value == nil:
		case t.In(*r.Value):
			r.Status = "ok"
		case r.Sample > 0:
			r.Status = "breach"
		}
		// An empty sample never breaches (it stays unknown): nothing
		// happened, so nothing went wrong.
		out = append(out, r)
	}
	return out, nil
}

// Check reads the indicators and records what changed, in one transaction:
// an indicator out of range without an open breach opens one and raises
// one alert to the managers; an open breach whose indicator is back in
// range (or no longer watched) is cleared. An indicator without a value
// (too few replies) changes nothing. The caller enqueues AlertIDs after
// Check returns.
func (b *Barometer) Check(ctx context.Context, now time.Time) (CheckResult, error) {
	readings, err := b.Read(ctx, now)
	if err != nil {
		return CheckResult{}, err
	}
	res := CheckResult{Readings: readings}
	tx, err := b.Store.db.BeginTxx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("barometer check: %w", err)
	}
	defer tx.Rollback()
	// Checks are serialised (two schedulers during a fail-over), per schema.
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1 || current_schema(), 0))`, "followup.barometer."); err != nil {
		return res, fmt.Errorf("barometer lock: %w", err)
	}
	var open []Breach
	if err := tx.SelectContext(ctx, &open, `SELECT * FROM barometer_breaches WHERE cleared_at IS NULL`); err != nil {
		return res, fmt.Errorf("open breaches: %w", err)
	}
	openBy := map[string]Breach{}
	for _, br := range open {
		openBy[br.Indicator] = br
	}
	watched := map[string]bool{}
	for _, r := range readings {
		watched[r.Indicator.Name] = true
		br, isOpen := openBy[r.Indicator.Name]
		switch {
		case r.Status == "breach" && !isOpen:
			nb, err := b.open(ctx, tx, r, now)
			if err != nil {
				return res, err
			}
			res.Opened = append(res.Opened, nb)
			res.AlertIDs = append(res.AlertIDs, nb.AlertID)
		case r.Status == "ok" && isOpen:
			cb, err := clearBreach(ctx, tx, br, r.Value, "in_range", now)
			if err != nil {
				return res, err
			}
			res.Cleared = append(res.Cleared, cb)
		}
	}
	for _, br := range open {
		if !watched[br.Indicator] {
			cb, err := clearBreach(ctx, tx, br, nil, "unwatched", now)
			if err != nil {
				return res, err
			}
			res.Cleared = append(res.Cleared, cb)
		}
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("barometer check: %w", err)
	}
	return res, nil
}

func (b *Barometer) open(ctx context.Context, tx *sqlx.Tx, r Reading, now time.Time) (Breach, error) {
	var id int64
	if err := tx.GetContext(ctx, &id, `SELECT nextval('barometer_breaches_id_seq')`); err != nil {
		return Breach{}, fmt.Errorf("new breach: %w", err)
	}
	br := Breach{ID: id, Indicator: r.Indicator.Name, Op: r.Threshold.Op, Threshold: r.Threshold.Value, Value: *r.Value,
		Sample: r.Sample, StartedAt: now, AlertID: fmt.Sprintf("barometer:%s:%d", r.Indicator.Name, id)}
	if _, err := tx.NamedExecContext(ctx, `INSERT INTO barometer_breaches (id, indicator, op, threshold, value, sample, started_at, alert_id)
		VALUES (:id, :indicator, :op, :threshold, :value, :sample, :started_at, :alert_id)`, br); err != nil {
		return Breach{}, fmt.Errorf("record breach of %s: %w", br.Indicator, err)
	}
	a, err := feedback.NewAlert(br.AlertID, feedback.BarometerBreachAlert{Indicator: br.Indicator, Value: br.Value, Op: br.Op,
		Threshold: br.Threshold, Sample: br.Sample, WindowHours: b.window().Hours(), BreachID: br.ID})
	if err != nil {
		return Breach{}, err
	}
	a.Audience, a.Text, a.CreatedAt = feedback.AudienceManagers, BreachText(b.Locale, r, b.window(), b.Link), now
	if _, err := b.Alerts.Raise(ctx, tx, a); err != nil {
		return Breach{}, err
	}
	return br, nil
}

func clearBreach(ctx context.Context, tx *sqlx.Tx, br Breach, value *float64, reason string, now time.Time) (Breach, error) {
	br.ClearedAt, br.ClearedValue, br.ClearedReason = &now, value, reason
	if _, err := tx.ExecContext(ctx, `UPDATE barometer_breaches SET cleared_at = $2, cleared_value = $3, cleared_reason = $4
		WHERE id = $1 AND cleared_at IS NULL`, br.ID, now, value, reason); err != nil {
		return br, fmt.Errorf("clear breach of %s: %w", br.Indicator, err)
	}
	return br, nil
}

// BreachText is the alert's text: its first line is the email's subject;
// link, when set, ends it.
func BreachText(locale string, r Reading, window time.Duration, link string) string {
	val, lim := formatValue(*r.Value, r.Indicator.Unit), formatValue(r.Threshold.Value, r.Indicator.Unit)
	if locale == "fr" {
		side := "sous son seuil de"
		if r.Threshold.Op == "<=" {
			side = "au-dessus de son seuil de"
		}
		text := fmt.Sprintf("Baromètre : %s à %s, %s %s\n\n%s (%s). Le baromètre vous écrira de nouveau si l'indicateur sort de sa plage après y être revenu.",
			r.Indicator.LabelIn("fr"), val, side, lim, windowWords("fr", window), sampleWords("fr", r.Sample))
		if link != "" {
			text += "\n\nRapports : " + link
		}
		return text
	}
	side := "under its threshold of"
	if r.Threshold.Op == "<=" {
		side = "over its threshold of"
	}
	text := fmt.Sprintf("Barometer: %s at %s, %s %s\n\n%s (%s). You will hear again only if it goes out of range after coming back.",
		r.Indicator.LabelIn("en"), val, side, lim, windowWords("en", window), sampleWords("en", r.Sample))
	if link != "" {
		text += "\n\nReports: " + link
	}
	return text
}

func formatValue(v float64, unit string) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	switch unit {
	case "%":
		return s + " %"
	case "/100":
		return s + "/100"
	}
	return s
}

// Breaches lists the breaches open now or started since, the latest first.
func (s *Store) Breaches(ctx context.Context, since time.Time, limit int) ([]Breach, error) {
	out := []Breach{}
	err := s.db.SelectContext(ctx, &out, `SELECT * FROM barometer_breaches WHERE cleared_at IS NULL OR started_at >= $1 OR cleared_at >= $1
		ORDER BY started_at DESC, id DESC LIMIT $2`, since, limit)
	if err != nil {
		return nil, fmt.Errorf("breaches: %w", err)
	}
	return out, nil
}

// WindowWords says in locale how far back the indicators of a window
// look, as the managers' page says it: "Over the last 7 days".
func WindowWords(locale string, window time.Duration) string { return windowWords(locale, window) }

// windowWords says how far back the indicators look: "Over the last 7
// days", "Over the last day", "Over the last 36 hours" (a window that is
// not whole days, or under two), in French or English.
func windowWords(locale string, window time.Duration) string {
	hours := int(window.Hours())
	days := hours / 24
	fr := locale == "fr"
	switch {
	case hours == 24:
		if fr {
			return "Sur le dernier jour"
		}
		return "Over the last day"
	case hours%24 == 0 && days > 1:
		if fr {
			return fmt.Sprintf("Sur les %d derniers jours", days)
		}
		return fmt.Sprintf("Over the last %d days", days)
	case hours <= 1:
		if fr {
			return "Sur la dernière heure"
		}
		return "Over the last hour"
	default:
		if fr {
			return fmt.Sprintf("Sur les %d dernières heures", hours)
		}
		return fmt.Sprintf("Over the last %d hours", hours)
	}
}

// sampleWords is "12 replies or complaints", "1 reply or complaint".
func sampleWords(locale string, n int) string {
	switch {
	case locale == "fr" && n <= 1:
		return fmt.Sprintf("%d réponse ou réclamation", n)
	case locale == "fr":
		return fmt.Sprintf("%d réponses ou réclamations", n)
	case n == 1:
		return "1 reply or complaint"
	default:
		return fmt.Sprintf("%d replies or complaints", n)
	}
}
