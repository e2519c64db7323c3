package customers

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/followup/followup/invalid"
	"github.com/followup/followup/mail/address"
)

// Locales the product speaks.
const (
	LocaleEnglish = "en"
	LocaleFrench  = "fr"
)

// Customer is a person who received a service.
type Customer struct {
	ID               int64  `db:"id" json:"id"`
	ExternalRef      string `db:"external_ref" json:"external_ref"`
	Email            string `db:"email" json:"email"`
	Name             string `db:"name" json:"name"`
	Locale           string `db:"locale" json:"locale"`
	TimeZone         string `db:"time_zone" json:"time_zone"`
	Segment          string `db:"segment" json:"segment"`
	AnnualValueCents int64  `db:"annual_value_cents" json:"annual_value_cents"`
	// Currency is the customer's billing currency (ISO 4217), when known.
	Currency   *string    `db:"currency" json:"currency,omitempty"`
	OptedOutAt *time.Time `db:"opted_out_at" json:"opted_out_at,omitempty"`
}

// Event is a service the customer received: a delivery, a closed ticket, an
// appointment.
type Event struct {
	ID             int64           `db:"id" json:"id"`
	ExternalID     string          `db:"external_id" json:"external_id"`
	CustomerID     int64           `db:"customer_id" json:"customer_id"`
	Kind           string          `db:"kind" json:"kind"`
	Channel        string          `db:"channel" json:"channel"`
	Touchpoint     string          `db:"touchpoint" json:"touchpoint"`
	Team           string          `db:"team" json:"team"`
	OccurredAt     time.Time       `db:"occurred_at" json:"occurred_at"`
	PrejudiceCents *int64          `db:"prejudice_cents" json:"prejudice_cents,omitempty"`
	Attributes     json.RawMessage `db:"attributes" json:"attributes"`
}

// CustomerInput is a customer as an external system describes it. Empty
// optional fields keep what is already stored.
type CustomerInput struct {
	ExternalRef      string `json:"external_ref"`
	Email            string `json:"email"`
	Name             string `json:"name,omitempty"`
	Locale           string `json:"locale,omitempty"`
	TimeZone         string `json:"time_zone,omitempty"`
	Segment          string `json:"segment,omitempty"`
	AnnualValueCents *int64 `json:"annual_value_cents,omitempty"`
	// Currency is the customer's billing currency (ISO 4217: EUR, CAD):
	// compensation is in it.
	Currency string `json:"currency,omitempty"`
}

// EventInput is a service event with its customer, as posted to the API.
type EventInput struct {
	ExternalID     string          `json:"external_id"`
	Kind           string          `json:"kind"`
	OccurredAt     time.Time       `json:"occurred_at"`
	Channel        string          `json:"channel,omitempty"`
	Touchpoint     string          `json:"touchpoint,omitempty"`
	Team           string          `json:"team,omitempty"`
	PrejudiceCents *int64          `json:"prejudice_cents,omitempty"`
	Attributes     json.RawMessage `json:"attributes,omitempty"`
	Customer       CustomerInput   `json:"customer"`
}

var (
	kindRE  = regexp.MustCompile(`^[a-z][a-z0-9_.-]{0,49}$`)
	labelRE = regexp.MustCompile(`^[\p{L}\p{N} _.:/-]{0,80}$`)
)

// maxFuture bounds how far ahead an event may be dated: clocks drift, typos don't.
const maxFuture = 24 * time.Hour

// Validate checks and normalises an event in place (locale "fr-CA" becomes
// "fr", e-mail addresses are trimmed). now bounds occurred_at. It returns the
// first problem found.
func (in *EventInput) Validate(now time.Time) *invalid.FieldError {
	in.ExternalID = strings.TrimSpace(in.ExternalID)
	switch {
	case in.ExternalID == "":
		return invalid.Field("external_id", "is required")
	case strings.ContainsRune(in.ExternalID, 0):
		return invalid.Field("external_id", noNUL)
	case len(in.ExternalID) > 200 || strings.ContainsAny(in.ExternalID, "\r\n"):
		return invalid.Field("external_id", "must be one line of at most 200 characters")
	case !kindRE.MatchString(in.Kind):
		return invalid.Field("kind", "must be a lower-case word such as delivery or ticket_closed")
	case in.OccurredAt.IsZero():
		return invalid.Field("occurred_at", "is required, as an RFC 3339 time such as 2026-11-20T14:30:00Z")
	case in.OccurredAt.After(now.Add(maxFuture)):
		return invalid.Field("occurred_at", "is more than a day in the future")
	case !labelRE.MatchString(in.Channel):
		return invalid.Field("channel", "must be a short label (letters, digits, spaces, _ . : / -)")
	case !labelRE.MatchString(in.Touchpoint):
		return invalid.Field("touchpoint", "must be a short label (letters, digits, spaces, _ . : / -)")
	case !labelRE.MatchString(in.Team):
		return invalid.Field("team", "must be a short label (letters, digits, spaces, _ . : / -)")
	case in.PrejudiceCents != nil && *in.PrejudiceCents < 0:
		return invalid.Field("prejudice_cents", "must not be negative")
	}
	if len(in.Attributes) > 0 {
		if fe := invalid.JSON("attributes", in.Attributes); fe != nil {
			return fe
		}
		var obj map[string]any
		if err := json.Unmarshal(in.Attributes, &obj); err != nil || obj == nil {
			return invalid.Field("attributes", "must be a JSON object")
		}
		if fe := badText("attributes", obj); fe != nil {
			return fe
		}
	}
	if fe := in.Customer.Validate(); fe != nil {
		fe.Field = "customer." + fe.Field
		return fe
	}
	return nil
}

