// Package demo runs followup end to end on one machine: it starts every role
// with an embedded SMTP capture server, seeds a survey, a campaign and a few
// dozen customers with service events, simulates their replies through the
// real HTTP pages, and reports what happened. It is a client of the product,
// not part of it: everything goes through the API, the emails and the pages.
package demo
