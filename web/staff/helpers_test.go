package staff_test

import "github.com/followup/followup/internal/webtest"

// The helpers the tests of this package share with those of web.
var (
	signedIn    = webtest.SignedIn
	seedReports = webtest.SeedReports
)
