package complaints

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/followup/followup/businesshours"
	"github.com/followup/followup/surveys"
)

// Priority ranks complaints: P1 is the most urgent.
type Priority int

// Priorities.
const (
	P1 Priority = 1
	P2 Priority = 2
	P3 Priority = 3
	P4 Priority = 4
)

func (p Priority) String() string { return fmt.Sprintf("P%d", int(p)) }

// Valid reports whether p is P1 to P4.
func (p Priority) Valid() bool { return p >= P1 && p <= P4 }

// ParsePriority reads "P1".."P4" (or "1".."4").
func ParsePriority(s string) (Priority, bool) {
	s = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "P")
	if len(s) != 1 || s[0] < '1' || s[0] > '4' {
		return 0, false
	}
	return Priority(s[0] - '0'), true
}

// Severity is how bad the failure was, read from the scores alone: the
// customer's tone never changes it.
type Severity string

// Severities, worst first.
const (
	Critical Severity = "critical" // lowest score under 20
	Major    Severity = "major"    // under 35
	Moderate Severity = "moderate" // under 50
	Minor    Severity = "minor"    // a detractor rating or a signal with fair scores
)

// Severities lists them worst first.
var Severities = []Severity{Critical, Major, Moderate, Minor}

// level is 1 (critical) to 4 (minor), the priority it starts from.
func (s Severity) level() int { return slices.Index(Severities, s) + 1 }

// worse returns the severity one step worse, Critical at most.
func (s Severity) worse() Severity { return Severities[max(0, s.level()-2)] }

// SeverityOf reads a reply's severity from its lowest score.
func SeverityOf(r surveys.Result) Severity {
	switch lo := r.Lowest(); {
	case lo < 20:
		return Critical
	case lo < 35:
		return Major
	case lo < 50:
		return Moderate
	default:
		return Minor
	}
}

// Facts are what the complaint needs besides the reply: the customer's
// annual value and the prejudice of the service event, when known.
type Facts struct {
	AnnualValueCents int64  `db:"annual_value_cents"`
	PrejudiceCents   *int64 `db:"prejudice_cents"`
	// Team is the team that served the customer: its calendar counts the
	// deadline (Store.SetTeamCalendars). Empty: the policy's Calendar.
	Team string `db:"team"`
}

// Explanation is one reason behind a priority or an advice, for the CX
// agent: a stable code and a sentence.
type Explanation struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

// Policy assesses a negative reply: severity, priority, deadline and
// compensation advice. Its tables are configurable (see app and README).
type Policy struct {
	// Deadlines is how long the CX team has to act, per priority.
	Deadlines map[Priority]time.Duration
	// KeyCustomerCents is the annual value from which a customer is a key
	// account: their complaint rises one priority. Zero disables it.
	KeyCustomerCents int64
	// Gestures is the goodwill gesture per severity when the prejudice is
	// not known.
	Gestures map[Severity]Gesture
	// Calendar is the team's business hours: deadlines count only the
	// time it is open, and always fall in its opening hours. Nil counts
	// wall-clock time.
	Calendar *businesshours.Calendar
}

// TeamCalendars are the teams' own business calendars (package labels
// keeps them, admins edit them): a team not in the map uses the policy's
// Calendar; a nil calendar in it counts wall-clock time.
type TeamCalendars interface {
	TeamCalendars(ctx context.Context) (map[string]*businesshours.Calendar, error)
}

// ForTeam returns the policy with team's calendar from cals, when it has
// one of its own.
func (p Policy) ForTeam(cals map[string]*businesshours.Calendar, team string) Policy {
	if c, ok := cals[team]; ok && team != "" {
		p.Calendar = c
	}
	return p
}

// DefaultDeadlines is the deadline table used when none is configured.
var DefaultDeadlines = map[Priority]time.Duration{
	P1: 4 * time.Hour,
	P2: 24 * time.Hour,
	P3: 72 * time.Hour,
	P4: 7 * 24 * time.Hour,
}

// DefaultKeyCustomerCents is the default key-account threshold: 2,500 a year.
const DefaultKeyCustomerCents = 250000

// DefaultPolicy returns the default tables.
func DefaultPolicy() Policy {
	return Policy{Deadlines: DefaultDeadlines, KeyCustomerCents: DefaultKeyCustomerCents, Gestures: DefaultGestures}
}

// Allowed is the business time a complaint of priority pr is given.
func (p Policy) Allowed(pr Priority) time.Duration {
	d, ok := p.Deadlines[pr]
	if !ok {
		d = DefaultDeadlines[pr]
	}
	return d
}

