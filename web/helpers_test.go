package web_test

import (
	"testing"

	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/webtest"
)

// The helpers the tests of this package share with those of web/public.
var (
	sendDue     = webtest.SendDue
	fetch       = webtest.Fetch
	fullAnswers = webtest.FullAnswers
	rows        = webtest.Rows
	signedIn    = webtest.SignedIn
	seedReports = webtest.SeedReports
)

// customer is a test customer with a service event to answer about.
type customer struct {
	ref, locale string
	valueCents  int64
	prejudice   *int64
}

// invite records an event (one per call, n-th of the customer) and walks
// its invitation to "sent" the way the worker does; it returns the link.
func invite(t *testing.T, h *apptest.Harness, c customer, n int) string {
	t.Helper()
	return webtest.Invite(t, h, webtest.Customer{Ref: c.ref, Locale: c.locale, ValueCents: c.valueCents, Prejudice: c.prejudice}, n)
}