// Validate checks and normalises a customer in place.
func (in *CustomerInput) Validate() *invalid.FieldError {
	in.ExternalRef = strings.TrimSpace(in.ExternalRef)
	in.Email = strings.TrimSpace(in.Email)
	switch {
	case in.ExternalRef == "":
		return invalid.Field("external_ref", "is required")
	case strings.ContainsRune(in.ExternalRef, 0):
		return invalid.Field("external_ref", noNUL)
	case len(in.ExternalRef) > 200 || strings.ContainsAny(in.ExternalRef, "\r\n"):
		return invalid.Field("external_ref", "must be one line of at most 200 characters")
	case in.Email == "":
		return invalid.Field("email", "is required")
	}
	if strings.ContainsRune(in.Name, 0) {
		return invalid.Field("name", noNUL)
	}
	if strings.ContainsAny(in.Name, "\r\n") || len(in.Name) > 200 {
		return invalid.Field("name", "must be one line of at most 200 characters")
	}
	// The mailer's own check: what intake accepts can be sent to.
	if _, err := address.Recipient(in.Name, in.Email); err != nil {
		var ae *address.Error
		if errors.As(err, &ae) {
			return invalid.Field(ae.Part, ae.Reason)
		}
		return invalid.Field("email", err.Error())
	}
	if in.Locale != "" {
		loc, ok := NormalizeLocale(in.Locale)
		if !ok {
			return invalid.Field("locale", fmt.Sprintf("%q is not supported: use en or fr (regional forms like fr-CA are accepted)", in.Locale))
		}
		in.Locale = loc
	}
	if in.TimeZone != "" {
		if !knownZone(in.TimeZone) {
			return invalid.Field("time_zone", fmt.Sprintf("%q is not an IANA time zone such as Europe/Paris or America/Montreal", in.TimeZone))
		}
	}
	if !labelRE.MatchString(in.Segment) {
		return invalid.Field("segment", "must be a short label (letters, digits, spaces, _ . : / -)")
	}
	if in.AnnualValueCents != nil && *in.AnnualValueCents < 0 {
		return invalid.Field("annual_value_cents", "must not be negative")
	}
	if in.Currency != "" && !currencyRE.MatchString(in.Currency) {
		return invalid.Field("currency", fmt.Sprintf("%q is not a currency code: three capital letters such as EUR or CAD", in.Currency))
	}
	return nil
}

var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// noNUL refuses the one character PostgreSQL cannot store in text: let
// through, it would fail the whole transaction, and a batch with it.
const noNUL = "must not contain the NUL character (\\u0000)"

// badText finds a key or string of a decoded JSON value that is not text
// the product stores (invalid.Text), naming it by its path.
func badText(path string, v any) *invalid.FieldError {
	switch v := v.(type) {
	case string:
		return invalid.Text(path, v)
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if fe := invalid.Text(path, k); fe != nil { // a bad key: named by its parent
				return fe
			}
			if fe := badText(path+"."+k, v[k]); fe != nil {
				return fe
			}
		}
	case []any:
		for i, x := range v {
			if fe := badText(fmt.Sprintf("%s[%d]", path, i), x); fe != nil {
				return fe
			}
		}
	}
	return nil
}

// ParseOccurredAt reads the text of an occurred_at field: an RFC 3339 time.
// The JSON API and the CSV import both read it here, so they accept and
// refuse the same times with the same words.
func ParseOccurredAt(text string) (time.Time, *invalid.FieldError) {
	if text == "" {
		return time.Time{}, invalid.Field("occurred_at", "is required, as an RFC 3339 time such as 2026-11-20T14:30:00Z")
	}
	t, err := time.Parse(time.RFC3339Nano, text)
	if err != nil {
		return time.Time{}, invalid.Field("occurred_at", "must be an RFC 3339 time such as 2026-11-20T14:30:00Z")
	}
	return t, nil
}

// validZones remembers the IANA zone names already found valid.
// time.LoadLocation reads the zone file on every call (about 10 µs), which a
// batch of 10,000 events would pay 10,000 times for a handful of zones. Only
// valid names are kept, so the set is bounded by the tz database whatever
// the input.
var validZones sync.Map

func knownZone(name string) bool {
	if _, ok := validZones.Load(name); ok {
		return true
	}
	if _, err := time.LoadLocation(name); err != nil || strings.EqualFold(name, "local") {
		return false
	}
	validZones.Store(name, struct{}{})
	return true
}

// NormalizeLocale maps a language tag to a supported locale: "fr", "fr-CA",
// "FR_ca" give "fr"; "en-GB" gives "en". ok is false for other languages.
func NormalizeLocale(tag string) (string, bool) {
	t := strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(t, "-_"); i >= 0 {
		t = t[:i]
	}
	switch t {
	case LocaleEnglish, LocaleFrench:
		return t, true
	}
	return "", false
}