// Deadline returns when a complaint of priority pr opened at opened is
// due: the priority's allowed time counted in the calendar's business
// hours (see businesshours.Calendar.Add), or on the wall clock without
// one.
func (p Policy) Deadline(pr Priority, opened time.Time) time.Time {
	return p.Calendar.Add(opened, p.Allowed(pr))
}

// escalating are the signals that put a complaint at P2 or higher: the
// customer may go public or legal, or threatens, before anyone reaches them.
var escalating = []surveys.SignalKind{surveys.SignalLegal, surveys.SignalPublic, surveys.SignalThreat}

// Assessment is how a negative reply is handled.
type Assessment struct {
	Severity Severity      `json:"severity"`
	Priority Priority      `json:"-"`
	Why      []Explanation `json:"priority_reasons"`
	// Escalations are the signal kinds that raised the priority.
	Escalations []surveys.SignalKind `json:"escalations"`
	DueAt       time.Time            `json:"due_at"`
	Advice      Advice               `json:"advice"`
}

// Assess grades a negative reply opened at now. The priority starts from
// the severity, is at least P2 when the comment shows public or legal intent
// or a threat, and rises one step for an intent to leave and one for a key
// customer. The compensation advice looks at the severity, the consequences
// for the customer and their value, never at the signals of their tone.
func (p Policy) Assess(r surveys.Result, f Facts, now time.Time) Assessment {
	a := Assessment{Severity: SeverityOf(r), Escalations: []surveys.SignalKind{}}
	pr := Priority(a.Severity.level())
	a.Why = append(a.Why, Explanation{"severity", severityText(r, a.Severity, pr)})
	for _, k := range escalating {
		ev, ok := firstEvidence(r.Signals, k)
		if !ok {
			continue
		}
		a.Escalations = append(a.Escalations, k)
		if pr > P2 {
			pr = P2
			a.Why = append(a.Why, Explanation{"escalation_" + string(k), fmt.Sprintf("%s (%q): at least P2, to reach the customer first", escalationText[k], ev)})
		} else {
			a.Why = append(a.Why, Explanation{"escalation_" + string(k), fmt.Sprintf("%s (%q)", escalationText[k], ev)})
		}
	}
	if ev, ok := firstEvidence(r.Signals, surveys.SignalLeave); ok {
		a.Escalations = append(a.Escalations, surveys.SignalLeave)
		pr = max(P1, pr-1)
		a.Why = append(a.Why, Explanation{"escalation_leave", fmt.Sprintf("intends to leave (%q): one step up, to %s", ev, pr)})
	}
	if p.KeyCustomerCents > 0 && f.AnnualValueCents >= p.KeyCustomerCents {
		pr = max(P1, pr-1)
		a.Why = append(a.Why, Explanation{"key_customer", fmt.Sprintf("key customer, %s a year (threshold %s): one step up, to %s",
			money(f.AnnualValueCents), money(p.KeyCustomerCents), pr)})
	}
	a.Priority = pr
	a.DueAt = p.Deadline(pr, now)
	a.Advice = p.Advise(a.Severity, ConsequencesOf(r), f)
	if surveys.HasSignal(r.Signals, surveys.SignalThreat, surveys.SignalIncivility) {
		a.Advice.Reasons = append(a.Advice.Reasons, Explanation{"tone_ignored",
			"The customer's tone (insults, threats) does not change the compensation; handle it separately (form deviance)."})
	}
	return a
}

var escalationText = map[surveys.SignalKind]string{
	surveys.SignalLegal:  "legal or regulatory intent",
	surveys.SignalPublic: "intends to go public",
	surveys.SignalThreat: "threatens staff or the company",
}

func firstEvidence(signals []surveys.Signal, k surveys.SignalKind) (string, bool) {
	for _, s := range signals {
		if s.Kind == k {
			return s.Evidence, true
		}
	}
	return "", false
}

func severityText(r surveys.Result, s Severity, pr Priority) string {
	if len(r.Scores) == 0 {
		return fmt.Sprintf("no scores answered: %s severity, %s", s, pr)
	}
	lowest, dim := 101.0, surveys.Dimension("")
	for _, d := range append(slices.Clone(surveys.JusticeDimensions), surveys.Overall) {
		if v, ok := r.Scores[d]; ok && v < lowest {
			lowest, dim = v, d
		}
	}
	return fmt.Sprintf("lowest score %.0f/100 (%s): %s severity, %s", lowest, dim, s, pr)
}

// money writes cents as an amount with two decimals: 125000 is "1,250.00".
func money(cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	whole := fmt.Sprint(cents / 100)
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	s := fmt.Sprintf("%s.%02d", b.String(), cents%100)
	if neg {
		return "-" + s
	}
	return s
}
