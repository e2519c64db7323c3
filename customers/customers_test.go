package customers

import (
	"encoding/json"
	"testing"
	"time"
)

func TestValidateEvent(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	good := func() EventInput {
		return EventInput{ExternalID: " e-1 ", Kind: "ticket_closed", OccurredAt: now.Add(-time.Hour),
			Customer: CustomerInput{ExternalRef: "c-1", Email: " a@example.com ", Locale: "FR_ca", TimeZone: "America/Montreal"}}
	}
	neg := int64(-1)
	cases := []struct {
		name  string
		edit  func(*EventInput)
		field string
	}{
		{"good", func(*EventInput) {}, ""},
		{"no external id", func(e *EventInput) { e.ExternalID = "  " }, "external_id"},
		{"multi-line external id", func(e *EventInput) { e.ExternalID = "a\nb" }, "external_id"},
		{"kind with spaces", func(e *EventInput) { e.Kind = "ticket closed" }, "kind"},
		{"no time", func(e *EventInput) { e.OccurredAt = time.Time{} }, "occurred_at"},
		{"two days ahead", func(e *EventInput) { e.OccurredAt = now.Add(48 * time.Hour) }, "occurred_at"},
		{"channel with markup", func(e *EventInput) { e.Channel = "<script>" }, "channel"},
		{"negative prejudice", func(e *EventInput) { e.PrejudiceCents = &neg }, "prejudice_cents"},
		{"attributes not an object", func(e *EventInput) { e.Attributes = json.RawMessage(`"x"`) }, "attributes"},
		{"NUL in external id", func(e *EventInput) { e.ExternalID = "e\x001" }, "external_id"},
		{"NUL deep in attributes", func(e *EventInput) { e.Attributes = json.RawMessage(`{"a": [{"b": "x\u0000"}]}`) }, "attributes.a[0].b"},
		{"control character in attributes", func(e *EventInput) { e.Attributes = json.RawMessage(`{"a": "\u001b[31m"}`) }, "attributes.a"},
		{"NUL in an attribute name", func(e *EventInput) { e.Attributes = json.RawMessage(`{"a\u0000": 1}`) }, "attributes"},
		{"escaped backslash-u is text", func(e *EventInput) { e.Attributes = json.RawMessage(`{"a": "\\u0000"}`) }, ""},
		{"NUL in customer ref", func(e *EventInput) { e.Customer.ExternalRef = "c\x00" }, "customer.external_ref"},
		{"NUL in name", func(e *EventInput) { e.Customer.Name = "Ann\x00" }, "customer.name"},
		{"NUL in email", func(e *EventInput) { e.Customer.Email = "a\x00@example.com" }, "customer.email"},
		{"no customer ref", func(e *EventInput) { e.Customer.ExternalRef = "" }, "customer.external_ref"},
		{"display-name email", func(e *EventInput) { e.Customer.Email = "Ann <a@example.com>" }, "customer.email"},
		{"german", func(e *EventInput) { e.Customer.Locale = "de-DE" }, "customer.locale"},
		{"Local time zone", func(e *EventInput) { e.Customer.TimeZone = "Local" }, "customer.time_zone"},
		{"name with newline", func(e *EventInput) { e.Customer.Name = "Ann\r\nBcc: x@y" }, "customer.name"},
		// The mailer's own check (mail/address): a name that would end the
		// quoted display name early could never be sent to.
		{"name closing the quotes", func(e *EventInput) { e.Customer.Name = `Eve" <victim@evil.example>, "x` }, "customer.name"},
		{"name with a backslash", func(e *EventInput) { e.Customer.Name = `Ann\` }, "customer.name"},
		{"two addresses", func(e *EventInput) { e.Customer.Email = "a@example.com, b@example.com" }, "customer.email"},
		{"accented name", func(e *EventInput) { e.Customer.Name = "Hélène Côté, O'Brien" }, ""},
		{"negative value", func(e *EventInput) { e.Customer.AnnualValueCents = &neg }, "customer.annual_value_cents"},
		{"a currency", func(e *EventInput) { e.Customer.Currency = "CAD" }, ""},
		{"a currency symbol", func(e *EventInput) { e.Customer.Currency = "€" }, "customer.currency"},
		{"a lowercase currency", func(e *EventInput) { e.Customer.Currency = "eur" }, "customer.currency"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := good()
			tc.edit(&e)
			fe := e.Validate(now)
			got := ""
			if fe != nil {
				got = fe.Field
			}
			if got != tc.field {
				t.Fatalf("problem with %q (%v), want %q", got, fe, tc.field)
			}
			if tc.field == "" && (e.ExternalID != "e-1" || e.Customer.Email != "a@example.com" || e.Customer.Locale != "fr") {
				t.Errorf("not normalised: %+v", e)
			}
		})
	}
}
