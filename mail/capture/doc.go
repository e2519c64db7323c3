// Package capture is an in-process SMTP server, built on emersion/go-smtp,
// that keeps every message it receives in memory and shows them on a web page
// (/dev/mail). The demo and the tests send real SMTP to it. It can be told to
// refuse recipients or drop connections, and to offer STARTTLS and AUTH
// PLAIN, so tests exercise real failures and real TLS and authentication.
//
// Tables: none; messages live in memory. It is for the demo and tests, never
// a production mail path.
package capture
