// Package address is the one check of a recipient's address and display
// name: the mailer builds every To header with it, and intake (the API,
// event batches, CSV imports) refuses what it refuses, so an address
// accepted at intake can be written in an email. It parses exactly as the
// mailer does, and imports nothing of followup.
package address
